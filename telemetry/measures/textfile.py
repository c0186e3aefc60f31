"""Read delimited numeric text exported by force plates and our devices, with errors a person can act on.

Accepted: one header row, then data rows; cells separated by tabs, commas, semicolons or runs
of whitespace (decided from the header: the first of tab, comma, semicolon found, else
whitespace); LF, CRLF or CR line ends; UTF-8 (with or without BOM), UTF-16 with BOM, or
Latin-1. Blank lines are skipped; trailing empty cells (a trailing delimiter) are ignored.
Column names may carry a unit in brackets, ``COPy[cm]``, and are matched by :meth:`TextTable.column`
exactly, else case-insensitively, else case-insensitively without the bracketed unit.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from telemetry.measures.errors import MeasureError

_UNIT = re.compile(r"\s*\[[^\[\]]*\]\s*$")
# C0 control characters other than tab, LF and CR, and DEL: a text export never holds them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


class TextFileError(MeasureError):
    """A text file that cannot be read as a table of numbers; the message names file and place."""


class TextTable:
    """A parsed header and its data: columns as floats on demand, every cell's line known for error messages.

    A table read by numpy's C parser (the fast path of :func:`parse_table`) holds the numbers
    already; the cells as text and their line numbers (``cells_by_column``, ``line_numbers``) are
    then worked out only when asked for, for example to name the line of a cell that is not finite.
    """

    def __init__(self, source: str, columns: tuple[str, ...], cells_by_column: tuple[tuple[str, ...], ...] | None,
                 line_numbers: tuple[int, ...] | None, *, values: NDArray[np.float64] | None = None,
                 text: str = "") -> None:
        self.source = source
        self.columns = columns
        self._cells = cells_by_column  # cells_by_column[j][i]: column j of data row i
        self._lines = line_numbers  # 1-based line in the file of each data row
        self._values = values  # fast path: values[i, j] of data row i, column j
        self._text = text  # fast path: the text again, to find cells and lines when they are asked for

    def __repr__(self) -> str:
        return f"TextTable({self.source!r}, {self.columns!r}, {self.n_rows} rows)"

    @property
    def n_rows(self) -> int:
        """Number of data rows (samples)."""
        return int(self._values.shape[0]) if self._values is not None else len(self.line_numbers)

    @property
    def cells_by_column(self) -> tuple[tuple[str, ...], ...]:
        """Every cell as text, column by column."""
        if self._cells is None:
            self._cells = _split_table(self._text, self.source)._cells
        assert self._cells is not None
        return self._cells

    @property
    def line_numbers(self) -> tuple[int, ...]:
        """The 1-based line in the file of each data row."""
        if self._lines is None:
            self._lines = _split_table(self._text, self.source)._lines
        assert self._lines is not None
        return self._lines

    def column_index(self, name: str) -> int:
        """Index of the column ``name`` names: exact, case-insensitive, or without its ``[unit]``."""
        return match_column(self.columns, name, self.source)

    def column(self, name: str) -> NDArray[np.float64]:
        """The column as finite floats; a typed error names the line of any cell that is not."""
        index = self.column_index(name)
        if self._values is not None:
            values = np.ascontiguousarray(self._values[:, index])
        else:
            cells = self.cells_by_column[index]
            try:
                values = np.array(cells, dtype=np.float64)
            except (ValueError, OverflowError):
                values = self._convert_cells(index)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            self._raise_bad_cell(index, int(bad[0]), "is not a finite number")
        return values

    def _convert_cells(self, index: int) -> NDArray[np.float64]:
        """Slow path: convert cell by cell to find the first one that is not a number."""
        cells = self.cells_by_column[index]
        values = np.empty(len(cells), dtype=np.float64)
        for i, cell in enumerate(cells):
            try:
                values[i] = float(cell)
            except (ValueError, OverflowError):
                self._raise_bad_cell(index, i, "is not a number")
        return values

    def _raise_bad_cell(self, index: int, row: int, problem: str) -> None:
        """Raise the error for one cell, with its line, data row and column."""
        cell = self.cells_by_column[index][row]
        shown = cell if len(cell) <= 40 else cell[:37] + "..."
        raise TextFileError(
            f"{self.source}: line {self.line_numbers[row]} (data row {row + 1}), column "
            f"{self.columns[index]!r}: {shown!r} {problem}",
            "fix or remove that row; decimals must use a point (1.5), not a comma",
        )


def match_column(columns: tuple[str, ...] | list[str], name: str, source: str = "<table>") -> int:
    """Find one column by name: exact, then case-insensitive, then case-insensitive without ``[unit]``."""
    wanted = name.strip()
    tests = (
        lambda col: col == wanted,
        lambda col: col.casefold() == wanted.casefold(),
        lambda col: strip_unit(col).casefold() == strip_unit(wanted).casefold(),
    )
    for test in tests:
        hits = [i for i, col in enumerate(columns) if test(col)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = ", ".join(repr(columns[i]) for i in hits)
            raise TextFileError(
                f"{source}: column name {name!r} is ambiguous; it matches {names}",
                "give the full column name, unit included",
            )
    available = ", ".join(repr(col) for col in columns)
    raise TextFileError(f"{source}: no column {name!r}; the columns are {available}", "pick one of those names")


def strip_unit(column: str) -> str:
    """``'COPy[cm]'`` -> ``'COPy'``: the name without a trailing bracketed unit."""
    return _UNIT.sub("", column).strip()


def column_unit(column: str) -> str | None:
    """``'COPy[cm]'`` -> ``'cm'``: the trailing bracketed unit of a column name, or None without one."""
    match = _UNIT.search(column)
    if match is None:
        return None
    return match.group(0).strip()[1:-1].strip() or None


def read_header(path: str | Path) -> tuple[str, ...]:
    """The column names of a delimited text file (its header row), with the same errors as :func:`read_table`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TextFileError(
            f"{path}: cannot be read ({exc.strerror or exc})", "check the path and that the file is readable"
        ) from None
    text = _decode(data, str(path)).removeprefix("\ufeff")
    return _header(_lf(text), str(path))[3]


def read_table(path: str | Path) -> TextTable:
    """Read and parse one delimited text file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TextFileError(
            f"{path}: cannot be read ({exc.strerror or exc})", "check the path and that the file is readable"
        ) from None
    return parse_table(data, str(path))


def parse_table(data: bytes | str, source: str = "<text>") -> TextTable:
    """Parse delimited text with a header row into a :class:`TextTable`.

    Fast path: numpy's C parser reads every data row at once, when the file is plain numbers
    (no quotes, every row as wide as the header). Anything else, and any file it refuses, is
    read cell by cell in Python, which accepts every layout described above and names the line
    and column of whatever is wrong. Both give the same numbers (the same correctly rounded
    conversion of each cell).
    """
    text = _decode(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    encoded = text.encode("utf-8", "surrogatepass")  # a control character is the same single byte in UTF-8
    if len(encoded.translate(None, _CONTROL_BYTES)) != len(encoded):  # (a regex search takes 8 times longer)
        raise TextFileError(
            f"{source}: is not a text table (it holds binary control characters)",
            "export the recording as tab- or comma-separated text",
        )
    if "\r" in text and text.count("\r") != text.count("\r\n"):  # CR line ends (CRLF ones numpy reads as they are)
        text = _lf(text)
    fast = _parse_with_numpy(text, source)
    return fast if fast is not None else _split_table(text, source)


def _header(text: str, source: str) -> tuple[int, int, str | None, tuple[str, ...]]:
    """The header: its line number, the offset just past it, the delimiter and the column names."""
    offset, number = 0, 1
    while True:
        end = text.find("\n", offset)
        line = text[offset:] if end < 0 else text[offset:end]
        if line.strip():
            break
        if end < 0:
            raise TextFileError(f"{source}: is empty",
                                "export the recording again; the file has no header and no data")
        offset, number = end + 1, number + 1
    delimiter = _delimiter(line)
    columns = tuple(_trim(_split(line, delimiter)))
    for position, column in enumerate(columns, start=1):
        if not column:
            raise TextFileError(
                f"{source}: line {number}: header column {position} has no name",
                "give every column a name in the first row",
            )
    return number, (len(text) if end < 0 else end + 1), delimiter, columns


def _parse_with_numpy(text: str, source: str) -> TextTable | None:
    """Every data row through ``numpy.loadtxt`` (C), or None when the file needs the careful reader."""
    _, body_start, delimiter, columns = _header(text, source)
    if '"' in text or not text[body_start:].strip():
        return None  # quoted cells, or no data rows: the careful reader handles (or names) them
    try:
        values = np.loadtxt(io.StringIO(text[body_start:]), dtype=np.float64, delimiter=delimiter, comments=None,
                            ndmin=2, quotechar=None)
    except (ValueError, TypeError, OverflowError):
        return None  # a cell that is not a number, a row of another width...: named by the careful reader
    if values.shape[1] != len(columns):
        return None
    return TextTable(source, columns, None, None, values=values, text=text)


def _split_table(text: str, source: str) -> TextTable:
    """The careful reader: every line split in Python, cells kept as text; names the line of any problem."""
    text = _lf(text)
    _header(text, source)  # the same header checks, the same messages
    lines = text.split("\n")
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    header_line, header = numbered[0]
    delimiter = _delimiter(header)
    columns = tuple(_trim(_split(header, delimiter)))
    body = numbered[1:]
    if not body:
        raise TextFileError(f"{source}: has a header but no data rows", "export the recording again with its samples")
    rows = _split_rows([line for _, line in body], delimiter, _needs_cleaning(text))
    width = len(columns)
    for index, cells in enumerate(rows):
        if len(cells) != width:
            cells = rows[index] = _trim(cells)  # a trailing delimiter leaves empty cells
            if len(cells) != width:
                raise TextFileError(
                    f"{source}: line {body[index][0]} has {len(cells)} cells but the header names {width} columns",
                    "every data row needs one value per column",
                )
    # Column-major: a few long tuples instead of one list per row, which the garbage collector
    # would otherwise scan again and again while big files are read.
    return TextTable(source, columns, tuple(zip(*rows, strict=True)), tuple(number for number, _ in body))


def _lf(text: str) -> str:
    """Every line end as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _needs_cleaning(text: str) -> bool:
    """True if any cell may carry spaces or quotes to remove (whitespace other than tab and line ends)."""
    if " " in text or '"' in text:
        return True
    return not text.replace("\t", "").replace("\n", "").replace("\r", "").isprintable()


def _split_rows(lines: list[str], delimiter: str | None, clean: bool) -> list[list[str]]:
    """Split every data line into cells; the per-cell clean-up runs only when the file needs it."""
    if clean:
        return [_split(line, delimiter) for line in lines]
    return [line.split(delimiter) for line in lines]


def _decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-16 if it says so, UTF-8 if it is, else Latin-1; NUL bytes mean binary."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # not really UTF-16: fall through to the binary check
    if b"\x00" in data:
        raise TextFileError(
            f"{source}: is not a text table (it holds NUL bytes, so it is binary or UTF-16 without a BOM)",
            "export the recording as tab- or comma-separated UTF-8 text",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(header: str) -> str | None:
    """The cell separator, decided from the header: tab, comma or semicolon, else whitespace (None)."""
    for candidate in ("\t", ",", ";"):
        if candidate in header:
            return candidate
    return None


def _split(line: str, delimiter: str | None) -> list[str]:
    """Split one line into cells, without surrounding spaces or double quotes."""
    cells = line.split() if delimiter is None else [cell.strip() for cell in line.split(delimiter)]
    if '"' in line:
        cells = [_unquote(cell) for cell in cells]
    return cells


def _unquote(cell: str) -> str:
    """``'"COPx"'`` -> ``'COPx'``."""
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].strip()
    return cell


def _trim(cells: list[str]) -> list[str]:
    """Drop trailing empty cells left by a trailing delimiter."""
    end = len(cells)
    while end > 0 and not cells[end - 1]:
        end -= 1
    return cells[:end]
