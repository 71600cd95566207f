"""Screen share: one key that hides customers' personal data in every pane.

`ctrl+s` (binding id `screen_share`, also "Screen share" in the command
palette) toggles `app.screen_share`. While it is on, grid columns marked
`Column(..., pii=...)` and personal fields in detail views (`ui.pii.Pii`
values, payloads through `ui.pii.mask_payload`) are masked, copy
notifications do not preview what was copied, and the profile badge says
"screen share" so everybody watching knows the mode is on.

How a toggle reaches the panes: every node on every screen in the stack
that has a `privacy_changed()` method gets it called; widgets re-render
from what they already hold (no refetch). Widgets and panes created later
read `ui.pii.screen_share_on(self)` when they render.

The mixin also makes screenshots private files (0600), like every other
file the console writes with customer data in it.
"""

from __future__ import annotations

import os
from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

__all__ = ["SCREEN_SHARE_BINDING", "ScreenShareMixin", "apply_screen_share"]

#: Priority, so it works with a filter bar or the find prompt focused too.
SCREEN_SHARE_BINDING = Binding("ctrl+s", "toggle_screen_share", "Screen share (masking)",
                               id="screen_share", show=False, priority=True)


def apply_screen_share(app: App) -> int:
    """Tell every live node about the current mode; how many were told."""
    told = 0
    for screen in list(app.screen_stack):
        for node in (screen, *screen.query("*")):
            hook = getattr(node, "privacy_changed", None)
            if callable(hook):
                hook()
                told += 1
    return told


class ScreenShareMixin:
    """For the app class: the `screen_share` flag, its action and palette entry."""

    screen_share: bool = False

    def action_toggle_screen_share(self) -> None:
        self.set_screen_share(not self.screen_share)

    def set_screen_share(self, on: bool) -> None:
        self.screen_share = bool(on)
        apply_screen_share(self)  # type: ignore[arg-type]
        state = "on: e-mail, phone and names are masked" if on else "off"
        self.notify(f"Screen share {state}.", title="Screen share",  # type: ignore[attr-defined]
                    markup=False, timeout=3)

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        """Textual's screenshot (also the palette's "Save screenshot"), made
        readable by its owner only: a screenshot holds customers' data."""
        saved = super().save_screenshot(filename, path, time_format)  # type: ignore[misc]
        os.chmod(saved, 0o600)
        return saved

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """A screenshot Textual delivered itself (the palette's "Save
        screenshot", `action_screenshot`) is made private too."""
        if event.name == "screenshot" and event.path is not None:
            try:
                os.chmod(event.path, 0o600)
            except OSError:  # moved or deleted meanwhile: nothing to protect
                pass

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)  # type: ignore[misc]
        state = "off" if self.screen_share else "on"
        yield SystemCommand(f"Screen share {state}",
                            "Mask (or show again) e-mail addresses, phone numbers and names",
                            self.action_toggle_screen_share)
