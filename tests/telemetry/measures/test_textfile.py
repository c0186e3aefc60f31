"""Delimited text reader: formats found in the wild, column matching, every error, and arbitrary bytes."""

from __future__ import annotations

import codecs

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telemetry.measures.errors import MeasureError
from telemetry.measures.textfile import TextFileError, TextTable, match_column, parse_table, read_table, strip_unit

BDS_LIKE = (
    b"Time[s]\tFx[N]\tCOPx[cm]\tCOPy[cm]\r\n"
    b"0.010\t-1.633567\t-7.988789\t0.998673\r\n"
    b"0.020\t-1.631645\t-7.987508\t0.997654\r\n"
    b"0.030\t-1.628593\t-7.984805\t0.997333\r\n"
)


def test_bds_style_tab_separated_crlf_with_units():
    table = parse_table(BDS_LIKE, "BDS.txt")
    assert table.columns == ("Time[s]", "Fx[N]", "COPx[cm]", "COPy[cm]")
    assert table.n_rows == 3
    np.testing.assert_array_equal(table.column("COPy"), [0.998673, 0.997654, 0.997333])
    np.testing.assert_array_equal(table.column("time"), [0.01, 0.02, 0.03])


@pytest.mark.parametrize(
    "text",
    [
        "t,ml,ap\n0,1.5,2\n1,2.5,3\n",  # comma
        "t;ml;ap\n0;1.5;2\n1;2.5;3\n",  # semicolon
        "t  ml   ap\n 0 1.5  2\n1\t2.5 3\n",  # runs of whitespace
        '"t","ml","ap"\n"0","1.5","2"\n1,2.5,3\n',  # quoted
        "t,ml,ap\r1\r\n".replace("1\r\n", "0,1.5,2\r1,2.5,3\r"),  # old Mac CR line ends
        "\n\nt,ml,ap\n\n0,1.5,2\n   \n1,2.5,3\n\n",  # blank lines
        "t,ml,ap,\n0,1.5,2,\n1,2.5,3,\n",  # trailing delimiter
        "\ufefft,ml,ap\n0,1.5,2\n1,2.5,3",  # BOM, no final newline
    ],
)
def test_common_layouts_give_the_same_table(text):
    table = parse_table(text.encode("utf-8"), "x.csv")
    assert table.columns == ("t", "ml", "ap")
    np.testing.assert_array_equal(table.column("ml"), [1.5, 2.5])
    np.testing.assert_array_equal(table.column("ap"), [2.0, 3.0])


def test_utf16_with_bom_and_latin1_units_are_read():
    utf16 = codecs.BOM_UTF16_LE + "t\tml[°]\n0\t1\n".encode("utf-16-le")
    assert parse_table(utf16).columns == ("t", "ml[°]")
    latin1 = "t\troll[°]\n0\t1\n".encode("latin-1")  # not valid UTF-8
    table = parse_table(latin1)
    assert table.columns == ("t", "roll[°]")
    assert table.column("ROLL").tolist() == [1.0]


def test_text_given_as_str_may_start_with_a_bom():
    assert parse_table("\ufeffa\tb\n1\t2\n").columns == ("a", "b")


def test_cells_are_stripped_whenever_the_file_has_other_whitespace():
    table = parse_table("a,b\n1,2\n\u00a03 ,4\n".encode())  # a no-break space in one cell
    assert [cells[1] for cells in table.cells_by_column] == ["3", "4"]
    assert table.column("a").tolist() == [1.0, 3.0]


def test_line_numbers_count_every_line_of_the_file():
    table = parse_table(b"\na,b\n1,2\n\n3,4\n")
    assert table.line_numbers == (3, 5)


# --- column matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "index"),
    [("COPy[cm]", 3), ("COPy", 3), ("copy", 3), ("COPY[CM]", 3), ("  COPx ", 2), ("time", 0), ("Fx", 1)],
)
def test_columns_match_exactly_or_without_case_or_unit(name, index):
    assert match_column(("Time[s]", "Fx[N]", "COPx[cm]", "COPy[cm]"), name) == index


def test_exact_name_wins_over_a_looser_match():
    assert match_column(("x", "X", "x[mm]"), "X") == 1
    assert match_column(("x[cm]", "x"), "x") == 1


def test_ambiguous_column_names_are_refused():
    with pytest.raises(TextFileError, match=r"f\.txt: column name 'x' is ambiguous; it matches 'X\[cm\]', 'x\[mm\]'"):
        match_column(("X[cm]", "x[mm]"), "x", "f.txt")


def test_missing_column_lists_the_available_ones():
    with pytest.raises(TextFileError) as info:
        parse_table(BDS_LIKE, "BDS.txt").column("COPz")
    assert info.value.message == (
        "BDS.txt: no column 'COPz'; the columns are 'Time[s]', 'Fx[N]', 'COPx[cm]', 'COPy[cm]'"
    )
    assert info.value.remedy


def test_strip_unit():
    assert strip_unit("COPy[cm]") == "COPy"
    assert strip_unit("COPy [cm] ") == "COPy"
    assert strip_unit("a[b]c") == "a[b]c"  # only a trailing unit


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n   \n", "\ufeff".encode()])
def test_empty_file(data):
    with pytest.raises(TextFileError, match="^e.txt: is empty"):
        parse_table(data, "e.txt")


def test_header_without_rows():
    with pytest.raises(TextFileError, match="has a header but no data rows"):
        parse_table(b"t,ml,ap\r\n", "h.txt")


def test_non_numeric_cell_names_its_line_row_and_column():
    table = parse_table(b"t,ml,ap\n0,1,2\n\n1,abc,3\n2,4,5\n", "n.csv")
    np.testing.assert_array_equal(table.column("ap"), [2.0, 3.0, 5.0])  # other columns still read
    with pytest.raises(TextFileError) as info:
        table.column("ml")
    assert info.value.message == "n.csv: line 4 (data row 2), column 'ml': 'abc' is not a number"
    assert "decimals must use a point" in info.value.remedy


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e999"])
def test_non_finite_cell_is_refused(cell):
    table = parse_table(f"t,ml\n0,1\n1,{cell}\n".encode())
    with pytest.raises(TextFileError, match=rf"line 3 \(data row 2\), column 'ml': '{cell}' is not a finite number"):
        table.column("ml")


def test_empty_cell_and_decimal_comma_are_not_numbers():
    with pytest.raises(TextFileError, match="line 2 .* '' is not a number"):
        parse_table(b"a\tb\n\t1\n").column("a")
    with pytest.raises(TextFileError, match="'1,5' is not a number"):
        parse_table(b"a\tb\n1,5\t1\n").column("a")


def test_row_with_the_wrong_number_of_cells():
    with pytest.raises(TextFileError, match="^r.csv: line 3 has 2 cells but the header names 3 columns"):
        parse_table(b"a,b,c\n1,2,3\n1,2\n", "r.csv")


def test_header_column_without_a_name():
    with pytest.raises(TextFileError, match="line 1: header column 2 has no name"):
        parse_table(b"a,,c\n1,2,3\n")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # an image
        b"t,ml\n0,1\n\x00\x01\x02",  # NUL bytes
        b"t,ml\n0,1\x07\n",  # a control character in otherwise text
        "t\tml\n".encode("utf-16-le"),  # UTF-16 without a BOM
    ],
)
def test_binary_garbage_is_refused_as_not_text(data):
    with pytest.raises(TextFileError, match="^g.bin: is not a text table"):
        parse_table(data, "g.bin")


def test_unreadable_paths_are_typed_errors(tmp_path):
    with pytest.raises(TextFileError, match="missing.txt: cannot be read"):
        read_table(tmp_path / "missing.txt")
    with pytest.raises(TextFileError, match="cannot be read"):
        read_table(tmp_path)  # a directory


def test_read_table_reads_a_real_file(tmp_path):
    path = tmp_path / "trial.txt"
    path.write_bytes(BDS_LIKE)
    table = read_table(path)
    assert table.source == str(path)
    assert table.column("COPx").tolist() == [-7.988789, -7.987508, -7.984805]


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_table_or_a_typed_error(data):
    try:
        table = parse_table(data, "fuzz")
    except TextFileError as exc:
        assert exc.message.startswith("fuzz: ")
        return
    assert isinstance(table, TextTable)
    for name in table.columns:
        try:
            values = table.column(name)
        except TextFileError:
            continue
        assert values.shape == (table.n_rows,)
        assert np.all(np.isfinite(values))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_text_gives_a_table_or_a_typed_error(text):
    try:
        table = parse_table(text.encode("utf-8"), "fuzz")
    except MeasureError as exc:
        assert isinstance(exc, TextFileError)
        return
    for name in table.columns:
        try:
            table.column(name)
        except TextFileError:
            pass


names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,7}(\[[a-z]{1,3}\])?", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(names, min_size=1, max_size=5, unique_by=lambda n: strip_unit(n).casefold()),
    st.data(),
    st.sampled_from(["\t", ",", ";", " "]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_written_tables_read_back_exactly(columns, data, delimiter, newline):
    rows = data.draw(st.lists(st.lists(finite, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=20))
    text = newline.join([delimiter.join(columns)] + [delimiter.join(repr(v) for v in row) for row in rows]) + newline
    table = parse_table(text.encode(), "round.txt")
    assert table.columns == tuple(columns)
    for index, name in enumerate(columns):
        expected = [row[index] for row in rows]
        assert table.column(strip_unit(name).upper()).tolist() == expected


# --- the fast path (numpy's C parser) and the careful reader agree -----------------------------------------


def _careful(text: str) -> TextTable:
    from telemetry.measures.textfile import _split_table

    return _split_table(text, "careful.txt")


def _outcome(table: TextTable, name: str):
    try:
        return table.column(name).tolist()
    except TextFileError as exc:
        return exc.message.replace("careful.txt", "x").replace("fast.txt", "x")


numberish = st.text(alphabet="0123456789.-+eEinfatyINFATY_x ", max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(numberish, finite.map(repr)), min_size=3, max_size=3), min_size=1, max_size=6),
       st.sampled_from(["\t", ",", ";"]), st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n  \r\n"]),
                                                  min_size=7, max_size=7))
def test_the_fast_path_reads_exactly_what_the_careful_reader_reads(rows, delimiter, ends):
    lines = [delimiter.join(["t", "ml", "ap"])] + [delimiter.join(row) for row in rows]
    text = "".join(line + end for line, end in zip(lines, ends, strict=False))
    try:
        careful = _careful(text)
    except TextFileError as exc:
        with pytest.raises(TextFileError) as raised:
            parse_table(text, "careful.txt")
        assert raised.value.message == exc.message
        return
    fast = parse_table(text, "fast.txt")
    for name in ("t", "ml", "ap"):
        assert _outcome(fast, name) == _outcome(careful, name)


def test_a_large_file_is_read_fast_and_a_bad_cell_in_its_middle_is_named_by_line_and_column():
    rng = np.random.default_rng(7)
    values = rng.normal(size=(20_000, 4))
    cells = [[repr(float(v)) for v in row] for row in values]
    header = "Time[s]\tFx[N]\tCOPx[cm]\tCOPy[cm]"
    good = parse_table("\n".join([header] + ["\t".join(row) for row in cells]) + "\n", "big.txt")
    np.testing.assert_array_equal(good.column("COPx"), values[:, 2])  # exactly, every value
    assert good.n_rows == 20_000
    cells[10_000][1] = "1,5"  # data row 10,001, on line 10,002: a decimal comma
    bad = parse_table("\n".join([header] + ["\t".join(row) for row in cells]) + "\n", "big.txt")
    np.testing.assert_array_equal(bad.column("COPy"), values[:, 3])  # the other columns still read
    with pytest.raises(TextFileError, match=r"big\.txt: line 10002 \(data row 10001\), column 'Fx\[N\]': '1,5' "
                                            r"is not a number"):
        bad.column("Fx")


def test_a_non_finite_value_read_by_the_fast_path_is_named_by_its_line():
    table = parse_table("\n\nt\tml\n0\t1\n\n1\tinf\n", "inf.txt")
    assert table.n_rows == 2
    with pytest.raises(TextFileError, match=r"inf\.txt: line 6 \(data row 2\), column 'ml': 'inf' is not a finite"):
        table.column("ml")
