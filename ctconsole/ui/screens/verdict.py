"""The session pane's verdict: why this customer cannot redeem, and the fix key.

The verdict comes from `ctconsole.explain.rules` (pure, no UI); this module
reads what the rules need - the session on screen, its campaign (a cached
read like any other) and this machine's journal (`work_out`) - and says the
first finding with its evidence (`verdict_content`, shown at the top of the
session pane). `F` opens the finding's fix in the existing write flow (form,
preview, journal: never sent from here) as a row of the pane's write-key
table whose operation is the fix's (`fix_operation`, `fix_guard`,
`fix_prefill`); a merchant's fix is said in words instead. `n` copies the case
note (OSC 52) and saves it as a Markdown file under the data directory (mode
0600).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Awaitable, Callable

from textual.content import Content

from ctconsole import clock as ctclock
from ctconsole import safetext
from ctconsole.api.errors import CtError
from ctconsole.explain.facts import Account, Facts
from ctconsole.explain.gather import campaign_facts, journal_facts, session_facts
from ctconsole.explain.note import render
from ctconsole.explain.rules import Explanation, explain
from ctconsole.paths import data_dir, ensure_private_dir
from ctconsole.ui.export import write_private
from ctconsole.ui.text import content, plain
from ctconsole.ui.timefmt import clock_of
from ctconsole.ui.writes.flow import journal_of
from ctconsole.ui.writes.keys import Prefill


def verdict_content(explanation: Explanation, *, writable: bool = True) -> Content:
    """The verdict block: headline, evidence, then the fix key or the merchant's words."""
    v = explanation.verdict
    ok = explanation.ok
    mark, style = ("✔ ", "bold $text-success") if ok else ("✖ ", "bold $text-error")
    lines = [Content.assemble((mark, style), content(v.verdict, style))]
    evidence = v.evidence if not ok else (
        ("checked: " + ", ".join(explanation.checked),) if explanation.checked else ())
    if evidence:
        lines.append(Content.assemble("  ", content(" · ".join(evidence))))
    note = Content.assemble("   ", ("n", "bold reverse"), " case note")
    if v.fix is not None:
        caution = f" — {v.fix.caution}" if v.fix.caution else ""
        key = ("F", "bold reverse") if writable else ("F", "dim")
        lines.append(Content.assemble("  ", key, " ", content(v.fix.title),
                                      content(caution, "dim"), note))
    elif v.tell:
        said = "Next: " if ok else "Tell the merchant: "
        lines.append(Content.assemble("  ", (said, "bold"), content(v.tell), note))
    else:
        lines.append(Content.assemble(" ", note))
    return Content("\n").join(lines)


def fix_operation(pane: Any) -> str:
    """The write the verdict's fix is (a write key's operation, read when `F`
    is pressed: the guard has made sure there is a fix)."""
    return pane.explanation.verdict.fix.operation


def fix_guard(pane: Any) -> str | None:
    """Why `F` cannot open a fix now (a write key's guard), or None."""
    if pane.explanation is None:
        return "The verdict is still being worked out."
    v = pane.explanation.verdict
    if v.fix is None:
        return f"No fix from here: {v.tell}" if v.tell else "Nothing to fix."
    return None


def fix_prefill(pane: Any) -> Any:
    """The verdict's fix as the write form's prefill (a write key's prefill)."""
    fix = pane.explanation.verdict.fix
    return Prefill(dict(fix.params), plain(fix.title))


async def work_out(info: Any, app: Any, *, read_campaign: Callable[[str], Awaitable[Any]],
                   owner: Account | None, named: Account | None) -> tuple[Explanation, Any]:
    """The verdict on the session `info` (a `SessionInfo`), and its campaign
    (`CampaignDetail`, None when it could not be read: the verdict then goes
    without it). `read_campaign` answers `campaign.info` (the pane may have it
    on the way); `owner` is the account the session lives in, `named` the one
    the customer named, when known."""
    campaign = None
    try:
        camp = (await read_campaign(info.campaign)).data.campaign
        campaign = campaign_facts(camp)
    except CtError:
        camp = None
    session = session_facts(info)
    facts = Facts(now_of(app), asked=session.code, session=session, campaign=campaign,
                  owner=owner, named=named,
                  writes=journal_facts(journal_or_none(app), session.code))
    return explain(facts), camp


def now_of(app: Any) -> datetime:
    """The moment the verdict judges dates against: the app's clock, else `ctconsole.clock`."""
    return clock_of(app) or ctclock.now()


def owner_of(pane: Any) -> Account | None:
    """The account whose client `pane` uses: a subaccount pane below it, else main."""
    for screen in reversed(pane.app.screen_stack):
        sub = getattr(screen, "sub_id", None)
        if sub and getattr(screen, "client", None) is pane.client:
            model = getattr(screen, "sub", None)
            return Account(sub, str(getattr(model, "display_name", "") or ""))
    return None if pane.client is not getattr(pane.app, "client", None) else Account("main")


def case_note(app: Any, explanation: Explanation | None) -> None:
    """`n`: the case note copied (OSC 52) and saved as Markdown (0600), or why not now."""
    if explanation is None:
        app.notify("The verdict is still being worked out.", markup=False)
        return
    personal = bool(getattr(app, "case_note_personal", False))
    now = now_of(app)
    note = render(explanation, personal=personal, generated=now)
    app.copy_to_clipboard(safetext.clipboard(note))
    try:
        path = save_note(note, explanation, now)
    except OSError as err:
        app.notify(plain(f"Copied; not saved: {err.strerror or err}"),
                   severity="warning", markup=False)
        return
    app.notify(plain(f"Case note copied and saved to {path}"), title="Case note",
               markup=False, timeout=8)


def save_note(note: str, explanation: Explanation, now: datetime) -> str:
    """Write the note under the data directory's `cases/` (0600); its path."""
    facts = explanation.facts
    code = (facts.session.short if facts and facts.session
            else facts.loyalty.user if facts and facts.loyalty else "case")
    folder = ensure_private_dir(data_dir() / "cases")
    name = f"case-{plain(code)}-{now.strftime('%Y%m%d-%H%M%S')}.md"
    return str(write_private(folder / name, note.encode("utf-8")))


def journal_or_none(app: Any) -> Any:
    """The app's journal, or None: a journal that cannot be opened leaves the verdict without it."""
    try:
        return journal_of(app)
    except Exception:
        return None


def writes_off(app: Any) -> bool:
    return bool(getattr(app, "read_only", False) or getattr(app, "offline", False))
