"""Telemetry speed, each figure beside a baseline measured in the same run.

Usage: python benchmarks/bench_telemetry.py [--rows N] [--loop-seconds S] [--export-minutes M]
                                            [--repeats R] [--bds DIR]

1. Sustained ingestion: sample rows/s through TelemetryWriter (batches of 250 rows, as the game
   hands over 0.25 s of a 1 kHz device) beside a bare ``executemany`` into the same schema, one
   transaction per batch too.
2. Frame time while writing 1 kHz samples: a real-time 60 Hz loop (with ~3 ms of Python work per
   frame standing in for the simulation and drawing) builds 1 kHz sample rows and hands them over
   every 0.25 s; its per-frame work time with the writer running beside the same loop whose
   hand-offs are thrown away. The difference is what telemetry adds to a frame (GIL included).
3. Export of one 30-minute 1 kHz session: ``proprio export`` (CSV and NDJSON) beside the sqlite3
   command-line shell's ``.mode csv`` export of the same samples.
4. The sway measures over the 18 shared BDS trials beside computing only their path length.
"""

from __future__ import annotations

import argparse
import math
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_metrics import median_s  # noqa: E402

from telemetry.export.tables import export_tables  # noqa: E402
from telemetry.measures.sway import path_length, sway_measures  # noqa: E402
from telemetry.store.database import open_db  # noqa: E402
from telemetry.store.queries import Selection  # noqa: E402
from telemetry.store.sessions import create_session  # noqa: E402
from telemetry.store.writer import Batch, TelemetryWriter  # noqa: E402

DEVICE_HZ = 1000.0
BATCH_ROWS = 250  # 0.25 s at 1 kHz: what the game hands over at a time
FRAME_S = 1 / 60
COLUMNS = ("session_id", "step", "t_s", "x", "y", "raw_x", "raw_y", "raw_unit", "device_t_s")


def sample_rows(session_id: int, start: int, count: int) -> list[dict]:
    """Sample rows shaped like the game's (a slow sway in degrees)."""
    rows = []
    for step in range(start, start + count):
        t = step / DEVICE_HZ
        x, y = 0.1 * math.sin(t), 0.08 * math.cos(0.7 * t)
        rows.append({"session_id": session_id, "step": step, "t_s": t, "x": x, "y": y, "raw_x": 12 * x,
                     "raw_y": 12 * y, "raw_unit": "deg", "device_t_s": t})
    return rows


def fresh_db(folder: Path, name: str) -> tuple[Path, int]:
    """A new migrated database with one running session."""
    path = folder / name
    db = open_db(path)
    session_id = create_session(db, {"player_id": "bench", "level": "bench", "device": "sim", "step_hz": DEVICE_HZ})
    db.close()
    return path, session_id


def ingest_writer(folder: Path, batches: list[list[dict]], tag: str) -> float:
    """Seconds to write every batch through TelemetryWriter (submit all, then wait for the drain)."""
    path, session_id = fresh_db(folder, f"writer-{tag}.db")
    writer = TelemetryWriter(path).start()
    start = time.perf_counter()
    for rows in batches:
        writer.submit(Batch(samples=rows))
    writer.finish(session_id, {"status": "completed"}, timeout_s=600)
    elapsed = time.perf_counter() - start
    assert writer.error is None, writer.error
    return elapsed


def ingest_executemany(folder: Path, batches: list[list[dict]], tag: str) -> float:
    """Seconds for the bare baseline: executemany of tuples, one transaction per batch, same pragmas."""
    path, _ = fresh_db(folder, f"bare-{tag}.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = NORMAL")
    sql = f"insert into samples ({', '.join(COLUMNS)}) values ({', '.join('?' * len(COLUMNS))})"
    tuples = [[tuple(row[c] for c in COLUMNS) for row in rows] for rows in batches]
    start = time.perf_counter()
    for rows in tuples:
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def busy_work(seconds: float) -> None:
    """Pure-Python work standing in for a frame's simulation and drawing (holds the GIL like they do)."""
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(range(200))


def frame_loop(seconds: float, writer: TelemetryWriter | None, session_id: int, work_s: float) -> list[float]:
    """Per-frame work times (ms) of a real-time 60 Hz loop producing 1 kHz samples."""
    frames: list[float] = []
    batch, step, handed_at = Batch(), 0, 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        frame_start = time.perf_counter()
        due = int((frame_start - start) * DEVICE_HZ)
        batch.samples.extend(sample_rows(session_id, step, due - step))
        step = due
        busy_work(work_s)
        if (frame_start - start) - handed_at >= 0.25:
            if writer is not None:
                writer.submit(batch)
            batch, handed_at = Batch(), frame_start - start
        frames.append((time.perf_counter() - frame_start) * 1000)
        spare = FRAME_S - (time.perf_counter() - frame_start)
        if spare > 0:
            time.sleep(spare)
    return frames


def big_session(folder: Path, minutes: float) -> tuple[Path, int, int]:
    """A database holding one session of ``minutes`` of 1 kHz samples (written in bulk)."""
    path, session_id = fresh_db(folder, "export.db")
    conn = sqlite3.connect(path, isolation_level=None)
    total = int(minutes * 60 * DEVICE_HZ)
    sql = f"insert into samples ({', '.join(COLUMNS)}) values ({', '.join('?' * len(COLUMNS))})"
    conn.execute("BEGIN")
    chunk = 100_000
    for start in range(0, total, chunk):
        steps = np.arange(start, min(start + chunk, total))
        t = steps / DEVICE_HZ
        x, y = 0.1 * np.sin(t), -0.08 * np.cos(0.7 * t)
        conn.executemany(sql, zip(
            [session_id] * steps.size, steps.tolist(), t.tolist(), x.tolist(), y.tolist(), (12 * x).tolist(),
            (12 * y).tolist(), ["deg"] * steps.size, t.tolist(), strict=True))
    conn.execute("COMMIT")
    conn.execute("update sessions set status = 'completed', duration_s = ? where id = ?", [total / DEVICE_HZ,
                                                                                            session_id])
    conn.close()
    return path, session_id, total


def _first_floats(path: Path, rows: int) -> list[tuple[float, ...]]:
    """x, y, raw_x, raw_y of the first rows of a samples CSV, as floats."""
    with open(path, encoding="utf-8-sig") as handle:
        next(handle)
        return [tuple(float(v) for v in line.split(",")[3:7]) for _, line in zip(range(rows), handle, strict=False)]


def _first_floats_db(path: Path, rows: int) -> list[tuple[float, ...]]:
    conn = sqlite3.connect(path)
    values = conn.execute("select x, y, raw_x, raw_y from samples order by session_id, step limit ?", [rows]).fetchall()
    conn.close()
    return values


def _same(read: list[tuple[float, ...]], stored: list[tuple[float, ...]]) -> float:
    return sum(a == b for r, s in zip(read, stored, strict=True) for a, b in zip(r, s, strict=True)) / (4 * len(stored))


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile."""
    return float(np.percentile(np.array(values), q))


def main(argv: list[str] | None = None) -> int:
    """Run the four comparisons and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000, help="sample rows per ingestion run")
    parser.add_argument("--loop-seconds", type=float, default=10.0, help="seconds of each 60 Hz loop run")
    parser.add_argument("--export-minutes", type=float, default=30.0, help="length of the exported 1 kHz session")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--bds", type=Path, default=REPO.parent / "shared" / "data" / "bds")
    args = parser.parse_args(argv)
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, numpy {np.__version__}; "
          f"medians of {args.repeats} repeats")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        # 1. ingestion
        batches = [sample_rows(1, start, BATCH_ROWS) for start in range(0, args.rows, BATCH_ROWS)]
        writer_s = statistics.median(ingest_writer(folder, batches, str(i)) for i in range(args.repeats))
        bare_s = statistics.median(ingest_executemany(folder, batches, str(i)) for i in range(args.repeats))
        print(f"\n1. Ingestion of {args.rows} sample rows in batches of {BATCH_ROWS} (one transaction each)")
        print(f"  TelemetryWriter (insert_all)        {args.rows / writer_s:12,.0f} rows/s   {writer_s:7.2f} s")
        print(f"  bare executemany (baseline)         {args.rows / bare_s:12,.0f} rows/s   {bare_s:7.2f} s")
        print(f"  writer / baseline throughput        {bare_s / writer_s:12.2f}")
        print(f"  headroom over a 1 kHz device        {args.rows / writer_s / DEVICE_HZ:12.0f} x")

        # 2. frame time while writing
        path, session_id = fresh_db(folder, "loop.db")
        work_s = 0.003
        base = frame_loop(args.loop_seconds, None, session_id, work_s)
        writer = TelemetryWriter(path).start()
        loaded = frame_loop(args.loop_seconds, writer, session_id, work_s)
        writer.finish(session_id, {"status": "completed"})
        print(f"\n2. A real-time 60 Hz loop producing 1 kHz samples, {args.loop_seconds:.0f} s each, "
              f"{len(loaded)} frames (3 ms of Python work per frame)")
        print("                                        p50 ms   p99 ms   max ms")
        for label, frames in (("hand-offs thrown away (baseline)", base), ("writer writing (real hand-offs)", loaded)):
            print(f"  {label:34s} {percentile(frames, 50):8.3f} {percentile(frames, 99):8.3f} {max(frames):8.3f}")
        print(f"  added by telemetry                 {percentile(loaded, 50) - percentile(base, 50):8.3f} "
              f"{percentile(loaded, 99) - percentile(base, 99):8.3f} {max(loaded) - max(base):8.3f}")
        print(f"  frames over the 16.7 ms budget: baseline {sum(f > 1000 * FRAME_S for f in base)}, "
              f"with writer {sum(f > 1000 * FRAME_S for f in loaded)}; rows written {writer.rows_written}")

        # 3. export of a 30-minute 1 kHz session
        path, session_id, total = big_session(folder, args.export_minutes)
        print(f"\n3. Export of one {args.export_minutes:g}-minute 1 kHz session ({total:,} samples)")
        timings = {}
        for fmt in ("csv", "ndjson"):
            def run(fmt=fmt):
                out = folder / f"out-{fmt}"
                shutil.rmtree(out, ignore_errors=True)
                db = open_db(path)
                export_tables(db, Selection(sessions=(session_id,)), out, fmt=fmt)
                db.close()
            timings[fmt] = median_s(run, args.repeats)
        size = (folder / "out-csv" / "samples.csv").stat().st_size
        print(f"  proprio export --format csv         {timings['csv']:7.2f} s  {total / timings['csv']:12,.0f} rows/s"
              f"  ({size / 1e6:.0f} MB)")
        print(f"  proprio export --format ndjson      {timings['ndjson']:7.2f} s  "
              f"{total / timings['ndjson']:12,.0f} rows/s")
        shell = shutil.which("sqlite3")
        if shell is None:
            print("  sqlite3 command-line shell not found: no baseline (apt-get install sqlite3)")
        else:
            def cli():
                with open(folder / "cli.csv", "wb") as handle:
                    subprocess.run([shell, "-csv", "-header", str(path),
                                    f"select * from samples where session_id = {session_id}"],
                                   stdout=handle, check=True)
            cli_s = median_s(cli, args.repeats)
            print(f"  sqlite3 .mode csv (baseline)        {cli_s:7.2f} s  {total / cli_s:12,.0f} rows/s"
                  f"  ({(folder / 'cli.csv').stat().st_size / 1e6:.0f} MB)")
            print(f"  proprio csv / sqlite3 shell         {timings['csv'] / cli_s:7.2f}")
            ours, theirs = (_first_floats(p, 10_000) for p in (folder / "out-csv" / "samples.csv", folder / "cli.csv"))
            exact = _first_floats_db(path, 10_000)
            print(f"  floats read back exactly (first 10,000 rows): proprio {_same(ours, exact):.1%}, "
                  f"sqlite3 shell {_same(theirs, exact):.1%} (the shell prints 15 significant digits)")

    # 4. measures over the shared trials
    files = sorted(args.bds.glob("BDS[0-9]*.txt"))
    if not files:
        print(f"\n4. no BDS*.txt trials in {args.bds}: measures skipped")
        return 0
    traces = [(d[:, 8], d[:, 7]) for d in (np.loadtxt(f, skiprows=1) for f in files)]
    all_s = median_s(lambda: [sway_measures(ml, ap, 100.0) for ml, ap in traces], max(args.repeats, 5))
    path_s = median_s(lambda: [path_length(ml, ap, 100.0) for ml, ap in traces], max(args.repeats, 5))
    print(f"\n4. Sway measures over the {len(files)} shared BDS trials ({sum(ml.size for ml, _ in traces)} samples)")
    print(f"  sway_measures (all 14)              {1e3 * all_s:8.2f} ms  {1e3 * all_s / len(files):7.3f} ms/trial")
    print(f"  path_length only (baseline)         {1e3 * path_s:8.2f} ms  {1e3 * path_s / len(files):7.3f} ms/trial")
    print(f"  all 14 / path length only           {all_s / path_s:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
