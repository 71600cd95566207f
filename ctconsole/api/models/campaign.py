"""Campaigns (operations C1, C2): the list and one campaign with its usage
statistics.

Both replies put their payload under `coupon_info` ("coupon" is the old name
of a campaign): a list for C1, an object for C2. Counters are strings on the
wire; `Count` makes them numbers.
"""

from __future__ import annotations

from pydantic import Field

from .base import ApiModel, Count, Day, DayOrTime, EntityId, Flag, Reply, Text, id_field


class Campaign(ApiModel):
    """One campaign as `campaign.list` describes it."""

    id: EntityId = id_field()
    #: The 6-character code in the campaign's public URL.
    code: Text = ""
    #: Internal name (what the account owner sees).
    name: Text = ""
    #: Public title (what customers see).
    title: Text = ""
    #: Campaign type, e.g. a coupon or a game.
    type: Text = ""
    #: "active", "inactive" or "example".
    status: Text = ""
    url: Text = ""
    #: Folder ID ("" when not filed).
    folder: Text = ""
    #: Comma-separated tags.
    tags: Text = ""
    #: Category ID (`cat_…`, "" when none).
    category: Text = ""
    created_date: DayOrTime = None
    start_date: DayOrTime = None
    end_date: DayOrTime = None
    #: Sessions created so far.
    amount_of_sessions: Count = None

    @property
    def is_active(self) -> bool:
        return self.status.strip().lower() == "active"


class CampaignDetail(Campaign):
    """One campaign as `campaign.info` describes it."""

    description: Text = ""
    expiry_date: DayOrTime = None
    #: Whether the campaign is only reachable through single-use URLs.
    single_use: Flag = None
    #: How often one session may be validated (redeemed).
    max_validations_per_session: Count = None


class UsageStats(ApiModel):
    """Counters of a campaign's sessions (`show_usage_stats=true`)."""

    sessions: Count = None
    opened: Count = None
    played: Count = None
    claimed: Count = None
    validated: Count = None
    voided: Count = None
    #: Custom validation codes uploaded, and how many of them were handed out.
    custom_validation_codes: Count = None
    custom_validation_codes_claimed: Count = None


class CampaignList(Reply):
    """`campaign.list`."""

    amount_of_campaigns: Count = None
    campaigns: list[Campaign] = Field(alias="coupon_info")

    @property
    def items(self) -> list[Campaign]:
        return self.campaigns


class CampaignInfo(Reply):
    """`campaign.info`."""

    campaign: CampaignDetail = Field(alias="coupon_info")
    #: Only present when asked for with `show_usage_stats`.
    usage_stats: UsageStats | None = None


class PushSent(Reply):
    """`campaign.push_all` and `loyalty.push_all`."""

    #: How many recipients the notification went to.
    amount_of_recipients: Count = None
