"""The Textual UI. Entry point for the CLI: `run_app(client, **options)`."""

from ctconsole.ui.app import CtConsoleApp, run_app

__all__ = ["CtConsoleApp", "run_app"]
