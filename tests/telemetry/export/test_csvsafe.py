"""Spreadsheet-safe text: the Python rule and the SQL rule agree, and restore undoes both exactly."""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telemetry.export.csvsafe import TRIGGERS, neutralize, restore, sql_csv_cell, sql_json_value, sql_neutralized

HOSTILE = [
    "=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1", "\r=1+1", "\n=1+1", "＝1+1", "'already quoted", "'=both",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_dangerous_text_gets_a_leading_apostrophe_and_comes_back(text):
    safe = neutralize(text)
    assert safe == "'" + text
    assert restore(safe) == text


@pytest.mark.parametrize("value", [-0.25, -3, 0, 1e-300, float("-inf"), None, b"=bytes"])
def test_numbers_and_non_text_are_never_touched(value):
    assert neutralize(value) is value


@given(st.text())
def test_restore_inverts_neutralize_and_output_never_starts_with_a_trigger(text):
    safe = neutralize(text)
    assert restore(safe) == text
    assert not safe.startswith(TRIGGERS[:-1]) or safe.startswith("'")
    if safe.startswith("'"):
        assert safe[1:].startswith(TRIGGERS)


@given(st.one_of(st.text(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.none()))
def test_the_sql_expression_matches_the_python_rule(value):
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (v)")
    conn.execute("insert into t values (?)", [value])
    (out,) = conn.execute(f"select {sql_neutralized('v')} from t").fetchone()
    assert out == neutralize(value)
    assert type(out) is type(value)


# -- the export's fast path: SQLite renders each cell, Python joins rows with one "%" format ------------------
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))  # SQLite text is UTF-8: no lone surrogates
_CELLS = st.one_of(_TEXT, st.sampled_from(HOSTILE), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False),
                   st.none())


CSV_LINE, JSON_LINE = "%s,%s\r\n", '{"a":%s,"b":%s}'  # joined as the export joins its cells


def _rendered(expression, values):
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (a, b)")
    conn.execute("insert into t values (?, ?)", values)
    return conn.execute(f"select {expression('a')}, {expression('b')} from t").fetchone()


@pytest.mark.parametrize("text", ["a\x00,b", "x\x00\"", "=\x00,", "a\x00b", "\x00=x", "a\x00\r\nb", ",", '"', ""])
def test_a_nul_character_does_not_hide_what_needs_quoting(text):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralize(text), 1])
    assert CSV_LINE % _rendered(sql_csv_cell, [text, 1]) == buffer.getvalue()


@given(_CELLS, _CELLS)
def test_a_csv_cell_rendered_by_sqlite_is_byte_for_byte_what_csv_writer_writes(first, second):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralize(first), neutralize(second)])
    assert CSV_LINE % _rendered(sql_csv_cell, [first, second]) == buffer.getvalue()


@given(_CELLS, _CELLS)
def test_a_csv_cell_reads_back_as_the_stored_value(first, second):
    line = CSV_LINE % _rendered(sql_csv_cell, [first, second])
    read = next(csv.reader(io.StringIO(line, newline="")))
    for cell, value in zip(read, [first, second], strict=True):
        if value is None or value == "":
            assert cell == ""
        elif isinstance(value, str):
            assert restore(cell) == value
        else:
            assert type(value)(cell) == value  # floats exactly: str(float) is the shortest exact repr


@given(_CELLS, _CELLS)
def test_a_json_value_rendered_by_sqlite_is_the_stored_value(first, second):
    line = JSON_LINE % _rendered(sql_json_value, [first, second])
    read = json.loads(line)
    for value, back in zip([first, second], [read["a"], read["b"]], strict=True):
        if isinstance(value, float) and math.isinf(value):
            assert back is None  # JSON has no infinity
        else:
            assert back == value and type(back) is type(value)


@pytest.mark.parametrize("text", ["a\x00b", "\x00", 'x\x00"y', "\\", "\u2028", "\x7f", "=cmd|' /C calc'!A0"])
def test_text_with_control_characters_becomes_a_json_string_of_the_same_text(text):
    assert json.loads(JSON_LINE % _rendered(sql_json_value, [text, None])) == {"a": text, "b": None}
