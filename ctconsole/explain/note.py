"""The case note: one Markdown text a support person pastes into the ticket.

Session, campaign, subaccount, state, the timeline in UTC, the verdict with
its evidence and fix, and the writes this machine made on the session. A
ticket is read by more people than the customer agreed to: personal data is
masked unless asked for (e-mail ``j…@example.com``, phone ``…456``, names
as initials). Every API value is made one safe line (`safetext.one_line`) and
Markdown-escaped, so a customer's text cannot add links or formatting to
the ticket; the whole note then goes through `safetext.export`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ctconsole import safetext

from .facts import Facts, SessionFacts
from .rules import Explanation, Finding, when

#: What can start formatting, a link or a table cell inside a line (the
#: values never start a line, so list and heading marks are inert).
_MD_SPECIAL = "\\`*[]<>|~#"


def md(value: object) -> str:
    """An untrusted value as inert Markdown text on one line."""
    text = safetext.one_line(value, 200)
    out = []
    for i, ch in enumerate(text):
        inside_word = ch == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() \
            and text[i + 1].isalnum()
        out.append("\\" + ch if ch in _MD_SPECIAL or (ch == "_" and not inside_word) else ch)
    return "".join(out)


def code(value: object) -> str:
    """An untrusted value as a Markdown code span (backticks cannot close it)."""
    return "`" + safetext.one_line(value, 200).replace("`", "'") + "`"


def mask_email(email: str) -> str:
    local, at, domain = email.strip().rpartition("@")
    if not at or not local:
        return "…" if email else ""
    return f"{local[:1]}…@{domain}"


def mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"…{digits[-3:]}" if digits else ""


def mask_name(name: str) -> str:
    return " ".join(f"{word[0].upper()}." for word in name.split() if word[:1].isalnum())


def render(explanation: Explanation, *, personal: bool = False,
           generated: datetime | None = None) -> str:
    """The case note in Markdown (safe to copy, save and paste)."""
    facts: Facts = explanation.facts  # type: ignore[assignment]
    if not personal and facts.asked:
        facts, explanation = _masked_question(facts, explanation)
    verdict = explanation.verdict
    s = facts.session
    lines = [f"# Case: {_subject(facts)} — {md(verdict.verdict)}", ""]
    lines += ["| | |", "|---|---|"]
    for label, value in _rows(facts, personal):
        lines.append(f"| {label} | {value} |")
    lines += ["", "## Verdict", "", f"**{md(verdict.verdict)}**", ""]
    lines += [f"- {md(e)}" for e in verdict.evidence]
    lines += ["", _fix_line(verdict)]
    for other in explanation.findings[1:]:
        lines += ["", f"Also: **{md(other.verdict)}**"] + [f"- {md(e)}" for e in other.evidence]
    if explanation.checked and explanation.findings:
        lines += ["", "Checked and fine: " + ", ".join(md(c) for c in explanation.checked) + "."]
    if s is not None:
        lines += ["", "## Timeline (UTC)", ""] + [f"- {t}" for t in timeline(s)]
    lines += ["", "## Writes from this machine", ""]
    lines += [f"- {md(when(w.time))} {md(w.operation)} "
              f"{md(_params(w.params))} → {md(w.outcome)}"
              + (f" by {md(w.user)}" if w.user else "")
              + (f" ({md(w.reason)})" if w.reason else "") + f" \\[{md(w.entry)}\\]"
              for w in facts.writes] or ["- none"]
    footer = "Personal data included." if personal else (
        "Personal data masked (`[explain] include_personal_data = true` includes it).")
    stamp = f"Written {when(generated)} by ctconsole. " if generated else ""
    lines += ["", f"_{stamp}{footer}_", ""]
    return safetext.export("\n".join(lines))


def mask_asked(asked: str) -> str:
    """What the support person pasted, masked when it is an e-mail or a phone."""
    if "@" in asked:
        return mask_email(asked)
    digits = sum(ch.isdigit() for ch in asked)
    if digits >= 7 and all(ch.isdigit() or ch in "+ ()-./" for ch in asked):
        return mask_phone(asked)
    return asked


def _masked_question(facts: Facts, explanation: Explanation) -> tuple[Facts, Explanation]:
    """The pasted e-mail or phone masked wherever the note repeats it."""
    asked, masked = facts.asked, mask_asked(facts.asked)
    if masked == asked:
        return facts, explanation

    def scrub(finding: Finding) -> Finding:
        return replace(finding, evidence=tuple(e.replace(asked, masked) for e in finding.evidence))

    hidden = replace(facts, asked=masked)
    return hidden, replace(explanation, findings=tuple(scrub(f) for f in explanation.findings),
                           facts=hidden)


def _subject(facts: Facts) -> str:
    if facts.session is not None:
        return f"session {md(facts.session.short)}"
    if facts.loyalty is not None:
        return f"loyalty user {md(facts.loyalty.user)}"
    return md(facts.asked) or "unknown"


def _rows(facts: Facts, personal: bool) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    s, c = facts.session, facts.campaign or facts.link_campaign
    rows.append(("Asked about", md(facts.asked)))
    if s is not None:
        rows.append(("Session", code(s.code)))
        if s.session_url:
            rows.append(("Link", md(s.session_url)))
    if c is not None:
        run = f"{when(c.start) if c.start else '…'} to {when(c.end) if c.end else '…'}"
        kind = ", single-use" if c.single_use else ""
        rows.append(("Campaign", f"{md(c.name or c.id)} ({md(c.id)}), {md(c.status)}{kind}, "
                                 f"runs {run}"))
    if facts.owner is not None:
        rows.append(("Account", md(facts.owner.label)))
    if facts.named is not None:
        rows.append(("Customer named", md(facts.named.label)))
    if s is not None:
        rows.append(("State", state_words(s)))
        who = _person(s.name, s.email, s.phone, personal)
        if who:
            rows.append(("Customer", who))
    u = facts.loyalty
    if u is not None:
        rows.append(("Loyalty card", f"{md(u.card_name or u.card)} ({md(u.card)}), user {md(u.user)}"))
        need = f" of {u.stamps_required}" if u.stamps_required else ""
        balance = f"{u.points} points" if u.type == "points" else f"{u.stamps}{need} stamps"
        rows.append(("State", md(balance + (", voided" if u.voided else ""))))
        who = _person(u.name, u.email, u.phone, personal)
        if who:
            rows.append(("Customer", who))
    if facts.searched:
        rows.append(("Searched", md(facts.searched)))
    return rows


def _person(name: str, email: str, phone: str, personal: bool) -> str:
    if not personal:
        name, email, phone = mask_name(name), mask_email(email), mask_phone(phone)
    return " · ".join(md(p) for p in (name, email, phone) if p)


def state_words(s: SessionFacts) -> str:
    words = [w for w, on in (("opened", s.opened), ("claimed", s.claimed),
                             ("validated", s.validated), ("voided", s.voided),
                             ("locked", s.locked)) if on]
    return ", ".join(words) or "created only"


def timeline(s: SessionFacts) -> list[str]:
    steps = [(s.created, "created"), (s.claim_date, f"claimed{f' by {s.claimtype}' if s.claimtype else ''}"),
             (s.validation_date, "validated" + (f" (value {s.validation_value})"
                                                if s.validation_value else "")),
             (s.voided_date, "voided")]
    return [f"{when(t)} {md(what)}" for t, what in sorted(
        ((t, w) for t, w in steps if t is not None), key=lambda p: p[0])]


def _fix_line(verdict: Finding) -> str:
    if verdict.fix is not None:
        fix = verdict.fix
        caution = f" ({md(fix.caution)})" if fix.caution else ""
        return f"Fix: {md(fix.title)} — {code(fix.operation + ' ' + _params(fix.params))}{caution}"
    if verdict.tell:
        return f"The merchant's fix: tell them {md(verdict.tell)}"
    return "No fix needed."


def _params(params: dict) -> str:
    return " ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                    for k, v in params.items())
