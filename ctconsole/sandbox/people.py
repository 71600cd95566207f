"""Deterministic building blocks for the fake dataset: people, codes, clocks.

Everything here is a pure function of a seed (and an index), so two sandboxes
built with the same seed serve byte-identical data, and the big campaign can
recompute any session from its index instead of storing it.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache
from datetime import datetime, timezone

#: The sandbox's fixed "now": every seeded date is placed relative to it so
#: screenshots and test output do not drift with the wall clock.
FIXED_NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=timezone.utc)
FIXED_NOW_TS = int(FIXED_NOW.timestamp())

CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DIGITS = "0123456789"

# (first names, last names, phone prefix, digits after the prefix)
REGIONS = (
    ("BE", ("Anna", "Lucas", "Lotte", "Wout", "Elise", "Tom", "Nora", "Arthur"),
     ("Peeters", "Janssens", "Maes", "Claes", "Wouters", "Goossens", "De Smet", "Willems"),
     "+32470", 6),
    ("NL", ("Sara", "Daan", "Fenna", "Bram", "Julia", "Sem"),
     ("de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit"), "+31612", 6),
    ("FR", ("Sophie", "Hugo", "Camille", "Louis", "Chloé", "Léa"),
     ("Dubois", "Martin", "Bernard", "Lefèvre", "Moreau", "Laurent"), "+33612", 6),
    ("DE", ("Lena", "Jonas", "Mia", "Felix", "Hannah", "Paul"),
     ("Müller", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann"), "+49151", 8),
    ("IT", ("Marco", "Giulia", "Luca", "Chiara", "Matteo"),
     ("Rossi", "Bianchi", "Romano", "Colombo", "Ricci"), "+39347", 7),
    ("ES", ("Lucía", "Pablo", "Marta", "Javier"),
     ("Fernández", "García", "López", "Martínez"), "+34612", 6),
    ("US", ("Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mason", "Harper"),
     ("Johnson", "Smith", "Garcia", "Brown", "Miller", "Davis", "Wilson", "Taylor"),
     "+1202555", 4),
)

_MASK = (1 << 64) - 1


def mix(x: int) -> int:
    """splitmix64: a cheap, well-spread 64-bit hash of an integer."""
    z = (x + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


@lru_cache(maxsize=1024)
def ascii_slug(text: str) -> str:
    """'Lefèvre' -> 'lefevre', 'de Vries' -> 'devries' (for e-mail addresses)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def person_from(h: int, *, number: int | None = None) -> tuple[str, str, str, str]:
    """(first, last, email, phone) chosen by the bits of hash `h`.

    `number` makes the e-mail unique (anna.peeters123@example.com) for the
    thousands of customers of the big campaign.
    """
    _, firsts, lasts, prefix, width = REGIONS[h % len(REGIONS)]
    first = firsts[(h >> 8) % len(firsts)]
    last = lasts[(h >> 16) % len(lasts)]
    local = f"{ascii_slug(first)}.{ascii_slug(last)}{'' if number is None else number}"
    domain = "example.com" if (h >> 24) % 4 else "example.org"
    phone = prefix + str((h >> 32) % 10**width).zfill(width)
    return first, last, f"{local}@{domain}", phone


def random_code(rng: random.Random, length: int = 21, alphabet: str = CODE_ALPHABET) -> str:
    return "".join(rng.choices(alphabet, k=length))


@lru_cache(maxsize=4096)
def _day(day_number: int) -> str:
    return datetime.fromtimestamp(day_number * 86400, timezone.utc).strftime("%Y-%m-%d")


def fmt_ts(ts: int | float) -> str:
    """Unix seconds -> the API's 'YYYY-MM-DD HH:MM:SS' (UTC). Hot path of the
    big campaign's pages, hence the cached day part."""
    day, sec = divmod(int(ts), 86400)
    return "%s %02d:%02d:%02d" % (_day(day), sec // 3600, sec // 60 % 60, sec % 60)


def fmt_dt(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def days_ago(days: float, *, at: int = FIXED_NOW_TS) -> int:
    return int(at - days * 86400)
