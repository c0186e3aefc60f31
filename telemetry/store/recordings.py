"""A stored session's samples, read back for ``--input replay:FILE.db#SESSION`` (read-only, never migrated)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from game.errors import DeviceError
from game.input.replay import Recording, poses_from_rows


def read_recording(db_path: Path, session_id: int) -> Recording:
    """The samples of one session in a Proprio database, with its seed and level."""
    path = Path(db_path)
    if not path.is_file():
        raise DeviceError(f"there is no database {path}", remedy="Pass an existing file: replay:FILE.db#SESSION_ID.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DeviceError(f"cannot open {path} ({exc})") from None
    try:
        session = conn.execute("select seed, level from sessions where id = ?", [session_id]).fetchone()
        if session is None:
            raise DeviceError(f"{path} has no session {session_id}",
                              remedy=f"`proprio sessions --db {path}` lists the session numbers.")
        rows = conn.execute(
            "select t_s, x, y, raw_x, raw_y, raw_unit from samples where session_id = ? order by step",
            [session_id],
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise DeviceError(f"cannot read sessions from {path} ({exc})",
                          remedy="Is it a Proprio database? Pass replay:FILE.db#SESSION_ID.") from None
    finally:
        conn.close()
    poses, dropped = poses_from_rows(rows)
    if not poses:
        raise DeviceError(f"session {session_id} in {path} has no samples", remedy="Pick a session that was played.")
    return Recording(tuple(poses), dropped, seed=session[0], level=session[1], origin=f"{path}#{session_id}")
