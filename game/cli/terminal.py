"""Stored text made safe for a terminal: no control character from a database or a file reaches it.

A level name, title, device name or note can hold ESC, BEL, CR or a C1 code (U+009B is a CSI
on many terminals): printed raw they retitle the window, clear the screen, hide or overwrite
a row. ``printable`` shows each one as a visible escape (``\\x1b``, ``\\r``, ``\\u202e``)
instead of dropping it, so two names that differ only by a control character still print
differently. Bidirectional overrides and isolates (which reorder what is shown) count too.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters, DEL, the line and paragraph separators, and the bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: object) -> str:
    """``str(text)`` with every control character shown as a visible escape (one line, terminal-safe)."""
    return _UNSAFE.sub(_visible, str(text))


def printable_lines(text: object) -> str:
    """Like ``printable`` but keeps the line breaks of a multi-line message (an error and its remedy)."""
    return "\n".join(printable(line) for line in str(text).split("\n"))
