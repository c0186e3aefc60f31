"""Spreadsheet-safe text: the Python rule and the SQL rule agree, and restore undoes both exactly."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telemetry.export.csvsafe import TRIGGERS, neutralize, restore, sql_neutralized

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
