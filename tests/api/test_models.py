"""The response models: every catalogue operation's body parses the way the UI
needs it, every wire quirk is normalised, unknown fields survive, secrets stay
masked, and a wrong shape is a ValidationError (never any other exception)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ctconsole.api.models as models
from ctconsole.api.catalogue import CATALOGUE
from tests.fixtures import payload

UTC = timezone.utc


def parse(operation: str, body: dict):
    """Parse as the client does: the catalogue names the model."""
    return getattr(models, CATALOGUE.get(operation).model).model_validate(body)


# --- every operation ------------------------------------------------------


def test_every_catalogue_model_exists_and_takes_the_whole_body():
    for op in CATALOGUE:
        model = getattr(models, op.model, None)
        assert model is not None, op.name
        assert issubclass(model, models.Reply), op.name


@pytest.mark.parametrize("operation", [op.name for op in CATALOGUE])
def test_each_operation_parses_its_realistic_body(operation):
    body = payload(operation)
    parsed = parse(operation, body)
    assert parsed.status.status == "OK"
    assert parsed.model_extra == {}, "every documented field has a model field"
    if hasattr(parsed, "items"):
        items = parsed.items
        assert isinstance(items, list)
        paging = CATALOGUE.get(operation).paging
        if paging is not None:
            assert len(items) == len(body[paging.items])


def test_subaccount_list():
    parsed = parse("subaccount.list", payload("subaccount.list"))
    assert parsed.amount_of_campaigns == 2
    first, second = parsed.items
    assert parsed.subaccounts is parsed.items
    assert first.id == "sub_1536"
    assert first.amountlogin == 17 and first.max_campaigns == 10 and first.has_campaigns == 2
    assert first.lastlogin == datetime(2024, 3, 1, 8, 15) and first.lastlogin.tzinfo is None
    assert first.expiry_date == date(2025, 12, 31)
    assert [(c.id, c.code, c.status) for c in first.campaigns] == [
        ("cam_1001", "v6n7gn", "active"),
        ("cam_1002", "abc123", "example"),
    ]
    assert first.display_name == "North Bakery Ltd"
    assert second.display_name == "Bo Cafe"
    assert second.lastlogin is None and second.expiry_date is None and second.campaigns == []


def test_subaccount_info_counters_as_strings_and_flags_as_json_bools():
    info = parse("subaccount.info", payload("subaccount.info")).subaccount
    assert info.amountlogin == 17 and info.max_campaigns == 10 and info.has_campaigns == 2
    assert info.available_campaigns_count == 8
    assert info.access_dashboard is True and info.access_settings is False
    assert info.enable_webhooks is True and info.email_report is True
    assert info.permissions["access_directory"] is False
    assert len(info.permissions) == 20
    assert info.webhook_endpoint == "https://hooks.northbakery.example/ct"
    assert info.shown_templates == "all" and info.buildertype == "standard"


def test_subaccount_writes():
    assert parse("subaccount.create", payload("subaccount.create")).subaccount.id == "sub_1538"
    reset = parse("subaccount.reset_url", payload("subaccount.reset_url"))
    assert reset.subaccount == "sub_1536"
    assert reset.url.get_secret_value() == "https://www.coupontools.com/reset/4f1c9a7e2b"
    sso = parse("subaccount.sso", payload("subaccount.sso")).subaccount
    assert sso.id == "sub_1536"
    assert len(sso.token.get_secret_value()) == 49
    assert sso.url_whitelabel.get_secret_value().startswith("https://coupons.northbakery")


def test_campaign_list_and_info():
    listed = parse("campaign.list", payload("campaign.list"))
    assert listed.amount_of_campaigns == 2
    active, example = listed.items
    assert (active.id, active.amount_of_sessions, active.is_active) == ("cam_1001", 1289, True)
    assert active.created_date == datetime(2024, 2, 20, 9, 0)
    assert active.start_date == date(2024, 3, 1) and not isinstance(active.start_date, datetime)
    assert example.is_active is False and example.start_date is None
    info = parse("campaign.info", payload("campaign.info"))
    assert info.campaign.id == "cam_1001"
    assert info.campaign.single_use is False and info.campaign.max_validations_per_session == 1
    assert info.campaign.expiry_date == date(2024, 6, 30)
    stats = info.usage_stats
    assert (stats.sessions, stats.claimed, stats.validated, stats.voided) == (1289, 640, 311, 4)
    without = payload("campaign.info")
    del without["usage_stats"]
    assert parse("campaign.info", without).usage_stats is None


def test_session_page_states_and_lifecycle():
    page = parse("campaign.sessions", payload("campaign.sessions"))
    assert (page.page, page.amount_of_sessions, page.action) == (1, 3, "retrieve_campaign_data")
    opened, validated, voided = page.items
    assert [s.state for s in page.items] == ["opened", "validated", "voided"]
    assert opened.short_code == "ac6s7u" and opened.sequence_id == 19878460
    assert validated.lifecycle == [
        ("created", datetime(2024, 3, 2, 10, 0, tzinfo=UTC)),
        ("opened", datetime(2024, 3, 2, 10, 0, 5, tzinfo=UTC)),
        ("played", None),
        ("claimed", datetime(2024, 3, 2, 10, 1, tzinfo=UTC)),
        ("validated", datetime(2024, 3, 3, 16, 20, tzinfo=UTC)),
        ("voided", None),
    ]
    assert validated.claimtype == "email" and validated.customvalcode == "BAKE-0042"
    assert voided.opened is False and voided.customid == "pos-77"


def test_session_page_past_the_end_is_empty():
    body = payload("campaign.sessions") | {"page": "2", "data": []}
    page = parse("campaign.sessions", body)
    assert page.items == [] and page.page == 2 and page.amount_of_sessions == 3


def test_session_info():
    info = parse("session.info", payload("session.info"))
    assert info.session == "kkfiznr8Yp8630h82es8d" and info.short_code == "kkfizn"
    assert info.sequence_id == 19878461
    assert info.state == "validated"
    assert info.data.status.validation_value == "4.50"
    assert info.data.status.saved_to_passbook is True and info.data.status.locked is False
    assert info.user.email == "dana@example.org"
    assert info.lifecycle[3] == ("claimed", datetime(2024, 3, 2, 10, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("flags", "state"),
    [
        ({}, "created"),
        ({"opened": "1"}, "opened"),
        ({"opened": "1", "played": "1"}, "played"),
        ({"opened": "1", "claimed": "1"}, "claimed"),
        ({"claimed": "1", "validated": "1"}, "validated"),
        ({"claimed": "1", "validated": "1", "voided": "1"}, "voided"),
        ({"voided": "1"}, "voided"),
        # Un-voided: the old date stays but the flag decides.
        ({"claimed": "1", "voided": "0", "voided_date_utc": "2024-01-01 00:00:00"}, "claimed"),
    ],
)
def test_session_state_is_the_furthest_flag_and_voided_wins(flags, state):
    status = models.SessionStatus.model_validate(flags)
    assert status.state == state
    row = models.SessionRow.model_validate({"session": "ac6s7u3g8a25ja7x9qg87", **flags})
    assert row.state == state


def test_session_info_cut_short_still_parses_without_user():
    body = payload("session.info")
    del body["data"]["user"]
    info = parse("session.info", body)
    assert info.data.user is None and info.user.email == ""


def test_session_search_and_updates():
    found = parse("session.search", payload("session.search"))
    assert found.amount_of_sessions == 1
    (hit,) = found.items
    assert (hit.short_code, hit.sequence_id, hit.campaign) == ("kkfizn", 19878461, "cam_1001")
    assert hit.created_date_utc == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    none = parse("campaign.session_search", payload("campaign.session_search"))
    assert none.items == [] and none.amount_of_sessions == 0
    one = parse("session.update", payload("session.update"))
    assert (one.action, one.session) == ("couponsession_updated", "kkfiznr8Yp8630h82es8d")
    many = parse("session.update_many", payload("session.update_many"))
    assert many.amount_updated == 2 and many.items == ["ac6s7u3g8a25ja7x9qg87", "kkfiznr8Yp8630h82es8d"]


def test_pushes_and_auth():
    assert parse("campaign.push_all", payload("campaign.push_all")).amount_of_recipients == 640
    assert parse("loyalty.push_all", payload("loyalty.push_all")).amount_of_recipients == 213
    assert isinstance(parse("auth.check", payload("auth.check")), models.Ack)


def test_loyalty():
    cards = parse("loyalty.list", payload("loyalty.list"))
    stamp, points = cards.items
    assert (stamp.id, stamp.type, stamp.stamps_required, stamp.amount_of_users) == ("loy_501", "stamp", 10, 214)
    assert points.stamps_required is None and points.created_date == date(2024, 1, 10)
    users = parse("loyalty.users", payload("loyalty.users"))
    eli, fay = users.items
    assert users.loyaltycard == "loy_501" and users.amount_of_users == 2
    assert (eli.stamps, eli.is_voided, eli.saved_to_wallet) == (7, False, True)
    assert fay.is_voided is True and fay.last_activity_utc is None
    assert eli.last_activity_utc == datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    updated = parse("loyalty.user_update", payload("loyalty.user_update"))
    assert (updated.stamps, updated.points, updated.is_voided) == (8, 0, False)


def test_directories_and_categories():
    listed = parse("directory.list", payload("directory.list"))
    (town,) = listed.items
    assert (town.id, town.login_required, town.payment_required) == ("dir_301", True, False)
    info = parse("directory.info", payload("directory.info")).directory
    assert (info.amount_of_users, info.amount_of_campaigns, info.amount_of_loyaltycards) == (420, 12, 3)
    campaigns = parse("directory.campaigns", payload("directory.campaigns"))
    assert [c.id for c in campaigns.items] == ["cam_1001", "cam_1004"]
    page = parse("directory.users", payload("directory.users"))
    gus, hana = page.items
    assert (gus.is_paid, gus.payment_expiry_date, gus.is_blocked) == (True, date(2025, 3, 5), False)
    assert (hana.is_paid, hana.payment_expiry_date, hana.is_blocked) == (False, None, True)
    assert page.page == 1 and page.amount_of_users == 2
    paid = parse("directory.user_payment", payload("directory.user_payment"))
    assert paid.is_paid and paid.expiry_date == date(2025, 2, 1)
    cats = parse("category.list", payload("category.list"))
    assert [(c.id, c.parent) for c in cats.items] == [("cat_1", ""), ("cat_5", "cat_1"), ("cat_7", "cat_5")]


def test_single_use_and_webhook():
    one = parse("singleuse.create", payload("singleuse.create"))
    assert (one.single_use_code, one.sequence_id, one.short_code) == ("5f3jupt49d27udvwpnsar", 18001837, "5f3jup")
    batch = parse("singleuse.create_many", payload("singleuse.create_many"))
    assert batch.action == "multiple_single_use_codes_created"
    assert [c.sequence_id for c in batch.items] == [18001837, 18001838]
    removed = parse("singleuse.remove", payload("singleuse.remove"))
    assert removed.couponsession == "5f3jupt49d27udvwpnsar"
    hook = parse("webhook.verify", payload("webhook.verify"))
    assert hook.is_valid and hook.type == "coupon_validated"
    assert hook.date == datetime(2017, 10, 9, 9, 57, 57) and hook.date.tzinfo is None


# --- quirks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "value"),
    [(5, 5), ("5", 5), (" 12 ", 12), ("-3", -3), (5.0, 5), ("", None), (None, None), ("0", 0)],
)
def test_numbers_as_strings_or_numbers(wire, value):
    assert models.Subaccount.model_validate({"ID": "sub_1", "amountlogin": wire}).amountlogin == value


@pytest.mark.parametrize("wire", ["five", "5.5", 5.5, True, False, [], {}, "٥", "1e3", "0x10"])
def test_numbers_of_the_wrong_kind_are_refused(wire):
    with pytest.raises(pydantic.ValidationError):
        models.Subaccount.model_validate({"ID": "sub_1", "amountlogin": wire})


@pytest.mark.parametrize(
    ("wire", "value"),
    [("1", True), ("0", False), (1, True), (0, False), (True, True), (False, False),
     ("true", True), ("false", False), ("TRUE", True), ("", None), (None, None)],
)
def test_booleans_in_every_encoding(wire, value):
    assert models.SessionStatus.model_validate({"claimed": wire}).claimed is value
    assert models.SubaccountDetail.model_validate({"ID": "sub_1", "access_stats": wire}).access_stats is value


@pytest.mark.parametrize("wire", ["2", 2, -1, "yes", "on", 1.5, [], {}])
def test_booleans_of_the_wrong_kind_are_refused(wire):
    with pytest.raises(pydantic.ValidationError):
        models.SessionStatus.model_validate({"claimed": wire})


def test_utc_dates_become_aware_and_empty_dates_none():
    status = models.SessionStatus.model_validate(
        {"created_date_utc": "2019-03-25 10:43:50", "open_date_utc": "", "played_date_utc": None,
         "claim_date_utc": "0000-00-00 00:00:00"}
    )
    assert status.created_date_utc == datetime(2019, 3, 25, 10, 43, 50, tzinfo=UTC)
    assert status.created_date_utc.utcoffset().total_seconds() == 0
    assert status.open_date_utc is None and status.played_date_utc is None
    assert status.claim_date_utc is None


@pytest.mark.parametrize("wire", ["yesterday", "2019-02-30 10:00:00", "2019-03-25", "25/03/2019 10:00:00", 1553510630, True])
def test_malformed_utc_dates_are_refused(wire):
    with pytest.raises(pydantic.ValidationError):
        models.SessionStatus.model_validate({"created_date_utc": wire})


def test_calendar_dates():
    sub = models.Subaccount.model_validate({"ID": "sub_1", "expiry_date": "2017-12-31"})
    assert sub.expiry_date == date(2017, 12, 31)
    assert models.Subaccount.model_validate({"ID": "sub_1", "expiry_date": ""}).expiry_date is None
    for bad in ["2017-13-01", "31-12-2017", "2017-12-31 10:00:00", 20171231]:
        with pytest.raises(pydantic.ValidationError):
            models.Subaccount.model_validate({"ID": "sub_1", "expiry_date": bad})


def test_lastlogin_keeps_its_unknown_zone_naive():
    sub = models.Subaccount.model_validate({"ID": "sub_1", "lastlogin": "2017-01-26 19:29:00"})
    assert sub.lastlogin == datetime(2017, 1, 26, 19, 29) and sub.lastlogin.tzinfo is None


def test_id_and_lowercase_id_both_become_id():
    assert models.Category.model_validate({"ID": "cat_1"}).id == "cat_1"
    assert models.Category.model_validate({"id": "cat_1"}).id == "cat_1"
    assert models.Category.model_validate({"id": 123456}).id == "123456"
    same = models.Category.model_validate({"ID": "cat_1", "id": "cat_1"})
    assert same.id == "cat_1" and same.model_extra == {}
    assert same.model_dump(by_alias=True) == {"ID": "cat_1", "name": "", "parent": ""}


def test_conflicting_id_spellings_are_refused():
    with pytest.raises(pydantic.ValidationError):
        models.Category.model_validate({"ID": "cat_1", "id": "cat_2"})


@pytest.mark.parametrize("wire", ["", None, "   ", {"x": 1}, True])
def test_an_entity_without_a_usable_id_is_refused(wire):
    with pytest.raises(pydantic.ValidationError):
        models.Category.model_validate({"ID": wire})


def test_sequenceid_string_and_sequence_id_number_agree():
    row = models.SessionRow.model_validate({"session": "ac6s7u3g8a25ja7x9qg87", "sequenceid": "19878460"})
    code = models.SingleUse.model_validate({"single_use_code": "5f3jupt49d27udvwpnsar", "sequence_id": 19878460})
    assert row.sequence_id == code.sequence_id == 19878460
    # Each is written back under the key its own operation uses.
    assert row.model_dump(by_alias=True)["sequenceid"] == 19878460
    assert code.model_dump(by_alias=True)["sequence_id"] == 19878460
    missing = models.SessionRow.model_validate({"session": "ac6s7u3g8a25ja7x9qg87", "sequenceid": ""})
    assert missing.sequence_id is None


def test_action_leading_space_is_stripped():
    body = {"campaign": "cam_1", "action": " multiple_single_use_codes_created", "data": []}
    assert models.SingleUseBatch.model_validate(body).action == "multiple_single_use_codes_created"


def test_numbers_in_text_fields_become_text():
    row = models.SessionRow.model_validate({"session": "ac6s7u3g8a25ja7x9qg87", "customid": 77, "phone": 15550100})
    assert (row.customid, row.phone) == ("77", "15550100")
    assert models.SessionRow.model_validate({"session": "ac6s7u3g8a25ja7x9qg87", "email": None}).email == ""


def test_available_campaigns_keeps_the_documented_slip():
    detail = models.SubaccountDetail.model_validate({"ID": "sub_1", "available_campaigns": "en"})
    assert detail.available_campaigns == "en" and detail.available_campaigns_count is None
    assert models.SubaccountDetail.model_validate({"ID": "sub_1", "available_campaigns": 3}).available_campaigns_count == 3


# --- unknown fields -------------------------------------------------------------


def test_unknown_fields_survive_at_every_level():
    body = payload("session.info")
    body["new_top_level"] = {"nested": [1, 2]}
    body["data"]["status"]["refund_date_utc"] = "2024-03-09 10:00:00"
    body["data"]["user"]["birthday"] = "1990-01-01"
    info = models.SessionInfo.model_validate(body)
    assert info.model_extra == {"new_top_level": {"nested": [1, 2]}}
    assert info.data.status.model_extra == {"refund_date_utc": "2024-03-09 10:00:00"}
    dumped = info.model_dump(by_alias=True)
    assert dumped["new_top_level"] == {"nested": [1, 2]}
    assert dumped["data"]["user"]["birthday"] == "1990-01-01"
    assert dumped["sequenceid"] == 19878461


def test_list_items_keep_unknown_fields_and_the_api_key():
    body = payload("subaccount.list")
    body["subaccount"][0]["phone"] = "+15550100"
    parsed = models.SubaccountList.model_validate(body)
    assert parsed.items[0].model_extra == {"phone": "+15550100"}
    dumped = parsed.model_dump(by_alias=True, mode="json")
    assert "subaccount" in dumped and "subaccounts" not in dumped
    assert dumped["subaccount"][0]["phone"] == "+15550100"
    assert dumped["subaccount"][0]["ID"] == "sub_1536"


# --- secrets ----------------------------------------------------------------


SECRETS = {
    "subaccount.list": ["fudEHVUwSDQDQSud9Ndg8Cwhc2c85a", "449141535434874233217388236"],
    "subaccount.info": ["fudEHVUwSDQDQSud9Ndg8Cwhc2c85a", "449141535434874233217388236"],
    "subaccount.sso": ["Nu5oAs7QDdCPLN7mkFUAQzPp66JJ8wwDCUd312GeFvZrDlLhf", "sso/Nu5oAs7QDd"],
    "subaccount.reset_url": ["reset/4f1c9a7e2b"],
}


@pytest.mark.parametrize("operation", sorted(SECRETS))
def test_secrets_are_masked_in_repr_str_and_json_dumps(operation):
    parsed = parse(operation, payload(operation))
    outputs = [
        repr(parsed),
        str(parsed),
        json.dumps(parsed.model_dump(mode="json")),
        json.dumps(parsed.model_dump(mode="json", by_alias=True)),
        parsed.model_dump_json(),
        repr(parsed.model_dump()),
    ]
    for secret in SECRETS[operation]:
        for text in outputs:
            assert secret not in text
    assert "**********" in outputs[0]


def test_secrets_are_revealed_only_on_request():
    sub = parse("subaccount.list", payload("subaccount.list")).items[0]
    assert isinstance(sub.api_secret, pydantic.SecretStr)
    assert sub.api_secret.get_secret_value() == "fudEHVUwSDQDQSud9Ndg8Cwhc2c85a"
    assert sub.api_key.get_secret_value() == "449141535434874233217388236"
    numeric = models.Subaccount.model_validate({"ID": "sub_1", "api_key": 449141535434874233217388236})
    assert numeric.api_key.get_secret_value() == "449141535434874233217388236"


def test_validation_errors_do_not_echo_secrets():
    body = payload("subaccount.list")
    body["subaccount"][0]["amountlogin"] = "five"
    body["subaccount"][0]["campaigns"] = "oops"
    with pytest.raises(pydantic.ValidationError) as caught:
        models.SubaccountList.model_validate(body)
    text = str(caught.value) + repr(caught.value)
    assert "amountlogin" in text and "campaigns" in text
    assert "fudEHVUwSDQDQSud9Ndg8Cwhc2c85a" not in text
    assert "449141535434874233217388236" not in text


# --- wrong shapes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "change"),
    [
        ("subaccount.info", {"subaccount": "oops"}),
        ("subaccount.info", {"subaccount": []}),
        ("subaccount.list", {"subaccount": {"ID": "sub_1"}}),
        ("subaccount.list", {"subaccount": None}),
        ("subaccount.sso", {"subaccount": "sub_1536"}),
        ("campaign.list", {"coupon_info": "cam_1001"}),
        ("campaign.info", {"coupon_info": [{"ID": "cam_1001"}]}),
        ("campaign.info", {"usage_stats": "1289"}),
        ("campaign.sessions", {"data": {"session": "x"}}),
        ("campaign.sessions", {"page": "first"}),
        ("session.info", {"data": "retrieve_all_session_data"}),
        ("session.info", {"session": ""}),
        ("session.update_many", {"sessions": "ac6s7u3g8a25ja7x9qg87"}),
        ("session.search", {"sessions": None}),
        ("loyalty.users", {"users": [{"firstname": "no id"}]}),
        ("directory.users", {"users": [{"ID": "reg_1", "blocked": "maybe"}]}),
        ("singleuse.create_many", {"data": [{"single_use_code": "x", "sequence_id": "eighteen"}]}),
        ("webhook.verify", {"date": "2017-10-09"}),
        ("auth.check", {"status": "OK"}),
    ],
)
def test_wrong_shapes_raise_validation_error(operation, change):
    body = payload(operation) | change
    with pytest.raises(pydantic.ValidationError):
        parse(operation, body)


@pytest.mark.parametrize("operation", ["subaccount.list", "campaign.sessions", "directory.users", "loyalty.users"])
def test_a_missing_list_is_not_mistaken_for_an_empty_one(operation):
    body = payload(operation)
    key = {"subaccount.list": "subaccount", "campaign.sessions": "data",
           "directory.users": "users", "loyalty.users": "users"}[operation]
    del body[key]
    with pytest.raises(pydantic.ValidationError):
        parse(operation, body)


@pytest.mark.parametrize("body", [[], "OK", None, 5, [{"status": {"status": "OK"}}]])
def test_a_body_that_is_not_an_object_is_refused(body):
    with pytest.raises(pydantic.ValidationError):
        models.Ack.model_validate(body)


def test_v4_card_shape():
    adapter = pydantic.TypeAdapter(list[models.V4LoyaltyCard])
    cards = adapter.validate_python([{"id": 123456, "code": "ndoh57", "name": "N", "domain": "d", "type": "stamp"}])
    assert cards[0].id == 123456
    with pytest.raises(pydantic.ValidationError):
        adapter.validate_python([{"id": "loy_1", "code": "x"}])


# --- property: only ValidationError, ever -------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_plausible = st.sampled_from(
    ["", "0", "1", "5", " 7 ", "-1", "true", "2019-03-25 10:43:50", "2019-03-25", "0000-00-00",
     "sub_1", "abcdefghijklmnopqrstu", "2019-02-30 10:00:00", "9" * 40]
)
_value = _json | _plausible | st.integers(min_value=-(2**70), max_value=2**70)

_REPLY_MODELS = sorted({op.model for op in CATALOGUE})


def _keys(model: type[pydantic.BaseModel]) -> list[str]:
    keys = {"status", "ID", "id", "sequenceid", "sequence_id", "data", "user"}
    for name, info in model.model_fields.items():
        keys.add(name)
        if isinstance(info.alias, str):
            keys.add(info.alias)
    return sorted(keys)


def _exercise(parsed) -> None:
    """Touch everything the UI reads, so a derived property cannot crash."""
    repr(parsed)
    parsed.model_dump(mode="json", by_alias=True)
    for name in ("items", "state", "lifecycle", "short_code", "is_voided", "is_paid", "user"):
        getattr(parsed, name, None)
    for item in getattr(parsed, "items", None) or []:
        if isinstance(item, pydantic.BaseModel):
            for name in ("state", "lifecycle", "short_code", "is_voided", "is_paid", "display_name"):
                getattr(item, name, None)


def _mutate(data, node) -> None:
    """Walk a random path into `node` and replace the value at its end."""
    while True:
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            key = data.draw(st.integers(min_value=0, max_value=len(node) - 1))
        else:
            return
        child = node[key]
        if isinstance(child, (dict, list)) and child and data.draw(st.booleans()):
            node = child
            continue
        node[key] = data.draw(_value)
        return


@pytest.mark.parametrize("model_name", _REPLY_MODELS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_json_only_ever_raises_validation_error(model_name, data):
    model = getattr(models, model_name)
    keys = _keys(model)
    body = data.draw(st.dictionaries(st.sampled_from(keys), _value, max_size=6) | _json)
    # Also mutate a realistic body, so deep fields get random values too.
    base = payload(next(op.name for op in CATALOGUE if op.model == model_name))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        _mutate(data, base)
    for candidate in (body, base):
        try:
            parsed = model.model_validate(candidate)
        except pydantic.ValidationError:
            continue
        _exercise(parsed)
