"""matplotlib for drawing pictures: imported without building the property tables of its docstrings.

When a module of matplotlib defines an ``Artist`` subclass, matplotlib writes that class's ``set()``
docstring there and then: ``matplotlib.artist.kwdoc`` inspects every setter of the class and
formats a table of its properties; the docstrings of ``plot``, ``text`` and the like are filled
with the same tables. That is about 0.13 s of CPU, 28 % of importing ``matplotlib.figure`` with
the Agg canvas (matplotlib 3.11, ``benchmarks/bench_report.py``), for text that only ``help()``
shows. A report never shows matplotlib's docstrings, so this module, imported before any other
part of matplotlib, makes ``kwdoc`` return a one-line pointer to the documentation instead.

Only docstrings change: ``set()`` keeps its signature (every property, built by matplotlib from
the setters), every property is still accepted, and pictures are the same to the byte
(``tests/telemetry/report/test_drawing.py``). Imported after matplotlib's artists are defined, it
changes nothing and costs nothing.
"""

from __future__ import annotations

import matplotlib.artist

#: What a matplotlib class's property table says in this process.
PROPERTY_TABLE = "Properties: see https://matplotlib.org/stable/api/artist_api.html (not built here)."


def _property_table(artist: object) -> str:
    """Stands in for ``matplotlib.artist.kwdoc``: the same one line for every artist."""
    return PROPERTY_TABLE


# ``matplotlib.artist`` (imported above) has already documented ``Artist`` itself: one table, 2 ms.
matplotlib.artist.kwdoc = _property_table
