"""The export's column-at-a-time rendering equals the cell-by-cell reference, and every value reads back exactly."""

from __future__ import annotations

import csv
import io
import json
import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telemetry.export.cells import ChunkWriter, csv_cell, json_cell
from telemetry.export.csvsafe import restore

HOSTILE = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(1)", "\t=1", "＝1", "'quoted", "a,b", 'say "hi"', "two\r\nlines",
           "\x00=x", "a\x1f=b", "\x1f", "", "Infinity", "null", "[1,2]", "\\", "[null", "x[Infinity", "-Infinity"]
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))  # SQLite text is UTF-8: no lone surrogates
_FLOATS = st.floats(allow_nan=False) | st.sampled_from([0.1, -0.0, 5e-324, 1e16, 1e-7, 1.7976931348623157e308])
_NUMBERS = st.one_of(st.integers(-(2**63), 2**63 - 1), _FLOATS, st.none())
_ANY = st.one_of(_NUMBERS, _TEXT, st.sampled_from(HOSTILE), st.binary(max_size=4))
KINDS = ("integer", "real", "text")


def _reference(writer: ChunkWriter, rows: list[tuple[object, ...]]) -> str:
    return "".join(writer.line % tuple(map(writer.cell, row)) for row in rows)


@st.composite
def _tables(draw: st.DrawFn, usual_only: bool) -> tuple[list[str], list[tuple[object, ...]]]:
    """Column kinds and rows: each column mostly holds its kind, sometimes (unless usual_only) anything at all."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    usual = {"integer": st.integers(-(2**63), 2**63 - 1) | st.none(), "real": _FLOATS | st.none(),
             "text": _TEXT | st.sampled_from(HOSTILE) | st.none()}
    columns = [usual[kind] if usual_only else usual[kind] | _ANY for kind in kinds]
    rows = draw(st.lists(st.tuples(*columns), min_size=1, max_size=30))
    return kinds, rows


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
@given(table=_tables(usual_only=False) | _tables(usual_only=True))
def test_a_chunk_is_rendered_exactly_as_cell_by_cell(fmt, table):
    kinds, rows = table
    writer = ChunkWriter(fmt, [f"c{i}" for i in range(len(kinds))], kinds)
    assert writer.text(rows) == _reference(writer, rows)


def _never(value: object) -> str:
    raise AssertionError(f"{value!r} was rendered cell by cell")


def test_plain_columns_take_the_fast_path_with_shortest_exact_numbers():
    rows = [(1, 0.1, "deg"), (2**40, 1 / 3, "mm"), (-3, float("inf"), None), (None, float("-inf"), "deg"),
            (7, 1e16, "deg"), (8, None, "x y")]
    writer = ChunkWriter("csv", ["a", "b", "c"], ["integer", "real", "text"])
    writer.cell = _never  # no cell goes the cell-by-cell way
    assert writer.text(rows) == ("1,0.1,deg\r\n1099511627776,0.3333333333333333,mm\r\n-3,inf,\r\n,-inf,deg\r\n"
                                 "7,1e+16,deg\r\n8,,x y\r\n")
    ndjson = ChunkWriter("ndjson", ["a", "b%", "c"], ["integer", "real", "text"])
    fast = ChunkWriter("ndjson", ["a", "b%", "c"], ["integer", "real", "text"])
    fast.cell = _never
    assert fast.text(rows[:2]) == ndjson.text(rows[:2]) == '{"a":1,"b%":0.1,"c":"deg"}\n' \
        '{"a":1099511627776,"b%":0.3333333333333333,"c":"mm"}\n'
    first, third = ndjson.text(rows).splitlines()[0:3:2]
    assert json.loads(first) == {"a": 1, "b%": 0.1, "c": "deg"}
    assert json.loads(third) == {"a": -3, "b%": None, "c": None}  # JSON has no infinity


@pytest.mark.parametrize("value", ["=1+1", "a,b", 'q"', "x\ny", "'x", "ok"])
def test_text_needing_a_guard_or_quotes_in_a_chunk_of_plain_text_is_still_guarded(value):
    rows = [("deg",)] * 5 + [(value,)] + [("mm",)] * 5
    text = ChunkWriter("csv", ["unit"], ["text"]).text(rows)
    read = [restore(row[0]) for row in csv.reader(io.StringIO(text, newline=""))]
    assert read == [row[0] for row in rows]
    if value[0] in "='":
        assert text.splitlines()[5] == "'" + value


@given(st.lists(st.tuples(_ANY, _ANY), min_size=1, max_size=20))
def test_every_value_reads_back_from_csv_and_ndjson(rows):
    csv_text = ChunkWriter("csv", ["a", "b"], ["real", "text"]).text(rows)
    read = list(csv.reader(io.StringIO(csv_text, newline="")))
    ndjson = ChunkWriter("ndjson", ["a", "b"], ["real", "text"]).text(rows)
    json_rows = [json.loads(line) for line in ndjson.split("\n")[:-1]]  # not splitlines: text may hold \x85
    for row, cells, obj in zip(rows, read, json_rows, strict=True):
        for value, cell, back in zip(row, cells, (obj["a"], obj["b"]), strict=True):
            if value is None or value == "":
                assert cell == ""
            elif isinstance(value, str):
                assert restore(cell) == value and back == value
            elif isinstance(value, bytes):
                assert cell == back == value.hex().upper()
            elif isinstance(value, float):
                assert struct.pack("<d", float(cell)) == struct.pack("<d", value)  # bit for bit
                assert back is None if math.isinf(value) else struct.pack("<d", back) == struct.pack("<d", value)
            else:
                assert int(cell) == back == value
            if value is None:
                assert back is None


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_non_finite_floats_are_the_same_whichever_way_they_go(fmt):
    nan, inf = float("nan"), float("inf")
    for rows in ([(nan, "deg"), (inf, "mm"), (-inf, None)], [(nan, "a,b"), (inf, "=x"), (-inf, 3)]):
        writer = ChunkWriter(fmt, ["x", "unit"], ["real", "text"])
        assert writer.text(rows) == _reference(writer, rows)
    assert ChunkWriter("csv", ["x"], ["real"]).text([(nan,), (inf,), (-inf,)]) == "NaN\r\ninf\r\n-inf\r\n"


def test_no_rows_no_text():
    assert ChunkWriter("csv", ["a"], ["text"]).text([]) == ChunkWriter("ndjson", ["a"], ["real"]).text([]) == ""


def test_cell_references():
    assert [csv_cell(v) for v in (None, 1, 0.1, float("-inf"), b"\x01\xff", "=x", "a,b")] == \
        ["", "1", "0.1", "-inf", "01FF", "'=x", '"a,b"']
    assert [json_cell(v) for v in (None, 1, 0.1, float("inf"), b"\x01", 'a"\n')] == \
        ["null", "1", "0.1", "null", '"01"', '"a\\"\\n"']
