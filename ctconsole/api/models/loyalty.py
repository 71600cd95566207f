"""Loyalty cards and their users (operations L1-L3), plus the newer v4 card
shape.

The v3 replies wrap lists under entity-named keys with string counters. The
v4 REST API (outside the 31 operations, documented examples only) returns bare
arrays of cards with a numeric lowercase `id`; `V4LoyaltyCard` recognises that
shape so the examples can be checked, nothing more.
"""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Count, DayOrTime, EntityId, Flag, Number, Reply, Text, UtcTime, id_field


class LoyaltyCard(ApiModel):
    """One loyalty card as `loyalty.list` describes it."""

    id: EntityId = id_field()
    name: Text = ""
    #: "stamp" or "points".
    type: Text = ""
    code: Text = ""
    url: Text = ""
    status: Text = ""
    created_date: DayOrTime = None
    #: Stamps needed for a full card (stamp cards).
    stamps_required: Count = None
    amount_of_users: Count = None


class LoyaltyCardList(Reply):
    """`loyalty.list`."""

    amount_of_loyaltycards: Count = None
    cards: list[LoyaltyCard] = Field(alias="loyaltycard")

    @property
    def items(self) -> list[LoyaltyCard]:
        return self.cards


class LoyaltyUser(ApiModel):
    """One holder of a loyalty card."""

    id: EntityId = id_field()
    firstname: Text = ""
    lastname: Text = ""
    email: Text = ""
    phone: Text = ""
    #: Current stamp balance.
    stamps: Count = None
    #: Current points balance.
    points: Count = None
    voided: Flag = None
    saved_to_wallet: Flag = None
    created_date_utc: UtcTime = None
    last_activity_utc: UtcTime = None

    @property
    def is_voided(self) -> bool:
        return bool(self.voided)


class LoyaltyUserList(Reply):
    """`loyalty.users`."""

    #: The card the users hold.
    loyaltycard: Text = ""
    amount_of_users: Count = None
    users: list[LoyaltyUser]

    @property
    def items(self) -> list[LoyaltyUser]:
        return self.users


class LoyaltyUserUpdated(Reply):
    """`loyalty.user_update`: the user's balances after the change."""

    loyaltycard: Text = ""
    user: Text = ""
    stamps: Count = None
    points: Count = None
    voided: Flag = None

    @property
    def is_voided(self) -> bool:
        return bool(self.voided)


class V4LoyaltyCard(ApiModel):
    """A card from the v4 REST API (`GET /v4/loyalty/loyalty-cards`): numeric
    `id`, a `domain` instead of a URL, no envelope. Not used by any of the
    catalogue's operations."""

    #: Numeric in v4 (v3 IDs are prefixed text).
    id: Number
    code: Text = ""
    name: Text = ""
    #: Host the card is served from, e.g. "save2wallet.link".
    domain: Text = ""
    #: "membership", "stamp", …
    type: Text = ""
