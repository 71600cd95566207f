"""The home pane's first look (`models.pydantic_free.SubaccountRows`) says what the
models say, refuses what they refuse in the fields it reads, and the pane
ends up with the real models (or the models' verdict) once the frame is out.

The quick reader exists so start-up does not wait for pydantic;
these tests are what keeps its field table from drifting from `Subaccount`.
"""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import AliasChoices, BeforeValidator, ValidationError

from ctconsole.api import Client, Credentials, UnexpectedPayload
from ctconsole.api.models import Subaccount, SubaccountList, SubaccountRows
from ctconsole.api.models.pydantic_free import REQUIRED, QuickPayloadError
from ctconsole.demo import demo_client
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle
from ctconsole.ui.widgets.grid import DataGrid

#: Fields of `Subaccount` the quick reader leaves to the full model: the
#: credentials (masked `SecretStr`s) and the nested campaign list.
NOT_READ = {"api_key", "api_secret", "campaigns"}


def _rule(info) -> object:
    rules = [m.func for m in info.metadata if isinstance(m, BeforeValidator)]
    assert len(rules) == 1
    return rules[0]


def test_the_field_table_mirrors_the_model():
    fields = Subaccount.model_fields
    assert {f.name for f in SubaccountRows.fields} == set(fields) - NOT_READ
    for field in SubaccountRows.fields:
        info = fields[field.name]
        assert _rule(info) is field.rule, field.name
        assert info.is_required() == (field.default is REQUIRED), field.name
        if not info.is_required():
            assert info.get_default(call_default_factory=True) == field.default, field.name
        alias = info.validation_alias
        expected = tuple(alias.choices) if isinstance(alias, AliasChoices) else ()
        assert field.spellings == expected, field.name
    assert SubaccountList.model_fields["subaccounts"].alias == SubaccountRows.list_key
    assert SubaccountRows.full_model == "SubaccountList"


def test_home_columns_are_all_read():
    assert {c.key for c in HomeScreen.columns} <= SubaccountRows.field_names()
    assert HomeScreen.quick_model == "SubaccountRows"


def _fields(model: Subaccount) -> dict:
    return {name: getattr(model, name) for name in SubaccountRows.field_names()}


def _agree(raw: dict) -> None:
    """Both accept with equal values, or both refuse."""
    try:
        full = SubaccountList.model_validate(raw)
    except ValidationError:
        with pytest.raises(QuickPayloadError):
            SubaccountRows.model_validate(raw)
        return
    assert SubaccountRows.model_validate(raw).items == [_fields(m) for m in full.items]


async def test_the_sandbox_answer_reads_the_same():
    client = demo_client()
    try:
        raw = (await client.call("subaccount.list")).raw
    finally:
        await client.aclose()
    assert len(raw["subaccount"]) >= 3
    _agree(raw)
    _agree(json.loads(json.dumps(raw).replace('"ID"', '"id"')))  # the v4 spelling


_values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "0", "12", " 7 ", "1.0", "abc", "2024-02-29", "2023-02-29",
                     "2024-01-05 10:11:12", "2024-01-05T10:11:12", "0000-00-00",
                     "0000-00-00 00:00:00", "sub_1", "٣"]),
    st.text(max_size=6), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
#: Encodings each rule accepts, so most generated rows are valid and the
#: values (not only the refusals) are compared.
_PLAUSIBLE = {
    "_to_text": st.one_of(st.text(max_size=4), st.integers(-99, 10**6), st.none()),
    "_to_int": st.one_of(st.integers(-5, 10**6), st.sampled_from(["", "0", "12", " 7 ", None])),
    "_to_day": st.sampled_from(["", "2024-02-29", "0000-00-00", None]),
    "_to_local": st.sampled_from(["", "2024-01-05 10:11:12", "2024-01-05T10:11:12", None]),
}


@st.composite
def _row(draw) -> dict:
    """A row of plausible encodings, now and then a wild value or a second
    spelling of the ID (equal, or conflicting)."""
    ident = draw(st.one_of(st.sampled_from(["sub_1", "sub_22", " sub_3 "]), st.integers(1, 99)))
    row: dict = {draw(st.sampled_from(["ID", "id"])): ident}
    if draw(st.integers(0, 5)) == 0:
        row["id" if "ID" in row else "ID"] = draw(st.sampled_from([ident, str(ident), "other"]))
    for field in SubaccountRows.fields[1:]:
        if draw(st.booleans()):
            wild = draw(st.integers(0, 12)) == 0
            row[field.name] = draw(_values if wild else _PLAUSIBLE[field.rule.__name__])
    return row


_any_row = st.dictionaries(
    st.sampled_from(["ID", "id", *sorted(SubaccountRows.field_names() - {"id"})]), _values,
    max_size=6)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.one_of(_row(), _row(), _row(), _any_row), max_size=3))
def test_generated_rows_read_the_same_or_are_refused_by_both(rows):
    _agree({"status": {"status": "OK"}, "amount_of_campaigns": len(rows), "subaccount": rows})


@pytest.mark.parametrize("raw", [
    {"amount_of_campaigns": 0}, {"subaccount": "oops"}, {"subaccount": ["oops"]},
    {"subaccount": [{"ID": "sub_1", "id": "sub_2"}]}, {"subaccount": [{"username": "x"}]},
    {"subaccount": [{"ID": ""}]}, {"subaccount": []}, {"subaccount": [{"id": 42}]},
])
def test_envelope_and_identity_cases_agree(raw):
    _agree(raw)


def _client_answering(payload: dict) -> Client:
    body = json.dumps({"status": {"status": "OK"}, **payload}).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    return Client(Credentials("id", "secret"), base_url="http://127.0.0.1:9", transport=transport)


async def test_a_refusal_is_the_same_unexpected_payload_without_the_value():
    client = _client_answering({"subaccount": [{"ID": "sub_1", "has_campaigns": "many-secret"}]})
    try:
        with pytest.raises(UnexpectedPayload) as quick:
            await client.call("subaccount.list", model="SubaccountRows")
        with pytest.raises(UnexpectedPayload) as full:
            await client.call("subaccount.list")
    finally:
        await client.aclose()
    for exc in (quick.value, full.value):
        assert "subaccount.0.has_campaigns" in str(exc)
        assert "many-secret" not in str(exc)


async def test_reparse_gives_the_models_and_keeps_the_origin():
    client = demo_client()
    try:
        quick = await client.call("subaccount.list", model="SubaccountRows")
        full = client.reparse(quick)
    finally:
        await client.aclose()
    assert isinstance(full.data, SubaccountList)
    assert (full.raw, full.fetched_at, full.from_cache) == (quick.raw, quick.fetched_at,
                                                            quick.from_cache)
    assert [row["id"] for row in quick.data.items] == [sub.id for sub in full.data.items]


def _grid_ids(screen) -> list[str]:
    return list(screen.grid.model.view_keys())


async def test_home_ends_with_the_models_and_enter_opens_a_subaccount():
    app = CtConsoleApp(demo_client(), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert isinstance(home.result.data, SubaccountList)
        assert all(isinstance(item, Subaccount) for item in home.items.values())
        assert sorted(home.items) == sorted(_grid_ids(home))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubaccountScreen"


async def test_enter_before_the_models_are_parsed_still_opens_the_subaccount():
    client = demo_client()
    app = CtConsoleApp(client, local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        # The state between the painted first look and its completion: the
        # rows are the quick reader's, no models yet; Enter arrives now.
        quick = await client.call("subaccount.list", model="SubaccountRows")
        home.result = quick
        home.show(quick)
        assert home.items == {}
        first = _grid_ids(home)[0]
        home.on_data_grid_row_selected(DataGrid.RowSelected(home.grid, first))
        assert isinstance(home.result.data, SubaccountList)
        assert isinstance(home.items[first], Subaccount)
        await settle(pilot)
        assert type(app.screen).__name__ == "SubaccountScreen"
        assert first in str(app.screen.crumbs[-1])


async def test_an_answer_the_model_refuses_ends_as_the_error_not_the_rows():
    # Row 2's api_key is an object: the quick look (which does not read
    # credentials) paints the rows; the model then refuses the answer.
    rows = [{"ID": "sub_1", "username": "a"}, {"ID": "sub_2", "api_key": {"k": "v"}}]
    app = CtConsoleApp(_client_answering({"subaccount": rows}), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.error_panel.shown
        assert "subaccount.1.api_key" in home.error_panel.render().plain
        assert len(home.grid.model) == 0
        assert home.items == {}
