"""The config's list of binding ids is the UI's: every id a binding of the
console declares is in `ctconsole.config.binding_ids`, and nothing else."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import ctconsole.ui
from ctconsole.config.binding_ids import BINDING_IDS


def declared_binding_ids() -> set[str]:
    for module in pkgutil.walk_packages(ctconsole.ui.__path__, "ctconsole.ui."):
        importlib.import_module(module.name)

    def subclasses(cls: type):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {binding.id for cls in subclasses(DOMNode) if cls.__module__.startswith("ctconsole.")
            for binding in cls.__dict__.get("BINDINGS", [])
            if isinstance(binding, Binding) and binding.id}


def test_the_configs_binding_ids_are_exactly_the_uis():
    declared = declared_binding_ids()
    missing, unknown = declared - BINDING_IDS, BINDING_IDS - declared
    assert not missing, f"add to ctconsole/config/binding_ids.py: {sorted(missing)}"
    assert not unknown, f"no binding has these ids any more: {sorted(unknown)}"
