"""Attack the telemetry store as a failing machine would: a disk that fills mid-session, a lock held for seconds.

Usage: python benchmarks/attack_telemetry.py [--scenario disk|lock|memory|all] [--level sway-steps] [--play-s 20]
                                             [--fault-at-s 5] [--disk-s 6] [--lock-s 10]
                                             [--source DIR]

Each scenario runs the real ``proprio play --headless --input sim`` (real-time clock) in a child
process and injects a real fault from this process once the session's first samples are stored:

* ``disk``: the database lives on a small tmpfs (root: ``mount -t tmpfs``); a filler file takes every
  free byte for ``--disk-s`` seconds, then is deleted. Without root it falls back to
  ``PRAGMA max_page_count`` set to the database's page count on another connection (SQLite says
  "database or disk is full" the same way) and lifts it afterwards.
* ``lock``: a second sqlite3 connection holds ``BEGIN IMMEDIATE`` for ``--lock-s`` seconds (longer
  than the 5 s busy timeout).

It prints what the player and clinician were told, the session row (status, trials, seconds lost),
the trial rows actually stored, the largest gap between stored samples, and whether the difficulty
progress (``difficulty_state``) was saved.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _samples_stored(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            return int(conn.execute("select count(*) from samples").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _wait_for_play(path: Path, child: subprocess.Popen[str], timeout_s: float = 60.0) -> bool:
    """True once the child's session has stored samples (the fault then hits mid-session)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and child.poll() is None:
        if _samples_stored(path) > 0:
            return True
        time.sleep(0.05)
    return False


def _play(path: Path, args: argparse.Namespace) -> subprocess.Popen[str]:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONPATH": str(args.source)}
    return subprocess.Popen(
        [str(Path(PYTHON).with_name("proprio")), "play", args.level, "--headless", "--input", "sim", "--seed", "7",
         "--duration", str(args.play_s), "--db", str(path), "--player", "attack"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def _fill(folder: Path) -> Path:
    """Take every free byte of the filesystem holding ``folder`` (unbuffered writes until ENOSPC)."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 65536, 4096, 512):
            block = b"\0" * size
            try:
                while True:
                    os.write(fd, block)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    return result.returncode == 0


def _report(name: str, path: Path, child: subprocess.Popen[str], told: str, fault: str) -> None:
    out, err = child.communicate(timeout=180)
    print(f"== {name}: {fault}")
    print(f"   exit code {child.returncode}")
    for line in (err.strip().splitlines() or ["(nothing on stderr)"])[-8:]:
        print(f"   stderr: {line[:200]}")
    if told:
        print(f"   {told}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    columns = {row[1] for row in conn.execute("pragma table_info(sessions)")}
    extra = [c for c in ("lost_s", "lost_rows", "write_problem") if c in columns]
    row = conn.execute(f"select id, status, trials, duration_s {''.join(', ' + c for c in extra)} "
                       "from sessions order by id desc limit 1").fetchone()
    session = dict(row) if row else {}
    stored_trials = conn.execute("select count(*) from trials where session_id = ?", [session.get("id")]).fetchone()[0]
    times = [r[0] for r in conn.execute("select t_s from samples where session_id = ? order by step",
                                        [session.get("id")])]
    gap = max((b - a for a, b in zip(times, times[1:], strict=False)), default=0.0)
    scalers = conn.execute("select count(*) from difficulty_state where player_id = 'attack'").fetchone()[0]
    print(f"   session row: {json.dumps(session)}")
    print(f"   trial rows stored: {stored_trials} (session says {session.get('trials')}); samples stored: "
          f"{len(times)}; largest gap between stored samples: {gap:.2f} s")
    print(f"   difficulty progress saved: {'yes' if scalers else 'NO'} ({scalers} rows)")
    conn.close()


def disk(args: argparse.Namespace) -> None:
    """A disk that fills mid-session for ``--disk-s`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "small-disk"
        mounted = _mount_tmpfs(folder, "32m")
        path = folder / "attack.db"
        try:
            child = _play(path, args)
            if not _wait_for_play(path, child):
                print("== disk: the game never stored a sample", child.communicate()[1][-2000:])
                return
            time.sleep(args.fault_at_s)
            if mounted:
                filler = _fill(folder)
                fault = f"tmpfs of 32 MB filled for {args.disk_s:.0f} s"
                time.sleep(args.disk_s)
                filler.unlink(missing_ok=True)
            else:
                conn = sqlite3.connect(str(path), timeout=10)
                pages = conn.execute("pragma page_count").fetchone()[0]
                conn.execute(f"pragma max_page_count = {pages}")  # per connection: show what SQLite says
                fault = f"(no tmpfs: {path} capped with max_page_count; only this connection sees it)"
                time.sleep(args.disk_s)
                conn.close()
            _report("disk", path, child, "", fault)
        finally:
            if mounted:
                subprocess.run(["umount", "-l", str(folder)], check=False)


def lock(args: argparse.Namespace) -> None:
    """Another process holds the write lock for ``--lock-s`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "attack.db"
        child = _play(path, args)
        if not _wait_for_play(path, child):
            print("== lock: the game never stored a sample", child.communicate()[1][-2000:])
            return
        time.sleep(args.fault_at_s)
        blocker = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        blocker.execute("BEGIN IMMEDIATE")
        time.sleep(args.lock_s)
        blocker.execute("ROLLBACK")
        blocker.close()
        _report("lock", path, child, "", f"a second connection held BEGIN IMMEDIATE for {args.lock_s:.0f} s")


def memory() -> None:
    """What the game's in-memory budget (writer.MAX_HELD_ROWS) costs, measured with rows shaped like the recorder's."""
    import tracemalloc

    sys.path.insert(0, str(REPO))
    from telemetry.store.writer import BUFFER_S, MAX_HELD_ROWS

    tracemalloc.start()
    # Tuples in the writer's COLUMNS order, as the recorder makes them (dicts before issue 15: about 26 MB).
    samples = [(1, i, i / 120, 0.1 + i * 1e-6, -0.1 - i * 1e-6, 1.2 + i * 1e-6, -1.2, "deg", i / 120 + 1e-4)
               for i in range(MAX_HELD_ROWS["samples"])]
    readings = [(1, i, i / 1000, 1.0 + i * 1e-6, 2.0 - i * 1e-6, "deg") for i in range(MAX_HELD_ROWS["readings"])]
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"== memory: {BUFFER_S:.0f} s held = {len(samples)} samples (120 Hz) + {len(readings)} readings (1 kHz): "
          f"{used / 1e6:.0f} MB of rows in memory")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("disk", "lock", "memory", "all"), default="all")
    parser.add_argument("--level", default="sway-steps")
    parser.add_argument("--play-s", type=float, default=20.0)
    parser.add_argument("--fault-at-s", type=float, default=4.0)
    parser.add_argument("--disk-s", type=float, default=6.0)
    parser.add_argument("--lock-s", type=float, default=10.0)
    parser.add_argument("--source", type=Path, default=REPO,
                        help="The Proprio tree the child plays (e.g. a `git archive HEAD` copy, for 'before').")
    args = parser.parse_args()
    if args.scenario in ("disk", "all"):
        disk(args)
    if args.scenario in ("lock", "all"):
        lock(args)
    if args.scenario in ("memory", "all"):
        memory()


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
