"""The progress report: self-contained HTML (plots embedded, text escaped), the PDF, and its errors."""

from __future__ import annotations

import base64
import io
import re
import stat
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimage

from game.play import Game, PlayOptions
from telemetry.report import write_report
from telemetry.report.data import ReportError, build_player_report
from telemetry.report.plots import LATEST_COLOUR
from telemetry.store.database import open_db
from telemetry.store.players import PlayerNotFoundError, set_identity
from telemetry.store.sessions import create_session
from tests.played import private_home

HOSTILE_TITLE = '<script>alert("x")</script><img src="http://evil.example/x.png">'


@pytest.fixture(scope="module")
def game_db(tmp_path_factory) -> Path:
    """kid-07: two balance and two reach sessions, one interrupted session with a hostile title."""
    path = tmp_path_factory.mktemp("report") / "p.db"
    with private_home(tmp_path_factory):
        for seed in (1, 2):
            for level in ("garden-balance", "space-reach"):
                Game(PlayOptions(level=level, player="kid-07", input="sim:0.5", headless=True, fast=True,
                                   duration_s=25, seed=seed, db_path=path, sound=False)).run()
    db = open_db(path)
    session_id = create_session(db, {"player_id": "kid-07", "level": "hostile", "level_title": HOSTILE_TITLE,
                                     "device": "sim:0.50"})
    db["sessions"].update(session_id, {"status": "interrupted", "duration_s": 0.0, "trials": 0})
    set_identity(db, "kid-07", display_name="Jane Doe", notes="Knee & ankle <left>")
    create_session(db, {"player_id": "empty-1", "level": "x", "device": "sim"})
    db.execute("delete from sessions where player_id = 'empty-1'")
    db.conn.commit()
    db.close()
    return path


def _images(html: str) -> list[np.ndarray]:
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    return [mpimage.imread(io.BytesIO(base64.b64decode(s.split(",", 1)[1])), format="png") for s in sources]


def test_the_html_report_is_self_contained_and_covers_every_section(game_db, tmp_path):
    out = write_report(open_db(game_db), "kid-07", tmp_path / "kid.html", db_path=game_db)
    html = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not re.search(r"(?:src|href)=\"(?!data:)", html)  # nothing to fetch
    assert "http://" not in html.replace("http://evil.example", "") and "https://" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for heading in ("First session compared with the latest", "Trends over sessions", "Sway in physical units",
                    "Sessions", "Sway paths",
                    "Limits of stability (reach trials)", "Device and calibration", "How to read this report"):
        assert f">{heading}<" in html or f"<strong>{heading}</strong>" in html, heading
    assert html.count("<tr") >= 5 + 1  # five sessions in the sessions table
    images = _images(html)
    assert len(images) == 4  # trends, sway in degrees (the simulated tilt) against the own baseline, sway paths, LOS
    los = images[-1][..., :3]
    blue = np.array([int(LATEST_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    assert np.sum(np.all(np.abs(los - blue) < 0.05, axis=-1)) > 20  # the latest polygon (its points, open gaps) drawn


def test_database_text_is_escaped_and_names_need_asking(game_db, tmp_path):
    db = open_db(game_db)
    html = write_report(db, "kid-07", tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "interrupted" in html and 'class="muted"' in html
    words = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)  # base64 can spell anything by chance
    assert "Jane Doe" not in words and "Knee" not in words
    named = write_report(db, "kid-07", tmp_path / "b.html", include_names=True).read_text(encoding="utf-8")
    assert "Jane Doe" in named and "Knee &amp; ankle &lt;left&gt;" in named


def test_the_comparison_uses_the_first_and_latest_session_of_each_level(game_db):
    report = build_player_report(open_db(game_db), "kid-07")
    first, latest = report.first_and_latest("garden-balance")
    assert (first.number, latest.number) == (1, 3)
    assert first.sway_figures() and latest.sway_figures()
    first, latest = report.first_and_latest("space-reach")
    assert (first.number, latest.number) == (2, 4) and latest.reach_figures()["mean_excursion_pct_los"] > 0
    assert report.first_and_latest("hostile") is None  # no finished trials


def test_the_pdf_report_has_a_page_per_part(game_db, tmp_path):
    out = write_report(open_db(game_db), "kid-07", tmp_path / "kid.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 7  # summary, trends, sessions, sway paths, LOS plot, directions, devices


def test_report_errors_say_what_to_do(game_db, tmp_path):
    db = open_db(game_db)
    with pytest.raises(PlayerNotFoundError, match="no player 'ghost'"):
        write_report(db, "ghost", tmp_path / "g.html")
    with pytest.raises(ReportError, match="has no sessions") as info:
        write_report(db, "empty-1", tmp_path / "e.html")
    assert "proprio play --player empty-1" in info.value.remedy
    with pytest.raises(ReportError, match="cannot tell the report format"):
        write_report(db, "kid-07", tmp_path / "kid.docx")
    with pytest.raises(ReportError, match="does not exist"):
        write_report(db, "kid-07", tmp_path / "missing" / "kid.html")
    with pytest.raises(ReportError, match="is a folder"):
        (tmp_path / "dir.html").mkdir()
        write_report(db, "kid-07", tmp_path / "dir.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.html"]


def test_the_device_table_shows_the_calibration_and_groups_alike_sessions(tmp_path):
    import json as _json

    from telemetry.report.tables import device_table
    from telemetry.store.calibrations import save_calibration

    db = open_db(tmp_path / "d.db")
    points = {d: [0.0, 0.0] for d in range(0, 360, 45)}
    points[0], points[90] = [10.0, 0.0], [0.0, 8.0]  # 10 degrees right, 8 forward; the rest at the centre
    los = _json.dumps({str(d): p for d, p in points.items()})
    calibration = save_calibration(db, "kid-07", "imu", "udp:1", {"raw_unit": "deg", "zero_x": 0.0, "zero_y": 0.0,
                                                                   "centre_x": 0.0, "centre_y": 0.0, "los": los})
    for device, cal, rate in (("sim:0.50", None, None), ("sim:0.50", None, None), ("imu-udp:1", calibration, 99.6)):
        session_id = create_session(db, {"player_id": "kid-07", "level": "x", "device": device})
        db["sessions"].update(session_id, {"calibration_id": cal, "input_rate_hz": rate, "status": "completed"})
    table = device_table(build_player_report(db, "kid-07"))
    assert [row[0] for row in table.rows] == ["1–2", "3"]
    assert table.rows[0][2:5] == ["sim:0.50", "–", "none stored: the device's default range"]
    assert table.rows[1][2:4] == ["imu-udp:1", "100 Hz"] and table.rows[1][4].startswith(f"#{calibration} (imu)")
    reach = table.rows[1][5]
    assert reach.startswith("right 10.0, forward-right 0.0, forward 8.0") and reach.endswith("deg")
