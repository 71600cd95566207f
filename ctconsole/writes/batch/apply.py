"""Applying a batch: its plan to the journal, then each operation once.

Nothing is sent while a reason stands against the batch: read-only, offline,
or the count not typed exactly. The batch's plan (its operations and the
objects of each) goes to the journal first; then every operation is
journaled under the batch ID before it is sent, and its answer after, like
any single write (`ctconsole.writes.apply`). Operations run with bounded
concurrency. Pausing stops new operations from starting; those in flight
finish and are journaled. A failed operation is reported with its reason and
never sent again by itself: retrying is a new plan the user previews.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from ctconsole.api.errors import CtError

from ..apply import classify
from ..context import WriteContext
from ..journal import Journal, error_record
from ..reasons import ConfirmationMismatch, ReadOnly, Reason, Refusal
from ctconsole.redaction import redact_answer
from .accounts import Accounts
from .plan import BatchPlan, Step
from .progress import Progress

#: Operations in flight at once when the caller says nothing.
DEFAULT_CONCURRENCY = 4


@dataclass
class ApplyReport:
    """What an `apply_batch` call did. `status`: "done" (every operation
    sent), "paused" (some not started), "refused" (nothing sent)."""

    status: str
    plan: BatchPlan
    refused: list[Reason] = field(default_factory=list)

    @property
    def note(self) -> str:
        if self.refused:
            return "nothing was sent: " + "; ".join(r.message for r in self.refused)
        results = self.plan.results()
        done = ", ".join(f"{results[k]} {k}" for k in ("ok", "failed", "unknown") if results[k])
        left = sum(len(s.rows) for s in self.plan.pending_steps)
        tail = f"; {left} not started (paused)" if left else ""
        return (done or "nothing sent") + tail


def check_batch(plan: BatchPlan, context: WriteContext, confirm: str | None) -> list[Reason]:
    """Every reason the batch must not be sent now (empty: go ahead)."""
    reasons: list[Reason] = []
    if context.read_only:
        reasons.append(ReadOnly("read_only", context.read_only_reason
                                or f"profile {context.profile!r} is read-only; writes are disabled"))
    if context.offline:
        reasons.append(Refusal("offline", "--offline is set: writes are disabled"))
    if not plan.to_write:
        reasons.append(Refusal("nothing_to_write", "no object in the batch would be written"))
    elif (confirm or "").strip() != plan.confirmation:
        reasons.append(ConfirmationMismatch("confirmation", (
            f"this batch writes {plan.confirmation} objects; type {plan.confirmation} exactly "
            "to confirm" + (f" (got {(confirm or '').strip()[:20]!r})" if confirm else ""))))
    return reasons


def manifest(plan: BatchPlan, context: WriteContext) -> dict[str, Any]:
    """The batch's plan as the journal keeps it: enough to resume it."""
    return {
        "id": plan.id, "part": plan.part, "action": plan.action.name, "fields": plan.fields,
        "reason": plan.reason, "undo_of": plan.undo_of, "profile": context.profile,
        "user": context.user, "host": context.host, "summary": plan.summary(),
        "steps": [{"step": s.number, "operation": s.operation, "subaccount": s.subaccount,
                   "scope": s.scope,
                   "rows": [[r.number, r.target.key, r.target.kind, r.target.scope, r.input[:200],
                             r.params if plan.undo_of else None]
                            for r in s.rows if r.target is not None]}
                  for s in plan.steps],
        "confirmed": [r.target.key for r in plan.rows if r.confirmed and r.target is not None],
    }


OnStep = Callable[[Step, Progress], "Awaitable[None] | None"]


async def apply_batch(plan: BatchPlan, accounts: Accounts, *, journal: Journal,
                      context: WriteContext, confirm: str | None,
                      concurrency: int = DEFAULT_CONCURRENCY, pause: asyncio.Event | None = None,
                      progress: Progress | None = None, on_step: OnStep | None = None
                      ) -> ApplyReport:
    """Send the plan's pending operations, each once, journaled.

    `confirm`: the text typed (must equal `plan.confirmation`). `pause`: once
    set, no new operation starts; call again (same plan, same confirmation)
    to go on with the rest. `progress` counts objects, `on_step` is called
    after each operation. Never raises a `CtError`: failures are in the
    steps and rows. Cancellation in flight journals the operation as unknown.
    """
    refused = check_batch(plan, context, confirm)
    if refused:
        return ApplyReport("refused", plan, refused)
    if not plan.recorded:
        try:
            journal.record_batch(manifest(plan, context))
        except OSError as exc:
            reason = Refusal("journal", f"the journal {journal.path} could not be written "
                                        f"({exc.strerror or type(exc).__name__}); nothing was sent")
            return ApplyReport("refused", plan, [reason])
        plan.recorded = True
    pending = plan.pending_steps
    progress = progress or Progress(sum(len(s.rows) for s in pending))
    queue = iter(pending)
    stop = asyncio.Event()  # the journal failed: nothing more may be sent

    async def worker() -> None:
        for step in queue:
            if stop.is_set() or (pause is not None and pause.is_set()):
                return
            if not await _send(step, plan, accounts, journal, context):
                stop.set()
                return
            for row in step.rows:
                progress.add(row.result or "unknown")
            if on_step is not None:
                answer = on_step(step, progress)
                if asyncio.iscoroutine(answer):
                    await answer

    workers = [asyncio.ensure_future(worker()) for _ in range(max(1, min(concurrency, len(pending))))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    if stop.is_set():
        failed = next(s for s in plan.steps if s.status == "pending" and s.error)
        return ApplyReport("paused", plan, [Refusal("journal", failed.error)])
    return ApplyReport("paused" if plan.pending_steps else "done", plan)


async def _send(step: Step, plan: BatchPlan, accounts: Accounts, journal: Journal,
                context: WriteContext) -> bool:
    """Send one step; False when the journal could not be written (not sent)."""
    try:
        client = await accounts.client_for(step.subaccount)
    except (KeyError, CtError) as exc:
        _settle(step, "failed", f"no credentials for {step.credentials}: {exc}")
        return True
    write = step.write_plan(plan.reason, plan.undo_of)
    try:
        step.entry_id = journal.begin(write, context.for_subaccount(step.subaccount),
                                      batch={"id": plan.id, "part": plan.part,
                                             "step": step.number})
    except OSError as exc:
        _settle(step, "refused", f"the journal {journal.path} could not be written "
                                 f"({exc.strerror or type(exc).__name__}); not sent")
        step.status = "pending"  # not sent: it may be applied later
        return False
    try:
        result = await client.call(step.operation, **step.params)
    except CtError as err:
        outcome, note = classify(err)
        journal.finish(step.entry_id, outcome, error=error_record(err), note=note)
        _settle(step, outcome, f"{err.title}: {err.message} ({note})")
        step.exception = err
        return True
    except BaseException as exc:
        journal.finish(step.entry_id, "unknown", error=error_record(exc),
                       note="interrupted while the request was in flight")
        _settle(step, "unknown", "interrupted while the request was in flight")
        raise
    journal.finish(step.entry_id, "ok", result=redact_answer(write.op, result.raw))
    _settle(step, "ok", "")
    listed = result.raw.get("sessions") if step.operation == "session.update_many" else None
    if isinstance(listed, list):
        done = {str(code) for code in listed}
        for row in step.rows:
            if row.target is not None and row.target.key not in done \
                    and row.target.key[:6] not in {c[:6] for c in done}:
                row.result, row.error = "unknown", "the answer does not list this session as updated"
    return True


def _settle(step: Step, status: str, error: str) -> None:
    step.status, step.error = status, error
    for row in step.rows:
        row.result, row.error = (status if status != "refused" else None), error
