"""Applying a planned write: refuse, journal, send once, journal, read again.

The order is the point. Nothing is sent while a reason stands against the
write (read-only, a guard's refusal, a mass write not confirmed by typing).
The journal's `begin` record is on the disk before the request leaves, so a
crash mid-flight leaves a trace that reads "outcome unknown". The request is
sent exactly once (the client never retries writes, and neither does this),
the answer is journaled (the client marks the cache entries the write
affects stale, per the catalogue's `invalidates`), and the object is read
again from the API, past any cached copy, so the user sees what the
API now holds rather than what we hoped.

A failure is returned, not raised: the plan is untouched, so the form stays
filled and the user can retry (by calling `apply_write` again, on purpose).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ctconsole.api.errors import (OUTCOME_UNKNOWN, CtError, OfflineError, ServerError,
                                  TransportError, UnexpectedPayload)

from . import objects
from .context import WriteContext
from .journal import Journal, error_record
from .plan import PER_OBJECT_READ_LIMIT, WritePlan
from .reasons import ConfirmationMismatch, ReadOnly, Reason, Refusal
from ctconsole.redaction import redact, redact_answer


#: What the client adds to a transport error when the request never left
#: (`ctconsole.api.client.Client._transport_error`): the one case where a
#: write without an answer is known not to have been applied.
NOTHING_SENT = "Nothing was sent"


@dataclass
class WriteOutcome:
    """What happened to a write. `status`: "ok", "failed" (not applied),
    "unknown" (may or may not have been applied) or "refused" (not sent)."""

    status: str
    plan: WritePlan
    entry_id: str | None = None
    #: The client's `Result` (for ok): the UI shows SSO/reset URLs from it.
    result: Any = None
    error: CtError | None = None
    refused: list[Reason] = field(default_factory=list)
    #: The object as the API has it now (read again after an ok write).
    state: Any = None
    refetch_error: CtError | None = None
    #: One sentence on what the status means for the user.
    note: str = ""
    #: Why the journal lacks this write's outcome (the disk filled up after
    #: sending), or "": the journal then reads "outcome unknown".
    journal_problem: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def sent(self) -> bool:
        return self.status != "refused"


def classify(err: CtError) -> tuple[str, str]:
    """(journal outcome, note) for a write that raised `err`. Every unknown
    outcome has the one note `OUTCOME_UNKNOWN`, whatever its cause (the
    cause is in the journaled error)."""
    if err.outcome_unknown:
        return "unknown", OUTCOME_UNKNOWN
    if isinstance(err, OfflineError):
        return "failed", "nothing was sent (offline); the write was not applied"
    if isinstance(err, TransportError):
        if NOTHING_SENT in err.message:
            return "failed", "nothing was sent; the write was not applied"
        return "unknown", OUTCOME_UNKNOWN
    if isinstance(err, (ServerError, UnexpectedPayload)):
        return "unknown", OUTCOME_UNKNOWN
    return "failed", "the API refused the write; nothing was changed"


def context_refusals(context: WriteContext) -> list[Reason]:
    """The reasons no write at all may be sent in `context` (read-only,
    offline): known before any planning, so a caller can refuse before
    reading anything or resolving a secret."""
    reasons: list[Reason] = []
    if context.read_only:
        reasons.append(ReadOnly("read_only", context.read_only_reason
                                or f"profile {context.profile!r} is read-only; writes are disabled"))
    if context.offline:
        reasons.append(Refusal("offline", "--offline is set: writes are disabled"))
    return reasons


def check_allowed(plan: WritePlan, context: WriteContext, confirm: str | None) -> list[Reason]:
    """Every reason the write must not be sent now (empty: go ahead)."""
    reasons = context_refusals(context)
    if context.subaccount != plan.subaccount:
        reasons.append(Refusal("credentials_changed", (
            f"the write was planned with the {plan.credentials}'s credentials but would be sent "
            f"with {'the main account' if context.subaccount is None else context.subaccount}'s; "
            "plan it again")))
    reasons.extend(plan.refusals)
    if plan.confirmation is not None and (confirm or "").strip() != plan.confirmation:
        reasons.append(ConfirmationMismatch("confirmation", (
            f"this write reaches {plan.reach_note or 'many people'}; type {plan.confirmation!r} "
            "exactly to confirm" + ("" if not confirm else f" (got {confirm.strip()[:40]!r})"))))
    return reasons


async def _read_again(client: Any, plan: WritePlan, raw: dict) -> Any:
    spec = plan.spec
    if spec.created is not None:
        return await spec.created(client, plan.params, raw)
    if spec.read is not None and spec.changes_state:
        return await spec.read(client, plan.params)
    if spec.per_object:
        codes = list(plan.params["couponsessions"])  # type: ignore[call-overload]
        if len(codes) <= PER_OBJECT_READ_LIMIT:
            states = await asyncio.gather(*(objects.read_session(client, c) for c in codes))
            return dict(zip(codes, states))
    return None


async def apply_write(client: Any, plan: WritePlan, *, journal: Journal, context: WriteContext,
                      confirm: str | None = None) -> WriteOutcome:
    """Send `plan` once, if nothing stands against it, journaling around it.

    `confirm`: the text the user typed, needed when `plan.confirmation` is set
    (a plain confirmation is the call itself). Never raises a `CtError`:
    refusals and failures come back in the outcome. An unwritable journal is
    a refusal too: nothing is sent unjournaled. Cancellation in flight is
    journaled as outcome unknown and re-raised.
    """
    refused = check_allowed(plan, context, confirm)
    if refused:
        return WriteOutcome("refused", plan, refused=refused,
                            note="nothing was sent: " + "; ".join(r.message for r in refused))
    try:
        entry_id = journal.begin(plan, context)
    except OSError as exc:
        reason = Refusal("journal", f"the journal {journal.path} could not be written "
                                    f"({exc.strerror or type(exc).__name__}); nothing was sent")
        return WriteOutcome("refused", plan, refused=[reason], note=reason.message)
    try:
        result = await client.call(plan.operation, **plan.params)
    except CtError as err:
        status, note = classify(err)
        outcome = WriteOutcome(status, plan, entry_id, error=err, note=note)
        outcome.journal_problem = _journaled(journal.finish, entry_id, status,
                                             error=error_record(err), note=note)
        return outcome
    except BaseException as exc:  # cancelled in flight, or a bug: the outcome is unknown
        _journaled(journal.finish, entry_id, "unknown", error=error_record(exc),
                   note="interrupted while the request was in flight")
        raise
    outcome = WriteOutcome("ok", plan, entry_id, result=result, note="applied")
    outcome.journal_problem = _journaled(journal.finish, entry_id, "ok",
                                         result=redact_answer(plan.op, result.raw))
    try:
        outcome.state = await _read_again(client, plan, result.raw)
    except CtError as err:
        outcome.refetch_error = err
        outcome.note = f"applied; reading it again failed ({err.title})"
        return outcome
    if outcome.state is not None:
        _journaled(journal.record_state, entry_id, redact(plan.op, outcome.state))
    return outcome


def _journaled(record: Any, *args: Any, **kwargs: Any) -> str:
    """Append a record after the write was sent: "" when done, else why not.
    The write has happened either way, so a full disk must not hide its
    outcome from the user (the journal keeps the `begin`: "outcome unknown")."""
    try:
        record(*args, **kwargs)
    except OSError as exc:
        return (f"the outcome could not be journaled ({exc.strerror or exc}); the journal "
                "reads 'outcome unknown' for it")
    return ""
