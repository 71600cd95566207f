"""`ctconsole find` and `ctconsole explain` on the sandbox's support cases."""

from __future__ import annotations

import json

import pytest

from ctconsole.cli import main
from ctconsole.sandbox import make_sandbox_app


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=0, cases=True)


def run(capsys, sandbox, *argv: str) -> tuple[int, str, str]:
    code = main(["--demo", *argv], sandbox_app=sandbox)
    out, err = capsys.readouterr()
    return code, out, err


def test_find_everywhere_finds_a_subaccount_only_session(capsys, sandbox):
    case = sandbox.state.cases["validated"]
    code, out, err = run(capsys, sandbox, "find", "--everywhere", case["email"])
    assert code == 0
    assert out.splitlines() == [f"{case['session']}\tcam_2605\tsub_2006 Velo Bakker\t"
                                f"email: {case['email']}\tBram Visser"]
    assert "searched 7 of 7 accounts · 1 match" in err


def test_find_json_lines(capsys, sandbox):
    case = sandbox.state.cases["validated"]
    code, out, _ = run(capsys, sandbox, "find", "--everywhere", "--json", case["email"])
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(docs) == 1
    assert docs[0]["account"] == "sub_2006" and docs[0]["session"] == case["session"]
    assert docs[0]["session_url"].endswith(case["session"])


def test_find_without_everywhere_stays_in_the_account_and_exits_1(capsys, sandbox):
    case = sandbox.state.cases["validated"]
    code, out, err = run(capsys, sandbox, "find", case["email"])
    assert code == 1 and out == ""
    assert "No session found" in err
    assert not any(r.operation == "subaccount.list" for r in sandbox.requests)


def test_find_exits_3_when_the_network_fails(capsys, sandbox):
    sandbox.faults.add("drop", "session.search", times=None)
    code, out, err = run(capsys, sandbox, "find", "--everywhere", "nobody@example.com")
    assert code == 3 and out == ""
    assert "Velo Bakker (sub_2006)" in err


def test_find_refuses_empty_text(capsys, sandbox):
    code, _, err = run(capsys, sandbox, "find", "  ")
    assert code == 2 and "Nothing to search for" in err
    assert sandbox.requests == []


def test_explain_gives_the_verdict_and_the_fix(capsys, sandbox):
    case = sandbox.state.cases["voided"]
    code, out, _ = run(capsys, sandbox, "explain", case["session"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Voided on ")
    assert lines[1] == f"session {case['session']} · campaign cam_2605 · Velo Bakker (sub_2006)"
    assert lines[-1] == (f"Fix: Un-void {case['session'][:6]} (only if it was voided by mistake): "
                         f"session.update couponsession={case['session']} voided=false with "
                         "Velo Bakker (sub_2006)'s credentials (the console's fix key uses them)")


def test_explain_json_for_an_ended_campaign(capsys, sandbox):
    case = sandbox.state.cases["ended"]
    code, out, _ = run(capsys, sandbox, "explain", "--json", case["session"])
    doc = json.loads(out)
    assert code == 0
    assert doc["verdict"]["rule"] == "campaign_ended" and doc["verdict"]["fix"] is None
    assert "extend" in doc["verdict"]["tell"]
    assert doc["account"] == "sub_2006" and doc["campaign"] == "cam_2602"


def test_explain_a_removed_link(capsys, sandbox):
    case = sandbox.state.cases["removed_link"]
    code, out, _ = run(capsys, sandbox, "explain", case["url"])
    assert code == 0 and out.startswith("Single-use link removed")


def test_explain_unknown_code_exits_1(capsys, sandbox):
    code, out, _ = run(capsys, sandbox, "explain", "zzzzzzzzzzzzzzzzzzzzz")
    assert code == 1 and out.startswith("No such session")


def test_explain_note_masks_personal_data_unless_asked(capsys, sandbox):
    case = sandbox.state.cases["validated"]
    code, out, _ = run(capsys, sandbox, "explain", "--note", case["session"])
    assert code == 0 and out.startswith(f"# Case: session {case['session'][:6]} — Already validated")
    assert "| Customer | B. V. · b…@example.net · …" in out
    assert case["email"] not in out
    code, out, _ = run(capsys, sandbox, "explain", "--note", "--personal", case["session"])
    assert f"| Customer | Bram Visser · {case['email']} · +32" in out


@pytest.mark.parametrize("case, verdict", [
    ("loyalty_voided", "Loyalty card user lus_36010 is voided"),
    ("loyalty_out_of_stamps", "Not enough stamps for a reward (0 of 10)"),
    ("loyalty_ok", "Nothing wrong found"),
])
def test_explain_a_loyalty_card_user_of_a_subaccount(capsys, sandbox, case, verdict):
    user = sandbox.state.cases[case]["user"]
    code, out, _ = run(capsys, sandbox, "explain", user)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == verdict
    assert lines[1] == f"loyalty card user {user} · card loy_3601 · Velo Bakker (sub_2006)"


def test_explain_note_of_a_loyalty_user(capsys, sandbox):
    user = sandbox.state.cases["loyalty_voided"]["user"]
    code, out, _ = run(capsys, sandbox, "explain", "--note", user)
    assert code == 0 and "| Loyalty card | Velo ride card (loy_3601), user lus_36010 |" in out
    assert "| State | 6 of 10 stamps, voided |" in out
    assert "| Customer | L. W. · l…@example.net |" in out
    assert "loyalty.user_update loyaltycard=loy_3601 user=lus_36010 voided=false" in out


def test_explain_unknown_loyalty_user(capsys, sandbox):
    code, out, _ = run(capsys, sandbox, "explain", "lus_99999")
    assert code == 1 and out.startswith("No such loyalty card user")
