"""Where the shipped levels and assets live, from a checkout or from an installed wheel."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # A wheel carries the data inside the package (see pyproject's force-include); a
    # checkout (editable install or plain source tree) keeps it at the repository's top.
    inside = _PACKAGE / "_shipped" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def levels_dir() -> Path:
    """The folder of shipped level and playlist files."""
    return _shipped("levels")


def assets_dir() -> Path:
    """The folder of shipped images, sounds and fonts."""
    return _shipped("assets")


def user_data_dir() -> Path:
    """Per-user data folder (the default database lives here); PROPRIO_DATA_DIR overrides."""
    override = os.environ.get("PROPRIO_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("proprio", appauthor=False))


def user_config_dir() -> Path:
    """Per-user settings folder (remembered player); PROPRIO_CONFIG_DIR overrides."""
    override = os.environ.get("PROPRIO_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("proprio", appauthor=False))


def default_db_path() -> Path:
    """The per-user telemetry database every command uses unless given --db."""
    return user_data_dir() / "proprio.db"
