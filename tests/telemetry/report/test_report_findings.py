"""Issue 13's report findings, each as a test that would have caught it.

Mixed devices compared, the LOS polygon mixing levels, session numbers unlike the database's,
a session-number axis, arrows without a verdict, lines told apart by colour alone, pages not
A4 and pages without the patient ID or a page number.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from matplotlib.dates import date2num
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from game.play import Game, PlayOptions
from telemetry.report import write_report
from telemetry.report.data import build_player_report, device_kind
from telemetry.report.plots import _polygon_segments, coverage_text, line_styles, los_figure, trend_figure
from telemetry.report.tables import comparison_tables, sessions_table, success_verdict, verdict
from telemetry.store.database import open_db
from telemetry.store.sessions import ensure_player
from tests.played import private_home
from tests.telemetry.report.pdftext import pdf_pages, pdf_text_runs

A4_PT = (595.28, 841.89)

#: (new id, source session, device, raw unit, start): ids from 21 as in a database used for months.
PLAN = [
    (21, 1, "sim:0.50", "deg", "2026-03-02T09:00:00+00:00"),
    (22, 2, "sim:0.50", "deg", "2026-03-02T09:10:00+00:00"),
    (23, 1, "balance-board", "mm", "2026-03-09T09:00:00+00:00"),
    (24, 1, "sim:0.50", "deg", "2026-03-16T09:00:00+00:00"),
    (25, 2, "sim:0.50", "deg", "2026-03-23T09:00:00+00:00"),
    (26, 1, "balance-board", "mm", "2026-03-30T09:00:00+00:00"),
]


def _clone(db, source: int, new_id: int, device: str, unit: str, started: str, player: str = "kid-07") -> None:
    row = db["sessions"].get(source)
    row.update(id=new_id, device=device, started_at=started, ended_at=started, player_id=player)
    db["sessions"].insert(row)
    for table in ("samples", "trials", "events"):
        rows = [dict(r, session_id=new_id) for r in db.query(f"select * from {table} where session_id = ?", [source])]
        for r in rows:
            r.pop("id", None) if table == "events" else None
        db[table].insert_all(rows)
    db.execute("update samples set raw_unit = ? where session_id = ?", [unit, new_id])


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> Path:
    """kid-07: sessions 21-26 over a month, Garden Balance on a simulated player (deg) and a balance board (mm)."""
    path = tmp_path_factory.mktemp("findings") / "p.db"
    with private_home(tmp_path_factory):
        for level in ("garden-balance", "space-reach"):
            Game(PlayOptions(level=level, player="kid-07", input="sim:0.5", headless=True, fast=True,
                             duration_s=30, seed=3, db_path=path, sound=False)).run()
    db = open_db(path)
    with db.conn:
        for new_id, source, device, unit, started in PLAN:
            _clone(db, source, new_id, device, unit, started)
        ensure_player(db, "solo")
        _clone(db, 1, 40, "sim:0.50", "deg", "2026-04-01T09:00:00+00:00", player="solo")
        for table in ("samples", "trials", "events", "difficulty_changes"):
            db.execute(f"delete from {table} where session_id in (1, 2)")
        db.execute("delete from sessions where id in (1, 2)")
    db.close()
    return path


def test_sessions_keep_their_database_numbers_everywhere(months, tmp_path):
    report = build_player_report(open_db(months), "kid-07")
    assert [s.number for s in report.sessions] == [21, 22, 23, 24, 25, 26]
    assert [row[0] for row in sessions_table(report).rows] == ["21", "22", "23", "24", "25", "26"]
    html = write_report(open_db(months), "kid-07", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "First: #21," in html and "Latest: #24," in html
    assert not re.search(r"#[1-9],", html)  # no count from 1 that the database does not use


def test_sessions_of_different_devices_are_never_compared(months):
    report = build_player_report(open_db(months), "kid-07")
    groups = {s.number: s.group for s in report.sessions}
    assert groups[21] == ("sim", "deg") and groups[23] == ("balance-board", "mm")
    tables = [t for t in comparison_tables(report) if "garden-balance" in t.subtitle]
    assert len(tables) == 2
    for table in tables:
        first, latest = (int(re.search(r"#(\d+)", h).group(1)) for h in table.headers[1:3])
        assert groups[first] == groups[latest]
        assert "are not compared with each other" in table.note
    assert {t.headers[1].split(",")[0] for t in tables} == {"First: #21", "First: #23"}
    assert "balance board, raw mm" in tables[0].note and "simulated player, raw deg" in tables[1].note


def test_device_kinds_never_carry_a_host_or_serial():
    assert device_kind("imu-udp:192.168.1.20:9000") == "imu"
    assert device_kind("lsl:ForcePlate") == "lsl:ForcePlate"
    assert device_kind("lsl:ForcePlate:lab-pc-3.clinic.local") == "lsl:ForcePlate"
    assert device_kind("sim:0.50", {"device_kind": "sim"}) == "sim"


def test_the_trend_axis_is_the_date_and_lines_differ_by_more_than_colour(months):
    report = build_player_report(open_db(months), "kid-07")
    figure = trend_figure(report)
    styles = line_styles(report)
    assert len({(marker, str(dash)) for _, marker, dash, _ in styles.values()}) == len(styles) == 3
    panel = figure.axes[0]  # success rate
    lines = [line for line in panel.get_lines() if line.get_label() and not line.get_label().startswith("_")]
    dates = {s.number: date2num(s.started_local.replace(tzinfo=None)) for s in report.sessions}
    sim_balance = next(line for line in lines if "Garden Balance" in line.get_label() and "raw deg" in line.get_label())
    assert list(sim_balance.get_xdata()) == pytest.approx([dates[21], dates[24]])
    assert len({(line.get_marker(), str(line.get_linestyle())) for line in lines}) == len(lines)
    tags = {a.get_text() for a in panel.texts if isinstance(a, Annotation)}
    assert tags == {tag for *_, tag in styles.values()}  # a direct label at the end of every line
    assert "date of the session" in figure.axes[len(figure.axes) - 2].get_xlabel() or any(
        "date of the session" in ax.get_xlabel() for ax in figure.axes)


def test_the_los_polygon_is_per_level_and_device_and_states_its_coverage(months, tmp_path):
    report = build_player_report(open_db(months), "kid-07")
    figure = los_figure(report)
    title = figure.axes[0].get_title()
    assert "Space Reach" in title and "simulated player, raw deg" in title
    labels = [line.get_label() for line in figure.axes[0].get_lines() if isinstance(line, Line2D)]
    assert any(re.search(r"First: session #22, .* \d of 8 directions", label) for label in labels)
    html = write_report(open_db(months), "kid-07", tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r"coverage of the latest session: \d of 8 directions", html)


def test_a_polygon_with_missing_directions_is_left_open():
    full = {float(a): 50.0 for a in range(0, 360, 45)}
    (closed,) = _polygon_segments(full)
    assert len(closed[0]) == 9 and closed[0][0] == closed[0][-1]  # closed ring of 8 points
    partial = {0.0: 50.0, 45.0: 50.0, 90.0: 50.0, 270.0: 40.0}
    segments = _polygon_segments(partial)
    joined = sorted(len(xs) for xs, _ in segments)
    assert joined == [1, 3]  # 0-45-90 joined, 270 alone: nothing drawn across the back-left gap
    assert coverage_text(partial) == "4 of 8 directions (none toward forward-left, left, back-left, back-right)"
    assert _polygon_segments({}) == []
    every_30 = {float(a): 60.0 for a in range(0, 360, 30)}  # another layout of directions still covers all
    assert coverage_text(every_30) == "8 of 8 directions" and len(_polygon_segments(every_30)) == 1


def test_change_words_say_better_or_worse_by_the_measure_and_the_noise():
    steady = [10.0, 10.5, 9.5, 10.2, 9.8]
    assert verdict("mean_velocity", 10.0, 5.0, steady, [5.0, 5.2, 4.8, 5.1, 4.9]) == "better"  # less sway
    assert verdict("mean_velocity", 5.0, 10.0, [5.0, 5.2, 4.8], steady) == "worse"
    assert verdict("directional_control_pct", 50.0, 80.0, [49, 51, 50], [79, 81, 80]) == "better"  # higher better
    assert verdict("reaction_time_s", 0.5, 0.8, [0.49, 0.51], [0.79, 0.81]) == "worse"  # slower
    assert verdict("mean_velocity", 10.0, 9.0, [2.0, 18.0, 10.0], [1.0, 17.0, 9.0]) == "no real change (within noise)"
    assert verdict("mean_velocity", 10.0, 9.0, [10.0], [9.0, 9.1]) == "cannot tell (fewer than 2 trials)"
    assert verdict("mean_power_frequency", 0.3, 0.6, [0.3, 0.31], [0.6, 0.61]) == "higher (not rated)"
    assert verdict("difficulty_reached", 0.3, 0.5) == "better (no noise estimate)"
    assert success_verdict({"successes": 2, "trials": 10}, {"successes": 9, "trials": 10}) == "better"
    assert success_verdict({"successes": 5, "trials": 10}, {"successes": 6, "trials": 10}) == \
        "no real change (within noise)"
    assert success_verdict({"successes": 3, "trials": 0}, {"successes": 6, "trials": 10}) == "–"


def test_every_pdf_page_is_a4_with_the_player_and_page_n_of_m(months, tmp_path):
    data = write_report(open_db(months), "kid-07", tmp_path / "r.pdf").read_bytes()
    pages = pdf_pages(data)
    assert len(pages) >= 8
    for number, (size, runs) in enumerate(pages, start=1):
        assert size == pytest.approx(A4_PT, abs=0.5), f"page {number} is {size} pt, not A4"
        assert f"Player kid-07 · page {number} of {len(pages)}" in runs
        assert any(run.startswith("Player kid-07 · Proprio progress report") for run in runs)
    shown = " ".join(pdf_text_runs(data))
    assert "First: #21," in shown and "not compared" in shown


def test_a_report_of_one_session_renders_in_both_formats(months, tmp_path):
    db = open_db(months)
    html = write_report(db, "solo", tmp_path / "s.html").read_text(encoding="utf-8")
    assert "Only one session so far" in html and "First: #40," in html
    pages = pdf_pages(write_report(db, "solo", tmp_path / "s.pdf").read_bytes())
    assert all(size == pytest.approx(A4_PT, abs=0.5) for size, _ in pages)
    assert f"Player solo · page {len(pages)} of {len(pages)}" in pages[-1][1]


def test_a_session_of_unknown_unit_is_its_own_group_never_paired_with_a_known_one(months, tmp_path):
    copy = tmp_path / "c.db"
    shutil.copy(months, copy)
    db = open_db(copy)
    db.execute("update samples set raw_unit = null where session_id = 21")
    db.conn.commit()
    report = build_player_report(db, "kid-07")
    assert report.sessions[0].group == ("sim", "?")
    headers = [t.headers[1] for t in comparison_tables(report)]
    assert "First: #24" in " ".join(headers)  # the deg sessions now start at 24, without 21
    assert sum(h.startswith("First: #21,") for h in headers) == 1


def test_low_adherence_weeks_and_every_adverse_and_safety_event_are_in_words_in_both_formats(months, tmp_path):
    from telemetry.store.clinic import add_event, set_plan

    path = tmp_path / "p.db"
    shutil.copy(months, path)
    db = open_db(path)
    # one sitting a week from 2026-03-02 for 6 weeks: weeks 1-5 each have one, week 6 has none
    set_plan(db, "kid-07", sessions_per_week=1, minutes_per_session=0.4, start_date="2026-03-02", weeks=6)
    add_event(db, "kid-07", what="dizzy after the level", severity="mild", session_id=23, at="2026-03-09T09:05")
    with db.conn:
        db.execute("update sessions set status = 'device_lost' where id = 24")
        db.execute("update sessions set status = 'aborted' where id = 25")
    html = write_report(db, "kid-07", tmp_path / "r.html").read_text(encoding="utf-8")
    plan = html.split("<h2>Plan and adherence</h2>")[1].split("<h2>")[0]
    assert "Below 80 % of the prescribed sessions or minutes in week 6." in plan
    weeks = re.findall(r"<tr><td class=\"t\">(\d+)</td>(.*?)</tr>", plan)
    assert [(n, "below 80 %" in cells) for n, cells in weeks] == [("1", False), ("2", False), ("3", False),
                                                                   ("4", False), ("5", False), ("6", True)]
    clinic = html.split("<h2>Check-ins, adverse and safety events, clinical tests</h2>")[1].split("<h2>")[0]
    assert "dizzy after the level" in clinic and "Safety events (from the sessions)" in clinic
    safety = clinic.split("Safety events (from the sessions)")[1]
    assert re.search(r"device lost</td><td class=\"t\">#24</td>", safety)
    assert re.search(r"ended early</td><td class=\"t\">#25</td>", safety)
    assert "#21" not in safety and "#26" not in safety  # completed sessions are not safety events
    assert "Stepping off the board cannot be detected" in safety
    runs = " ".join(pdf_text_runs(write_report(db, "kid-07", tmp_path / "r.pdf").read_bytes()))
    for words in ("below 80 %", "Below 80 % of the prescribed", "dizzy after the level", "device lost",
                  "ended early", "Safety events (from the sessions)"):
        assert words in runs, words
    db.close()
