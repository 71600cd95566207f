"""Where a profile's response cache lives on disk.

One database per profile *and* base URL: the same profile pointed at the
sandbox and at production must never share answers. The file name is a
readable slug (so ``ctconsole cache path`` output makes sense to a person)
plus a short hash of the exact profile name and normalised base URL (so two
profiles that slug alike still get separate files).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def cache_root() -> Path:
    """The directory holding every profile's response database."""
    return platformdirs.user_cache_path("ctconsole") / "responses"


def _slug(text: str, limit: int) -> str:
    slug = _UNSAFE.sub("-", text.lower()).strip("-.")
    return slug[:limit].rstrip("-.") or "x"


def normalise_base_url(base_url: str) -> str:
    """Scheme and host lower-cased, default ports and trailing slashes dropped."""
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "https" and port == 443) or (scheme == "http" and port == 80)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{host}{path}"


def database_path(profile: str, base_url: str, *, root: Path | None = None) -> Path:
    """The database file for `profile` talking to `base_url`.

    Credentials play no part: the file name is derived from names a user can
    see in their config anyway.
    """
    url = normalise_base_url(base_url)
    digest = hashlib.sha256(f"{profile}\x00{url}".encode("utf-8")).hexdigest()[:10]
    host = urlsplit(url).netloc or "local"
    name = f"{_slug(profile, 32)}--{_slug(host, 40)}--{digest}.sqlite3"
    return (root or cache_root()) / name


def profile_databases(profile: str, *, root: Path | None = None) -> list[Path]:
    """Every database of `profile`, whatever base URL (for ``cache clear --profile``).

    Matched by slug, so a profile whose name slugs like another's would also
    match it; callers that need exactness use `database_path`.
    """
    base = root or cache_root()
    if not base.is_dir():
        return []
    prefix = f"{_slug(profile, 32)}--"
    return sorted(p for p in base.glob(f"{prefix}*.sqlite3") if p.is_file())
