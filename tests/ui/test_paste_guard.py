"""A bracketed paste reaches the app whole and in order, ESC and all."""

from __future__ import annotations

import pytest

from ctconsole.ui.paste_guard import PasteKeepingParser

START, END = "\x1b[200~", "\x1b[201~"


def tokens(parser, *chunks: str) -> list[tuple[str, str]]:
    out = []
    for chunk in chunks:
        for event in parser.feed(chunk):
            out.append((type(event).__name__, getattr(event, "text", None) or event.key))
    return out


@pytest.mark.parametrize("pasted", ["abc \x1bX def", "ab\u202ecd", "\x1b[31mred\x1b[0m",
                                    "a\x1b]2;PWNED\x07b", "\x1b", "plain"])
def test_a_paste_is_one_event_with_the_text_as_pasted(pasted):
    parser = PasteKeepingParser()
    assert tokens(parser, "x" + START + pasted + END + "y") == [
        ("Key", "x"), ("Paste", pasted), ("Key", "y")]


def test_a_paste_split_over_many_reads_is_still_one_event():
    parser = PasteKeepingParser()
    pasted = "abc \x1bX def \x1b[201 not the end"
    chunks = [START] + list(pasted + END) + ["z"]
    assert tokens(parser, *chunks) == [("Paste", pasted), ("Key", "z")]


def test_keys_and_sequences_outside_a_paste_are_parsed_as_before():
    parser = PasteKeepingParser()
    assert tokens(parser, "a\x1b[Ab") == [("Key", "a"), ("Key", "up"), ("Key", "b")]


def test_the_console_reads_the_terminal_with_it():
    from textual.drivers import linux_driver

    from ctconsole.ui import paste_guard

    original = linux_driver.XTermParser
    try:
        paste_guard.install()
        assert linux_driver.XTermParser is PasteKeepingParser
    finally:
        linux_driver.XTermParser = original


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \x1b[]~0125;\x07\u202e\x9b\n")), st.data())
def test_any_paste_in_any_chunking_comes_out_whole(pasted, data):
    while END in pasted:
        pasted = pasted.replace(END, "")
    stream = START + pasted + END + "z"
    cuts = sorted(data.draw(st.sets(st.integers(len(START), len(stream) - 1), max_size=6)))
    chunks = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])]
    events = tokens(PasteKeepingParser(), *chunks)
    expected = [("Paste", pasted)] if pasted else []
    assert events == [*expected, ("Key", "z")]
