"""Pydantic models of the Coupontools responses, one module per area.

The client picks the model by the name in the catalogue
(`getattr(ctconsole.api.models, op.model).model_validate(payload)`), where
`payload` is the whole decoded body, envelope included. (`quick` holds the
exception: pydantic-free first looks at a list's table columns, for a first
paint that must not wait for pydantic.) The quirks of the wire
format are normalised by the annotated types in `base`; unknown fields are kept
(`model_extra`); secrets are `SecretStr`.

The submodules are imported on first use of one of their names
(`ctconsole.lazy`), not all at once: building a pydantic model class costs about a millisecond,
and the console's first pane needs only `SubaccountList`; importing every
area up front would add them all to start-up. `from ctconsole.api.models
import X`, `models.X` and `getattr(models, name)` all work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctconsole import lazy

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from .base import (
        Ack,
        ApiModel,
        Reply,
        ReplyStatus,
    )
    from .campaign import Campaign, CampaignDetail, CampaignInfo, CampaignList, PushSent, UsageStats
    from .directory import (
        Category,
        CategoryList,
        Directory,
        DirectoryCampaign,
        DirectoryCampaigns,
        DirectoryDetail,
        DirectoryInfo,
        DirectoryList,
        DirectoryUser,
        DirectoryUserPage,
        DirectoryUserUpdated,
    )
    from .loyalty import (
        LoyaltyCard,
        LoyaltyCardList,
        LoyaltyUser,
        LoyaltyUserList,
        LoyaltyUserUpdated,
        V4LoyaltyCard,
    )
    from .session import (
        Session,
        SessionData,
        SessionHit,
        SessionInfo,
        SessionPage,
        SessionRow,
        SessionSearch,
        SessionState,
        SessionStatus,
        SessionUpdated,
        SessionUser,
        SessionsUpdated,
    )
    from .pydantic_free import SubaccountRows
    from .rows import LeanSessionPage, SessionRowData
    from .singleuse import SingleUse, SingleUseBatch, SingleUseCreated, SingleUseRemoved, WebhookVerification
    from .subaccount import (
        ResetUrl,
        SsoGrant,
        SsoLogin,
        Subaccount,
        SubaccountCampaign,
        SubaccountCreated,
        SubaccountDetail,
        SubaccountInfo,
        SubaccountList,
        SubaccountRef,
    )

#: Submodule -> the public names it defines.
_MODULES: dict[str, tuple[str, ...]] = {
    "base": (
        "Ack", "ApiModel", "Reply", "ReplyStatus",
    ),
    "campaign": (
        "Campaign", "CampaignDetail", "CampaignInfo", "CampaignList", "PushSent", "UsageStats",
    ),
    "directory": (
        "Category", "CategoryList", "Directory", "DirectoryCampaign", "DirectoryCampaigns",
        "DirectoryDetail", "DirectoryInfo", "DirectoryList", "DirectoryUser",
        "DirectoryUserPage", "DirectoryUserUpdated",
    ),
    "loyalty": (
        "LoyaltyCard", "LoyaltyCardList", "LoyaltyUser", "LoyaltyUserList",
        "LoyaltyUserUpdated", "V4LoyaltyCard",
    ),
    "pydantic_free": ("SubaccountRows",),
    "rows": ("LeanSessionPage", "SessionRowData"),
    "session": (
        "Session", "SessionData", "SessionHit", "SessionInfo", "SessionPage", "SessionRow",
        "SessionSearch", "SessionState", "SessionStatus", "SessionUpdated", "SessionUser",
        "SessionsUpdated",
    ),
    "singleuse": (
        "SingleUse", "SingleUseBatch", "SingleUseCreated", "SingleUseRemoved",
        "WebhookVerification",
    ),
    "subaccount": (
        "ResetUrl", "SsoGrant", "SsoLogin", "Subaccount", "SubaccountCampaign",
        "SubaccountCreated", "SubaccountDetail", "SubaccountInfo", "SubaccountList",
        "SubaccountRef",
    ),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__getattr__, __dir__ = lazy.attributes(
    __name__, {name: f".{module}" for name, module in _WHERE.items()})


__all__ = [
    "Ack",
    "ApiModel",
    "Campaign",
    "CampaignDetail",
    "CampaignInfo",
    "CampaignList",
    "Category",
    "CategoryList",
    "Directory",
    "DirectoryCampaign",
    "DirectoryCampaigns",
    "DirectoryDetail",
    "DirectoryInfo",
    "DirectoryList",
    "DirectoryUser",
    "DirectoryUserPage",
    "DirectoryUserUpdated",
    "LoyaltyCard",
    "LoyaltyCardList",
    "LoyaltyUser",
    "LoyaltyUserList",
    "LoyaltyUserUpdated",
    "LeanSessionPage",
    "PushSent",
    "Reply",
    "ReplyStatus",
    "ResetUrl",
    "Session",
    "SessionData",
    "SessionHit",
    "SessionInfo",
    "SessionPage",
    "SessionRow",
    "SessionRowData",
    "SessionSearch",
    "SessionState",
    "SessionStatus",
    "SessionUpdated",
    "SessionUser",
    "SessionsUpdated",
    "SingleUse",
    "SingleUseBatch",
    "SingleUseCreated",
    "SingleUseRemoved",
    "SsoGrant",
    "SsoLogin",
    "Subaccount",
    "SubaccountCampaign",
    "SubaccountCreated",
    "SubaccountDetail",
    "SubaccountInfo",
    "SubaccountList",
    "SubaccountRef",
    "SubaccountRows",
    "UsageStats",
    "V4LoyaltyCard",
    "WebhookVerification",
]
