"""ctconsole: a terminal console for the Coupontools REST API."""

__version__ = "0.1.0"
