"""Names whose module loads on first use: the one way ctconsole defers an
import that a start does not need before its first frame.

A package states, as data, which module defines each of its deferred names;
`attributes` turns that table into the package's ``__getattr__`` and
``__dir__`` (PEP 562), which import the module the first time a name is used
and keep the value, so ``from package import Name``, ``package.Name`` and
``getattr(package, "Name")`` all work and cost nothing until then. `load`
resolves one ``"module:name"`` the same way (the subcommand registry names
each command's module like this).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping


def load(target: str, package: str | None = None) -> Any:
    """The value `target` names, ``"module:name"``; a module starting with
    a dot is relative to `package`."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module, package), name)


def attributes(package: str, where: Mapping[str, str]
               ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for `package`, whose name -> module table
    is `where` (modules relative to `package` start with a dot)."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = load(f"{module}:{name}", package)  # later lookups skip this
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
