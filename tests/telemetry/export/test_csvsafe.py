"""Spreadsheet-safe text: neutralized and quoted as csv.writer quotes, and restore undoes it exactly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telemetry.export.csvsafe import TRIGGERS, csv_text, neutralize, restore

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


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))  # SQLite text is UTF-8: no lone surrogates


@pytest.mark.parametrize("text", ["a\x00,b", "x\x00\"", "=\x00,", "a\x00b", "\x00=x", "a\x00\r\nb", ",", '"', "",
                                  *HOSTILE])
def test_a_text_cell_is_what_csv_writer_writes_for_the_neutralized_text(text):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralize(text), 1])
    assert csv_text(text) + ",1\r\n" == buffer.getvalue()


@given(_TEXT | st.sampled_from(HOSTILE), _TEXT | st.sampled_from(HOSTILE))
def test_text_cells_read_back_as_the_stored_text(first, second):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralize(first), neutralize(second)])
    line = f"{csv_text(first)},{csv_text(second)}\r\n"
    assert line == buffer.getvalue()
    read = next(csv.reader(io.StringIO(line, newline="")))
    assert [restore(cell) for cell in read] == [first, second]
