"""The config: the TOML file, profiles and secrets, resolved into `Settings`.

* `settings`: `load_settings()`, `load_ui_settings()` (the file's UI settings
  over the demo's), `Settings`, `Profile` (no pydantic: a start that reads
  no file never loads it);
* `binding_ids`: the ids `[keys]` may remap;
* `schema`: the file's strict pydantic models, imported only to validate a file;
* `errors`: `ConfigError` and how a problem is located (``file:line: key``);
* `defaults`: default values and environment variable names.
"""

from ctconsole.config.defaults import DEFAULT_BASE_URL, DEFAULT_PROFILE_NAME
from ctconsole.config.errors import ConfigError
from ctconsole.config.settings import (CacheSettings, Profile, Settings, load_settings,
                                       load_ui_settings)

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_PROFILE_NAME", "CacheSettings", "ConfigError", "Profile",
           "Settings", "load_settings", "load_ui_settings"]
