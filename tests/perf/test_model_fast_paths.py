"""The fast paths of the quirk validators accept and refuse exactly what the
straightforward versions did."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

from ctconsole.api.models import SessionRow
from ctconsole.api.models.base import _alias_spellings, _parse_time, _to_bool, _to_utc

_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})")


def _reference_time(text: str) -> datetime | None | str:
    """The implementation before the fast path, as the oracle."""
    text = text.strip()
    if text in ("", "0000-00-00", "0000-00-00 00:00:00"):
        return None
    match = _TIME.fullmatch(text)
    if not match:
        return "refused"
    try:
        return datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return "refused"


def _ours(text: str) -> datetime | None | str:
    try:
        return _parse_time(text)
    except ValueError:
        return "refused"


@given(st.from_regex(r"\A ?[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\+01:00|Z|\.5)? ?\Z"))
def test_date_times_parse_as_before(text):
    assert _ours(text) == _reference_time(text)


@pytest.mark.parametrize("text", ["2026-02-30 10:00:00", "2026-11-20 24:00:00", "2026-11-20",
                                  "2026-11-20 10:00", "2026-11-20 10:00:00+00:00", "", " ",
                                  "0000-00-00 00:00:00", "2026-11-20T10:00:00"])
def test_edge_date_times_parse_as_before(text):
    assert _ours(text) == _reference_time(text)


def test_utc_fields_become_aware_and_empty_is_none():
    assert _to_utc("2026-11-20 10:00:00") == datetime(2026, 11, 20, 10, tzinfo=timezone.utc)
    assert _to_utc("") is None


@pytest.mark.parametrize("value,expected", [("1", True), ("0", False), (1, True), (0, False),
                                            (True, True), ("true", True), (" FALSE ", False),
                                            ("", None), (None, None)])
def test_flags(value, expected):
    assert _to_bool(value) is expected


@pytest.mark.parametrize("value", ["2", 2, "yes", 1.0, [], {}])
def test_flags_refused(value):
    with pytest.raises(ValueError):
        _to_bool(value)


def test_alias_spellings_are_worked_out_per_class():
    assert _alias_spellings(SessionRow) == (("sequence_id", ("sequence_id", "sequenceid")),)
    row = SessionRow.model_validate({"session": "a" * 21, "sequenceid": "7", "sequence_id": "7"})
    assert row.sequence_id == 7
    with pytest.raises(ValueError):
        SessionRow.model_validate({"session": "a" * 21, "sequenceid": "7", "sequence_id": 8})


@given(st.from_regex(r"\A ?[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2} ?\Z"))
def test_utc_times_are_the_reference_time_in_utc(text):
    expected = _reference_time(text)
    try:
        ours = _to_utc(text)
    except ValueError:
        ours = "refused"
    if isinstance(expected, datetime):
        assert ours == expected.replace(tzinfo=timezone.utc)
        assert ours.tzinfo is timezone.utc
    else:
        assert ours == expected


def _reference_int(value):
    """`_to_int` before its fast path, as the oracle."""
    import math

    if value is None:
        return None
    if isinstance(value, bool):
        return "refused"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else "refused"
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        return int(text) if re.fullmatch(r"[+-]?[0-9]{1,18}", text) else "refused"
    return "refused"


def _reference_text(value):
    """`_to_text` before its fast path, as the oracle."""
    import math

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "refused"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    return "refused"


def _call(fn, value):
    try:
        return fn(value)
    except ValueError:
        return "refused"


_JSONISH = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(),
                     st.from_regex(r"\A[ +-]?[0-9٠-٩²]{0,21} ?\Z"), st.lists(st.integers(), max_size=2))


@given(_JSONISH)
def test_whole_numbers_parse_as_before(value):
    from ctconsole.api.models.base import _to_int

    assert _call(_to_int, value) == _reference_int(value)


@given(_JSONISH)
def test_text_parses_as_before(value):
    from ctconsole.api.models.base import _to_text

    assert _call(_to_text, value) == _reference_text(value)


@given(st.one_of(st.just(""), st.none(), st.text(max_size=3), st.integers()))
def test_empty_and_odd_utc_values_as_before(value):
    expected = None if value in ("", None) else "refused"
    if isinstance(value, str) and value.strip() in ("",):
        expected = None
    assert _call(_to_utc, value) == expected
