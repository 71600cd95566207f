"""The suite stands alone: a clone in any folder on any machine passes it.

No test may reach a file outside the repository: not by climbing above the
repository root from `__file__` (`parents[n]`, `.parent`, `".."`), not by an
absolute path literal, not by naming the documentation folder the repository
was written next to (its name is `OUTSIDE` below). Data the tests need lives in
`tests/fixtures/`. The rules are checked on the sources, so they hold for
every test, including ones that would only leave the repository on a path
this machine never takes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: This file is left out: its own cases below spell out the ways out.
TEST_FILES = sorted(p for p in TESTS.rglob("*.py") if p.resolve() != Path(__file__).resolve())

#: Absolute-looking literals that are not files: API routes of the client and
#: sandbox (`/v3/coupon/list`, `/_sandbox/faults`), URL paths, a PATH value.
NOT_A_FILE = re.compile(r"^(/v\d+(/|$)|/_sandbox/|/\?|/+$)|:/")
ABSOLUTE = re.compile(r"^(/|[A-Za-z]:[\\/]|\\\\)")
#: The documentation folder beside the repository. The names are put together
#: here, so this file does not spell out the very paths it forbids.
OUTSIDE = "sha" + "red"
OUTSIDE_NAMES = (f"../{OUTSIDE}", *(f"{OUTSIDE}/{sub}" for sub in ("api", "seeds", "reference")))
#: A line holding an absolute path that is only data (a string a function
#: under test transforms, never opened) says so with this comment.
NOT_OPENED = "# path-guard: data, not opened"
#: The guard's own cases, one source text each, between lines of dashes. They
#: live as data so this file spells out none of the ways out it forbids;
#: `{out}` stands for the documentation folder's name.
SAMPLES = TESTS / "fixtures" / "path_guard"


def _samples(name: str) -> list[str]:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return [case.strip("\n").replace("{out}", OUTSIDE) for case in text.split("\n-----\n")]


def _climb(node: ast.AST, names: dict[str, int]) -> int | None:
    """Directory levels `node` climbs from `__file__` (None: not a path from it).

    `__file__` is level 0, its folder 1, and the repository root of
    `tests/api/test_x.py` is 3 (one per part of the relative path).
    """
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return 0
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        if node.attr == "parent":
            base = _climb(node.value, names)
            return None if base is None else base + 1
        return None
    if isinstance(node, ast.Subscript):
        if isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
            base = _climb(node.value.value, names)
            index = node.slice
            if base is not None and isinstance(index, ast.Constant) and isinstance(index.value, int):
                return base + index.value + 1
            if base is not None:
                return 10**6  # a computed index: cannot be proved to stay inside
        return None
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute", "expanduser"):
            return _climb(func.value, names)
        if isinstance(func, ast.Name) and func.id in ("Path", "PurePath") and node.args:
            return _climb(node.args[0], names)
        if isinstance(func, ast.Attribute) and func.attr in ("abspath", "realpath") and node.args:
            return _climb(node.args[0], names)
        if isinstance(func, ast.Attribute) and func.attr == "dirname" and node.args:
            base = _climb(node.args[0], names)
            return None if base is None else base + 1
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        base = _climb(node.left, names)
        if base is None:
            return None
        right = node.right
        if isinstance(right, ast.Constant) and isinstance(right.value, str):
            parts = [p for p in re.split(r"[\\/]", right.value) if p not in ("", ".")]
            for part in parts:
                base = base + 1 if part == ".." else base - 1
        return base
    return None


def path_leaks(source: str, relative: Path) -> list[str]:
    """Every way the test file at `relative` (from the root) could leave the root."""
    tree = ast.parse(source)
    lines = source.splitlines()
    depth = len(relative.parts)  # levels from the file up to the repository root
    names: dict[str, int] = {}
    leaks = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            level = _climb(node.value, names)
            if level is not None:
                names[node.targets[0].id] = level
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Call, ast.BinOp, ast.Name)):
            level = _climb(node, names)
            if level is not None and level > depth:
                leaks.append(f"{relative}:{line}: climbs {level - depth} level(s) above the repository root")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            named = [name for name in OUTSIDE_NAMES if name in text]
            if named:
                leaks.append(f"{relative}:{line}: names {named[0]!r}, a folder outside the repository")
            elif (ABSOLUTE.match(text) and not NOT_A_FILE.search(text) and "\n" not in text
                  and NOT_OPENED not in lines[line - 1]):
                leaks.append(f"{relative}:{line}: absolute path {text[:60]!r}")
    return sorted(set(leaks))


def test_no_test_file_reaches_outside_the_repository():
    names = {p.name for p in TEST_FILES}
    assert {"conftest.py", "test_examples.py", "test_envelope.py"} <= names  # the walk found the suite
    leaks = [leak for path in TEST_FILES
             for leak in path_leaks(path.read_text(encoding="utf-8"), path.relative_to(ROOT))]
    assert leaks == []


@pytest.mark.parametrize("source", _samples("ways_out.txt"))
def test_the_guard_catches_each_way_out(source):
    # A file at tests/api/test_x.py: the repository root is parents[2].
    assert path_leaks(source, Path("tests/api/test_x.py")) != []


@pytest.mark.parametrize("source", _samples("inside.txt"))
def test_the_guard_lets_paths_inside_the_repository_pass(source):
    assert path_leaks(source, Path("tests/api/test_x.py")) == []
