"""``ctconsole ops``: the catalogue of API operations and their parameters."""

from __future__ import annotations

import argparse

from ctconsole.commands import Command
from ctconsole.commands.context import EXIT_OK, Context
from ctconsole.jsonout import to_json


def _add_ops_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable listing")


def run_ops(ctx: Context) -> int:
    """The catalogue, grouped, with each operation's parameters (``*`` = required)."""
    catalogue = ctx.settings().catalogue
    if ctx.args.json:
        listing = [{
            "name": op.name, "title": op.title, "group": op.group, "kind": op.kind,
            "path": op.path, "variants": dict(op.variants), "contract": op.contract,
            "note": op.note, "max_age": op.max_age,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "doc": p.doc,
                        "choices": list(p.choices), "inferred": p.inferred} for p in op.params],
        } for op in catalogue]
        print(to_json(listing), file=ctx.out)
        return EXIT_OK
    groups: dict[str, list] = {}
    for op in catalogue:
        groups.setdefault(op.group or "other", []).append(op)
    width = max(len(op.name) for op in catalogue)
    path_width = max(len(op.path) for op in catalogue)
    lines = [f"{len(catalogue)} operations; * marks a required parameter"]
    for group, ops in groups.items():
        lines.append("")
        lines.append(f"{group}:")
        for op in ops:
            lines.append(f"  {op.name:<{width}}  {op.kind:<5}  {op.path:<{path_width}}  "
                         f"{op.contract:<10}  {op.title}")
            if op.params:
                shown = [p.name + ("*" if p.required else "")
                         + (f"={'|'.join(p.choices)}" if p.choices else "") for p in op.params]
                lines.append(f"  {'':<{width}}  {' '.join(shown)}")
    print("\n".join(lines), file=ctx.out)
    return EXIT_OK


COMMAND = Command("ops", "list the API operations and their parameters", run_ops,
                  _add_ops_arguments)
