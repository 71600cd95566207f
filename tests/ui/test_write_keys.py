"""A pane's write keys are a table: one `WriteKey` row gives the pane a key
(listed in `?` with its id, kept out of the footer) that opens the write form
prefilled from the pane, or says why not when its guard objects."""

from __future__ import annotations

from textual.binding import Binding

from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screenshots import settle
from ctconsole.ui.writes.form import WriteForm
from ctconsole.ui.writes.keys import Prefill, WriteKey

from .writes_support import notifications


def note_of(pane: "NotePane") -> Prefill:
    return Prefill({"couponsession": pane.code, "customid": "x"}, f"Note on {pane.code}")


def code_known(pane: "NotePane") -> str | None:
    return None if pane.code else "No session here."


class NotePane(ResourceScreen):
    BINDINGS = [Binding("j", "noop", "Nothing", id="note.noop")]
    WRITES = (WriteKey("K", "note.custom", "Set a custom ID", "session.update", note_of,
                       guard=code_known),)

    def __init__(self, client, code: str) -> None:
        super().__init__(client, ("Account", "note"))
        self.code = code

    async def fetch(self, client):
        return await client.call("session.info", couponsession=self.code)

    def show(self, result) -> None:
        pass


class QuietNotePane(NotePane):
    """A subclass replaces a row by its id and adds none."""

    WRITES = (WriteKey("K", "note.custom", "Set a custom ID quietly", "session.update",
                       note_of),)


def bindings_of(pane_class) -> list[Binding]:
    return [b for bindings in pane_class._merged_bindings.key_to_bindings.values()
            for b in bindings]


def test_a_row_becomes_a_binding_after_the_panes_own():
    own = [b.id for b in NotePane.__dict__["BINDINGS"]]
    assert own == ["note.noop", "note.custom"]
    found = {b.id: b for b in bindings_of(NotePane)}
    assert found["note.custom"].key == "K" and found["note.custom"].show is False
    assert found["note.custom"].description == "Set a custom ID"
    assert {"back", "refresh"} <= set(found)  # the base class's stay
    quiet = {b.id: b for b in bindings_of(QuietNotePane)}
    assert quiet["note.custom"].description == "Set a custom ID quietly"
    assert QuietNotePane._write_keys["note.custom"].guard is None


def test_the_session_panes_keys_are_its_table():
    assert [w.id for w in SessionScreen.WRITES] == [
        "session.edit", "session.validate", "session.claim", "session.void", "session.lock",
        "session.push", "session.fix"]
    ids = [b.id for b in bindings_of(SessionScreen)]
    assert set(ids) >= {w.id for w in SessionScreen.WRITES}


async def test_the_key_opens_the_prefilled_form_or_says_why_not(app, sandbox):
    code = sandbox.state.sessions.order["cam_1001"][0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(NotePane(app.client, ""))
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        assert not isinstance(app.screen, WriteForm)
        assert "No session here." in notifications(app)

        app.push_screen(NotePane(app.client, code))
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, WriteForm)
        assert form.flow.title == f"Note on {code}"
        assert form.flow.params == {"couponsession": code, "customid": "x"}
        assert form.flow.host is not None and isinstance(form.flow.host, NotePane)


def push_of(pane: "PickPane") -> Prefill:
    return Prefill({"campaign": "cam_1001", "couponsession": pane.code}, "Push or note")


class PickPane(NotePane):
    """A row whose operation the pane decides when the key is pressed (as the
    verdict's fix is whichever write the verdict names)."""

    WRITES = (WriteKey("K", "note.custom", "Write what the pane says",
                       lambda pane: pane.wanted, push_of),)
    wanted = "campaign.push"


async def test_a_row_may_take_its_operation_from_the_pane_when_pressed(app, sandbox):
    code = sandbox.state.sessions.order["cam_1001"][0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = PickPane(app.client, code)
        app.push_screen(pane)
        await settle(pilot)
        await pilot.press("K")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, WriteForm) and form.flow.operation == "campaign.push"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is pane
        pane.wanted = "session.update"
        await pilot.press("K")
        await settle(pilot)
        assert isinstance(app.screen, WriteForm) and app.screen.flow.operation == "session.update"
