"""How a chunk of exported rows becomes CSV or NDJSON text, in a few calls per chunk, with exact numbers.

A float is written as its shortest text that reads back as the same double (``0.1``, ``1e-7``,
``1.7976931348623157e+308``), but ``repr`` costs about a microsecond a float, most of an
export's time. ``pydantic_core.to_json`` (Rust, the Ryu algorithm: shortest round-trip digits)
formats many at once instead, in three ways, fastest first:

* CSV whose text cells are all plain (no quote, backslash, comma, bracket, control character
  or formula character): the whole chunk is one JSON array of arrays, turned into CSV lines by
  a few ``str.replace`` calls (see :meth:`ChunkWriter._plain_csv` for why that is exact);
* otherwise a column at a time: a column of numbers becomes one JSON array split at its
  commas; a column of text is checked in one pass (a regular expression over the joined cells)
  and used as it is (CSV) or encoded by the C JSON string encoder (NDJSON);
* a column that holds something else (text in a number column, a BLOB, a cell needing a guard
  or quotes) is rendered cell by cell by :func:`csv_cell` / :func:`json_cell`, the reference
  the faster ways must equal (the tests compare them on random tables).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from pydantic_core import to_json

from telemetry.export.csvsafe import TRIGGERS, csv_text

# The C encoder behind json.dumps(text, ensure_ascii=False): quotes, backslashes and control characters
# escaped, every other character as it is.
_json_string: Callable[[str], str] = json.encoder.encode_basestring


#: A text cell needing more than itself in CSV: a separator, quote or line break anywhere, or a first
#: character a spreadsheet reads as a formula (or the guard's own prefix), the cells joined by \x1f.
_CSV_NEEDS_WORK = re.compile('[,"\r\n]|(?:^|\x1f)[' + re.escape("".join(TRIGGERS)) + "]")

#: A text cell that cannot go through :meth:`ChunkWriter.text`'s whole-chunk CSV path (the cells joined by
#: commas): JSON would escape it (a quote, a backslash, a control character), or it holds a bracket, or a
#: first character a spreadsheet reads as a formula. (A comma inside a cell is found by counting commas.)
_NOT_PLAIN = re.compile('[\x00-\x1f"\\\\\\[\\]]|(?:^|,)[' + re.escape("".join(TRIGGERS)) + "]")

#: A chunk of rows as the cursor returns them.
Rows = Sequence[tuple[Any, ...]]


def csv_cell(value: Any) -> str:
    """One CSV cell: empty for NULL, numbers exactly (shortest round-trip text; ``inf``/``-inf``), text made safe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return _float_text(value)
        return "NaN" if math.isnan(value) else "inf" if value > 0 else "-inf"  # SQLite stores no NaN
    if isinstance(value, bytes):
        return value.hex().upper()  # what SQLite's hex() writes; no Proprio column holds a BLOB
    return str(value)


def json_cell(value: Any) -> str:
    """One NDJSON value: numbers exactly (an infinity, which JSON lacks, as null), text as a JSON string."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, float):
        return _float_text(value) if math.isfinite(value) else "null"
    if isinstance(value, bytes):
        return _json_string(value.hex().upper())
    return str(value)


def _float_text(value: float) -> str:
    """A finite float's shortest text that reads back exactly, as the column-at-a-time path writes it."""
    return to_json(value).decode("ascii")


def _numbers(cells: list[Any], fmt: str) -> list[str] | None:
    """A column of numbers and NULLs as text, in one call; None if it holds anything else."""
    try:
        text = to_json(cells, inf_nan_mode="constants" if fmt == "csv" else "null").decode("ascii")
    except ValueError:  # PydanticSerializationError: a BLOB that is not UTF-8
        return None
    if '"' in text:
        return None  # text or a BLOB (a JSON string) in a number column
    if fmt == "csv":
        if "null" in text:
            text = text.replace("null", "")
        if "I" in text:
            text = text.replace("Infinity", "inf")
    return text[1:-1].split(",")


def _csv_texts(cells: list[Any]) -> list[str] | None:
    """A column of text cells as they are (NULL as an empty cell), if none needs a guard or quoting; else None."""
    try:
        joined = "\x1f".join(cells)
    except TypeError:  # a NULL (often), a number or a BLOB (hardly ever) in a text column
        cells = ["" if cell is None else cell for cell in cells]
        try:
            joined = "\x1f".join(cells)
        except TypeError:
            return None
    return None if _CSV_NEEDS_WORK.search(joined) else cells


def _json_texts(cells: list[Any]) -> list[str] | None:
    """A column of text cells as JSON strings, if it holds only text; else None."""
    try:
        return list(map(_json_string, cells))
    except TypeError:  # NULL, a number or a BLOB in a text column
        return None


class ChunkWriter:
    """Renders chunks of rows of one table (column kinds: integer, real, text) as CSV or NDJSON lines."""

    def __init__(self, fmt: str, names: list[str], kinds: list[str]) -> None:
        self.fmt = fmt
        self.width = len(names)
        self.kinds = kinds
        if fmt == "csv":
            self.line = ",".join(["%s"] * self.width) + "\r\n"
            self.cell: Callable[[Any], str] = csv_cell
        else:
            keys = [json.dumps(name, ensure_ascii=False).replace("%", "%%") for name in names]
            self.line = "{" + ",".join(f"{key}:%s" for key in keys) + "}\n"
            self.cell = json_cell

    def text(self, rows: Rows) -> str:
        """The lines of ``rows`` (each cell rendered as :func:`csv_cell` or :func:`json_cell` renders it)."""
        if not rows:
            return ""
        if self.fmt == "csv":
            whole = self._plain_csv(rows)
            if whole is not None:
                return whole
        cells = list(chain.from_iterable(rows))
        width = self.width
        for i, kind in enumerate(self.kinds):
            column = cells[i::width]
            if kind != "text":
                done = _numbers(column, self.fmt)
            elif self.fmt == "csv":
                done = _csv_texts(column)
            else:
                done = _json_texts(column)
            if done is None:
                done = list(map(self.cell, column))
            cells[i::width] = done
        return (self.line * len(rows)) % tuple(cells)

    def _plain_csv(self, rows: Rows) -> str | None:
        """CSV of a chunk whose text is all plain, from one JSON array of its rows; None if it is not plain.

        ``[[1,0.1,"deg"],[2,null,"mm"]]`` becomes ``1,0.1,deg`` and ``2,,mm``: with no quote, backslash,
        comma, bracket or control character in any text cell, the quotes are only the strings' own, a
        comma or a bracket before ``null`` or ``Infinity`` only a bare value's, and ``],[`` only a row's end.
        Text where a number belongs adds quotes beyond the counted strings' two each, so it is refused.
        """
        strings = 0
        for i, kind in enumerate(self.kinds):
            if kind != "text":
                continue
            column = list(map(itemgetter(i), rows))
            try:
                joined = ",".join(column)
            except TypeError:  # a NULL (often), a number or a BLOB (hardly ever) in a text column
                column = [cell for cell in column if cell is not None]
                if not column:
                    continue
                try:
                    joined = ",".join(column)
                except TypeError:
                    return None
            if joined.count(",") != len(column) - 1 or _NOT_PLAIN.search(joined):
                return None
            strings += len(column)
        try:
            text = to_json(rows, inf_nan_mode="constants").decode("utf-8")
        except ValueError:  # PydanticSerializationError: a BLOB that is not UTF-8
            return None
        if text.count('"') != 2 * strings:
            return None  # text or a BLOB where a number belongs
        if "null" in text:
            text = text.replace(",null", ",").replace("[null", "[")
        if "Infinity" in text:
            for before in (",", "[", ",-", "[-"):
                text = text.replace(before + "Infinity", before + "inf")
        return text[2:-2].replace("],[", "\r\n").replace('"', "") + "\r\n"
