"""Resolving a batch: each identifier to the one object it names, or why not.

Identifiers are looked up concurrently by a bounded pool of workers (the
client's own concurrency limit applies on top). Each becomes a `Row`:

* found      - one object, with its current state (read from the API, not
               the cache: the guard rails check it; a session's state also
               holds its campaign's run, each campaign read once)
* not_found  - no reading of it matched anything
* ambiguous  - several objects matched (an e-mail with three coupons): the
               user picks one (`Row.pick`) or the row is skipped
* error      - the lookup failed (the message says how); nothing is guessed
* duplicate  - resolved to the same object as an earlier row; skipped

A row can also be skipped on purpose (`Row.skip`, `apply_picks` with
`SKIP`): it keeps its status and is not written; the plan says "skipped".

Session identifiers are read the way `find` reads them (codes and links with
`session.info`, e-mail / phone / custom codes with `session.search`); loyalty
rows are matched against each card's holders (`loyalty.users`, read once per
card). An authentication failure or an offline client stops the whole run:
every other row would fail the same way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Iterable, Mapping

from ctconsole.api.errors import ApiError, CtError, OfflineError
from ctconsole.api.finder import KIND_LABELS

from .. import objects
from .accounts import DEFAULT_POOL, Accounts
from .campaigns import CampaignRuns
from .inputs import LOYALTY_USER, Item
from .progress import Progress

SESSION = "session"
LOYALTY = "loyalty user"
STATUSES = ("found", "not_found", "ambiguous", "error", "duplicate")
#: An e-mail matching more sessions than this is ambiguous without reading them all.
MAX_MATCHES = 10
AUTH_FAILED = 1000
SESSION_NOT_FOUND = 505
_CODE_KINDS = ("session_code", "short_code", "session_url", "single_use_url")
_SEARCH_FIELD = {"email": "email", "phone": "phone", "custom_code": "customvalcode"}


class ResolveStopped(CtError):
    """The whole run stopped: credentials refused, or offline."""


@dataclass(frozen=True, slots=True)
class Found:
    """One object an identifier named."""

    #: Session code, or "loy_…/lus_…" for a loyalty user.
    key: str
    kind: str
    #: Campaign ID (sessions) or loyalty card ID.
    scope: str
    #: Whose credentials found it (None: the main account).
    subaccount: str | None
    #: Customer name or e-mail as the API has it (untrusted text).
    who: str = ""
    state: dict | None = field(default=None, compare=False, hash=False)

    @property
    def ident(self) -> str:
        """The object's own ID: the session code or the user ID."""
        return self.key.rsplit("/", 1)[-1]

    @property
    def short(self) -> str:
        return self.key[:6] if self.kind == SESSION else self.ident

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "scope": self.scope,
                "subaccount": self.subaccount}


@dataclass(slots=True)
class Row:
    item: Item
    status: str = "pending"
    matches: tuple[Found, ...] = ()
    #: The match chosen for an ambiguous row.
    picked: Found | None = None
    error: str = ""
    #: The error itself (the CLI tells network failures apart by it).
    exception: CtError | None = None
    note: str = ""
    #: Left out on purpose (a pick of "skip"): never written.
    skipped: bool = False

    @property
    def target(self) -> Found | None:
        """The object this row acts on, if it is settled."""
        if self.skipped:
            return None
        if self.status == "found":
            return self.matches[0]
        if self.status == "ambiguous":
            return self.picked
        return None

    def pick(self, key: str | None) -> None:
        """Choose one match of an ambiguous row (None: skip it)."""
        if self.status != "ambiguous":
            raise ValueError("only an ambiguous row has matches to pick from")
        self.picked = next((m for m in self.matches if m.key == key), None) if key else None
        self.skipped = False

    def skip(self) -> None:
        """Leave this row out on purpose (it is not written)."""
        self.skipped, self.picked = True, None

    def match_for(self, ident: str) -> Found | None:
        """The one match named `ident`: its key, its own ID (session code or
        user ID) or, for a session, its 6-character short code when no
        other match shares it. None when no match (or several) fit."""
        named = [m for m in self.matches if ident in (m.key, m.ident)]
        if not named:
            named = [m for m in self.matches if m.kind == SESSION and m.short == ident]
        return named[0] if len(named) == 1 else None

    def describe(self) -> str:
        """One line: what the row came to."""
        if self.status == "found":
            return f"{self.matches[0].kind} {self.matches[0].key}"
        if self.status == "ambiguous":
            chosen = (f"; picked {self.picked.key}" if self.picked else
                      "; skipped" if self.skipped else "")
            return f"{len(self.matches)} matches{chosen}"
        if self.skipped:
            return f"{self.status.replace('_', ' ')}; skipped"
        if self.status == "duplicate":
            return self.note
        if self.status == "error":
            return self.error
        return self.note or "nothing found"


#: A pick that leaves the row out on purpose.
SKIP = "skip"


def apply_picks(rows: Iterable[Row], picks: Mapping[int, str]) -> list[str]:
    """Settle rows by number with `picks` (row number → the ID of one of the
    row's matches, or `SKIP`), all or nothing.

    A pick must name one of its row's matches as the lookup found them now:
    an ambiguous row's candidate, or a found row's one object (the data may
    have changed since the dry run that listed the candidates). Returns the
    problems, one sentence each; when there are any no row is changed, so a
    pick that cannot be honoured never lands on another object.
    """
    by_number = {row.item.number: row for row in rows}
    problems: list[str] = []
    settled: list[tuple[Row, Found | None]] = []
    for number, ident in sorted(picks.items()):
        row = by_number.get(number)
        if row is None:
            problems.append(f"row {number}: there is no such row (rows are numbered from 1 "
                            f"in the order given, duplicates and blanks dropped)")
            continue
        if ident == SKIP:
            settled.append((row, None))
            continue
        if row.status not in ("found", "ambiguous"):
            problems.append(f"row {number} ({row.item.display}) is {row.status.replace('_', ' ')}"
                            f": there is nothing to pick ({row.describe()})")
            continue
        match = row.match_for(ident)
        if match is None:
            ids = ", ".join(m.ident for m in row.matches[:MAX_MATCHES])
            problems.append(f"row {number} ({row.item.display}): {ident!r} is not one of its "
                            f"matches now ({ids})")
            continue
        settled.append((row, match))
    if problems:
        return problems
    for row, match in settled:
        if match is None:
            row.skip()
        elif row.status == "ambiguous":
            row.pick(match.key)
    return []


def rows_for(items: Iterable[Item]) -> list[Row]:
    return [Row(item) for item in items]


class Resolver:
    """Looks identifiers up for one kind of target ("session" or "loyalty user")."""

    def __init__(self, accounts: Accounts, target: str = SESSION) -> None:
        if target not in (SESSION, LOYALTY):
            raise ValueError(f"target must be {SESSION!r} or {LOYALTY!r}")
        self.accounts = accounts
        self.target = target
        self._loyalty: dict[str | None, _LoyaltyIndex] = {}
        self._loyalty_lock = asyncio.Lock()
        #: Each found session's campaign, read once per batch, for the guards.
        self.campaigns = CampaignRuns()

    async def resolve_row(self, row: Row) -> Row:
        try:
            matches: list[Found] = []
            for sub, client in await self.accounts.searched(row.item.number):
                found = await (self._sessions(client, sub, row.item) if self.target == SESSION
                               else self._loyalty_users(client, sub, row.item))
                if self.target == SESSION:
                    found = await self.campaigns.add_to(client, found)
                matches += [m for m in found if m not in matches]
                if matches and row.item.kind in _CODE_KINDS:
                    break  # a code names one session in one account
            row.matches = tuple(matches)
            row.status = ("not_found" if not matches else
                          "found" if len(matches) == 1 else "ambiguous")
            if not matches and not row.note:
                row.note = f"no {self.target} found for this {_kind_label(row.item.kind)}"
        except ApiError as err:
            if err.code == AUTH_FAILED:
                raise ResolveStopped(err.title, err.message) from err
            row.status, row.error, row.exception = "error", f"{err.title}: {err.message}", err
        except OfflineError as err:
            raise ResolveStopped(err.title, err.message) from err
        except CtError as err:
            row.status, row.error, row.exception = "error", f"{err.title}: {err.message}", err
        return row

    # --- sessions ----------------------------------------------------------------

    async def _sessions(self, client: Any, sub: str | None, item: Item) -> list[Found]:
        if item.kind == LOYALTY_USER:
            return []
        for kind, value in item.readings:
            if kind in _CODE_KINDS:
                try:
                    info = (await objects.fresh(client, "session.info",
                                                couponsession=value)).data
                except ApiError as err:
                    if err.code == SESSION_NOT_FOUND:
                        continue
                    raise
                return [_session_found(sub, objects.session_state(info),
                                       _name(info.user.firstname, info.user.lastname)
                                       or info.user.email)]
            hits = (await objects.fresh(client, "session.search",
                                        **{_SEARCH_FIELD[kind]: value})).data.sessions
            codes = list(dict.fromkeys(h.session for h in hits))
            if not codes:
                continue
            who = {h.session: _name(h.firstname, h.lastname) or h.email for h in hits}
            states = await asyncio.gather(*(objects.read_session(client, c)
                                            for c in codes[:MAX_MATCHES]))
            found = [_session_found(sub, s, who.get(c, "")) for c, s in zip(codes, states)]
            if len(codes) > MAX_MATCHES:
                found += [Found(c, SESSION, "", sub, who.get(c, "")) for c in codes[MAX_MATCHES:]]
            return found
        return []

    # --- loyalty users -----------------------------------------------------------

    async def _loyalty_users(self, client: Any, sub: str | None, item: Item) -> list[Found]:
        index = await self._index(client, sub)
        found: list[Found] = []
        for kind, value in item.readings:
            if kind == LOYALTY_USER:
                found = index.by_id.get(value, [])
            elif kind == "email":
                found = index.by_email.get(value.lower(), [])
            elif kind == "phone":
                found = index.by_phone.get(_digits(value), [])
            if found:
                return list(found)
        return []

    async def _index(self, client: Any, sub: str | None) -> "_LoyaltyIndex":
        async with self._loyalty_lock:
            if sub not in self._loyalty:
                self._loyalty[sub] = await _LoyaltyIndex.read(client, sub)
            return self._loyalty[sub]


@dataclass
class _LoyaltyIndex:
    by_id: dict[str, list[Found]] = field(default_factory=dict)
    by_email: dict[str, list[Found]] = field(default_factory=dict)
    by_phone: dict[str, list[Found]] = field(default_factory=dict)

    @classmethod
    async def read(cls, client: Any, sub: str | None) -> "_LoyaltyIndex":
        index = cls()
        cards = (await objects.fresh(client, "loyalty.list")).data.items
        pages = await asyncio.gather(*(objects.fresh(client, "loyalty.users", loyaltycard=c.id)
                                       for c in cards))
        for card, page in zip(cards, pages):
            for user in page.data.users:
                found = Found(f"{card.id}/{user.id}", LOYALTY, str(card.id), sub,
                              _name(user.firstname, user.lastname) or user.email,
                              objects.loyalty_user_state(user))
                index.by_id.setdefault(str(user.id), []).append(found)
                if user.email:
                    index.by_email.setdefault(user.email.lower(), []).append(found)
                if user.phone:
                    index.by_phone.setdefault(_digits(user.phone), []).append(found)
        return index


def _session_found(sub: str | None, state: dict, who: str) -> Found:
    return Found(str(state["session"]), SESSION, str(state.get("campaign") or ""), sub, who, state)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _name(first: str, last: str) -> str:
    return " ".join(p for p in ((first or "").strip(), (last or "").strip()) if p)


def _kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "loyalty user ID" if kind == LOYALTY_USER else kind)


def mark_duplicates(rows: list[Row]) -> int:
    """Rows that came to the same object as an earlier row become "duplicate"
    (the first keeps it). Returns how many."""
    first: dict[str, int] = {}
    marked = 0
    for row in rows:
        if row.status != "found":
            continue
        key = row.matches[0].key
        if key in first:
            row.status = "duplicate"
            row.note = f"same {row.matches[0].kind} as identifier {first[key]}"
            marked += 1
        else:
            first[key] = row.item.number
    return marked


OnRow = Callable[[Row, Progress], "Awaitable[None] | None"]


async def resolve(rows: list[Row], resolver: Resolver, *, pool: int | None = None,
                  progress: Progress | None = None, on_row: OnRow | None = None) -> list[Row]:
    """Resolve every pending row with `pool` workers (default: the accounts'
    pool, `DEFAULT_POOL` unless set); `on_row` is called as each
    finishes (rows finish in any order). Duplicates are marked at the end.

    Raises:
        ResolveStopped: the credentials were refused, or the client is
            offline (rows resolved so far keep their status).
    """
    pool = pool or resolver.accounts.pool
    if pool < 1:
        raise ValueError("pool must be at least 1")
    progress = progress or Progress(len(rows))
    queue = iter([r for r in rows if r.status == "pending"])

    async def worker() -> None:
        for row in queue:
            await resolver.resolve_row(row)
            progress.add(row.status)
            if on_row is not None:
                answer = on_row(row, progress)
                if asyncio.iscoroutine(answer):
                    await answer

    workers = [asyncio.ensure_future(worker()) for _ in range(min(pool, len(rows)) or 1)]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        raise
    mark_duplicates(rows)
    return rows
