"""The Textual application: owns the client, the global keys and the theme.

Deliberately small. Screens do the fetching and showing; the app only holds
what every screen shares (client, clock, profile, modes), applies the user's
keymap and theme, and catches any worker failure a screen did not expect so
it becomes a notification instead of a traceback.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.filter import Monochrome, NoColor

from ctconsole import clock as ctclock
from ctconsole.ui.no_colour import NO_COLOUR, NO_COLOUR_CSS
from ctconsole.ui import escape_keys
from ctconsole.ui.privacy import SCREEN_SHARE_BINDING, ScreenShareMixin
from ctconsole.ui.process_tuning import CollectionSchedule, latency_tuned
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.terminal_guard import CONTROL_GUARD
from ctconsole.ui.textual_internals import swap_line_filter
from ctconsole.ui.text import plain
from ctconsole.ui.timefmt import utc_now
from ctconsole.ui.worker_errors import WorkerSafetyNet
from ctconsole.ui.writes.flow import why_no_writes
from ctconsole.ui.writes.quit_dialog import QuitWhileWriting

if TYPE_CHECKING:
    from ctconsole.api import Client

#: Theme names users may give besides Textual's own; "ansi" is the low-colour
#: theme that uses the terminal's 16 colours.
THEME_ALIASES = {"ansi": "ansi-dark", "ansi-dark": "ansi-dark", "ansi-light": "ansi-light"}
DEFAULT_THEME = "textual-dark"
LOW_COLOUR_THEME = "ansi-dark"


def choose_theme(theme: str | None, available: set[str], environ: Mapping[str, str]) -> str:
    """The theme to start with.

    An explicit, known theme wins; otherwise NO_COLOR (https://no-color.org)
    selects the 16-colour ANSI theme (Textual also strips colour itself when
    NO_COLOR is set). An unknown name falls back to the default, not a crash.
    """
    if theme:
        name = THEME_ALIASES.get(theme, theme)
        if name in available:
            return name
    if "NO_COLOR" in environ:
        return LOW_COLOUR_THEME
    return DEFAULT_THEME


def use_own_no_colour_filter(app: App) -> None:
    """Under NO_COLOR, put `ui.no_colour` where Textual put its own filter.

    Textual adds `Monochrome` (or `NoColor` under an ANSI theme) to its line
    filters when NO_COLOR is set; greys can quantise to black on black, so
    ours, which drops colour altogether, takes that place."""
    swap_line_filter(app, (Monochrome, NoColor), NO_COLOUR)


def _jump_provider() -> type:
    """The palette's pane/ID commands (Textual calls this when the palette opens)."""
    # Lazy for start-up: the palette's module and the finder load when the palette opens.
    from ctconsole.ui.screens.palette import JumpProvider

    return JumpProvider


class CtConsoleApp(ScreenShareMixin, WorkerSafetyNet, App):
    """ctconsole's terminal UI over one account (one profile's client)."""

    TITLE = "ctconsole"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        # Declared here (not left to Textual) so it has an id users can remap.
        Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False),
        Binding("J", "journal", "Journal of writes", id="journal.open", show=False),
        Binding("B", "batch", "Batch of writes", id="batch.open", show=False),
        SCREEN_SHARE_BINDING,
    ]

    COMMANDS = App.COMMANDS | {_jump_provider}
    CSS = NO_COLOUR_CSS

    def __init__(
        self,
        client: Client,
        *,
        profile_name: str = "demo",
        read_only: bool = False,
        offline: bool = False,
        keymap: Mapping[str, str] | None = None,
        theme: str | None = None,
        profile_color: str | None = None,
        screen_share: bool = False,
        clock: Callable[[], datetime] | None = None,
        local_tz: tzinfo | None = None,
        journal: object | None = None,
        scheduled_gc: bool = False,
        pending_secret: object | None = None,
        notices: Sequence[str] = (),
        find_concurrency: int = 8,
        case_note_personal: bool = False,
    ) -> None:
        """`clock` and `local_tz` exist so screenshots and tests can freeze
        "now" (both the wall clock and the judging one) and the local zone;
        normal runs leave them alone.
        `scheduled_gc`: the process is the console's own (`run_app`), so its
        garbage collector may be put on the console's schedule
        (`ui.process_tuning`); an app run inside tests leaves it alone.
        `pending_secret`: the profile's client secret is still to be had from
        its command (`screens.secret`); the client is offline until then.
        `notices`: warnings met before the console started (a config others
        can read), shown as notifications: the terminal's own copy on stderr
        is hidden while the console runs."""
        super().__init__()
        use_own_no_colour_filter(self)
        self.scheduled_gc = scheduled_gc
        #: The collector's schedule (`ui.process_tuning`), with `scheduled_gc`.
        self.gc_schedule: CollectionSchedule | None = None
        self.client = client
        self.profile_name = profile_name
        self.read_only = read_only
        self.offline = offline
        self.profile_color = profile_color
        #: Screen share (`ui.privacy`): personal data masked in every pane.
        self.screen_share = screen_share
        #: "Now" for how fresh fetched data is and for file names: the wall clock.
        self.clock = clock or utc_now
        #: "Now" for judging dates (a campaign's run, a write's guards, a
        #: verdict): `ctconsole.clock`, which `--demo` and `CTCONSOLE_NOW` pin.
        self.judging_clock = clock or ctclock.now
        self.local_tz = local_tz
        #: The write journal (`ctconsole.writes.Journal`); None: the default file.
        self.journal = journal
        #: Writes sent and not answered yet (`ui.writes.flow`): `q` asks first.
        self.writes_in_flight = 0
        self.pending_secret = pending_secret
        self.notices = tuple(notices)
        #: `[find] concurrency` and `[explain] include_personal_data`.
        self.find_concurrency = find_concurrency
        self.case_note_personal = case_note_personal
        self.sub_title = profile_name
        self.theme = choose_theme(theme, set(self.available_themes), os.environ)
        if keymap:
            self.set_keymap(dict(keymap))

    def get_line_filters(self):
        """Textual's filters, then `ui.terminal_guard` (nothing rendered may
        act on the terminal, whatever widget drew it)."""
        return [*super().get_line_filters(), CONTROL_GUARD]

    def on_mount(self) -> None:
        if self.pending_secret is not None:
            # Lazy: the secret screen loads only while a secret command runs.
            from ctconsole.ui.screens.secret import SecretScreen

            self.push_screen(SecretScreen(self.pending_secret, self.profile_name))
        else:
            self.push_screen(HomeScreen(self.client))
        for notice in self.notices:
            self.notify(plain(notice), title="Warning", severity="warning", timeout=30,
                        markup=False)
        if self.scheduled_gc:
            self.gc_schedule = CollectionSchedule(self.set_timer, self.set_interval)
            self.gc_schedule.start()

    def on_ready(self) -> None:
        """Repaint the whole screen once Textual's start-up is over.

        Textual holds a batch open around the app's own mount, and a frame
        laid out inside it is dropped, not deferred: home's first frame,
        which shows the cached subaccounts at once, would reach the
        terminal only when something else repainted the rows. This is the
        repaint Textual's own `delay_update` does when its batch ends."""
        for widget in self.screen.walk_children(with_self=True):
            widget.refresh()

    def go_online(self) -> None:
        """The client secret is in (`screens.secret`): open home, online."""
        self.offline = False
        self.switch_screen(HomeScreen(self.client))

    def go_offline(self, why: str) -> None:
        """No client secret (`screens.secret`): browse the cached data, offline."""
        self.offline = True
        #: Why the console is offline, for the refusal of a write.
        self.offline_reason = why
        self.switch_screen(HomeScreen(self.client))
        self.notify(plain(f"Offline: {why}. Showing cached data; writes are refused."),
                    title="Offline", severity="warning", timeout=15, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if self.gc_schedule is not None and isinstance(event, events.Key):
            self.gc_schedule.key_pressed()
        await super().on_event(event)

    async def action_quit(self) -> None:
        """Quit; while a write is in flight, ask first (`ui.writes.quit_dialog`)."""
        if not self.writes_in_flight:
            self.exit()
        elif not isinstance(self.screen, QuitWhileWriting):
            self.push_screen(QuitWhileWriting(), self._quit_chosen)

    def _quit_chosen(self, anyway: bool | None) -> None:
        if anyway:
            self.exit()

    def open_campaign(self, client: Client, campaign: str, crumbs: tuple[object, ...],
                      session: str | None = None) -> None:
        """Open a campaign's pane from a pane below it in the layers (a session);
        the cursor goes to `session`'s row once its page is in."""
        # Lazy for start-up: a pane's module loads when the pane is first opened.
        from ctconsole.ui.screens.campaign import CampaignScreen

        pane = CampaignScreen(client, campaign, crumbs)
        if session:
            pane.follow = (session, None)
        self.push_screen(pane)

    def action_help(self) -> None:
        """Toggle the key list of the pane on top (`screens.help`)."""
        # Lazy for start-up: the help pane loads when first asked for.
        from ctconsole.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_journal(self) -> None:
        """The journal of writes (`ui.screens.journal`)."""
        # Lazy for start-up: the journal pane (and the write engine) load when first opened.
        from ctconsole.ui.screens.journal import JournalScreen

        if not isinstance(self.screen, JournalScreen):
            self.push_screen(JournalScreen())

    def action_batch(self) -> None:
        """A batch: one action on a pasted or loaded list (`ui.batch`)."""
        # Lazy for start-up: the batch pane loads when first opened.
        from ctconsole.ui.batch.screen import BatchScreen

        why = why_no_writes(self)
        if why:
            self.notify(why, title="Batch", severity="warning", markup=False)
        elif not isinstance(self.screen, BatchScreen):
            self.push_screen(BatchScreen(self.client))

    async def on_unmount(self) -> None:
        if self.gc_schedule is not None:
            self.gc_schedule.stop()
        await self.client.aclose()


def use_mouse(configured: bool | None, environ: Mapping[str, str]) -> bool:
    """Whether to turn mouse reporting on.

    The config decides when it says; otherwise it is off over SSH: the
    terminal would report every motion (mode 1003) across the link, and a
    dropped connection leaves the local terminal in tracking mode, printing
    escape codes at each move. Nothing in the console needs a mouse."""
    if configured is not None:
        return configured
    return not any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))


def run_app(client: Client, *, mouse: bool | None = None, **options: object) -> int:
    """Run the UI in the terminal until the user quits; the exit status.

    `options` are `CtConsoleApp`'s keyword arguments (profile_name, read_only,
    offline, keymap, theme, profile_color, screen_share). The app closes the client.
    `mouse`: `[ui] mouse` (None: `use_mouse` decides from the environment).
    """
    # A paste holding ESC arrives whole and in order (`paste_guard`), and
    # Escape typed just before another key is not lost (`escape_keys`).
    escape_keys.install()
    app = CtConsoleApp(client, scheduled_gc=True, **options)  # type: ignore[arg-type]
    with latency_tuned():
        app.run(mouse=use_mouse(mouse, os.environ))
    return app.return_code or 0
