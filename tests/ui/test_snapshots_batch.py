"""Snapshot tests of the batch pane at 80x24 and 120x36: a pasted list, the
preview of the whole batch with its typed count, and the batch applied.

Time, the local zone and the batch ID are frozen; the sandbox is seeded.
Update deliberately with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from ctconsole.ui.screenshots import frozen_app, settle
from ctconsole.writes.batch import plan as plan_module

SIZES = [(80, 24), (120, 36)]


def paste_text(sandbox) -> str:
    records = sandbox.state.sessions.records
    order = sandbox.state.sessions.order["cam_1001"]
    fresh = [c for c in order if records[c]["claimed"] == "1" and records[c]["validated"] == "0"
             and records[c]["voided"] == "0"][:4]
    done = [c for c in order if records[c]["validated"] == "1"][:1]
    return (f"{fresh[0]}, {fresh[1]}\nhttps://digicpn.com/p/demo/{fresh[2]}\n{fresh[3]}\n"
            f"{done[0]}\n{fresh[0][:6]}\nnobody@example.org\n")


async def steady(pilot) -> None:
    """Cursors stop blinking: a loaded machine would otherwise take the shot
    on either side of a blink."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    await settle(pilot)


async def _press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def pasted(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    await _press(pilot, "B")
    app.screen.query_one("#batch-paste", TextArea).text = paste_text(app.client.sandbox)
    app.screen.query_one("#batch-reason", Input).value = "INC-7"
    await steady(pilot)


async def previewed(pilot) -> None:
    await pasted(pilot)
    await _press(pilot, "ctrl+r", "p")
    pilot.app.screen.query_one("#batch-confirm", Input).value = "3"
    await steady(pilot)


async def applied(pilot) -> None:
    await previewed(pilot)
    pilot.app.screen.query_one("#batch-confirm", Input).value = "4"
    await _press(pilot, "enter")
    await steady(pilot)


@pytest.fixture(autouse=True)
def fixed_batch_id(monkeypatch):
    monkeypatch.setattr(plan_module, "new_batch_id", lambda: "batch-20261120-120000-5eed0001")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("steps", [pasted, previewed, applied],
                         ids=["pasted", "preview", "applied"])
def test_batch_pane(snap_compare, steps, size, tmp_path):
    app = frozen_app(big_sessions=50)
    from ctconsole.writes import Journal

    app.journal = Journal(tmp_path / "journal.jsonl")
    assert snap_compare(app, terminal_size=size, run_before=steps)
