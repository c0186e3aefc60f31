"""Test-wide setup: headless SDL before pygame is ever imported, and shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Tests assert behaviour, never wall-clock time: hypothesis's per-example deadline (200 ms) is a
# timing assertion that a loaded machine fails at random, so it is off for every property test.
settings.register_profile("proprio", deadline=None)
settings.load_profile("proprio")

REPO = Path(__file__).resolve().parent.parent
SHARED_BDS = REPO.parent / "shared" / "data" / "bds"


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory, monkeypatch):
    """Keep every test away from the real per-user data and config directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PROPRIO_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("PROPRIO_CONFIG_DIR", str(home / "config"))


@pytest.fixture
def bds_dir() -> Path:
    """The shared Balance Data Set folder; tests that need it skip when it is absent."""
    if not (SHARED_BDS / "reference_published.csv").is_file():
        pytest.skip(f"shared force-plate data not found at {SHARED_BDS}")
    return SHARED_BDS
