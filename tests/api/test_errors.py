"""The error tree: human titles and messages, exit codes, untrusted text cleaned."""

from __future__ import annotations

import pytest

from ctconsole.api import errors as E


def test_tree_shape():
    assert issubclass(E.RateLimited, E.HttpStatusError)
    assert issubclass(E.ServerError, E.HttpStatusError)
    assert issubclass(E.ConnectFailed, E.TransportError)
    assert issubclass(E.TimedOut, E.TransportError)
    for cls in (E.InvalidParams, E.OfflineError, E.ApiError, E.HttpStatusError,
                E.UnexpectedPayload, E.TransportError):
        assert issubclass(cls, E.CtError)


def test_exit_codes_for_the_cli():
    assert E.InvalidParams(["x: bad"]).exit_code == 2
    assert E.ApiError([505], ["Couponsession not found."]).exit_code == 1
    assert E.ConnectFailed("down").exit_code == 3
    assert E.TimedOut("slow").exit_code == 3
    assert E.UnexpectedPayload("odd").exit_code == 1


def test_api_error_title_names_the_code_and_message_is_the_api_text():
    err = E.ApiError([505], ["Couponsession not found."], "HTTP/1.0 422 Unprocessable entity.")
    assert err.title == "Session not found (505)"
    assert err.message == "Couponsession not found."
    assert err.code == 505


@pytest.mark.parametrize("code, title", [
    (102, "Not allowed for a subaccount (102)"),
    (200, "Missing parameter (200)"),
    (303, "Invalid format (303)"),
    (349, "Wrong value (349)"),
    (599, "Not found (599)"),
    (4242, "API error (4242)"),
])
def test_titles_for_known_and_unknown_codes(code, title):
    assert E.ApiError([code], ["text"]).title == title


def test_api_error_with_more_descriptions_than_codes_keeps_them_all():
    err = E.ApiError([200], ["Missing parameter: a", "Missing parameter: b"])
    assert err.message.splitlines() == ["Missing parameter: a", "Missing parameter: b"]


def test_api_text_is_cleaned_of_control_characters():
    err = E.ApiError([300], ["bad\x1b[2J value\r\nhere\u202e"])
    assert err.message == "bad[2J value here"


def test_api_text_is_shortened():
    err = E.ApiError([300], ["x" * 5000])
    assert len(err.message) <= 300


def test_invalid_params_lists_every_problem():
    err = E.InvalidParams(["amount: must be between 1 and 100000 (got 0)", "campaign: required"],
                          operation="singleuse.create_many")
    assert err.title == "Invalid parameters for singleuse.create_many"
    assert err.message.splitlines() == ["amount: must be between 1 and 100000 (got 0)",
                                        "campaign: required"]
    assert err.problems[1] == "campaign: required"


def test_str_is_title_and_message():
    err = E.TimedOut("api4coupons.com did not answer within 20 s.")
    assert str(err) == "Timed out: api4coupons.com did not answer within 20 s."


def test_http_status_titles():
    assert E.HttpStatusError(404).title == "HTTP 404 Not Found"
    assert E.HttpStatusError(599).title == "HTTP 599 Unexpected status"
    assert E.ServerError(503).title == "Server error (HTTP 503)"
    assert E.RateLimited(30).message.endswith("Try again in 30 s.")
    assert E.RateLimited(None).status_code == 429
