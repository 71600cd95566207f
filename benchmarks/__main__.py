"""``python -m benchmarks [--quick] [NAME ...]`` (``make bench``): every benchmark, then a summary.

Each script runs in its own process (so start-up, memory and event-loop
figures are not polluted by the others) with its output shown as it comes;
the ``@@verdict`` lines they print become the summary table: issue-7 target,
measured figure, verdict. Scripts that print figures but no verdicts
(``cache_hit.py``, ``table_200k.py``) are run for their figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks.common import PYTHON, ROOT, VERDICT_PREFIX

#: (name, module or script, arguments for --quick)
SCRIPTS = [
    ("startup", "benchmarks.startup", ["--quick"]),
    ("cached_pane", "benchmarks.cached_pane", ["--quick"]),
    ("sessions_200k", "benchmarks.sessions_200k", ["--quick"]),
    ("api_overhead", "benchmarks.api_overhead", ["--quick"]),
    ("table_200k", "benchmarks/table_200k.py", []),
    ("cache_hit", "benchmarks/cache_hit.py", ["--runs", "300", "--sandbox-runs", "20"]),
    ("batch_10k", "benchmarks.batch_10k", ["--quick"]),
    ("find_everywhere", "benchmarks.find_everywhere", ["--quick"]),
]


def run(name: str, target: str, args: list[str]) -> tuple[list[dict], int, float]:
    if target.endswith(".py"):
        if not (ROOT / target).exists():
            print(f"({target} is not there; skipped)")
            return [], 0, 0.0
        argv = [PYTHON, str(ROOT / target), *args]
    else:
        argv = [PYTHON, "-m", target, *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    verdicts = []
    start = time.perf_counter()
    with subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(VERDICT_PREFIX):
                verdicts.append(json.loads(line[len(VERDICT_PREFIX):]))
            else:
                print(line, end="", flush=True)
    return verdicts, proc.returncode, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs of everything")
    parser.add_argument("names", nargs="*", help=f"only these ({', '.join(n for n, _, _ in SCRIPTS)})")
    args = parser.parse_args(argv)
    unknown = set(args.names) - {name for name, _, _ in SCRIPTS}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    rows: list[dict] = []
    failures = []
    for name, target, quick_args in SCRIPTS:
        if args.names and name not in args.names:
            continue
        print(f"\n=== {name} ===", flush=True)
        verdicts, code, seconds = run(name, target, quick_args if args.quick else [])
        if code:
            failures.append(name)
            rows.append({"target": f"{name}: did not finish (exit {code})", "measured": "",
                         "ok": False, "note": ""})
        rows.extend(verdicts)
        print(f"({name}: {seconds:.0f} s)")

    print("\n=== summary (issue 7 targets; measured on this machine, this run) ===")
    width = max([len(r["target"]) for r in rows] + [6])
    mwidth = max([len(r["measured"]) for r in rows] + [8])
    print(f"{'target':<{width}}  {'measured':<{mwidth}}  verdict")
    for r in rows:
        verdict = {True: "met", False: "MISSED", None: "-"}[r["ok"]]
        note = f"  ({r['note']})" if r.get("note") else ""
        print(f"{r['target']:<{width}}  {r['measured']:<{mwidth}}  {verdict}{note}")
    met = sum(1 for r in rows if r["ok"] is True)
    print(f"{met} of {sum(1 for r in rows if r['ok'] is not None)} targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
