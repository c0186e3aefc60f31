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
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from telemetry.measures.errors import MeasureError

_UNIT = re.compile(r"\s*\[[^\[\]]*\]\s*$")
# C0 control characters other than tab, LF and CR, and DEL: a text export never holds them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


class TextFileError(MeasureError):
    """A text file that cannot be read as a table of numbers; the message names file and place."""


@dataclass(frozen=True)
class TextTable:
    """A parsed header and its data, cells kept as text (column by column) until a column is asked for."""

    source: str
    columns: tuple[str, ...]
    cells_by_column: tuple[tuple[str, ...], ...]  # cells_by_column[j][i]: column j of data row i
    line_numbers: tuple[int, ...]  # 1-based line in the file of each data row

    @property
    def n_rows(self) -> int:
        """Number of data rows (samples)."""
        return len(self.line_numbers)

    def column_index(self, name: str) -> int:
        """Index of the column ``name`` names: exact, case-insensitive, or without its ``[unit]``."""
        return match_column(self.columns, name, self.source)

    def column(self, name: str) -> NDArray[np.float64]:
        """The column as finite floats; a typed error names the line of any cell that is not."""
        index = self.column_index(name)
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
    """Parse delimited text with a header row into a :class:`TextTable`."""
    text = _decode(data, source) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if _CONTROL.search(text):
        raise TextFileError(
            f"{source}: is not a text table (it holds binary control characters)",
            "export the recording as tab- or comma-separated text",
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise TextFileError(f"{source}: is empty", "export the recording again; the file has no header and no data")
    header_line, header = numbered[0]
    delimiter = _delimiter(header)
    columns = tuple(_trim(_split(header, delimiter)))
    for position, column in enumerate(columns, start=1):
        if not column:
            raise TextFileError(
                f"{source}: line {header_line}: header column {position} has no name",
                "give every column a name in the first row",
            )
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
