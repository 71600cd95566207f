"""Defaults and environment variable names of the config, shared by the
reader (`settings`) and the file schema (`schema`)."""

DEFAULT_BASE_URL = "https://api4coupons.com"
DEFAULT_PROFILE_NAME = "default"
SECRET_COMMAND_TIMEOUT = 30.0

ENV_PROFILE = "CTCONSOLE_PROFILE"
ENV_BASE_URL = "CTCONSOLE_BASE_URL"
ENV_CLIENT_ID = "CTCONSOLE_CLIENT_ID"
ENV_CLIENT_SECRET = "CTCONSOLE_CLIENT_SECRET"
