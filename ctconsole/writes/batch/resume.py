"""A batch as the journal has it: what was applied, and going on from there.

`batch_status` folds the batch's plan records and its journal entries into
one status per object: applied, failed, unknown (sent, no answer: the
process died or the network dropped mid-request) or not started. From that:

* `plan_resume` - the objects not applied, read again now and planned again
  (a fresh preview). An object whose write has an unknown outcome is only
  planned again when the action is idempotent (set a flag); the fresh state
  then shows whether it was applied, and the guard rails refuse writing it
  again. Otherwise (stamps, pushes) it is left out and listed as unknown:
  nothing is applied twice.
* `plan_retry` - the failed ones only, the same way ("retry the failed").
* `plan_undo_batch` - the inverse of every applied write, per object, from
  the states journaled before it; a new batch (`undo_of`) with the same
  preview and typed count.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from ctconsole.api.errors import CtError

from .. import objects
from ..inverse import _NO_PUSH, _session_inverse
from ..journal import Journal, JournalEntry
from ..reasons import Refusal
from .accounts import Accounts
from .campaigns import CampaignRuns
from .actions import ACTIONS, Action
from .plan import BatchPlan, RowPlan, _Guards, group, new_batch_id, plan_row
from .resolve import LOYALTY, SESSION, Found

#: Statuses of an object in a batch.
APPLIED, FAILED, UNKNOWN, NOT_STARTED = "applied", "failed", "unknown", "not_started"
STATUS_LABELS = {APPLIED: "applied", FAILED: "failed", UNKNOWN: "outcome unknown",
                 NOT_STARTED: "not started"}
READ_POOL = 16


class BatchNotFound(CtError):
    def __init__(self, batch_id: str) -> None:
        super().__init__("Batch not found", f"the journal has no batch {batch_id[:60]!r}")


@dataclass
class ObjectStatus:
    """One object of a batch, as the journal tells."""

    number: int
    target: Found
    input: str
    status: str = NOT_STARTED
    entry: JournalEntry | None = None
    #: The fields written to it (an undo batch has its own per object).
    params: dict | None = None
    error: str = ""


@dataclass
class BatchStatus:
    id: str
    action: str
    fields: dict
    reason: str | None
    undo_of: str | None
    parts: int
    time: str
    objects: list[ObjectStatus] = field(default_factory=list)
    entries: list[JournalEntry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.objects if o.status == status)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {STATUS_LABELS[s]}" for s in STATUS_LABELS if self.count(s)]
        return ", ".join(parts) or "no objects"

    @property
    def complete(self) -> bool:
        return all(o.status == APPLIED for o in self.objects)


def batch_status(journal: Journal, batch_id: str) -> BatchStatus:
    """The batch `batch_id` (or a unique prefix of it) as the journal has it.

    Raises:
        BatchNotFound: no such batch (or the prefix is not unique).
    """
    records = journal.batch_manifests(batch_id)
    if not records:
        raise BatchNotFound(batch_id)
    first = records[0]
    bid = first["id"]
    entries = journal.entries(batch=bid)
    by_step = {(int((e.batch or {}).get("part") or 1), (e.batch or {}).get("step")): e
               for e in entries}
    status = BatchStatus(bid, str(first.get("action") or ""), dict(first.get("fields") or {}),
                         first.get("reason"), first.get("undo_of"),
                         max(int(r.get("part") or 1) for r in records), str(first.get("time")))
    status.entries = entries
    objects_by_key: dict[str, ObjectStatus] = {}
    for record in records:
        part = int(record.get("part") or 1)
        for step in record.get("steps") or []:
            entry = by_step.get((part, step.get("step")))
            for number, key, kind, scope, text, params in _rows(step):
                target = Found(key, kind, scope, step.get("subaccount"))
                now = objects_by_key.get(key)
                if now is not None and now.status == APPLIED:
                    continue
                state = NOT_STARTED if entry is None else {
                    "ok": APPLIED, "failed": FAILED}.get(entry.outcome, UNKNOWN)
                error = ""
                if entry is not None and entry.error:
                    error = f"{entry.error.get('title', '')}: {entry.error.get('message', '')}"
                if now is None:
                    now = objects_by_key[key] = ObjectStatus(number, target, text)
                now.status, now.entry, now.params, now.error = state, entry, params, error
        for key in record.get("confirmed") or []:
            if key in objects_by_key:
                objects_by_key[key].status = APPLIED
    status.objects = sorted(objects_by_key.values(), key=lambda o: o.number)
    return status


def _rows(step: dict) -> Iterable[tuple]:
    for row in step.get("rows") or []:
        if isinstance(row, list) and len(row) >= 5:
            yield (int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                   row[5] if len(row) > 5 and isinstance(row[5], dict) else None)


def batches(journal: Journal) -> list[dict[str, Any]]:
    """Every batch in the journal, newest first: id, action, time, parts, summary."""
    found: dict[str, dict[str, Any]] = {}
    for record in journal.batch_manifests():
        seen = found.setdefault(record["id"], {"id": record["id"], "action": record.get("action"),
                                               "time": record.get("time"), "parts": 0,
                                               "objects": 0, "undo_of": record.get("undo_of"),
                                               "summary": record.get("summary")})
        seen["parts"] += 1
        if seen["parts"] == 1:
            seen["objects"] = sum(len(s.get("rows") or []) for s in record.get("steps") or [])
    return sorted(found.values(), key=lambda b: str(b["time"]), reverse=True)


# --- reading states again -----------------------------------------------------------


async def read_states(accounts: Accounts, targets: list[Found], *,
                      pool: int = READ_POOL) -> dict[str, dict | CtError]:
    """Each target's state read now (key → state, or the error reading it);
    a session's with its campaign's run (each campaign read once)."""
    out: dict[str, dict | CtError] = {}
    runs = CampaignRuns()
    cards: dict[tuple[str | None, str], list[Found]] = {}
    sessions = []
    for t in targets:
        if t.kind == LOYALTY:
            cards.setdefault((t.subaccount, t.scope), []).append(t)
        else:
            sessions.append(t)
    limit = asyncio.Semaphore(pool)

    async def session(t: Found) -> None:
        async with limit:
            try:
                client = await accounts.client_for(t.subaccount)
                out[t.key] = await runs.with_run(client, t.subaccount,
                                                 await objects.read_session(client, t.key))
            except CtError as err:
                out[t.key] = err
            except KeyError:
                out[t.key] = CtError("No credentials", f"subaccount {t.subaccount} is not listed")

    async def card(sub: str | None, card_id: str, members: list[Found]) -> None:
        async with limit:
            try:
                client = await accounts.client_for(sub)
                users = (await objects.fresh(client, "loyalty.users", loyaltycard=card_id)).data
            except (CtError, KeyError) as err:
                for t in members:
                    out[t.key] = err if isinstance(err, CtError) else CtError("No credentials", str(err))
                return
            states = {str(u.id): objects.loyalty_user_state(u) for u in users.users}
            for t in members:
                out[t.key] = states.get(t.ident) or CtError(
                    "User not found", f"Loyalty card {card_id} has no user {t.ident}.")

    await asyncio.gather(*(session(t) for t in sessions),
                         *(card(sub, cid, m) for (sub, cid), m in cards.items()))
    return out


def _with_state(target: Found, state: dict) -> Found:
    return Found(target.key, target.kind, target.scope, target.subaccount, target.who, state)


def _read_failed(number: int, text: str, target: Found, err: CtError) -> RowPlan:
    return RowPlan(number, text, target, "error", note=f"reading it again failed: "
                   f"{err.title}: {err.message}")


# --- resume and retry ---------------------------------------------------------------


async def plan_resume(journal: Journal, batch_id: str, accounts: Accounts, *,
                      only: tuple[str, ...] = (NOT_STARTED, FAILED, UNKNOWN),
                      reason: str | None = None,
                      now: datetime | None = None) -> tuple[BatchPlan, BatchStatus]:
    """A fresh plan for the objects of `batch_id` whose status is in `only`,
    under the same batch ID as its next part. Objects already applied (and
    unknown ones of a non-idempotent action) are listed, not written. `now`:
    as for `plan_batch`."""
    status = batch_status(journal, batch_id)
    action = _action_of(status)
    fields = status.fields
    chosen = [o for o in status.objects if o.status in only]
    states = await read_states(accounts, [o.target for o in chosen
                                          if o.status != UNKNOWN or action.idempotent])
    rows: list[RowPlan] = []
    checker = _Guards(action.operation, now)
    for o in status.objects:
        if o.status == APPLIED:
            rows.append(RowPlan(o.number, o.input, o.target, "applied",
                                note=f"applied ({o.entry.id if o.entry else 'journal'})"))
            continue
        if o.status not in only:
            continue
        if o.status == UNKNOWN and not action.idempotent:
            rows.append(RowPlan(o.number, o.input, o.target, "unknown",
                                note="sent with no answer; sending it again could apply it "
                                     "twice: look at it and change it by hand"))
            continue
        state = states.get(o.target.key)
        if isinstance(state, CtError) or state is None:
            rows.append(_read_failed(o.number, o.input, o.target,
                                     state or CtError("Not read", "no state")))
            continue
        row_fields = _fields_of(o, fields)
        row = plan_row(action, o.number, o.input, _with_state(o.target, state), row_fields,
                       checker)
        if o.status == UNKNOWN and not row.changes():
            row.outcome, row.reasons, row.confirmed = "applied", [], True
            row.note = "the write had no answer, but the object now shows it applied"
        elif not row.note:
            row.note = {NOT_STARTED: "not started before",
                        FAILED: f"failed before: {o.error}" if o.error else "failed before",
                        UNKNOWN: "no answer before; the object now shows it not applied"
                        }.get(o.status, "")
        rows.append(row)
    plan = BatchPlan(status.id, action, dict(fields), rows, [], reason=reason or status.reason,
                     part=status.parts + 1, undo_of=status.undo_of)
    plan.steps = group(action, rows)
    return plan, status


async def plan_retry(journal: Journal, plan: BatchPlan, accounts: Accounts, *,
                     now: datetime | None = None) -> BatchPlan:
    """Retry the failed objects of an applied `plan`: a fresh plan (read
    again, previewed, count typed) of those only."""
    fresh, _ = await plan_resume(journal, plan.id, accounts, only=(FAILED,), now=now)
    fresh.rows = [r for r in fresh.rows if r.outcome != "applied"]
    return fresh


def _fields_of(o: ObjectStatus, fields: dict) -> dict:
    if o.params is None:
        return dict(fields)
    id_names = ("couponsession", "couponsessions", "loyaltycard", "user", "campaign")
    return {k: v for k, v in o.params.items() if k not in id_names}


def _action_of(status: BatchStatus) -> Action:
    if status.undo_of:
        kind = status.objects[0].target.kind if status.objects else SESSION
        return undo_action(kind)
    try:
        return ACTIONS[status.action]
    except KeyError:
        raise CtError("Unknown action", f"the batch's action {status.action!r} is not known "
                      "to this version of ctconsole") from None


# --- undo ---------------------------------------------------------------------------


def undo_action(kind: str) -> Action:
    if kind == LOYALTY:
        return Action("undo", "Undo on", LOYALTY, "loyalty.user_update", idempotent=False)
    return Action("undo", "Undo on", SESSION, "session.update", "session.update_many")


def _inverse_fields(entry: JournalEntry, target: Found) -> dict | str:
    """The fields that set `target` back to its state before `entry`, or why not."""
    params = entry.params or {}
    if entry.operation in ("campaign.push", "loyalty.push"):
        return _NO_PUSH
    before = entry.before if isinstance(entry.before, dict) else None
    if entry.operation == "session.update_many" and before is not None:
        before = before.get(target.key)
    if not isinstance(before, dict):
        return "its state before the write was not journaled"
    if target.kind == LOYALTY:
        inv: dict[str, object] = {n: -int(params[n]) for n in ("stamps", "points")
                                  if params.get(n)}
        if "voided" in params and isinstance(before.get("voided"), bool) \
                and bool(params["voided"]) != before["voided"]:
            inv["voided"] = before["voided"]
        return inv or "the write changed nothing that can be set back"
    inv, _notes = _session_inverse(params, before)
    return inv or "the write changed nothing that can be set back"


async def plan_undo_batch(journal: Journal, batch_id: str, accounts: Accounts, *,
                          reason: str | None = None) -> BatchPlan:
    """The undo of every applied write of `batch_id`, as a new batch."""
    status = batch_status(journal, batch_id)
    applied = [o for o in status.objects if o.status == APPLIED and o.entry is not None]
    if not applied:
        raise CtError("Nothing to undo", f"no write of batch {status.id} was applied")
    kind = applied[0].target.kind
    action = undo_action(kind)
    states = await read_states(accounts, [o.target for o in applied])
    rows: list[RowPlan] = []
    checker = _Guards(action.operation)
    for o in applied:
        assert o.entry is not None
        inverse = _inverse_fields(o.entry, o.target)
        if isinstance(inverse, str):
            rows.append(RowPlan(o.number, o.input, o.target, "refused",
                                reasons=[Refusal("no_inverse", f"{o.target.short}: {inverse}")]))
            continue
        state = states.get(o.target.key)
        if isinstance(state, CtError) or state is None:
            rows.append(_read_failed(o.number, o.input, o.target,
                                     state or CtError("Not read", "no state")))
            continue
        rows.append(plan_row(action, o.number, o.input, _with_state(o.target, state), inverse,
                             checker))
    for o in status.objects:
        if o.status != APPLIED:
            rows.append(RowPlan(o.number, o.input, o.target, "unknown" if o.status == UNKNOWN
                                else "refused",
                                note=f"not undone: its write is {STATUS_LABELS[o.status]}"))
    rows.sort(key=lambda r: r.number)
    plan = BatchPlan(new_batch_id(), action, {}, rows, [], reason=reason or f"undo of {status.id}",
                     undo_of=status.id)
    plan.steps = group(action, rows)
    return plan
