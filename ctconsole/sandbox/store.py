"""Every coupon session of the sandbox: stored ones plus the lazy big campaign.

Small campaigns keep their sessions as dicts. The big campaign is a
`LazyCampaign` plus an overlay: a session is copied into `records` the first
time a write touches it, and from then on that copy is the truth. Removed
sessions are remembered so they stop answering everywhere.
"""

from __future__ import annotations

from bisect import bisect_left

from .sessions import (CLAIMED, CUSTOMVAL, DEFAULTS, LazyCampaign, OPENED, PLAYED, VALIDATED,
                       VIEW_FLAG, VOIDED, WALLET, digits, flags_of)

VIEW_KEY = {"opens": "opened", "claims": "claimed", "validations": "validated"}


class SessionStore:
    def __init__(self, big: LazyCampaign | None) -> None:
        self.big = big
        self.records: dict[str, dict] = {}  # full code -> materialised record
        self.shorts: dict[str, str] = {}  # short form -> full code
        self.order: dict[str, list[str]] = {}  # campaign -> stored codes, oldest first
        self.overlay: dict[int, str] = {}  # big index -> code of its materialised copy
        self.removed_big: set[int] = set()

    # -- identity --------------------------------------------------------------
    def taken(self, code: str) -> bool:
        """Would `code` (or its short form) clash with an existing session?"""
        if code in self.records or code[:6] in self.shorts:
            return True
        return self.big is not None and self.big.index_of(code[:6]) is not None

    def add(self, rec: dict) -> dict:
        code = rec["session"]
        self.records[code] = rec
        self.shorts[code[:6]] = code
        self.order.setdefault(rec["campaign"], []).append(code)
        return rec

    def _big_index(self, code: str) -> int | None:
        if self.big is None:
            return None
        i = self.big.index_of(code)
        return None if i is None or i in self.removed_big else i

    def read(self, code: str) -> dict | None:
        """The session for a 21- or 6-char code (a copy for lazy ones)."""
        full = self.shorts.get(code) if len(code) == 6 else code
        if full and full in self.records:
            return self.records[full]
        i = self._big_index(code)
        return None if i is None else self.big.record(i)

    def write(self, code: str) -> dict | None:
        """The session for `code`, materialised so changes stick."""
        rec = self.read(code)
        if rec is None or rec["session"] in self.records:
            return rec
        i = self._big_index(code)
        self.records[rec["session"]] = rec
        self.shorts[rec["session"][:6]] = rec["session"]
        self.overlay[i] = rec["session"]
        return rec

    def remove(self, code: str) -> None:
        rec = self.read(code)
        if rec is None:
            return
        full = rec["session"]
        i = self._big_index(full)
        if i is not None:
            self.removed_big.add(i)
            self.overlay.pop(i, None)
        else:
            self.order[rec["campaign"]].remove(full)
        self.records.pop(full, None)
        self.shorts.pop(full[:6], None)

    # -- listing ---------------------------------------------------------------
    def _stored(self, cid: str, view: str, lo: str | None, hi: str | None) -> list[dict]:
        key = VIEW_KEY.get(view)
        recs = (self.records[c] for c in self.order.get(cid, ()))
        return [r for r in recs if (key is None or r[key] == "1")
                and (not lo or r["created_date_utc"] >= lo)
                and (not hi or r["created_date_utc"] <= hi)]

    def _big_indices(self, view: str, lo: str | None, hi: str | None):
        big = self.big
        start, stop = big.index_range(lo, hi)
        if view == "all":
            base = range(start, stop)
        else:
            full = big.view_list(view)
            base = full[bisect_left(full, start):bisect_left(full, stop)]
        touched = [i for i in list(self.overlay) + list(self.removed_big) if start <= i < stop]
        if not touched:
            return base
        key = VIEW_KEY.get(view)
        drop, extra = set(self.removed_big), []
        for i in touched:
            if i in self.removed_big:
                continue
            now_in = key is None or self.records[self.overlay[i]][key] == "1"
            was_in = key is None or bool(big.flags(i) & VIEW_FLAG[view])
            if was_in and not now_in:
                drop.add(i)
            elif now_in and not was_in:
                extra.append(i)
        kept = [i for i in base if i not in drop] if drop else list(base)
        return sorted(kept + extra) if extra else kept

    def page(self, cid: str, view: str, lo: str | None, hi: str | None,
             page: int, size: int) -> tuple[int, list[dict]]:
        """(total in the view, the records of 1-based `page`)."""
        stored = self._stored(cid, view, lo, hi)
        indices = self._big_indices(view, lo, hi) if self.big and cid == self.big.campaign_id else ()
        total = len(indices) + len(stored)
        first, last = (page - 1) * size, page * size
        out: list[dict] = []
        if first < len(indices):
            for i in indices[first:min(last, len(indices))]:
                code = self.overlay.get(i)
                out.append(self.records[code] if code else self.big.record(i))
        if last > len(indices):
            out.extend(stored[max(0, first - len(indices)):last - len(indices)])
        return total, out

    def count(self, cid: str) -> int:
        n = len(self.order.get(cid, ()))
        if self.big and cid == self.big.campaign_id:
            n += self.big.n - len(self.removed_big)
        return n

    def stats(self, cid: str) -> dict[str, int]:
        """Usage counters of one campaign (campaign.info usage_stats, push_all)."""
        totals = {"sessions": 0, "opened": 0, "played": 0, "claimed": 0, "validated": 0,
                  "voided": 0, "custom_validation_codes": 0, "custom_validation_codes_claimed": 0,
                  "recipients": 0}

        def tally(f: int, sign: int) -> None:
            totals["sessions"] += sign
            for name, bit in (("opened", OPENED), ("played", PLAYED), ("claimed", CLAIMED),
                              ("validated", VALIDATED), ("voided", VOIDED),
                              ("custom_validation_codes", CUSTOMVAL)):
                if f & bit:
                    totals[name] += sign
            if f & CUSTOMVAL and f & CLAIMED:
                totals["custom_validation_codes_claimed"] += sign
            if f & WALLET and not f & VOIDED:
                totals["recipients"] += sign

        for code in self.order.get(cid, ()):
            tally(flags_of(self.records[code]), 1)
        if self.big and cid == self.big.campaign_id:
            big, c = self.big, self.big.counts()
            totals["sessions"] += big.n
            for name, bit in (("opened", OPENED), ("played", PLAYED), ("claimed", CLAIMED),
                              ("validated", VALIDATED), ("voided", VOIDED),
                              ("custom_validation_codes", CUSTOMVAL)):
                totals[name] += c[bit]
            totals["custom_validation_codes_claimed"] += c[-1]
            totals["recipients"] += c["recipients"]
            for i in set(self.overlay) | self.removed_big:
                tally(big.flags(i), -1)
                if i in self.overlay:
                    tally(flags_of(self.records[self.overlay[i]]), 1)
        return totals

    # -- search ----------------------------------------------------------------
    def search(self, campaigns: set[str], email: str | None = None, phone: str | None = None,
               customvalcode: str | None = None) -> list[dict]:
        """Sessions of `campaigns` matching every given field (e-mail case-blind,
        phone by its digits)."""
        want = {k: v for k, v in (("email", email and email.lower()),
                                  ("phone", phone and digits(phone)),
                                  ("customvalcode", customvalcode and customvalcode.lower()))
                if v}

        def matches(rec: dict) -> bool:
            for k, v in want.items():
                have = digits(rec[k]) if k == "phone" else rec[k].lower()
                if not have or have != v:
                    return False
            return True

        found = []
        if self.big and self.big.campaign_id in campaigns and want:
            index = self.big.search_index()
            key, value = next(iter(want.items()))
            for i in index[key].get(value, ()):
                if i in self.removed_big or i in self.overlay:
                    continue
                rec = self.big.record(i)
                if matches(rec):
                    found.append(rec)
        for cid in sorted(campaigns):  # stable order whatever the hash seed
            found.extend(r for r in (self.records[c] for c in self.order.get(cid, ()))
                         if matches(r))
            if self.big and cid == self.big.campaign_id:
                found.extend(r for r in (self.records[c] for c in self.overlay.values())
                             if matches(r))
        return found


def blank(**fields: str) -> dict:
    """A new session record: defaults plus `fields`."""
    rec = dict(DEFAULTS)
    rec.update(fields)
    return rec
