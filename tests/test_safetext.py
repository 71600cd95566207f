"""The text-safety rule and its modes, as a person or a program receives them."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctconsole import safetext

HOSTILE = "Anna\x1b]2;PWNED\x07 \x1b[31mred\x1b[0m\x00\x9b2J ab\u202ecd\u200b\u2028x\r\ny\ttab"


def terminal_active(text: str) -> list[str]:
    """Characters a terminal or a bidi-aware reader would act on (spelled out
    here independently of the module: C0 but tab/newline, DEL, C1, bidi and
    zero-width controls, separators)."""
    bad = set(range(0x00, 0x20)) - {0x09, 0x0A} | set(range(0x7F, 0xA0))
    bad |= {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x061C, 0xFEFF}
    bad |= set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
    return [ch for ch in text if ord(ch) in bad]


def test_display_shows_every_control_as_a_stand_in():
    shown = safetext.display(HOSTILE)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown.startswith("Anna␛]2;PWNED␇ ␛[31mred␛[0m␀\\x9b2J ab\\u202ecd\\u200b\\u2028x␍␊y␉tab")


def test_display_returns_ordinary_text_as_the_same_object():
    text = "Zoë 北京 🎉 café\u00a0ok"
    assert safetext.display(text) is text


def test_clipboard_is_the_shown_text_minus_controls():
    assert safetext.clipboard(HOSTILE) == "Anna]2;PWNED [31mred[0m2J abcdx\ny\ttab"
    assert safetext.export("a\rb\r\nc") == "a\nb\nc"


@given(st.text())
def test_clipboard_and_export_never_hold_an_active_character(text):
    assert terminal_active(safetext.clipboard(text)) == []
    assert terminal_active(safetext.spreadsheet_cell(text)) == []


@given(st.text())
def test_display_never_holds_an_active_character_and_keeps_printable_text(text):
    shown = safetext.display(text)
    assert terminal_active(shown) == [] and "\t" not in shown and "\n" not in shown
    if text.isprintable():
        assert shown == text


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", " =HYPERLINK(\"x\")",
                                  "\t=1", "\r=1", "  \t@x", "\uff1d1+1", "\uff0b1", "\uff0d1",
                                  "\uff20x", "\u3000=1", "\u00a0+1"])
def test_formula_starts_are_guarded(cell):
    assert safetext.guard_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["anna@example.com", "1-2", "", "  ", "a=b", "'=already"])
def test_ordinary_cells_are_not_guarded(cell):
    assert safetext.guard_formula(cell) == cell


def test_spreadsheet_cell_strips_before_it_guards():
    # An ESC in front of "=" must not hide the formula from the guard.
    assert safetext.spreadsheet_cell("\x1b=cmd()") == "'=cmd()"


def test_one_line_collapses_whitespace_removes_controls_and_shortens():
    assert safetext.one_line("bad\x1b[2J\n  value\u202e here") == "bad[2J value here"
    assert safetext.one_line("x" * 50, 10) == "x" * 9 + "…"


def test_escape_json_keeps_the_data_and_makes_it_inert():
    data = {"name": "a\x1b]52;c;AAAA\x07\u009b\u202e\U000e0041b", "n": 1}
    document = safetext.escape_json(json.dumps(data, ensure_ascii=False, indent=2))
    assert json.loads(document) == data
    assert terminal_active(document.replace("\n", "")) == []
    assert "\\u202e" in document and "\\udb40\\udc41" in document


def test_clean_input_removes_in_place_and_says_what():
    cleaned = safetext.clean_input("abc \x1bX def")
    assert cleaned.text == "abc  def"
    assert cleaned.note == "removed from the paste: escape sequence ␛X"
    cleaned = safetext.clean_input("ab\u202ecd")
    assert cleaned.text == "abcd"
    assert cleaned.note == "removed from the paste: U+202E RIGHT-TO-LEFT OVERRIDE"


def test_clean_input_takes_whole_escape_sequences_and_counts_repeats():
    cleaned = safetext.clean_input("\x1b[1mABCDEF\x1b[0m\x00\x00\tend\nnext")
    assert cleaned.text == "ABCDEF end next"
    assert cleaned.note == ("removed from the paste: escape sequence ␛[1m, escape sequence ␛[0m, "
                            "2 × NUL")


@given(st.text(alphabet=st.sampled_from("ab1 \x1b\x07[]\u202e\x9b;m\x00é")))
def test_clean_input_never_reorders(text):
    cleaned = safetext.clean_input(text)
    # What is kept is a subsequence of the input (tabs/line breaks as spaces).
    rest = iter(text)
    assert all(any(ch == orig for orig in rest) for ch in cleaned.text)
    assert terminal_active(cleaned.text) == []
    assert cleaned.changed == (cleaned.text != text)


@pytest.mark.parametrize("chars,text,reason", [
    ("line", "a\tb", "must be one line of text without control characters (found TAB)"),
    ("line", "a\nb", "must be one line of text without control characters (found LF)"),
    ("line", "x\x1b", "must be one line of text without control characters (found ESC)"),
    ("lines", "a\u202eb", "must be text without control characters (line breaks allowed) "
                          "(found U+202E RIGHT-TO-LEFT OVERRIDE)"),
    ("token", "AB 12", "must be letters, digits and . _ - : / only, no spaces (found ' ')"),
])
def test_check_names_the_offending_character(chars, text, reason):
    assert safetext.check(text, chars) == reason


@pytest.mark.parametrize("chars,text", [("line", "Zoë Müller-Łukasz 北京"), ("lines", "a\nb"),
                                        ("token", "ORD-2024/17:a_b.c"), ("secret", "p@ss w0rd!")])
def test_check_accepts_ordinary_text(chars, text):
    assert safetext.check(text, chars) is None


def test_safetext_does_not_import_textual_or_httpx():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import ctconsole.safetext, sys; "
                          "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                          "('textual', 'httpx', 'rich')))"], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_a_journal_line_holds_customer_text_inert_and_reads_back_the_same(tmp_path):
    from ctconsole.writes.journal import Journal

    journal = Journal(tmp_path / "journal.jsonl")
    note = "before: ord-\x1b[31m7\x9b2J ab\u202ecd\u2028x"
    journal.record_batch({"id": "b1", "note": note})
    data = (tmp_path / "journal.jsonl").read_bytes()
    for bad in ("\x1b", "\x9b", "\u202e", "\u2028"):
        assert bad.encode() not in data
    assert [m["note"] for m in journal.batch_manifests("b1")] == [note]


def test_a_long_escape_sequence_is_named_shortly():
    cleaned = safetext.clean_input("a\x1b]52;c;" + "QUFB" * 500 + "\x07b")
    assert cleaned.text == "ab"
    assert cleaned.note == "removed from the paste: escape sequence ␛]52;c;QUFBQUFBQUFBQUFB…"


def test_what_was_removed_is_named_in_the_order_it_stood():
    cleaned = safetext.clean_input("a\u202eb\x1b[31mc\x00")
    assert cleaned.text == "abc"
    assert cleaned.removed == ("U+202E RIGHT-TO-LEFT OVERRIDE", "escape sequence ␛[31m", "NUL")
