"""Session rows: creating one, closing one, and telling running from interrupted."""

from __future__ import annotations

import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from telemetry.store.transactions import inserted_id, write_transaction

_PROC = Path("/proc")
COMPLETED_WITH_GAPS = "completed_with_gaps"  # finished, but some rows never reached the database (see lost_s)
FINISHED_STATUSES = ("completed", COMPLETED_WITH_GAPS)  # played to the end: the figures are the session's own


def closing_status(status: str, lost_rows: int) -> str:
    """The status a session is stored with: a completed level that lost rows says so instead of ``completed``."""
    return COMPLETED_WITH_GAPS if status == "completed" and lost_rows > 0 else status


def utc_now() -> str:
    """An ISO 8601 UTC timestamp (what every *_at column holds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def ensure_player(db: Database, player_id: str) -> None:
    """Add the pseudonymous player if this database has not seen them yet."""
    db.table("players").insert({"id": player_id, "created_at": utc_now()}, pk="id", ignore=True)


def create_session(db: Database, fields: dict[str, Any]) -> int:
    """Insert a session as ``running`` with this process's pid; return its id."""
    pid = os.getpid()
    row = {
        "status": "running",
        "started_at": utc_now(),
        "pid": pid,
        "hostname": socket.gethostname(),
        "process_token": process_token(pid),
        **fields,
    }
    with write_transaction(db):
        ensure_player(db, fields["player_id"])
        return inserted_id(db.table("sessions").insert(row))


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state letter, start time in clock ticks since boot) from /proc, or None without /proc."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces and ')'
    return fields[0], fields[19]


def process_token(pid: int) -> str | None:
    """Boot id + the process's start time: unique to one process on one machine (Linux; else None)."""
    stat = _proc_stat(pid)
    if stat is None:
        return None
    try:
        boot = (_PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip()
    except OSError:
        boot = "?"
    return f"{boot}/{stat[1]}"


def _windows_alive(pid: int) -> bool:
    if sys.platform != "win32":  # called only there; this also lets a type check elsewhere skip the Windows API
        return False
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    code = ctypes.c_ulong()
    ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return bool(ok) and code.value == 259  # STILL_ACTIVE


def process_alive(pid: int, token: str | None = None) -> bool:
    """True while the process that wrote a session still runs (not a zombie, not a reused pid)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send Ctrl-C there
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    except (OSError, OverflowError):
        return False
    if not (_PROC / "self" / "stat").exists():
        return True  # no /proc (macOS, BSD): the pid answering is all we can know
    stat = _proc_stat(pid)
    if stat is None or stat[0] in ("Z", "X"):
        return False  # gone meanwhile, or dead and waiting to be reaped
    return token is None or token == process_token(pid)


def stale_sessions(db: Database) -> list[int]:
    """Ids of ``running`` sessions written on this host by a process that is gone."""
    host = socket.gethostname()
    has_token = "process_token" in db.table("sessions").columns_dict
    token_sql = "process_token" if has_token else "null as process_token"
    rows = db.query(f"select id, pid, hostname, {token_sql} from sessions where status = 'running'")
    return [
        row["id"]
        for row in rows
        if row["hostname"] == host and row["pid"] is not None and not process_alive(row["pid"], row["process_token"])
    ]


def recorded_figures(db: Database, session_id: int) -> dict[str, Any]:
    """Duration, trials, successes, score and difficulty as far as the rows in the database show."""
    last = db.execute(
        "select t_s from samples where session_id = ? order by step desc limit 1", [session_id]
    ).fetchone()
    trials, successes, score, top = db.execute(
        "select count(*), coalesce(sum(outcome = 'success'), 0), coalesce(sum(points), 0), max(difficulty) "
        "from trials where session_id = ?",
        [session_id],
    ).fetchone()
    latest: dict[int, float] = {}
    for challenge, new in db.execute(
        "select challenge, new from difficulty_changes where session_id = ? order by id", [session_id]
    ):
        latest[challenge] = new
    figures: dict[str, Any] = {
        "duration_s": last[0] if last else 0.0,
        "trials": trials,
        "successes": successes,
        "success_rate": successes / trials if trials else None,
        "score": score,
    }
    reached = max(latest.values()) if latest else top
    if reached is not None:
        figures["difficulty_reached"] = reached
    return figures


def mark_interrupted(db: Database) -> int:
    """Mark ``running`` sessions whose process is gone (on this host) as ``interrupted``.

    The closing figures such a session never wrote (duration, trials, successes, success
    rate, score, difficulty reached) are filled from the rows that reached the database.
    """
    stale = stale_sessions(db)
    for session_id in stale:
        with write_transaction(db):
            row = db.table("sessions").get(session_id)
            fields = {k: v for k, v in recorded_figures(db, session_id).items() if row.get(k) is None}
            assignments = ", ".join(f"[{k}] = ?" for k in ["status", *fields])
            db.execute(
                f"update sessions set {assignments} where id = ? and status = 'running'",
                ["interrupted", *fields.values(), session_id],
            )
    return len(stale)


def previous_result(db: Database, player_id: str, level: str, before_id: int) -> dict[str, Any] | None:
    """The player's last finished session on this level before ``before_id`` (for 'what improved')."""
    rows = list(
        db.query(
            "select * from sessions where player_id = ? and level = ? and id < ? "
            "and status in (?, ?) and trials > 0 order by id desc limit 1",
            [player_id, level, before_id, *FINISHED_STATUSES],
        )
    )
    return rows[0] if rows else None
