"""``proprio analyze``: published sway measures of recorded traces, one JSON line per file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE...")
@click.option("--ml", "ml_column", metavar="COLUMN",
              help="Medio-lateral column (name, or name without its [unit], any case); with --session: raw_x.")
@click.option("--ap", "ap_column", metavar="COLUMN", help="Antero-posterior column; with --session: raw_y.")
@click.option("--session", "session_id", type=int, metavar="ID",
              help="FILE is a proprio export folder (CSV or NDJSON): analyze that session's samples.")
@click.option("--rate", "rate_hz", type=float, metavar="HZ", help="Sampling rate in Hz (or give --time).")
@click.option("--time", "time_column", metavar="COLUMN",
              help="Time column in seconds; the rate is 1 / its median interval (every interval within 1 % of it).")
@click.option("--age", "age_years", type=float, metavar="YEARS",
              help="The person's age: picks the reference age band (young 18-59, older 60+).")
@click.option("--vision", type=click.Choice(["open", "closed"]), help="Eyes open or closed during the trial.")
@click.option("--surface", type=click.Choice(["firm", "foam"]), help="Stood on the firm plate or on foam.")
def analyze(files: tuple[Path, ...], ml_column: str | None, ap_column: str | None, session_id: int | None,
            rate_hz: float | None, time_column: str | None, age_years: float | None, vision: str | None,
            surface: str | None) -> None:
    """Print the published sway measures of each FILE as one JSON object per line.

    FILE is delimited text with a header row (tab, comma or spaces). Each object holds file,
    n_samples, rate_hz, duration_s (N / rate) and path_length, mean_velocity(_ml/_ap),
    rms_ml/ap/radius, mean_distance, range_ml/ap, ellipse_area_95, sway_area_per_second,
    mean_frequency and mean_power_frequency, in the file's units (docs/metrics.md).
    Give exactly one of --rate and --time.

    Then "reference": with --age, --vision and --surface, and COP columns in cm or mm (named
    like COPx[cm] or COPx[mm]), the Balance Data Set group used and, for mean_velocity,
    ellipse_area_95 and mean_power_frequency, the trial's percentile rank among that group's
    subjects; a trace in mm is converted to cm first ("converted_from": "mm", a note, and
    each rank's value in cm). Otherwise "reason" says why there is no rank.

    With --session ID each FILE is a folder written by `proprio export`: that session's
    samples (raw_x, raw_y in the device's raw_unit, time t_s unless --rate or --time) are
    analyzed, and the object also holds session_id.

    \b
    Example:
      proprio analyze ../shared/data/bds/BDS00001.txt --ml COPy --ap COPx --time Time
      proprio analyze BDS00001.txt --ml COPy --ap COPx --time Time --age 33 --vision open --surface firm
    """
    if session_id is not None:
        ml_column, ap_column = ml_column or "raw_x", ap_column or "raw_y"
        if rate_hz is None and time_column is None:
            time_column = "t_s"
    if ml_column is None or ap_column is None:
        raise click.UsageError("give the columns to analyze: --ml COLUMN and --ap COLUMN")
    if (rate_hz is None) == (time_column is None):
        raise click.UsageError("give exactly one of --rate HZ or --time COLUMN")
    # Imported here, not at the top: the measures bring numpy, which only running this command needs.
    from telemetry.measures.analysis import analyze_file
    from telemetry.measures.reference import age_band, rank_trial_any_length

    if age_years is not None:
        age_band(age_years)  # an implausible age is an error before any file is read
    for path in files:
        if session_id is None:
            row = analyze_file(path, ml_column=ml_column, ap_column=ap_column, rate_hz=rate_hz,
                               time_column=time_column)
            unit = _cop_unit(path, ml_column, ap_column)
        else:
            row, unit = _analyze_session(path, session_id, ml_column, ap_column, rate_hz, time_column)
        row["reference"] = rank_trial_any_length(row, unit=unit, age_years=age_years, vision=vision,
                                                 surface=surface, duration_s=row["duration_s"])
        click.echo(json.dumps(row, allow_nan=False))


def _analyze_session(folder: Path, session_id: int, ml_column: str, ap_column: str, rate_hz: float | None,
                     time_column: str | None) -> tuple[dict[str, Any], str | None]:
    """The sway measures of one session's samples in an export folder, and the unit of its raw columns."""
    import numpy as np

    from game.errors import ProprioError
    from telemetry.export.tables import read_export_table
    from telemetry.measures.sampling import rate_from_times_hz
    from telemetry.measures.sway import SwayInputError, sway_measures
    from telemetry.measures.textfile import match_column

    samples = read_export_table(folder, "samples")
    rows = sorted((r for r in samples if r.get("session_id") == session_id), key=lambda r: r.get("step") or 0)
    if not rows:
        held = sorted({int(r["session_id"]) for r in samples if isinstance(r.get("session_id"), int)})
        listed = ", ".join(str(s) for s in held[:20]) + (", ..." if len(held) > 20 else "")
        raise ProprioError(f"{folder}: the export holds no samples of session {session_id}",
                           f"pick one of the sessions it holds: {listed or 'none'}")
    source = f"{folder} session {session_id}"
    columns = list(rows[0])

    def column(name: str) -> Any:
        key = columns[match_column(columns, name, source)]
        cells = [r.get(key) for r in rows]
        if not all(isinstance(c, int | float) for c in cells):
            raise ProprioError(f"{source}: column {key!r} has empty or non-numeric cells",
                               "pick sample columns every row has: raw_x, raw_y, x, y, t_s")
        return np.array(cells, dtype=np.float64)

    ml, ap = column(ml_column), column(ap_column)
    rate = rate_hz if time_column is None else rate_from_times_hz(column(time_column), source=f"{source}: time")
    assert rate is not None  # one of the two is given (checked by the caller)
    try:
        measures = sway_measures(ml, ap, rate)
    except SwayInputError as exc:
        raise SwayInputError(f"{source}: {exc.message}", exc.remedy) from None
    raw_columns = {columns[match_column(columns, name, source)] for name in (ml_column, ap_column)}
    unit: str | None = None
    if raw_columns <= {"raw_x", "raw_y"}:
        units = {r.get("raw_unit") for r in rows}
        unit = str(units.pop()) if len(units) == 1 and None not in units else None
    row: dict[str, Any] = {"file": str(folder), "session_id": session_id, "n_samples": int(ml.size),
                           "rate_hz": float(rate), "duration_s": ml.size / float(rate), **measures.as_dict()}
    return row, unit


def _cop_unit(path: Path, ml_column: str, ap_column: str) -> str | None:
    """The unit the ML and AP column names carry (``COPx[cm]``): one unit, ``"mm and cm"`` if they differ, or None."""
    from telemetry.measures.textfile import column_unit, match_column, read_header

    columns = read_header(path)
    units = {column_unit(columns[match_column(columns, name, str(path))]) for name in (ml_column, ap_column)}
    if len(units) == 1:
        return units.pop()
    return " and ".join(sorted(str(unit) if unit is not None else "no unit" for unit in units))
