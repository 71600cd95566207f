"""The Textual UI. The command line starts it with `ctconsole.ui.app.run_app`."""
