"""Hostile level files against ``proprio levels check`` and ``--watch`` (issue 16, defect 6).

Run: python benchmarks/attack_levels.py [--timeout 10] [--memory-mb 512]

Each scenario runs ``proprio levels check`` in a child process with a wall-clock timeout and
an address-space cap, and prints what came back: the exit code, the first line of stderr, and
whether it was a traceback, a hang (killed at the timeout) or a clean ``Error:``/problem line.
The last scenario polls a ``LevelWatcher`` after each hostile edit, in process.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.level.watch import LevelWatcher  # noqa: E402
from game.paths import levels_dir  # noqa: E402

GOOD = (levels_dir() / "garden-balance.toml").read_text(encoding="utf-8")


def _cap(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def check(path: str, timeout_s: float, memory_mb: int) -> str:
    """Run ``proprio levels check PATH``; describe how it ended."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "game", "levels", "check", path], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                            preexec_fn=lambda: _cap(memory_mb))
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return f"HANG: killed after {timeout_s:g} s"
    took = time.perf_counter() - started
    lines = [line for line in err.splitlines() if line.strip()]
    if "Traceback" in err:
        return f"TRACEBACK exit {proc.returncode} in {took:.2f} s: {lines[-1][:110] if lines else ''}"
    if proc.returncode < 0:
        return f"KILLED by signal {-proc.returncode} after {took:.2f} s"
    first = lines[0][:130] if lines else out.strip()[:130]
    return f"exit {proc.returncode} in {took:.2f} s: {first}"


def watch_edits() -> list[str]:
    """Poll a watcher after each hostile edit of a watched file; say which edits raise."""
    report = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mine.toml"
        path.write_text(GOOD, encoding="utf-8")
        watcher = LevelWatcher(path, "start")
        edits = {
            "deep nesting": "a = " + "[" * 5000 + "]" * 5000 + "\n",
            "5,000-digit number": GOOD.replace("trials = 6", "trials = " + "9" * 5000),
            "binary junk": "\x00\xff" * 10,
            "replaced by a folder": None,
        }
        for name, text in edits.items():
            if text is None:
                path.unlink()
                path.mkdir()
            else:
                path.write_bytes(text.encode("utf-8", "surrogateescape"))
            os.utime(path, ns=(time.time_ns(), time.time_ns() + len(report) + 1))
            try:
                watcher.poll()
                report.append(f"  watch, {name:<22} notice: {watcher.notice()}")
            except BaseException as exc:  # the attack wants to see any escape
                report.append(f"  watch, {name:<22} CRASH: {type(exc).__name__}: {str(exc)[:80]}")
            if text is None:
                path.rmdir()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a check counts as a hang")
    parser.add_argument("--memory-mb", type=int, default=512, help="address-space cap of the child process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        nested = base / "nested.toml"
        nested.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
        tables = base / "tables.toml"
        tables.write_text("a = " + "{b = " * 2000 + "1" + "}" * 2000 + "\n", encoding="utf-8")
        number = base / "number.toml"
        number.write_text(GOOD.replace("trials = 6", "trials = " + "9" * 5000), encoding="utf-8")
        fifo = base / "fifo.toml"
        os.mkfifo(fifo)
        scenarios = {
            "nested arrays (5,000)": str(nested),
            "nested tables (2,000)": str(tables),
            "5,000-digit number": str(number),
            "FIFO": str(fifo),
            "/dev/zero": "/dev/zero",
        }
        print(f"proprio levels check, timeout {args.timeout:g} s, memory cap {args.memory_mb} MB")
        for name, path in scenarios.items():
            print(f"  {name:<24} {check(path, args.timeout, args.memory_mb)}")
    print("LevelWatcher.poll after hostile edits of a watched file")
    for line in watch_edits():
        print(line)


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
