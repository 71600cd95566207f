"""Freshness per operation from the catalogue, overridable from config."""

from __future__ import annotations

import pytest

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.cache.policy import check_overrides, freshness


def test_catalogue_max_age_is_the_default():
    assert freshness(CATALOGUE.get("category.list")) == 86400
    assert freshness(CATALOGUE.get("session.info")) == 15
    assert freshness(CATALOGUE.get("auth.check")) == 0


def test_exact_override_beats_group_override_beats_catalogue():
    op = CATALOGUE.get("campaign.sessions")
    assert freshness(op, {"campaign.*": 5}) == 5
    assert freshness(op, {"campaign.*": 5, "campaign.sessions": 1}) == 1
    assert freshness(op, {"loyalty.*": 5}) == 60


def test_writes_are_never_fresh():
    assert freshness(CATALOGUE.get("session.update"), {"session.update": 100}) == 0


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"campaign.nope": 5}, "no such operation"),
        ({"nope.*": 5}, "no such operation"),
        ({"session.update": 5}, "writes are never cached"),
        ({"session.info": "soon"}, "number of seconds"),
        ({"session.info": True}, "number of seconds"),
        ({"session.info": -1}, "zero or more"),
    ],
)
def test_bad_overrides_are_reported(overrides, fragment):
    (problem,) = check_overrides(overrides, CATALOGUE)
    assert fragment in problem


def test_good_overrides_have_no_problems():
    assert check_overrides({"session.info": 0, "category.*": 3600.5}, CATALOGUE) == []
