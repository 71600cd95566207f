"""What a start does not import stays out, and leaving it out changes nothing
a caller can see.

Each check runs in a fresh interpreter, because what matters is what a new
`ctconsole` process imports.
"""

from __future__ import annotations

import json
import subprocess
import sys

import ctconsole.api.models as models


def _loaded_after(code: str) -> set[str]:
    """Modules really imported (not those marked absent) after running `code`."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(k for k, v in sys.modules.items() if v is not None)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_every_model_name_resolves_to_its_submodule_class():
    import importlib

    for module, names in models._MODULES.items():
        sub = importlib.import_module(f"ctconsole.api.models.{module}")
        for name in names:
            assert getattr(models, name) is getattr(sub, name)
    assert set(models.__all__) == set(models._WHERE)
    assert set(models.__all__) <= set(dir(models))


def test_unknown_model_name_is_an_attribute_error():
    try:
        models.NoSuchModel  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchModel" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_first_pane_model_does_not_import_every_area():
    loaded = _loaded_after("from ctconsole.api.models import SubaccountList")
    assert "ctconsole.api.models.subaccount" in loaded
    assert "ctconsole.api.models.session" not in loaded
    assert "ctconsole.api.models.directory" not in loaded


def test_httpx_cli_dependencies_stay_out_and_httpx_still_works():
    loaded = _loaded_after(
        "import ctconsole.cli as c\nc.skip_httpx_cli()\nimport httpx\n"
        "r = httpx.Client(transport=httpx.MockTransport(lambda q: httpx.Response(200, json={'a': 1})))"
        ".get('http://x/')\nassert r.json() == {'a': 1}")
    assert "httpx" in loaded
    assert not {"click", "pygments", "httpx._main"} & loaded


def test_the_command_line_keeps_httpx_cli_out_and_the_library_does_not_interfere():
    # The command entry point installs the hook; a library import leaves httpx alone.
    entry = _loaded_after(
        "import io, sys\nimport ctconsole.cli as c\n"
        "c.main(['--demo', 'ops'], stdout=io.StringIO(), stderr=io.StringIO())\nimport httpx")
    assert "httpx" in entry and not {"httpx._main", "click"} & entry
    library = _loaded_after("import sys, ctconsole, ctconsole.api\n"
                            "assert not any('Skip' in repr(f) for f in sys.meta_path)\n"
                            "import httpx")
    assert "httpx._main" in library


def test_paths_do_not_import_platformdirs_until_asked():
    assert "platformdirs" not in _loaded_after("import ctconsole.paths")
    assert "platformdirs" in _loaded_after("import ctconsole.paths as p; p.config_dir()")


def test_a_client_without_a_cache_does_not_import_the_cache_or_sqlite():
    loaded = _loaded_after(
        "from ctconsole.api import Client, Credentials\n"
        "c = Client(Credentials('id', 'secret'), base_url='http://x')")
    assert "ctconsole.api.client" in loaded
    assert not {"sqlite3", "ctconsole.cache", "ctconsole.cache.store"} & loaded


def test_the_journal_subcommand_loads_only_when_named():
    plain = _loaded_after("import ctconsole.cli as c\nc.build_parser(['--demo']).parse_args(['--demo'])")
    assert "ctconsole.writes" not in plain
    named = _loaded_after(
        "import ctconsole.cli as c\n"
        "a = c.build_parser(['journal', '--json']).parse_args(['journal', '--json'])\n"
        "assert a.command == 'journal' and a.json is True\n"
        "h = c.build_parser(['--help']).format_help()\n"
        "assert 'list the journal of writes' in h")
    assert "ctconsole.commands.journal" in named


def test_a_start_on_a_config_file_reads_and_checks_it_without_pydantic(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('default_profile = "work"\n\n[profiles.work]\nbase_url = "http://127.0.0.1:9"\n'
                      'client_id = "id"\nclient_secret_env = "CT_TEST_SECRET"\ntimeout = 5\n\n'
                      '[ui]\ntheme = "nord"\n\n[keys]\nquit = "q"\n\n[cache]\nenabled = false\n',
                      encoding="utf-8")
    loaded = _loaded_after(
        "import io, os\nos.environ['CT_TEST_SECRET'] = 's3'\n"
        "from ctconsole.cli import build_parser\nfrom ctconsole.commands.context import Context\n"
        f"args = build_parser([]).parse_args(['--config', {str(config)!r}])\n"
        "ctx = Context(args, io.StringIO(), io.StringIO())\n"
        "s = ctx.settings()\n"
        "assert (s.profile.timeout, s.theme, s.keys) == (5.0, 'nord', {'quit': 'q'})\n"
        "assert s.profile.credentials() == ('id', 's3')\n"
        "ctx.client()")
    assert "ctconsole.api.client" in loaded
    assert "pydantic" not in loaded


def test_httpx_loads_with_the_first_request_and_the_request_still_fails_as_it_should():
    # A client is built at every start; a cached first pane needs no request.
    loaded = _loaded_after(
        "import asyncio, sys\nfrom ctconsole.api import Client, ConnectFailed, Credentials\n"
        "client = Client(Credentials('id', 'secret'), base_url='http://127.0.0.1:9', timeout=2)\n"
        "assert 'httpx' not in sys.modules\n"
        "async def ask():\n"
        "    try:\n        await client.call('auth.check')\n"
        "    except ConnectFailed as exc:\n        assert 'could not connect' in str(exc), exc\n"
        "    else:\n        raise AssertionError('nothing listens on port 9')\n"
        "    finally:\n        await client.aclose()\n"
        "asyncio.run(ask())")
    assert "httpx" in loaded


def test_the_demo_points_the_journal_at_its_file_without_loading_the_write_engine():
    loaded = _loaded_after(
        "import ctconsole.cli as c\nfrom ctconsole.writes import journal\n"
        "with c.demo_journal(True):\n"
        "    assert journal.default_path().name == journal.DEMO_JOURNAL_FILENAME\n"
        "from ctconsole.writes import Journal\nassert Journal is journal.Journal")
    assert "ctconsole.writes.journal" in loaded
    assert not {"ctconsole.writes.plan", "ctconsole.writes.apply", "ctconsole.writes.guards"} & loaded
