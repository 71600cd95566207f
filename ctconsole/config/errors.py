"""Where a config problem is, and how it is worded.

tomllib reports positions only for syntax errors, and the schema's checks
(`schema`) a key path but no position; a person fixing the file wants
``file:line: key``.
`Locator` finds the line of a key path by scanning the text, and `ConfigError`
carries the pieces and renders them the same way every time.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Iterable


class ConfigError(Exception):
    """A config problem, worded for the person who has to fix the file.

    `path`, `line` and `key` are kept as attributes for callers that want to
    point at the spot themselves; ``str()`` is the complete message.
    """

    def __init__(self, message: str, *, path: Path | None = None,
                 line: int | None = None, key: str | None = None) -> None:
        self.path, self.line, self.key, self.reason = path, line, key, message
        where = ""
        if path is not None:
            where = display_path(path) + (f":{line}" if line else "") + ": "
        super().__init__(f"{where}{key + ': ' if key else ''}{message}")


def display_path(path: Path) -> str:
    """`path` with the home directory shown as ~, as the user would type it."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except (ValueError, RuntimeError):
        return str(path)


def suggest(name: str, options: Iterable[str]) -> str:
    """`` (did you mean a, b?)`` for close spellings of `name`, or ""."""
    close = difflib.get_close_matches(name, list(options), n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def parse_toml(text: str, locator: "Locator") -> dict[str, Any]:
    """`tomllib.loads`, with a syntax error turned into a located `ConfigError`.

    tomllib is imported here, when there is a file to read: its import
    (mostly compiling its patterns) is start-up time a ``--demo`` run never needs."""
    # Lazy for start-up: a run that reads no config file never loads tomllib.
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        line = int(m.group(1)) if m else None
        key = locator.key_at(line) if line else None
        col = f" at column {m.group(2)}" if m else ""
        raise ConfigError(f"invalid TOML{col}: {reason}", path=locator.path, line=line,
                          key=key) from None


#: A value of the wrong type, by the kind the schema wanted.
_TYPE_MESSAGES = {
    "float": "must be a number", "int": "must be a whole number",
    "bool": "must be true or false", "string": "must be a string", "table": "must be a table",
}


def describe(problem: str, loc: tuple, value: Any, known: Iterable[str] = ()) -> str:
    """A problem at `loc` in the file's terms: "unknown" (a key not among
    `known`), a kind from `_TYPE_MESSAGES` the value does not have, or a
    message of its own. The offending value is quoted only when it is a
    short scalar under a key that is not about secrets."""
    last = str(loc[-1]) if loc else ""
    if problem == "unknown":
        if last == "verify":
            return ("TLS verification cannot be turned off; to trust a private CA, "
                    'set ca_bundle = "/path/to/ca.pem" in the profile')
        return "unknown key" + suggest(last, known)
    message = _TYPE_MESSAGES.get(problem, problem)
    if "secret" not in last and isinstance(value, (str, int, float, bool)):
        shown = toml_value(value)
        if len(shown) <= 40:
            message += f" (got {shown})"
    return message


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


class Locator:
    """Maps a key path such as ``("profiles", "main", "timeout")`` to its line.

    tomllib does not report positions of valid values, so the text is scanned:
    table headers set the current table, ``key = value`` lines extend it. It is
    a lenient scanner, not a parser: good enough to point an editor at a line.
    """

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.keys: list[tuple[tuple[str, ...], int]] = []
        table: tuple[str, ...] = ()
        in_multiline = False
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if in_multiline or not stripped or stripped.startswith("#"):
                in_multiline ^= (line.count('"""') + line.count("'''")) % 2 == 1
                continue
            if stripped.startswith("["):
                header = stripped.lstrip("[")
                table = split_key(header)
                self.keys.append((table, number))
                continue
            key = split_key(stripped)
            if key:
                self.keys.append((table + key, number))
            if (line.count('"""') + line.count("'''")) % 2 == 1:
                in_multiline = True

    def line_of(self, loc: tuple) -> int | None:
        """Line of the longest prefix of `loc` found in the file."""
        want = tuple(str(p) for p in loc)
        for size in range(len(want), 0, -1):
            for key, number in self.keys:
                if key == want[:size]:
                    return number
        return None

    def key_at(self, line: int) -> str | None:
        for key, number in self.keys:
            if number == line:
                return dotted(key)
        before = [key for key, number in self.keys if number < line]
        return dotted(before[-1]) if before else None

    def error(self, loc: tuple, message: str) -> ConfigError:
        return ConfigError(message, path=self.path, line=self.line_of(loc), key=dotted(loc))


def split_key(s: str) -> tuple[str, ...]:
    """Parse the dotted key at the start of `s` (bare or quoted parts), up to
    ``=`` or ``]``. Returns () if `s` does not start with a key."""
    parts: list[str] = []
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] in "\"'":
            quote = s[i]
            end = s.find(quote, i + 1)
            if end < 0:
                return ()
            parts.append(s[i + 1:end])
            i = end + 1
        else:
            m = re.match(r"[A-Za-z0-9_-]+", s[i:])
            if not m:
                return ()
            parts.append(m.group(0))
            i += m.end()
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] == ".":
            i += 1
            continue
        break
    return tuple(parts) if i < n and s[i] in "=]" else ()


def dotted(loc: tuple) -> str:
    return ".".join(
        str(p) if re.fullmatch(r"[A-Za-z0-9_-]+", str(p)) else '"' + str(p) + '"' for p in loc
    )
