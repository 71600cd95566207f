"""The config: the TOML file, profiles and secrets, resolved into `Settings`.

* `settings`: `load_settings()`, `load_ui_settings()` (the file's UI settings
  over the demo's), `Settings`, `Profile`;
* `binding_ids`: the ids `[keys]` may remap;
* `schema`: the file's keys as a table of rules (type, default, limits) and
  the strict check of a parsed file against it (no pydantic: every start
  reads the file, and importing pydantic would be much of its start-up);
* `errors`: `ConfigError` and how a problem is located (``file:line: key``);
* `defaults`: default values and environment variable names.
"""

from ctconsole.config.defaults import DEFAULT_BASE_URL, DEFAULT_PROFILE_NAME
from ctconsole.config.errors import ConfigError
from ctconsole.config.settings import (CacheSettings, Profile, Settings, load_settings,
                                       load_ui_settings)

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_PROFILE_NAME", "CacheSettings", "ConfigError", "Profile",
           "Settings", "load_settings", "load_ui_settings"]
