"""The export file formats, byte for byte, and how the files are written."""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import SecretStr

import ctconsole.ui.export as export
from ctconsole.ui.export import (
    MASK,
    default_path,
    export_path,
    file_stem,
    guard_formula,
    render,
    to_csv,
    to_json,
    with_format,
    write_private,
)

WHEN = datetime(2026, 11, 2, 9, 30, 5, tzinfo=timezone.utc)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("text", ["=1+2", "+32 470 12 34 56", "-5", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"http://evil\",\"click\")", " =after a space",
                                  "\t\t=after tabs", "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20x"])
def test_formula_starts_get_a_leading_quote(text):
    assert guard_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["anna@example.com", "cam_1001", "", "a =not first", "2026-11-02",
                                  "'already"])
def test_other_text_is_left_alone(text):
    assert guard_formula(text) == text


def test_csv_has_a_header_of_keys_and_guards_every_cell():
    records = [
        {"id": "sub_1", "email": "=cmd|' /C calc'!A0", "phone": "+3247", "n": 3},
        {"id": "@sub_2", "email": "anna@example.com", "phone": "", "n": None},
    ]
    rows = read_csv(to_csv(["id", "email", "phone", "n"], records))
    assert rows == [
        ["id", "email", "phone", "n"],
        ["sub_1", "'=cmd|' /C calc'!A0", "'+3247", "3"],
        ["'@sub_2", "anna@example.com", "", ""],
    ]


def test_csv_values_keep_commas_quotes_and_line_breaks_inside_one_cell():
    records = [{"name": 'Café "Le Coin", Gent', "note": "line 1\nline 2"}]
    text = to_csv(["name", "note"], records)
    assert read_csv(text)[1] == ['Café "Le Coin", Gent', "line 1\nline 2"]
    assert text.endswith("\r\n")


def test_csv_dates_are_utc_in_the_apis_format_and_flags_are_words():
    cet = timezone(timedelta(hours=1))
    records = [{"when": WHEN.astimezone(cet), "day": date(2027, 6, 30), "ok": True, "no": False}]
    rows = read_csv(to_csv(["when", "day", "ok", "no"], records))
    assert rows[1] == ["2026-11-02 09:30:05", "2027-06-30", "true", "false"]


def test_json_keeps_types_and_iso_dates_and_is_not_guarded():
    records = [{"id": "sub_1", "email": "=1+2", "n": 3, "ok": False, "when": WHEN,
                "day": date(2027, 6, 30), "gone": None}]
    data = json.loads(to_json(["id", "email", "n", "ok", "when", "day", "gone"], records))
    assert data == [{"id": "sub_1", "email": "=1+2", "n": 3, "ok": False,
                     "when": "2026-11-02T09:30:05+00:00", "day": "2027-06-30", "gone": None}]


def test_json_keeps_column_order():
    text = to_json(["b", "a"], [{"a": 1, "b": 2}])
    assert text.index('"b"') < text.index('"a"')


def test_secrets_are_masked_in_both_formats():
    records = [{"id": "sub_1", "api_secret": SecretStr("s3cr3t-value")}]
    csv_text = render("csv", ["id", "api_secret"], records).decode("utf-8-sig")
    json_text = render("json", ["id", "api_secret"], records).decode()
    assert "s3cr3t-value" not in csv_text and MASK in csv_text
    assert "s3cr3t-value" not in json_text and MASK in json_text


def test_csv_starts_with_a_bom_for_spreadsheets_and_json_does_not():
    assert render("csv", ["a"], [{"a": "é"}]).startswith(b"\xef\xbb\xbf")
    assert render("json", ["a"], [{"a": "é"}]).startswith(b"[")
    with pytest.raises(ValueError):
        render("xml", ["a"], [])  # type: ignore[arg-type]


def test_default_path_is_in_the_exports_folder_with_a_utc_stamp():
    cet = timezone(timedelta(hours=1))
    path = default_path("cam_1003-sessions-all", WHEN.astimezone(cet), "csv")
    assert path == "~/ctconsole-exports/cam_1003-sessions-all-20261102T093005Z.csv"
    assert default_path("x", WHEN, "json").endswith(".json")


def test_pane_names_become_safe_file_names():
    assert file_stem("cam_1003 sessions/../../etc") == "cam_1003-sessions-..-..-etc"
    assert "/" not in file_stem("a/b") and file_stem("///") == "export"


def test_switching_format_switches_only_the_extension():
    assert with_format("~/x/a.csv", "json") == "~/x/a.json"
    assert with_format("~/x/a.json", "csv") == "~/x/a.csv"
    assert with_format("~/x/report.txt", "json") == "~/x/report.txt"


def test_write_private_creates_a_0600_file_in_a_private_folder(tmp_path):
    old = os.umask(0)  # even with a permissive umask
    try:
        target = write_private(tmp_path / "new" / "out.csv", b"data")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_write_private_never_overwrites(tmp_path):
    existing = tmp_path / "out.csv"
    existing.write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        write_private(existing, b"new")
    assert existing.read_bytes() == b"keep me"


def test_write_private_does_not_follow_a_symlink(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    with pytest.raises(OSError):
        write_private(link, b"new")
    assert victim.read_bytes() == b"keep me"


def test_write_private_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    target = write_private("~/ctconsole-exports/a.json", b"[]")
    assert target == tmp_path / "ctconsole-exports" / "a.json"


def test_the_export_module_does_not_import_textual():
    tree = ast.parse(Path(export.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not any(name.split(".")[0] in ("textual", "rich", "httpx") for name in imported)


def test_export_path_always_ends_in_the_formats_extension():
    assert export_path("~/out/q", "csv") == "~/out/q.csv"
    assert export_path("~/out/q.json", "csv") == "~/out/q.csv"
    assert export_path("/tmp/x.CSV", "csv") == "/tmp/x.CSV"  # path-guard: data, not opened
    assert export_path("report", "json") == "~/ctconsole-exports/report.json"
    assert export_path("  ./report  ", "csv") == "./report.csv"


def test_write_private_replaces_only_when_asked_and_stays_private(tmp_path):
    target = tmp_path / "exports" / "out.csv"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o644)
    with pytest.raises(FileExistsError):
        write_private(target, b"new")
    assert target.read_text() == "old"
    write_private(target, b"new", replace=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]  # no scratch file left


HOSTILE = {"id": "sub_1", "name": "\x1b]2;PWNED\x07Anna\x00\x9b2J\u202eevil\x1b[31m",
           "note": "line1\r\nline2\ttab", "formula": "\x1b =1+1"}
ACTIVE = [b"\x1b", b"\x00", b"\x07", b"\r\nline2", "\u202e".encode(), "\u009b".encode()]


def test_csv_export_bytes_hold_no_terminal_control_and_keep_the_text():
    data = render("csv", list(HOSTILE), [HOSTILE])
    body = data.decode("utf-8-sig").split("\r\n", 1)[1]  # CRLF ends CSV records
    assert not any(bad in body.encode() for bad in ACTIVE)
    rows = read_csv(data.decode("utf-8-sig"))
    assert rows[1] == ["sub_1", "]2;PWNEDAnna2Jevil[31m", "line1\nline2\ttab", "' =1+1"]


def test_json_export_bytes_hold_no_terminal_control_and_keep_the_text():
    data = render("json", list(HOSTILE), [HOSTILE])
    assert not any(bad in data for bad in ACTIVE)
    assert b"\\u001b" not in data and b"\\u0000" not in data  # removed, not escaped
    assert json.loads(data) == [{"id": "sub_1", "name": "]2;PWNEDAnna2Jevil[31m",
                                 "note": "line1\nline2\ttab", "formula": " =1+1"}]


from hypothesis import given, settings
from hypothesis import strategies as st

_ACTIVE = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C,
                            0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                            0x2028, 0x2029, 0xFEFF)}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=3))
def test_no_export_ever_holds_a_terminal_control(values):
    columns = [f"c{i}" for i in range(len(values))]
    record = dict(zip(columns, values))
    csv_text = render("csv", columns, [record]).decode("utf-8-sig")
    json_text = render("json", columns, [record]).decode("utf-8")
    # CSV ends records with CRLF; inside cells only tab and line feed may remain.
    assert not _ACTIVE & set(csv_text.replace("\r\n", ""))
    assert not _ACTIVE & set(json_text)
    assert "\\u001b" not in json_text and "\\u0000" not in json_text


def test_a_lone_surrogate_from_the_api_does_not_break_an_export():
    record = {"name": json.loads('"a\\ud800b"')}
    assert json.loads(render("json", ["name"], [record])) == [{"name": "ab"}]
    assert read_csv(render("csv", ["name"], [record]).decode("utf-8-sig"))[1] == ["ab"]
