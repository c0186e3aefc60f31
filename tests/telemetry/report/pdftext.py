"""The text a matplotlib PDF shows, read back without a PDF library (tests and benchmarks only).

matplotlib writes each text as ``BT ... [(M) 0.29 (u) ...] TJ ... ET`` in zlib-compressed
content streams; joining the string pieces of one BT/ET block gives the line as drawn. Text
drawn as mathtext comes out as separate glyphs with the ``$`` gone, so a garbled title shows.
"""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_TOKEN = re.compile(rb"\((?:\\.|[^\\()])*\)|\bBT\b|\bET\b", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_NAMED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _NAMED.get(code, code)

    return _ESCAPE.sub(one, literal[1:-1])


def pdf_text_runs(data: bytes) -> list[str]:
    """Every text block of the PDF, its pieces joined, decoded as Latin-1 (ASCII reads back exactly)."""
    runs: list[str] = []
    for match in _STREAM.finditer(data):
        try:
            stream = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        pieces: list[bytes] | None = None
        for token in _TOKEN.finditer(stream):
            word = token.group(0)
            if word == b"BT":
                pieces = []
            elif word == b"ET":
                if pieces is not None:
                    runs.append(b"".join(pieces).decode("latin-1"))
                pieces = None
            elif pieces is not None:
                pieces.append(_unescape(word))
    return runs
