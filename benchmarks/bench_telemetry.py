"""Telemetry writing speed, each figure beside a baseline measured in the same run.

Usage: python benchmarks/bench_telemetry.py [--rows N] [--loop-seconds S] [--repeats R] [--game-root PATH]

1. Ingestion: sample rows through ``TelemetryWriter`` (submit every batch, then wait for the drain)
   beside a bare ``executemany`` of ready-made tuples into the same schema, on a connection opened
   the same way (``open_db``: WAL, synchronous=NORMAL, foreign keys) with the same transaction
   discipline (one ``BEGIN IMMEDIATE`` ... ``COMMIT`` per batch). Batches of 30 rows (what the
   game hands over every 30 steps, 0.25 s at 120 Hz) and of 250 rows (0.25 s of a 1 kHz device's
   readings). The writer is fed rows in the shape the recorder of the measured checkout makes them
   (tuples in the table's column order since issue 15, dicts before). Ratios are on CPU time
   (this process's threads), the issue's goal being at least 0.8x the baseline's throughput.
2. What one hand-off costs the game: the writer thread's CPU time per batch (``time.thread_time``
   around its write). That is an upper bound on how long it holds the GIL, that is, on how long it
   can keep the game's thread waiting (goal: under 0.3 ms). Median, p99 and max.
3. A real-time 60 Hz loop (3 ms of Python work per frame standing in for the simulation and the
   drawing) making 1 kHz sample rows and handing them over every 0.25 s: its per-frame work time
   with the writer running beside the same loop whose hand-offs are thrown away.

Export and analysis speeds are in bench_export.py and bench_analyze.py, the report's in
bench_report.py.
"""

from __future__ import annotations

import argparse
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import add_game_root_option, footer, header, interleaved, use_game_root  # noqa: E402

GAME_ROOT = use_game_root()

import numpy as np  # noqa: E402

import telemetry.store.writer as writer_module  # noqa: E402
from telemetry.store.database import open_db  # noqa: E402
from telemetry.store.sessions import create_session  # noqa: E402
from telemetry.store.writer import Batch, TelemetryWriter  # noqa: E402

DEVICE_HZ = 1000.0
FRAME_S = 1 / 60
COLUMNS = ("session_id", "step", "t_s", "x", "y", "raw_x", "raw_y", "raw_unit", "device_t_s")
#: True when the measured writer takes tuples in its fixed column order (the recorder makes those).
TUPLES = getattr(writer_module, "COLUMNS", {}).get("samples") == COLUMNS


def sample_rows(session_id: int, start: int, count: int, as_tuples: bool = TUPLES) -> list:
    """Sample rows shaped like the recorder's (a slow sway in degrees)."""
    rows: list = []
    for step in range(start, start + count):
        t = step / DEVICE_HZ
        x, y = 0.1 * math.sin(t), 0.08 * math.cos(0.7 * t)
        values = (session_id, step, t, x, y, 12 * x, 12 * y, "deg", t)
        rows.append(values if as_tuples else dict(zip(COLUMNS, values, strict=True)))
    return rows


def fresh_db(folder: Path, name: str) -> tuple[Path, int]:
    """A new migrated database with one running session."""
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    session_id = create_session(db, {"player_id": "bench", "level": "bench", "device": "sim", "step_hz": DEVICE_HZ})
    db.close()
    return path, session_id


class TimedWriter(TelemetryWriter):
    """The writer, noting its own thread's CPU time for each batch it writes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.batch_cpu_s: list[float] = []

    def _write(self, db, item) -> None:
        cpu0 = time.thread_time()
        super()._write(db, item)
        if isinstance(item, Batch):
            self.batch_cpu_s.append(time.thread_time() - cpu0)


def ingest_writer(folder: Path, batches: list[list], per_batch: list[float] | None = None) -> None:
    """Write every batch through TelemetryWriter (submit all, then wait for the drain)."""
    path, session_id = fresh_db(folder, "writer.db")
    writer = TimedWriter(path).start()
    for rows in batches:
        writer.submit(Batch(samples=list(rows)))
    writer.finish(session_id, {"status": "completed"}, timeout_s=600)
    assert writer.error is None, writer.error
    assert writer.rows_written == sum(map(len, batches)), (writer.rows_written, sum(map(len, batches)))
    if per_batch is not None:
        per_batch.extend(writer.batch_cpu_s)


def ingest_executemany(folder: Path, tuples: list[list[tuple]]) -> None:
    """The bare baseline: executemany of tuples, one BEGIN IMMEDIATE ... COMMIT per batch, same connection setup."""
    path, _ = fresh_db(folder, "bare.db")
    db = open_db(path, migrate=False)
    conn = db.conn
    sql = f"insert into samples ({', '.join(COLUMNS)}) values ({', '.join('?' * len(COLUMNS))})"
    for rows in tuples:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, rows)
        conn.commit()
    db.close()


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


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile."""
    return float(np.percentile(np.array(values), q))


def main(argv: list[str] | None = None) -> int:
    """Run the comparisons and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="sample rows per ingestion run")
    parser.add_argument("--loop-seconds", type=float, default=5.0, help="seconds of each 60 Hz loop run (0: skip)")
    parser.add_argument("--repeats", type=int, default=3)
    add_game_root_option(parser)
    args = parser.parse_args(argv)
    header(f"Telemetry writing: Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; "
           f"CPU medians of {max(3, args.repeats)} repeats; rows handed over as {'tuples' if TUPLES else 'dicts'}",
           GAME_ROOT)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        # 1 and 2. ingestion, and the writer's CPU per batch
        print(f"\n1. Ingestion of {args.rows:,} sample rows, one transaction per batch")
        print(f"  {'':40s} {'CPU s':>8s} {'wall s':>8s} {'rows/s (CPU)':>14s} {'x baseline':>11s}")
        per_batch: dict[int, list[float]] = {}
        for size in (30, 250):
            batches = [sample_rows(1, start, min(size, args.rows - start)) for start in range(0, args.rows, size)]
            tuples = [sample_rows(1, start, min(size, args.rows - start), as_tuples=True)
                      for start in range(0, args.rows, size)]
            per_batch[size] = []
            timings = interleaved({
                "writer": lambda b=batches, s=size: ingest_writer(folder, b, per_batch[s]),
                "bare": lambda t=tuples: ingest_executemany(folder, t),
            }, args.repeats)
            writer_t, bare_t = timings["writer"], timings["bare"]
            for label, t in ((f"TelemetryWriter, {size}-row batches", writer_t),
                             (f"bare executemany, {size}-row (baseline)", bare_t)):
                print(f"  {label:40s} {t.cpu_s:8.3f} {t.wall_s:8.3f} {args.rows / t.cpu_s:14,.0f} "
                      f"{bare_t.cpu_s / t.cpu_s:10.2f}x")
            print(f"  {'  (wall-time ratio)':40s} {'':8s} {'':8s} {'':14s} {bare_t.wall_s / writer_t.wall_s:10.2f}x")

        print("\n2. The writer thread's CPU time per batch (an upper bound on how long it holds the GIL)")
        for size, values in per_batch.items():
            ms = [1e3 * v for v in values]
            print(f"  {size:4d}-row batches: median {statistics.median(ms):6.3f} ms   p99 {percentile(ms, 99):6.3f} ms"
                  f"   max {max(ms):6.3f} ms   ({len(ms)} batches)")

        # 3. frame time while writing
        if args.loop_seconds > 0:
            path, session_id = fresh_db(folder, "loop.db")
            work_s = 0.003
            base = frame_loop(args.loop_seconds, None, session_id, work_s)
            writer = TelemetryWriter(path).start()
            loaded = frame_loop(args.loop_seconds, writer, session_id, work_s)
            writer.finish(session_id, {"status": "completed"})
            print(f"\n3. A real-time 60 Hz loop producing 1 kHz samples, {args.loop_seconds:g} s each, "
                  f"{len(loaded)} frames (3 ms of Python work per frame)")
            print("                                        p50 ms   p99 ms   max ms")
            for label, frames in (("hand-offs thrown away (baseline)", base),
                                  ("writer writing (real hand-offs)", loaded)):
                print(f"  {label:34s} {percentile(frames, 50):8.3f} {percentile(frames, 99):8.3f} "
                      f"{max(frames):8.3f}")
            print(f"  added by telemetry                 {percentile(loaded, 50) - percentile(base, 50):8.3f} "
                  f"{percentile(loaded, 99) - percentile(base, 99):8.3f} {max(loaded) - max(base):8.3f}")
            print(f"  frames over the 16.7 ms budget: baseline {sum(f > 1000 * FRAME_S for f in base)}, "
                  f"with writer {sum(f > 1000 * FRAME_S for f in loaded)}; rows written {writer.rows_written}")
    footer()
    return 0


if __name__ == "__main__":
    sys.exit(main())
