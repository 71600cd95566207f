"""One preview for a whole batch: per object now → after, guards, counts, and
the exact operations that would be sent.

Planning is pure once the rows are resolved (their state was read then): no
request is sent, so a preview of 10,000 rows is a matter of a few hundred
milliseconds. Each row gets the single write's guard rails (the same rules
as one write in the console: already validated, voided, stamps below zero,
a campaign that is not running…) and an outcome:

* change  - will be written
* warn    - will be written; a guard warns about it
* refused - not written: a guard refuses it (the reason says which)
* not_found / ambiguous / error / duplicate - not written: not resolved to one
  object (an ambiguous row lists its `candidates`); a row whose object an
  earlier row already writes is a duplicate too, so no object is written twice
* skipped - not written: left out on purpose (`Row.skip`)
* applied / unknown - (resuming) written before, or written with no answer;
  not written again

Rows to write are grouped into operations ("steps"): one bulk write per
account and campaign, in chunks of at most `CHUNK`, where the action has one
(`session.update_many`), else one single write per object. Applying needs
the number of objects typed (`BatchPlan.confirmation`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping

from ctconsole import clock
from ctconsole.api.catalogue import CATALOGUE
from ctconsole.api.params import validate

from .. import guards
from ..plan import MAIN_ACCOUNT, WritePlan
from ..reasons import GuardWarning, Reason
from ..specs import describe, spec_for
from .. import journal as _journal
from .actions import Action
from .resolve import SESSION, Found, Row

#: Objects per bulk write: small enough that pausing stops soon and a failed
#: chunk is a short list to retry, large enough to save round trips.
CHUNK = 100
WRITES = ("change", "warn")
#: Outcomes in the order a summary lists them.
OUTCOMES = ("change", "warn", "refused", "applied", "unknown", "not_found", "ambiguous",
            "error", "duplicate", "skipped")
OUTCOME_LABELS = {
    "change": "will change", "warn": "will change, with a warning", "refused": "refused",
    "applied": "already applied", "unknown": "outcome unknown (not sent again)",
    "not_found": "not found", "ambiguous": "ambiguous, not picked", "error": "lookup failed",
    "duplicate": "duplicate", "skipped": "skipped as picked",
}


def new_batch_id() -> str:
    return "batch-" + _journal.new_entry_id()


@dataclass(slots=True)
class RowPlan:
    """What the batch does to one identifier."""

    number: int
    #: The identifier as given (untrusted text).
    input: str
    target: Found | None
    outcome: str
    #: The single write's parameters (empty when nothing is written).
    params: dict[str, object] = field(default_factory=dict)
    before: dict | None = None
    after: dict | None = None
    reasons: list[Reason] = field(default_factory=list)
    note: str = ""
    step: int | None = None
    #: After applying: "ok", "failed", "unknown" (None: not sent).
    result: str | None = None
    error: str = ""
    #: (resuming) sent before with no answer; the state read now shows it applied.
    confirmed: bool = False
    #: An ambiguous row's matches, to pick from (`resolve.apply_picks`).
    candidates: tuple[Found, ...] = ()

    @property
    def writes(self) -> bool:
        return self.outcome in WRITES

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, now, after) for each field the write changes."""
        if not self.after:
            return []
        before = self.before or {}
        return [(k, before.get(k), v) for k, v in self.after.items() if before.get(k) != v]

    def to_dict(self) -> dict[str, Any]:
        data = {"row": self.number, "input": self.input,
                "target": self.target.to_dict() if self.target else None,
                "outcome": self.outcome,
                "changes": [{"field": f, "now": b, "after": a} for f, b, a in self.changes()],
                "reasons": [{"rule": r.rule, "blocks": r.blocks, "message": r.message}
                            for r in self.reasons],
                "note": self.note, "step": self.step, "result": self.result,
                "error": self.error}
        if self.candidates:
            data["candidates"] = [{"id": m.ident, **m.to_dict(), "who": m.who,
                                   "state": m.state} for m in self.candidates]
        return data


@dataclass
class Step:
    """One request the batch sends."""

    number: int
    operation: str
    params: dict[str, object]
    subaccount: str | None
    scope: str
    rows: list[RowPlan]
    #: "pending", "ok", "failed", "unknown" or "refused".
    status: str = "pending"
    entry_id: str | None = None
    error: str = ""
    #: The error that failed it (tells a network failure from a refusal).
    exception: BaseException | None = field(default=None, repr=False)

    @property
    def credentials(self) -> str:
        return MAIN_ACCOUNT if self.subaccount is None else f"subaccount {self.subaccount}"

    def write_plan(self, reason: str | None, undo_of: str | None = None) -> WritePlan:
        """The step as the write engine's plan (what the journal records)."""
        op = CATALOGUE.get(self.operation)
        spec = spec_for(self.operation)
        if spec.per_object:
            before = {r.target.key: r.before for r in self.rows if r.target}
            after = {r.target.key: r.after for r in self.rows if r.target}
        else:
            before, after = self.rows[0].before, self.rows[0].after
        return WritePlan(self.operation, self.params, describe(self.operation, self.params),
                         self.credentials, op, self.subaccount, before, after,
                         reach=len(self.rows), reason=reason, undo_of=undo_of)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.number, "operation": self.operation,
                "credentials": self.credentials, "scope": self.scope,
                "params": self.params, "rows": [r.number for r in self.rows],
                "status": self.status, "entry": self.entry_id, "error": self.error}


@dataclass
class BatchPlan:
    id: str
    action: Action
    #: The fields the action sets (for an undo: empty; each row has its own).
    fields: dict[str, object]
    rows: list[RowPlan]
    steps: list[Step]
    reason: str | None = None
    #: 1 for the first plan of a batch; each resume or retry adds one.
    part: int = 1
    #: The batch this one undoes.
    undo_of: str | None = None
    #: Whether the plan's manifest is in the journal (set by `apply_batch`).
    recorded: bool = False

    @property
    def to_write(self) -> list[RowPlan]:
        return [r for r in self.rows if r.writes]

    @property
    def confirmation(self) -> str:
        """What must be typed to apply: the number of objects written."""
        return str(len(self.to_write))

    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.rows)

    def summary(self) -> str:
        """"398 will change, 2 refused, 3 not found" (in `OUTCOMES` order)."""
        counts = self.counts()
        return ", ".join(f"{counts[o]} {OUTCOME_LABELS[o]}" for o in OUTCOMES if counts[o]) \
            or "nothing to do"

    def heading(self) -> str:
        n = len(self.to_write)
        kind = self.action.target if n == 1 else ("sessions" if self.action.target == SESSION
                                                   else "loyalty users")
        return f"{self.action.verb} {n} {kind}"

    def results(self) -> Counter:
        return Counter(r.result for r in self.to_write if r.result)

    @property
    def failed(self) -> list[RowPlan]:
        return [r for r in self.to_write if r.result == "failed"]

    @property
    def pending_steps(self) -> list[Step]:
        return [s for s in self.steps if s.status == "pending"]


def _changed(after: Mapping[str, Any] | None, before: Mapping[str, Any] | None) -> frozenset[str]:
    if after is None:
        return frozenset()
    before = before or {}
    return frozenset(k for k, v in after.items() if k not in before or before[k] != v)


#: Stands for the row's subject in cached guard messages.
_SUBJECT = "\x00"


class _Guards:
    """The guard rails for one batch: the rules of its operation picked once,
    and the verdict for each distinct (state, fields) computed once. Rows of
    a batch share few distinct states, so 10,000 rows cost a few hundred
    rule runs, not 250,000. `now`: the moment rules about dates (a
    campaign's run) judge against, one for the whole batch (default: the
    clock; the UI passes its own, which tests and screenshots freeze)."""

    def __init__(self, operation: str, now: datetime | None = None) -> None:
        self.operation = operation
        self.today: date = (now or clock.now()).astimezone(timezone.utc).date()
        self.rules = tuple(r for r in guards.RULES if operation in r.operations)
        self.spec = spec_for(operation)
        self._seen: dict[tuple, tuple] = {}

    def verdict(self, params: Mapping[str, object], before: dict | None, id_param: str | None,
                subaccount: str | None) -> tuple[dict | None, list[Reason]]:
        spec = self.spec
        key = None
        if before is not None:
            try:
                # States are built field by field in one order, so no sorting.
                key = (tuple([(k, v) for k, v in params.items() if k != id_param]),
                       tuple([(k, v) for k, v in before.items() if k != "session"]),
                       subaccount)
            except TypeError:  # an unhashable value: no caching for this row
                key = None
        if key is not None and key in self._seen:
            return self._seen[key]
        after = spec.predict(params, before or {}) if spec.predict is not None else None
        reasons = guards.check(self.operation, params, before, subject=_SUBJECT,
                               changed=_changed(after, before), subaccount=subaccount,
                               changes_state=spec.changes_state and before is not None,
                               today=self.today, rules=self.rules)
        if key is not None:
            self._seen[key] = (after, reasons)
        return after, reasons


def plan_row(action: Action, number: int, text: str, found: Found,
             fields: Mapping[str, object], checker: _Guards | None = None) -> RowPlan:
    """Plan the single write for one resolved object, with its guard rails."""
    checker = checker or _Guards(action.operation)
    params = action.params(found, fields)
    before = found.state
    after, reasons = checker.verdict(params, before, checker.spec.id_param, found.subaccount)
    subject = f"{'Session' if found.kind == SESSION else 'User'} {found.short}"
    reasons = [type(r)(r.rule, r.message.replace(_SUBJECT, subject, 1)) for r in reasons]
    if before is None and checker.spec.changes_state:
        reasons.append(GuardWarning("state_unknown", f"{subject}: its state could not "
                                    "be read; the guard rails did not check it"))
    refused = any(r.blocks for r in reasons)
    outcome = "refused" if refused else ("warn" if reasons else "change")
    return RowPlan(number, text, found, outcome, params, before,
                   dict(after) if after is not None else None, reasons)


def skipped_row(row: Row) -> RowPlan:
    """A row that is not written: unresolved, unpicked, a duplicate or skipped."""
    if row.skipped:
        return RowPlan(row.item.number, row.item.text, None, "skipped", note=row.describe())
    candidates = row.matches if row.status == "ambiguous" else ()
    return RowPlan(row.item.number, row.item.text, None, row.status, note=row.describe(),
                   candidates=candidates)


def plan_batch(action: Action, rows: Iterable[Row], fields: Mapping[str, object], *,
               reason: str | None = None, batch_id: str | None = None,
               part: int = 1, now: datetime | None = None) -> BatchPlan:
    """The preview of `action` with `fields` (checked by `Action.fields`) on
    resolved `rows`. Sends nothing. `now`: as for `_Guards` (the rows'
    campaigns were read when they resolved)."""
    planned: list[RowPlan] = []
    checker = _Guards(action.operation, now)
    #: Object key → the row that writes it: a pick may name an object an
    #: earlier row already resolved to, and nothing is written twice.
    writers: dict[str, int] = {}
    for row in rows:
        target = row.target
        if target is None:
            planned.append(skipped_row(row))
        elif target.key in writers:
            planned.append(RowPlan(row.item.number, row.item.text, None, "duplicate",
                                   note=f"same {target.kind} as identifier "
                                        f"{writers[target.key]}"))
        else:
            writers[target.key] = row.item.number
            planned.append(plan_row(action, row.item.number, row.item.text, target, fields,
                                    checker))
            if row.status == "ambiguous":
                planned[-1].note = row.describe()
    plan = BatchPlan(batch_id or new_batch_id(), action, dict(fields), planned, [],
                     reason=reason, part=part)
    plan.steps = group(action, planned)
    return plan


def group(action: Action, rows: list[RowPlan], *, first: int = 1) -> list[Step]:
    """The requests for the rows to write: bulk per (account, campaign, fields)
    in chunks of `CHUNK` where the action has a bulk write, else one each."""
    steps: list[Step] = []
    if action.bulk is None:
        for row in rows:
            if row.writes and row.target is not None:
                steps.append(_step(first + len(steps), action.operation, row.params,
                                   row.target, [row]))
        return _numbered(steps, rows)
    groups: dict[tuple, list[RowPlan]] = {}
    id_param = spec_for(action.operation).id_param
    for row in rows:
        if row.writes and row.target is not None:
            fields = tuple(sorted((k, v) for k, v in row.params.items() if k != id_param))
            groups.setdefault((row.target.subaccount or "", row.target.scope, fields),
                              []).append(row)
    op = CATALOGUE.get(action.bulk)
    limit = min(CHUNK, next((p.max for p in op.params if p.type == "codes" and p.max), CHUNK))
    for (_, _, fields), members in groups.items():
        for at in range(0, len(members), limit):
            chunk = members[at:at + limit]
            if len(chunk) == 1:
                steps.append(_step(first + len(steps), action.operation, chunk[0].params,
                                   chunk[0].target, chunk))
                continue
            params = {"couponsessions": [r.target.key for r in chunk], **dict(fields)}
            steps.append(_step(first + len(steps), action.bulk, params, chunk[0].target, chunk))
    return _numbered(steps, rows)


def _step(number: int, operation: str, params: Mapping[str, object], target: Any,
          rows: list[RowPlan]) -> Step:
    valid = validate(CATALOGUE.get(operation), dict(params))
    return Step(number, operation, valid, target.subaccount, target.scope, rows)


def _numbered(steps: list[Step], rows: list[RowPlan]) -> list[Step]:
    for step in steps:
        for row in step.rows:
            row.step = step.number
    return steps
