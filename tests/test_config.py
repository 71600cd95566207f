"""Config loading as a user meets it: files they write, variables they set,
and the messages they get when something is wrong."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

from ctconsole import paths
from ctconsole.config import ConfigError, load_settings

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def write(tmp_path: Path, text: str, name: str = "config.toml", mode: int = 0o600) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


TWO_PROFILES = """\
default_profile = "main"

[profiles.main]
client_id = "main-id"
client_secret = "main-secret"
color = "red"

[profiles.test]
base_url = "http://127.0.0.1:8765"
client_id = "test-id"
client_secret = "test-secret"
read_only = true
timeout = 5
"""


# --- locations -------------------------------------------------------------------


def test_paths_follow_xdg_and_are_created_private(isolated_dirs):
    home = isolated_dirs
    assert paths.default_config_file() == home / ".config" / "ctconsole" / "config.toml"
    assert paths.cache_dir() == home / ".cache" / "ctconsole"
    assert not paths.cache_dir().exists()  # asking does not create
    for made in (paths.ensure_cache_dir(), paths.ensure_data_dir(), paths.ensure_state_dir()):
        assert made.is_dir()
        assert made.stat().st_mode & 0o777 == 0o700
    assert paths.data_dir() == home / ".local" / "share" / "ctconsole"
    assert paths.state_dir() == home / ".local" / "state" / "ctconsole"


def test_default_file_is_read_from_the_platform_path(isolated_dirs):
    path = paths.default_config_file()
    path.parent.mkdir(parents=True)
    write(path.parent, TWO_PROFILES)
    settings = load_settings()
    assert settings.config_path == path
    assert settings.profile.client_id == "main-id"


def test_no_file_at_all_gives_a_default_profile_without_credentials():
    settings = load_settings()
    assert settings.config_path is None
    assert settings.profile.base_url == "https://api4coupons.com"
    with pytest.raises(ConfigError, match="no client_id"):
        settings.profile.credentials()


def test_explicit_missing_file_is_an_error(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")
    monkeypatch.setenv("CTCONSOLE_CONFIG", str(tmp_path / "also-nope.toml"))
    with pytest.raises(ConfigError, match="also-nope.toml: config file not found"):
        load_settings()


def test_ctconsole_config_variable_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CTCONSOLE_CONFIG", str(write(tmp_path, TWO_PROFILES)))
    assert load_settings().profile.name == "main"


# --- profiles and overrides -----------------------------------------------------


def test_default_profile_and_explicit_profile(tmp_path):
    path = write(tmp_path, TWO_PROFILES)
    main = load_settings(path)
    assert (main.profile.name, main.profile.color, main.read_only) == ("main", "red", False)
    assert main.profile.credentials() == ("main-id", "main-secret")
    test = load_settings(path, profile="test")
    assert test.profile.base_url == "http://127.0.0.1:8765"
    assert test.profile.timeout == 5.0 and test.read_only
    assert test.profile.credentials() == ("test-id", "test-secret")
    assert set(test.profiles) == {"main", "test"}
    assert main.with_profile("test").profile.name == "test"


def test_unknown_profile_lists_the_known_ones(tmp_path):
    with pytest.raises(ConfigError, match=r"no profile named 'prod' \(known: main, test\)"):
        load_settings(write(tmp_path, TWO_PROFILES), profile="prod")


def test_default_profile_naming_nothing_points_at_its_line(tmp_path):
    path = write(tmp_path, '\n\ndefault_profile = "prod"\n[profiles.main]\nclient_id = "x"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}:3: default_profile: no profile named 'prod'"


def test_several_profiles_without_a_default_must_be_chosen(tmp_path):
    path = write(tmp_path, TWO_PROFILES.replace('default_profile = "main"', ""))
    with pytest.raises(ConfigError, match="--profile"):
        load_settings(path)
    assert load_settings(path, profile="test").profile.name == "test"


def test_environment_wins_over_the_profile(tmp_path, monkeypatch):
    monkeypatch.setenv("CTCONSOLE_BASE_URL", "http://localhost:9000/")
    monkeypatch.setenv("CTCONSOLE_CLIENT_ID", "env-id")
    monkeypatch.setenv("CTCONSOLE_CLIENT_SECRET", "env-secret")
    monkeypatch.setenv("CTCONSOLE_PROFILE", "test")
    settings = load_settings(write(tmp_path, TWO_PROFILES))
    assert settings.profile.name == "test"
    assert settings.profile.base_url == "http://localhost:9000"
    assert settings.profile.credentials() == ("env-id", "env-secret")
    # ...but only for the profile chosen at start
    assert settings.profiles["main"].credentials() == ("main-id", "main-secret")


def test_command_line_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CTCONSOLE_BASE_URL", "https://env.example")
    settings = load_settings(write(tmp_path, TWO_PROFILES), base_url="https://cli.example",
                             read_only=True)
    assert settings.profile.base_url == "https://cli.example"
    # read-only from the command line covers every profile, so switching cannot escape it
    assert all(p.read_only for p in settings.profiles.values())
    assert settings.with_profile("main").read_only


def test_environment_alone_is_enough_without_a_file(monkeypatch):
    monkeypatch.setenv("CTCONSOLE_CLIENT_ID", "id")
    monkeypatch.setenv("CTCONSOLE_CLIENT_SECRET", "sec")
    assert load_settings().profile.credentials() == ("id", "sec")


# --- secrets ---------------------------------------------------------------------


def test_secret_from_a_named_environment_variable(tmp_path, monkeypatch):
    path = write(tmp_path, '[profiles.p]\nclient_id = "id"\nclient_secret_env = "MY_CT_SECRET"\n')
    settings = load_settings(path)
    assert settings.profile.secret_source == "env"
    with pytest.raises(ConfigError) as err:
        settings.profile.credentials()
    assert str(err.value) == (f"{path}:3: profiles.p.client_secret_env: "
                              "environment variable MY_CT_SECRET is not set")
    monkeypatch.setenv("MY_CT_SECRET", "from-env")
    assert load_settings(path).profile.credentials() == ("id", "from-env")


def test_secret_from_a_command_is_run_lazily(tmp_path):
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').close(); print('s3cret')"
    settings = load_settings(write(tmp_path, "[profiles.p]\nclient_id = 'id'\n"
                                   f"client_secret_command = '''{shlex.join([sys.executable, '-c', code])}'''\n"))
    assert not marker.exists()  # loading alone runs nothing
    assert settings.profile.credentials() == ("id", "s3cret")
    assert marker.exists()


def test_failing_secret_command_names_command_and_status_never_output(tmp_path):
    code = "import sys; print('leaked-secret'); print('leaked-err', file=sys.stderr); sys.exit(3)"
    path = write(tmp_path, "[profiles.p]\nclient_id = 'id'\n"
                           f"client_secret_command = '''{shlex.join([sys.executable, '-c', code])}'''\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path).profile.credentials()
    message = str(err.value)
    assert message == (f"{path}:3: profiles.p.client_secret_command: "
                       f"{sys.executable} exited with status 3")
    assert "leaked" not in message and "leaked" not in repr(err.value.args)


def test_missing_secret_command_is_reported(tmp_path):
    path = write(tmp_path, "[profiles.p]\nclient_id = 'id'\n"
                           "client_secret_command = 'no-such-ctconsole-helper --x'\n")
    with pytest.raises(ConfigError, match="command not found: no-such-ctconsole-helper$"):
        load_settings(path).profile.credentials()


def test_two_secret_sources_are_ambiguous(tmp_path):
    path = write(tmp_path, "[profiles.p]\nclient_secret = 'a'\nclient_secret_env = 'B'\n")
    with pytest.raises(ConfigError, match=r":3: profiles.p.client_secret_env: give only one of"):
        load_settings(path)


def test_secrets_stay_out_of_reprs(tmp_path):
    settings = load_settings(write(tmp_path, TWO_PROFILES))
    settings.profile.credentials()
    assert "main-secret" not in repr(settings)
    assert "main-secret" not in repr(settings.profiles)


# --- errors that name file, line and key -------------------------------------------


def test_bad_value_names_file_line_and_key(tmp_path):
    text = TWO_PROFILES.replace("timeout = 5", 'timeout = "fast"')
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    line = text.splitlines().index('timeout = "fast"') + 1
    assert str(err.value) == f'{path}:{line}: profiles.test.timeout: must be a number (got "fast")'
    assert (err.value.line, err.value.key) == (line, "profiles.test.timeout")


def test_path_under_home_is_shown_with_a_tilde(isolated_dirs):
    path = paths.default_config_file()
    path.parent.mkdir(parents=True)
    write(path.parent, "[profiles.p]\nmax_concurrency = 2.5\n")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert str(err.value) == ("~/.config/ctconsole/config.toml:2: profiles.p.max_concurrency: "
                              "must be a whole number (got 2.5)")


def test_toml_syntax_error_names_file_line_and_key(tmp_path):
    path = write(tmp_path, "[profiles.main]\nclient_id = 'x'\ntimeout = fast\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value).startswith(f"{path}:3: profiles.main.timeout: invalid TOML")


def test_misspelt_key_is_caught_with_a_suggestion(tmp_path):
    path = write(tmp_path, "[profiles.main]\nclient_id = 'x'\nread_onyl = true\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}:3: profiles.main.read_onyl: unknown key (did you mean read_only?)"


def test_misspelt_secret_key_does_not_echo_the_value(tmp_path):
    path = write(tmp_path, "[profiles.main]\nclient_secrt = 'hunter2'\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert "hunter2" not in str(err.value)
    assert ":2: profiles.main.client_secrt: unknown key" in str(err.value)


def test_verify_false_is_refused_and_ca_bundle_is_the_way(tmp_path):
    path = write(tmp_path, "[profiles.main]\nverify = false\n")
    with pytest.raises(ConfigError, match=r":2: profiles.main.verify: .*ca_bundle"):
        load_settings(path)
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    ok = write(tmp_path, f"[profiles.main]\nca_bundle = '{bundle}'\n", name="ok.toml")
    assert load_settings(ok).profile.ca_bundle == bundle
    gone = write(tmp_path, "[profiles.main]\n\nca_bundle = '/no/such/ca.pem'\n", name="gone.toml")
    with pytest.raises(ConfigError, match=r":3: profiles.main.ca_bundle: no such file"):
        load_settings(gone)


@pytest.mark.parametrize("url", ["http://api4coupons.com", "http://10.0.0.5:8080", "ftp://x", "api4coupons.com"])
def test_https_required_off_loopback(tmp_path, url):
    path = write(tmp_path, f"[profiles.main]\nbase_url = '{url}'\n")
    with pytest.raises(ConfigError, match=r":2: profiles.main.base_url: must"):
        load_settings(path)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:9/",
                                 "https://api4coupons.com/"])
def test_loopback_http_and_any_https_are_allowed(tmp_path, url):
    settings = load_settings(write(tmp_path, f"[profiles.main]\nbase_url = '{url}'\n"))
    assert settings.profile.base_url == url.rstrip("/")


def test_https_rule_applies_to_overrides_too(monkeypatch):
    with pytest.raises(ConfigError, match="^--base-url: must use https"):
        load_settings(base_url="http://example.com")
    monkeypatch.setenv("CTCONSOLE_BASE_URL", "http://example.com")
    with pytest.raises(ConfigError, match="^CTCONSOLE_BASE_URL: must use https"):
        load_settings()


# --- [api.paths], [cache], [ui], [keys] --------------------------------------------


def test_api_paths_override_the_catalogue(tmp_path):
    path = write(tmp_path, '[api.paths]\n"auth.check" = "/v4/authentication"\n')
    catalogue = load_settings(path).catalogue
    assert catalogue.get("auth.check").path == "/v4/authentication"
    assert catalogue.get("campaign.list").path == "/v3/coupon/list"


def test_unknown_operation_in_api_paths_is_named(tmp_path):
    path = write(tmp_path, '[api.paths]\n"auth.check" = "/a"\n"sesion.update_many" = "/x"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value).startswith(f'{path}:3: api.paths."sesion.update_many": unknown '
                                     "operation (did you mean session.update_many")


def test_cache_ui_and_keys_sections(tmp_path):
    path = write(tmp_path, "[cache]\nenabled = false\nmax_size_mb = 50\n[cache.max_age]\n"
                           '"category.list" = 10\n[ui]\ntheme = "nord"\n[keys]\n"quit" = "ctrl+q"\n')
    settings = load_settings(path)
    assert (settings.cache.enabled, settings.cache.max_size_mb) == (False, 50)
    assert settings.cache.max_age_for("category.list") == 10
    assert settings.cache.max_age_for("session.info") == 15  # the catalogue's own value
    assert settings.theme == "nord" and settings.keys == {"quit": "ctrl+q"}
    bad = write(tmp_path, '[cache.max_age]\n"category.lst" = 10\n', name="bad.toml")
    with pytest.raises(ConfigError, match=r':2: cache.max_age."category.lst": unknown operation'):
        load_settings(bad)


# --- file permissions ----------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_group_readable_file_with_a_secret_warns(tmp_path):
    path = write(tmp_path, TWO_PROFILES, mode=0o644)
    settings = load_settings(path)
    assert len(settings.warnings) == 1
    assert "readable by others" in settings.warnings[0] and "chmod 600" in settings.warnings[0]
    assert "main-secret" not in settings.warnings[0]
    assert load_settings(write(tmp_path, TWO_PROFILES, mode=0o600)).warnings == ()
    # no secret in the file: nothing to protect
    safe = write(tmp_path, "[profiles.p]\nclient_secret_env = 'X'\n", name="safe.toml", mode=0o644)
    assert load_settings(safe).warnings == ()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_refuse_insecure_config(tmp_path):
    path = write(tmp_path, TWO_PROFILES + "[security]\nrefuse_insecure_config = true\n", mode=0o640)
    with pytest.raises(ConfigError, match="refuse_insecure_config"):
        load_settings(path)


# --- the example file ------------------------------------------------------------------


def test_example_file_loads_and_uses_every_section(monkeypatch):
    settings = load_settings(EXAMPLE, profile="sandbox")
    assert settings.profile.base_url.startswith("http://127.0.0.1")
    main = settings.profiles["main"]
    assert (main.secret_source, main.color, main.max_concurrency) == ("command", "red", 4)
    assert settings.catalogue.get("session.update_many").path == "/v3/couponsession/update/multiple"
    assert settings.cache.max_age_for("category.list") == 86400
    assert settings.theme == "textual-dark" and settings.keys["quit"] == "q,ctrl+q"


def test_cache_max_age_takes_a_whole_group(tmp_path):
    from ctconsole.cache import freshness

    path = write(tmp_path, '[cache.max_age]\n"campaign.*" = 5\n')
    settings = load_settings(path)
    op = settings.catalogue.get("campaign.info")
    assert freshness(op, settings.cache.max_age) == 5
    bad = write(tmp_path, '[cache.max_age]\n"campain.*" = 5\n', name="bad.toml")
    with pytest.raises(ConfigError, match=r':2: cache.max_age."campain.\*": unknown operation'):
        load_settings(bad)
    assert settings.cache.max_age_for("campaign.sessions") == 5


def test_an_unknown_binding_id_is_an_error_naming_the_nearest(tmp_path):
    # A cut-off id, as the help showed it at 80 columns before ids wrapped.
    path = write(tmp_path, '[keys]\n"quit" = "q"\n"campaign.view_validation" = "v"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value).startswith(f'{path}:3: keys."campaign.view_validation": unknown '
                                     "binding id (did you mean campaign.view_validations")
    far = write(tmp_path, '[keys]\n"zzz" = "v"\n', name="far.toml")
    with pytest.raises(ConfigError, match=r"unknown binding id \(the help, \?, lists them\)"):
        load_settings(far)


def test_the_example_config_remaps_only_real_binding_ids():
    from ctconsole.config.binding_ids import BINDING_IDS

    example = Path(__file__).resolve().parents[1] / "config.example.toml"
    import tomllib
    keys = tomllib.loads(example.read_text())["keys"]
    assert keys and set(keys) <= BINDING_IDS


def test_the_demo_takes_the_configs_ui_settings_not_its_connection(tmp_path):
    from ctconsole.commands.context import demo_settings
    from ctconsole.config import load_ui_settings

    path = write(tmp_path, TWO_PROFILES + '[ui]\ntheme = "nord"\nscreen_share = true\n'
                 '[keys]\n"home.campaigns" = "k"\n', mode=0o600)
    demo = demo_settings(read_only=False, offline=False)
    settings = load_ui_settings(demo, path)
    assert settings.theme == "nord" and settings.keys == {"home.campaigns": "k"}
    assert settings.profile.screen_share is True
    assert settings.profile.name == "demo" and settings.profile.base_url == demo.profile.base_url
    assert set(settings.profiles) == {"demo"}
    bad = write(tmp_path, '[keys]\n"home.campaign" = "k"\n', name="bad.toml")
    with pytest.raises(ConfigError, match="did you mean home.campaigns"):
        load_ui_settings(demo, bad)


def test_ui_timezone_must_be_a_known_zone(tmp_path):
    good = write(tmp_path, '[ui]\ntimezone = "Europe/Brussels"\n')
    assert load_settings(good).timezone == "Europe/Brussels"
    bad = write(tmp_path, '[ui]\ntimezone = "Europe/Bruxelles"\n', name="bad.toml")
    with pytest.raises(ConfigError, match=r":2: ui.timezone: unknown time zone"):
        load_settings(bad)
