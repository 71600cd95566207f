"""mask_secrets and friends: what is secret, and how it is shown."""

from __future__ import annotations

from ctconsole.redaction import mask_in_text, mask_secrets, mask_value, safe_repr


def test_mask_keeps_the_last_four_of_long_values_only():
    assert mask_value("nBEoonCrbZINl91huSS6AZPsK20FKc") == "…0FKc"
    assert mask_value("short-pw") == "…"
    assert mask_value(123456789012345) == "…"
    assert mask_value("") == ""
    assert mask_value(None) is None


def test_masking_twice_changes_nothing():
    once = mask_secrets({"api_secret": "nBEoonCrbZINl91huSS6AZPsK20FKc", "token": "abc"})
    assert mask_secrets(once) == once == {"api_secret": "…0FKc", "token": "…"}


def test_secret_keys_are_masked_at_any_depth_and_the_input_is_untouched():
    data = {"amount_of_campaigns": 1, "subaccount": [{
        "ID": "sub_2001", "api_key": "187244670084704729900593240",
        "api_secret": "nBEoonCrbZINl91huSS6AZPsK20FKc", "email": "a@b.co",
        "campaigns": [{"ID": "cam_1", "url": "https://digicpn.com/p/abc"}]}]}
    masked = mask_secrets(data)
    sub = masked["subaccount"][0]
    assert sub["api_key"] == "…3240" and sub["api_secret"] == "…0FKc"
    assert sub["email"] == "a@b.co" and sub["ID"] == "sub_2001"
    assert sub["campaigns"][0]["url"] == "https://digicpn.com/p/abc"  # public links stay
    assert data["subaccount"][0]["api_secret"] == "nBEoonCrbZINl91huSS6AZPsK20FKc"


def test_sso_login_urls_are_masked_next_to_a_token():
    sso = {"subaccount": {"ID": "sub_1", "token": "t" * 45 + "wxyz",
                          "url": "https://app.example/sso?token=abcdef0123456789",
                          "url_whitelabel": "https://wl.example/sso?token=abcdef0123456789"}}
    out = mask_secrets(sso)["subaccount"]
    assert out == {"ID": "sub_1", "token": "…wxyz", "url": "…6789", "url_whitelabel": "…6789"}


def test_reset_url_is_masked_by_operation():
    body = {"subaccount": "sub_1", "url": "https://app.example/reset/0123456789abcdef"}
    assert mask_secrets(body)["url"] == body["url"]
    assert mask_secrets(body, operation="subaccount.reset_url")["url"] == "…cdef"


def test_extra_keys_for_params_marked_secret():
    assert mask_secrets({"pin": "123456789012345"}, extra_keys={"pin"}) == {"pin": "…2345"}


def test_mask_in_broken_text():
    text = '{"subaccount": [{"api_key": "187244670084704729900593240", "api_secret": "nBEoonCrbZINl91hu'
    out = mask_in_text(text)
    assert "nBEoonCrbZ" not in out and "18724467008" not in out
    assert '"api_key": "…3240"' in out


def test_safe_repr():
    assert safe_repr("Creds", {"id": "x"}, {"secret": "abcdefghijklmnop"}) == "Creds(id='x', secret='…mnop')"
