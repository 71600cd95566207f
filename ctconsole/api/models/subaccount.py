"""Subaccounts (operations S1-S6): the list, one account's details, and the
write replies.

Subaccount responses carry credentials in clear (`api_key`, `api_secret`) and
one-time login material (SSO token and URLs, password-reset URL). Those fields
are `SecretStr`: they print as `**********` in repr, str and
`model_dump(mode="json")`; code that really needs one calls
`.get_secret_value()` on it.

S1 sends counters as JSON numbers, S2 as strings; `Count` takes both.
"""

from __future__ import annotations

from pydantic import Field

from .base import (
    ApiModel,
    Count,
    Day,
    EntityId,
    Flag,
    LocalTime,
    Reply,
    Secret,
    Text,
    id_field,
)


class SubaccountCampaign(ApiModel):
    """A campaign as listed inside a subaccount."""

    id: EntityId = id_field()
    #: The 6-character campaign code used in its public URL.
    code: Text = ""
    url: Text = ""
    #: "active", "inactive" or "example" (a demo campaign every account gets).
    status: Text = ""


class Subaccount(ApiModel):
    """One subaccount as `subaccount.list` describes it."""

    id: EntityId = id_field()
    username: Text = ""
    company_name: Text = ""
    first_name: Text = ""
    last_name: Text = ""
    email: Text = ""
    #: Package (permission template) ID, `pac_…`.
    package: Text = ""
    language: Text = ""
    #: Last dashboard login; zone undocumented, so kept naive.
    lastlogin: LocalTime = None
    #: How many times the subaccount has logged in.
    amountlogin: Count = None
    currency: Text = ""
    #: Campaign quota of the subaccount.
    max_campaigns: Count = None
    #: Account expiry date; None when not set.
    expiry_date: Day = None
    #: The subaccount's own API credentials (masked; `.get_secret_value()`).
    api_key: Secret = None
    api_secret: Secret = None
    #: How many campaigns the subaccount has.
    has_campaigns: Count = None
    campaigns: list[SubaccountCampaign] = Field(default_factory=list)

    @property
    def display_name(self) -> str:
        """Company, else person, else username, else the ID: what a list shows."""
        person = f"{self.first_name} {self.last_name}".strip()
        return self.company_name or person or self.username or self.id


class SubaccountDetail(Subaccount):
    """One subaccount as `subaccount.info` describes it: the list fields plus
    settings and permission flags (JSON booleans on the wire)."""

    #: URL the subaccount's webhooks are posted to ("" when none).
    webhook_endpoint: Text = ""
    #: Documented as a count but the documented example holds "en", so the
    #: value is kept as sent; see `available_campaigns_count`.
    available_campaigns: Text = ""
    access_dashboard: Flag = None
    access_directory: Flag = None
    access_validation_widget: Flag = None
    access_settings: Flag = None
    access_validation_app: Flag = None
    access_support: Flag = None
    access_contactpage: Flag = None
    access_stats: Flag = None
    access_stats_export: Flag = None
    #: Whether the subaccount receives e-mailed reports.
    email_report: Flag = None
    show_amount_campaigns: Flag = None
    access_addcampaign: Flag = None
    access_updatecampaign: Flag = None
    access_removecampaign: Flag = None
    access_loyaltycards: Flag = None
    access_addloyalty: Flag = None
    access_updateloyalty: Flag = None
    access_removeloyalty: Flag = None
    enable_webhooks: Flag = None
    enable_review_manager: Flag = None
    #: Which campaign templates the subaccount sees (e.g. "all").
    shown_templates: Text = ""
    #: Campaign builder flavour (e.g. "standard").
    buildertype: Text = ""
    #: Which webhook events are sent (e.g. "all").
    webhook_type: Text = ""
    #: Which integrations are enabled (e.g. "all").
    integrations: Text = ""

    @property
    def available_campaigns_count(self) -> int | None:
        """`available_campaigns` as a number, or None when it is not one."""
        text = self.available_campaigns.strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None

    @property
    def permissions(self) -> dict[str, bool | None]:
        """The permission and feature flags by name, in wire order."""
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name.startswith(("access_", "enable_")) or name in ("email_report", "show_amount_campaigns")
        }


class SubaccountList(Reply):
    """`subaccount.list`."""

    #: Despite its name, the number of subaccounts (as documented).
    amount_of_campaigns: Count = None
    subaccounts: list[Subaccount] = Field(alias="subaccount")

    @property
    def items(self) -> list[Subaccount]:
        return self.subaccounts


class SubaccountInfo(Reply):
    """`subaccount.info`."""

    subaccount: SubaccountDetail


class SubaccountRef(ApiModel):
    """Just the ID of a subaccount, as the create/update replies give it."""

    id: EntityId = id_field()


class SubaccountCreated(Reply):
    """`subaccount.create` and `subaccount.update`: the subaccount's ID."""

    subaccount: SubaccountRef


class ResetUrl(Reply):
    """`subaccount.reset_url`: a one-time password-reset link (masked)."""

    #: The subaccount ID the link is for.
    subaccount: EntityId
    url: Secret = None


class SsoGrant(ApiModel):
    """The single-sign-on material for one subaccount (all of it masked)."""

    id: EntityId = id_field()
    #: Login token (49 characters in the docs).
    token: Secret = None
    #: Login URL on the Coupontools domain.
    url: Secret = None
    #: The same login on the account's white-label domain.
    url_whitelabel: Secret = None


class SsoLogin(Reply):
    """`subaccount.sso`."""

    subaccount: SsoGrant
