"""Export speed of one 1 kHz session beside the sqlite3 shell, and whether every float reads back exactly.

Usage: python benchmarks/bench_export.py [--minutes M] [--repeats R] [--game-root PATH]

The session is made by the game's own recorder (``Recorder.begin`` ... ``LevelRecording.step``,
``readings`` and ``finish``): M minutes of 120 Hz steps and of a 1 kHz device's readings, in a
temporary database. Then, CPU medians over the repeats (wall time beside them):

* ``export_tables`` to CSV and to NDJSON, in this process (what ``proprio export`` spends after
  start-up), and the whole ``proprio export`` command (start-up included) as a child process;
* the baseline: the ``sqlite3`` command-line shell writing the same two big tables (samples and
  readings, every column) with ``-csv -header`` (and, for reference, ``.mode json``).

Goals (issue 15): CSV at most 2x the shell, NDJSON at most 2.5x, while every float reads back
exactly (the share of floats of the first rows equal to the stored double is printed for ours
and the shell's, which prints 15 significant digits).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import add_game_root_option, footer, header, interleaved, use_game_root  # noqa: E402

GAME_ROOT = use_game_root()

import numpy as np  # noqa: E402

from game.input.pose import Pose, Reading  # noqa: E402
from game.session import SessionStep  # noqa: E402
from telemetry.export.tables import export_tables  # noqa: E402
from telemetry.store.database import open_for_reading  # noqa: E402
from telemetry.store.queries import Selection  # noqa: E402
from telemetry.store.recorder import Recorder  # noqa: E402

STEP_HZ = 120
DEVICE_HZ = 1000
BIG_TABLES = ("samples", "readings")


def synthesise(path: Path, minutes: float) -> tuple[int, dict[str, int]]:
    """Record one session through the game's recorder: 120 Hz steps and 1 kHz readings of a swaying board."""
    recorder = Recorder(path, max_held_rows={"samples": 1 << 40, "readings": 1 << 40})
    recording = recorder.begin({"player_id": "bench-1", "level": "bench", "device": "sim", "step_hz": STEP_HZ,
                                "seed": 1}, [])
    rng = np.random.default_rng(1)
    steps = int(minutes * 60 * STEP_HZ)
    readings_t = np.arange(int(minutes * 60 * DEVICE_HZ)) / DEVICE_HZ
    sway_x = np.cumsum(rng.normal(0, 0.02, readings_t.size)) + 3 * np.sin(0.4 * readings_t)
    sway_y = np.cumsum(rng.normal(0, 0.02, readings_t.size)) + 2 * np.cos(0.3 * readings_t)
    tx, xs, ys = readings_t.tolist(), sway_x.tolist(), sway_y.tolist()
    done = 0
    for step in range(steps):
        t = step / STEP_HZ
        upto = min(len(tx), int((step + 1) * DEVICE_HZ / STEP_HZ))
        recording.readings([Reading(tx[i], xs[i], ys[i]) for i in range(done, upto)], "deg")
        newest = max(upto - 1, 0)
        done = upto
        pose = Pose(tx[newest], xs[newest] / 15, ys[newest] / 15, xs[newest], ys[newest], "deg")
        recording.step(SessionStep(step, t, pose, [], [], []))
    losses = recording.finish({"status": "completed", "duration_s": steps / STEP_HZ}, {})
    assert losses.lost_rows == 0, losses
    session_id = recording.session_id
    recorder.close()
    conn = sqlite3.connect(path)
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in BIG_TABLES}
    conn.close()
    return session_id, counts


def export_in_process(path: Path, session_id: int, out: Path, fmt: str) -> None:
    """export_tables as ``proprio export --session N`` calls it."""
    shutil.rmtree(out, ignore_errors=True)
    opened = open_for_reading(path)
    try:
        export_tables(opened.db, Selection(sessions=(session_id,)), out, fmt=fmt)
    finally:
        opened.db.close()


def export_command(path: Path, session_id: int, out: Path, fmt: str) -> None:
    """The whole ``proprio export`` command, start-up included, as a child process."""
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, "-c", "import sys; from game.cli import main; main(sys.argv[1:])",
                    "export", "--session", str(session_id), "--format", fmt, "--out", str(out), "--db", str(path),
                    "--no-progress"], check=True, stdout=subprocess.DEVNULL, cwd=GAME_ROOT)


def shell_export(shell: str, path: Path, session_id: int, out: Path, mode: str) -> None:
    """The baseline: the sqlite3 shell writes samples and readings of the session, one file each."""
    out.mkdir(exist_ok=True)
    script = [f".mode {mode}", ".headers on"]
    for table in BIG_TABLES:
        order = "step" if table == "samples" else "seq"
        script += [f".once {out / f'{table}.{mode}'}",
                   f"select * from {table} where session_id = {session_id} order by {order};"]
    subprocess.run([shell, str(path)], input="\n".join(script) + "\n", text=True, check=True)


def stored_floats(path: Path, table: str, rows: int) -> list[tuple[float, ...]]:
    conn = sqlite3.connect(path)
    values = conn.execute(f"select device_t_s, raw_x, raw_y from {table} order by rowid limit ?", [rows]).fetchall()
    conn.close()
    return values


def csv_floats(path: Path, rows: int) -> list[tuple[float, ...]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(float(r["device_t_s"]), float(r["raw_x"]), float(r["raw_y"]))
                for _, r in zip(range(rows), reader, strict=False)]


def ndjson_floats(path: Path, rows: int) -> list[tuple[float, ...]]:
    with open(path, encoding="utf-8") as handle:
        out = []
        for _, line in zip(range(rows), handle, strict=False):
            r = json.loads(line)
            out.append((float(r["device_t_s"]), float(r["raw_x"]), float(r["raw_y"])))
        return out


def same_share(read: list[tuple[float, ...]], stored: list[tuple[float, ...]]) -> float:
    pairs = [(a, b) for r, s in zip(read, stored, strict=True) for a, b in zip(r, s, strict=True)]
    return sum(a == b for a, b in pairs) / len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the exported 1 kHz session")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--check-rows", type=int, default=50_000, help="readings rows checked for exact floats")
    add_game_root_option(parser)
    args = parser.parse_args(argv)
    header(f"Export of a {args.minutes:g}-minute session (120 Hz samples, 1 kHz readings); SQLite "
           f"{sqlite3.sqlite_version}; CPU medians of {max(3, args.repeats)} repeats", GAME_ROOT)
    shell = shutil.which("sqlite3")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "session.db"
        session_id, counts = synthesise(path, args.minutes)
        rows = sum(counts.values())
        size = path.stat().st_size
        print(f"  recorded by the game's recorder: {counts['samples']:,} samples, {counts['readings']:,} readings "
              f"({size / 1e6:.0f} MB database)")
        steps = {
            "csv": lambda: export_in_process(path, session_id, folder / "csv", "csv"),
            "ndjson": lambda: export_in_process(path, session_id, folder / "ndjson", "ndjson"),
            "cmd-csv": lambda: export_command(path, session_id, folder / "cmd-csv", "csv"),
        }
        if shell is not None:
            steps["shell-csv"] = lambda: shell_export(shell, path, session_id, folder / "shell", "csv")
            steps["shell-json"] = lambda: shell_export(shell, path, session_id, folder / "shell", "json")
        timings = interleaved(steps, args.repeats)
        base = timings.get("shell-csv")
        labels = {
            "csv": "export_tables, CSV", "ndjson": "export_tables, NDJSON",
            "cmd-csv": "proprio export --format csv (whole command)",
            "shell-csv": "sqlite3 shell -csv (baseline)", "shell-json": "sqlite3 shell .mode json (reference)",
        }
        print(f"\n  {'':44s} {'CPU s':>8s} {'wall s':>8s} {'rows/s (CPU)':>14s} {'x shell csv':>12s}"
              f" {'x shell json':>13s}")
        for key, t in timings.items():
            ratio = f"{t.ratio(base):11.2f}x" if base else "           -"
            json_ratio = f"{t.ratio(timings['shell-json']):12.2f}x" if "shell-json" in timings else ""
            print(f"  {labels[key]:44s} {t.cpu_s:8.3f} {t.wall_s:8.3f} {rows / t.cpu_s:14,.0f} {ratio} {json_ratio}")
        if shell is None:
            print("  sqlite3 command-line shell not found: no baseline (apt-get install sqlite3)")
        stored = stored_floats(path, "readings", args.check_rows)
        shares = {"proprio CSV": same_share(csv_floats(folder / "csv" / "readings.csv", len(stored)), stored),
                  "proprio NDJSON": same_share(ndjson_floats(folder / "ndjson" / "readings.ndjson", len(stored)),
                                               stored)}
        if shell is not None:
            shares["sqlite3 shell CSV"] = same_share(csv_floats(folder / "shell" / "readings.csv", len(stored)),
                                                     stored)
        print(f"\n  floats that read back exactly (the first {len(stored):,} readings, 3 floats each): "
              + ", ".join(f"{name} {share:.1%}" for name, share in shares.items()))
        for fmt in ("csv", "ndjson"):
            sizes = sum(f.stat().st_size for f in (folder / fmt).glob(f"*.{fmt}"))
            print(f"  {fmt} files: {sizes / 1e6:.0f} MB")
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
