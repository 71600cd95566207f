"""What a merchant sent, as a list of identifiers: pasted text, a text file, or
one column of a CSV export.

Pastes come from spreadsheets, chats and e-mails, so any separator goes:
new lines, commas, semicolons, tabs, pipes, and spaces between identifiers
that are each whole on their own (a list of codes on one line). Spaces inside
one identifier are kept where they belong to it ("+32 470 12 34 56", "Anna
Peeters <anna@example.com>"). Each identifier is read the way `find` reads
it (`ctconsole.api.finder.classify`), plus loyalty user IDs (``lus_…``),
which find has no use for but a loyalty batch does.

Blanks and duplicates (the same reading of the same value) are dropped and
counted; more than `MAX_ITEMS` identifiers is refused, not cut short: a
silently shortened batch is worse than none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ctconsole.api.finder import Query, classify

#: The most identifiers one batch takes.
MAX_ITEMS = 10_000
#: Bytes read from a file at most (10,000 links of ~60 characters fit many times).
MAX_FILE_BYTES = 8 * 1024 * 1024

LOYALTY_USER = "loyalty_user"
_LOYALTY_ID = re.compile(r"lus_[A-Za-z0-9]{1,40}")
_LINES = re.compile(r"\r\n|[\n\r\u2028\u2029]")
_SPLIT = re.compile(r"[,;\t|]+")
#: Kinds that are whole without spaces: a line of them separated by spaces is a list.
_SPACELESS = ("session_code", "short_code", "session_url", "email", LOYALTY_USER)


class InputError(ValueError):
    """The input cannot become a batch (too many identifiers, an unknown CSV
    column, an unreadable file); the message says what to change."""


@dataclass(frozen=True, slots=True)
class Item:
    """One identifier of the batch. `text` is as given (untrusted); `kind` and
    `value` are its first reading, `readings` every (kind, value) to try in
    order, `display` the identifier as shown to a person (cleaned, short).

    Slots, and no reference to the finder's `Query`: a batch holds 10,000 of
    these, and every object the garbage collector has to walk is a pause."""

    number: int
    text: str
    kind: str
    value: str
    readings: tuple[tuple[str, str], ...] = ()
    display: str = ""


@dataclass
class ParsedInput:
    items: list[Item] = field(default_factory=list)
    #: Pieces that held nothing (blank, quotes or invisible characters only).
    blanks: int = 0
    #: Identifiers dropped because an earlier one read the same.
    duplicates: int = 0
    #: For CSV input: the column the identifiers came from.
    column: str | None = None

    def summary(self) -> str:
        noun = "identifier" if len(self.items) == 1 else "identifiers"
        parts = [f"{len(self.items)} {noun}"]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''} dropped")
        if self.blanks:
            parts.append(f"{self.blanks} blank{'s' if self.blanks != 1 else ''} dropped")
        return ", ".join(parts)


def read_one(text: str) -> tuple[str, str, Query | None]:
    """(kind, value, query) of one identifier. Raises ValueError when blank."""
    stripped = text.strip().strip("\"'`")
    if _LOYALTY_ID.fullmatch(stripped):
        return LOYALTY_USER, stripped, None
    query = classify(text)
    return query.kind, query.value, query


def _pieces(text: str) -> list[str]:
    """Split on separators; a piece with spaces is split on them too when every
    word of it reads as an identifier that has no spaces of its own."""
    out: list[str] = []
    lines = _LINES.split(text)
    if lines and not lines[-1].strip():
        lines.pop()  # the file's final new line
    for line in lines:
        if not line.strip():
            out.append("")  # a blank line: counted, not an identifier
            continue
        for piece in _SPLIT.split(line):
            if piece.strip():
                out.extend(_words(piece))
    return out


def _words(piece: str) -> list[str]:
    words = piece.split()
    if len(words) > 1 and all(_spaceless(w) for w in words):
        return words
    return [piece]


def _spaceless(word: str) -> bool:
    try:
        kind, _, _ = read_one(word)
    except ValueError:
        return True  # a stray quote between codes
    return kind in _SPACELESS


def parse_text(text: str, *, limit: int = MAX_ITEMS) -> ParsedInput:
    """Identifiers in pasted text or a text file."""
    return _collect(_pieces(text), limit=limit)


def parse_csv(text: str, column: str, *, limit: int = MAX_ITEMS) -> ParsedInput:
    """Identifiers in the `column` of a CSV text (header row first; the column
    named case-insensitively; delimiter sniffed among , ; tab |)."""
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise InputError("the CSV is empty: a header row naming its columns is needed")
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    wanted = column.strip().lower()
    if wanted not in names:
        shown = ", ".join(repr(h.strip()[:30]) for h in header[:20])
        raise InputError(f"the CSV has no column {column.strip()[:40]!r}; its columns are {shown}")
    at = names.index(wanted)
    values = [row[at] if at < len(row) else "" for row in reader]
    parsed = _collect(values, limit=limit)
    parsed.column = header[at].strip()
    return parsed


def read_file(path: str | Path, *, column: str | None = None, limit: int = MAX_ITEMS) -> ParsedInput:
    """Identifiers in a file: one column of a CSV when `column` is given, else text."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                         f"a batch takes at most {MAX_ITEMS} identifiers")
    text = data.decode("utf-8-sig", errors="replace")
    return parse_csv(text, column, limit=limit) if column else parse_text(text, limit=limit)


def _collect(pieces: list[str], *, limit: int) -> ParsedInput:
    parsed = ParsedInput()
    seen: set[tuple[str, str]] = set()
    for piece in pieces:
        try:
            kind, value, query = read_one(piece)
        except ValueError:
            parsed.blanks += 1
            continue
        key = ("code" if kind in ("session_code", "session_url") else kind,
               value.lower() if kind == "email" else value)
        if key in seen:
            parsed.duplicates += 1
            continue
        seen.add(key)
        if len(parsed.items) >= limit:
            raise InputError(f"more than {limit} identifiers; a batch takes at most {limit} "
                             "(split the list)")
        readings = (tuple((r.kind, r.value) for r in query.readings) if query is not None
                    else ((kind, value),))
        parsed.items.append(Item(len(parsed.items) + 1, piece.strip(), kind, value, readings,
                                 query.display if query is not None else value))
    return parsed
