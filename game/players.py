"""Pseudonymous player IDs and the remembered last player."""

from __future__ import annotations

import json
import re
from pathlib import Path

from game.errors import ProprioError
from game.paths import user_config_dir

# ``\Z``, not ``$``: ``$`` also matches before a trailing newline, which let "kid-07\n" pass as a second player.
# The classes are ASCII-only, so no whitespace, control character or look-alike letter ever matches.
PLAYER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}\Z")
DEFAULT_PLAYER = "player-1"


class PlayerIdError(ProprioError):
    """A player ID that is not a short pseudonymous code."""


def is_player_id(text: object) -> bool:
    """True when ``text`` is a whole valid ID (one check for every entry point, so no variant slips through)."""
    return isinstance(text, str) and PLAYER_ID.fullmatch(text) is not None


def check_player_id(player_id: str) -> str:
    """Return the ID if it is 1-32 ASCII letters, digits, '-' or '_' (no names: IDs are pseudonyms)."""
    if not is_player_id(player_id):
        raise PlayerIdError(
            f"player ID {player_id!r} is not valid",
            remedy="Use 1-32 letters, digits, '-' or '_', starting with a letter or digit, e.g. kid-07. "
            "Use a code, not the person's name.",
        )
    return player_id


def _settings_path() -> Path:
    return user_config_dir() / "settings.json"


def remembered_players() -> tuple[str | None, list[str]]:
    """(last player, every player chosen before), from the per-user settings file."""
    try:
        data = json.loads(_settings_path().read_text(encoding="utf-8"))
        players = [p for p in data.get("players", []) if is_player_id(p)]
        last = data.get("last_player")
        return (last if last in players else None), players
    except (OSError, ValueError, AttributeError):
        return None, []


def remember_player(player_id: str) -> None:
    """Store the player as the last one chosen (best effort: a read-only home is not an error)."""
    if not is_player_id(player_id):
        return  # never write an ID that reading back would refuse
    _, players = remembered_players()
    if player_id not in players:
        players.append(player_id)
    path = _settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"last_player": player_id, "players": players[-50:]}, indent=2), encoding="utf-8")
    except OSError:
        pass
