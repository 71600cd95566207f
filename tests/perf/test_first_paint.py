"""Start-up: what the path to the first frame does not pay for.

A ``--demo`` start reads no config file, so tomllib is not imported for it,
and no start imports pydantic for the config; a real config file is still
validated strictly, and secrets given directly (demo, environment) still
resolve. Checked in fresh interpreters: what matters is what a new process
imports.
"""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded_after(code: str) -> set[str]:
    script = code + ("\nimport json, sys\n"
                     "print(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_demo_settings_import_neither_pydantic_nor_tomllib():
    loaded = _loaded_after(
        "import ctconsole.commands.context as c\n"
        "s = c.demo_settings(read_only=False, offline=False)\n"
        "assert s.profile.credentials()[0] == 'ct_demo_main'\n"
        "assert s.profile.credentials()[1] not in repr(s)")
    assert not {"pydantic", "pydantic_core", "tomllib"} & loaded


def test_a_config_file_is_still_validated_with_its_schema(tmp_path):
    from ctconsole.config import ConfigError, load_settings

    path = tmp_path / "config.toml"
    path.write_text('[profiles.main]\nclient_id = "abc"\nclient_secret = "s3cret"\ntimout = 5\n')
    path.chmod(0o600)
    try:
        load_settings(path, env={})
    except ConfigError as exc:
        assert "timout" in str(exc) and "timeout" in str(exc)  # misspelt key, suggestion
    else:
        raise AssertionError("a misspelt key must be refused")
    path.write_text('[profiles.main]\nclient_id = "abc"\nclient_secret = "s3cret"\n')
    settings = load_settings(path, env={})
    assert settings.profile.credentials() == ("abc", "s3cret")
    assert "s3cret" not in repr(settings)


def test_an_environment_secret_resolves_as_given_and_is_not_run(tmp_path):
    from ctconsole.config import load_settings

    # A secret that looks like a command must be taken as text, never run.
    path = tmp_path / "config.toml"
    path.write_text("")
    env = {"CTCONSOLE_CLIENT_ID": "id1", "CTCONSOLE_CLIENT_SECRET": "echo pwned"}
    settings = load_settings(path, env=env)
    assert settings.profile.credentials() == ("id1", "echo pwned")
    assert "echo pwned" not in repr(settings.profile)


def test_the_home_panes_first_answer_is_read_without_pydantic():
    # What `ctconsole --demo` does before its first frame: settings, the
    # demo client (sandbox, cache off here), subaccount.list read by the
    # quick reader the home pane asks for.
    loaded = _loaded_after(
        "import argparse, asyncio\n"
        "import ctconsole.commands.context as c\n"
        "ctx = c.Context(argparse.Namespace(demo=True, config=None, read_only=False, offline=False),\n"
        "              None, None)\n"
        "ctx._cache = None\n"
        "async def first():\n"
        "    client = ctx.client()\n"
        "    result = await client.call('subaccount.list', model='SubaccountRows')\n"
        "    assert result.data.items[0]['id'] == 'sub_2001'\n"
        "    await client.aclose()\n"
        "asyncio.run(first())")
    assert "ctconsole.api.models.pydantic_free" in loaded
    assert not {"pydantic", "pydantic_core", "ctconsole.api.models.subaccount"} & loaded
