"""A write that reached the API and got a 5xx, no answer in time, a dropped
connection or an unreadable answer has an unknown outcome: one status, one
sentence (`OUTCOME_UNKNOWN`), journaled as unknown, never "try again"."""

from __future__ import annotations

import httpx
import pytest

from ctconsole.api import Client, Credentials, RetryPolicy
from ctconsole.api.errors import OUTCOME_UNKNOWN, ServerError
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from ctconsole.writes import Journal, apply_write, plan_write

from .conftest import sent, session_where

FAULTS = {
    "500 with JSON": ("status", {"status": 500}, "The server failed (HTTP 500) after the write"),
    "502 page from a proxy": ("html", {"status": 502}, "web page, likely from a proxy"),
    "dropped connection": ("drop", {}, "the connection dropped"),
    "cut-off answer": ("truncated", {}, ""),
    "not JSON": ("malformed_json", {}, ""),
}


async def _plan(app, client):
    code = session_where(app, claimed="1", validated="0", voided="0", locked="0")
    return await plan_write(client, "session.update", {"couponsession": code, "validated": True})


def _assert_unknown(outcome, journal, cause_words: str) -> None:
    assert outcome.status == "unknown" and outcome.sent
    assert outcome.note == OUTCOME_UNKNOWN
    err = outcome.error
    assert err.outcome_unknown and err.exit_code == 1
    assert err.message.endswith(OUTCOME_UNKNOWN)
    assert cause_words in err.cause and OUTCOME_UNKNOWN not in err.cause
    assert "try again in a moment" not in err.message
    (entry,) = journal.entries()
    assert entry.outcome == "unknown" and entry.outcome_note == OUTCOME_UNKNOWN
    assert entry.error["message"] == err.cause


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_a_write_without_a_usable_answer_has_the_one_unknown_sentence(
        app, client, journal, context, fault):
    kind, opts, cause_words = fault
    plan = await _plan(app, client)
    app.faults.add(kind, "session.update", **opts)
    outcome = await apply_write(client, plan, journal=journal, context=context)
    _assert_unknown(outcome, journal, cause_words)
    assert sent(app, "session.update") == 1  # never retried


@pytest.mark.parametrize("exc", [httpx.ReadTimeout("slow"), httpx.WriteTimeout("slow"),
                                 httpx.ReadError("reset")], ids=type)
async def test_a_timed_out_write_is_unknown_and_exits_1_not_3(app, client, journal, context, exc):
    plan = await _plan(app, client)
    requests = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        raise exc

    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.MockTransport(handler), timeout=0.5) as slow:
        outcome = await apply_write(slow, plan, journal=journal, context=context)
    _assert_unknown(outcome, journal, "sandbox")
    assert len(requests) == 1


async def test_a_write_that_never_connected_is_failed_not_unknown(app, journal, context, client):
    plan = await _plan(app, client)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.MockTransport(handler)) as down:
        outcome = await apply_write(down, plan, journal=journal, context=context)
    assert outcome.status == "failed" and not outcome.error.outcome_unknown
    assert OUTCOME_UNKNOWN not in outcome.error.message
    assert "Nothing was sent" in outcome.error.message
    assert outcome.error.exit_code == 3
    assert journal.entries()[0].outcome == "failed"


async def test_a_read_that_got_a_5xx_still_says_try_again(app, client):
    app.faults.add("status", "campaign.info", times=None, status=503)
    client.retry = RetryPolicy(max_retries=0)
    with pytest.raises(ServerError) as info:
        await client.call("campaign.info", campaign="cam_1001")
    assert not info.value.outcome_unknown
    assert "try again in a moment" in info.value.message
    assert OUTCOME_UNKNOWN not in info.value.message


async def test_a_journal_that_fills_up_after_sending_keeps_the_outcome(app, client, journal,
                                                                      context, monkeypatch):
    plan = await _plan(app, client)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "finish", disk_full)
    outcome = await apply_write(client, plan, journal=journal, context=context)
    assert outcome.ok and sent(app, "session.update") == 1  # sent once, and it says so
    assert "could not be journaled (No space left on device)" in outcome.journal_problem
    [entry] = Journal(journal.path).entries()
    assert entry.outcome == "unknown"  # the begin record stands


def test_the_readme_quotes_the_sentence_the_program_says():
    from pathlib import Path

    readme = Path(__file__).resolve().parents[2] / "README.md"
    assert f'*"{OUTCOME_UNKNOWN}"*' in " ".join(readme.read_text(encoding="utf-8").split())
