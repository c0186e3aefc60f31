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
    assert list(row) == ["file", "n_samples", "rate_hz", "duration_s", *MEASURE_NAMES, "reference"]
    assert row["reference"]["measures"] is None
    assert row["reference"]["reason"].startswith("no percentile rank: give --age, --vision, --surface")
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


# --- the reference group and percentile ranks ---------------------------------------------------


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(cli, ["analyze", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_age_and_condition_give_the_group_and_percentile_ranks(trace_file):
    out = _invoke([str(trace_file), "--ml", "COPy", "--ap", "COPx", "--rate", "100",
                   "--age", "67", "--vision", "closed", "--surface", "foam"])
    reference = json.loads(out)["reference"]
    assert reference["group"] == {"age_band": "older", "ages": "60 and over", "vision": "closed", "surface": "foam"}
    assert "PeerJ 4:e2648" in reference["source"]
    assert set(reference["measures"]) == {"mean_velocity", "ellipse_area_95", "mean_power_frequency"}
    for ranked in reference["measures"].values():
        assert 0.0 <= ranked["percentile_rank"] <= 100.0 and ranked["n_subjects"] >= 70
    assert any("lasted 3.0 s" in note for note in reference["notes"])  # a 3 s trace: its area is not comparable


def test_columns_not_in_a_length_unit_or_without_a_unit_get_no_rank_and_say_so(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("t,ml[deg],ap[deg],x,y\n" + "\n".join(f"{i},{math.sin(i)},{math.cos(i / 3)},{i % 7},{i % 5}"
                                                            for i in range(200)) + "\n")
    options = ["--rate", "10", "--age", "30", "--vision", "open", "--surface", "firm"]
    reference = json.loads(_invoke([str(path), "--ml", "ML", "--ap", "ap", *options]))["reference"]
    assert reference["measures"] is None and "converted_from" not in reference
    assert "the file's COP columns are in deg, and the reference is in cm" in reference["reason"]
    out = _invoke([str(path), "--ml", "x", "--ap", "y", *options])
    assert "carry no unit" in json.loads(out)["reference"]["reason"]
    out = _invoke([str(path), "--ml", "x", "--ap", "ml", *options])
    assert "are in deg and no unit" in json.loads(out)["reference"]["reason"]


def _in_mm(cm_file: Path, out: Path) -> Path:
    """The same trace written in mm: every [cm] column's values x 10 and its name's unit [mm]."""
    lines = cm_file.read_text().splitlines()
    header = lines[0].split("\t")
    scaled = [i for i, name in enumerate(header) if name.endswith("[cm]")]
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        rows.append("\t".join(repr(float(c) * 10) if i in scaled else c for i, c in enumerate(cells)))
    out.write_text("\t".join(n.replace("[cm]", "[mm]") for n in header) + "\n" + "\n".join(rows) + "\n")
    return out


def _ranks(reference: dict) -> dict[str, float]:
    return {name: ranked["percentile_rank"] for name, ranked in reference["measures"].items()}


def test_a_trace_in_mm_is_converted_to_cm_and_ranked_like_the_same_trace_in_cm(trace_file, tmp_path):
    options = ["--ml", "COPy", "--ap", "COPx", "--rate", "100", "--age", "67", "--vision", "closed",
               "--surface", "foam"]
    in_cm = json.loads(_invoke([str(trace_file), *options]))
    in_mm = json.loads(_invoke([str(_in_mm(trace_file, tmp_path / "trace_mm.txt")), *options]))
    assert in_mm["mean_velocity"] == pytest.approx(10 * in_cm["mean_velocity"], rel=1e-9)  # output in the file's mm
    assert in_mm["ellipse_area_95"] == pytest.approx(100 * in_cm["ellipse_area_95"], rel=1e-9)
    reference = in_mm["reference"]
    assert reference["converted_from"] == "mm" and "converted_from" not in in_cm["reference"]
    assert reference["notes"][0].startswith("converted from mm")
    assert _ranks(reference) == _ranks(in_cm["reference"])
    assert reference["measures"]["mean_velocity"]["value"] == pytest.approx(in_cm["mean_velocity"], rel=1e-9)
    assert reference["measures"]["ellipse_area_95"]["value"] == pytest.approx(in_cm["ellipse_area_95"], rel=1e-9)
    assert reference["measures"]["mean_power_frequency"]["value"] == pytest.approx(
        in_cm["mean_power_frequency"], rel=1e-9)


def test_a_bds_trial_rewritten_in_mm_gets_the_ranks_of_the_original(bds_dir, tmp_path):
    options = ["--ml", "COPy", "--ap", "COPx", "--time", "Time", "--age", "33", "--vision", "open",
               "--surface", "firm"]
    original = json.loads(_invoke([str(bds_dir / "BDS00001.txt"), *options]))
    in_mm = json.loads(_invoke([str(_in_mm(bds_dir / "BDS00001.txt", tmp_path / "BDS00001_mm.txt")), *options]))
    assert in_mm["reference"]["converted_from"] == "mm"
    assert _ranks(in_mm["reference"]) == _ranks(original["reference"])
    assert 0 < _ranks(original["reference"])["mean_velocity"] < 100


def test_an_implausible_age_or_unknown_condition_is_an_error_before_any_output(capsys, trace_file):
    code, out, err = _run_main(capsys, [str(trace_file), "--ml", "COPy", "--ap", "COPx", "--rate", "100",
                                        "--age", "-4", "--vision", "open", "--surface", "firm"])
    assert (code, out) == (1, "")
    assert err.startswith("Error: an age of -4.0 years is not plausible")
    code, out, err = _run_main(capsys, [str(trace_file), "--ml", "COPy", "--ap", "COPx", "--rate", "100",
                                        "--vision", "half"])
    assert (code, out) == (2, "")
    assert "'half' is not one of 'open', 'closed'" in err


def test_bds_trial_rank_is_its_place_among_the_reference_subjects(bds_dir):
    from telemetry.measures.reference import subject_means

    row = json.loads(_invoke([str(bds_dir / "BDS00001.txt"), "--ml", "COPy", "--ap", "COPx", "--time", "Time",
                              "--age", "33", "--vision", "open", "--surface", "firm"]))
    ranked = row["reference"]["measures"]["mean_velocity"]
    means = subject_means("young", "open", "firm", "cop_velocity_cm_s")
    below = sum(1 for m in means if m < row["mean_velocity"])
    assert ranked["percentile_rank"] == round(100 * below / len(means), 1)
    assert 0 < below < len(means) and row["reference"]["notes"][-1].startswith("the rank places one trial")


def test_library_refuses_both_or_neither_of_rate_and_time(trace_file):
    with pytest.raises(AnalysisRequestError, match="exactly one"):
        analyze_file(trace_file, ml_column="COPy", ap_column="COPx")
    with pytest.raises(AnalysisRequestError, match="exactly one"):
        analyze_file(trace_file, ml_column="COPy", ap_column="COPx", rate_hz=100.0, time_column="Time")
    row = analyze_file(trace_file, ml_column="copy", ap_column="copx", time_column="time")
    assert row["rate_hz"] == pytest.approx(100.0)
    assert row["n_samples"] == 300


# --- one session of a proprio export (--session) -------------------------------------------------


@pytest.fixture(scope="module")
def export_dirs(tmp_path_factory) -> dict[str, Path]:
    """A CSV and an NDJSON export of two 5 s simulated sessions; session 2's raw unit set to cm."""
    import sqlite3

    from game.play import Game, PlayOptions
    base = tmp_path_factory.mktemp("analyze-export")
    db_path = base / "p.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PROPRIO_DATA_DIR", str(base / "data"))
        mp.setenv("PROPRIO_CONFIG_DIR", str(base / "config"))
        for seed in (2, 3):
            Game(PlayOptions(level="garden-balance", player="kid-07", input="sim", headless=True, fast=True,
                             duration_s=5, seed=seed, db_path=db_path, sound=False)).run()
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE samples SET raw_unit = 'cm' WHERE session_id = 2")
    con.close()
    dirs = {}
    for fmt in ("csv", "ndjson"):
        dirs[fmt] = base / fmt
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PROPRIO_DATA_DIR", str(base / "data"))
            mp.setenv("PROPRIO_CONFIG_DIR", str(base / "config"))
            result = CliRunner().invoke(cli, ["export", "--all", "--format", fmt, "--out", str(dirs[fmt]),
                                              "--db", str(db_path)])
        assert result.exit_code == 0, result.output
    return dirs


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_session_of_an_export_is_analyzed_from_its_samples(export_dirs, fmt):
    from telemetry.export.tables import read_export_table
    from telemetry.measures.sway import sway_measures

    folder = export_dirs[fmt]
    options = ["--age", "40", "--vision", "open", "--surface", "firm"]
    tilt = json.loads(_invoke([str(folder), "--session", "1", *options]))
    assert (tilt["session_id"], tilt["n_samples"], tilt["duration_s"]) == (1, 600, pytest.approx(5.0))
    assert tilt["rate_hz"] == pytest.approx(120.0)
    samples = sorted((r for r in read_export_table(folder, "samples") if r["session_id"] == 1), key=lambda r: r["step"])
    expected = sway_measures([r["raw_x"] for r in samples], [r["raw_y"] for r in samples], 120.0).as_dict()
    assert tilt["mean_velocity"] == pytest.approx(expected["mean_velocity"], rel=1e-9)
    assert "are in deg" in tilt["reference"]["reason"] and tilt["reference"]["measures"] is None
    in_cm = json.loads(_invoke([str(folder), "--session", "2", *options]))
    assert set(in_cm["reference"]["measures"]) == {"mean_velocity", "ellipse_area_95", "mean_power_frequency"}
    normalized = json.loads(_invoke([str(folder), "--session", "2", "--ml", "x", "--ap", "y", *options]))
    assert "carry no unit" in normalized["reference"]["reason"]


def test_unknown_session_or_folder_is_an_error_line(capsys, export_dirs, tmp_path):
    code, out, err = _run_main(capsys, [str(export_dirs["csv"]), "--session", "9"])
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {export_dirs['csv']}: the export holds no samples of session 9")
    assert "pick one of the sessions it holds: 1, 2" in err
    code, out, err = _run_main(capsys, [str(export_dirs["ndjson"]), "--session", "1", "--ml", "raw_unit"])
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {export_dirs['ndjson']} session 1: column 'raw_unit' has empty or non-numeric")
    code, _, err = _run_main(capsys, [str(tmp_path), "--session", "1"])
    assert code == 1 and err.startswith(f"Error: {tmp_path} holds no export of table 'samples'")
    code, _, err = _run_main(capsys, [str(tmp_path / "trace.txt"), "--rate", "100"])
    assert code == 2 and "give the columns to analyze: --ml COLUMN and --ap COLUMN" in err


def test_a_session_exported_in_mm_is_ranked_after_converting_to_cm(export_dirs, tmp_path):
    import shutil

    folder = tmp_path / "ndjson-mm"
    shutil.copytree(export_dirs["ndjson"], folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    samples = folder / manifest["tables"]["samples"]["file"]
    rows = [json.loads(line) for line in samples.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        if row["session_id"] == 2:  # session 2 is stored in cm (the fixture): the same positions in mm
            row.update(raw_unit="mm", raw_x=row["raw_x"] * 10, raw_y=row["raw_y"] * 10)
    samples.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    options = ["--session", "2", "--age", "40", "--vision", "open", "--surface", "firm"]
    in_cm = json.loads(_invoke([str(export_dirs["ndjson"]), *options]))
    in_mm = json.loads(_invoke([str(folder), *options]))
    assert in_mm["mean_velocity"] == pytest.approx(10 * in_cm["mean_velocity"], rel=1e-9)
    assert in_mm["reference"]["converted_from"] == "mm" and "converted_from" not in in_cm["reference"]
    assert _ranks(in_mm["reference"]) == _ranks(in_cm["reference"])
