"""Coupon sessions (operations C3-C8): one consumer's instance of a campaign,
in the three shapes the API gives it, and the replies of the session writes.

A session moves through created → opened → played → claimed → validated and
can be voided at any point. The API sends each step as a `"0"`/`"1"` flag plus
a `_utc` date that is `""` until the step happens. `SessionLifecycle` derives
what the UI shows from those fields: the furthest `state` and the ordered
`lifecycle`; it is shared by the C3 row and the C4 status block, which carry
the same fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Literal

from pydantic import Field

from .base import (
    Action,
    ApiModel,
    Count,
    EntityId,
    Flag,
    Reply,
    Text,
    UtcTime,
    sequence_field,
)

SessionState = Literal["created", "opened", "played", "claimed", "validated", "voided"]

#: Lifecycle steps in order, each with its flag and date field (created has no flag).
_STEPS: tuple[tuple[SessionState, str | None, str], ...] = (
    ("created", None, "created_date_utc"),
    ("opened", "opened", "open_date_utc"),
    ("played", "played", "played_date_utc"),
    ("claimed", "claimed", "claim_date_utc"),
    ("validated", "validated", "validation_date_utc"),
    ("voided", "voided", "voided_date_utc"),
)

SHORT_CODE_LENGTH = 6


def short_code(code: str) -> str:
    """The short form of a session code: its first 6 characters."""
    return code[:SHORT_CODE_LENGTH]


def furthest_state(flag: Callable[[str], object]) -> SessionState:
    """The furthest step reached, given how to read a step's flag by name
    (an attribute of a model, a key of a lean row): voided wins over
    everything, then validated, claimed, played, opened; else created."""
    if flag("voided"):
        return "voided"
    for name, step_flag, _ in reversed(_STEPS[1:-1]):
        if flag(step_flag or ""):
            return name
    return "created"


class SessionLifecycle(ApiModel):
    """The lifecycle steps every session carries, as `session.info` nests them
    (`data.status`) and `campaign.sessions` flattens them, with derived views
    over them. Pure: reads fields only."""

    created_date_utc: UtcTime = None
    opened: Flag = None
    open_date_utc: UtcTime = None
    #: Whether the game (if the campaign has one) was played.
    played: Flag = None
    played_date_utc: UtcTime = None
    claimed: Flag = None
    claim_date_utc: UtcTime = None
    #: How it was claimed: "", "email", "sms", "wallet", "print" or "direct".
    claimtype: Text = ""
    #: Whether the coupon was saved to Apple/Google Wallet.
    saved_to_passbook: Flag = None
    #: Validated = redeemed at the till.
    validated: Flag = None
    validation_date_utc: UtcTime = None
    voided: Flag = None
    voided_date_utc: UtcTime = None

    @property
    def state(self) -> SessionState:
        """The furthest step reached by its flag; voided wins over everything.

        Flags decide, not dates: an un-voided session keeps its old
        `voided_date_utc` but has `voided` "0"."""
        return furthest_state(lambda flag: getattr(self, flag, None))

    @property
    def lifecycle(self) -> list[tuple[SessionState, datetime | None]]:
        """(step, UTC time or None) for every step, created → voided."""
        return [(name, getattr(self, date_field, None)) for name, _, date_field in _STEPS]


class SessionStatus(SessionLifecycle):
    """`data.status` of `session.info`: the session's progress."""

    #: Value recorded with the validation (e.g. a receipt amount).
    validation_value: Text = ""
    #: A locked session cannot change state.
    locked: Flag = None


class SessionUser(ApiModel):
    """`data.user` of `session.info`: what the consumer filled in."""

    firstname: Text = ""
    lastname: Text = ""
    email: Text = ""
    phone: Text = ""


class SessionData(ApiModel):
    """`data` of `session.info`."""

    status: SessionStatus
    user: SessionUser | None = None


class SessionInfo(Reply):
    """`session.info`: everything about one session."""

    campaign: Text = ""
    #: "retrieve_all_session_data".
    action: Action = ""
    #: The 21-character session code.
    session: EntityId
    session_url: Text = ""
    #: Running number of the session within the account (`sequenceid` on the wire).
    sequence_id: Count = sequence_field("sequenceid")
    #: Your own ID for the session ("" when none).
    customid: Text = ""
    #: Custom validation code handed to the consumer ("" when none).
    customvalcode: Text = ""
    single_use_url: Text = ""
    data: SessionData

    @property
    def short_code(self) -> str:
        return short_code(self.session)

    @property
    def state(self) -> SessionState:
        return self.data.status.state

    @property
    def lifecycle(self) -> list[tuple[SessionState, datetime | None]]:
        return self.data.status.lifecycle

    @property
    def user(self) -> SessionUser:
        """The consumer's details (empty when the API left them out)."""
        return self.data.user or SessionUser()


class SessionRow(SessionLifecycle):
    """One session as `campaign.sessions` lists it: status and user flattened."""

    #: The 21-character session code.
    session: EntityId
    session_url: Text = ""
    sequence_id: Count = sequence_field("sequenceid")
    customid: Text = ""
    firstname: Text = ""
    lastname: Text = ""
    email: Text = ""
    phone: Text = ""
    customvalcode: Text = ""

    @property
    def short_code(self) -> str:
        return short_code(self.session)


Session = SessionRow


class SessionPage(Reply):
    """One page of `campaign.sessions` (5000 a page; past the end: empty)."""

    campaign: Text = ""
    #: "retrieve_campaign_data".
    action: Action = ""
    #: This page's number, 1-based.
    page: Count = None
    #: Sessions in the whole view, not just this page.
    amount_of_sessions: Count = None
    sessions: list[SessionRow] = Field(alias="data")

    @property
    def items(self) -> list[SessionRow]:
        return self.sessions


class SessionHit(ApiModel):
    """One search result: a session without its progress."""

    session: EntityId
    campaign: Text = ""
    session_url: Text = ""
    sequence_id: Count = sequence_field("sequenceid")
    customid: Text = ""
    customvalcode: Text = ""
    firstname: Text = ""
    lastname: Text = ""
    email: Text = ""
    phone: Text = ""
    created_date_utc: UtcTime = None

    @property
    def short_code(self) -> str:
        return short_code(self.session)


class SessionSearch(Reply):
    """`session.search` and `campaign.session_search` (no match: empty list)."""

    amount_of_sessions: Count = None
    sessions: list[SessionHit]

    @property
    def items(self) -> list[SessionHit]:
        return self.sessions


class SessionUpdated(Reply):
    """`session.update`."""

    campaign: Text = ""
    #: "couponsession_updated".
    action: Action = ""
    #: The full session code that was updated.
    session: Text = ""


class SessionsUpdated(Reply):
    """`session.update_many`."""

    #: "couponsessions_updated".
    action: Action = ""
    amount_updated: Count = None
    #: The codes that were updated.
    sessions: list[Text] = Field(default_factory=list)

    @property
    def items(self) -> list[str]:
        return self.sessions
