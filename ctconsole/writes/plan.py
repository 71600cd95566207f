"""A planned write: everything the preview shows, decided before anything is sent.

`plan_write` validates the parameters against the catalogue, reads the
object's current state (unless the caller already has it), predicts the state
after, counts who the write reaches, and runs the guard rails. The result,
`WritePlan`, is inert data: applying it is `apply.apply_write`, after the
user has looked at it. A failed apply leaves the plan as it was, so the user
can retry the very same write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from ctconsole import clock
from ctconsole.api.catalogue import CATALOGUE, Catalogue, Operation, UnknownOperation
from ctconsole.api.errors import InvalidParams
from ctconsole.api.params import body_of, validate

from . import guards, objects
from .reasons import GuardWarning, Reason
from ctconsole.redaction import redact_params
from .specs import SPECS, Target, WriteSpec, describe, spec_for

#: update_many reads every session it names for the guard rails up to this
#: many; beyond it the state before is left unknown (and the plan says so).
PER_OBJECT_READ_LIMIT = 50
MAIN_ACCOUNT = "main account"


@dataclass
class WritePlan:
    """One write, ready for preview and confirmation."""

    operation: str
    #: Validated and coerced parameters, in catalogue order.
    params: dict[str, object]
    target: Target
    #: Whose credentials the request carries: "main account" or "subaccount sub_…".
    credentials: str
    op: Operation = field(repr=False)
    subaccount: str | None = None
    #: State before (flat dict; for update_many: one per session code), or None.
    before: dict[str, Any] | None = None
    #: Predicted state after (only the fields the write sets), or None.
    after: dict[str, Any] | None = None
    #: How many people the write reaches, when that is the point (None: n/a).
    reach: int | None = None
    reach_note: str = ""
    #: Text to type for a mass write; None means a plain yes.
    confirmation: str | None = None
    warnings: list[Reason] = field(default_factory=list)
    refusals: list[Reason] = field(default_factory=list)
    #: The user's reason or ticket ID, journaled with the write.
    reason: str | None = None
    #: Journal entry this write undoes, and what to know about the undo.
    undo_of: str | None = None
    note: str = ""

    @property
    def spec(self) -> WriteSpec:
        return spec_for(self.operation)

    @property
    def blocked(self) -> bool:
        """Whether a guard refuses the write (it cannot be applied as is)."""
        return bool(self.refusals)

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for each field the write changes. A field
        the API does not show reads as None before. For update_many the field
        is prefixed with the session's short code ("AbC123 validated")."""
        if self.after is None:
            return []
        if self.spec.per_object:
            rows: list[tuple[str, object, object]] = []
            for code, after in self.after.items():
                before = (self.before or {}).get(code) or {}
                rows += [(f"{code[:6]} {k}", before.get(k), v) for k, v in after.items()
                         if before.get(k) != v or not before]
            return rows
        before = self.before or {}
        return [(k, before.get(k), v) for k, v in self.after.items()
                if k not in before or before[k] != v]

    def as_request(self) -> dict[str, object]:
        """The exact request, for display: secrets in the body redacted."""
        return request_of(self.op, self.params, self.credentials)


def request_of(op: Operation, params: Mapping[str, object],
               credentials: str = MAIN_ACCOUNT) -> dict[str, object]:
    """The exact request `op` with validated `params` sends, for display and
    the journal: method, path, body (secrets redacted) and whose credentials
    it carries. Reads and sends nothing (a dry run shows this)."""
    return {
        "operation": op.name,
        "method": "POST",
        "path": op.path_for(params),
        "body": redact_params(op, body_of(op, params)),
        "credentials": credentials,
    }


def field_problems(operation: str, raw: Mapping[str, object], *,
                   catalogue: Catalogue = CATALOGUE) -> dict[str, str]:
    """What is wrong with a form's values, per field, as the user types:
    parameter name → message ("must be between 1 and 100000 (got 0)"). A
    rule over several fields is keyed "a / b / c". Empty: all good. Checks
    the catalogue only; nothing is read or sent."""
    try:
        op = catalogue.get(operation)
    except UnknownOperation:
        return {"": f"no such operation: {operation}"}
    try:
        validate(op, raw)
    except InvalidParams as err:
        found: dict[str, str] = {}
        for problem in err.problems:
            name, _, message = problem.partition(": ")
            found[name] = f"{found[name]}; {message}" if name in found else message
        return found
    return {}


def _changed(after: Mapping[str, Any] | None, before: Mapping[str, Any] | None) -> frozenset[str]:
    if after is None:
        return frozenset()
    before = before or {}
    return frozenset(k for k, v in after.items() if k not in before or before[k] != v)


def _subject(target: Target) -> str:
    return f"{target.kind[:1].upper()}{target.kind[1:]} {target.id}".strip()


async def _read_many(client: Any, codes: list[str]) -> dict[str, dict] | None:
    if len(codes) > PER_OBJECT_READ_LIMIT:
        return None
    return await objects.read_sessions_in_campaigns(client, codes)


async def _reach(client: Any, spec: WriteSpec, params: Mapping[str, Any],
                 given: int | None) -> tuple[int | None, str, str | None]:
    """(reach, note, code to type) for the plan."""
    if spec.reach == "one":
        return 1, "one person", None
    if spec.reach == "codes":
        count = len(params["couponsessions"])  # type: ignore[arg-type]
        return count, f"{count} session{'s' if count != 1 else ''}", None
    if spec.reach == "amount":
        amount = int(params.get("amount", 10))  # the API's documented default
        return amount, f"{amount} new single-use URL{'s' if amount != 1 else ''}", None
    if spec.reach == "campaign":
        info = (await objects.fresh(client, "campaign.info", campaign=params["campaign"],
                                    show_usage_stats=True)).data
        claimed = info.usage_stats.claimed if info.usage_stats else None
        reach = given if given is not None else claimed
        note = (f"up to {reach} people: the campaign's claimed sessions; only those saved "
                "to a wallet receive it") if given is None else f"{reach} people"
        return reach, note, info.campaign.code or None
    if spec.reach == "card":
        card = str(params["loyaltycard"])
        users = (await objects.fresh(client, "loyalty.users", loyaltycard=card)).data.users
        cards = (await objects.fresh(client, "loyalty.list")).data.cards
        code = next((c.code for c in cards if c.id == card and c.code), None)
        holders = sum(1 for u in users if u.saved_to_wallet and not u.voided)
        reach = given if given is not None else holders
        return reach, (f"{reach} of {len(users)} card holders (saved to a wallet, not voided)"
                       if given is None else f"{reach} people"), code
    return None, "", None


async def plan_write(client: Any, operation: str, params: Mapping[str, object], *,
                     before: Mapping[str, Any] | None = None, reason: str | None = None,
                     subaccount: str | None = None, reach: int | None = None,
                     undo_of: str | None = None, note: str = "",
                     now: datetime | None = None) -> WritePlan:
    """Plan `operation` with `params` as `client` would send it.

    `before`: the object's current state if the caller has it (e.g. the
    directory user row on screen), as `objects` returns it; otherwise it is
    read now. `subaccount`: the subaccount whose credentials `client` carries
    (None: the main account). `reach`: the number of people a push to all
    reaches, when the caller knows it better than the plan can estimate.
    `now`: the moment the guards judge a campaign's run against (default:
    the clock; the UI passes its own, which tests and screenshots freeze).

    Raises:
        InvalidParams: unknown operation, a read, or bad parameters (nothing
            is read or sent).
        CtError: the read of the current state failed.
    """
    op = client.operation(operation)
    if op.is_read or op.name not in SPECS:
        raise InvalidParams([f"{op.name}: is a read; only writes are planned"],
                            title="Not a write", operation=op.name)
    valid = validate(op, params)
    spec = spec_for(op.name)
    target = describe(op.name, valid)
    state: dict[str, Any] | None = dict(before) if before is not None else None
    if state is None and spec.read is not None:
        state = await spec.read(client, valid)
        if spec.context is not None:
            state = {**state, **await spec.context(client, state)}
    if state is None and spec.per_object:
        state = await _read_many(client, list(valid["couponsessions"]))  # type: ignore[arg-type]
    count, reach_note, code = await _reach(client, spec, valid, reach)
    credentials = MAIN_ACCOUNT if subaccount is None else f"subaccount {subaccount}"
    plan = WritePlan(op.name, valid, target, credentials, op, subaccount, state,
                     reach=count, reach_note=reach_note, reason=reason, undo_of=undo_of,
                     note=note)
    reasons: list[Reason] = []
    today = (now or clock.now()).astimezone(timezone.utc).date()
    if spec.per_object:
        codes = list(valid["couponsessions"])  # type: ignore[arg-type]
        plan.after = {c: spec.predict(valid, (state or {}).get(c) or {}) for c in codes}  # type: ignore[misc]
        if state is None:
            reasons.append(GuardWarning("state_unknown", (
                f"The {len(codes)} sessions were not read first (more than "
                f"{PER_OBJECT_READ_LIMIT}); the guard rails could not check each one.")))
            reasons += guards.check(op.name, valid, None, subject=_subject(target),
                                    subaccount=subaccount, reach=count, today=today)
        for c in codes if state is not None else ():
            reasons += guards.check(op.name, valid, state[c], subject=f"Session {c}",
                                    changed=_changed(plan.after[c], state[c]), reach=count,
                                    subaccount=subaccount, changes_state=True, today=today)
    else:
        if spec.predict is not None:
            plan.after = spec.predict(valid, state or {})
        reasons += guards.check(op.name, valid, state, subject=_subject(target),
                                changed=_changed(plan.after, state), reach=count,
                                subaccount=subaccount, today=today,
                                changes_state=spec.changes_state and spec.read is not None)
    plan.warnings = [r for r in reasons if not r.blocks]
    plan.refusals = [r for r in reasons if r.blocks]
    plan.confirmation = guards.confirmation_for(op.name, valid, reach=count, code=code)
    return plan
