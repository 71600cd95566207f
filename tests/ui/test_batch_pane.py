"""The batch pane (`B`): paste, resolve, preview, typed count, apply, pause,
retry the failed, undo, and resume from the journal (`J`, `b`)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from ctconsole.ui.batch.batches import BatchesScreen
from ctconsole.ui.batch.screen import BatchScreen
from ctconsole.ui.screenshots import settle
from ctconsole.writes import Journal
from ctconsole.writes.batch import batch_status
from ctconsole.writes.batch import plan as plan_module

from .writes_support import notifications, press, sent


@pytest.fixture
def sandbox():
    from ctconsole.sandbox import make_sandbox_app

    return make_sandbox_app(big_sessions=50)


def codes(sandbox, campaign="cam_1001", n=3, **flags):
    records = sandbox.state.sessions.records
    found = [c for c in sandbox.state.sessions.order[campaign]
             if all(records[c][k] == v for k, v in flags.items())]
    return found[:n]


FRESH = dict(claimed="1", validated="0", voided="0", locked="0")


def summary(screen) -> str:
    return str(screen.query_one("#batch-summary").render())


async def open_batch(app, pilot, text: str, action: str = "validate") -> BatchScreen:
    await settle(pilot)
    await press(pilot, "B")
    screen = app.screen
    assert isinstance(screen, BatchScreen)
    screen.query_one("#batch-action").value = action
    screen.query_one("#batch-paste", TextArea).text = text
    await press(pilot, "ctrl+r")
    await settle(pilot)
    return screen


async def test_paste_resolve_preview_type_the_count_and_apply(app, sandbox, tmp_path):
    app.journal = Journal(tmp_path / "journal.jsonl")
    todo = codes(sandbox, **FRESH)
    done = codes(sandbox, validated="1", n=1)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, ", ".join([*todo, *done]) + "\nzzzzzz\n")
        assert "5 identifiers" in summary(screen)
        assert "3 found" not in summary(screen) and "4 found" in summary(screen)
        assert screen.grid.cursor_value("status") == "found"
        await press(pilot, "p")
        text = summary(screen)
        assert "Validate 3 sessions — 3 will change, 1 refused, 1 not found" in text
        assert "1 operation: 1 session.update_many · main account" in text
        assert "Type 3" in text
        rows = {r["input"]: r for r in screen.grid.model.view_records()}
        assert rows[todo[0]]["change"] == "validated no → yes"
        assert "already validated" in rows[done[0]]["note"]
        confirm = screen.query_one("#batch-confirm", Input)
        confirm.value = "2"
        await press(pilot, "enter")
        assert sent(sandbox, "session.update_many") == 0
        assert any("Type 3 exactly" in n for n in notifications(app))
        confirm.value = "3"
        await press(pilot, "enter")
        await settle(pilot)
        assert "Applied: 3 ok" in summary(screen)
        assert all(sandbox.session(c)["validated"] == "1" for c in todo)
        results = {r["input"]: r["result"] for r in screen.grid.model.view_records()}
        assert [results[c] for c in todo] == ["ok"] * 3
        (manifest,) = app.journal.batch_manifests()
        assert batch_status(app.journal, manifest["id"]).summary() == "3 applied"
        # undo: the same preview and typed count
        await press(pilot, "u")
        await settle(pilot)
        assert "Undo: Undo on 3 sessions — 3 will change" in summary(screen)
        screen.query_one("#batch-confirm", Input).value = "3"
        await press(pilot, "enter")
        await settle(pilot)
        assert all(sandbox.session(c)["validated"] == "0" for c in todo)


async def test_an_ambiguous_row_is_picked_with_enter(app, sandbox, tmp_path):
    app.journal = Journal(tmp_path / "journal.jsonl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, "daan.vandijk@example.com", "void")
        assert screen.grid.cursor_value("status") == "ambiguous"
        await press(pilot, "enter")
        await press(pilot, "down", "enter")  # the second match
        second = screen.rows[0].matches[1].key
        assert screen.rows[0].target.key == second
        await press(pilot, "p")
        assert "Void 1 session" in summary(screen)


async def test_escape_in_the_pick_skips_the_row_and_the_preview_says_so(app, sandbox, tmp_path):
    app.journal = Journal(tmp_path / "journal.jsonl")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, "daan.vandijk@example.com", "void")
        await press(pilot, "enter")
        await press(pilot, "escape")
        assert screen.rows[0].target is None
        assert "4 matches; skipped" in screen.grid.cursor_value("note")
        await press(pilot, "p")
        assert screen.grid.cursor_value("status") == "skipped"
        assert "1 skipped as picked" in summary(screen)
        await press(pilot, "escape", "enter", "enter")  # back, pick the first after all
        assert screen.rows[0].target.key == screen.rows[0].matches[0].key


async def test_a_failed_operation_is_listed_and_R_retries_it_after_a_fresh_preview(
        app, sandbox, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_module, "CHUNK", 2)
    app.journal = Journal(tmp_path / "journal.jsonl")
    todo = codes(sandbox, voided="0", n=4)
    sandbox.faults.add("api_error", "session.update_many", code=300, message="Try later")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, "\n".join(todo), "void")
        await press(pilot, "p")
        screen.query_one("#batch-confirm", Input).value = "4"
        await press(pilot, "enter")
        await settle(pilot)
        assert "2 ok, 2 failed" in summary(screen) and "R retries the 2 failed" in summary(screen)
        assert sent(sandbox, "session.update_many") == 2
        await press(pilot, "R")
        await settle(pilot)
        assert "Retry: Void 2 sessions" in summary(screen)
        screen.query_one("#batch-confirm", Input).value = "2"
        await press(pilot, "enter")
        await settle(pilot)
        assert all(sandbox.session(c)["voided"] == "1" for c in todo)


async def test_escape_while_applying_pauses_and_a_goes_on(app, sandbox, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_module, "CHUNK", 1)
    app.journal = Journal(tmp_path / "journal.jsonl")
    todo = codes(sandbox, voided="0", n=6)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, "\n".join(todo), "void")
        await press(pilot, "p")
        # four go out at once and are held; Esc comes while they are in flight
        sandbox.faults.add("latency", "session.update", times=None, seconds=1.5)
        screen.query_one("#batch-confirm", Input).value = "6"
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
        assert "Paused" in summary(screen)
        voided = sum(sandbox.session(c)["voided"] == "1" for c in todo)
        assert 1 <= voided < 6  # those in flight finished, no new one started
        sandbox.faults.clear()
        await press(pilot, "a")
        await settle(pilot)
        assert all(sandbox.session(c)["voided"] == "1" for c in todo)


async def test_read_only_refuses_the_batch_pane(make_app):
    app = make_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        assert not isinstance(app.screen, BatchScreen)
        assert any("read-only" in n for n in notifications(app))


async def test_a_batch_cut_short_is_resumed_from_the_journal_pane(app, sandbox, tmp_path):
    from ctconsole.writes import WriteContext
    from ctconsole.writes.batch import Accounts, Resolver, parse_text, plan_batch, resolve, \
        rows_for
    from ctconsole.writes.batch import action_named

    journal = app.journal = Journal(tmp_path / "journal.jsonl")
    todo = codes(sandbox, voided="0", n=3)
    action = action_named("void")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        accounts = Accounts(app.client)
        rows = await resolve(rows_for(parse_text("\n".join(todo)).items),
                             Resolver(accounts, action.target))
        plan = plan_batch(action, rows, action.fields({}))
        # the plan was journaled, then the process died before any write
        from ctconsole.writes.batch.apply import manifest

        journal.record_batch(manifest(plan, WriteContext("demo")))
        await press(pilot, "J", "b")
        assert isinstance(app.screen, BatchesScreen)
        await press(pilot, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BatchScreen)
        assert "Resume (3 not started): Void 3 sessions — 3 will change" in summary(screen)
        screen.query_one("#batch-confirm", Input).value = "3"
        await press(pilot, "enter")
        await settle(pilot)
        assert all(sandbox.session(c)["voided"] == "1" for c in todo)
        assert batch_status(journal, plan.id).summary() == "3 applied"


async def test_the_action_is_picked_again_after_resolving(app, sandbox, tmp_path):
    app.journal = Journal(tmp_path / "journal.jsonl")
    todo = codes(sandbox, voided="0", locked="0", n=2)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_batch(app, pilot, "\n".join(todo), "validate")
        assert screen.query_one("#batch-action").display
        screen.query_one("#batch-action").value = "lock"
        await press(pilot, "p")
        assert "Lock 2 sessions — 2 will change" in summary(screen)
        await press(pilot, "escape")
        screen.query_one("#batch-action").value = "stamps"
        screen.query_one("#batch-fields", Input).value = "stamps=2"
        await press(pilot, "p")
        assert screen.phase == "resolved"
        assert any("acts on loyalty users" in n for n in notifications(app))


async def test_a_csv_file_is_loaded_by_its_column(app, sandbox, tmp_path):
    app.journal = Journal(tmp_path / "journal.jsonl")
    todo = codes(sandbox, voided="0", n=2)
    path = tmp_path / "export.csv"
    path.write_text("Name;Coupon code\n" + "".join(f"x;{c}\n" for c in todo))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "B")
        screen = app.screen
        screen.query_one("#batch-action").value = "void"
        screen.query_one("#batch-path", Input).value = str(path)
        screen.query_one("#batch-column", Input).value = "coupon code"
        await press(pilot, "ctrl+r")
        await settle(pilot)
        assert "2 identifiers" in summary(screen) and "2 found" in summary(screen)
        await press(pilot, "p")
        assert "Void 2 sessions — 2 will change" in summary(screen)
