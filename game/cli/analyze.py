"""``proprio analyze``: published sway measures of recorded traces, one JSON line per file."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE...")
@click.option("--ml", "ml_column", required=True, metavar="COLUMN",
              help="Medio-lateral column (name, or name without its [unit], any case).")
@click.option("--ap", "ap_column", required=True, metavar="COLUMN", help="Antero-posterior column.")
@click.option("--rate", "rate_hz", type=float, metavar="HZ", help="Sampling rate in Hz (or give --time).")
@click.option("--time", "time_column", metavar="COLUMN",
              help="Time column in seconds; the rate is 1 / its median interval (every interval within 1 % of it).")
def analyze(files: tuple[Path, ...], ml_column: str, ap_column: str, rate_hz: float | None,
            time_column: str | None) -> None:
    """Print the published sway measures of each FILE as one JSON object per line.

    FILE is delimited text with a header row (tab, comma or spaces). Each object holds file,
    n_samples, rate_hz, duration_s (N / rate) and path_length, mean_velocity(_ml/_ap),
    rms_ml/ap/radius, mean_distance, range_ml/ap, ellipse_area_95, sway_area_per_second,
    mean_frequency and mean_power_frequency, in the file's units (docs/metrics.md).
    Give exactly one of --rate and --time.

    \b
    Example:
      proprio analyze ../shared/data/bds/BDS00001.txt --ml COPy --ap COPx --time Time
    """
    if (rate_hz is None) == (time_column is None):
        raise click.UsageError("give exactly one of --rate HZ or --time COLUMN")
    # Imported here, not at the top: every `proprio` command imports this module at start-up, and the
    # measures bring numpy and scipy (about a second of CPU) that only this command needs.
    from telemetry.measures.analysis import analyze_file

    for path in files:
        row = analyze_file(path, ml_column=ml_column, ap_column=ap_column, rate_hz=rate_hz, time_column=time_column)
        click.echo(json.dumps(row, allow_nan=False))
