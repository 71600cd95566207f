"""The one declarative table of Coupontools operations.

Everything that needs to know about an operation reads it from here: the client
(path, parameter validation, read/write, response model, paging), the `call` and
`ops` CLI commands, the sandbox's routing, and cache freshness and invalidation.
Nothing else restates a path or a parameter list.

The table is the project's wire contract for the 31 operations (docs/DESIGN.md,
"Wire format", has each one's answer). Eight contracts are *inferred*
(the public docs could not be reached for them); their paths can be overridden
from config (`[api.paths]`) without a code change, see `Catalogue.with_paths`.

This module is plain data: it imports neither the models nor httpx, so the
sandbox can route by it without seeing how the client parses responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, Mapping

Kind = Literal["read", "write"]
Contract = Literal["documented", "inferred"]
ParamType = Literal[
    "str",  # free text
    "int",  # whole number, optionally bounded by min/max
    "bool",  # true/false (CLI also takes yes/no/1/0)
    "enum",  # one of `choices`
    "id",  # an entity ID such as cam_123; `prefix` is enforced when known
    "code",  # a coupon session code: 21 or 6 letters and digits
    "codes",  # a list of session codes
    "date",  # yyyy-MM-dd
    "datetime",  # C3's 'yyyy-MM-dd hh-mm' or 'yyyy-MM-dd'
    "email",
    "phone",
]


@dataclass(frozen=True)
class Param:
    """One request parameter, named exactly as the API names it."""

    name: str
    type: ParamType = "str"
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    prefix: str | None = None
    #: False for parameters that select the path (C3's `view`) instead of
    #: travelling in the body.
    sent: bool = True
    #: True where the parameter's *name* is our inference, not documented.
    inferred: bool = False
    #: Secret request values (passwords) are redacted in journals and logs.
    secret: bool = False
    #: Free text only: its allowed characters, a key of `ctconsole.safetext.CHARS`
    #: ("line", "lines", "token", "secret"). Every free-text parameter also
    #: has a `max` length, so a paste of a whole file is refused before sending.
    chars: str | None = None


@dataclass(frozen=True)
class OneOf:
    """At least one of `names` must be given (C7/C8 search fields)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class RequiredIf:
    """`names` are required when parameter `when` has the value `equals`."""

    when: str
    equals: object
    names: tuple[str, ...]


Rule = OneOf | RequiredIf


@dataclass(frozen=True)
class Invalidates:
    """A cached read that a successful write makes stale.

    `match` pairs a parameter of the write with the parameter of the read that
    must be equal for an entry to be stale; an empty `match` makes every cached
    entry of `operation` stale.
    """

    operation: str
    match: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Paging:
    """How a paginated read walks its pages: 1-based `param`, `size` items a
    page, items under `items`; a short or empty page ends the walk."""

    param: str
    size: int
    items: str
    first: int = 1


@dataclass(frozen=True)
class Operation:
    """One API operation: where it goes, what it takes, what it returns."""

    name: str
    title: str
    kind: Kind
    path: str
    params: tuple[Param, ...] = ()
    #: Name of the pydantic model in `ctconsole.api.models` (a string, so this
    #: table never imports the models).
    model: str = "Ack"
    contract: Contract = "documented"
    #: What in the contract is inferred although the operation is documented.
    note: str = ""
    rules: tuple[Rule, ...] = ()
    invalidates: tuple[Invalidates, ...] = ()
    paging: Paging | None = None
    #: Path per value of the unsent `view` parameter (C3's filtered views).
    variants: Mapping[str, str] = field(default_factory=dict)
    #: How long a cached read is fresh, in seconds (config can override).
    max_age: float = 60.0
    #: Group for menus and `ops` listing.
    group: str = ""
    #: Credentials of a subaccount get error 102 on this operation.
    main_account_only: bool = False

    @property
    def is_read(self) -> bool:
        return self.kind == "read"

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def path_for(self, params: Mapping[str, object]) -> str:
        """The path to POST to, choosing a variant when the op has views."""
        if self.variants:
            view = str(params.get("view") or "all")
            return self.variants.get(view, self.path)
        return self.path


# Reusable parameter definitions (the API spells them the same everywhere).
SUBACCOUNT = Param("subaccount", "id", True, "Subaccount ID (sub_…)", prefix="sub_")
CAMPAIGN = Param("campaign", "id", True, "Campaign ID (cam_…)", prefix="cam_")
COUPONSESSION = Param(
    "couponsession", "code", True, "Session code, 21 characters or the 6-character short form"
)
LOYALTYCARD = Param("loyaltycard", "id", True, "Loyalty card ID (from loyalty.list)")
LOYALTY_USER = Param("user", "id", True, "Loyalty user ID (from loyalty.users)")
DIRECTORY = Param("directory", "id", True, "Directory ID (dir_…)", prefix="dir_")
DIRECTORY_USER = Param("user", "id", True, "Registered directory user ID (reg_…)", prefix="reg_")
MESSAGE = Param("message", "str", True, "Text of the push notification", min=1, max=1000,
                chars="lines")

SEARCH_FIELDS = (
    Param("customvalcode", "str", doc="Custom validation code", inferred=True, max=100,
          chars="line"),
    Param("email", "email", doc="Customer e-mail", inferred=True),
    Param("phone", "phone", doc="Customer phone", inferred=True),
)

#: The password means something else per operation (what leaving it out does).
NEW_PASSWORD = Param("password", "str", doc="Login password; omitted: the subaccount gets a "
                     "set-password e-mail", secret=True, max=128, chars="secret")
CHANGED_PASSWORD = Param("password", "str", doc="New login password; omitted: the password "
                         "stays as it is", secret=True, max=128, chars="secret")

#: The other fields of subaccount.create that subaccount.update also sets.
SUBACCOUNT_FIELDS = (
    Param("package", "id", doc="Package ID (pac_…)", prefix="pac_"),
    Param("status", "enum", doc="Commercial status", choices=("trial", "customer")),
    Param("first_name", "str", max=100, chars="line"),
    Param("last_name", "str", max=100, chars="line"),
    Param("country", "str", doc="ISO 3166 alpha-2 code, e.g. US", min=2, max=2, chars="token"),
    Param("company_name", "str", max=200, chars="line"),
    Param("expiry_date", "date", doc="Account expiry, yyyy-MM-dd"),
)

SESSION_STATE_FIELDS = (
    Param("claimed", "bool", doc="Mark the session claimed", inferred=True),
    Param("validated", "bool", doc="Mark the session validated (redeemed)", inferred=True),
    Param("voided", "bool", doc="Void or un-void the session", inferred=True),
    Param("locked", "bool", doc="Lock or unlock the session", inferred=True),
    Param("validation_value", "str", doc="Value recorded with the validation", inferred=True,
          max=255, chars="line"),
    Param("customid", "str", doc="Your own ID for the session", inferred=True, max=255,
          chars="line"),
)

# Cache invalidation shorthands.
#: Writes that create or remove sessions of one campaign stale that campaign's views.
_CAMPAIGN_SESSIONS = (
    Invalidates("campaign.sessions", (("campaign", "campaign"),)),
    Invalidates("campaign.session_search", (("campaign", "campaign"),)),
    Invalidates("campaign.info", (("campaign", "campaign"),)),
    Invalidates("session.search"),
    Invalidates("campaign.list"),
)
_SESSIONS_ANY = (
    Invalidates("campaign.sessions"),
    Invalidates("session.search"),
    Invalidates("campaign.session_search"),
    Invalidates("campaign.info"),
)

OPERATIONS: tuple[Operation, ...] = (
    # --- Subaccount -----------------------------------------------------------
    Operation(
        "subaccount.list", "Retrieve a list of subaccounts", "read", "/v4/subaccount/list",
        model="SubaccountList", group="subaccount", max_age=300, main_account_only=True,
    ),
    Operation(
        "subaccount.info", "Retrieve info of a subaccount", "read", "/v4/subaccount",
        (SUBACCOUNT,), model="SubaccountInfo", group="subaccount", max_age=300,
        main_account_only=True,
    ),
    Operation(
        "subaccount.create", "Create a subaccount", "write", "/v4/subaccount/create",
        (Param("email", "email", True, "Login e-mail of the new subaccount"), NEW_PASSWORD,
         *SUBACCOUNT_FIELDS),
        model="SubaccountCreated", note="response inferred: subaccount.ID",
        invalidates=(Invalidates("subaccount.list"),), group="subaccount",
        main_account_only=True,
    ),
    Operation(
        "subaccount.update", "Update a subaccount", "write", "/v4/subaccount/update",
        (SUBACCOUNT, CHANGED_PASSWORD, *SUBACCOUNT_FIELDS), model="SubaccountCreated",
        contract="inferred",
        invalidates=(
            Invalidates("subaccount.list"),
            Invalidates("subaccount.info", (("subaccount", "subaccount"),)),
        ),
        group="subaccount", main_account_only=True,
    ),
    Operation(
        "subaccount.reset_url", "Create password reset url for subaccount", "write",
        "/v3/subaccount/reset/url", (SUBACCOUNT,), model="ResetUrl",
        note="response inferred: url", group="subaccount", main_account_only=True,
    ),
    Operation(
        "subaccount.sso", "Single sign on for subaccounts", "write", "/v3/subaccount/sso",
        (
            SUBACCOUNT,
            Param("page", "enum", doc="Dashboard page to open after login",
                  choices=("campaigns", "add_campaign", "update_campaign", "statistics", "distribution")),
            Param("campaign", "id", doc="Campaign to open (with page=update_campaign)", prefix="cam_"),
        ),
        model="SsoLogin", rules=(RequiredIf("page", "update_campaign", ("campaign",)),),
        group="subaccount", main_account_only=True,
    ),
    # --- Campaign -------------------------------------------------------------
    Operation(
        "campaign.list", "Retrieve a list of your campaigns", "read", "/v3/coupon/list",
        (
            Param("only_active", "bool", doc="Only campaigns flagged active"),
            Param("folder", "str", doc="Folder ID", max=64, chars="token"),
            Param("tags", "str", doc="Comma-separated tags", max=500, chars="line"),
            Param("category", "id", doc="Category ID (cat_…)", prefix="cat_"),
        ),
        model="CampaignList", note="response inferred: coupon_info[]", group="campaign",
        max_age=300,
    ),
    Operation(
        "campaign.info", "Retrieve information from a campaign", "read", "/v3/coupon/info",
        (CAMPAIGN, Param("show_usage_stats", "bool", doc="Add usage statistics")),
        model="CampaignInfo", note="response inferred: coupon_info", group="campaign",
        max_age=120,
    ),
    Operation(
        "campaign.sessions", "Retrieve all usage data from a campaign", "read", "/v3/campaign/data",
        (
            CAMPAIGN,
            Param("view", "enum", doc="Which sessions: all, or only opened/claimed/validated",
                  choices=("all", "opens", "claims", "validations"), sent=False),
            Param("page", "int", doc="Page number (1-based, 5000 sessions a page)", min=1),
            Param("start_date", "datetime", doc="From this UTC time: 'yyyy-MM-dd hh-mm' or 'yyyy-MM-dd'"),
            Param("end_date", "datetime", doc="Up to this UTC time, same formats"),
        ),
        model="SessionPage", note="response inferred: data[]; pages of 5000",
        paging=Paging("page", 5000, "data"),
        variants={
            "all": "/v3/campaign/data",
            "opens": "/v3/campaign/opens",
            "claims": "/v3/campaign/claims",
            "validations": "/v3/campaign/validations",
        },
        group="campaign", max_age=60,
    ),
    Operation(
        "session.info", "Retrieve all data from one coupon session", "read",
        "/v3/couponsession/data", (COUPONSESSION,), model="SessionInfo", group="session",
        max_age=15,
    ),
    Operation(
        "session.update", "Update data from a coupon session", "write", "/v3/couponsession/update",
        (COUPONSESSION, *SESSION_STATE_FIELDS), model="SessionUpdated",
        note="state fields inferred",
        invalidates=(Invalidates("session.info", (("couponsession", "couponsession"),)), *_SESSIONS_ANY),
        group="session",
    ),
    Operation(
        "session.update_many", "Update data from multiple coupon sessions", "write",
        "/v3/couponsession/update/multiple",
        (Param("couponsessions", "codes", True, "Session codes to update", min=1, max=1000),
         *SESSION_STATE_FIELDS),
        model="SessionsUpdated", contract="inferred",
        invalidates=(Invalidates("session.info", (("couponsessions", "couponsession"),)), *_SESSIONS_ANY),
        group="session",
    ),
    Operation(
        "session.search", "Search coupon session", "read", "/v3/couponsession/search",
        SEARCH_FIELDS, model="SessionSearch", note="parameter names inferred",
        rules=(OneOf(("customvalcode", "email", "phone")),), group="session", max_age=15,
    ),
    Operation(
        "campaign.session_search", "Search coupon session from a campaign", "read",
        "/v3/campaign/couponsession/search", (CAMPAIGN, *SEARCH_FIELDS), model="SessionSearch",
        contract="inferred", rules=(OneOf(("customvalcode", "email", "phone")),),
        group="session", max_age=15,
    ),
    Operation(
        "campaign.push", "Send single push notification", "write",
        "/v3/coupon/pushnotification/single", (CAMPAIGN, COUPONSESSION, MESSAGE), model="Ack",
        group="campaign",
    ),
    Operation(
        "campaign.push_all", "Send push notification to all", "write",
        "/v3/coupon/pushnotification/all", (CAMPAIGN, MESSAGE), model="PushSent",
        contract="inferred", group="campaign",
    ),
    # --- Loyalty card ---------------------------------------------------------
    Operation(
        "loyalty.list", "Retrieve a list of your loyalty cards", "read", "/v3/loyalty/list",
        (
            Param("only_active", "bool", doc="Only cards flagged active"),
            Param("sorting", "enum", doc="By creation date", choices=("asc", "desc")),
        ),
        model="LoyaltyCardList", note="response inferred", group="loyalty", max_age=300,
    ),
    Operation(
        "loyalty.users", "Retrieve a list of users from a loyalty card", "read",
        "/v3/loyaltyusers/list", (LOYALTYCARD,), model="LoyaltyUserList",
        note="response inferred", group="loyalty", max_age=60,
    ),
    Operation(
        "loyalty.user_update", "Update loyalty card user", "write", "/v3/loyaltyusers/update",
        (
            LOYALTYCARD,
            LOYALTY_USER,
            Param("stamps", "int", doc="Stamps to add (negative removes)", min=-10000, max=10000, inferred=True),
            Param("points", "int", doc="Points to add (negative removes)", min=-1000000, max=1000000, inferred=True),
            Param("voided", "bool", doc="Void or un-void the user", inferred=True),
        ),
        model="LoyaltyUserUpdated", note="change fields inferred",
        rules=(OneOf(("stamps", "points", "voided")),),
        invalidates=(Invalidates("loyalty.users", (("loyaltycard", "loyaltycard"),)),
                     Invalidates("loyalty.list")),
        group="loyalty",
    ),
    Operation(
        "loyalty.push", "Send single push notification (loyalty)", "write",
        "/v3/loyalty/pushnotification/single", (LOYALTYCARD, LOYALTY_USER, MESSAGE),
        model="Ack", contract="inferred", group="loyalty",
    ),
    Operation(
        "loyalty.push_all", "Send push notification to all (loyalty)", "write",
        "/v3/loyalty/pushnotification/all", (LOYALTYCARD, MESSAGE), model="PushSent",
        contract="inferred", group="loyalty",
    ),
    # --- Directory ------------------------------------------------------------
    Operation(
        "directory.list", "Retrieve a list of your directories", "read", "/v3/directory/list",
        model="DirectoryList", note="response inferred", group="directory", max_age=300,
    ),
    Operation(
        "directory.info", "Retrieve information from a directory", "read", "/v3/directory/info",
        (DIRECTORY,), model="DirectoryInfo", note="response inferred", group="directory",
        max_age=300,
    ),
    Operation(
        "directory.campaigns", "Retrieve all campaigns from a directory", "read",
        "/v3/directory/campaigns", (DIRECTORY,), model="DirectoryCampaigns",
        contract="inferred", group="directory", max_age=300,
    ),
    Operation(
        "directory.users", "Retrieve registered users from a directory", "read",
        "/v3/directoryusers/list",
        (DIRECTORY, Param("page", "int", doc="Page number (1-based, 100 users a page, newest first)", min=1)),
        model="DirectoryUserPage", note="response inferred", paging=Paging("page", 100, "users"),
        group="directory", max_age=60,
    ),
    Operation(
        "directory.user_payment", "Update directory user payment status", "write",
        "/v3/directoryusers/update",
        (
            DIRECTORY,
            DIRECTORY_USER,
            Param("payment_status", "enum", True, "New payment status", choices=("paid", "unpaid"), inferred=True),
            Param("expiry_date", "date", doc="Paid access until, yyyy-MM-dd", inferred=True),
        ),
        model="DirectoryUserUpdated", note="status fields inferred",
        invalidates=(Invalidates("directory.users", (("directory", "directory"),)),
                     Invalidates("directory.info", (("directory", "directory"),))),
        group="directory",
    ),
    Operation(
        "category.list", "Retrieve a list of categories", "read", "/v3/category/list",
        model="CategoryList", note="response inferred", group="directory", max_age=86400,
    ),
    Operation(
        "category.level3", "Retrieve a list of 3rd level categories", "read",
        "/v3/category/main/list", model="CategoryList", note="response inferred",
        group="directory", max_age=86400,
    ),
    # --- Single use -----------------------------------------------------------
    Operation(
        "singleuse.create", "Create a single use access URL", "write", "/v3/singleuse/create",
        (
            CAMPAIGN,
            Param("firstname", "str", doc="Prefill: first name", max=100, chars="line"),
            Param("lastname", "str", doc="Prefill: last name", max=100, chars="line"),
            Param("email", "email", doc="Prefill: e-mail"),
            Param("phone", "phone", doc="Prefill: phone"),
            Param("customid", "str", doc="Your own ID", max=255, chars="line"),
            Param("customvalcode", "str", doc="Your own validation code", max=100, chars="line"),
            Param("duplicate_check", "bool", doc="Return the existing URL for the same e-mail/phone/custom ID"),
            Param("expiry_date", "str", doc="Expiry, yyyy-MM-dd:HH:mm:ss", max=19,
                  chars="token"),
        ),
        model="SingleUseCreated", note="parameter names from public client code; response inferred",
        invalidates=_CAMPAIGN_SESSIONS, group="singleuse",
    ),
    Operation(
        "singleuse.create_many", "Create multiple single use access URLs", "write",
        "/v3/multiplesingleuse/create",
        (
            CAMPAIGN,
            Param("amount", "int", doc="How many URLs (default 10)", min=1, max=100000),
            Param("status", "enum", doc="Initial state", choices=("normal", "voided", "activated")),
            Param("automated_codes", "bool", doc="Also generate custom validation codes"),
            Param("code_prefix", "str", doc="Prefix of generated codes", max=20, chars="token"),
            Param("code_length", "int", doc="Length after the prefix", min=10, max=25),
            Param("code_type", "enum", doc="Character set", choices=("numeric", "alphanumeric")),
        ),
        model="SingleUseBatch",
        rules=(RequiredIf("automated_codes", True, ("code_prefix", "code_length", "code_type")),),
        invalidates=_CAMPAIGN_SESSIONS, group="singleuse",
    ),
    Operation(
        "singleuse.remove", "Remove a single use access URL", "write", "/v3/singleuse/remove",
        (CAMPAIGN, COUPONSESSION), model="SingleUseRemoved", contract="inferred",
        invalidates=(Invalidates("session.info", (("couponsession", "couponsession"),)), *_CAMPAIGN_SESSIONS),
        group="singleuse",
    ),
    # --- Outside the 31-item menu ---------------------------------------------
    Operation(
        "webhook.verify", "Verify a webhook event", "read", "/v3/webhook/verification",
        (
            Param("webhook", "id", True, "Webhook event ID (evt_…)", prefix="evt_"),
            Param("session", "code", doc="Session code the event is about"),
        ),
        model="WebhookVerification", group="other", max_age=0,
    ),
    Operation(
        "auth.check", "Check the credentials", "read", "/v3/authentication",
        model="Ack", contract="inferred",
        note="the docs show the response, not the path", group="other", max_age=0,
    ),
)


class UnknownOperation(KeyError):
    """Raised for an operation name the catalogue does not have."""


@dataclass(frozen=True)
class Catalogue:
    """The operations, looked up by name or by path.

    A catalogue is immutable; `with_paths` returns a copy with paths overridden
    from config, so an inferred contract can be corrected without code.
    """

    operations: tuple[Operation, ...] = OPERATIONS

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {op.name: op for op in self.operations})

    def __iter__(self):
        return iter(self.operations)

    def __len__(self) -> int:
        return len(self.operations)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name  # type: ignore[attr-defined]

    def get(self, name: str) -> Operation:
        try:
            return self._by_name[name]  # type: ignore[attr-defined]
        except KeyError:
            raise UnknownOperation(name) from None

    def by_path(self) -> dict[str, tuple[Operation, str]]:
        """Map every path (variants included) to its operation and view."""
        routes: dict[str, tuple[Operation, str]] = {}
        for op in self.operations:
            routes[op.path] = (op, "all")
            for view, path in op.variants.items():
                routes[path] = (op, view)
        return routes

    def with_paths(self, overrides: Mapping[str, str]) -> "Catalogue":
        """A copy where `overrides` (operation name → path) replace paths.

        Raises:
            UnknownOperation: an override names no operation.
        """
        for name in overrides:
            self.get(name)
        ops = tuple(
            replace(op, path=overrides[op.name]) if op.name in overrides else op
            for op in self.operations
        )
        return Catalogue(ops)

    def affected_by(self, write: Operation) -> tuple[Invalidates, ...]:
        """The cached reads that `write` makes stale."""
        return write.invalidates


#: The default catalogue, as the docs describe the API.
CATALOGUE = Catalogue()
