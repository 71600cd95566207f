"""Pydantic models of the Coupontools responses, one module per area.

The client picks the model by the name in the catalogue
(`getattr(ctconsole.api.models, op.model).model_validate(payload)`), where
`payload` is the whole decoded body, envelope included. The quirks of the wire
format are normalised by the annotated types in `base`; unknown fields are kept
(`model_extra`); secrets are `SecretStr`.
"""

from __future__ import annotations

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
    "UsageStats",
    "V4LoyaltyCard",
    "WebhookVerification",
]
