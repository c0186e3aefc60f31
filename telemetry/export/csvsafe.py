"""Spreadsheet-safe text cells: no exported value can run as a formula (CSV injection).

A text cell that a spreadsheet could read as a formula or a command, one starting with
``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed (or their full-width
forms ``＝ ＋ － ＠``), is written with a leading apostrophe, the prefix spreadsheets
show as "this is text" (OWASP, "CSV Injection"). A text cell that already starts with an
apostrophe gets one too, so ``restore`` can undo the prefix exactly. Numbers are never
touched: only text cells are neutralized, so -0.25 stays the number -0.25.
"""

from __future__ import annotations

from typing import Any

#: The prefix that marks a neutralized text cell.
PREFIX = "'"

#: First characters that make a text cell dangerous (plus the prefix itself, for an exact round trip).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", PREFIX)


def neutralize(value: Any) -> Any:
    """The value as it is safe to write in a spreadsheet cell (only text can change)."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return PREFIX + value
    return value


def restore(text: str) -> str:
    """Undo ``neutralize`` on a text cell read back from an export."""
    if text.startswith(PREFIX) and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text


def sql_neutralized(column_sql: str) -> str:
    """A SQL expression that neutralizes ``column_sql`` inside SQLite (fast: no Python per cell)."""
    chars = ", ".join(_sql_char(c) for c in TRIGGERS)
    return (
        f"CASE WHEN typeof({column_sql}) = 'text' AND substr({column_sql}, 1, 1) IN ({chars}) "
        f"THEN '{_sql_escape(PREFIX)}' || {column_sql} ELSE {column_sql} END"
    )


def sql_csv_cell(column_sql: str) -> str:
    """A SQL expression for one CSV cell, ready for Python's ``"%s"``: the export's fast path (no per-cell Python).

    Numbers stay numbers (Python's ``str`` of a float is its shortest exact ``repr``: every value
    reads back as the same double); NULL becomes an empty cell; text is neutralized as
    :func:`sql_neutralized` does and then quoted as ``csv.writer`` quotes (when it holds a comma, a
    double quote or a line break, doubling its double quotes); a BLOB (no Proprio column holds one)
    is written as hexadecimal digits.
    """
    # unicode() (the first character's code) and one GLOB cost half what substr ... IN and four instr() did.
    codes = ", ".join(str(ord(c)) for c in TRIGGERS)
    safe = (f"(CASE WHEN unicode({column_sql}) IN ({codes}) THEN '{_sql_escape(PREFIX)}' || {column_sql} "
            f"ELSE {column_sql} END)")
    # GLOB stops at a NUL character; instr() does not (a NUL is rare, so it is looked for only then).
    special = (f"{column_sql} GLOB '*[,\"\r\n]*' OR (instr({column_sql}, char(0)) AND (instr({column_sql}, ',') "
               f"OR instr({column_sql}, '\"') OR instr({column_sql}, char(13)) OR instr({column_sql}, char(10))))")
    quoted = f"CASE WHEN {special} THEN '\"' || replace({safe}, '\"', '\"\"') || '\"' ELSE {safe} END"
    return (f"CASE typeof({column_sql}) WHEN 'integer' THEN {column_sql} WHEN 'real' THEN {column_sql} "
            f"WHEN 'null' THEN '' WHEN 'text' THEN {quoted} ELSE hex({column_sql}) END")


def sql_json_value(column_sql: str) -> str:
    """A SQL expression for one NDJSON value, ready for Python's ``"%s"`` (numbers as numbers, text as JSON).

    An infinite REAL (JSON has none) and NULL become ``null``; text becomes a JSON string
    (``json_quote``: quotes, backslashes and control characters escaped, other characters as
    they are); a BLOB becomes a JSON string of hexadecimal digits.
    """
    return (f"CASE typeof({column_sql}) WHEN 'integer' THEN {column_sql} "
            f"WHEN 'real' THEN CASE WHEN {column_sql} > 1.7976931348623157e308 "
            f"OR {column_sql} < -1.7976931348623157e308 THEN 'null' ELSE {column_sql} END "
            f"WHEN 'null' THEN 'null' WHEN 'text' THEN json_quote({column_sql}) ELSE json_quote(hex({column_sql})) END")


def _sql_char(char: str) -> str:
    if char.isprintable() and char != "'":
        return f"'{char}'"
    return f"char({ord(char)})"


def _sql_escape(text: str) -> str:
    return text.replace("'", "''")
