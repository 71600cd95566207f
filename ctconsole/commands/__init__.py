"""The subcommands of ``ctconsole`` and their registry.

One module per command (`call`, `ops`, `sandbox`, `cache`, `journal`, `find`,
`explain`), each
defining ``COMMAND``: a `Command` with a ``run(ctx) -> int`` and an
``add_arguments(parser)``. The registry names them by module (`ctconsole.lazy`),
so a command's module is imported only when the command line may use it: starting the TUI
loads none of them. `context` holds what every command gets (`Context`) and
the building of settings, cache and client.

Adding a subcommand: a module here with ``COMMAND``, one line in `COMMANDS`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ctconsole import lazy

if TYPE_CHECKING:
    from ctconsole.commands.context import Context


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[Context], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


@dataclass(frozen=True)
class LazyCommand:
    """A subcommand known by name until used: `module` defines ``COMMAND``."""

    name: str
    module: str

    def load(self) -> Command:
        return lazy.load(f"{self.module}:COMMAND")


#: Subcommands by name, in the order ``--help`` lists them.
COMMANDS: dict[str, Command | LazyCommand] = {
    name: LazyCommand(name, f"ctconsole.commands.{name}")
    for name in ("call", "ops", "sandbox", "cache", "journal", "find", "explain", "batch")
}


def register(command: Command | LazyCommand) -> Command | LazyCommand:
    """Add a subcommand; its name must be new."""
    if command.name in COMMANDS:
        raise ValueError(f"subcommand {command.name!r} is already registered")
    COMMANDS[command.name] = command
    return command


def resolve(name: str) -> Command:
    """The registered `Command` called `name`, loading it if it is lazy."""
    command = COMMANDS[name]
    if isinstance(command, LazyCommand):
        command = COMMANDS[name] = command.load()
    return command


def may_use_subcommands(argv: list[str]) -> bool:
    """Whether parsing `argv` may need the subcommands' own options: one is
    named, or help is asked for. (A word that merely equals a command name,
    e.g. a profile called ``journal``, only costs the loading.)"""
    return any(word in COMMANDS or word in ("-h", "--help") for word in argv)
