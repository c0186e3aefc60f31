"""The text a matplotlib PDF shows, read back without a PDF library (tests and benchmarks only).

matplotlib writes each text as ``BT ... [(M) 0.29 (u) ...] TJ ... ET`` in zlib-compressed
content streams; joining the string pieces of one BT/ET block gives the line as drawn. Text
drawn as mathtext comes out as separate glyphs with the ``$`` gone, so a garbled title shows.
"""

from __future__ import annotations

import re
import zlib

# The end-of-line before "endstream" is left in the group: stripping an optional CR there would cut a
# stream whose last compressed byte happens to be 0x0D; the decompressor ignores what follows its end.
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
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
            stream = zlib.decompressobj().decompress(match.group(1))
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


_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.\s]+)\]")


def pdf_pages(data: bytes) -> list[tuple[tuple[float, float], list[str]]]:
    """Each page in order: its (width, height) in points and the text runs of its content stream."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    kids: list[int] = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Pages\b", body):
            found = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            if found:
                kids = [int(n) for n in re.findall(rb"(\d+) 0 R", found.group(1))]
    pages = []
    for number in kids:
        body = objects[number]
        box = [float(v) for v in _MEDIABOX.search(body).group(1).split()]  # type: ignore[union-attr]
        contents = re.search(rb"/Contents\s+(\d+) 0 R", body)
        stream = _stream(objects[int(contents.group(1))]) if contents else b""
        runs = pdf_text_runs(b"stream\n" + stream + b"\nendstream") if stream else []
        pages.append(((box[2] - box[0], box[3] - box[1]), runs))
    return pages


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body + b"\nendstream" if b"endstream" not in body else body)
    return match.group(1) if match else b""
