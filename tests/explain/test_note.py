"""The case note: what it says, what it masks, what it refuses to carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from ctconsole.explain.facts import Account, CampaignFacts, Facts, SessionFacts, WriteFacts
from ctconsole.explain.note import render
from ctconsole.explain.rules import explain

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
CODE = "AbCdEf0123456789xyzQW"
SESSION = SessionFacts(CODE, "cam_2605", created=datetime(2026, 11, 1, 9, tzinfo=timezone.utc),
                       opened=True, claimed=True, claimtype="email",
                       claim_date=datetime(2026, 11, 1, 9, 5, tzinfo=timezone.utc),
                       validated=True, validation_value="34.50",
                       validation_date=datetime(2026, 11, 3, 14, 2, tzinfo=timezone.utc),
                       session_url=f"https://digicpn.com/p/bell26/{CODE}",
                       name="Bram Visser", email="bram.visser@example.net", phone="+32470123456")
FACTS = Facts(NOW, asked=CODE, session=SESSION,
              campaign=CampaignFacts("cam_2605", "bell26", "Free bell", "active",
                                     date(2026, 1, 1), date(2026, 12, 31)),
              owner=Account("sub_2006", "Velo Bakker"),
              writes=(WriteFacts("20261103-1", datetime(2026, 11, 3, 14, 2, tzinfo=timezone.utc),
                                 "session.update", {"couponsession": CODE, "validated": True},
                                 "ok", "anna", "ticket 88"),))


def test_the_note_holds_the_case():
    note = render(explain(FACTS))
    assert note.startswith("# Case: session AbCdEf — Already validated on 2026-11-03 14:02 UTC\n")
    assert f"| Session | `{CODE}` |" in note
    assert "| Campaign | Free bell (cam_2605), active, runs 2026-01-01 to 2026-12-31 |" in note
    assert "| Account | Velo Bakker (sub_2006) |" in note
    assert "| State | opened, claimed, validated |" in note
    assert "## Timeline (UTC)" in note
    assert "- 2026-11-01 09:05 UTC claimed by email" in note
    assert "- 2026-11-03 14:02 UTC validated (value 34.50)" in note
    assert (f"- 2026-11-03 14:02 UTC session.update couponsession={CODE} validated=true → ok "
            "by anna (ticket 88) \\[20261103-1\\]") in note
    assert (f"Fix: Un-validate AbCdEf — `session.update couponsession={CODE} validated=false` "
            "(only if the customer did not get the offer)") in note


def test_personal_data_is_masked_by_default():
    note = render(explain(FACTS))
    assert "| Customer | B. V. · b…@example.net · …456 |" in note
    assert "bram.visser" not in note and "Bram" not in note and "470123" not in note
    assert "Personal data masked" in note


def test_personal_data_on_request():
    note = render(explain(FACTS), personal=True)
    assert "| Customer | Bram Visser · bram.visser@example.net · +32470123456 |" in note


def test_merchants_fix_in_words_and_no_writes():
    facts = replace(FACTS, session=replace(SESSION, validated=False, validation_date=None),
                    campaign=replace(FACTS.campaign, status="inactive"), writes=())
    note = render(explain(facts))
    assert "The merchant's fix: tell them The merchant has to activate campaign" in note
    assert "## Writes from this machine\n\n- none" in note


def test_customer_text_cannot_format_the_ticket_or_reach_a_terminal():
    hostile = replace(SESSION, name="[click](https://evil.example) \x1b]52;c;ZXZpbA==\x07",
                      validated=False, validation_date=None)
    note = render(explain(replace(FACTS, session=hostile)), personal=True)
    assert "\x1b" not in note and "\x07" not in note
    assert "\\[click\\](https://evil.example)" in note
    assert "[click](" not in note


def test_a_pasted_email_is_masked_where_the_note_repeats_it():
    facts = Facts(NOW, asked="bram.visser@example.net", searched="the main account")
    note = render(explain(facts))
    assert "bram.visser" not in note
    assert "| Asked about | b…@example.net |" in note
    assert "- Searched the main account for b…@example.net" in note


def test_config_switches_for_find_and_the_case_note(tmp_path):
    from ctconsole.config import load_settings

    path = tmp_path / "config.toml"
    path.write_text('[find]\nconcurrency = 3\n[explain]\ninclude_personal_data = true\n')
    settings = load_settings(path, env={})
    assert settings.find_concurrency == 3 and settings.case_note_personal
    path.write_text("")
    plain = load_settings(path, env={})
    assert plain.find_concurrency == 8 and not plain.case_note_personal
