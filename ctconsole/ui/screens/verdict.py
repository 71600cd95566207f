"""The session pane's verdict: why this customer cannot redeem, and the fix key.

The verdict comes from `ctconsole.explain.rules` (pure, no UI); this module
reads what the rules need - the session on screen, its campaign (a cached
read like any other) and this machine's journal - and shows the first
finding at the top of the pane with its evidence. `F` opens the finding's fix
in the existing write flow (form, preview, journal: never sent from here);
a merchant's fix is said in words instead. `n` copies the case note (OSC 52)
and saves it as a Markdown file under the data directory (mode 0600).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from ctconsole import safetext
from ctconsole.api.errors import CtError
from ctconsole.explain.facts import Account, Facts
from ctconsole.explain.gather import campaign_facts, journal_facts, session_facts
from ctconsole.explain.note import render
from ctconsole.explain.rules import Explanation, explain
from ctconsole.paths import data_dir, ensure_private_dir
from ctconsole.ui.export import write_private
from ctconsole.ui.text import content, plain
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


def fix_guard(pane: Any) -> str | None:
    """Why `F` cannot open a fix now (a write key's guard), or None."""
    if pane.explanation is None:
        return "The verdict is still being worked out."
    v = pane.explanation.verdict
    if v.fix is None:
        return f"No fix from here: {v.tell}" if v.tell else "Nothing to fix."
    if v.fix.operation != "session.update":
        return f"The fix is {v.fix.operation}: {v.fix.title}."
    return None


def fix_prefill(pane: Any) -> Any:
    """The verdict's fix as the write form's prefill (a write key's prefill)."""
    fix = pane.explanation.verdict.fix
    return Prefill(dict(fix.params), plain(fix.title))


class VerdictKeys:
    """Mixin for the session pane: the verdict block and `n` case note (`F`, the
    fix, is a row of the pane's write-key table: `fix_guard`, `fix_prefill`)."""

    VERDICT_BINDINGS = [
        Binding("n", "case_note", "Case note", show=False, id="session.note"),
    ]

    #: The account the session lives in, when the pane knows (find everywhere).
    account: Account | None = None
    #: The subaccount the customer named, when known.
    named_account: Account | None = None
    explanation: Explanation | None = None

    def compose_verdict(self):
        yield Static(id="verdict", markup=False)

    def explain_shown(self, result: Any) -> None:
        """Work out the verdict for the session just shown (campaign read in a worker)."""
        self.run_worker(self._explain(result), group="verdict", exclusive=True,  # type: ignore[attr-defined]
                        exit_on_error=False)

    async def _explain(self, result: Any) -> None:
        info = result.data
        campaign = None
        try:
            camp = await self.read_campaign(info.campaign)
            campaign = campaign_facts(camp.data.campaign)
        except CtError:
            camp = None
        # One read of the campaign serves the verdict and the pane's campaign line.
        self.campaign_read(camp.data.campaign if camp is not None else None)
        session = session_facts(info)
        clock = getattr(self.app, "clock", None)  # type: ignore[attr-defined]
        now = clock() if callable(clock) else datetime.now(timezone.utc)
        journal = _journal(self.app)  # type: ignore[attr-defined]
        facts = Facts(now, asked=session.code, session=session, campaign=campaign,
                      owner=self.account or self._owner(), named=self.named_account,
                      writes=journal_facts(journal, session.code))
        self.explanation = explain(facts)
        self.query_one("#verdict", Static).update(  # type: ignore[attr-defined]
            verdict_content(self.explanation, writable=not _writes_off(self.app)))  # type: ignore[attr-defined]
        self.add_class("-explained")  # type: ignore[attr-defined]

    async def read_campaign(self, campaign: str) -> Any:
        """`campaign.info` of the session's campaign (a pane may have it on the way)."""
        return await self.client.call("campaign.info", campaign=campaign)  # type: ignore[attr-defined]

    def campaign_read(self, campaign: Any) -> None:
        """The session's campaign (`CampaignDetail`, None when it could not be read)."""

    def _owner(self) -> Account | None:
        """The account whose client this pane uses: a subaccount pane below it, else main."""
        for screen in reversed(self.app.screen_stack):  # type: ignore[attr-defined]
            sub = getattr(screen, "sub_id", None)
            if sub and getattr(screen, "client", None) is getattr(self, "client", None):
                model = getattr(screen, "sub", None)
                return Account(sub, str(getattr(model, "display_name", "") or ""))
        return None if self.client is not getattr(self.app, "client", None) else Account("main")  # type: ignore[attr-defined]

    def action_case_note(self) -> None:
        if self.explanation is None:
            self.app.notify("The verdict is still being worked out.", markup=False)  # type: ignore[attr-defined]
            return
        personal = bool(getattr(self.app, "case_note_personal", False))  # type: ignore[attr-defined]
        clock = getattr(self.app, "clock", None)  # type: ignore[attr-defined]
        now = clock() if callable(clock) else datetime.now(timezone.utc)
        note = render(self.explanation, personal=personal, generated=now)
        self.app.copy_to_clipboard(safetext.clipboard(note))  # type: ignore[attr-defined]
        try:
            path = save_note(note, self.explanation, now)
        except OSError as err:
            self.app.notify(plain(f"Copied; not saved: {err.strerror or err}"),  # type: ignore[attr-defined]
                            severity="warning", markup=False)
            return
        self.app.notify(plain(f"Case note copied and saved to {path}"), title="Case note",  # type: ignore[attr-defined]
                        markup=False, timeout=8)


def save_note(note: str, explanation: Explanation, now: datetime) -> str:
    """Write the note under the data directory's `cases/` (0600); its path."""
    facts = explanation.facts
    code = (facts.session.short if facts and facts.session
            else facts.loyalty.user if facts and facts.loyalty else "case")
    folder = ensure_private_dir(data_dir() / "cases")
    name = f"case-{plain(code)}-{now.strftime('%Y%m%d-%H%M%S')}.md"
    return str(write_private(folder / name, note.encode("utf-8")))


def _journal(app: Any) -> Any:
    try:
        return journal_of(app)
    except Exception:  # a journal that cannot be opened leaves the verdict without it
        return None


def _writes_off(app: Any) -> bool:
    return bool(getattr(app, "read_only", False) or getattr(app, "offline", False))
