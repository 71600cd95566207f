"""The lean session rows say exactly what the full models say.

`LeanSessionPage` parses `campaign.sessions` into plain dicts instead of
`SessionRow` objects; the campaign pane turns those into grid rows with
`lean_session_rows`. Both must agree with the models on every page the
sandbox serves, on every quirk the models absorb, and on every row the models
refuse.
"""

from __future__ import annotations

import copy
import json

import pytest
from pydantic import ValidationError

from ctconsole.api.models import LeanSessionPage, SessionPage
from ctconsole.demo import demo_client
from ctconsole.sandbox import BIG_CAMPAIGN
from ctconsole.ui.screens.campaign import SESSION_COLUMNS, lean_session_rows, session_row

FIELDS = list(SessionPage.model_fields["sessions"].annotation.__args__[0].model_fields)


def _as_fields(model) -> dict:
    return {name: getattr(model, name) for name in FIELDS}


def _grid_row(model) -> tuple:
    row = session_row(model)
    return tuple(row[column.key] for column in SESSION_COLUMNS)


def _agree(raw: dict) -> None:
    full = SessionPage.model_validate(raw)
    lean = LeanSessionPage.model_validate(raw)
    assert lean.items == [_as_fields(m) for m in full.items]
    assert lean_session_rows(lean.items) == [_grid_row(m) for m in full.items]
    assert (lean.page, lean.amount_of_sessions, lean.campaign) == (
        full.page, full.amount_of_sessions, full.campaign)


async def _sandbox_pages(**params) -> list[dict]:
    client = demo_client(big_sessions=6000)
    try:
        return [page.raw async for page in client.pages("campaign.sessions", **params)]
    finally:
        await client.aclose()


@pytest.mark.parametrize("view", ["all", "opens", "claims", "validations"])
async def test_every_sandbox_page_parses_the_same(view):
    pages = await _sandbox_pages(campaign=BIG_CAMPAIGN, view=view)
    assert sum(len(p["data"]) for p in pages) > 0
    for raw in pages:
        _agree(raw)


async def test_small_campaigns_parse_the_same():
    for campaign in ("cam_1001", "cam_1002", "cam_1006"):
        for raw in await _sandbox_pages(campaign=campaign):
            _agree(raw)


BASE_ROW = {
    "session": "Xk3PqR7aBc9DeF1gH2iJk", "session_url": "https://x/p", "sequenceid": "18110000",
    "customid": "", "created_date_utc": "2026-11-01 23:21:00", "opened": "1",
    "open_date_utc": "2026-11-01 23:21:08", "played": "0", "played_date_utc": "",
    "claimed": "0", "claim_date_utc": "", "claimtype": "", "saved_to_passbook": "0",
    "validated": "0", "validation_date_utc": "", "voided": "0", "voided_date_utc": "",
    "firstname": "Anna", "lastname": "", "email": "a@example.com", "phone": "", "customvalcode": "",
}

#: Each quirk the models normalise, as one changed field of a row.
QUIRKS = [
    {"customid": 12345}, {"phone": 31612345678.0}, {"customvalcode": None},
    {"opened": True}, {"opened": 1}, {"opened": " TRUE "}, {"voided": "1"}, {"claimed": ""},
    {"validated": "1", "validation_date_utc": "2026-11-03T08:43:42"},
    {"created_date_utc": "0000-00-00 00:00:00"}, {"created_date_utc": " 2026-11-01 23:21:00 "},
    {"created_date_utc": None}, {"sequenceid": 7}, {"sequenceid": ""},
    {"sequence_id": "18110000"},  # both spellings, equal: collapsed
    {"session": 123456}, {"unknown_field": {"nested": [1, 2]}},
    {"firstname": "", "lastname": "Zed"}, {"firstname": "Ann", "lastname": "Lee"},
]
#: Fields a row may leave out (the model's defaults apply).
OPTIONAL = [name for name in BASE_ROW if name != "session"]


def _page(*rows: dict) -> dict:
    return {"status": {"status": "OK"}, "campaign": "cam_1", "page": "1",
            "amount_of_sessions": str(len(rows)), "data": list(rows)}


@pytest.mark.parametrize("change", QUIRKS, ids=lambda c: ",".join(f"{k}={v!r}" for k, v in c.items()))
def test_quirks_are_normalised_the_same(change):
    _agree(_page({**BASE_ROW, **change}))


@pytest.mark.parametrize("missing", OPTIONAL)
def test_missing_fields_get_the_same_defaults(missing):
    row = {k: v for k, v in BASE_ROW.items() if k != missing}
    _agree(_page(row))


#: Rows the models refuse: the lean path must refuse them too.
REFUSED = [
    {"session": ""}, {"session": None}, {"opened": "maybe"}, {"opened": 2},
    {"created_date_utc": "yesterday"}, {"created_date_utc": "2026-02-30 10:00:00"},
    {"sequenceid": "12a"}, {"sequenceid": True}, {"sequence_id": "1", "sequenceid": "2"},
    {"email": ["a@example.com"]}, {"firstname": {"x": 1}},
]


@pytest.mark.parametrize("change", REFUSED, ids=lambda c: ",".join(f"{k}={v!r}" for k, v in c.items()))
def test_rows_the_models_refuse_are_refused(change):
    raw = _page({**BASE_ROW, **change})
    with pytest.raises(ValidationError):
        SessionPage.model_validate(raw)
    with pytest.raises(ValidationError) as info:
        LeanSessionPage.model_validate(raw)
    # Untrusted input is never echoed in the error.
    for value in change.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in str(info.value)


def test_a_row_without_a_session_code_or_not_an_object_is_refused():
    for row in ({k: v for k, v in BASE_ROW.items() if k != "session"}, "a string", 5):
        with pytest.raises(ValidationError):
            SessionPage.model_validate(_page(row))
        with pytest.raises(ValidationError):
            LeanSessionPage.model_validate(_page(row))


def test_lean_rows_are_plain_data_not_models():
    lean = LeanSessionPage.model_validate(_page(copy.deepcopy(BASE_ROW)))
    assert type(lean.items[0]) is dict
    # The grid rows hold only values (strings, datetimes, None): nothing the
    # garbage collector has to walk once they are stored.
    for value in lean_session_rows(lean.items)[0]:
        assert value is None or type(value).__name__ in ("str", "datetime")
    json.dumps(lean.model_dump(mode="json"))  # still a normal pydantic model around the rows
