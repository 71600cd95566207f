"""``ctconsole explain CODE|LINK [--json] [--note]``: why a customer cannot redeem.

The session is looked for in the main account, then in every subaccount
(``--here`` keeps to the profile's own account); its campaign and this
machine's journal complete the facts, and `ctconsole.explain.rules` gives the
verdict with its evidence and the fix: a write to make with ``ctconsole
call`` (or the console's fix key, which previews it), or the merchant's, in
words. ``--note`` prints the case note in Markdown for the ticket (personal
data masked unless ``--personal`` or ``[explain] include_personal_data``).

Exit codes: 0 the session was found and explained, 1 no such session (the
verdict says where it was looked for), 2 usage, 3 network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from ctconsole import clock, safetext
from ctconsole.api.finder import classify
from ctconsole.commands import Command
from ctconsole.explain.gather import investigate
from ctconsole.explain.note import render
from ctconsole.writes.journal import Journal


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", metavar="CODE|LINK",
                        help="session code or link (an e-mail, phone, custom code or a loyalty "
                             "card user's lus_ ID works too)")
    parser.add_argument("--json", action="store_true", help="the verdict as one JSON document")
    parser.add_argument("--note", action="store_true", help="the case note in Markdown")
    parser.add_argument("--subaccount", metavar="SUB_ID",
                        help="the subaccount the customer named (checked against the owner)")
    parser.add_argument("--here", action="store_true",
                        help="look in the profile's own account only, not in every subaccount")
    parser.add_argument("--personal", action="store_true",
                        help="include e-mail, phone and names in the note (masked by default)")


def explanation_document(case: Any) -> dict[str, Any]:
    """The verdict and everything behind it, JSON-ready."""
    ex = case.explanation
    facts = ex.facts

    def finding(f: Any) -> dict[str, Any]:
        fix = None if f.fix is None else {"operation": f.fix.operation, "params": f.fix.params,
                                          "title": f.fix.title, "caution": f.fix.caution}
        return {"rule": f.rule, "verdict": f.verdict, "evidence": list(f.evidence), "fix": fix,
                "tell": f.tell}

    session = facts.session
    campaign = facts.campaign or facts.link_campaign
    return {
        "asked": facts.asked, "verdict": finding(ex.verdict),
        "findings": [finding(f) for f in ex.findings], "checked": list(ex.checked),
        "session": session.code if session else None,
        "loyalty_user": facts.loyalty.user if facts.loyalty else None,
        "campaign": campaign.id if campaign else None,
        "account": facts.owner.id if facts.owner else None,
        "account_name": facts.owner.name if facts.owner else None,
        "searched": facts.searched,
        "journal": [w.entry for w in facts.writes],
        "failures": [{"account": a, "error": e} for a, e in case.failures],
    }


def text_report(case: Any) -> str:
    ex = case.explanation
    v, facts = ex.verdict, ex.facts
    lines = [v.verdict]
    if facts.session is not None:
        owner = facts.owner.label if facts.owner else "?"
        lines.append(f"session {facts.session.code} · campaign {facts.session.campaign} · {owner}")
    if facts.loyalty is not None:
        owner = facts.owner.label if facts.owner else "?"
        lines.append(f"loyalty card user {facts.loyalty.user} · card {facts.loyalty.card} · {owner}")
    lines += [f"- {e}" for e in v.evidence]
    if v.fix is not None:
        params = " ".join(f"{k}={str(x).lower() if isinstance(x, bool) else x}"
                          for k, x in v.fix.params.items())
        caution = f" ({v.fix.caution})" if v.fix.caution else ""
        where = "" if facts.owner is None or facts.owner.id == "main" else (
            f" with {facts.owner.label}'s credentials (the console's fix key uses them)")
        lines.append(f"Fix: {v.fix.title}{caution}: {v.fix.operation} {params}{where}")
    elif v.tell:
        lines.append(f"The merchant's fix: tell them: {v.tell}")
    for other in ex.findings[1:]:
        lines.append(f"Also: {other.verdict}")
    return "\n".join(("  " if line.startswith("- ") else "") + safetext.one_line(line, 400)
                     for line in lines)


def run(ctx: Any) -> int:
    args = ctx.args
    try:
        classify(args.text)
    except ValueError as exc:
        ctx.note(str(exc))
        return 2
    return asyncio.run(_run(ctx))


def _personal(ctx: Any) -> bool:
    if ctx.args.personal:
        return True
    return ctx.settings().case_note_personal


async def _run(ctx: Any) -> int:
    args = ctx.args
    client = ctx.client()
    try:
        case = await investigate(client, args.text, everywhere=not args.here,
                                 named=args.subaccount, journal=Journal())
    finally:
        await client.aclose()
        if client.cache is not None:
            client.cache.close()
    for account, error in case.failures:
        ctx.note(safetext.one_line(f"{account}: {error}"))
    if args.note:
        print(render(case.explanation, personal=_personal(ctx),
                     generated=clock.now()), file=ctx.out, end="")
    elif args.json:
        print(safetext.escape_json(json.dumps(explanation_document(case), ensure_ascii=False,
                                              indent=2)), file=ctx.out)
    else:
        print(text_report(case), file=ctx.out)
    return 1 if case.explanation.verdict.rule == "not_found" else 0


COMMAND = Command("explain", "why a session cannot be redeemed, and the fix (--note: the "
                  "case note)", run, add_arguments)
