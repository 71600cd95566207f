"""Single-use access URLs (operations U1-U3) and webhook verification.

A single-use URL is a pre-made coupon session handed to one known person.
These replies spell the sequence number `sequence_id` and send it as a JSON
number, unlike the session reads (`sequenceid`, a string); both end up as
`.sequence_id: int | None`. The create-many action is documented with a
leading space, which `Action` strips.
"""

from __future__ import annotations

from pydantic import Field

from .base import Action, ApiModel, Count, EntityId, LocalTime, Reply, Text, sequence_field
from .session import short_code


class SingleUse(ApiModel):
    """One single-use code and its URL."""

    #: The 21-character session code behind the URL.
    single_use_code: EntityId
    sequence_id: Count = sequence_field("sequence_id")
    single_use_url: Text = ""
    #: 6-character code the validation widget accepts (the code's short form).
    widget_validation_code: Text = ""
    customvalcode: Text = ""

    @property
    def short_code(self) -> str:
        return short_code(self.single_use_code)


class SingleUseCreated(Reply, SingleUse):
    """`singleuse.create`: one code, its fields at the top level."""

    campaign: Text = ""
    #: "single_use_code_created".
    action: Action = ""


class SingleUseBatch(Reply):
    """`singleuse.create_many`."""

    campaign: Text = ""
    #: "multiple_single_use_codes_created" (documented with a leading space).
    action: Action = ""
    codes: list[SingleUse] = Field(alias="data")

    @property
    def items(self) -> list[SingleUse]:
        return self.codes


class SingleUseRemoved(Reply):
    """`singleuse.remove`."""

    campaign: Text = ""
    #: "single_use_code_removed".
    action: Action = ""
    #: The session code that was removed.
    couponsession: Text = ""


class WebhookVerification(Reply):
    """`webhook.verify`: whether an event really came from Coupontools."""

    #: "valid" for a genuine event.
    result: Text = ""
    #: The event ID (`evt_…`).
    webhook: Text = ""
    #: When the event happened; zone undocumented, so kept naive.
    date: LocalTime = None
    campaign: Text = ""
    session: Text = ""
    #: Event type, e.g. "coupon_validated".
    type: Text = ""

    @property
    def is_valid(self) -> bool:
        return self.result.strip().lower() == "valid"
