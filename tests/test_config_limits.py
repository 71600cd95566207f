"""The client's limits come from the profile: one deadline per call, an answer cap."""

from __future__ import annotations

from ctconsole.commands.context import build_client
from ctconsole.config import ConfigError, load_settings

import pytest


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


async def test_defaults_are_a_30_s_deadline_and_a_16_mb_cap(tmp_path):
    settings = load_settings(write(tmp_path, "[profiles.main]\nclient_id = 'x'\n"
                                              "client_secret = 'y'\n"))
    client = build_client(settings)
    try:
        assert client.timeout == 30.0
        assert client.max_answer_bytes == 16_000_000
    finally:
        await client.aclose()


async def test_the_profile_sets_both(tmp_path):
    settings = load_settings(write(tmp_path, "[profiles.main]\nclient_id = 'x'\n"
                                              "client_secret = 'y'\ntimeout = 12\n"
                                              "max_answer_mb = 2.5\n"))
    client = build_client(settings)
    try:
        assert client.timeout == 12.0
        assert client.max_answer_bytes == 2_500_000
    finally:
        await client.aclose()


def test_a_cap_of_nothing_is_refused_with_its_line(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, "[profiles.main]\nclient_id = 'x'\nmax_answer_mb = 0\n"))
    assert "max_answer_mb" in str(info.value)
