"""Find a coupon session from whatever a customer handed to support.

Support staff paste what they were given: a session code, its 6-character
short form, the coupon link (any host, white-label domains too), the e-mail
address or phone number the coupon was claimed with, or the custom validation
code printed on it. `classify` decides what the text is - and, where the text
could be two things, in which order to try them - and `find_sessions` runs the
catalogue lookups for each reading in turn until one finds something, keeping
a record of every attempt so the UI can say exactly what was searched.

Classification is pure and never raises for odd input (control characters,
terminal escapes, megabytes of text); only empty input is a `ValueError`. Each
reading's value is checked against the catalogue's own parameter rules
(`params.validate`), so a reading that `client.call` would refuse is never
offered. This module loads neither httpx nor the models: the UI imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from ctconsole.safetext import clean_input

from .catalogue import CATALOGUE
from .errors import ApiError, InvalidParams, clean_text
from .params import validate

if TYPE_CHECKING:
    from .client import Client

__all__ = ["Kind", "Reading", "Query", "Match", "Attempt", "FindResult", "classify",
           "find_sessions", "KIND_LABELS"]

#: What a reading is. `classify` gives a link as "session_url"; a match found
#: through it reports "single_use_url" when the session is a single-use one
#: (both links have the same shape, only the answer tells them apart).
Kind = Literal["session_code", "short_code", "session_url", "single_use_url", "email", "phone",
               "custom_code"]

#: How each kind is named in sentences ("No session found for e-mail address …").
KIND_LABELS: dict[str, str] = {
    "session_code": "session code",
    "short_code": "short session code",
    "session_url": "session link",
    "single_use_url": "single-use link",
    "email": "e-mail address",
    "phone": "phone number",
    "custom_code": "custom validation code",
}

#: The API error code for "Couponsession not found." (a miss, not a failure).
SESSION_NOT_FOUND = 505

_BY_CODE = ("session_code", "short_code", "session_url", "single_use_url")
_SEARCH_FIELD = {"email": "email", "phone": "phone", "custom_code": "customvalcode"}

_WRAPPERS = " \t\r\n\"'`\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb\u2039\u203a"
_PAIRS = {"<": ">", "[": "]", "{": "}"}

_FULL_CODE = re.compile(r"[A-Za-z0-9]{21}")
_SHORT_CODE = re.compile(r"[A-Za-z0-9]{6}")
_CAMPAIGN_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}|localhost|[0-9.]+")
_NAMED_EMAIL = re.compile(r"^[^<>]*<\s*([^<>\s]+@[^<>\s]+)\s*>$")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_DIGIT_TOKEN = re.compile(r"[0-9][0-9./-]*")
_PHONE_DIGITS = (7, 15)


@dataclass(frozen=True)
class Reading:
    """One way to read the input: a kind and the value to send for it."""

    kind: Kind
    value: str


@dataclass(frozen=True)
class Query:
    """What the pasted text is, in the order its readings should be tried.

    `readings[0]` is the most likely one; `kind`, `value` and `candidates`
    are shorthands over `readings`. `original` is exactly what was pasted
    (untrusted: show `display`, not `original`).
    """

    original: str
    readings: tuple[Reading, ...]
    #: The campaign code in a session link (`/p/<campaign code>/<session>`).
    link_campaign: str | None = None

    @property
    def kind(self) -> Kind:
        return self.readings[0].kind

    @property
    def value(self) -> str:
        return self.readings[0].value

    @property
    def candidates(self) -> tuple[Kind, ...]:
        return tuple(r.kind for r in self.readings)

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    def value_for(self, kind: Kind) -> str:
        """The value to send when the input is read as `kind`."""
        for reading in self.readings:
            if reading.kind == kind:
                return reading.value
        raise KeyError(kind)

    def describe(self) -> str:
        """"e-mail address"; for two readings "short session code or custom validation code"."""
        return " or ".join(KIND_LABELS[k] for k in self.candidates)

    @property
    def display(self) -> str:
        """The input as shown to a person: a phone as it was typed, anything
        else as it will be searched; control characters gone, shortened."""
        shown = _unwrap(_tidy(self.original)) if self.kind == "phone" else self.value
        return clean_text(shown, 60)


@dataclass(frozen=True)
class Match:
    """One session found: who it belongs to and what in it matched.

    The text fields come from the API, i.e. from customers: untrusted, to be
    sanitised by whoever shows them."""

    #: The full 21-character session code.
    session: str
    #: The campaign ID (cam_…) the session belongs to.
    campaign: str
    #: The reading that found it (a session link to a single-use session
    #: reports "single_use_url").
    kind: Kind
    #: The session's own value of the field that matched (its e-mail, phone,
    #: custom validation code; for code lookups its session code).
    matched: str
    #: Customer name as filled in ("" when none).
    who: str
    email: str
    phone: str
    customvalcode: str
    #: The parsed answer: `SessionInfo` for code lookups, `SessionHit` for searches.
    data: Any

    @property
    def short_code(self) -> str:
        return self.session[:6]


@dataclass(frozen=True)
class Attempt:
    """One lookup made: which reading, which operation, where, how many found."""

    kind: Kind
    value: str
    operation: str
    #: The campaign searched, or None for the whole account (code lookups
    #: always go account-wide).
    campaign: str | None
    found: int

    def describe(self, *, with_kind: bool = False) -> str:
        """"searched the whole account", "looked up the short session code", …"""
        label = KIND_LABELS[self.kind]
        if self.operation == "session.info":
            return f"looked up the {label}" if with_kind else "looked up by code"
        where = f"campaign {self.campaign}" if self.campaign else "the whole account"
        return f"searched {where} for the {label}" if with_kind else f"searched {where}"


@dataclass(frozen=True)
class FindResult:
    """The sessions found for a query, and every lookup it took."""

    query: Query
    matches: tuple[Match, ...]
    attempts: tuple[Attempt, ...]
    campaign: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.matches)

    @property
    def single(self) -> Match | None:
        """The match when there is exactly one (the UI opens it directly)."""
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def certain(self) -> Match | None:
        """The one match when it is exactly what was searched: a code looked
        up, or a hit whose own e-mail, phone or validation code equals the
        text sent (a search may also answer near misses). Such a match can be
        opened before a wider search ends; whether another account holds one
        too is still for that search to say."""
        match = self.single
        if match is None:
            return None
        if match.kind in _BY_CODE:
            return match
        try:
            sent = self.query.value_for(match.kind)
        except KeyError:
            return None
        return match if _same(match.kind, match.matched, sent) else None

    def summary(self) -> str:
        """One sentence for the status line, e.g. "No session found for e-mail
        address anna@example.com (searched the whole account)."."""
        detail = "; ".join(a.describe(with_kind=len(self.attempts) > 1) for a in self.attempts)
        tail = f" ({detail})" if detail else ""
        if not self.matches:
            return f"No session found for {self.query.describe()} {self.query.display}{tail}."
        kind = self.matches[0].kind
        label = KIND_LABELS["session_url" if kind == "single_use_url" else kind]
        count = len(self.matches)
        noun = "session" if count == 1 else "sessions"
        return f"{count} {noun} found for {label} {self.query.display}{tail}."


# --- classify ---------------------------------------------------------------------------


def _tidy(text: str) -> str:
    """Escape sequences and invisible characters out (`safetext.clean_input`,
    in place), whitespace to single spaces."""
    return " ".join(clean_input(text).text.split())


def _unwrap(text: str) -> str:
    """Strip surrounding whitespace and quotes, and a bracket pair that
    encloses the whole text ("<https://…>"); "[red]CODE[/red]" keeps its
    brackets, which belong to it."""
    while True:
        before = text
        text = text.strip(_WRAPPERS)
        opening = text[:1]
        if (opening in _PAIRS and len(text) >= 2 and text[-1] == _PAIRS[opening]
                and not any(ch in text[1:-1] for ch in opening + _PAIRS[opening])):
            text = text[1:-1]
        if text == before:
            return text


def _accepted(operation: str, **params: object) -> bool:
    """Would `client.call(operation, **params)` accept these values?"""
    try:
        validate(CATALOGUE.get(operation), params)
    except InvalidParams:
        return False
    return True


def _link(text: str) -> tuple[str, str] | None:
    """(campaign code, session code) from a session link, else None.

    Any host (white-label domains), http/https/no scheme, trailing slash,
    query string and fragment are fine. The path ends in
    `/<campaign code>/<session code>`: a 21-char code after any prefix, a
    6-char one only right after `/p/` (a bare `/p/<campaign>` is a campaign
    link, not a session)."""
    candidate = text if re.match(r"(?i)https?://", text) else "https://" + text
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
    except ValueError:
        return None
    if (parts.scheme.lower() not in ("http", "https") or len(host) > 253
            or not _HOST.fullmatch(host)):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or not _CAMPAIGN_CODE.fullmatch(segments[-2]):
        return None
    code = segments[-1]
    if _FULL_CODE.fullmatch(code):
        return segments[-2], code
    if _SHORT_CODE.fullmatch(code) and len(segments) >= 3 and segments[-3].lower() == "p":
        return segments[-2], code
    return None


def _email(text: str) -> str | None:
    """The address in "anna@example.com", "mailto:anna@…?subject=…" or
    "Anna Peeters <anna@example.com>", if the catalogue accepts it. Case is
    kept: matching it is the API's business."""
    named = _NAMED_EMAIL.match(text)
    if named:
        text = named.group(1)
    if text.lower().startswith("mailto:"):
        text = text[7:].split("?", 1)[0]
    text = text.rstrip(".,;:")  # the full stop of the customer's sentence
    if text.count("@") != 1 or " " in text:
        return None
    return text if _accepted("session.search", email=text) else None


def _phone(text: str) -> str | None:
    """The number as the API is sent it: digits with a leading + for an
    international number ("00 32 …" becomes "+32…"); None if not a phone."""
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    if text.startswith("+"):  # "+32 (0)470 …": the trunk 0 is not dialled from abroad
        text = re.sub(r"\(\s*0\s*\)", "", text)
    if not _PHONE.fullmatch(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        digits = "+" + digits
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    count = len(digits.lstrip("+"))
    if not _PHONE_DIGITS[0] <= count <= _PHONE_DIGITS[1]:
        return None
    return digits if _accepted("session.search", phone=digits) else None


def classify(text: str) -> Query:
    """What `text` is, with its readings in the order to try them.

    Raises:
        ValueError: when nothing is left after trimming (empty, blank,
            quotes or invisible characters only).
    """
    if not isinstance(text, str):
        raise TypeError(f"classify() takes text, not {type(text).__name__}")
    tidy = _unwrap(_tidy(text))
    if not tidy:
        raise ValueError("Nothing to search for: paste a session code, link, e-mail address, "
                         "phone number or validation code.")

    def query(*readings: tuple[Kind, str], link: str | None = None) -> Query:
        return Query(text, tuple(Reading(k, v) for k, v in readings), link)

    custom = ("custom_code", tidy)
    if _FULL_CODE.fullmatch(tidy):
        return query(("session_code", tidy), custom)
    if _SHORT_CODE.fullmatch(tidy):
        return query(("short_code", tidy), custom)
    link = None
    for word in tidy.split(" "):  # the whole text, or a link in a customer's message
        if "/" in word and (link := _link(_unwrap(word).rstrip(".,;:!?)"))):
            break
    if link:
        return query(("session_url", link[1]), link=link[0])
    email = _email(tidy)
    if email:
        return query(("email", email))
    phone = _phone(tidy)
    if phone:
        # A single token of digits (with - . / at most) may as well be a
        # barcode or a numbered voucher: try it as a custom code too.
        if _DIGIT_TOKEN.fullmatch(tidy):
            return query(("phone", phone), custom)
        return query(("phone", phone))
    return query(custom)


# --- find_sessions ----------------------------------------------------------------------


async def find_sessions(client: "Client", text: str, *, campaign: str | None = None) -> FindResult:
    """Look up the sessions `text` points at, trying its readings in order.

    Session codes and links are looked up with `session.info` (account-wide;
    error 505 means "no such session" and the next reading is tried). E-mail,
    phone and custom codes are searched with `session.search`, or with
    `campaign.session_search` when `campaign` is given. The first reading that
    finds anything wins.

    Raises:
        ValueError: for empty input (see `classify`).
        CtError: any other failure of the client (network, auth, bad
            campaign ID), unchanged.
    """
    query = classify(text)
    attempts: list[Attempt] = []
    for reading in query.readings:
        if reading.kind in _BY_CODE:
            matches, operation, scope = await _by_code(client, reading), "session.info", None
        else:
            matches, operation = await _search(client, reading, campaign), (
                "campaign.session_search" if campaign else "session.search")
            scope = campaign
        attempts.append(Attempt(reading.kind, reading.value, operation, scope, len(matches)))
        if matches:
            return FindResult(query, tuple(matches), tuple(attempts), campaign)
    return FindResult(query, (), tuple(attempts), campaign)


async def _by_code(client: "Client", reading: Reading) -> list[Match]:
    try:
        result = await client.call("session.info", couponsession=reading.value)
    except ApiError as exc:
        if exc.code == SESSION_NOT_FOUND:
            return []
        raise
    info = result.data
    user = info.user
    kind: Kind = reading.kind
    if kind == "session_url" and info.single_use_url:
        kind = "single_use_url"
    return [Match(session=info.session, campaign=info.campaign, kind=kind, matched=info.session,
                  who=_name(user.firstname, user.lastname), email=user.email, phone=user.phone,
                  customvalcode=info.customvalcode, data=info)]


async def _search(client: "Client", reading: Reading, campaign: str | None) -> list[Match]:
    field = _SEARCH_FIELD[reading.kind]
    if campaign:
        result = await client.call("campaign.session_search", campaign=campaign,
                                   **{field: reading.value})
    else:
        result = await client.call("session.search", **{field: reading.value})
    matches: list[Match] = []
    seen: set[str] = set()
    for hit in result.data.sessions:
        if hit.session in seen:
            continue
        seen.add(hit.session)
        matches.append(Match(session=hit.session, campaign=hit.campaign, kind=reading.kind,
                             matched=getattr(hit, field), who=_name(hit.firstname, hit.lastname),
                             email=hit.email, phone=hit.phone, customvalcode=hit.customvalcode,
                             data=hit))
    return matches


def _same(kind: Kind, found: str, sent: str) -> bool:
    """Whether a hit's own value is the value searched: phone numbers by
    their digits, e-mail addresses and validation codes whatever their case
    (as the API searches them)."""
    found, sent = (found or "").strip(), sent.strip()
    if kind == "phone":
        digits = [ch for ch in found if ch.isdigit()]
        return bool(digits) and digits == [ch for ch in sent if ch.isdigit()]
    return bool(found) and found.casefold() == sent.casefold()


def _name(first: str, last: str) -> str:
    return " ".join(part for part in (first.strip(), last.strip()) if part)
