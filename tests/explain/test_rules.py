"""Each rule of `ctconsole.explain.rules`, fed with literal facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from ctconsole.explain.facts import (Account, CampaignFacts, Facts, LoyaltyFacts, SessionFacts,
                                     WriteFacts)
from ctconsole.explain.rules import RULES, explain

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
CODE = "AbCdEf0123456789xyzQW"
CAMPAIGN = CampaignFacts("cam_2605", "bell26", "Free bell", "active", date(2026, 1, 1),
                         date(2026, 12, 31))
SESSION = SessionFacts(CODE, "cam_2605", created=datetime(2026, 11, 1, 9, tzinfo=timezone.utc),
                       opened=True, claimed=True,
                       claim_date=datetime(2026, 11, 1, 9, 5, tzinfo=timezone.utc),
                       claimtype="email")
FINE = Facts(NOW, asked=CODE, session=SESSION, campaign=CAMPAIGN, owner=Account("sub_2006", "Velo"))


def verdict(facts: Facts):
    return explain(facts).verdict


def test_nothing_wrong_lists_what_was_checked():
    result = explain(FINE)
    assert result.ok and result.verdict.verdict == "Nothing wrong found"
    assert "not voided: fine" in result.verdict.evidence
    assert "campaign not ended: fine" in result.verdict.evidence
    assert result.verdict.fix is None and "should work" in result.verdict.tell


def test_voided_offers_un_void():
    v = verdict(replace(FINE, session=replace(SESSION, voided=True, voided_date=datetime(
        2026, 11, 2, 8, 30, tzinfo=timezone.utc))))
    assert v.rule == "voided" and v.verdict == "Voided on 2026-11-02 08:30 UTC"
    assert v.fix.operation == "session.update"
    assert v.fix.params == {"couponsession": CODE, "voided": False}


def test_validated_says_when_how_and_who_from_the_journal():
    session = replace(SESSION, validated=True, validation_value="34.50",
                      validation_date=datetime(2026, 11, 3, 14, 2, tzinfo=timezone.utc))
    write = WriteFacts("j-1", datetime(2026, 11, 3, 14, 2, tzinfo=timezone.utc),
                       "session.update", {"couponsession": CODE, "validated": True}, "ok",
                       "anna", "ticket 88")
    v = verdict(replace(FINE, session=session, writes=(write,)))
    assert v.verdict == "Already validated on 2026-11-03 14:02 UTC"
    assert "validation value 34.50" in v.evidence
    assert "claimed by email on 2026-11-01 09:05 UTC" in v.evidence
    assert any("by anna (ticket 88) [j-1]" in line for line in v.evidence)
    assert v.fix.params == {"couponsession": CODE, "validated": False}


def test_validated_elsewhere_says_not_from_this_machine():
    session = replace(SESSION, validated=True,
                      validation_date=datetime(2026, 11, 3, 14, 2, tzinfo=timezone.utc))
    v = verdict(replace(FINE, session=session))
    assert any(line.startswith("not from this machine") for line in v.evidence)


def test_locked_offers_unlock():
    v = verdict(replace(FINE, session=replace(SESSION, locked=True)))
    assert v.rule == "locked" and v.fix.params == {"couponsession": CODE, "locked": False}


def test_never_claimed_offers_claim():
    v = verdict(replace(FINE, session=replace(SESSION, claimed=False, claim_date=None,
                                              claimtype="")))
    assert v.rule == "never_claimed" and v.verdict == "Never claimed"
    assert v.fix.params == {"couponsession": CODE, "claimed": True}
    assert "opened but not claimed" in v.evidence[0]


def test_inactive_campaign_is_the_merchants_fix():
    v = verdict(replace(FINE, campaign=replace(CAMPAIGN, status="inactive")))
    assert v.rule == "campaign_inactive" and v.fix is None
    assert "activate campaign Free bell" in v.tell


def test_campaign_not_started_gives_the_date():
    v = verdict(replace(FINE, campaign=replace(CAMPAIGN, start=date(2026, 12, 1)),
                        session=replace(SESSION, created=datetime(2026, 12, 1, tzinfo=timezone.utc))))
    assert v.rule == "campaign_not_started" and v.verdict == "Campaign starts on 2026-12-01"
    assert v.fix is None and "2026-12-01" in v.tell


def test_campaign_ended_gives_the_dates():
    camp = replace(CAMPAIGN, start=date(2026, 6, 1), end=date(2026, 9, 30))
    result = explain(replace(FINE, campaign=camp,
                             session=replace(SESSION, created=datetime(2026, 9, 1, tzinfo=timezone.utc))))
    v = result.verdict
    assert v.rule == "campaign_ended" and v.verdict == "Campaign ended on 2026-09-30"
    assert "Free bell: ran 2026-06-01 to 2026-09-30" in v.evidence
    assert v.fix is None and "extend" in v.tell


def test_campaign_ends_at_the_end_of_its_last_day():
    camp = replace(CAMPAIGN, end=date(2026, 11, 20))
    assert explain(replace(FINE, campaign=camp)).ok


def test_session_outside_the_run():
    v = verdict(replace(FINE, session=replace(SESSION, created=datetime(2025, 12, 15, tzinfo=timezone.utc))))
    assert v.rule == "outside_run" and "created 2025-12-15 00:00 UTC" in v.evidence


def test_removed_single_use_link_offers_a_new_link():
    link = replace(CAMPAIGN, id="cam_2604", name="Service club", single_use=True)
    v = verdict(Facts(NOW, asked="https://digicpn.com/p/svclub/x", link_campaign=link,
                      searched="the main account and 6 subaccounts"))
    assert v.rule == "link_removed"
    assert v.fix.operation == "singleuse.create" and v.fix.params == {"campaign": "cam_2604"}


def test_unknown_code_is_not_found_without_a_fix():
    v = verdict(Facts(NOW, asked="zzzzzz", searched="the main account"))
    assert v.rule == "not_found" and v.fix is None
    assert v.evidence == ("Searched the main account for zzzzzz",)


def test_a_link_of_a_normal_campaign_that_does_not_answer_is_not_found():
    v = verdict(Facts(NOW, asked="l", link_campaign=CAMPAIGN))
    assert v.rule == "not_found"


def test_other_subaccount_than_named_comes_first():
    facts = replace(FINE, named=Account("sub_2001", "Brasserie Peeters"),
                    session=replace(SESSION, voided=True))
    result = explain(facts)
    assert [f.rule for f in result.findings] == ["other_subaccount", "voided"]
    assert result.verdict.verdict == "Belongs to Velo (sub_2006), not Brasserie Peeters (sub_2001)"


def test_named_subaccount_that_matches_is_checked():
    result = explain(replace(FINE, named=Account("sub_2006", "Velo")))
    assert result.ok and "belongs to the subaccount named: fine" in result.verdict.evidence


CARD = LoyaltyFacts("loy_3601", "lus_36010", "Velo ride card", "stamp", 10, stamps=6)


def test_loyalty_user_voided_offers_un_void():
    v = verdict(Facts(NOW, loyalty=replace(CARD, voided=True)))
    assert v.rule == "loyalty_voided"
    assert v.fix.params == {"loyaltycard": "loy_3601", "user": "lus_36010", "voided": False}


def test_loyalty_user_out_of_stamps():
    v = verdict(Facts(NOW, loyalty=replace(CARD, stamps=0)))
    assert v.rule == "loyalty_out" and v.verdict == "Not enough stamps for a reward (0 of 10)"
    assert v.fix.operation == "loyalty.user_update"


def test_loyalty_points_card_with_no_points():
    v = verdict(Facts(NOW, loyalty=replace(CARD, type="points", points=0)))
    assert v.rule == "loyalty_out" and v.fix is None


def test_loyalty_full_card_is_fine_and_session_rules_are_not_checked():
    result = explain(Facts(NOW, loyalty=replace(CARD, stamps=10)))
    assert result.ok
    assert "not voided" not in result.checked and "loyalty user not voided" in result.checked


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_is_quiet_on_a_healthy_case(rule):
    facts = Facts(NOW, loyalty=replace(CARD, stamps=10)) if rule.about == "loyalty" else FINE
    assert rule.test(facts) is None
