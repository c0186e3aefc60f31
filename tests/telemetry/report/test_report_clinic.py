"""Issue 13 items 3, 5, 6 in the report: clinical tests and check-ins by date, sway in cm against the reference
band of the player's age group, a wobble board against the player's own baseline, and pages nothing is cut from."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.text import Text

from game.play import Game, PlayOptions
from telemetry.measures.reference import reference
from telemetry.report import write_report
from telemetry.report.data import build_player_report, clinic_panels, physical_groups
from telemetry.report.pdf import A4_PORTRAIT, _Page, report_pages
from telemetry.report.plots import clinic_figure, physical_figure
from telemetry.report.tables import Table, physical_table, scales_table, sessions_table
from telemetry.store.clinic import add_checkin, add_scale
from telemetry.store.database import open_db
from telemetry.store.players import set_identity
from telemetry.store.sessions import create_session, ensure_player
from tests.played import private_home

ROOT = Path(__file__).resolve().parents[3]

#: (new id, device, raw unit, factor on the raw readings, start): a wobble board (deg), then a balance board (mm).
PLAN = [
    (21, "imu-udp:10.0.0.5:9000", "deg", 1.0, "2026-03-02T09:00:00+00:00"),
    (22, "imu-udp:10.0.0.5:9000", "deg", 1.1, "2026-03-05T09:00:00+00:00"),
    (23, "imu-udp:10.0.0.5:9000", "deg", 0.9, "2026-03-09T09:00:00+00:00"),
    (24, "imu-udp:10.0.0.5:9000", "deg", 4.0, "2026-03-12T09:00:00+00:00"),  # four times the sway: beyond 2 SD
    (31, "balance-board", "mm", 1.0, "2026-03-16T09:00:00+00:00"),
    (32, "balance-board", "mm", 1.0, "2026-03-19T09:00:00+00:00"),
    (33, "balance-board", "deg", 1.0, "2026-03-20T09:00:00+00:00"),  # session 31's readings in deg, for the units
]


def _clone(db, source: int, new_id: int, device: str, unit: str, factor: float, started: str) -> None:
    row = db["sessions"].get(source)
    row.update(id=new_id, device=device, started_at=started, ended_at=started)
    db["sessions"].insert(row)
    for table in ("samples", "trials", "events"):
        rows = [dict(r, session_id=new_id) for r in db.query(f"select * from {table} where session_id = ?", [source])]
        for r in rows:
            r.pop("id", None) if table == "events" else None
        db[table].insert_all(rows)
    db.execute("update samples set raw_unit = ?, raw_x = raw_x * ?, raw_y = raw_y * ? where session_id = ?",
               [unit, factor, factor, new_id])


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Path:
    """kid-07: Garden Balance on a wobble board and a balance board, an assessment given an age, tests, check-ins."""
    path = tmp_path_factory.mktemp("clinic") / "p.db"
    with private_home(tmp_path_factory):
        Game(PlayOptions(level="garden-balance", player="kid-07", input="sim:0.5", headless=True, fast=True,
                         duration_s=30, seed=5, db_path=path, sound=False)).run()
    db = open_db(path)
    with db.conn:
        for new_id, device, unit, factor, started in PLAN:
            _clone(db, 1, new_id, device, unit, factor, started)
        for table in ("samples", "trials", "events", "difficulty_changes"):
            db.execute(f"delete from {table} where session_id = 1")
        db.execute("delete from sessions where id = 1")
        db.execute("insert into sessions (id, player_id, level, device, started_at, status) values (60, 'kid-07', "
                   "'assessment:mctsib', 'balance-board', '2026-03-01T10:00:00+00:00', 'completed')")
        db["assessments"].insert({"session_id": 60, "player_id": "kid-07", "protocol": "mctsib",
                                  "protocol_kind": "quiet_stance", "age_band": "older", "raw_unit": "mm",
                                  "device_kind": "balance-board"})
    for day, tug, berg in (("2026-02-27", 14.2, 41), ("2026-03-20", 12.8, 45)):
        add_scale(db, "kid-07", scale="tug_s", value=tug, on=day)
        add_scale(db, "kid-07", scale="berg", value=berg, on=day)
    add_checkin(db, "kid-07", session_id=21, at="2026-03-02T08:58", pain_before=4, pain_after=5, effort=3)
    add_checkin(db, "kid-07", session_id=22, at="2026-03-05T08:58", pain_before=3, pain_after=3, effort=5)
    db.close()
    return path


def test_clinical_tests_and_check_ins_are_drawn_by_date_with_their_unit_and_better_direction(clinic, tmp_path):
    report = build_player_report(open_db(clinic), "kid-07")
    panels = {p.title: p for p in clinic_panels(report)}
    assert list(panels) == ["Timed Up and Go", "Berg Balance Scale", "Pain, numeric rating",
                            "Perceived effort, Borg CR10"]
    assert (panels["Timed Up and Go"].unit, panels["Timed Up and Go"].better) == ("s", "lower")
    assert (panels["Berg Balance Scale"].better, panels["Berg Balance Scale"].limits) == ("higher", (0.0, 56.0))
    assert [label for label, _ in panels["Pain, numeric rating"].lines] == ["before the session", "after the session"]
    figure = clinic_figure(report)
    assert isinstance(figure, Figure)
    axes = [ax for ax in figure.axes if ax.get_visible()]
    titles = [ax.get_title(loc="left") for ax in axes]
    assert titles[0] == "Timed Up and Go (s)\nlower is better" and titles[1].endswith("higher is better")
    assert titles[3].endswith("no agreed better direction")  # effort has none
    tug = axes[0].get_lines()[0]
    assert list(tug.get_xdata()) == pytest.approx([date2num(datetime(2026, 2, 27)), date2num(datetime(2026, 3, 20))])
    assert list(tug.get_ydata()) == [14.2, 12.8]
    before, after = axes[2].get_lines()[:2]  # told apart without colour: marker and dash style differ
    assert before.get_marker() != after.get_marker() and before.get_linestyle() != after.get_linestyle()
    table = scales_table(report)
    assert table is not None and table.headers[4:6] == ["Better", "Change from first"]
    assert [row[5] for row in table.rows] == ["first", "first", "−1.4", "+4"]
    html = write_report(open_db(clinic), "kid-07", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Clinical tests and check-ins by date" in html


def test_balance_board_sway_in_cm_sits_against_the_reference_band_of_the_age_group(clinic, tmp_path):
    report = build_player_report(open_db(clinic), "kid-07")
    assert report.age_band == "older" and "assessment #60" in report.age_source
    by_unit = {g.group[1]: g for g in physical_groups(report)}
    board = by_unit["mm"]
    assert board.unit == "cm" and [s.number for s in board.sessions] == [31, 32]
    row = reference("older", "open", "firm", "cop_velocity_cm_s")
    band = board.bands["mean_velocity"]
    assert (band.low, band.high, band.kind) == (row.p5, row.p95, "reference")
    assert band.mdc == pytest.approx(row.mdc(board.sessions[0].physical.count))
    # The same readings in mm read as degrees: cm is a tenth of them (the unit conversion, not a new measure).
    same = next(s for s in report.sessions if s.number == 33).physical
    first = board.sessions[0].physical
    assert same.unit == "deg" and first.mean("mean_velocity") == pytest.approx(0.1 * same.mean("mean_velocity"))
    assert first.mean("ellipse_area_95") == pytest.approx(0.01 * same.mean("ellipse_area_95"))
    table = physical_table(board)
    velocity = first.mean("mean_velocity")
    assert table.rows[0][4] == band.place(velocity).split()[0]  # "within", "above" or "below"
    assert table.rows[1][-1].startswith("velocity +0.00: no real change")  # the same trace: no change
    assert "older adults (60 and over), eyes open, firm" in table.note and "MDC95" in table.note
    figure = physical_figure(report, board)
    spans = [p for p in figure.axes[0].patches if isinstance(p, (Polygon, Rectangle))]
    assert spans and spans[0].get_hatch() == "///"
    span = spans[0]  # a Rectangle (matplotlib 3.9 and later) or a Polygon, in data units on y
    ys = ([y for _, y in span.get_xy()] if isinstance(span, Polygon)
          else [span.get_y(), span.get_y() + span.get_height()])
    assert min(ys) == pytest.approx(row.p5) and max(ys) == pytest.approx(row.p95)
    html = write_report(open_db(clinic), "kid-07", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Sway in physical units" in html and f"{row.p5:.3f}-{row.p95:.3f} cm/s" in html


def test_without_an_age_there_is_no_reference_and_the_report_says_why(clinic, tmp_path):
    path = tmp_path / "p.db"
    shutil.copy(clinic, path)
    db = open_db(path)
    with db.conn:
        db.execute("update assessments set age_band = null")
    report = build_player_report(db, "kid-07")
    board = next(g for g in physical_groups(report) if g.group[1] == "mm")
    assert board.bands == {} and board.why_no_band.startswith("no reference: age unknown")
    assert "No reference: age unknown" in physical_table(board).note
    assert {row[4] for row in physical_table(board).rows} == {"–"}


def test_a_child_on_a_balance_board_is_read_against_their_own_baseline_not_adults(clinic, tmp_path):
    path = tmp_path / "p.db"
    shutil.copy(clinic, path)
    db = open_db(path)
    set_identity(db, "kid-07", age_years=9)  # the clinician's word now: a child (stored as "child" only)
    report = build_player_report(db, "kid-07")
    assert report.age_band == "child" and "proprio players set --age" in report.age_source
    board = next(g for g in physical_groups(report) if g.group[1] == "mm")
    assert board.unit == "cm" and board.bands and {b.kind for b in board.bands.values()} == {"own baseline"}
    assert "under 18" in board.notes[0] and "adults" in board.notes[0]
    note = physical_table(board).note
    assert "reference: " not in note and "adults (" not in note  # never the adults' 18-59 band


def test_a_wobble_board_is_read_against_the_players_own_baseline_and_its_spread(clinic):
    report = build_player_report(open_db(clinic), "kid-07")
    wobble = next(g for g in physical_groups(report) if g.group == ("imu", "deg"))
    assert wobble.unit == "deg" and [s.number for s in wobble.sessions] == [21, 22, 23, 24]
    means = [s.physical.mean("mean_velocity") for s in wobble.sessions[:3]]
    mean = sum(means) / 3
    sd = (sum((m - mean) ** 2 for m in means) / 2) ** 0.5
    band = wobble.bands["mean_velocity"]
    assert band.kind == "own baseline" and "sessions #21, #22, #23" in band.label
    assert (band.low, band.high, band.mdc) == pytest.approx((max(0.0, mean - 2 * sd), mean + 2 * sd, 2 * sd))
    table = physical_table(wobble)
    assert table.headers[4] == "vs own baseline band" and table.headers[-1] == "Change from the baseline mean"
    for row in table.rows:  # the change and the band say the same: beyond 2 SD of the mean is outside the band
        velocity = row[-1].split(";")[0]
        assert (": worse" in velocity or ": better" in velocity) == (row[4] != "within"), row
    assert table.rows[3][4] == "above" and "velocity +" in table.rows[3][-1] and ": worse" in table.rows[3][-1]
    assert "no published reference values" in table.note
    single = next(g for g in physical_groups(report) if g.group == ("balance-board", "deg"))  # session 33 alone
    assert single.bands == {} and single.why_no_band.startswith("no own baseline yet")
    assert physical_table(single).headers[4] == "Band" and physical_table(single).rows[0][4] == "–"


def test_a_report_with_nothing_to_draw_draws_no_empty_plot_and_loads_no_matplotlib(tmp_path):
    path = tmp_path / "e.db"
    db = open_db(path)
    ensure_player(db, "kid-09")
    create_session(db, {"player_id": "kid-09", "level": "garden-balance", "device": "sim:0.50"})
    db.conn.commit()
    db.close()
    out = tmp_path / "e.html"
    code = ("import sys; from game.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'scipy')))")
    shown = subprocess.run([sys.executable, "-c", code, "report", "--player", "kid-09", "--out", str(out),
                            "--db", str(path)], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert shown.strip().splitlines()[-1] == "[]"
    html = out.read_text(encoding="utf-8")
    assert "No trend to draw yet" in html and "<img" not in html


def test_every_pdf_page_is_a4_and_no_text_runs_into_its_edge(clinic):
    pages = report_pages(build_player_report(open_db(clinic), "kid-07"))
    assert len(pages) >= 6
    for number, page in enumerate(pages, start=1):
        assert tuple(page.get_size_inches()) == pytest.approx(A4_PORTRAIT)
        renderer = FigureCanvasAgg(page).get_renderer()
        page.draw(renderer)  # lays the page out (constrained layout) as saving it does
        box = page.bbox
        undrawn = set()  # tick labels of ticks outside the axis' range exist but are not drawn
        for ax in page.axes:
            for axis in (ax.xaxis, ax.yaxis):
                low, high = sorted(axis.get_view_interval())
                for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                    if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                        undrawn.update({id(tick.label1), id(tick.label2)})
        for text in page.findobj(Text):
            assert isinstance(text, Text)
            if not text.get_visible() or not text.get_text().strip() or id(text) in undrawn:
                continue
            extent = text.get_window_extent(renderer)
            side, end = 0.4 * page.dpi, 0.2 * page.dpi  # a printer's unprintable edge is narrower than this
            inside = (extent.x0 >= box.x0 + side and extent.x1 <= box.x1 - side and extent.y0 >= box.y0 + end
                      and extent.y1 <= box.y1 - end)
            assert inside, f"page {number}: {text.get_text()[:50]!r} runs into the page's edge"


def test_a_table_wider_than_the_page_shrinks_its_font_until_every_column_fits():
    page = _Page([])
    headers = [f"Column number {i}" for i in range(16)]
    table = Table("Wide", headers, [["2026-03-02 09:00"] + [f"{i * 1000:,}" for i in range(15)]])
    font, widths, _ = page._layout(table, table.rows, 7.5)
    assert font < 7.5 and sum(widths) <= page.width + 1e-6


def test_the_sessions_table_of_a_clinic_fits_between_the_margins(clinic):
    report = build_player_report(open_db(clinic), "kid-07")
    page = _Page([])
    table = sessions_table(report)
    _, widths, _ = page._layout(table, table.rows, 6.5)
    assert sum(widths) <= page.width + 1e-6


def test_the_devices_own_readings_are_used_when_the_session_stored_them(clinic, tmp_path):
    path = tmp_path / "p.db"
    shutil.copy(clinic, path)
    db = open_db(path)
    with db.conn:  # session 32 (a copy of 31) gets readings on the device's clock: twice the sway at each step
        db.execute("update samples set device_t_s = t_s + 100.0 where session_id = 32")
        rows = db.execute("select step, t_s + 100.0, raw_x * 2, raw_y * 2 from samples where session_id = 32 "
                          "order by step").fetchall()
        db["readings"].insert_all([{"session_id": 32, "seq": step, "device_t_s": t, "raw_x": x, "raw_y": y,
                                    "raw_unit": "mm"} for step, t, x, y in rows])
    report = build_player_report(db, "kid-07")
    plain, native = (next(s for s in report.sessions if s.number == n).physical for n in (31, 32))
    assert not plain.native and native.native and native.count == plain.count
    assert native.mean("mean_velocity") == pytest.approx(2 * plain.mean("mean_velocity"), rel=1e-6)
    assert "the device's raw values at each 120 Hz step" in physical_table(
        next(g for g in physical_groups(report) if g.group[1] == "mm")).note  # not every session had readings
