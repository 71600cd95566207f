"""Acting as a subaccount: a client with the subaccount's own credentials,
and the errors of not getting one.

The subaccount list hands out each subaccount's API key and secret; the
cache never keeps them (`ctconsole.redaction`), so a cached list yields no
client and the caller fetches the list fresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ctconsole.api.errors import CtError

if TYPE_CHECKING:
    from ctconsole.api.client import Client


class MissingCredentials(CtError):
    """The subaccount list gave no API key/secret for this subaccount."""

    def __init__(self, *, offline: bool = False) -> None:
        if offline:
            # The cache never stores credentials, so offline they cannot be had.
            super().__init__("Offline: no API credentials",
                             "A subaccount's campaigns are fetched with its own API key and "
                             "secret, which are never kept in the cache. Connect and press r.")
        else:
            super().__init__("No API credentials",
                             "The subaccount list did not include this subaccount's API key "
                             "and secret, so its campaigns cannot be fetched.")


class SubaccountNotListed(CtError):
    """The ID is not among the account's subaccounts."""

    def __init__(self, sub_id: str) -> None:
        super().__init__("Subaccount not found",
                         f"{sub_id} is not in this account's subaccount list.")


def subaccount_client(client: Client, sub: Any) -> Client | None:
    """A client logged in as `sub`, or None when its credentials are missing."""
    key = sub.api_key.get_secret_value() if sub.api_key is not None else ""
    secret = sub.api_secret.get_secret_value() if sub.api_secret is not None else ""
    if not key or not secret:  # absent, or blanked by the cache (it never keeps them)
        return None
    return client.for_subaccount(key, secret)
