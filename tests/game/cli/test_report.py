"""``proprio report`` from the command line."""

from __future__ import annotations

import pytest

from game.play import Game, PlayOptions
from tests.cli import run_cli
from tests.played import private_home


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-report") / "p.db"
    with private_home(tmp_path_factory):
        for level in ("garden-balance", "space-reach"):
            Game(PlayOptions(level=level, player="kid-07", input="sim", headless=True, fast=True, duration_s=12,
                               seed=5, db_path=path, sound=False)).run()
    return path


def test_html_and_pdf_reports(db_path, tmp_path, capsys):
    code, out, err = run_cli(["report", "--player", "kid-07", "--out", str(tmp_path / "r.html"),
                              "--db", str(db_path)], capsys)
    assert code == 0, err
    assert out.strip() == f"Wrote {tmp_path / 'r.html'}"
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Progress report: player kid-07" in html and "data:image/png;base64," in html
    code, _, err = run_cli(["report", "--player", "kid-07", "--out", str(tmp_path / "r.pdf"),
                            "--db", str(db_path)], capsys)
    assert code == 0, err
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("args, code, message", [
    (["--player", "ghost", "--out", "R.html"], 1, "no player 'ghost'"),
    (["--player", "kid-07", "--out", "R.txt"], 1, "End --out with .html"),
    (["--player", "kid-07"], 2, "Missing option '--out'"),
    (["--out", "R.html"], 2, "Missing option '--player'"),
])
def test_report_errors(db_path, tmp_path, capsys, args, code, message):
    args = [str(tmp_path / ("r" + a[1:])) if a.startswith("R.") else a for a in args]
    got, out, err = run_cli(["report", *args, "--db", str(db_path)], capsys)
    assert got == code and message in err and "Traceback" not in out + err
    assert list(tmp_path.glob("*.html")) == [] and list(tmp_path.glob("*.txt")) == []


def test_report_on_a_missing_database(tmp_path, capsys):
    code, _, err = run_cli(["report", "--player", "kid-07", "--out", str(tmp_path / "r.html"),
                            "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and err.startswith("Error: no Proprio database at")
