"""envelope.decode: every body the API (or a proxy) can send ends as a dict or
an error of the tree, never as a JSONDecodeError or KeyError."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctconsole.api.envelope import decode, parse_retry_after
from ctconsole.api.errors import (
    ApiError,
    CtError,
    HttpStatusError,
    RateLimited,
    ServerError,
    UnexpectedPayload,
)
from tests.fixtures import DOCUMENTED_EXAMPLES as EXAMPLES



def j(obj: object) -> bytes:
    return json.dumps(obj).encode()


def test_success_returns_the_whole_body():
    body = {"status": {"status": "OK"}, "coupon_info": {"ID": "cam_1"}, "extra": [1]}
    assert decode(j(body)) == body


@pytest.mark.parametrize("word", ["OK", "ok", "Ok", " OK "])
def test_ok_is_case_insensitive(word):
    assert decode(j({"status": {"status": word}}))["status"]["status"] == word


def test_shape_a_scalar_code_inside_status():
    body = {"status": {"status": "failed", "errors": {
        "error_code": 1000, "error_message": "HTTP/1.0 401 Unauthorized. Client ID or Secret not correct."}}}
    with pytest.raises(ApiError) as info:
        decode(j(body))
    err = info.value
    assert err.codes == [1000]
    assert err.descriptions == []
    assert err.title == "Invalid credentials (1000)"
    assert err.message == "Client ID or Secret not correct."
    assert err.api_message.startswith("HTTP/1.0 401")


def test_shape_b_arrays_inside_status_are_paired():
    body = {"status": {"status": "failed", "errors": {
        "error_message": "HTTP/1.0 422 Unprocessable entity.",
        "error_message_description": ["Missing parameter: campaign", "Invalid character in parameter: page"],
        "error_code": [200, 301]}}}
    with pytest.raises(ApiError) as info:
        decode(j(body))
    err = info.value
    assert err.codes == [200, 301]
    assert err.title == "Missing parameter (200) and 1 more"
    assert err.message.splitlines() == [
        "200: Missing parameter: campaign", "301: Invalid character in parameter: page"]


def test_shape_c_errors_beside_status():
    body = {"status": {"status": "failed"}, "errors": {
        "error_message": "HTTP/1.0 422 Unprocessable entity.",
        "error_message_description": ["Couponsession not found."], "error_code": [505]}}
    with pytest.raises(ApiError) as info:
        decode(j(body))
    assert info.value.title == "Session not found (505)"
    assert info.value.message == "Couponsession not found."
    assert str(info.value) == "Session not found (505): Couponsession not found."


def test_documented_failure_examples_decode_to_api_errors():
    auth = (EXAMPLES / "authentication.failed.json").read_bytes()
    webhook = (EXAMPLES / "webhook_verification.failed.json").read_bytes()
    with pytest.raises(ApiError) as a:
        decode(auth)
    with pytest.raises(ApiError) as w:
        decode(webhook)
    assert a.value.codes == [1000]
    assert (w.value.codes, w.value.message) == ([509], "Webhook not found.")


def test_failure_without_details_is_still_an_api_error():
    with pytest.raises(ApiError) as info:
        decode(j({"status": {"status": "failed"}}))
    assert info.value.codes == []
    assert "without saying why" in info.value.message


def test_failure_envelope_with_non_2xx_status_is_an_api_error():
    body = {"status": {"status": "failed", "errors": {"error_code": 1000, "error_message": "x"}}}
    with pytest.raises(ApiError):
        decode(j(body), status_code=401)


def test_codes_sent_as_strings_are_numbers():
    body = {"status": {"status": "failed", "errors": {"error_code": ["502"],
                                                      "error_message_description": ["Campaign ID not found"]}}}
    with pytest.raises(ApiError) as info:
        decode(j(body))
    assert info.value.codes == [502]


def test_html_502_from_a_proxy_is_a_server_error():
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    with pytest.raises(ServerError) as info:
        decode(page, status_code=502, content_type="text/html")
    assert info.value.status_code == 502
    assert "web page" in info.value.message


def test_html_with_200_is_unexpected_payload():
    with pytest.raises(UnexpectedPayload) as info:
        decode(b"<!DOCTYPE html><html>maintenance</html>", content_type="text/html")
    assert "web page" in info.value.message
    assert "maintenance" in info.value.body_excerpt


def test_truncated_json_is_unexpected_payload():
    whole = j({"status": {"status": "OK"}, "data": [{"session": "a" * 21}] * 3})
    with pytest.raises(UnexpectedPayload) as info:
        decode(whole[: len(whole) // 2])
    assert "cut off" in info.value.message


def test_documented_truncated_example_is_unexpected_payload():
    with pytest.raises(UnexpectedPayload):
        decode((EXAMPLES / "session_campaign_data.txt").read_bytes())


@pytest.mark.parametrize("body, kind", [
    (b"[1, 2]", "a list"), (b'"OK"', "a string"), (b"42", "a number"), (b"null", "null")])
def test_non_object_json_is_unexpected_payload(body, kind):
    with pytest.raises(UnexpectedPayload) as info:
        decode(body)
    assert f"Expected a JSON object, got {kind}" in info.value.message


@pytest.mark.parametrize("body", [
    {"coupon_info": {}},
    {"status": "OK"},
    {"status": {"state": "OK"}},
    {"status": {"status": 1}},
    {"status": {"status": "maybe"}},
])
def test_missing_or_odd_status_is_unexpected_payload(body):
    with pytest.raises(UnexpectedPayload):
        decode(j(body))


def test_empty_body_is_unexpected_payload():
    with pytest.raises(UnexpectedPayload) as info:
        decode(b"")
    assert "empty" in info.value.message


def test_non_utf8_body_is_unexpected_payload():
    with pytest.raises(UnexpectedPayload):
        decode(b"\xff\xfe{\x00")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 418])
def test_non_2xx_without_envelope_is_http_status_error(status):
    with pytest.raises(HttpStatusError) as info:
        decode(b"nope", status_code=status, content_type="text/plain")
    assert type(info.value) is HttpStatusError
    assert info.value.status_code == status
    assert str(status) in info.value.title


def test_ok_envelope_with_500_is_still_a_server_error():
    with pytest.raises(ServerError):
        decode(j({"status": {"status": "OK"}}), status_code=500)


def test_429_reads_retry_after_seconds():
    with pytest.raises(RateLimited) as info:
        decode(b"slow down", status_code=429, headers={"Retry-After": "7"})
    assert info.value.retry_after == 7.0
    assert "7 s" in info.value.message


def test_429_without_retry_after():
    with pytest.raises(RateLimited) as info:
        decode(b"", status_code=429)
    assert info.value.retry_after is None


def test_retry_after_http_date():
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after("-5") == 0.0


def test_excerpt_is_short_and_masks_secrets():
    body = ('{"status": {"status": "OK"}, "subaccount": [{"api_key": "key_abcdefghijkl1234", '
            '"api_secret": "sec_zyxwvutsrqpo9876", "name": "' + "x" * 500)
    with pytest.raises(UnexpectedPayload) as info:
        decode(body.encode())
    err = info.value
    assert "zyxwvutsrqpo" not in str(err) and "abcdefghijkl" not in str(err)
    assert "…9876" in err.body_excerpt
    assert len(err.body_excerpt) < 140


def test_excerpt_strips_terminal_escapes():
    with pytest.raises(UnexpectedPayload) as info:
        decode(b"\x1b[31mred\x1b[0m not json")
    assert "\x1b" not in str(info.value)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([200, 201, 302, 400, 429, 500, 503]))
def test_any_bytes_end_in_the_tree(body, status):
    try:
        result = decode(body, status_code=status)
    except CtError:
        return
    assert isinstance(result, dict)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["status", "errors", "error_code", "error_message",
                         "error_message_description", "x"]), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_ends_in_the_tree(value):
    try:
        result = decode(j(value))
    except CtError:
        return
    assert result["status"]["status"].strip().lower() == "ok"
