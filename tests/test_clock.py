"""The judging clock: the sandbox's day for the demo and tests, the
calendar's otherwise, `CTCONSOLE_NOW` over both."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from ctconsole import clock
from ctconsole.cli import main
from ctconsole.sandbox import make_sandbox_app
from ctconsole.sandbox.people import FIXED_NOW


@pytest.fixture
def unpinned(monkeypatch):
    monkeypatch.delenv(clock.ENV, raising=False)
    yield
    clock.pin(None)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-20T12:00:00Z", datetime(2026, 11, 20, 12, tzinfo=timezone.utc)),
    ("2026-11-20T13:00:00+01:00", datetime(2026, 11, 20, 12, tzinfo=timezone.utc)),
    ("2026-11-20 12:00", datetime(2026, 11, 20, 12, tzinfo=timezone.utc)),
    ("2026-11-20", datetime(2026, 11, 20, tzinfo=timezone.utc)),
])
def test_parse_reads_iso_times_as_utc(text, expected):
    assert clock.parse(text) == expected


def test_parse_says_what_it_wants():
    with pytest.raises(ValueError, match="CTCONSOLE_NOW must be an ISO 8601 time"):
        clock.parse("next tuesday")


def test_real_clock_unless_pinned_and_environment_wins(unpinned, monkeypatch):
    before = datetime.now(timezone.utc)
    assert before <= clock.now() <= datetime.now(timezone.utc)
    clock.pin(FIXED_NOW)
    assert clock.now() == FIXED_NOW
    monkeypatch.setenv(clock.ENV, "2027-03-01T00:00:00Z")
    assert clock.now() == datetime(2027, 3, 1, tzinfo=timezone.utc)


def _verdict(capsys, sandbox, code) -> tuple[int, dict, str]:
    status = main(["--demo", "explain", code, "--json"], sandbox_app=sandbox)
    out, err = capsys.readouterr()
    return status, json.loads(out) if out.strip() else {}, err


def test_demo_judges_on_the_sandbox_day_and_the_environment_can_move_it(
        unpinned, monkeypatch, capsys):
    sandbox = make_sandbox_app(big_sessions=0, cases=True)
    code = sandbox.state.cases["not_started"]["session"]
    # The campaign starts on 2026-12-01: not started on the sandbox's day,
    # whatever the calendar says.
    _, document, _ = _verdict(capsys, sandbox, code)
    assert document["verdict"]["rule"] == "campaign_not_started"
    assert clock.now() != FIXED_NOW  # the demo's pin ends with the run
    monkeypatch.setenv(clock.ENV, "2027-03-01T00:00:00Z")
    _, document, _ = _verdict(capsys, sandbox, code)
    assert document["verdict"]["rule"] == "campaign_ended"


def test_an_unreadable_clock_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.setenv(clock.ENV, "yesterday")
    assert main(["--demo", "ops"]) == 2
    err = capsys.readouterr().err
    assert "CTCONSOLE_NOW must be an ISO 8601 time" in err and "Traceback" not in err
