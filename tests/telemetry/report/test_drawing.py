"""``telemetry.report.drawing``: matplotlib without its docstring tables draws the same pictures, byte for byte.

Each case runs in a fresh interpreter: in this one matplotlib is long imported, and the module
only has an effect when it comes first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

#: A figure with the report's kinds of artist (lines with markers, dates, titles, a legend, text with
#: non-ASCII letters, an ellipse path), saved as PNG and as PDF; prints the two pictures' bytes as hex.
DRAW = r"""
import io, sys
from datetime import datetime, timedelta
if sys.argv[1] == "first":
    import telemetry.report.drawing
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
figure = Figure(figsize=(6, 4), layout="constrained")
left, right = figure.subplots(1, 2)
days = [datetime(2026, 3, 2) + timedelta(days=5 * n) for n in range(5)]
left.plot(days, [1, 3, 2, 5, 4], marker="o", label="Garden Balance · Zoë")
locator = AutoDateLocator()
left.xaxis.set_major_locator(locator)
left.xaxis.set_major_formatter(ConciseDateFormatter(locator))
left.set_title("Sway mean velocity (deg/s)\nlower is better", loc="left")
left.legend()
t = np.linspace(0, 2 * np.pi, 100)
right.plot(3 * np.cos(t), 2 * np.sin(t), "k--")
right.set_xlabel("left ← medio-lateral (% LOS) → right")
png = io.BytesIO()
FigureCanvasAgg(figure)
figure.savefig(png, format="png", dpi=80)
pdf = io.BytesIO()
FigureCanvasPdf(figure)
figure.savefig(pdf, format="pdf", metadata={"CreationDate": None})
print(png.getvalue().hex())
print(pdf.getvalue().hex())
"""

#: What a class's ``set`` looks like after the module: its docstring, its signature, whether aliases work.
INSPECT = r"""
import inspect, json
import telemetry.report.drawing
from matplotlib.lines import Line2D
from matplotlib.text import Text
line = Line2D([0, 1], [0, 1])
line.set(lw=3, color="red")
text = Text(0, 0, "a")
text.set(fontsize=12, parse_math=False)
print(json.dumps({"doc": Line2D.set.__doc__, "parameters": list(inspect.signature(Line2D.set).parameters),
                  "text_parameters": list(inspect.signature(Text.set).parameters),
                  "linewidth": line.get_linewidth(), "parse_math": text.get_parse_math()}))
"""


def _run(code: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_pictures_are_the_same_to_the_byte_with_or_without_the_docstring_tables() -> None:
    plain = _run(DRAW, "plain").split()
    first = _run(DRAW, "first").split()
    assert len(plain) == 2 and all(len(picture) > 2000 for picture in plain)  # a PNG and a PDF, not empty
    assert first[0] == plain[0], "the PNG differs"
    assert first[1] == plain[1], "the PDF differs"


def test_only_docstrings_change_every_property_is_still_set_and_named() -> None:
    seen = json.loads(_run(INSPECT))
    from telemetry.report.drawing import PROPERTY_TABLE

    assert PROPERTY_TABLE in seen["doc"]  # the module took effect (the test could otherwise pass vacuously)
    assert {"linewidth", "color", "marker", "xdata"} <= set(seen["parameters"])
    assert {"fontsize", "parse_math", "text"} <= set(seen["text_parameters"])
    assert seen["linewidth"] == 3.0 and seen["parse_math"] is False

