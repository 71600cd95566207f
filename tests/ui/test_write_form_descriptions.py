"""The write form's words: each field's description is the one for this
operation (a password's on update is not the one on create), and a
"required" shown by a refused preview stays until the field is filled."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.ui.writes.form import WriteForm
from ctconsole.writes import Journal

from .test_panes_subaccount import open_sub
from .writes_support import press, text_of

SET_PASSWORD_MAIL = "set-password e-mail"


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(journal=Journal(tmp_path / "journal.jsonl"))


def test_the_catalogue_describes_the_password_per_operation():
    create = CATALOGUE.get("subaccount.create").param("password")
    update = CATALOGUE.get("subaccount.update").param("password")
    assert SET_PASSWORD_MAIL in create.doc
    assert SET_PASSWORD_MAIL not in update.doc and "stays" in update.doc
    assert create.secret and update.secret  # both still redacted everywhere


async def test_the_update_form_does_not_promise_a_set_password_mail(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sub(pilot, "sub_2001")
        await press(pilot, "w")
        form = app.screen
        assert isinstance(form, WriteForm)
        password = form.query_one("#f-password", Input)
        assert SET_PASSWORD_MAIL not in password.placeholder
        form.set_focus(password)
        await press(pilot)
        help_line = text_of(form, "#form-help")
        assert help_line.startswith("password: ") and "stays" in help_line
        assert SET_PASSWORD_MAIL not in help_line


async def test_the_create_form_still_says_what_omitting_it_does(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "N")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert SET_PASSWORD_MAIL in form.query_one("#f-password", Input).placeholder


async def test_a_required_message_stays_until_its_field_is_filled(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "N")  # new subaccount: only the e-mail is required
        form = app.screen
        await press(pilot, "ctrl+o")  # refused: nothing filled in
        assert app.screen is form
        assert text_of(form, "#p-email").startswith("required")
        # Typing in another field does not make the e-mail's message go away...
        form.set_focus(form.query_one("#f-first_name", Input))
        await press(pilot, "N", "o", "r", "a")
        assert text_of(form, "#p-email").startswith("required")
        assert form.query_one("#p-email").has_class("-shown")
        # ...filling in the e-mail does (its own messages take over while typing).
        form.set_focus(form.query_one("#f-email", Input))
        await press(pilot, "n", "@")
        assert not text_of(form, "#p-email").startswith("required")
        await press(pilot, *"x.be")
        assert not form.query_one("#p-email").has_class("-shown")
