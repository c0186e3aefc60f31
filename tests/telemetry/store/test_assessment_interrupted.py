"""An assessment's interrupted trials are read back from its ``trial_interrupted`` events, damaged rows passed over."""

from __future__ import annotations

import json

from telemetry.store.assessments import _interrupted
from telemetry.store.database import open_db
from telemetry.store.sessions import ensure_player


def test_interrupted_trials_are_read_in_order_and_a_damaged_event_is_passed_over(tmp_path):
    db = open_db(tmp_path / "p.db")
    ensure_player(db, "p1")
    db["sessions"].insert_all([{"id": number, "player_id": "p1", "level": "assessment:los-fixed",
                                "started_at": "2026-12-01T09:00:00+00:00", "status": "completed"}
                               for number in (1, 2)], alter=True)
    rows = [(1, 5.0, {"trial": 3}), (1, 2.0, {"trial": 1}), (1, 6.0, "{not json"), (1, 7.0, {"trial": True}),
            (1, 8.0, {"trial": "4"}), (1, 9.0, ["trial", 5]), (2, 1.0, {"trial": 9})]
    db["events"].insert_all([{"session_id": session, "t_s": t_s, "kind": "trial_interrupted", "challenge": -1,
                              "trial": 0, "data": data if isinstance(data, str) else json.dumps(data)}
                             for session, t_s, data in rows])
    db["events"].insert({"session_id": 1, "t_s": 3.0, "kind": "pause", "challenge": -1, "trial": 0,
                         "data": json.dumps({"trial": 7})})
    assert _interrupted(db, 1) == [1, 3]  # by time; broken JSON, a bool, a string and a list are passed over
    assert _interrupted(db, 2) == [9] and _interrupted(db, 3) == []
    db.close()
