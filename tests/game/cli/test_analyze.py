"""``proprio analyze`` end to end: the 18 BDS trials against published values, output shape, and errors."""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from game.cli import cli, main
from telemetry.measures import MEASURE_NAMES
from telemetry.measures.analysis import AnalysisRequestError, analyze_file

TRIALS = [f"BDS{n:05d}" for n in [*range(1, 13), *range(37, 43)]]
REL_TOL = 1e-6

# reference_published.csv (the BDS's own table) -> our name.
PUBLISHED = {"COParea_cm2": "ellipse_area_95", "COPvelo_cm_s": "mean_velocity", "COPmfreq_hz": "mean_power_frequency"}


def _same(n: int) -> float:
    return 1.0


def _quijoux_time(n: int) -> float:
    """Quijoux et al. divide by (N - 1) / fs where we divide by N / fs: theirs = ours x N / (N - 1)."""
    return n / (n - 1)


def _quijoux_covariance(n: int) -> float:
    """Quijoux et al. build the ellipse from the 1/N covariance, we (and the BDS) from 1/(N - 1):
    theirs = ours x (N - 1) / N, since sqrt(det) scales with the covariance's divisor."""
    return (n - 1) / n


# reference_quijoux2021_raw.csv -> (our name, factor(N) turning our value into theirs).
QUIJOUX = {
    "rms_ML": ("rms_ml", _same),
    "rms_AP": ("rms_ap", _same),
    "rms_Radius": ("rms_radius", _same),
    "mean_distance_Radius": ("mean_distance", _same),
    "range_ML": ("range_ml", _same),
    "range_AP": ("range_ap", _same),
    "sway_length_ML_AND_AP": ("path_length", _same),
    "mean_velocity_ML_AND_AP": ("mean_velocity", _same),
    "mean_velocity_ML": ("mean_velocity_ml", _same),
    "mean_velocity_AP": ("mean_velocity_ap", _same),
    "sway_area_per_second_ML_AND_AP": ("sway_area_per_second", _quijoux_time),
    "mean_frequency_ML_AND_AP": ("mean_frequency", _quijoux_time),
    "confidence_ellipse_area_ML_AND_AP": ("ellipse_area_95", _quijoux_covariance),
}


def _rel_err(ours: float, theirs: float) -> float:
    return abs(ours - theirs) / abs(theirs)


@cache
def _analyze_all(bds: Path, *rate_args: str) -> dict[str, dict]:
    """Run ``proprio analyze`` once over every trial; one parsed JSON line per trial."""
    files = [str(bds / f"{trial}.txt") for trial in TRIALS]
    result = CliRunner().invoke(cli, ["analyze", *files, "--ml", "COPy", "--ap", "COPx", *rate_args])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(TRIALS)
    rows = [json.loads(line) for line in lines]
    return {Path(row["file"]).stem: row for row in rows}


def _reference(bds: Path, name: str) -> dict[str, dict[str, str]]:
    with open(bds / name, newline="") as handle:
        return {row["trial"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("trial", TRIALS)
def test_bds_trial_matches_the_published_table(bds_dir, trial):
    row = _analyze_all(bds_dir, "--time", "Time")[trial]
    published = _reference(bds_dir, "reference_published.csv")[trial]
    for column, ours in PUBLISHED.items():
        assert _rel_err(row[ours], float(published[column])) < REL_TOL, (column, row[ours], published[column])


@pytest.mark.parametrize("trial", TRIALS)
def test_bds_trial_matches_quijoux_2021(bds_dir, trial):
    row = _analyze_all(bds_dir, "--time", "Time")[trial]
    reference = _reference(bds_dir, "reference_quijoux2021_raw.csv")[trial]
    n = row["n_samples"]
    for column, (ours, factor) in QUIJOUX.items():
        theirs = float(reference[column])
        assert _rel_err(row[ours] * factor(n), theirs) < REL_TOL, (column, row[ours], theirs)


def test_bds_rate_from_time_column_is_100_hz_and_agrees_with_rate_option(bds_dir):
    by_time = _analyze_all(bds_dir, "--time", "Time")
    by_rate = _analyze_all(bds_dir, "--rate", "100")
    for trial in TRIALS:
        assert by_time[trial]["n_samples"] == 6000
        assert by_time[trial]["rate_hz"] == pytest.approx(100.0, rel=1e-12)
        assert by_time[trial]["duration_s"] == pytest.approx(60.0, rel=1e-12)
        assert by_rate[trial]["rate_hz"] == 100.0
        assert by_rate[trial]["duration_s"] == 60.0
        for name in MEASURE_NAMES:
            assert by_rate[trial][name] == pytest.approx(by_time[trial][name], rel=1e-12)


def test_each_file_is_one_json_line_with_the_documented_keys(tmp_path):
    path = tmp_path / "trace.csv"
    turn = 2 * math.pi / 20  # five whole turns of a unit circle
    rows = "\n".join(f"{i / 10},{math.cos(i * turn)!r},{math.sin(i * turn)!r}" for i in range(100))
    path.write_text("t[s],ml[mm],ap[mm]\n" + rows + "\n")
    result = CliRunner().invoke(cli, ["analyze", str(path), str(path), "--ml", "ML", "--ap", "ap", "--rate", "10"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    row = json.loads(lines[0])
    assert list(row) == ["file", "n_samples", "rate_hz", "duration_s", *MEASURE_NAMES]
    assert row["file"] == str(path)
    assert row["n_samples"] == 100
    assert row["duration_s"] == 10.0
    assert row["rms_radius"] == pytest.approx(1.0, rel=1e-12)
    assert row["mean_frequency"] == pytest.approx(0.5 * 0.99 * math.sin(turn / 2) / (turn / 2), rel=1e-12)


def test_help_ends_with_an_example():
    result = CliRunner().invoke(cli, ["analyze", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "proprio analyze ../shared/data/bds/BDS00001.txt --ml COPy --ap COPx --time Time" in result.output


# --- errors, through main() as the installed command runs -------------------------------------


def _run_main(capsys, args: list[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(["analyze", *args])
    out, err = capsys.readouterr()
    return int(info.value.code), out, err


@pytest.fixture
def trace_file(tmp_path) -> Path:
    path = tmp_path / "trace.txt"
    rows = "\r\n".join(f"{i / 100:.2f}\t{math.cos(i / 7):.6f}\t{math.sin(i / 9):.6f}" for i in range(1, 301))
    path.write_text("Time[s]\tCOPx[cm]\tCOPy[cm]\r\n" + rows + "\r\n")
    return path


@pytest.mark.parametrize("extra", [[], ["--rate", "100", "--time", "Time"]])
def test_exactly_one_of_rate_and_time_is_required(capsys, trace_file, extra):
    code, out, err = _run_main(capsys, [str(trace_file), "--ml", "COPy", "--ap", "COPx", *extra])
    assert code == 2
    assert "give exactly one of --rate HZ or --time COLUMN" in err
    assert out == ""


def test_missing_column_is_an_error_line_listing_the_columns(capsys, trace_file):
    code, out, err = _run_main(capsys, [str(trace_file), "--ml", "COPz", "--ap", "COPx", "--rate", "100"])
    assert code == 1
    assert err.startswith(f"Error: {trace_file}: no column 'COPz'; the columns are 'Time[s]', 'COPx[cm]', 'COPy[cm]'")
    assert "Traceback" not in err


def test_missing_file_is_an_error_line(capsys, tmp_path):
    code, _, err = _run_main(capsys, [str(tmp_path / "nope.txt"), "--ml", "a", "--ap", "b", "--rate", "100"])
    assert code == 1
    assert err.startswith(f"Error: {tmp_path / 'nope.txt'}: cannot be read")


@pytest.mark.parametrize("rate", ["0", "-5", "nan"])
def test_non_positive_rate_is_an_error_line(capsys, trace_file, rate):
    code, _, err = _run_main(capsys, [str(trace_file), "--ml", "COPy", "--ap", "COPx", "--rate", rate])
    assert code == 1
    assert err.startswith(f"Error: {trace_file}: the sampling rate must be a positive number")


def test_irregular_time_column_is_an_error_line(capsys, tmp_path):
    path = tmp_path / "gappy.csv"
    times = [i / 100 for i in range(50)] + [i / 100 for i in range(51, 100)]  # one sample dropped
    path.write_text("t,x,y\n" + "\n".join(f"{t},{math.sin(t * 7)},{math.cos(t * 5)}" for t in times) + "\n")
    code, out, err = _run_main(capsys, [str(path), "--ml", "x", "--ap", "y", "--time", "t"])
    assert code == 1
    assert err.startswith(f"Error: {path}: column 't': sampling is irregular")
    assert out == ""


def test_non_numeric_cell_and_short_trace_are_error_lines(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("t,x,y\n0,1,2\n1,oops,3\n")
    code, _, err = _run_main(capsys, [str(bad), "--ml", "x", "--ap", "y", "--rate", "10"])
    assert (code, err.splitlines()[0]) == (1, f"Error: {bad}: line 3 (data row 2), column 'x': 'oops' is not a number")
    short = tmp_path / "short.csv"
    short.write_text("t,x,y\n0,1,2\n1,2,3\n")
    code, _, err = _run_main(capsys, [str(short), "--ml", "x", "--ap", "y", "--rate", "10"])
    assert code == 1
    assert err.startswith(f"Error: {short}: the trace has 2 samples; sway measures need at least 10")


def test_good_files_before_a_bad_one_are_still_printed(capsys, trace_file, tmp_path):
    code, out, err = _run_main(
        capsys, [str(trace_file), str(tmp_path / "gone.txt"), "--ml", "COPy", "--ap", "COPx", "--rate", "100"]
    )
    assert code == 1
    assert json.loads(out)["file"] == str(trace_file)
    assert "gone.txt: cannot be read" in err


def test_library_refuses_both_or_neither_of_rate_and_time(trace_file):
    with pytest.raises(AnalysisRequestError, match="exactly one"):
        analyze_file(trace_file, ml_column="COPy", ap_column="COPx")
    with pytest.raises(AnalysisRequestError, match="exactly one"):
        analyze_file(trace_file, ml_column="COPy", ap_column="COPx", rate_hz=100.0, time_column="Time")
    row = analyze_file(trace_file, ml_column="copy", ap_column="copx", time_column="time")
    assert row["rate_hz"] == pytest.approx(100.0)
    assert row["n_samples"] == 300
