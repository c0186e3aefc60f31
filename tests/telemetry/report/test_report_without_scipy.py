"""Measuring sessions and writing reports loads no scipy: its import alone cost a report ~1.4 s of CPU.

The guard is what a fresh process has in ``sys.modules`` after the work, never a timing
(benchmarks/bench_report.py prints the times).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.play import Game, PlayOptions
from tests.played import private_home

ROOT = Path(__file__).resolve().parents[3]

PROBE = """\
import json, sys
from game.cli import main
from telemetry.store.database import open_db
from telemetry.store.queries import session_measures


def run(*args):
    try:
        main(list(args))
    except SystemExit as exc:
        assert exc.code in (0, None), (args, exc.code)


db_path, trace, html, pdf = sys.argv[1:]
measures = session_measures(open_db(db_path), 1)
run("analyze", trace, "--ml", "ml", "--ap", "ap", "--time", "t")
run("report", "--player", "kid-08", "--out", html, "--db", db_path)
run("report", "--player", "kid-08", "--out", pdf, "--db", db_path)
print(json.dumps({"filter": measures.sway.filter if measures.sway else None,
                  "scipy": sorted(m for m in sys.modules if m == "scipy" or m.startswith("scipy."))}))
"""


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    """kid-08: one session of Garden Balance (balance trials: the sway plots and their ellipses are drawn)."""
    path = tmp_path_factory.mktemp("noscipy") / "p.db"
    with private_home(tmp_path_factory):
        Game(PlayOptions(level="garden-balance", player="kid-08", input="sim:0.5", headless=True, fast=True,
                         duration_s=20, seed=3, db_path=path, sound=False)).run()
    return path


def test_measures_analyze_and_both_reports_run_without_importing_scipy(played, tmp_path):
    trace = tmp_path / "trace.csv"
    t = np.arange(3000) / 100.0
    rng = np.random.default_rng(1)
    columns = np.column_stack([t, np.cumsum(rng.normal(size=t.size)), np.cumsum(rng.normal(size=t.size))])
    np.savetxt(trace, columns, delimiter=",", header="t,ml,ap", comments="")
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    done = subprocess.run([sys.executable, "-c", PROBE, str(played), str(trace), str(html), str(pdf)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()  # analyze's JSON line, the reports' messages, then the probe's line
    analyzed = json.loads(next(line for line in lines if line.startswith('{"file"')))
    shown = json.loads(lines[-1])
    assert analyzed["n_samples"] == 3000 and analyzed["mean_power_frequency"] > 0  # the Welch PSD ran
    assert analyzed["ellipse_area_95"] > 0  # and the F quantile
    assert "Butterworth" in shown["filter"]  # the session's trace went through the low-pass filter
    assert "<img" in html.read_text(encoding="utf-8") and pdf.read_bytes().startswith(b"%PDF")
    assert shown["scipy"] == []
