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


@migrations()
def m009_assessments(db: Database) -> None:
    """Fixed assessments: which protocol a session ran, and the protocol, condition and side of each trial."""
    db.table("assessments").create(
        {"session_id": int, "player_id": str, "protocol": str, "protocol_title": str, "protocol_kind": str,
         "protocol_path": str, "protocol_sha256": str, "age_band": str, "raw_unit": str, "device_kind": str},
        pk="session_id",
        foreign_keys=[("session_id", "sessions", "id"), ("player_id", "players", "id")],
        not_null={"session_id", "player_id", "protocol", "protocol_kind"},
        if_not_exists=True,
    )
    db.table("assessments").create_index(["player_id", "protocol"], if_not_exists=True)
    db.table("assessment_trials").create(
        {"session_id": int, "trial": int, "protocol": str, "condition": str, "condition_title": str, "vision": str,
         "surface": str, "stance": str, "side": str, "repeat": int, "direction_deg": float, "target_x": float,
         "target_y": float, "target_radius": float, "started_t_s": float, "duration_s": float, "planned_s": float,
         "outcome": str},
        pk=("session_id", "trial"),
        foreign_keys=[("session_id", "sessions", "id")],
        not_null={"session_id", "trial", "protocol", "condition", "started_t_s", "duration_s", "outcome"},
        if_not_exists=True,
    )


@migrations()
def m010_clinic_plan_checkins_events_scales(db: Database) -> None:
    """The clinic's side: this installation's identity, the prescribed plan, check-ins, adverse events, scales."""
    import secrets
    import uuid
    from datetime import UTC, datetime

    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.table("clinic_settings").create({"key": str, "value": str, "created_at": str}, pk="key", if_not_exists=True)
    # Generated once per database: the namespace of its FHIR identifiers and the key of its device pseudonyms.
    db.table("clinic_settings").insert_all([
        {"key": "installation_uri", "value": f"urn:uuid:{uuid.uuid4()}", "created_at": now},
        {"key": "deid_secret", "value": secrets.token_hex(32), "created_at": now},
    ], ignore=True)
    db.table("prescriptions").create(
        {"id": int, "player_id": str, "levels": str, "playlist": str, "sessions_per_week": int,
         "minutes_per_session": float, "start_date": str, "weeks": int, "set_by": str, "notes": str,
         "created_at": str},
        pk="id", foreign_keys=[("player_id", "players", "id")],
        not_null={"player_id", "sessions_per_week", "minutes_per_session", "start_date", "weeks", "created_at"},
        if_not_exists=True,
    )
    db.table("prescriptions").create_index(["player_id", "created_at"], if_not_exists=True)
    db.table("checkins").create(
        {"id": int, "player_id": str, "session_id": int, "at": str, "pain_before": int, "pain_after": int,
         "effort": int, "note": str, "created_at": str},
        pk="id", foreign_keys=[("player_id", "players", "id"), ("session_id", "sessions", "id")],
        not_null={"player_id", "at", "created_at"}, if_not_exists=True,
    )
    db.table("checkins").create_index(["player_id", "at"], if_not_exists=True)
    db.table("adverse_events").create(
        {"id": int, "player_id": str, "session_id": int, "at": str, "what": str, "severity": str, "action": str,
         "recorded_by": str, "created_at": str},
        pk="id", foreign_keys=[("player_id", "players", "id"), ("session_id", "sessions", "id")],
        not_null={"player_id", "at", "what", "severity", "created_at"}, if_not_exists=True,
    )
    db.table("adverse_events").create_index(["player_id", "at"], if_not_exists=True)
    db.table("clinical_scales").create(
        {"id": int, "player_id": str, "date": str, "scale": str, "name": str, "value": float, "unit": str,
         "assessor": str, "note": str, "created_at": str},
        pk="id", foreign_keys=[("player_id", "players", "id")],
        not_null={"player_id", "date", "scale", "value", "created_at"}, if_not_exists=True,
    )
    db.table("clinical_scales").create_index(["player_id", "date"], if_not_exists=True)


@migrations()
def m011_player_age_band(db: Database) -> None:
    """The player's reference age band (``young`` / ``older``, never the age), kept with the name and notes."""
    if "age_band" not in db.table("player_identities").columns_dict:
        db.table("player_identities").add_column("age_band", str)
