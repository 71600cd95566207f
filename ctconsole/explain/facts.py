"""What the rules look at: plain, already-fetched facts about one ticket.

Plain dataclasses, so the rules are pure functions that tests can feed with a
few literals; `gather.py` builds them from API answers and the journal.
Dates are aware UTC datetimes; campaign days are `date`s (a run includes its
end day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Account:
    """Where something lives: "main" or a subaccount ID, and its display name."""

    id: str
    name: str = ""

    @property
    def label(self) -> str:
        if self.id == "main":
            return "the main account"
        return f"{self.name} ({self.id})" if self.name and self.name != self.id else self.id


@dataclass(frozen=True)
class SessionFacts:
    code: str
    campaign: str
    created: datetime | None = None
    opened: bool = False
    claimed: bool = False
    claim_date: datetime | None = None
    claimtype: str = ""
    validated: bool = False
    validation_date: datetime | None = None
    validation_value: str = ""
    voided: bool = False
    voided_date: datetime | None = None
    locked: bool = False
    single_use_url: str = ""
    session_url: str = ""
    customvalcode: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def short(self) -> str:
        return self.code[:6]


@dataclass(frozen=True)
class CampaignFacts:
    id: str
    code: str = ""
    name: str = ""
    #: "active", "inactive" or "example".
    status: str = "active"
    start: date | None = None
    end: date | None = None
    single_use: bool = False


@dataclass(frozen=True)
class LoyaltyFacts:
    card: str
    user: str
    card_name: str = ""
    #: "stamp" or "points".
    type: str = "stamp"
    stamps_required: int | None = None
    stamps: int = 0
    points: int = 0
    voided: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class WriteFacts:
    """One write this machine's journal made on the object."""

    entry: str
    time: datetime
    operation: str
    params: dict = field(default_factory=dict)
    outcome: str = "ok"
    user: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class Facts:
    """Everything known about the ticket when the rules run."""

    now: datetime
    #: What the support person pasted, as it was searched (code, link, …).
    asked: str = ""
    session: SessionFacts | None = None
    campaign: CampaignFacts | None = None
    #: The account the session (or loyalty user) lives in.
    owner: Account | None = None
    #: The subaccount the customer said the coupon is for, if they named one.
    named: Account | None = None
    #: A pasted link's campaign, when the link's session no longer answers.
    link_campaign: CampaignFacts | None = None
    loyalty: LoyaltyFacts | None = None
    writes: tuple[WriteFacts, ...] = ()
    #: Where it was looked for ("the main account and 5 subaccounts").
    searched: str = ""
