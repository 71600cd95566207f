"""The ``ctconsole`` command as a script sees it: stdout, stderr, exit status,
and — for the refusals — proof that nothing was sent."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.cli import main
from ctconsole.commands import COMMANDS, Command, register
from ctconsole.commands.call import parse_pairs

SANDBOX = pytest.importorskip("ctconsole.sandbox")


@pytest.fixture
def sandbox():
    """A fresh in-process sandbox app whose `requests` the tests can count."""
    return SANDBOX.make_sandbox_app()


def run(capsys, *argv: str, sandbox_app=None) -> tuple[int, str, str]:
    code = main(list(argv), sandbox_app=sandbox_app)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def demo(capsys, sandbox, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--demo", *argv, sandbox_app=sandbox)


# --- call against the demo sandbox -------------------------------------------------------


def test_call_prints_normalised_json_with_secrets_masked(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "call", "subaccount.list")
    assert code == 0, err
    data = json.loads(out)
    raw = json.loads(run(capsys, "--demo", "call", "subaccount.list", "--raw",
                         "--show-secrets", sandbox_app=sandbox)[1])
    real_secrets = [s["api_secret"] for s in raw["subaccount"]]
    assert real_secrets and all(len(s) > 12 for s in real_secrets)
    for secret in real_secrets:
        assert secret not in out
        assert "…" + secret[-4:] in out  # masked, last four kept to tell them apart
    for sub in raw["subaccount"]:  # normalised: the models' `id`, not the API's `ID`
        assert f'"id": "{sub["ID"]}"' in out and '"ID"' not in out
    assert data and len(sandbox.requests) == 2


def test_one_time_login_material_is_masked(capsys, sandbox):
    for extra in ((), ("--raw",)):
        code, out, _ = demo(capsys, sandbox, "call", "subaccount.sso", "subaccount=sub_2001", *extra)
        assert code == 0
        shown = json.dumps(json.loads(out))
        revealed = json.loads(demo(capsys, sandbox, "call", "subaccount.sso", "subaccount=sub_2001",
                                   "--raw", "--show-secrets", *extra)[1])["subaccount"]
        for key in ("token", "url", "url_whitelabel"):
            assert revealed[key] and revealed[key] not in shown


def test_hostile_customer_text_cannot_reach_the_terminal(capsys, sandbox):
    code, out, _ = demo(capsys, sandbox, "call", "campaign.sessions", "campaign=cam_1006")
    assert code == 0 and json.loads(out)
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    assert "\\u001b" in out  # still there, escaped as JSON


def test_show_secrets_reveals_them(capsys, sandbox):
    code, out, _ = demo(capsys, sandbox, "call", "subaccount.list", "--show-secrets")
    assert code == 0
    raw = json.loads(demo(capsys, sandbox, "call", "subaccount.list", "--raw", "--show-secrets")[1])
    for sub in raw["subaccount"]:
        assert sub["api_secret"] in out


def test_raw_prints_the_payload_as_received_but_masked(capsys, sandbox):
    code, out, _ = demo(capsys, sandbox, "call", "subaccount.list", "--raw")
    assert code == 0
    raw = json.loads(out)
    assert raw["status"] == {"status": "OK"}
    assert all(sub["api_secret"].startswith("…") for sub in raw["subaccount"])


def test_call_coerces_key_value_params(capsys, sandbox):
    listing = json.loads(demo(capsys, sandbox, "call", "campaign.list", "--raw")[1])
    campaign = listing["coupon_info"][0]["ID"]
    code, out, err = demo(capsys, sandbox, "call", "campaign.info", f"campaign={campaign}",
                          "show_usage_stats=yes", "--raw")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["coupon_info"]["ID"] == campaign
    assert "usage_stats" in payload


# --- usage errors: exit 2, nothing sent -------------------------------------------------------


def test_unknown_operation_suggests_close_names_and_sends_nothing(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "call", "campaign.lst")
    assert code == 2 and out == ""
    assert "unknown operation 'campaign.lst'" in err and "campaign.list" in err
    assert "Traceback" not in err
    assert len(sandbox.requests) == 0


def test_bad_parameter_value_exits_2_and_sends_nothing(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "call", "campaign.info", "campaign=oops")
    assert code == 2 and out == ""
    assert "campaign" in err
    code, _, err = demo(capsys, sandbox, "call", "campaign.info")
    assert code == 2 and "campaign" in err  # missing required parameter
    code, _, err = demo(capsys, sandbox, "call", "campaign.info", "campaign")
    assert code == 2 and "key=value" in err
    code, _, err = demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1", "campaign=cam_2")
    assert code == 2 and "more than once" in err
    assert len(sandbox.requests) == 0


def test_read_only_refuses_a_write_without_sending(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "--read-only", "call", "campaign.push_all",
                          "campaign=cam_1001", "message=hello")
    assert code == 2 and out == ""
    assert "read-only" in err and "nothing was sent" in err
    assert len(sandbox.requests) == 0


def test_profile_read_only_refuses_a_write(capsys, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[profiles.prod]\nclient_id = 'x'\nclient_secret_env = 'UNSET_VAR'\n"
                      "read_only = true\n")
    code, _, err = run(capsys, "--config", str(config), "call", "campaign.push_all",
                       "campaign=cam_1001", "message=hi")
    assert code == 2 and "profile 'prod' is read-only" in err


def test_offline_refuses_a_write(capsys, sandbox):
    code, _, err = demo(capsys, sandbox, "--offline", "call", "campaign.push_all",
                        "campaign=cam_1001", "message=hi")
    assert code == 2 and "--offline" in err
    assert len(sandbox.requests) == 0


def test_config_error_exits_2_with_its_message(capsys, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[profiles.main]\ntimeout = 'fast'\n")
    code, out, err = run(capsys, "--config", str(config), "call", "auth.check")
    assert code == 2 and out == ""
    assert err.strip() == f'ctconsole: {config}:2: profiles.main.timeout: must be a number (got "fast")'


def test_missing_credentials_is_a_config_error(capsys):
    code, _, err = run(capsys, "call", "auth.check")
    assert code == 2 and "no client_id" in err


# --- API and network errors ----------------------------------------------------------------


def test_api_error_exits_1_with_code_and_message(capsys, sandbox):
    code, out, err = demo(capsys, sandbox, "call", "session.info",
                          "couponsession=ZZZZZZZZZZZZZZZZZZZZZ")
    assert code == 1 and out == ""
    assert "505" in err and "Couponsession not found" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_network_error_exits_3(capsys, monkeypatch):
    monkeypatch.setenv("CTCONSOLE_CLIENT_ID", "id")
    monkeypatch.setenv("CTCONSOLE_CLIENT_SECRET", "never-shown-secret")
    code, out, err = run(capsys, "--base-url", "http://127.0.0.1:9", "call",
                         "session.update", "couponsession=ABCDEF", "validated=true")
    assert code == 3 and out == ""
    assert "never-shown-secret" not in err and "Traceback" not in err
    assert err.startswith("ctconsole: session.update: ")


# --- ops ---------------------------------------------------------------------------------------


def test_ops_lists_every_operation_and_marks_inferred(capsys):
    code, out, _ = run(capsys, "ops")
    assert code == 0
    for op in CATALOGUE:
        line = next(line for line in out.splitlines() if line.split()[:1] == [op.name])
        assert op.path in line and op.kind in line
        assert ("inferred" in line) == (op.contract == "inferred")
    assert out.count(" inferred ") == sum(op.contract == "inferred" for op in CATALOGUE) >= 8
    assert "campaign*" in out  # required mark


def test_ops_json(capsys, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[api.paths]\n"auth.check" = "/v9/auth"\n')
    code, out, _ = run(capsys, "--config", str(config), "ops", "--json")
    listing = json.loads(out)
    assert code == 0 and len(listing) == 33
    by_name = {op["name"]: op for op in listing}
    assert by_name["auth.check"]["path"] == "/v9/auth"  # config override shown
    assert by_name["session.update_many"]["contract"] == "inferred"
    assert {"name": "campaign", "required": True} .items() <= by_name["campaign.info"]["params"][0].items()


# --- the rest of the surface ----------------------------------------------------------------


def test_version_and_help(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("ctconsole ")
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "call" in out and "ops" in out and "sandbox" in out


def test_tui_without_a_terminal_is_refused_politely(capsys, sandbox):
    code, _, err = demo(capsys, sandbox)
    assert code == 2 and "needs a terminal" in err


def test_sandbox_refuses_non_loopback_host(capsys):
    code, _, err = run(capsys, "sandbox", "--host", "0.0.0.0")
    assert code == 2 and "loopback" in err


def test_parse_pairs():
    assert parse_pairs(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    assert parse_pairs(["codes=a", "codes=b"]) == {"codes": ["a", "b"]}


def test_registry_takes_new_subcommands(capsys):
    calls = []
    command = Command("probe", "test-only", lambda ctx: calls.append(ctx.args.n) or 0,
                      lambda p: p.add_argument("-n", type=int))
    register(command)
    try:
        assert run(capsys, "probe", "-n", "7")[0] == 0 and calls == [7]
        with pytest.raises(ValueError):
            register(command)
    finally:
        del COMMANDS["probe"]


def test_insecure_config_warning_goes_to_stderr(capsys, tmp_path, sandbox):
    config = tmp_path / "c.toml"
    config.write_text("[profiles.p]\nclient_id = 'x'\nclient_secret = 'file-secret'\n")
    config.chmod(0o644)
    code, out, err = run(capsys, "--config", str(config), "ops")
    assert code == 0 and out
    assert err.startswith("ctconsole: warning: ") and "chmod 600" in err
    assert "file-secret" not in err


class _Tty:
    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def test_tui_gets_the_profile_settings(monkeypatch, tmp_path):
    import ctconsole.ui.app as ui_app

    seen = {}

    def fake_run_app(client, **options):
        seen.update(options, client=client)
        return 0

    monkeypatch.setattr(ui_app, "run_app", fake_run_app)
    monkeypatch.setattr(sys, "stdin", _Tty())
    config = tmp_path / "c.toml"
    config.write_text("[profiles.prod]\nclient_id = 'x'\nclient_secret_env = 'PROD_SECRET'\n"
                      "color = 'red'\n[ui]\ntheme = 'nord'\n[keys]\n'quit' = 'ctrl+q'\n")
    monkeypatch.setenv("PROD_SECRET", "s")
    assert main(["--config", str(config), "--read-only"], stdout=_Tty()) == 0
    assert seen["profile_name"] == "prod" and seen["read_only"] is True
    assert (seen["profile_color"], seen["theme"], seen["keymap"]) == ("red", "nord", {"quit": "ctrl+q"})
    assert seen["client"].base_url == "https://api4coupons.com"
    assert seen["screen_share"] is False


def test_screen_share_from_ui_table_profile_and_flag(monkeypatch, tmp_path):
    import ctconsole.ui.app as ui_app

    seen = {}
    monkeypatch.setattr(ui_app, "run_app", lambda client, **o: seen.update(o) or 0)
    monkeypatch.setattr(sys, "stdin", _Tty())
    monkeypatch.setenv("S", "s")
    config = tmp_path / "c.toml"
    config.write_text("default_profile = 'a'\n[ui]\nscreen_share = true\n"
                      "[profiles.a]\nclient_id = 'x'\nclient_secret_env = 'S'\n"
                      "[profiles.b]\nclient_id = 'y'\nclient_secret_env = 'S'\nscreen_share = false\n")
    assert main(["--config", str(config)], stdout=_Tty()) == 0
    assert seen["screen_share"] is True  # from [ui]
    assert main(["--config", str(config), "--profile", "b"], stdout=_Tty()) == 0
    assert seen["screen_share"] is False  # the profile says otherwise
    assert main(["--config", str(config), "--profile", "b", "--screen-share"], stdout=_Tty()) == 0
    assert seen["screen_share"] is True  # the flag wins


# --- the installed console script ---------------------------------------------------------------


def test_console_script_exit_codes(tmp_path):
    script = Path(sys.executable).with_name("ctconsole")
    if not script.exists():
        script = shutil.which("ctconsole")
    assert script, "the ctconsole console script is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"))

    def exit_of(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(script), *argv], capture_output=True, text=True, env=env,
                              timeout=60, stdin=subprocess.DEVNULL)

    ok = exit_of("--demo", "call", "campaign.list")
    assert ok.returncode == 0 and json.loads(ok.stdout)
    assert exit_of("--demo", "call", "nope.nope").returncode == 2
    failed = exit_of("--demo", "call", "session.info", "couponsession=ZZZZZZZZZZZZZZZZZZZZZ")
    assert failed.returncode == 1 and "505" in failed.stderr


def test_sandbox_command_serves_on_loopback(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"), PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "ctconsole", "sandbox", "--port", str(port),
                               "--sessions", "50"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        banner = [server.stdout.readline() for _ in range(3)]
        assert banner[0].strip() == f"Sandbox API: http://127.0.0.1:{port}"
        assert banner[1].split() == ["client_id:", SANDBOX.DEMO_CLIENT_ID]
        assert banner[2].split() == ["client_secret:", SANDBOX.DEMO_CLIENT_SECRET]
        env.update(CTCONSOLE_BASE_URL=f"http://127.0.0.1:{port}",
                   CTCONSOLE_CLIENT_ID=SANDBOX.DEMO_CLIENT_ID,
                   CTCONSOLE_CLIENT_SECRET=SANDBOX.DEMO_CLIENT_SECRET)
        for _ in range(50):  # the banner is printed just before uvicorn binds
            done = subprocess.run([sys.executable, "-m", "ctconsole", "call", "auth.check"],
                                  capture_output=True, text=True, env=env, timeout=60)
            if done.returncode != 3:
                break
        assert done.returncode == 0, done.stderr
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_scripting_commands_do_not_load_the_tui():
    code = ("import io, sys\nfrom ctconsole.cli import main\n"
            "assert main(['ops'], stdout=io.StringIO()) == 0\n"
            "assert main(['--demo', 'call', 'auth.check'], stdout=io.StringIO()) == 0\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'ctconsole'}))\n"
            "print('ctconsole.ui' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["['ctconsole']", "False"]


def test_ca_bundle_is_loaded_or_refused_clearly(capsys, tmp_path, monkeypatch):
    import certifi

    from ctconsole.commands.context import build_client
    from ctconsole.config import load_settings

    monkeypatch.setenv("CTCONSOLE_CLIENT_SECRET", "s")
    good = tmp_path / "good.toml"
    good.write_text(f"[profiles.p]\nclient_id = 'x'\nca_bundle = '{certifi.where()}'\n")
    client = build_client(load_settings(good))
    assert client.base_url == "https://api4coupons.com"
    asyncio.run(client.aclose())
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    bad = tmp_path / "bad.toml"
    bad.write_text(f"[profiles.p]\nclient_id = 'x'\nca_bundle = '{junk}'\n")
    code, _, err = run(capsys, "--config", str(bad), "call", "auth.check")
    assert code == 2 and "no usable PEM certificates" in err and "Traceback" not in err


def test_demo_honours_the_configs_keys_and_refuses_unknown_ones(monkeypatch, tmp_path):
    """`--config` with `--demo`: its UI settings reach the console (its
    connection does not); a misspelt binding id stops the start with the
    file, line and nearest id, exit 2."""
    import ctconsole.ui.app as ui_app

    seen = {}
    monkeypatch.setattr(ui_app, "run_app", lambda client, **o: seen.update(o, client=client) or 0)
    monkeypatch.setattr(sys, "stdin", _Tty())
    config = tmp_path / "c.toml"
    config.write_text("[profiles.prod]\nbase_url = 'https://prod.example'\nclient_id = 'x'\n"
                      "[ui]\ntheme = 'nord'\n[keys]\n'home.campaigns' = 'k'\n")
    config.chmod(0o600)
    assert main(["--demo", "--config", str(config)], stdout=_Tty()) == 0
    assert seen["theme"] == "nord" and seen["keymap"] == {"home.campaigns": "k"}
    assert seen["profile_name"] == "demo" and "prod.example" not in str(seen["client"].base_url)

    config.write_text("[keys]\n'home.campaign' = 'k'\n")
    err = io.StringIO()
    assert main(["--demo", "--config", str(config)], stdout=_Tty(), stderr=err) == 2
    assert f"{config}:2: keys.\"home.campaign\": unknown binding id (did you mean " \
           "home.campaigns" in err.getvalue()


def test_console_script_refuses_a_misspelt_binding_id(tmp_path):
    script = Path(sys.executable).with_name("ctconsole")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    config = tmp_path / "c.toml"
    config.write_text("[keys]\n'grid.sortt' = 'o'\n")
    done = subprocess.run([str(script), "--config", str(config), "--demo", "call", "auth.check"],
                          capture_output=True, text=True, env=env, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "unknown binding id (did you mean grid.sort" in done.stderr


def test_mouse_follows_the_config_else_is_off_over_ssh(monkeypatch, tmp_path):
    import ctconsole.ui.app as ui_app
    from ctconsole.ui.app import use_mouse

    assert use_mouse(None, {}) is True
    assert use_mouse(None, {"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}) is False
    assert use_mouse(None, {"SSH_TTY": "/dev/pts/3"}) is False  # path-guard: data, not opened
    assert use_mouse(True, {"SSH_CONNECTION": "x"}) is True
    assert use_mouse(False, {}) is False

    seen = {}
    monkeypatch.setattr(ui_app, "run_app", lambda client, **o: seen.update(o) or 0)
    monkeypatch.setattr(sys, "stdin", _Tty())
    config = tmp_path / "c.toml"
    config.write_text("[ui]\nmouse = true\n")
    assert main(["--demo", "--config", str(config)], stdout=_Tty()) == 0
    assert seen["mouse"] is True
    config.write_text("[ui]\n")
    assert main(["--demo", "--config", str(config)], stdout=_Tty()) == 0
    assert seen["mouse"] is None


def test_demo_writes_go_to_a_journal_of_their_own(tmp_path):
    """A write made in --demo is journaled in demo-journal.jsonl; the real
    journal stays untouched, and `--demo journal` lists the demo's."""
    script = Path(sys.executable).with_name("ctconsole")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_STATE_HOME=str(tmp_path / "state"))

    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(script), *argv], capture_output=True, text=True, env=env,
                              timeout=60, stdin=subprocess.DEVNULL)

    done = run("--demo", "call", "loyalty.user_update", "loyaltycard=loy_3001",
               "user=lus_30010", "stamps=1", "--reason", "demo try")
    assert done.returncode == 0, done.stderr
    journals = sorted(p.name for p in (tmp_path / "data").rglob("*.jsonl"))
    assert journals == ["demo-journal.jsonl"]
    listed = run("--demo", "journal", "--json")
    assert "loyalty.user_update" in listed.stdout
    assert "loyalty.user_update" not in run("journal", "--json").stdout
