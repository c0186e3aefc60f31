"""``proprio assess`` end to end: the real loop, view, recorder and SQLite file, with a board that sends readings.

The fake board sends centre-of-pressure readings in mm at 100 Hz (its own rate), so the
results come in cm from the ``readings`` table, beside % of the limits of stability from the
120 Hz samples; they are checked against the measures computed directly from what it sent.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from game.cli import main
from game.input.pose import Pose, Reading
from game.input.source import DeviceDescription, PoseSource
from game.play.assess import Assessment, AssessOptions, result_lines
from game.play.clock import ManualClock
from telemetry.measures.assessment import stance_measures
from telemetry.measures.reference import reference
from telemetry.store.assessments import assessment_result, changes, player_assessments

PROTOCOL = """\
schema_version = 1
title = "Short stance"
kind = "{kind}"
trials = 2
trial_s = 4.0
get_ready_s = 1.0
rest_s = 1.0
compare_reference = {reference}

[[conditions]]
name = "eyes_open_firm"
title = "Eyes open, firm"
instruction = "Stand still."

[[conditions]]
name = "eyes_closed_foam"
title = "Eyes closed, on foam"
vision = "closed"
surface = "foam"
instruction = "On the foam, close your eyes and stand still."
"""


class FakeBoard(PoseSource):
    """A balance board sending COP readings (mm) at 100 Hz on its own clock: sway of a chosen size, a lean."""

    name = "fake-board"

    def __init__(self, sway_mm: float = 4.0, lean_mm: float = 0.0) -> None:
        self.sway_mm = sway_mm
        self.lean_mm = lean_mm
        self.sent: list[Reading] = []
        self._pending: list[Reading] = []
        self._next = 0

    @property
    def description(self) -> DeviceDescription:
        return DeviceDescription("fake-board", "balance-board", "fake:1", "mm", False)

    def cop(self, t: float) -> tuple[float, float]:
        ml = self.lean_mm + self.sway_mm * (math.sin(2 * math.pi * 0.3 * t) + 0.4 * math.sin(2 * math.pi * 1.1 * t))
        ap = self.sway_mm * (1.5 * math.sin(2 * math.pi * 0.2 * t + 1.0) + 0.3 * math.sin(2 * math.pi * 0.9 * t))
        return ml, ap

    def poll(self, t_s: float) -> Pose:
        while self._next / 100.0 <= t_s:
            t = self._next / 100.0
            reading = Reading(t, *self.cop(t))
            self._pending.append(reading)
            self.sent.append(reading)
            self._next += 1
        last = self.sent[-1]
        return Pose(last.t_s, last.raw_x / 100.0, last.raw_y / 60.0, last.raw_x, last.raw_y, "mm")

    def readings(self) -> list[Reading]:
        out, self._pending = self._pending, []
        return out


def run_assessment(tmp_path: Path, source: PoseSource, *, kind: str = "quiet_stance", reference_: bool = True,
                   age: float | None = 35.0, db: Path | None = None):
    path = tmp_path / f"{kind}.toml"
    path.write_text(PROTOCOL.format(kind=kind, reference=str(reference_).lower()), encoding="utf-8")
    options = AssessOptions(protocol=str(path), player="kid-07", input="keyboard", headless=True,
                            db_path=db or tmp_path / "p.db", age_years=age, seed=1)
    assessment = Assessment(options, clock=ManualClock())
    assessment.source.close()
    assessment.source = source  # the test's board instead of the keyboard the options opened
    return assessment.run()


def test_a_board_assessment_is_stored_and_measured_in_cm_beside_the_reference(tmp_path):
    board = FakeBoard()
    run = run_assessment(tmp_path, board)
    assert run.status == "completed" and len(run.trials) == 4
    with sqlite3.connect(tmp_path / "p.db") as conn:
        rows = conn.execute("select trial, protocol, condition, vision, surface, stance, side, outcome, duration_s"
                            " from assessment_trials order by trial").fetchall()
        level, plan = conn.execute("select level, plan from sessions").fetchone()
        kept = conn.execute("select count(*) from readings").fetchone()[0]
        age_band = conn.execute("select age_band from assessments").fetchone()[0]
    assert [r[2] for r in rows] == ["eyes_open_firm"] * 2 + ["eyes_closed_foam"] * 2
    assert rows[2][3:7] == ("closed", "foam", "both", None) and all(r[7] == "completed" for r in rows)
    assert all(r[8] == pytest.approx(4.0) for r in rows) and rows[0][1] == "quiet_stance"
    assert (level, plan) == ("assessment:quiet_stance", "assessment") and age_band == "young"
    assert kept == len(board.sent)  # every reading at the board's own rate, none thinned or repeated
    result = run.result
    assert result is not None and result.physical_unit == "cm" and result.age_band == "young"
    open_firm = result.conditions[0]
    assert open_firm.trials == 2 and open_firm.filter == "4th-order zero-lag Butterworth low-pass, 10 Hz"
    # The figure is the mean over the two trials of the measures of the board's own readings, in cm.
    per_trial = []
    for trial in run.trials[:2]:
        inside = [r for r in board.sent if trial.started_t_s - 1e-9 <= r.t_s <= trial.started_t_s + trial.duration_s
                  + 1e-9]
        t = np.array([r.t_s for r in inside])
        per_trial.append(stance_measures(t, np.array([r.raw_x for r in inside]) / 10,
                                         np.array([r.raw_y for r in inside]) / 10, "cm").values["mean_velocity"])
    velocity = open_firm.figures["mean_velocity"]
    assert velocity.unit == "cm/s" and velocity.n == 2
    assert velocity.mean == pytest.approx(np.mean(per_trial), rel=0.02)  # window edges may differ by a reading
    assert open_firm.figures["mean_velocity_los"].unit == "% LOS/s"
    comparisons = result.references["eyes_open_firm"]
    assert {c.measure for c in comparisons} == {"mean_velocity", "ellipse_area_95", "mean_power_frequency"}
    row = reference("young", "closed", "foam", "cop_velocity_cm_s")
    assert any(c.row == row for c in result.references["eyes_closed_foam"])
    area = next(c for c in comparisons if c.measure == "ellipse_area_95")
    assert area.note is not None and "60 s" in area.note  # 4 s trials against the reference's 60 s
    text = "\n".join(result_lines(result))
    assert "Eyes open, firm: 2 trials, 2 complete" in text and "cm/s" in text and "vs young adults" in text


def test_a_child_is_measured_in_cm_but_never_read_against_the_adults_reference(tmp_path):
    """A 9-year-old's sway is not "above the band" of adults 18-59: no reference, and the results say why."""
    run = run_assessment(tmp_path, FakeBoard(), age=9)
    assert run.status == "completed" and run.result is not None
    with sqlite3.connect(tmp_path / "p.db") as conn:
        assert conn.execute("select age_band from assessments").fetchone()[0] == "child"  # never the age
    result = run.result
    assert result.age_band == "child" and result.physical_unit == "cm"
    assert result.references == {} and "under 18" in (result.reference_note or "")
    assert result.conditions[0].figures["mean_velocity"].unit == "cm/s"  # measured all the same
    text = "\n".join(result_lines(result))
    assert "vs young adults" not in text and "under 18" in text


def test_a_change_beyond_the_mdc_is_called_real_and_one_within_it_is_not(tmp_path):
    db = tmp_path / "p.db"
    run_assessment(tmp_path, FakeBoard(sway_mm=4.0), db=db)
    run_assessment(tmp_path, FakeBoard(sway_mm=4.0), db=db)
    run_assessment(tmp_path, FakeBoard(sway_mm=16.0), db=db)
    from telemetry.store.database import open_db

    store = open_db(db)
    first, second, third = (assessment_result(store, i) for i in player_assessments(store, "kid-07"))
    same = [c for c in changes(first, second) if c.measure == "mean_velocity"]
    bigger = [c for c in changes(second, third) if c.measure == "mean_velocity"]
    assert same and all(c.mdc is not None and c.exceeds is False for c in same)
    assert bigger and all(c.exceeds is True for c in bigger)  # four times the sway: far beyond the MDC
    no_mdc = [c for c in changes(second, third) if c.measure == "mean_velocity_los"]
    assert no_mdc and all(c.mdc is None and c.exceeds is None for c in no_mdc)  # % LOS has no published MDC
    store.close()


def test_without_physical_units_or_an_age_the_results_say_why_there_is_no_reference(tmp_path):
    run = run_assessment(tmp_path, FakeBoard(), age=None)
    assert run.result is not None and "give the player's age" in (run.result.reference_note or "")
    run = run_assessment(tmp_path, _KeysOnly(), db=tmp_path / "k.db")
    assert run.result is not None and run.result.physical_unit is None
    assert "no readings in physical units" in (run.result.reference_note or "")
    assert run.result.conditions[0].figures["mean_velocity_los"].n == 2


class _KeysOnly(PoseSource):
    """A virtual device: poses, no readings (like the keyboard or the simulated player)."""

    name = "keys"

    def poll(self, t_s: float) -> Pose:
        x = 0.05 * math.sin(2 * math.pi * 0.4 * t_s)
        return Pose(t_s, x, 0.03 * math.cos(2 * math.pi * 0.3 * t_s), x, 0.0, "key")


def test_weight_distribution_on_a_board_gives_the_weight_on_each_foot(tmp_path):
    run = run_assessment(tmp_path, FakeBoard(sway_mm=1.0, lean_mm=43.3), kind="weight_distribution",
                         reference_=False)
    assert run.result is not None
    share = run.result.conditions[0].figures["right_load_pct"]
    assert share.unit == "% of body weight" and share.mean == pytest.approx(60.0, abs=0.5)


def test_the_cli_runs_a_protocol_headless_and_reads_the_results_back(tmp_path, capsys, monkeypatch):
    from game.cli import COMMANDS

    monkeypatch.setitem(COMMANDS, "assess", ("assess", "assess", "Run a fixed assessment."))
    db = tmp_path / "c.db"
    path = tmp_path / "w.toml"
    path.write_text(PROTOCOL.format(kind="quiet_stance", reference="false"), encoding="utf-8")
    main(["assess", str(path), "--player", "kid-09", "--input", "sim:0.8", "--headless", "--fast", "--db", str(db),
          "--seed", "4"])
    out = capsys.readouterr().out
    assert "Assessment w completed: player kid-09, sim:0.80, 4 trials" in out
    assert "Eyes closed, on foam: 2 trials, 2 complete" in out and "% LOS/s" in out
    main(["assess", "results", "--player", "kid-09", "--db", str(db)])
    again = capsys.readouterr().out
    assert "kid-09  Short stance  (completed)" in again and "Eyes open, firm: 2 trials" in again
    main(["assess", "results", "--player", "kid-09", "--db", str(db), "--format", "json"])
    (stored,) = json.loads(capsys.readouterr().out)
    closed = stored["conditions"][1]
    assert (closed["condition"], closed["vision"], closed["surface"], closed["trials"]) == (
        "eyes_closed_foam", "closed", "foam", 2)
    velocity = closed["figures"]["mean_velocity_los"]
    assert velocity["unit"] == "% LOS/s" and velocity["n"] == 2 and velocity["sd"] >= 0
    with pytest.raises(SystemExit) as stopped:
        main(["assess", "no-such-protocol", "--player", "kid-09", "--headless", "--db", str(db)])
    assert stopped.value.code == 1
    assert "no assessment protocol named 'no-such-protocol'" in capsys.readouterr().err


LEGS = """\
schema_version = 1
title = "Legs"
kind = "single_leg"
trials = 1
trial_s = 3.0
get_ready_s = 1.0
rest_s = 1.0

[[conditions]]
name = "left_leg"
title = "Standing on the left leg"
stance = "left"
instruction = "Stand on your LEFT leg."

[[conditions]]
name = "right_leg"
title = "Standing on the right leg"
stance = "right"
instruction = "Stand on your RIGHT leg."
"""


def test_in_a_window_instructions_wait_for_enter_and_space_stops_a_single_leg_trial(tmp_path):
    from game.play.pilot import Pilot
    from game.views.factory import open_view

    path = tmp_path / "legs.toml"
    path.write_text(LEGS, encoding="utf-8")
    # Frame 30: Enter (left leg); the trial starts 1 s (60 frames) later; frame 120: Space, the foot touched down
    # after 0.5 s. Frame 400: Enter (right leg), which runs its full 3 s; frame 800: Enter closes the results.
    pilot = Pilot(open_view("2d", headless=True), script={30: ["confirm"], 120: ["pause"], 400: ["confirm"],
                                                          800: ["confirm"]})
    options = AssessOptions(protocol=str(path), player="kid-07", input="sim:0.9", db_path=tmp_path / "w.db", seed=2)
    run = Assessment(options, view=pilot, clock=ManualClock()).run()
    assert run.status == "completed"
    left, right = run.trials
    assert left.outcome == "stopped" and left.duration_s == pytest.approx(0.5, abs=2 / 60)
    assert right.outcome == "completed" and right.duration_s == pytest.approx(3.0)
    titles = [d.text for d in pilot.drawn if d.what == "message"]
    assert titles[:29] == ["Standing on the left leg"] * 29  # waited for Enter: nothing ran meanwhile
    assert "Standing on the right leg" in titles and titles[-1] == "Legs: results"
    assert run.result is not None
    held = {c.side: c.figures["time_held_s"] for c in run.result.conditions}
    assert held["left"].mean == pytest.approx(0.5, abs=2 / 60) and held["right"].mean == pytest.approx(3.0)


LOS = """\
schema_version = 1
title = "Reach"
kind = "limits_of_stability"
trials = 1
trial_s = 4.0
get_ready_s = 1.5
rest_s = 0.5
directions_deg = [90.0, 0.0, 270.0, 180.0]
target_distance_los = 0.75

[[conditions]]
name = "los"
title = "Leaning to four targets"
instruction = "Lean to each target."
"""


def test_limits_of_stability_gives_real_reaction_times_and_bounded_directional_control(tmp_path):
    path = tmp_path / "los.toml"
    path.write_text(LOS, encoding="utf-8")
    options = AssessOptions(protocol=str(path), player="ann-02", input="sim:0.9", headless=True,
                            db_path=tmp_path / "l.db", seed=5)
    run = Assessment(options, clock=ManualClock()).run()
    assert run.status == "completed" and run.result is not None
    (condition,) = run.result.conditions
    assert condition.problems == [] and sorted(condition.per_direction) == [0.0, 90.0, 180.0, 270.0]
    for direction, figures in condition.per_direction.items():
        # The simulated player (skill 0.9) reacts after its 0.17 s visuomotor delay: never the 0.00 s of issue 13.
        assert 0.1 < figures["reaction_time_s"] < 0.6, direction
        assert 0.0 <= figures["directional_control_pct"] <= 100.0, direction
        assert figures["max_excursion_pct"] > 60.0, direction
    overall = condition.figures["overall_score_pct"]
    assert overall.n == 4 and overall.mean == pytest.approx(
        np.mean([f["directional_control_pct"] for f in condition.per_direction.values()]))
    assert condition.figures["targets_reached"].mean == 4.0
    assert condition.figures["time_to_complete_s"].mean == pytest.approx(
        sum(f["time_to_target_s"] for f in condition.per_direction.values()))
    assert "no reference values" not in "\n".join(result_lines(run.result))  # LOS has none to offer, and says nothing


def test_the_cli_lists_and_checks_protocols(tmp_path, capsys, monkeypatch):
    from game.cli import COMMANDS

    monkeypatch.setitem(COMMANDS, "assess", ("assess", "assess", "Run a fixed assessment."))
    main(["assess", "list"])
    listed = capsys.readouterr().out
    assert "mctsib" in listed and "12 trials of 30 s" in listed
    good = tmp_path / "good.toml"
    good.write_text(LOS, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(LOS.replace("trials = 1", "trials = 0"), encoding="utf-8")
    main(["assess", "check", str(good)])
    assert "good.toml: ok (Reach, 4 trials)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as failed:
        main(["assess", "check", str(good), str(bad)])
    assert failed.value.code == 1
    assert f"{bad}:4:1: trials: Input should be greater than or equal to 1" in capsys.readouterr().err


def test_bad_options_stop_before_anything_opens(tmp_path):
    from game.errors import InputSpecError

    db = tmp_path / "never.db"
    with pytest.raises(InputSpecError, match="--age -3: an age of -3 years is not plausible"):
        Assessment(AssessOptions(protocol="mctsib", age_years=-3, db_path=db))
    with pytest.raises(InputSpecError, match="unknown --view"):
        Assessment(AssessOptions(protocol="mctsib", view="4d", db_path=db))
    assert not db.exists()  # no database was created for a run that never started


class FakeWobbleBoard(FakeBoard):
    """A wobble board: the same sway, as tilt in degrees (readings at 100 Hz)."""

    name = "fake-wobble"

    @property
    def description(self) -> DeviceDescription:
        return DeviceDescription("fake-wobble", "imu", "fake:2", "deg", False)


def test_a_wobble_board_is_measured_in_degrees_with_biodex_zones_and_no_cop_reference(tmp_path):
    run = run_assessment(tmp_path, FakeWobbleBoard(sway_mm=2.0))  # 2 "mm" of the fake's sway: 2 degrees here
    result = run.result
    assert result is not None and result.physical_unit == "deg"
    figures = result.conditions[0].figures
    assert figures["mean_velocity"].unit == "deg/s" and figures["stability_index"].unit == "deg"
    zones = [figures[f"zone_{z}_pct"].mean for z in ("A", "B", "C", "D", "beyond")]
    assert sum(zones) == pytest.approx(100.0) and zones[0] > 50.0  # within 5 degrees of level most of the time
    assert result.references == {} and "tilt in degrees" in (result.reference_note or "")


def test_an_export_carries_the_assessment_and_its_trials_without_the_protocols_folder(tmp_path):
    from telemetry.export.tables import export_tables, read_export_table
    from telemetry.store.database import open_db
    from telemetry.store.queries import Selection

    run = run_assessment(tmp_path, FakeBoard())
    assert run.session_id is not None
    db = open_db(tmp_path / "p.db")
    export_tables(db, Selection(sessions=(run.session_id,)), tmp_path / "out", fmt="ndjson")
    assessments = read_export_table(tmp_path / "out", "assessments")
    trials = read_export_table(tmp_path / "out", "assessment_trials")
    assert [a["session_id"] for a in assessments] == [run.session_id]
    assert assessments[0]["protocol_path"] == "quiet_stance.toml"  # the file's name, not the folder it was in
    assert [t["trial"] for t in trials] == [1, 2, 3, 4]
    assert [t["condition"] for t in trials] == ["eyes_open_firm"] * 2 + ["eyes_closed_foam"] * 2
