"""Escape typed just before another key is two keys, in one read or two
(over SSH the two often arrive together); sequences and pastes are not cut."""

from __future__ import annotations

import pytest
from textual._xterm_parser import XTermParser

from ctconsole.ui.escape_keys import EscapeFirstParser


def keys(parser, *chunks: str) -> list[str]:
    out = []
    for chunk in [*chunks, ""]:
        out += [getattr(t, "key", type(t).__name__) for t in parser.feed(chunk)]
    return out


@pytest.mark.parametrize("chunks", [("\x1bc",), ("\x1b", "c")], ids=["one read", "two reads"])
@pytest.mark.parametrize(("after", "key"), [("c", "c"), ("2", "2"), ("/", "slash"),
                                            ("\r", "enter"), ("J", "J"), ("q", "q")])
def test_escape_then_a_key_is_escape_and_the_key(chunks, after, key):
    chunks = tuple(chunk.replace("c", after) for chunk in chunks)
    assert keys(EscapeFirstParser(), *chunks) == ["escape", key]
    # Textual's own parser reads most of these as one other key (alt+c, ™, …).
    assert keys(XTermParser(), "".join(chunks)) != ["escape", key]


@pytest.mark.parametrize(("chunks", "expected"), [
    (("\x1b[A",), ["up"]),
    (("\x1b", "[A"), ["up"]),  # an arrow split across two reads
    (("\x1bOP",), ["f1"]),
    (("\x1b\x1b",), ["escape", "escape"]),
    (("\x1b",), ["escape"]),
    (("abc\x1bq\x1b[B",), ["a", "b", "c", "escape", "q", "down"]),
    (("\x1bc\x1bd",), ["escape", "c", "escape", "d"]),
])
def test_sequences_still_parse(chunks, expected):
    assert keys(EscapeFirstParser(), *chunks) == expected


def test_a_paste_holding_esc_is_not_cut():
    pasted = "abc \x1bX def"
    assert keys(EscapeFirstParser(), f"\x1b[200~{pasted}\x1b[201~", "\x1bc") == \
        ["Paste", "escape", "c"]


def test_the_console_reads_the_terminal_with_it(monkeypatch):
    from textual.drivers import linux_driver

    from ctconsole.ui import escape_keys

    monkeypatch.setattr(linux_driver, "XTermParser", XTermParser)
    escape_keys.install()
    assert linux_driver.XTermParser is EscapeFirstParser
