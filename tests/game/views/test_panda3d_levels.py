"""Every shipped level, played headless through the runner in the 3D view, leaves a real rendered frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("panda3d")

from game.core.art import resolve_art  # noqa: E402
from game.errors import ProprioError  # noqa: E402
from game.level.loader import load_level  # noqa: E402
from game.play import Game, PlayOptions  # noqa: E402
from game.views.p3d_app import ViewUnavailableError  # noqa: E402
from game.views.p3d_models_scenes import board_look  # noqa: E402

LEVELS = Path(__file__).resolve().parents[3] / "levels"
SHIPPED = sorted(p for p in LEVELS.glob("*.toml") if not p.name.endswith(".playlist.toml"))


def load_png(path: Path) -> np.ndarray:
    from panda3d.core import Filename, PNMImage

    image = PNMImage()
    assert image.read(Filename.fromOsSpecific(str(path)))
    w, h = image.getXSize(), image.getYSize()
    return np.array([[[int(c * 255 + 0.5) for c in image.getXel(x, y)] for x in range(0, w, 4)]
                     for y in range(0, h, 4)])


def close_to(image: np.ndarray, colour, tolerance: int = 26) -> np.ndarray:
    return (np.abs(image - np.array(colour)) <= tolerance).all(axis=2)


def play_3d(tmp_path: Path, level: str, seconds: float, view: str = "3d"):
    shot = tmp_path / f"{Path(level).stem}-{view}.png"
    options = PlayOptions(level=level, input="sim", view=view, seed=5, headless=True, fast=True, duration_s=seconds,
                          db_path=tmp_path / "p.db", screenshot=shot)
    try:
        summary = Game(options).run()
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    return summary, shot


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_shipped_level_renders_its_board_and_pictures(tmp_path, path):
    try:
        level = load_level(path).level
    except (ProprioError, AttributeError) as exc:
        pytest.fail(f"{path.name} does not load: {exc}")
    backdrop = resolve_art(level, level.challenges[0]).backdrop
    summary, shot = play_3d(tmp_path, str(path), 3.5)
    assert summary.status == "completed" and summary.figures()["frames"] == 210
    image = load_png(shot)
    assert image.shape[:2] == (180, 320)  # 1280x720, sampled every 4 pixels
    play_area = image[40:150]  # below the HUD bar, above the instruction line
    assert close_to(play_area, board_look(backdrop).top).mean() > 0.08  # the backdrop's board top, lit from above
    # the level's pictures: bright, coloured things on the calm board (a ladybird, a dolphin, a moon rock)
    board = close_to(play_area, board_look(backdrop).top, tolerance=40)
    bright = (play_area.max(axis=2) > 140) & ~board
    assert bright.sum() >= 6


def test_the_readme_command_writes_a_real_3d_frame(tmp_path, capsys):
    from game.cli import main

    shot = tmp_path / "out.png"
    try:
        main(["play", "--view", "3d", "--headless", "--input", "sim", "--duration", "5", "--fast",
              "--screenshot", str(shot), "--db", str(tmp_path / "p.db")])
    except SystemExit as exc:
        if exc.code and "offscreen OpenGL" in capsys.readouterr().err:
            pytest.skip("this machine cannot make an offscreen OpenGL buffer")
        raise
    out = capsys.readouterr().out
    assert "Session completed" in out and "300 frames" in out
    image = load_png(shot)
    colours = {tuple(p) for p in image[::4, ::4].reshape(-1, 3)}
    assert len(colours) > 40  # shaded 3D geometry, not a flat fill
    assert close_to(image, board_look("garden").top).mean() > 0.05
