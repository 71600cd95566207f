"""Several processes journaling at once (the console and scripts running
`ctconsole call`) leave one whole, parseable line per record: no line is
interleaved with another, none is lost, ids stay apart."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from ctconsole.writes import Journal

WORKERS, WRITES = 4, 50

#: One worker: WRITES begin + finish pairs on the shared journal, each record
#: large (well past a pipe buffer and a page) so a split write would show.
WORKER = textwrap.dedent("""
    import sys
    from ctconsole.api.catalogue import CATALOGUE
    from ctconsole.writes import Journal, WriteContext, WritePlan
    from ctconsole.writes.specs import describe

    path, worker, writes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    op = CATALOGUE.get("session.update")
    journal, context = Journal(path), WriteContext(profile="p")
    for i in range(writes):
        params = {"couponsession": f"w{worker}n{i}", "customid": worker * 30000}
        plan = WritePlan(op.name, params, describe(op.name, params), "main account", op,
                         reason=f"worker {worker} write {i}")
        entry = journal.begin(plan, context)
        journal.finish(entry, "ok", result={"echo": worker * 70000})
""")


def test_four_processes_journaling_at_once_leave_whole_lines(tmp_path):
    path = tmp_path / "data" / "journal.jsonl"  # not there yet: the first append makes it
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(w), str(WRITES)],
                              stderr=subprocess.PIPE) for w in "ABCD"[:WORKERS]]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""  # ends with a whole line
    records = [json.loads(line) for line in lines[:-1]]  # every line parses
    assert len(records) == WORKERS * WRITES * 2
    begins = [r for r in records if r["record"] == "begin"]
    assert len({r["id"] for r in begins}) == WORKERS * WRITES
    for r in begins:
        worker = r["params"]["couponsession"][1]
        assert r["params"]["customid"] == worker * 30000  # not cut, not mixed
    journal = Journal(path)
    entries = journal.entries()
    assert journal.warnings == []
    assert len(entries) == WORKERS * WRITES and {e.outcome for e in entries} == {"ok"}
    assert sorted(e.reason for e in entries) == sorted(
        f"worker {w} write {i}" for w in "ABCD"[:WORKERS] for i in range(WRITES))
