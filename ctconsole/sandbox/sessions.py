"""The big campaign's sessions, computed from their index instead of stored.

A benchmark sandbox holds 200 000 sessions in one campaign; building 200 000
dicts would make every test that constructs an app slow. Instead session `i`
is a pure function of (seed, i): its code, dates, lifecycle flags and
customer. Only sessions that a write touches are materialised (the overlay in
`store.SessionStore`). The code is reversible - its first six characters are
an affine permutation of `i` in base 36 - so the 21-char code *and* the 6-char
short form find their session without any index.
"""

from __future__ import annotations

from datetime import datetime, timezone

from .people import CODE_ALPHABET, fmt_ts, mix, person_from

M6 = 36**6

OPENED, PLAYED, CLAIMED, VALIDATED, VOIDED, LOCKED, WALLET, CUSTOMVAL, CUSTOMID = (
    1 << k for k in range(9)
)
VIEW_FLAG = {"opens": OPENED, "claims": CLAIMED, "validations": VALIDATED}
CLAIM_TYPES = ("email", "sms", "wallet", "print", "direct", "email", "wallet")

#: Every key of a stored session record (all wire strings).
FIELDS = (
    "session", "campaign", "session_url", "sequenceid", "customid", "customvalcode",
    "single_use_url", "created_date_utc", "opened", "open_date_utc", "played",
    "played_date_utc", "claimed", "claim_date_utc", "claimtype", "saved_to_passbook",
    "validated", "validation_date_utc", "validation_value", "voided", "voided_date_utc",
    "locked", "firstname", "lastname", "email", "phone",
)
FLAG_FIELDS = ("opened", "played", "claimed", "saved_to_passbook", "validated", "voided", "locked")
DEFAULTS = {k: ("0" if k in FLAG_FIELDS else "") for k in FIELDS}


_PAIRS = [a + b for a in CODE_ALPHABET for b in CODE_ALPHABET]
_BYTE_TO_CHAR = bytes(ord(CODE_ALPHABET[b % 36]) for b in range(256))


def base36(n: int, width: int) -> str:
    """The low `width` base-36 digits of `n` (two digits per step: hot path)."""
    out = []
    for _ in range(width // 2):
        n, r = divmod(n, 1296)
        out.append(_PAIRS[r])
    if width % 2:
        out.append(CODE_ALPHABET[n % 36])
    return "".join(reversed(out))


def flags_of(rec: dict) -> int:
    """The lifecycle bitmask of a (materialised) record."""
    f = 0
    for bit, key in ((OPENED, "opened"), (PLAYED, "played"), (CLAIMED, "claimed"),
                     (VALIDATED, "validated"), (VOIDED, "voided"), (LOCKED, "locked"),
                     (WALLET, "saved_to_passbook")):
        if rec.get(key) == "1":
            f |= bit
    if rec.get("customvalcode"):
        f |= CUSTOMVAL
    if rec.get("customid"):
        f |= CUSTOMID
    return f


def session_url(campaign_code: str, code: str) -> str:
    return f"https://digicpn.com/p/{campaign_code}/{code}"


class LazyCampaign:
    """Sessions 0..n-1 of one campaign, each recomputed on demand."""

    def __init__(self, campaign_id: str, campaign_code: str, n: int, seed: int,
                 seq_base: int, start_ts: int, end_ts: int) -> None:
        self.campaign_id = campaign_id
        self.campaign_code = campaign_code
        self.n = n
        self.seq_base = seq_base
        self.start_ts = start_ts
        self.end_ts = end_ts
        self.step = (end_ts - start_ts) / max(n, 1)
        self.salt = mix(seed * 1_000_003 + 0xB1F)
        a = (mix(self.salt) % M6) | 1
        while a % 3 == 0:
            a += 2
        self.mul, self.add = a, mix(self.salt + 1) % M6
        self.inv = pow(a, -1, M6)
        self._views: dict[str, list[int]] = {}
        self._counts: dict | None = None
        self._search: dict[str, dict[str, list[int]]] | None = None

    # -- identity ------------------------------------------------------------
    def code(self, i: int) -> str:
        head = base36((i * self.mul + self.add) % M6, 6)
        tail = mix(self.salt ^ (i << 20) ^ 0x5EED) << 64 | mix(self.salt + 5 * i + 1)
        # The tail needs no inverse: map hash bytes straight to code characters.
        return head + tail.to_bytes(16, "little")[:15].translate(_BYTE_TO_CHAR).decode()

    def index_of(self, code: str) -> int | None:
        """The index whose code (or 6-char short form) is `code`, if any."""
        if len(code) not in (6, 21) or any(c not in CODE_ALPHABET for c in code):
            return None
        head = 0
        for ch in code[:6]:
            head = head * 36 + CODE_ALPHABET.index(ch)
        i = ((head - self.add) * self.inv) % M6
        if i >= self.n or (len(code) == 21 and self.code(i) != code):
            return None
        return i

    def created_ts(self, i: int) -> int:
        jitter = (mix(self.salt + 3 * i) % 1000) / 1000 * self.step * 0.9
        return self.start_ts + int(i * self.step + jitter)

    # -- lifecycle -----------------------------------------------------------
    def flags(self, i: int) -> int:
        return self._flags(mix(self.salt + 7 + 2 * i))

    @staticmethod
    def _flags(h: int) -> int:
        f = 0
        if h % 1000 < 880:
            f |= OPENED
            if (h >> 10) % 1000 < 720:
                f |= PLAYED
            if (h >> 20) % 1000 < 540:
                f |= CLAIMED
                if (h >> 30) % 1000 < 460:
                    f |= VALIDATED
                if CLAIM_TYPES[(h >> 56) % len(CLAIM_TYPES)] == "wallet":
                    f |= WALLET
        if (h >> 40) % 1000 < 15:
            f |= VOIDED
        if (h >> 50) % 1000 < 8:
            f |= LOCKED
        if (h >> 45) % 10 == 0:
            f |= CUSTOMVAL
        if (h >> 35) % 25 == 0:
            f |= CUSTOMID
        return f

    def record(self, i: int) -> dict:
        """Session `i` as a full wire record (a new dict each call)."""
        hf = mix(self.salt + 7 + 2 * i)
        f = self._flags(hf)
        h = mix(self.salt + 11 + 2 * i)
        code = self.code(i)
        ts = self.created_ts(i)
        limit = self.end_ts + 3000
        rec = dict(DEFAULTS)
        rec.update(session=code, campaign=self.campaign_id,
                   session_url=session_url(self.campaign_code, code),
                   sequenceid=str(self.seq_base + i), created_date_utc=fmt_ts(ts))
        if f & OPENED:
            t_open = ts + 2 + h % 120
            rec.update(opened="1", open_date_utc=fmt_ts(t_open))
            if f & PLAYED:
                rec.update(played="1", played_date_utc=fmt_ts(t_open + 5 + (h >> 8) % 90))
            if f & CLAIMED:
                t_claim = t_open + 100 + (h >> 16) % 300
                kind = CLAIM_TYPES[(hf >> 56) % len(CLAIM_TYPES)]
                first, last, email, phone = person_from(mix(self.salt ^ 0xC0FFEE ^ i), number=i)
                rec.update(claimed="1", claim_date_utc=fmt_ts(t_claim), claimtype=kind,
                           firstname=first, lastname=last, email=email,
                           phone=phone if kind in ("sms", "wallet") or h % 3 == 0 else "")
                if f & WALLET:
                    rec["saved_to_passbook"] = "1"
                if f & VALIDATED:
                    t_val = min(t_claim + 600 + (h >> 24) % (3 * 86400), limit)
                    rec.update(validated="1", validation_date_utc=fmt_ts(max(t_val, t_claim + 1)))
        if f & VOIDED:
            rec.update(voided="1", voided_date_utc=fmt_ts(min(ts + 3600 + (h >> 32) % 86400, limit)))
        if f & LOCKED:
            rec["locked"] = "1"
        if f & CUSTOMVAL:
            rec["customvalcode"] = "BF26-" + base36(h >> 20, 8).upper()
        if f & CUSTOMID:
            rec["customid"] = f"crm-{100000 + i}"
        return rec

    # -- bulk views, computed once -------------------------------------------
    def view_list(self, view: str) -> list[int]:
        if view not in self._views:
            bit = VIEW_FLAG[view]
            self._views[view] = [i for i in range(self.n) if self.flags(i) & bit]
        return self._views[view]

    def counts(self) -> dict:
        """How many base sessions carry each flag bit (and wallet & not voided)."""
        if self._counts is None:
            counts = {bit: 0 for bit in (OPENED, PLAYED, CLAIMED, VALIDATED, VOIDED, LOCKED,
                                         WALLET, CUSTOMVAL, CUSTOMID)}
            counts[-1] = 0  # custom codes claimed
            counts["recipients"] = 0  # wallet passes a push reaches
            bits = [bit for bit in counts if isinstance(bit, int) and bit > 0]
            for i in range(self.n):
                f = self.flags(i)
                for bit in bits:
                    if f & bit:
                        counts[bit] += 1
                if f & CUSTOMVAL and f & CLAIMED:
                    counts[-1] += 1
                if f & WALLET and not f & VOIDED:
                    counts["recipients"] += 1
            self._counts = counts
        return self._counts

    def index_range(self, lo: str | None, hi: str | None) -> tuple[int, int]:
        """Indices whose created date lies in [lo, hi] (inclusive date strings)."""
        start, stop = 0, self.n
        if lo:
            t = _ts(lo)
            start = _bisect(lambda i: self.created_ts(i) < t, self.n)
        if hi:
            t = _ts(hi)
            stop = _bisect(lambda i: self.created_ts(i) <= t, self.n)
        return start, max(start, stop)

    def search_index(self) -> dict[str, dict[str, list[int]]]:
        """email / phone digits / customvalcode -> indices (built on first search)."""
        if self._search is None:
            idx: dict[str, dict[str, list[int]]] = {"email": {}, "phone": {}, "customvalcode": {}}
            for i in range(self.n):
                f = self.flags(i)
                if f & (CLAIMED | CUSTOMVAL):
                    rec = self.record(i)
                    for key in ("email", "customvalcode"):
                        if rec[key]:
                            idx[key].setdefault(rec[key].lower(), []).append(i)
                    if rec["phone"]:
                        idx["phone"].setdefault(digits(rec["phone"]), []).append(i)
            self._search = idx
        return self._search


def digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def _ts(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp())


def _bisect(pred, n: int) -> int:
    """First index in [0, n) where monotone `pred` turns False."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            lo = mid + 1
        else:
            hi = mid
    return lo

