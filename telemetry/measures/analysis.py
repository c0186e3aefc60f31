"""Sway measures of a recording on disk: the library behind ``proprio analyze``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from telemetry.measures.errors import MeasureError
from telemetry.measures.sampling import rate_from_times_hz
from telemetry.measures.sway import SwayInputError, sway_measures
from telemetry.measures.textfile import read_table


class AnalysisRequestError(MeasureError):
    """An analysis asked for in a way that cannot be answered (e.g. both or neither of rate and time)."""


def analyze_file(
    path: str | Path,
    *,
    ml_column: str,
    ap_column: str,
    rate_hz: float | None = None,
    time_column: str | None = None,
) -> dict[str, Any]:
    """Read one trace and return ``file``, ``n_samples``, ``rate_hz``, ``duration_s`` and every sway measure.

    The rate is either given or derived from ``time_column`` (1 / median interval, see
    :func:`telemetry.measures.sampling.rate_from_times_hz`); exactly one of the two is required.
    Measures are in the file's units; ``duration_s`` is N / rate_hz.
    """
    if (rate_hz is None) == (time_column is None):
        raise AnalysisRequestError(
            "give exactly one of a sampling rate or a time column",
            "use --rate HZ when the file has no time column, else --time COLUMN",
        )
    table = read_table(path)
    ml = table.column(ml_column)
    ap = table.column(ap_column)
    if time_column is None:
        rate = cast(float, rate_hz)  # not None: exactly one of rate_hz and time_column is (checked above)
    else:
        name = table.columns[table.column_index(time_column)]
        rate = rate_from_times_hz(table.column(time_column), source=f"{path}: column {name!r}")
    try:
        measures = sway_measures(ml, ap, rate)
    except SwayInputError as exc:
        raise SwayInputError(f"{path}: {exc.message}", exc.remedy) from None
    n = int(ml.size)
    rate = float(rate)  # validated by sway_measures; an int rate is reported as a float
    return {
        "file": str(path),
        "n_samples": n,
        "rate_hz": rate,
        "duration_s": n / rate,
        **measures.as_dict(),
    }
