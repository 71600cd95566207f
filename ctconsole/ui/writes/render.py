"""How a planned or applied write reads on screen: values, diffs, requests, reasons.

Everything here returns `Content` (never markup), because the values are
customer data (custom IDs, push messages) and the API's own words. Shared by
the preview, the result screen and the journal pane, so a field looks the
same before, during and after a write.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from textual.content import Content

from ctconsole.ui.formats import yes_no
from ctconsole.ui.text import content, plain

if TYPE_CHECKING:
    from .flow import WriteFlow


def crumbs_for(flow: WriteFlow) -> tuple[object, ...]:
    """A write screen's breadcrumbs: the pane it started from, then the write."""
    base = tuple(getattr(flow.host, "crumbs", ()) or ("Account",))
    return (*base, flow.heading)


#: Marks in front of reasons; words follow, so no colour is needed to read them.
WARN = "⚠ "
REFUSE = "✖ "


def value_text(value: Any) -> str:
    """A state or parameter value as a person reads it."""
    word = yes_no(value)
    if word is not None:
        return word
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value)
    return plain(value)


#: The widest a column but the last may be (in cells); longer values are cut with "…".
COLUMN_MAX = 28


def table(rows: Sequence[Sequence[object]], header: Sequence[str] | None = None, *,
          indent: int = 1, styles: Sequence[str] = ()) -> Content:
    """Aligned columns of safe text. Every column but the last is at most
    `COLUMN_MAX` cells wide (a longer value is cut with "…", never silently);
    the last is neither padded nor cut here: the widget showing the table
    decides (the preview cuts it at the screen's edge, `text-overflow`)."""
    texts = [[Content(value_text(cell) if not isinstance(cell, str) else plain(cell))
              for cell in row] for row in rows]
    all_rows = ([[Content(plain(h)) for h in header]] if header else []) + texts
    if not all_rows:
        return Content("")
    columns = max(len(r) for r in all_rows)
    widths = [min(max(r[i].cell_length for r in all_rows if i < len(r)), COLUMN_MAX)
              for i in range(columns)]
    lines = []
    for number, row in enumerate(all_rows):
        cells = []
        for i, text in enumerate(row):
            if i < len(row) - 1:
                text = text.truncate(widths[i], ellipsis=True, pad=True)
            style = styles[i] if i < len(styles) else ""
            cells.append(text.stylize(style) if style else text)
        line = Content.assemble(" " * indent, *_spaced(cells))
        if header and number == 0:
            line = line.stylize("bold")
        lines.append(line)
    return Content("\n").join(lines)


def _spaced(cells: list[Content]) -> list[Content | str]:
    out: list[Content | str] = []
    for i, cell in enumerate(cells):
        if i:
            out.append("  ")
        out.append(cell)
    return out


def diff_content(diff: Sequence[tuple[str, object, object]]) -> Content:
    """The field diff: field, the value now, the value after."""
    if not diff:
        return Content(" (no field changes: nothing on the object itself changes)").stylize("dim")
    return table([(name, value_text(b), value_text(a)) for name, b, a in diff],
                 ("field", "now", "after"), styles=("", "", "bold"))


def state_content(state: Any, *, keys: Iterable[str] | None = None) -> Content:
    """An object's state (a flat dict, or one per session code) as lines."""
    if state is None:
        return Content(" (not read)").stylize("dim")
    if isinstance(state, Mapping) and state and all(isinstance(v, Mapping) for v in state.values()):
        parts = []
        for code, one in state.items():
            parts.append(Content.assemble(" ", content(code, "bold")))
            parts.append(state_content(one, keys=keys))
        return Content("\n").join(parts)
    if isinstance(state, Mapping):
        names = [k for k in (keys or state.keys()) if k in state]
        return table([(name, value_text(state[name])) for name in names], indent=2)
    return Content.assemble(" ", content(value_text(state)))


def body_text(body: Any) -> Content:
    """A request body as one line of JSON (wraps on screen), sanitised."""
    return content(json.dumps(body, ensure_ascii=False, default=str, separators=(", ", ": ")))


def request_content(request: Mapping[str, Any]) -> Content:
    """The exact request of `WritePlan.as_request()` (secrets already redacted)."""
    return Content("\n").join([
        Content.assemble(" ", (f"{request.get('method', 'POST')} ", "bold"),
                         content(request.get("path")), "   ",
                         content(request.get("operation"), "dim")),
        Content.assemble(" ", body_text(request.get("body"))),
    ])


def reasons_content(reasons: Iterable[Any], mark: str, style: str) -> Content:
    return Content("\n").join(Content.assemble(" ", (mark, style), content(str(r)))
                              for r in reasons)


def beside_content(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Content:
    """The object now beside the object after: every field read, the
    changed ones marked "→" and bold, unchanged ones dim."""
    before = before or {}
    after = after or {}
    names = list(before) + [k for k in after if k not in before]
    # The changed fields first: they are what the preview is about.
    names.sort(key=lambda n: not (n in after and (n not in before or before[n] != after[n])))
    rows = []
    changed_rows = []
    for name in names:
        now = before.get(name)
        then = after.get(name, now)
        changed = name in after and (name not in before or before[name] != then)
        rows.append(("→" if changed else " ", name, value_text(now), value_text(then)))
        changed_rows.append(changed)
    rendered = table(rows, (" ", "field", "now", "after"))
    lines = rendered.split("\n")
    out = [lines[0]]
    for line, changed in zip(lines[1:], changed_rows):
        out.append(line.stylize("bold") if changed else line.stylize("dim"))
    return Content("\n").join(out)
