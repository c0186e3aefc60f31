"""The wheel carries levels/ and assets/, and an installed copy finds them from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_an_installed_wheel_finds_its_levels_and_assets_from_any_folder(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(wheels.glob("proprio-*.whl"))
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    where = subprocess.run(
        [sys.executable, "-c", "import game.paths as p; print(p.levels_dir()); print(p.assets_dir())"],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    levels, assets = (Path(line) for line in where.stdout.split())
    assert levels == site / "game" / "_shipped" / "levels"
    assert (levels / "garden-balance.toml").is_file() and (levels / "default.playlist.toml").is_file()
    assert (assets / "sounds" / "success.wav").is_file()
    play = subprocess.run(
        [sys.executable, "-m", "game", "play", "space-reach", "--headless", "--input", "sim", "--fast",
         "--duration", "3", "--db", str(tmp_path / "p.db")],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert play.returncode == 0, play.stderr
    assert "Session completed: space-reach" in play.stdout
