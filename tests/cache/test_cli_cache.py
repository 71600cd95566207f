"""``ctconsole cache …`` and the cache options of ``ctconsole call``, as a
script sees them: stdout, stderr, exit status, and the requests the sandbox
received. Every directory points into the test's tmp dir (tests/conftest.py)."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from ctconsole.cli import main
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=100)


def run(capsys, *argv: str, sandbox_app=None) -> tuple[int, str, str]:
    code = main(list(argv), sandbox_app=sandbox_app)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def demo(capsys, sandbox, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--demo", *argv, sandbox_app=sandbox)


def stats(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "cache", "stats", "--json")
    assert code == 0, err
    return json.loads(out)


# --- call: hits, --no-cache, --max-age, --offline ----------------------------------------


def test_a_second_call_is_answered_from_the_cache_and_says_so(capsys, sandbox):
    code, first, err = demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1001")
    assert code == 0 and err == ""
    code, second, err = demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1001")
    assert code == 0
    assert second == first  # stdout is the same document, whatever its source
    assert len(sandbox.requests) == 1
    assert err.startswith("ctconsole: campaign.info: cached answer, fetched ")
    assert "UTC" in err


def test_no_cache_always_asks_and_stores_nothing(capsys, sandbox):
    for _ in range(2):
        assert demo(capsys, sandbox, "call", "campaign.list", "--no-cache")[0] == 0
    assert len(sandbox.requests) == 2
    assert stats(capsys, "--demo").get("entries", 0) == 0


def test_max_age_zero_asks_again_and_refreshes_the_entry(capsys, sandbox):
    demo(capsys, sandbox, "call", "campaign.list")
    code, _, err = demo(capsys, sandbox, "call", "campaign.list", "--max-age", "0")
    assert code == 0 and err == "" and len(sandbox.requests) == 2
    code, _, err = demo(capsys, sandbox, "call", "campaign.list", "--max-age", "3600")
    assert "cached answer" in err and len(sandbox.requests) == 2


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_a_negative_max_age_is_a_usage_error(capsys, sandbox, value):
    code, out, err = demo(capsys, sandbox, "call", "campaign.list", "--max-age", value)
    assert code == 2 and out == "" and "--max-age must be 0 or more" in err
    assert sandbox.requests == []


def test_offline_reads_the_cache_and_sends_nothing(capsys, sandbox):
    _, online, _ = demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1001")
    code, offline, err = demo(capsys, sandbox, "--offline", "call", "campaign.info",
                              "campaign=cam_1001")
    assert code == 0 and offline == online
    assert "cached answer" in err and "offline" in err
    assert len(sandbox.requests) == 1


def test_offline_with_nothing_cached_fails_clearly(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "--offline", "call", "campaign.info", "campaign=cam_1002")
    assert code == 1 and out == ""
    assert "Offline: nothing cached for campaign.info" in err
    assert sandbox.requests == []


def test_offline_refuses_a_write(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "--offline", "call", "singleuse.create", "campaign=cam_1001")
    assert code == 2 and out == "" and "is a write and --offline is set: writes are disabled; nothing was sent" in err
    assert sandbox.requests == []


def test_a_write_marks_the_cached_read_stale(capsys, sandbox):
    demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1001")
    assert demo(capsys, sandbox, "call", "singleuse.create", "campaign=cam_1001")[0] == 0
    code, _, err = demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1001")
    assert code == 0 and err == ""  # asked the API again
    # the write engine reads the created session again after the write
    assert [r.operation for r in sandbox.requests] == ["campaign.info", "singleuse.create",
                                                      "session.info", "campaign.info"]


# --- cache path / stats / clear ---------------------------------------------------------


def test_cache_path_is_under_the_platform_cache_dir_and_creates_nothing(capsys, isolated_dirs):
    code, out, err = run(capsys, "--demo", "cache", "path")
    assert code == 0 and err == ""
    path = Path(out.strip())
    assert path.parent == isolated_dirs / ".cache" / "ctconsole" / "responses"
    assert path.name.startswith("demo--sandbox--") and path.suffix == ".sqlite3"
    assert not path.exists()


def test_stats_report_entries_size_and_hit_rate(capsys, sandbox):
    doc = stats(capsys, "--demo")
    assert doc["exists"] is False and "entries" not in doc
    demo(capsys, sandbox, "call", "campaign.list")
    demo(capsys, sandbox, "call", "campaign.list")
    demo(capsys, sandbox, "call", "campaign.list")
    demo(capsys, sandbox, "call", "loyalty.list")
    doc = stats(capsys, "--demo")
    assert (doc["entries"], doc["hits"], doc["misses"]) == (2, 2, 2)
    assert doc["hit_rate"] == 0.5
    assert 0 < doc["data_bytes"] <= doc["bytes_on_disk"]
    code, out, _ = run(capsys, "--demo", "cache", "stats")
    assert code == 0
    assert "entries:   2 (0 marked stale by writes)" in out
    assert "hit rate:  50% (2 hits, 2 misses)" in out


def test_clear_empties_the_cache(capsys, sandbox):
    demo(capsys, sandbox, "call", "campaign.list")
    code, out, _ = run(capsys, "--demo", "cache", "clear")
    assert code == 0 and out.startswith("cleared 1 cached answer of profile 'demo'")
    assert stats(capsys, "--demo")["entries"] == 0
    demo(capsys, sandbox, "call", "campaign.list")
    assert len(sandbox.requests) == 2


# --- live profiles from a config file ----------------------------------------------------


def write_config(tmp_path, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(f"""
        default_profile = "alpha"
        [profiles.alpha]
        base_url = "http://127.0.0.1:9"
        client_id = "{DEMO_CLIENT_ID}"
        client_secret = "{DEMO_CLIENT_SECRET}"
        [profiles.beta]
        base_url = "http://127.0.0.1:9"
        client_id = "{DEMO_CLIENT_ID}"
        client_secret = "{DEMO_CLIENT_SECRET}"
    """) + textwrap.dedent(extra))
    os.chmod(path, 0o600)
    return path


@pytest.fixture
def served():
    from ctconsole.sandbox.server import running

    app = make_sandbox_app(big_sessions=100)
    with running(app) as base_url:
        yield app, base_url


def test_a_live_profile_caches_per_profile_and_clear_takes_a_profile(capsys, tmp_path, served):
    app, base_url = served
    config = str(write_config(tmp_path))
    for profile in ("alpha", "beta"):
        for _ in range(2):
            code, _, err = run(capsys, "--config", config, "--profile", profile, "--base-url",
                               base_url, "call", "campaign.list")
            assert code == 0, err
    assert len(app.requests) == 2  # one per profile: profiles never share answers
    alpha = run(capsys, "--config", config, "--base-url", base_url, "cache", "path")[1].strip()
    beta = run(capsys, "--config", config, "--profile", "beta", "--base-url", base_url,
               "cache", "path")[1].strip()
    assert alpha != beta and Path(alpha).exists() and Path(beta).exists()
    assert stat_mode(alpha) == 0o600

    code, out, _ = run(capsys, "--config", config, "cache", "clear", "--profile", "beta")
    assert code == 0 and "profile 'beta'" in out and beta in out
    base = ("--config", config, "--base-url", base_url)
    assert stats(capsys, *base, "--profile", "beta")["entries"] == 0
    assert stats(capsys, *base)["entries"] == 1  # alpha untouched


def stat_mode(path: str) -> int:
    return os.stat(path).st_mode & 0o777


def test_unreachable_api_falls_back_to_the_cache(capsys, tmp_path, served):
    app, base_url = served
    config = str(write_config(tmp_path, '[cache.max_age]\n"campaign.list" = 0\n'))
    code, first, _ = run(capsys, "--config", config, "--base-url", base_url, "call", "campaign.list")
    assert code == 0
    # Same profile and base URL (so the same database), but nothing listens now.
    app.faults.add("drop", operation="campaign.list", times=None)
    code, second, err = run(capsys, "--config", config, "--base-url", base_url, "call",
                            "campaign.list")
    assert code == 0, err
    assert second == first and "could not be reached" in err


def test_config_can_turn_the_cache_off(capsys, tmp_path, served):
    app, base_url = served
    config = str(write_config(tmp_path, "[cache]\nenabled = false\n"))
    for _ in range(2):
        assert run(capsys, "--config", config, "--base-url", base_url, "call", "campaign.list")[0] == 0
    assert len(app.requests) == 2
    doc = stats(capsys, "--config", config, "--base-url", base_url)
    assert doc["enabled"] is False and doc["exists"] is False


def test_a_max_age_for_a_write_is_a_config_error(capsys, tmp_path):
    config = str(write_config(tmp_path, '[cache.max_age]\n"singleuse.create" = 10\n'))
    code, out, err = run(capsys, "--config", config, "call", "campaign.list")
    assert code == 2 and out == ""
    assert "writes are never cached" in err
