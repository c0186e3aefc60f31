"""Hostile and failing database files against the real ``proprio`` command (issue 16, defect 4).

Usage: python benchmarks/attack_database.py [--rows N] [--keep DIR]

Each scenario builds a real file, runs real commands on it and prints, per command, the exit
status, the last line it printed to stderr (``Traceback`` marks an uncaught exception) and what
happened to the file:

1. damaged: a Proprio database with 4 KiB of seeded random bytes written over a page in its
   middle; ``play`` (does it write?), ``sessions``, ``export``, ``report``.
2. foreign: another program's SQLite file (a table ``invoices``; a second one with its own
   ``sessions`` table) given as ``--db`` to ``play`` and ``sessions`` (are tables added?).
3. newer: a Proprio database as a later version would leave it (``user_version`` 99 and a
   migration this version does not know) given to ``play``.
4. read-only: a 0444 database in a 0555 folder listed, exported and reported. As root chmod does
   not stop writes, so the commands then run in a forked child that drops to uid/gid 65534.
5. cost: the median time to open (check, migrate) a database of ``--rows`` sample rows.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from telemetry.store.database import open_db  # noqa: E402

NOBODY = 65534
PROPRIO_APPLICATION_ID = 0x50524F50  # "PROP": telemetry.store.database.APPLICATION_ID
PLAY = ["play", "--headless", "--input", "sim", "--fast", "--player", "kid-07"]


def proprio(args: list[str]) -> tuple[int, str]:
    """Run ``python -m game ARGS``; (exit status, last stderr line or 'ok')."""
    run = subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=REPO,
                         timeout=300)
    return run.returncode, _last_line(run.stderr)


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    if not lines:
        return "ok"
    if any(line.startswith("Traceback") for line in lines):
        return "Traceback: " + lines[-1][:110]
    errors = [line for line in lines if line.startswith("Error:")]
    warnings = [line for line in lines if line.startswith("Warning:")]
    shown = errors or warnings or lines[-1:]
    return (f"({len(warnings)} warning) " if errors and warnings else "") + " | ".join(shown)[:130]


def proprio_in_process(args: list[str]) -> tuple[int, str]:
    """Run ``proprio ARGS`` in this process; (exit status, everything it printed to stderr)."""
    from game.cli import main

    err = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
        except BaseException:
            import traceback

            traceback.print_exc(file=err)
            code = 1
    return code, err.getvalue()


def as_nobody(args: list[str]) -> tuple[int, str]:
    """Run ``proprio ARGS`` in a forked child as uid 65534 (root ignores file modes); in-process as others."""
    if os.geteuid() != 0:
        code, stderr = proprio_in_process(args)
        return code, _last_line(stderr)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run the command, report through the pipe
        try:
            os.close(read_fd)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            code, stderr = proprio_in_process(args)
            os.write(write_fd, f"{code}\n{stderr}".encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    code_text, _, stderr = text.partition("\n")
    return int(code_text or 1), _last_line(stderr)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def tables(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return len(conn.execute("select name from sqlite_master where type = 'table'").fetchall())
    finally:
        conn.close()


def report(scenario: str, command: str, result: tuple[int, str], effect: str = "") -> None:
    code, line = result
    print(f"{scenario:<10} {command:<34} exit {code:<4} {line}" + (f"  [{effect}]" if effect else ""))


def damaged(base: Path, work: Path) -> None:
    path = work / "damaged.db"
    shutil.copy(base, path)
    size = path.stat().st_size
    page = 4096
    offset = (size // 2) // page * page
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(random.Random(16).randbytes(page))
    conn = sqlite3.connect(path)
    try:
        check = [row[0] for row in conn.execute("pragma quick_check")]
    except sqlite3.DatabaseError as exc:
        check = [f"raises {exc}"]
    finally:
        conn.close()
    print(f"damaged: {size} bytes, page at offset {offset} overwritten; quick_check: {check[0][:70]}"
          f" (+{len(check) - 1} more)")
    before = digest(path)
    result = proprio([*PLAY, "--duration", "2", "--db", str(path)])
    report("damaged", "play --duration 2", result, "file changed" if digest(path) != before else "file unchanged")
    report("damaged", "sessions", proprio(["sessions", "--db", str(path)]))
    report("damaged", "export --all", proprio(["export", "--all", "--out", str(work / "dmg-export"), "--db",
                                               str(path)]))
    report("damaged", "report --player kid-07", proprio(["report", "--player", "kid-07", "--out",
                                                         str(work / "dmg.html"), "--db", str(path)]))


def foreign(work: Path) -> None:
    for name, ddl in (("invoices", "create table invoices (id integer primary key, total real)"),
                      ("their-sessions", "create table sessions (id integer primary key, customer text)")):
        path = work / f"{name}.db"
        conn = sqlite3.connect(path)
        conn.execute(ddl)
        conn.commit()
        conn.close()
        result = proprio([*PLAY, "--duration", "1", "--db", str(path)])
        report("foreign", f"play ({name})", result, f"{tables(path)} tables after (1 before)")
        report("foreign", f"sessions ({name})", proprio(["sessions", "--db", str(path)]))


def newer(base: Path, work: Path) -> None:
    path = work / "newer.db"
    shutil.copy(base, path)
    conn = sqlite3.connect(path)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('proprio', 'm099_from_the_future', '2030-01-01')")
    conn.execute(f"pragma application_id = {PROPRIO_APPLICATION_ID}")  # as a later version marks its files
    conn.execute("pragma user_version = 99")
    conn.commit()
    conn.close()
    before = digest(path)
    result = proprio([*PLAY, "--duration", "1", "--db", str(path)])
    report("newer", "play --duration 1", result, "file changed" if digest(path) != before else "file unchanged")
    report("newer", "sessions", proprio(["sessions", "--db", str(path)]))


def read_only(base: Path, work: Path) -> None:
    os.chmod(work, 0o755)  # uid 65534 must reach the folder
    folder = work / "ro"
    folder.mkdir()
    path = folder / "ro.db"
    shutil.copy(base, path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    out = Path(tempfile.mkdtemp(prefix="attack-ro-out-"))
    os.chmod(out, 0o777)
    who = "uid 65534" if os.geteuid() == 0 else f"uid {os.geteuid()}"
    # The forked child cannot import from a root-only stdlib: run each command once here first (lazy imports).
    proprio_in_process(["export", "--all", "--out", str(out / "warm"), "--db", str(base)])
    proprio_in_process(["report", "--player", "kid-07", "--out", str(out / "warm.html"), "--db", str(base)])
    try:
        report("read-only", f"sessions ({who})", as_nobody(["sessions", "--db", str(path)]))
        report("read-only", f"export --all ({who})", as_nobody(["export", "--all", "--out", str(out / "e"), "--db",
                                                                  str(path)]))
        report("read-only", f"report ({who})", as_nobody(["report", "--player", "kid-07", "--out",
                                                            str(out / "r.html"), "--db", str(path)]))
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(out, ignore_errors=True)


def open_cost(work: Path, rows: int) -> None:
    path = work / "big.db"
    db = open_db(path)
    db.execute("insert into players (id, created_at) values ('bench', '2026-01-01')")
    db.execute("insert into sessions (id, player_id, level, started_at, status) "
               "values (1, 'bench', 'bench', '2026-01-01', 'completed')")
    db.conn.executemany("insert into samples (session_id, step, t_s, x, y, raw_x, raw_y, raw_unit, device_t_s) "
                        "values (1, ?, ?, 0.1, 0.2, 1.2, 2.4, 'deg', ?)",
                        ((i, i / 120, i / 120) for i in range(rows)))
    db.conn.commit()
    db.close()
    times: list[float] = []
    for _ in range(5):
        start = time.perf_counter()
        opened = open_db(path)
        times.append(time.perf_counter() - start)
        opened.close()
    size_mb = path.stat().st_size / 1e6
    median_ms = statistics.median(times) * 1000
    print(f"cost       open_db on {rows} sample rows ({size_mb:.0f} MB): median {median_ms:.0f} ms over 5 opens")
    import telemetry.store.database as database
    from telemetry.store.queries import list_sessions

    opener = getattr(database, "open_for_reading", None)  # absent before issue 16
    times = []
    for _ in range(5):
        start = time.perf_counter()
        if opener is not None:
            opened = opener(path)
            list_sessions(opened.db)
            opened.close()
        else:
            db = database.open_existing_db(path)
            list_sessions(db)
            db.close()
        times.append(time.perf_counter() - start)
    median_ms = statistics.median(times) * 1000
    print(f"cost       open + list_sessions (proprio sessions) on the same file: median {median_ms:.0f} ms over 5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="sample rows for the open-cost figure")
    parser.add_argument("--keep", type=Path, help="build the files here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="attack-db-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        base = work / "base.db"
        for seed in (1, 2):
            code, line = proprio([*PLAY, "--duration", "30", "--seed", str(seed), "--db", str(base)])
            assert code == 0, line
        print(f"base: {base.stat().st_size} bytes, 2 sessions of 30 s by kid-07")
        damaged(base, work)
        foreign(work)
        newer(base, work)
        read_only(base, work)
        open_cost(work, args.rows)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    from _common import run_reported  # CPU, wall and load average

    run_reported(main)
