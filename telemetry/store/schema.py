"""The telemetry schema, as sqlite-utils migrations (applied in order, each exactly once), and its dictionary.

Every table and column is described in ``data_dictionary.md`` beside this module (shipped in
the wheel, copied into every export; docs/telemetry.md holds the same text).
"""

from __future__ import annotations

from importlib import resources

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

#: The data dictionary's file name, in this package and in every export.
DICTIONARY_FILE = "data_dictionary.md"

migrations = Migrations("proprio")


def data_dictionary() -> str:
    """The data dictionary shipped inside the package (the same text as docs/telemetry.md)."""
    return resources.files("telemetry.store").joinpath(DICTIONARY_FILE).read_text(encoding="utf-8")


@migrations()
def m001_core_tables(db: Database) -> None:
    """Players, sessions, and what a session produces: samples, events, trials, decisions."""
    db.table("players").create(
        {"id": str, "created_at": str},
        pk="id",
    )
    db.table("sessions").create(
        {
            "id": int,
            "player_id": str,
            "level": str,
            "level_title": str,
            "level_path": str,
            "level_sha256": str,
            "plan": str,
            "device": str,
            "view": str,
            "seed": int,
            "step_hz": float,
            "app_version": str,
            "pid": int,
            "hostname": str,
            "started_at": str,
            "ended_at": str,
            "status": str,
            "duration_s": float,
            "trials": int,
            "successes": int,
            "success_rate": float,
            "score": int,
            "max_score": int,
            "stars": int,
            "difficulty_reached": float,
            "frame_p50_ms": float,
            "frame_p99_ms": float,
            "frames": int,
            "dropped_frames": int,
            "dropped_steps": int,
            "dropped_samples": int,
        },
        pk="id",
        foreign_keys=[("player_id", "players", "id")],
        not_null={"player_id", "level", "started_at", "status"},
    )
    db.table("samples").create(
        {
            "session_id": int,
            "step": int,
            "t_s": float,
            "x": float,
            "y": float,
            "raw_x": float,
            "raw_y": float,
            "raw_unit": str,
            "device_t_s": float,
        },
        pk=("session_id", "step"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("events").create(
        {"id": int, "session_id": int, "t_s": float, "kind": str, "challenge": int, "trial": int, "data": str},
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("events").create_index(["session_id", "t_s"])
    db.table("trials").create(
        {
            "session_id": int,
            "challenge": int,
            "trial": int,
            "kind": str,
            "outcome": str,
            "started_t_s": float,
            "duration_s": float,
            "difficulty": float,
            "params": str,
            "points": int,
            "progress": float,
        },
        pk=("session_id", "challenge", "trial"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("difficulty_changes").create(
        {
            "id": int,
            "session_id": int,
            "t_s": float,
            "challenge": int,
            "kind": str,
            "trial": int,
            "old": float,
            "new": float,
            "reason": str,
            "recent_success_rate": float,
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("difficulty_state").create(
        {"player_id": str, "kind": str, "difficulty": float, "updated_at": str, "state": str},
        pk=("player_id", "kind"),
        foreign_keys=[("player_id", "players", "id")],
    )


@migrations()
def m002_devices_calibrations_limits(db: Database) -> None:
    """Devices seen, per-player calibrations, and the clinician's per-player limits."""
    db.table("devices").create(
        {"id": str, "kind": str, "first_seen_at": str, "last_seen_at": str, "info": str},
        pk="id",
    )
    db.table("calibrations").create(
        {
            "id": int,
            "player_id": str,
            "device_kind": str,
            "device": str,
            "created_at": str,
            "raw_unit": str,
            "zero_x": float,
            "zero_y": float,
            "centre_x": float,
            "centre_y": float,
            "los": str,
            "notes": str,
        },
        pk="id",
        foreign_keys=[("player_id", "players", "id")],
    )
    db.table("calibrations").create_index(["player_id", "device_kind", "created_at"])
    db.table("clinician_limits").create(
        {
            "player_id": str,
            "kind": str,
            "target_success": float,
            "floor": float,
            "ceiling": float,
            "max_distance_los": float,
            "max_session_s": float,
            "rest_every_s": float,
            "rest_s": float,
            "updated_at": str,
        },
        pk=("player_id", "kind"),
        foreign_keys=[("player_id", "players", "id")],
    )
    db.table("sessions").add_column("calibration_id", int)
    db.table("sessions").add_column("input_rate_hz", float)


@migrations()
def m003_player_identities(db: Database) -> None:
    """Display names and clinician notes, kept apart from telemetry and out of exports by default."""
    db.table("player_identities").create(
        {"player_id": str, "display_name": str, "notes": str, "updated_at": str},
        pk="player_id",
        foreign_keys=[("player_id", "players", "id")],
    )


@migrations()
def m004_session_process_token_and_indexes(db: Database) -> None:
    """Tell a live writer from a reused pid; index the per-player and per-session lookups."""
    db.table("sessions").add_column("process_token", str)
    db.table("sessions").create_index(["player_id", "started_at"], if_not_exists=True)
    db.table("difficulty_changes").create_index(["session_id", "t_s"], if_not_exists=True)


@migrations()
def m005_readings(db: Database) -> None:
    """Every device reading at the device's own rate, beside the per-step samples the game used."""
    db.table("readings").create(
        {"session_id": int, "seq": int, "device_t_s": float, "raw_x": float, "raw_y": float, "raw_unit": str},
        pk=("session_id", "seq"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"session_id", "seq", "device_t_s", "raw_x", "raw_y"},
    )


@migrations()
def m006_clinician_target_band(db: Database) -> None:
    """A clinician's target band (e.g. 0.70-0.85) instead of a single target success rate."""
    db.table("clinician_limits").add_column("target_low", float)
    db.table("clinician_limits").add_column("target_high", float)


@migrations()
def m007_session_lost_data(db: Database) -> None:
    """What a session lost on its way to the disk (full disk, long lock): seconds, rows and the cause."""
    sessions = db.table("sessions")
    for column, kind in (("lost_s", float), ("lost_rows", int), ("write_problem", str)):
        if column not in sessions.columns_dict:
            sessions.add_column(column, kind)
