"""Directory categories (`category.list`) and 3rd-level categories (`category.level3`).

Categories form a tree through `parent`. Each row keeps its own ID and its
parent's ID and name; a child's name is indented by its depth so the tree
reads at a glance in the API's order (parents first). The 3rd-level list
names 2nd-level parents that are not in it, so that pane also asks
`category.list` (a long-cached answer) for their names; if that fails the
names are left blank rather than failing the pane. Nothing opens below a
category.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ctconsole.api.errors import CtError
from ctconsole.ui.screens.lists import ListScreen
from ctconsole.ui.widgets.grid_model import Column

if TYPE_CHECKING:
    from ctconsole.api import Client

CATEGORY_COLUMNS = (
    Column("id", "ID", max_width=10),
    Column("name", "Name", max_width=36),
    Column("parent", "Parent", max_width=10),
    Column("parent_name", "Parent name", max_width=30),
)


def depths(parents: Mapping[str, str]) -> dict[str, int]:
    """How deep each category sits, following `parent` links within the list
    (a cycle in untrusted data stops the walk instead of looping)."""
    result = {}
    for start in parents:
        depth, node, seen = 0, start, {start}
        while (parent := parents.get(node)) and parent in parents and parent not in seen:
            seen.add(parent)
            depth, node = depth + 1, parent
        result[start] = depth
    return result


class CategoryListScreen(ListScreen):
    """`category.list`: the categories directories and campaigns are filed under."""

    CSS_PATH = "categories.tcss"
    operation = "category.list"
    columns = CATEGORY_COLUMNS
    empty_text = "No categories."

    def __init__(self, client: Client, crumbs: Sequence[object]) -> None:
        super().__init__(client, crumbs)
        self._depth: dict[str, int] = {}
        self._names: dict[str, str] = {}

    def show(self, result) -> None:
        items = list(result.data.items)
        self._depth = depths({item.id: item.parent for item in items})
        self._names.update({item.id: item.name for item in items})
        super().show(result)

    def row(self, item: Any) -> dict[str, Any]:
        depth = self._depth.get(item.id, 0)
        return {
            "id": item.id,
            "name": ("  " * (depth - 1) + "└ " if depth else "") + item.name,
            "parent": item.parent,
            "parent_name": self._names.get(item.parent, ""),
        }


class Level3CategoryListScreen(CategoryListScreen):
    """`category.level3`: the third level of the category tree."""

    operation = "category.level3"
    empty_text = "No 3rd-level categories."

    async def fetch(self, client: Client):
        try:
            names = await client.call("category.list")
        except CtError:
            pass  # parent names are a nicety; the list itself is what was asked for
        else:
            self._names = {item.id: item.name for item in names.data.items}
        return await super().fetch(client)
