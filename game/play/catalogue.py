"""What the title screen offers: the shipped playlists (with the minutes they play) and levels.

A playlist's minutes are the ones its description states ("about 4 to 5 minutes of play"):
``tests/game/play/test_catalogue.py`` plays every shipped playlist with simulated players of
low and high skill and fails when the time they play falls outside the stated range, so the
words stay honest when a level changes. A playlist or level that does not load is left off
the title screen (``proprio play NAME`` then says what is wrong with it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from game.errors import ProprioError
from game.level.loader import DEFAULT_PLAYLIST, PLAYLIST_SUFFIX, LoadedLevel, load_level, shipped_levels
from game.level.model import Playlist
from game.paths import levels_dir
from game.progress import LevelInfo

MINUTES = re.compile(r"about (\d+)(?: to (\d+))? minutes?", re.IGNORECASE)


@dataclass(frozen=True)
class PlaylistInfo:
    """A shipped playlist as the title screen lists it."""

    spec: str  # what load_plan takes (the file's path)
    name: str  # the file name without .playlist.toml
    title: str
    description: str
    levels: tuple[str, ...]  # level names, in play order
    minutes: tuple[int, int] | None  # the stated range of play minutes (low, high)

    @property
    def label(self) -> str:
        """'Kids' adventure: 4-5 min' (the title alone when no minutes are stated)."""
        if self.minutes is None:
            return self.title
        low, high = self.minutes
        return f"{self.title}: {low} min" if low == high else f"{self.title}: {low}-{high} min"


def stated_minutes(description: str) -> tuple[int, int] | None:
    """The '(about) N (to M) minutes' a description states, as (low, high); None when it states none."""
    match = MINUTES.search(description)
    if match is None:
        return None
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    return (min(low, high), max(low, high))


def shipped_playlists() -> list[PlaylistInfo]:
    """Every shipped playlist that reads, 'First steps' (the default) first, then by title."""
    found = []
    for path in sorted(levels_dir().glob(f"*{PLAYLIST_SUFFIX}")):
        try:
            playlist = Playlist.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError):
            continue
        name = path.name[: -len(PLAYLIST_SUFFIX)]
        levels = tuple(Path(entry).name.removesuffix(".toml") for entry in playlist.levels)
        found.append(PlaylistInfo(str(path), name, playlist.title, playlist.description, levels,
                                  stated_minutes(playlist.description)))
    return sorted(found, key=lambda p: (p.name != DEFAULT_PLAYLIST, p.title.lower()))


def shipped_level_infos() -> list[tuple[str, LevelInfo]]:
    """(spec, LevelInfo) of every shipped level that loads, by file name."""
    infos = []
    for path in shipped_levels():
        try:
            loaded: LoadedLevel = load_level(path)
        except ProprioError:
            continue
        infos.append((str(path), LevelInfo(loaded.name, loaded.level.title, loaded.level.theme)))
    return infos
