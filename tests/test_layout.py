"""The module layout's rules that import-linter cannot state.

The layer contracts themselves live in pyproject.toml (`lint-imports`, run by
`make test`); `test_the_contracts_hold` runs them here too, so a plain
`pytest` run checks them as well.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# A dev dependency (it comes with import-linter); skipped only in a venv made before it was added.
grimp = pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ctconsole"


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("ctconsole", exclude_type_checking_imports=True, cache_dir=None)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every set of modules that import each other, directly or in a ring
    (strongly connected components of more than one module). Imports inside
    functions count: deferring an import does not undo the dependency."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        # Iterative Tarjan: the package is deep enough to hit the recursion limit.
        nonlocal counter
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_through_others():
    assert import_cycles(_graph()) == []


def test_the_cycle_finder_finds_a_ring(tmp_path, monkeypatch):
    pkg = tmp_path / "ringpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from ringpkg import b\n")
    (pkg / "b.py").write_text("from ringpkg import c\n")
    (pkg / "c.py").write_text("import ringpkg.a\n")
    (pkg / "d.py").write_text("import ringpkg.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("ringpkg", cache_dir=None)
    assert import_cycles(graph) == [["ringpkg.a", "ringpkg.b", "ringpkg.c"]]


def test_the_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    out = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]
    assert "BROKEN" not in out.stdout


def function_level_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each import inside a function without a comment
    line right above it (or above the run of imports it belongs to)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    bare = []
    for func in ast.walk(ast.parse(source, str(path))):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            row = node.lineno - 2  # the line above, 0-based
            while row >= 0 and (lines[row].strip().startswith(("import ", "from "))
                                or lines[row].strip() == "" and row > 0
                                and lines[row - 1].strip().startswith(("import ", "from "))):
                row -= 1
            if row < 0 or not lines[row].strip().startswith("#"):
                name = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                bare.append((node.lineno, name or "."))
    return sorted(set(bare))


def test_imports_inside_functions_say_why():
    offenders = [f"{path.relative_to(ROOT)}:{line} {name}"
                 for path in sorted(PACKAGE.rglob("*.py"))
                 for line, name in function_level_imports(path)]
    assert offenders == []


@pytest.mark.parametrize("source, expected", [
    ("def f():\n    # Lazy: heavy.\n    import json\n", []),
    ("def f():\n    # Lazy: heavy.\n    import json\n    from os import path\n\n    return 1\n", []),
    ("def f():\n    x = 1\n    import json\n", [(3, "json")]),
    ("import json\n\ndef f():\n    from os import path\n", [(4, "os")]),
])
def test_the_reason_check_reads_comments(tmp_path, source, expected):
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    assert function_level_imports(probe) == expected
