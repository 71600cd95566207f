"""A worker that dies of an error its code did not handle becomes a
notification; the app keeps running.

Kept out of `ui.app` so that screens can use it without importing the app.
"""

from __future__ import annotations

from textual.app import App
from textual.worker import Worker, WorkerState

from ctconsole.ui.text import plain


class WorkerSafetyNet:
    """Mixin for the app and every screen: a worker that dies of an error its
    code did not handle becomes a notification; the app keeps running.

    `Worker.StateChanged` does not bubble, so each node that starts workers
    needs this handler.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_worker_error(self.app, event.worker)  # type: ignore[attr-defined]


def report_worker_error(app: App, worker: Worker) -> None:
    error = worker.error
    title = getattr(error, "title", None) or "Unexpected error"
    message = getattr(error, "message", None)
    if message is None:
        # Not one of our errors: its type is informative, its text may not be
        # safe or meaningful, so it is sanitised and kept short.
        message = f"{type(error).__name__}: {plain(error)[:200]}"
    app.notify(plain(message), title=plain(title), severity="error", markup=False)
