"""The write flow: form → preview → apply → result, for any write of the catalogue.

Why one flow for every write: the promise to a support person is that no
write happens by accident, whichever pane it starts from. So every write key
of every pane calls `start_write`, and the same screens validate (as you
type, against the catalogue), show what will change and what will be sent
(`WritePlan`), ask for an explicit confirmation, send once through
`ctconsole.writes.apply_write` (journaled before and after) and show what
the API now holds. Undo (`start_undo`) enters the same flow at the preview.

`WriteFlow` is the controller the screens share: it knows the pane that
asked (refreshed after a write), the client whose credentials are used, the
subaccount they belong to, the journal and the write context. It never
retries anything by itself.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

from textual.app import App
from textual.screen import Screen

from ctconsole.ui.text import plain
from ctconsole.ui.timefmt import clock_of

from .changes import announce, changed_objects
from .quit_dialog import write_answered

if TYPE_CHECKING:
    from ctconsole.writes import Journal, JournalEntry, WriteContext, WriteOutcome, WritePlan

#: Extra (label, value) rows for the result screen, e.g. a login URL to copy.
ResultRows = Callable[["WriteOutcome"], Iterable[tuple[str, object]]]
#: Pane-specific problems with the form's values (field → message), shown
#: and enforced like the catalogue's (e.g. "Remove stamps" given a positive number).
FormCheck = Callable[[Mapping[str, object]], Mapping[str, str]]


def app_of(node: App | Screen) -> App:
    return node if isinstance(node, App) else node.app


def why_no_writes(app: App) -> str | None:
    """Why no write may start in this app at all (read-only, offline), or None."""
    if getattr(app, "read_only", False):
        return read_only_reason(app)
    if getattr(app, "offline", False):
        why = getattr(app, "offline_reason", None) or "--offline"
        return f"the console is offline ({why}): writes are disabled, nothing was sent"
    return None


def read_only_reason(app: App) -> str:
    profile = getattr(app, "profile_name", "")
    return (f"profile {profile!r} is read-only (--read-only or read_only = true in its "
            "config): every write is disabled, nothing was sent")


def journal_of(app: App) -> Journal:
    """The app's journal (`CtConsoleApp(journal=…)`), else the default file."""
    journal = getattr(app, "journal", None)
    if journal is None:
        # Lazy for start-up: the write engine and its screens load on the first write.
        from ctconsole.writes import Journal

        journal = Journal()
        try:
            app.journal = journal  # type: ignore[attr-defined]
        except AttributeError:  # pragma: no cover - an app without the attribute
            pass
    return journal


def context_of(app: App, subaccount: str | None) -> WriteContext:
    """Who writes, as which profile, with which switches, for `subaccount`."""
    # Lazy for start-up: the write engine and its screens load on the first write.
    from ctconsole.writes import WriteContext

    preset = getattr(app, "write_context", None)
    if preset is None:
        read_only = bool(getattr(app, "read_only", False))
        preset = WriteContext(profile=str(getattr(app, "profile_name", "") or "default"),
                              read_only=read_only,
                              read_only_reason=read_only_reason(app) if read_only else None,
                              offline=bool(getattr(app, "offline", False)))
    return preset.for_subaccount(subaccount)


def subaccount_of(app: App, client: Any) -> str | None:
    """The subaccount whose credentials `client` carries (None: the main account).

    Panes under a subaccount hold the client its pane made with
    `for_subaccount`; that pane (`SubaccountScreen`) is still on the stack
    and knows the subaccount's ID. A pane opened by a find everywhere knows
    its account itself (`account`).
    """
    if client is None or client is getattr(app, "client", None):
        return None
    for screen in app.screen_stack:
        if getattr(screen, "client", None) is client and getattr(screen, "main_client", None) \
                is not None and getattr(screen, "sub_id", None):
            return str(screen.sub_id)
        account = getattr(screen, "account", None)
        if getattr(screen, "client", None) is client and account is not None \
                and account.id != "main":
            return str(account.id)
    return None


def writes_in_flight(app: App) -> int:
    """How many writes of this app were sent and have no answer yet."""
    return int(getattr(app, "writes_in_flight", 0))


@contextmanager
def sending(app: App) -> Iterator[None]:
    """Around every write the app sends: counted while out, so quitting asks
    first (`quit_dialog`); the question closes when the last answer is in."""
    setattr(app, "writes_in_flight", writes_in_flight(app) + 1)
    try:
        yield
    finally:
        setattr(app, "writes_in_flight", writes_in_flight(app) - 1)
        write_answered(app, writes_in_flight(app))


def refresh_pane(screen: Screen | None) -> None:
    """Fetch the pane again, past the cache (after a write that was sent)."""
    if screen is None or not screen.is_attached:
        return
    action = getattr(screen, "action_refresh", None)
    if callable(action):
        action()


@dataclass
class WriteFlow:
    """One write being prepared: what the form, preview and result share."""

    app: App
    operation: str
    client: Any
    #: The pane to refresh after the write (None: nothing to refresh).
    host: Screen | None = None
    params: dict[str, object] = field(default_factory=dict)
    #: Parameters shown but not editable (the object the pane is about).
    fixed: frozenset[str] = frozenset()
    before: Mapping[str, Any] | None = None
    subaccount: str | None = None
    #: What the user is doing, in words ("Validate session AbC123").
    title: str = ""
    reason: str = ""
    #: The people a push to all reaches, when the caller knows better.
    reach: int | None = None
    result_rows: ResultRows | None = None
    #: False for an undo: there is no form to go back to.
    has_form: bool = True
    #: The field the form starts in (default: reason for quick actions, else the first).
    focus: str | None = None
    check: FormCheck | None = None
    #: The result screen class (default `result.ResultScreen`); a subclass can
    #: add keys, e.g. copying a login URL or exporting created codes.
    result_screen: type[Screen] | None = None
    #: Every outcome of this flow, oldest first (the user may retry).
    outcomes: list["WriteOutcome"] = field(default_factory=list)

    @property
    def journal(self) -> Journal:
        return journal_of(self.app)

    @property
    def context(self) -> WriteContext:
        return context_of(self.app, self.subaccount)

    @property
    def heading(self) -> str:
        return self.title or self.operation

    async def plan(self, params: Mapping[str, object], reason: str = "") -> WritePlan:
        """Plan the write with the form's values (reads the state; sends no write).

        Raises `InvalidParams` or another `CtError` (the read failed)."""
        # Lazy for start-up: the write engine and its screens load on the first write.
        from ctconsole.writes import plan_write

        self.params = dict(params)
        self.reason = reason
        return await plan_write(self.client, self.operation, params, before=self.before,
                                reason=reason.strip() or None, subaccount=self.subaccount,
                                reach=self.reach, now=clock_of(self.app))

    async def apply(self, plan: WritePlan, confirm: str | None = None) -> WriteOutcome:
        """Send the planned write once, journaled. Never raises a `CtError`."""
        # Lazy for start-up: the write engine and its screens load on the first write.
        from ctconsole.writes import apply_write

        with sending(self.app):
            outcome = await apply_write(self.client, plan, journal=self.journal,
                                        context=self.context, confirm=confirm)
        self.outcomes.append(outcome)
        if outcome.sent and outcome.status != "failed":
            refresh_pane(self.host)
            # The same object may be on other panes too (behind the journal,
            # in a list): each of those fetches it again.
            announce(self.app, changed_objects(plan.operation, plan.params), done=self.host)
        return outcome


def start_write(node: App | Screen, operation: str, *, params: Mapping[str, object] | None = None,
                before: Mapping[str, Any] | None = None, subaccount: str | None | type = ...,
                client: Any = None, fixed: Iterable[str] | None = None, title: str = "",
                reach: int | None = None, result_rows: ResultRows | None = None,
                focus: str | None = None, check: FormCheck | None = None,
                result_screen: type[Screen] | None = None,
                ) -> WriteFlow | None:
    """Open the form of `operation`, prefilled with `params`.

    `node`: the pane the write starts from (refreshed after it; or the app).
    `before`: the object's state if the pane has it fresh (else it is read
    while planning). `client`: the pane's client (default: the app's);
    `subaccount`: whose credentials that client carries (default: found from
    the panes on the stack). `fixed`: parameters shown but not editable
    (default: the prefilled ones naming the object, per `writes.SPECS`).
    `focus`: the field the form starts in; `check`: extra problems with the
    form's values (blocking the preview like the catalogue's);
    `result_screen`: a `ResultScreen` subclass for the outcome.
    Refused with a notification, sending nothing, when the app is read-only
    or offline; returns the flow otherwise.
    """
    app = app_of(node)
    reason = why_no_writes(app)
    if reason is not None:
        refuse(app, reason)
        return None
    # Lazy for start-up: the write engine and its screens load on the first write.
    from ctconsole.ui.writes.form import WriteForm
    from ctconsole.writes import SPECS

    client = client if client is not None else getattr(app, "client")
    sub = subaccount_of(app, client) if subaccount is ... else subaccount
    given = dict(params or {})
    if fixed is None:
        spec = SPECS.get(operation)
        names = (spec.id_param, *spec.scope) if spec is not None else ()
        fixed = [n for n in names if n and given.get(n) not in (None, "", [])]
    flow = WriteFlow(app, operation, client, node if isinstance(node, Screen) else None,
                     given, frozenset(fixed), before, sub, title, reach=reach,  # type: ignore[arg-type]
                     result_rows=result_rows, focus=focus, check=check,
                     result_screen=result_screen)
    app.push_screen(WriteForm(flow))
    return flow


def start_undo(node: App | Screen, entry: JournalEntry, *, client: Any = None,
               host: Screen | None = None) -> WriteFlow | None:
    """Offer the undo of a journal entry through the same preview and
    confirmation (no form: the inverse is fixed). Says why not, instead,
    when the entry has no inverse."""
    # Lazy for start-up: the write engine and its screens load on the first write.
    from ctconsole.writes import inverse_of, reason_no_inverse

    app = app_of(node)
    inverse = inverse_of(entry)
    if inverse is None:
        refuse(app, f"Cannot undo {entry.operation}: {reason_no_inverse(entry)}",
               title="No undo")
        return None
    reason = why_no_writes(app)
    if reason is not None:
        refuse(app, reason)
        return None
    # Lazy for start-up: the write engine and its screens load on the first write.
    from ctconsole.ui.writes.preview import PreviewScreen

    flow = WriteFlow(app, inverse.operation, client if client is not None else getattr(app, "client"),
                     host, dict(inverse.params), frozenset(inverse.params), None, entry.subaccount,
                     f"Undo {entry.operation} ({entry.id})", has_form=False)
    app.push_screen(PreviewScreen(flow, None, undo_of=entry))
    return flow


def refuse(app: App, message: str, *, title: str = "Write refused") -> None:
    """Say why nothing was sent (a warning that stays long enough to read)."""
    app.notify(plain(message), title=title, severity="warning", markup=False, timeout=8)
