"""What a merchant sends support, turned into a batch's identifiers."""

from __future__ import annotations

import pytest

from ctconsole.writes.batch import InputError, parse_csv, parse_text, read_file

CODE = "AbCdEf1234567890abcde"


def kinds(parsed):
    return [(i.kind, i.value) for i in parsed.items]


def test_a_messy_paste_with_every_separator_reads_each_identifier_once():
    text = (f"{CODE}, {CODE}\n"
            f"https://digicpn.com/p/xmas/{CODE}\n"
            "\n   \n"
            "anna@example.com;  +32 470 12 34 56\tlus_30010 | BF26-XYZ\r\n"
            "abc123 def456 ghi789\n"
            '"Anna Peeters <ANNA@example.com>"\n')
    parsed = parse_text(text)
    assert kinds(parsed) == [
        ("session_code", CODE), ("email", "anna@example.com"), ("phone", "+32470123456"),
        ("loyalty_user", "lus_30010"), ("custom_code", "BF26-XYZ"), ("short_code", "abc123"),
        ("short_code", "def456"), ("short_code", "ghi789")]
    # the same code twice, once more as a link; the same address in other case
    assert parsed.duplicates == 3
    assert parsed.blanks == 2
    assert parsed.summary() == "8 identifiers, 3 duplicates dropped, 2 blanks dropped"


def test_terminal_escapes_and_invisible_characters_are_stripped_as_find_does():
    parsed = parse_text(f"\x1b[31m{CODE}\x1b[0m\n\u200babc123\u200b\n")
    assert kinds(parsed) == [("session_code", CODE), ("short_code", "abc123")]


def test_a_phone_number_with_spaces_stays_one_identifier():
    assert kinds(parse_text("+32 470 12 34 56\n0470 12 34 57")) == [
        ("phone", "+32470123456"), ("phone", "0470123457")]


def test_a_csv_column_is_picked_by_name_whatever_the_delimiter_and_case():
    text = f"Name;Coupon Code;Amount\nAnna;{CODE};5\nBen;abc123;7\nCara;;1\n"
    parsed = parse_csv(text, "coupon code")
    assert kinds(parsed) == [("session_code", CODE), ("short_code", "abc123")]
    assert parsed.column == "Coupon Code"
    assert parsed.blanks == 1


def test_an_unknown_csv_column_names_the_columns_there_are():
    with pytest.raises(InputError) as err:
        parse_csv("email,code\na@b.be,abc123\n", "session")
    assert "no column 'session'" in str(err.value)
    assert "'email', 'code'" in str(err.value)


def test_more_than_the_limit_is_refused_not_cut_short():
    text = "\n".join(f"user{i}@example.com" for i in range(11))
    with pytest.raises(InputError, match="more than 10 identifiers"):
        parse_text(text, limit=10)
    assert len(parse_text(text, limit=11).items) == 11


def test_ten_thousand_identifiers_are_taken(tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text("\n".join(f"C{i:05d}" for i in range(10_000)) + "\n")
    parsed = read_file(path)
    assert len(parsed.items) == 10_000
    assert parsed.blanks == 0


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_file(tmp_path / "nope.txt")
