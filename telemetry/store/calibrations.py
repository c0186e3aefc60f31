"""Calibrations and devices in the database (tables ``calibrations`` and ``devices``, migration m002).

A calibration row is stored per player and device: ``device_kind`` (``imu``, ``gamepad``,
``balance-board``, ``lsl``, ``sim``, ...) and ``device`` (which one: a port, a stream, a pad's
name). The game uses the player's newest calibration for the exact device, else the newest
for the same kind of device. Rows are never changed: a new calibration is a new row, so a
session's ``calibration_id`` always points at what was applied.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from telemetry.store.sessions import ensure_player, utc_now
from telemetry.store.transactions import inserted_id

CALIBRATION_COLUMNS = ("raw_unit", "zero_x", "zero_y", "centre_x", "centre_y", "los")


def save_calibration(db: Database, player_id: str, device_kind: str, device: str, fields: dict[str, Any],
                     notes: str = "") -> int:
    """Store one calibration (``fields``: the CALIBRATION_COLUMNS); return its id."""
    missing = [c for c in CALIBRATION_COLUMNS if c not in fields]
    if missing:
        raise ValueError(f"calibration fields missing: {missing}")
    ensure_player(db, player_id)
    row = {
        "player_id": player_id, "device_kind": device_kind, "device": device, "created_at": utc_now(),
        **{c: fields[c] for c in CALIBRATION_COLUMNS}, "notes": notes,
    }
    with db.conn:
        return inserted_id(db.table("calibrations").insert(row))


def latest_calibration(
    db: Database, player_id: str, device_kind: str, device: str | None = None
) -> dict[str, Any] | None:
    """The player's newest calibration for this device, else for this kind of device, else None."""
    queries = []
    if device is not None:
        queries.append(("player_id = ? and device_kind = ? and device = ?", [player_id, device_kind, device]))
    queries.append(("player_id = ? and device_kind = ?", [player_id, device_kind]))
    for where, params in queries:
        rows = list(db.query(f"select * from calibrations where {where} order by created_at desc, id desc limit 1",
                             params))
        if rows:
            return rows[0]
    return None


def calibration_by_id(db: Database, calibration_id: int) -> dict[str, Any] | None:
    """One stored calibration row."""
    rows = list(db.query("select * from calibrations where id = ?", [calibration_id]))
    return rows[0] if rows else None


def record_device(db: Database, device_id: str, kind: str, info: dict[str, Any] | None = None) -> None:
    """Note that a device was used now (first and last seen; ``info`` as JSON)."""
    now = utc_now()
    with db.conn:
        existing = db.table("devices").count_where("id = ?", [device_id])
        if existing:
            db.table("devices").update(device_id, {"last_seen_at": now, "info": json.dumps(info or {}, sort_keys=True)})
        else:
            db.table("devices").insert({"id": device_id, "kind": kind, "first_seen_at": now, "last_seen_at": now,
                                  "info": json.dumps(info or {}, sort_keys=True)}, pk="id")


def apply_stored_calibration(db: Database, player_id: str, source: Any) -> int | None:
    """Give an opened device the player's stored calibration; return its id (None: default or not needed).

    Also records the device in ``devices``. A stored calibration that cannot be used (damaged,
    another unit) is skipped and the device keeps its default mapping.
    """
    description = source.description
    if not description.needs_calibration:
        return None
    from game.input.calibration import Calibration, CalibrationError

    kind, device = description.kind, description.device_id
    record_device(db, device, kind, {"name": description.name, "raw_unit": description.raw_unit})
    row = latest_calibration(db, player_id, kind, device)
    if row is None:
        return None
    try:
        calibration = Calibration.from_row(row)
        source.set_calibration(calibration)
    except (CalibrationError, ValueError):
        return None
    return calibration.id
