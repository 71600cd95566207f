"""Where ctconsole keeps its files on this machine.

The locations come from platformdirs (XDG on Linux, ~/Library on macOS,
%APPDATA% on Windows) and are computed on every call, never at import time, so
a changed `XDG_*` variable (tests set them) is honoured.

Nothing here creates a directory as a side effect of *asking* where it is:
the `ensure_*` helpers create on demand, private to the user (mode 0700),
because the cache and the journal hold customer data and the config holds
credentials.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping


APP_NAME = "ctconsole"
CONFIG_FILENAME = "config.toml"
#: Environment variable naming a config file to use instead of the default.
CONFIG_ENV = "CTCONSOLE_CONFIG"

_PRIVATE_DIR = 0o700


def config_dir() -> Path:
    """Directory of the config file (``$XDG_CONFIG_HOME/ctconsole`` on Linux)."""
    return _platformdirs().user_config_path(APP_NAME, appauthor=False)


def default_config_file() -> Path:
    """The config file used when neither ``--config`` nor ``CTCONSOLE_CONFIG`` is given."""
    return config_dir() / CONFIG_FILENAME


def config_file(explicit: str | os.PathLike[str] | None = None,
                env: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The config file to read and whether it was asked for explicitly:
    `explicit` (``--config``), else ``CTCONSOLE_CONFIG`` from `env` (default
    ``os.environ``), else the platform default. ``~`` is expanded; the file
    need not exist (a missing explicit file is the caller's error to report)."""
    if explicit:
        return Path(explicit).expanduser(), True
    named = (os.environ if env is None else env).get(CONFIG_ENV)
    if named:
        return Path(named).expanduser(), True
    return default_config_file(), False


def cache_dir() -> Path:
    """Directory of the response cache (``$XDG_CACHE_HOME/ctconsole``)."""
    return _platformdirs().user_cache_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Directory of durable data such as the write journal (``$XDG_DATA_HOME/ctconsole``)."""
    return _platformdirs().user_data_path(APP_NAME, appauthor=False)


def state_dir() -> Path:
    """Directory of UI state worth keeping between runs (``$XDG_STATE_HOME/ctconsole``)."""
    return _platformdirs().user_state_path(APP_NAME, appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) if missing; the leaf is made mode 0700.

    An existing directory's mode is tightened only when we created it: a
    directory the user made and chose permissions for is left alone.
    """
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=_PRIVATE_DIR)
        # mkdir's mode is filtered by the umask; set it exactly.
        os.chmod(path, _PRIVATE_DIR)
    return path


def ensure_cache_dir() -> Path:
    """`cache_dir()`, created on first use with mode 0700."""
    return ensure_private_dir(cache_dir())


def ensure_data_dir() -> Path:
    """`data_dir()`, created on first use with mode 0700."""
    return ensure_private_dir(data_dir())


def ensure_state_dir() -> Path:
    """`state_dir()`, created on first use with mode 0700."""
    return ensure_private_dir(state_dir())


def _platformdirs():  # noqa: ANN202 - the module
    """platformdirs, imported on first use: `--demo` and `ctconsole ops`
    never ask for a path, and the import is start-up time they do not need."""
    # Lazy for start-up: platformdirs loads only when a directory is asked for.
    import platformdirs

    return platformdirs
