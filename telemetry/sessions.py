"""Session rows: creating one, closing one, and telling running from interrupted."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timezone
from typing import Any

from sqlite_utils import Database


def utc_now() -> str:
    """An ISO 8601 UTC timestamp (what every *_at column holds)."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def ensure_player(db: Database, player_id: str) -> None:
    """Add the pseudonymous player if this database has not seen them yet."""
    db["players"].insert({"id": player_id, "created_at": utc_now()}, pk="id", ignore=True)


def create_session(db: Database, fields: dict[str, Any]) -> int:
    """Insert a session as ``running`` with this process's pid; return its id."""
    ensure_player(db, fields["player_id"])
    row = {
        "status": "running",
        "started_at": utc_now(),
        "pid": os.getpid(),
        "hostname": socket.gethostname(),
        **fields,
    }
    with db.conn:
        return db["sessions"].insert(row).last_pk


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted(db: Database) -> int:
    """Mark ``running`` sessions whose process is gone (on this host) as ``interrupted``."""
    host = socket.gethostname()
    stale = [
        row["id"]
        for row in db.query("select id, pid, hostname from sessions where status = 'running'")
        if row["hostname"] == host and row["pid"] is not None and not _alive(row["pid"])
    ]
    if stale:
        with db.conn:
            for session_id in stale:
                db["sessions"].update(session_id, {"status": "interrupted"})
    return len(stale)


def previous_result(db: Database, player_id: str, level: str, before_id: int) -> dict[str, Any] | None:
    """The player's last finished session on this level before ``before_id`` (for 'what improved')."""
    rows = list(
        db.query(
            "select * from sessions where player_id = ? and level = ? and id < ? "
            "and status = 'completed' and trials > 0 order by id desc limit 1",
            [player_id, level, before_id],
        )
    )
    return rows[0] if rows else None
