"""Writing a list's filtered view to a CSV or JSON file (no Textual here).

Why a module of its own, free of the UI toolkit: what goes into an export
file is a contract with whoever opens it (a spreadsheet, a script), so it is
plain functions that unit tests pin down byte for byte.

* The rows are the grid's *original* values (not the cut, sanitised display
  text), in view order, so an export is exactly the filtered, sorted list the
  user was looking at.
* Both formats hold text as the screen shows it minus the characters that
  act on a terminal (`ctconsole.safetext.export`: ESC, NUL, C1, bidi and
  other controls removed, tab and line break kept): a `cat` of an export must
  not retitle the terminal or reorder what it shows.
* CSV is for spreadsheets: every cell that a spreadsheet would run as a
  formula (`=`, `+`, `-`, `@` or their full-width forms, also after leading
  blanks; or a leading tab or carriage return) gets a leading `'`
  (`safetext.guard_formula`); customers type these fields, so an e-mail
  address such as `=HYPERLINK(...)` must arrive as text. Dates are the API's own
  `YYYY-MM-DD HH:MM:SS` (UTC), which spreadsheets read as dates. The file
  starts with a UTF-8 byte order mark so spreadsheet programs read accents.
* JSON is for scripts: values keep their types, dates are ISO 8601 with
  their UTC offset, no formula guard.
* A secret value that ever reached a row is written masked: an export never
  carries a secret the user did not deliberately reveal and copy.
* Files are created with mode 0600 (customer data) and their folder private
  (0700) when missing. An existing file is replaced only when the caller
  says so (the dialog asks first), and then atomically: a new private file
  renamed over it, never written through it (nor through a symlink).
* A path always ends in its format's extension, and a bare file name goes
  in the exports folder (not wherever the console happened to start).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from ctconsole.safetext import export as clean, guard_formula, spreadsheet_cell

__all__ = ["FORMATS", "Format", "MASK", "guard_formula", "csv_cell", "json_value", "to_csv",
           "to_json", "render", "default_path", "export_path", "exists", "file_stem",
           "write_private", "with_format"]

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
#: How a secret is written, should one reach an exported row.
MASK = "********"
#: Where exports go unless the user types another path.
DEFAULT_DIRECTORY = "~/ctconsole-exports"

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def _is_secret(value: Any) -> bool:
    return hasattr(value, "get_secret_value")


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc) if value.tzinfo is not None else value


def csv_cell(value: Any) -> str:
    """One value as CSV text (before the formula guard)."""
    if value is None:
        return ""
    if _is_secret(value):
        return MASK
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(json_value(value), ensure_ascii=False)
    return str(value)


def json_value(value: Any) -> Any:
    """One value as JSON data: types kept, dates ISO 8601, secrets masked."""
    if isinstance(value, str):
        return clean(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if _is_secret(value):
        return MASK
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return json_value(value.value)
    if isinstance(value, Mapping):
        return {clean(str(k)): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_value(v) for v in value]
    return clean(str(value))


def to_csv(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> str:
    """A header of column keys, then one guarded line per record (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(name) for name in columns])
    for record in records:
        writer.writerow([spreadsheet_cell(csv_cell(record.get(name))) for name in columns])
    return buffer.getvalue()


def to_json(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> str:
    """A JSON array of objects with the columns' keys, in column order."""
    rows = [{clean(name): json_value(record.get(name)) for name in columns} for record in records]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def render(fmt: Format, columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> bytes:
    """The file's bytes in `fmt`."""
    if fmt == "csv":
        return to_csv(columns, records).encode("utf-8-sig")
    if fmt == "json":
        return to_json(columns, records).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r} (use csv or json)")


def file_stem(pane: str) -> str:
    """A pane's name made safe for a file name ("cam_1003 sessions" → "cam_1003-sessions")."""
    return _UNSAFE_NAME.sub("-", pane).strip("-.") or "export"


def default_path(pane: str, now: datetime, fmt: Format, directory: str = DEFAULT_DIRECTORY) -> str:
    """`~/ctconsole-exports/<pane>-<UTC timestamp>.<fmt>` (the `~` left for the user to see)."""
    stamp = _utc(now).strftime("%Y%m%dT%H%M%SZ")
    return f"{directory.rstrip('/')}/{file_stem(pane)}-{stamp}.{fmt}"


def with_format(path: str, fmt: Format) -> str:
    """`path` with its export extension switched to `fmt` (other names unchanged)."""
    for other in FORMATS:
        if other != fmt and path.lower().endswith("." + other):
            return path[: -len(other)] + fmt
    return path


def export_path(typed: str, fmt: Format, directory: str = DEFAULT_DIRECTORY) -> str:
    """The file a typed path means: `fmt`'s extension added when missing
    (another format's is switched), a bare name put in `directory`."""
    path = with_format(typed.strip(), fmt)
    if not path.lower().endswith("." + fmt):
        path = f"{path}.{fmt}"
    if "/" not in path and os.sep not in path:
        path = f"{directory.rstrip('/')}/{path}"
    return path


def exists(path: str) -> bool:
    """Whether `path` (a `~` is expanded) names something already there."""
    return os.path.lexists(os.path.expanduser(path))


def write_private(path: str | os.PathLike[str], data: bytes, *, replace: bool = False) -> Path:
    """Create `path` (a `~` is expanded) with mode 0600 and write `data`.

    `replace`: an existing file is replaced (atomically: a new private file
    is renamed over it); otherwise it is left alone.

    Raises:
        FileExistsError: the file already exists and `replace` is False.
        OSError: the folder cannot be created or the file written.
    """
    target = Path(os.path.expanduser(os.fspath(path)))
    if not target.parent.exists():
        target.parent.mkdir(mode=0o700, parents=True)
    if replace and os.path.lexists(target):
        scratch = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            _write_new(scratch, data)
            os.replace(scratch, target)
        finally:
            if os.path.lexists(scratch):
                os.unlink(scratch)
        return target
    _write_new(target, data)
    return target


def _write_new(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, 0o600)
    try:
        if hasattr(os, "fchmod"):  # whatever the umask, only the owner reads it
            os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            descriptor = -1
            handle.write(data)
    finally:
        if descriptor != -1:
            os.close(descriptor)
