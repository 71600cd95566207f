"""The audit journal: every write, appended to a local JSON-lines file.

Why records, not rows: a write is journaled twice. A `begin` record goes to
disk (written and fsync'ed) BEFORE the request is sent; a `finish` record is
appended when the answer (or the error) is in, and a `state` record once the
object has been read again. Reading folds the records by entry id, so a write
whose process died in flight - killed, crashed, the laptop lid closed - still
has its `begin`, and reads as "outcome unknown (no answer recorded)". That is
the one thing a support person must know before trying again.

The file is append-only, mode 0600 in a 0700 directory (it holds customer
data), one JSON object a line. Each record is one `write()` of a whole line
on an O_APPEND descriptor, under an exclusive lock on the file (`flock`,
where the platform has it), so several processes writing at once - the
console and a script running `ctconsole call` - leave whole lines, never
interleaved ones. A line cut short by a crash, or any line that does not
parse, is skipped with a warning (see `Journal.warnings`), never a
traceback; the next append starts on a fresh line so the damage never spreads.
Secrets never get here: params, answers and states are redacted by
`redaction` before they are handed to the journal.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ctconsole import paths, safetext
from ctconsole.redaction import redact

from .context import WriteContext

log = logging.getLogger("ctconsole.writes")

JOURNAL_FILENAME = "journal.jsonl"
FORMAT = 1
OUTCOMES = ("ok", "failed", "unknown")
NO_ANSWER = "no answer recorded: the program stopped while the request was in flight"
_FILE_MODE = 0o600


#: The demo's writes (to the built-in sandbox) go to a journal of their own,
#: so they never mix with the writes made to a real account.
DEMO_JOURNAL_FILENAME = "demo-journal.jsonl"
_demo = False


def use_demo_journal(on: bool = True) -> None:
    """Make `default_path` the demo's journal for this process (`--demo`)."""
    global _demo
    _demo = on


def default_path() -> Path:
    """``<platform data dir>/journal.jsonl`` (not created by asking), or
    ``demo-journal.jsonl`` in a `--demo` process."""
    return paths.data_dir() / (DEMO_JOURNAL_FILENAME if _demo else JOURNAL_FILENAME)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def new_entry_id(moment: datetime | None = None) -> str:
    """Sortable and short enough to type: ``20261120-120000-a1b2c3d4``. The
    random part keeps ids apart when many processes write in the same
    second (two equal ids would fold two writes into one entry)."""
    return f"{(moment or _now()):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"


#: Items of one list kept in a journal record. A create-many of 100,000 codes
#: would otherwise write one ~19 MB line (and read it back on every listing);
#: the audit needs what happened and a sample, the codes live in the API.
MAX_LIST_ITEMS = 100


def bounded(value: Any, limit: int = MAX_LIST_ITEMS) -> Any:
    """`value` with every list cut to `limit` items, followed by a note of how
    many were left out."""
    if isinstance(value, dict):
        return {k: bounded(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        kept = [bounded(v, limit) for v in value[:limit]]
        if len(value) > limit:
            kept.append({"not_journaled": f"{len(value) - limit} more items"})
        return kept
    return value


@dataclass
class JournalEntry:
    """One write, folded from its records."""

    id: str
    time: str
    operation: str
    user: str = ""
    host: str = ""
    profile: str = ""
    subaccount: str | None = None
    credentials: str = ""
    #: {"kind", "id", "label", "keys"}: what the write acted on.
    object: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    request: dict = field(default_factory=dict)
    before: Any = None
    expected: Any = None
    reach: int | None = None
    reason: str | None = None
    undo_of: str | None = None
    #: "ok", "failed" or "unknown".
    outcome: str = "unknown"
    outcome_note: str = NO_ANSWER
    finished: str | None = None
    #: The answer's payload (redacted) for ok; the error for failed/unknown.
    result: Any = None
    error: dict | None = None
    #: The object as read again after the write.
    after: Any = None
    #: For a write of a batch: {"id": batch ID, "step": step number, "part": n}.
    batch: dict | None = None

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.time)

    def values(self) -> Iterator[str]:
        """Every identifying value of the object (and a created one)."""
        keys = self.object.get("keys") or {}
        for value in [self.object.get("id"), *keys.values()]:
            if isinstance(value, list):
                yield from (str(v) for v in value)
            elif value:
                yield from str(value).split(",")
        if isinstance(self.result, dict):
            for name in ("single_use_code", "couponsession"):
                if isinstance(self.result.get(name), str):
                    yield self.result[name]
            sub = self.result.get("subaccount")
            if isinstance(sub, dict) and isinstance(sub.get("ID"), str):
                yield sub["ID"]

    def mentions(self, text: str) -> bool:
        """Whether the write was about `text`: an ID, or a session code in its
        full or 6-character form."""
        text = text.strip()
        for value in self.values():
            if value == text:
                return True
            if len(text) >= 6 and len(value) >= 6 and (value.startswith(text) or text.startswith(value)):
                return True
        return False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    """An append-only journal file. Cheap to create; the file and its
    directory are made on the first append."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        #: Problems met by the last read (bad lines), one sentence each.
        self.warnings: list[str] = []

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # --- writing -------------------------------------------------------------------

    def _append(self, record: dict[str, Any]) -> None:
        """Append one record as one line, and flush it to the disk. Customer
        text in it is JSON-escaped where a terminal would act on it
        (`safetext.escape_json`), so a `cat` or `tail` of the journal is inert."""
        line = safetext.escape_json(
            json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str))
        data = (line + "\n").encode("utf-8")
        created = not self.path.exists()
        paths.ensure_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, _FILE_MODE)
        try:
            _lock(fd)  # released by close()
            if os.fstat(fd).st_mode & 0o777 != _FILE_MODE and hasattr(os, "fchmod"):
                os.fchmod(fd, _FILE_MODE)
            size = os.fstat(fd).st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    data = b"\n" + data  # a line cut short by a crash: start afresh
            written = os.write(fd, data)
            if written != len(data):  # a full disk: the line is cut; say so, send nothing
                raise OSError(errno.ENOSPC, f"only {written} of {len(data)} bytes written")
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_dir(self.path.parent)

    def begin(self, plan: Any, context: WriteContext, *, entry_id: str | None = None,
              batch: dict | None = None) -> str:
        """Journal a write about to be sent; return its entry id. On return
        the record is on the disk (raises OSError if it cannot be written, so
        a write is never sent unjournaled). `batch`: the batch and step it
        belongs to."""
        moment = _now()
        entry_id = entry_id or new_entry_id(moment)
        op = plan.op
        self._append({
            "v": FORMAT, "record": "begin", "id": entry_id, "time": _iso(moment),
            "user": context.user, "host": context.host, "profile": context.profile,
            "subaccount": context.subaccount, "credentials": plan.credentials,
            "operation": plan.operation,
            "object": {"kind": plan.target.kind, "id": plan.target.id,
                       "label": plan.target.label, "keys": redact(op, plan.target.keys)},
            "params": redact(op, plan.params), "request": plan.as_request(),
            "before": redact(op, plan.before), "expected": redact(op, plan.after),
            "reach": plan.reach, "reason": plan.reason, "undo_of": plan.undo_of,
            **({"batch": batch} if batch else {}),
        })
        return entry_id

    def record_batch(self, manifest: dict[str, Any]) -> None:
        """Journal a batch's plan (its operations and the objects of each)
        before its first write is sent, so a batch cut short can be resumed
        from the journal alone. Raises OSError like `begin`."""
        self._append({"v": FORMAT, "record": "batch", "time": _iso(_now()), **manifest})

    def batch_manifests(self, batch_id: str | None = None) -> list[dict[str, Any]]:
        """The batch records (every part of every batch, or of `batch_id`,
        which may be a unique prefix), oldest first."""
        found = [r for r in self._records(batches=True) if r["record"] == "batch"]
        if batch_id is None:
            return found
        ids = {r["id"] for r in found if r["id"] == batch_id or r["id"].startswith(batch_id)}
        if batch_id in ids:
            ids = {batch_id}
        return [r for r in found if r["id"] in ids] if len(ids) == 1 else []

    def finish(self, entry_id: str, outcome: str, *, result: Any = None,
               error: dict | None = None, note: str = "") -> None:
        """Journal the answer: `outcome` ok (with the redacted `result`), failed
        or unknown (with `error`: title, message, codes)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
        self._append({"v": FORMAT, "record": "finish", "id": entry_id, "time": _iso(_now()),
                      "outcome": outcome, "note": note, "result": bounded(result),
                      "error": error})

    def record_state(self, entry_id: str, state: Any) -> None:
        """Journal the object as read again after the write (redacted)."""
        self._append({"v": FORMAT, "record": "state", "id": entry_id, "time": _iso(_now()),
                      "state": bounded(state)})

    # --- reading -------------------------------------------------------------------

    def _records(self, *, batches: bool = False) -> Iterator[dict[str, Any]]:
        self.warnings = []
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self._warn(f"the journal {self.path} could not be read ({exc.strerror or exc})")
            return
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                self._warn(f"journal line {number} is damaged (cut short by a crash?) "
                           "and was skipped")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("id"), str) \
                    or record.get("record") not in ("begin", "finish", "state", "batch"):
                self._warn(f"journal line {number} is not a journal record and was skipped")
                continue
            if record["record"] == "batch" and not batches:
                continue
            yield record

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.warning("%s", message)

    def _fold(self) -> list[JournalEntry]:
        entries: dict[str, JournalEntry] = {}
        for rec in self._records():
            entry = entries.get(rec["id"])
            if rec["record"] == "begin":
                entries[rec["id"]] = _from_begin(rec)
            elif entry is None:
                self._warn(f"journal record for unknown entry {rec['id']} was skipped")
            elif rec["record"] == "finish":
                outcome = rec.get("outcome")
                entry.outcome = outcome if outcome in OUTCOMES else "unknown"
                entry.outcome_note = str(rec.get("note") or "")
                entry.finished = rec.get("time")
                entry.result = rec.get("result")
                entry.error = rec.get("error")
            else:
                entry.after = rec.get("state")
        return list(entries.values())

    def entries(self, object: str | None = None, operation: str | None = None,
                since: datetime | None = None, until: datetime | None = None,
                outcome: str | None = None, batch: str | None = None) -> list[JournalEntry]:
        """Entries oldest first, filtered: `object` (an ID or session code the
        write was about), `operation` (a name, or its group: "loyalty"),
        `since`/`until` (aware datetimes, inclusive), `outcome`, `batch` (a batch ID)."""
        found = []
        for entry in self._fold():
            if object and not entry.mentions(object):
                continue
            if operation and entry.operation != operation \
                    and not entry.operation.startswith(operation + "."):
                continue
            if since and entry.when < since:
                continue
            if until and entry.when > until:
                continue
            if outcome and entry.outcome != outcome:
                continue
            if batch and (entry.batch or {}).get("id") != batch:
                continue
            found.append(entry)
        return found

    def get(self, entry_id: str) -> JournalEntry | None:
        """The entry with this id (or the one id starting with it)."""
        matches = [e for e in self._fold() if e.id == entry_id or e.id.startswith(entry_id)]
        exact = [e for e in matches if e.id == entry_id]
        return exact[0] if exact else (matches[0] if len(matches) == 1 else None)


_BEGIN_FIELDS = ("user", "host", "profile", "subaccount", "credentials", "object", "params",
                 "request", "before", "expected", "reach", "reason", "undo_of", "batch")


def _from_begin(rec: dict[str, Any]) -> JournalEntry:
    entry = JournalEntry(id=rec["id"], time=str(rec.get("time") or ""),
                         operation=str(rec.get("operation") or ""))
    for name in _BEGIN_FIELDS:
        if name in rec and rec[name] is not None:
            setattr(entry, name, rec[name])
    if not isinstance(entry.object, dict):
        entry.object = {}
    try:
        entry.when
    except ValueError:
        entry.time = "1970-01-01T00:00:00+00:00"
    return entry


def _lock(fd: int) -> None:
    """Hold an exclusive lock on the journal while appending (waits for
    another process's append to finish; a no-op where flock is missing)."""
    try:
        # Platform: fcntl is POSIX only; on Windows appends rely on O_APPEND.
        import fcntl
    except ImportError:  # Windows: O_APPEND alone
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _fsync_dir(path: Path) -> None:
    """Make a new file's directory entry durable (POSIX; a no-op elsewhere)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def error_record(err: BaseException) -> dict[str, Any]:
    """An error as the journal keeps it: type, title, message, codes. The
    message is the error's cause (what happened on the wire); what an unknown
    outcome means is the entry's note."""
    message = getattr(err, "cause", None) or getattr(err, "message", "")
    return {"type": type(err).__name__, "title": getattr(err, "title", type(err).__name__),
            "message": message, "codes": list(getattr(err, "codes", []) or [])}

