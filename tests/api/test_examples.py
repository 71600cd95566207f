"""Every documented example response, checked against the client's decoding
and the models.

`tests/fixtures/examples/documented/` holds the examples exactly as documented
(and as badly stored). Valid ones must decode and parse into their operation's model, or
turn into the typed `ApiError` when they are failure envelopes. Malformed ones
(`.txt`) must be refused by `envelope.decode` with `UnexpectedPayload`, and
their repaired copies in `tests/fixtures/examples/` (see its README) must parse
into the models, which proves the models follow the documented field names
and encodings. The repairs themselves are checked to be only what the README
says.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pydantic
import pytest

import ctconsole.api.models as models
from ctconsole.api.envelope import decode
from ctconsole.api.errors import ApiError, UnexpectedPayload
from tests.fixtures import DOCUMENTED_EXAMPLES as EXAMPLES
from tests.fixtures import REPAIRED_EXAMPLES

#: file → what it must become: ("model", name) or ("error", codes) or ("v4"/"other", None).
VALID = {
    "authentication.success.json": ("model", "Ack"),
    "authentication.failed.json": ("error", [1000]),
    "campaign_pushnotification_single.success.json": ("model", "Ack"),
    "webhook_verification.success.json": ("model", "WebhookVerification"),
    "webhook_verification.failed.json": ("error", [509]),
    "docs-v4-loyalty-list-loyalty-cards.json": ("v4", None),
    "docs-v4-loyalty-copy-loyalty-card.json": ("v4", None),
    "docs-v3-smstool-grouplist.json": ("other", None),
}

#: malformed file → (repaired fixture, what the repair must become).
MALFORMED = {
    "subaccount_list.txt": ("subaccount_list.json", ("model", "SubaccountList")),
    "subaccount.txt": ("subaccount.json", ("model", "SubaccountInfo")),
    "single_sign_on_subaccount.success.txt": ("single_sign_on_subaccount.success.json", ("model", "SsoLogin")),
    "single_sign_on_subaccount.error.txt": ("single_sign_on_subaccount.error.json", ("error", [301])),
    "session_campaign_data.txt": ("session_campaign_data.json", ("model", "SessionInfo")),
    "create_multiple_single_use.txt": ("create_multiple_single_use.json", ("model", "SingleUseBatch")),
    "campaign_pushnotification_single.error.txt": ("campaign_pushnotification_single.error.json", ("error", [505])),
}

#: The documented defects each repair fixes (README of tests/fixtures/examples):
#: text replaced in the original, and lines the repair may add besides brackets.
REPAIRS: dict[str, dict] = {
    "subaccount_list.txt": {"replace": [('"amount_of_campaigns": 1 "subaccount"', '"amount_of_campaigns": 1, "subaccount"')]},
    "subaccount.txt": {},
    "single_sign_on_subaccount.success.txt": {},
    "single_sign_on_subaccount.error.txt": {"add": ["301"]},
    "session_campaign_data.txt": {
        "replace": [('"kkfiznr8Yp8630h82es8d,"', '"kkfiznr8Yp8630h82es8d",')],
        "drop_tail": '"',
    },
    "create_multiple_single_use.txt": {"drop_tail": '"cu', "add": ['"customvalcode": ""']},
    "campaign_pushnotification_single.error.txt": {},
}

_BRACKETS = re.compile(r"[\[\]{}]+")


def _read(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def _parse(model_name: str, body: bytes):
    return getattr(models, model_name).model_validate(decode(body))


def test_every_example_file_is_covered():
    on_disk = {p.name for p in EXAMPLES.iterdir() if p.is_file()} - {"INDEX.md"}
    assert on_disk == set(VALID) | set(MALFORMED)
    index = (EXAMPLES / "INDEX.md").read_text(encoding="utf-8")
    for name in on_disk:
        assert f"`{name}`" in index, f"{name} missing from INDEX.md"
        assert name.endswith(".json") == (name in VALID), "INDEX rule: .json parses, .txt does not"


def test_every_repaired_fixture_is_documented():
    fixtures = {p.name for p in REPAIRED_EXAMPLES.glob("*.json")}
    assert fixtures == {repaired for repaired, _ in MALFORMED.values()}
    readme = (REPAIRED_EXAMPLES / "README.md").read_text(encoding="utf-8")
    for original, (repaired, _) in MALFORMED.items():
        assert f"`{repaired}` | `{original}`" in readme


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_examples_are_json(name):
    json.loads(_read(name))


@pytest.mark.parametrize("name", sorted(n for n, (kind, _) in VALID.items() if kind in ("model", "error")))
def test_valid_examples_become_their_model_or_typed_error(name):
    kind, expected = VALID[name]
    _check(kind, expected, _read(name))


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_examples_are_refused_as_unexpected_payload(name):
    with pytest.raises(UnexpectedPayload) as caught:
        decode(_read(name))
    assert not isinstance(caught.value, json.JSONDecodeError)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_repaired_examples_become_their_model_or_typed_error(name):
    repaired, (kind, expected) = MALFORMED[name]
    _check(kind, expected, (REPAIRED_EXAMPLES / repaired).read_bytes())


def _check(kind: str, expected, body: bytes) -> None:
    if kind == "error":
        with pytest.raises(ApiError) as caught:
            decode(body)
        assert list(caught.value.codes) == expected
        assert caught.value.api_message.startswith("HTTP/1.0")
    else:
        parsed = _parse(expected, body)
        assert isinstance(parsed, getattr(models, expected))
        assert parsed.status.status == "OK"


def _lines(text: str) -> list[str]:
    """Content lines, ignoring indentation and trailing commas."""
    out = []
    for line in text.splitlines():
        line = line.strip().rstrip(",").strip()
        if line:
            out.append(line)
    return out


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_repairs_change_only_the_documented_defects(name):
    original = _read(name).decode("utf-8")
    repair = REPAIRS[name]
    for old, new in repair.get("replace", []):
        assert old in original
        original = original.replace(old, new)
    wanted = _lines(original)
    if "drop_tail" in repair:
        assert wanted[-1] == repair["drop_tail"], "only a cut-off last fragment may be dropped"
        wanted.pop()
    got = _lines((REPAIRED_EXAMPLES / MALFORMED[name][0]).read_text(encoding="utf-8"))
    added = list(repair.get("add", []))
    position = 0
    for line in got:
        if position < len(wanted) and line == wanted[position]:
            position += 1
        elif _BRACKETS.sub("", line).replace(",", "").strip() == "":
            continue  # a restored bracket line
        elif line in added:
            added.remove(line)
        else:
            pytest.fail(f"{name}: repair adds an undocumented line {line!r}")
    assert position == len(wanted), f"{name}: original line {wanted[position]!r} lost in the repair"
    assert added == [], f"{name}: documented addition missing"


# --- what the documented examples tell the UI -----------------------------------


def test_subaccount_list_example():
    parsed = _parse("SubaccountList", (REPAIRED_EXAMPLES / "subaccount_list.json").read_bytes())
    (sub,) = parsed.items
    assert parsed.amount_of_campaigns == 1
    assert (sub.id, sub.amountlogin, sub.max_campaigns, sub.has_campaigns) == ("sub_1536", 5, 4, 2)
    assert [c.status for c in sub.campaigns] == ["example", "active"]
    assert sub.api_secret.get_secret_value() == "XXX"


def test_subaccount_example_duplicate_keys_last_wins_and_strings_become_numbers():
    info = _parse("SubaccountInfo", (REPAIRED_EXAMPLES / "subaccount.json").read_bytes()).subaccount
    assert info.currency == "EUR"  # documented twice: "USD" then "EUR"; JSON keeps the last
    assert info.language == "en"
    assert (info.amountlogin, info.max_campaigns, info.has_campaigns) == (5, 4, 2)
    assert info.lastlogin == datetime(2017, 1, 26, 19, 29)
    assert info.available_campaigns == "en" and info.available_campaigns_count is None
    assert info.access_dashboard is True and info.access_directory is False
    assert "fudEHVUwSDQDQSud9Ndg8Cwhc2c85a" not in repr(info)
    assert "449141535434874233217388236" not in info.model_dump_json()
    assert info.api_secret.get_secret_value() == "fudEHVUwSDQDQSud9Ndg8Cwhc2c85a"


def test_sso_example():
    grant = _parse("SsoLogin", (REPAIRED_EXAMPLES / "single_sign_on_subaccount.success.json").read_bytes()).subaccount
    assert grant.id == "sub_12345"
    assert len(grant.token.get_secret_value()) == 49
    assert "Nu5oAs7QDd" not in repr(grant) and "Nu5oAs7QDd" not in str(grant.model_dump(mode="json"))


def test_session_example():
    info = _parse("SessionInfo", (REPAIRED_EXAMPLES / "session_campaign_data.json").read_bytes())
    assert info.session == "kkfiznr8Yp8630h82es8d" and info.short_code == "kkfizn"
    assert info.sequence_id == 19878460
    assert info.state == "claimed"
    assert info.lifecycle[0] == ("created", datetime(2019, 3, 25, 10, 43, 50, tzinfo=timezone.utc))
    assert dict(info.lifecycle)["opened"] is None
    assert info.data.status.saved_to_passbook is False


def test_create_many_example():
    batch = _parse("SingleUseBatch", (REPAIRED_EXAMPLES / "create_multiple_single_use.json").read_bytes())
    assert batch.action == "multiple_single_use_codes_created"
    (code,) = batch.items
    assert (code.single_use_code, code.sequence_id, code.widget_validation_code) == (
        "5f3jupt49d27udvwpnsar", 18001837, "5f3jup")
    assert code.short_code == code.widget_validation_code


def test_webhook_example():
    hook = _parse("WebhookVerification", _read("webhook_verification.success.json"))
    assert hook.is_valid and hook.webhook == "evt_JsOKTu2rlzjZsxPaleUx"
    assert (hook.campaign, hook.session, hook.type) == ("cam_12345", "8yx7hpxuu69k0zga93nix", "coupon_validated")


def test_v4_loyalty_examples_are_recognised():
    cards = pydantic.TypeAdapter(list[models.V4LoyaltyCard]).validate_json(
        _read("docs-v4-loyalty-list-loyalty-cards.json"))
    assert [(c.id, c.code, c.type) for c in cards] == [(123456, "ndoh57", "membership"), (234567, "sk878e", "stamp")]
    copy = models.V4LoyaltyCard.model_validate_json(_read("docs-v4-loyalty-copy-loyalty-card.json"))
    assert (copy.id, copy.name, copy.domain) == (123456, "New name", "save2wallet.link")


def test_smstool_example_keeps_what_no_model_knows():
    reply = models.Reply.model_validate(decode(_read("docs-v3-smstool-grouplist.json")))
    assert reply.model_extra["amount_of_groups"] == 2
    assert [g["ID"] for g in reply.model_extra["group"]] == ["gro_123456", "gro_1243434"]
