"""One handler per catalogue operation, registered by operation name.

A handler takes a `Call` (the checked parameters, the caller's account and
the state) and returns the payload dict that goes beside `status`; it raises
`wire.ApiFailure` for API errors. `Call`'s lookups apply the account scoping
once for all handlers: an entity of another account answers exactly like an
entity that does not exist, as the real API does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ctconsole.api.catalogue import Operation

from . import wire
from .data import State

HANDLERS: dict[str, Callable[["Call"], dict]] = {}


def handles(name: str):
    def register(fn: Callable[["Call"], dict]) -> Callable[["Call"], dict]:
        HANDLERS[name] = fn
        return fn

    return register


@dataclass
class Call:
    op: Operation
    view: str
    owner: str  # "main" or the subaccount ID whose credentials were used
    params: dict
    state: State

    def get(self, name: str, default=None):
        return self.params.get(name, default)

    def campaign(self, cid: str | None = None) -> dict:
        cid = cid or self.params["campaign"]
        camp = self.state.campaigns.get(cid)
        if camp is None or camp["owner"] != self.owner:
            raise wire.ApiFailure(wire.CAMPAIGN_NOT_FOUND)
        return camp

    def session(self, code: str | None = None, *, campaign: str | None = None,
                write: bool = False) -> dict:
        code = code or self.params["couponsession"]
        store = self.state.sessions
        rec = store.write(code) if write and self._visible(store.read(code), campaign) else store.read(code)
        if not self._visible(rec, campaign):
            raise wire.ApiFailure(wire.SESSION_NOT_FOUND)
        return rec

    def _visible(self, rec: dict | None, campaign: str | None) -> bool:
        if rec is None or (campaign and rec["campaign"] != campaign):
            return False
        camp = self.state.campaigns.get(rec["campaign"])
        return camp is not None and camp["owner"] == self.owner

    def card(self) -> dict:
        card = self.state.loyalty.get(self.params["loyaltycard"])
        if card is None or card["owner"] != self.owner:
            raise wire.ApiFailure(wire.LOYALTY_NOT_FOUND)
        return card

    def directory(self) -> dict:
        d = self.state.directories.get(self.params["directory"])
        if d is None or d["owner"] != self.owner:
            raise wire.ApiFailure(wire.DIRECTORY_NOT_FOUND)
        return d

    def subaccount(self) -> dict:
        sub = self.state.subaccounts.get(self.params["subaccount"])
        if sub is None:
            raise wire.ApiFailure(wire.SUBACCOUNT_NOT_FOUND)
        return sub

    def now(self) -> str:
        return self.state.now_str()


def n(value: int) -> str:
    """Counters travel as strings."""
    return str(value)


def pick(record: dict, keys: tuple[str, ...]) -> dict:
    return {k: record[k] for k in keys}
