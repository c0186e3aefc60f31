"""The menus' logic (title, pause), pure: they take UI actions and say what to do next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from game.actions import UiAction, typed
from game.players import is_player_id

TitleChoice = Literal["start", "calibrate", "quit"]  # what the title menu ends with
PauseChoice = Literal["resume", "end", "quit"]  # what the pause menu ends with

NEW_PLAYER = "+ New player"
CALIBRATE = "@calibrate"  # the level-column row that opens the device calibration
CALIBRATE_LABEL = "Calibrate the device"


@dataclass
class TitleMenu:
    """Pick a player (or type a new ID) and a level; Enter starts, Esc quits."""

    players: list[str]
    levels: list[tuple[str, str]]  # (spec to load, label shown)
    player_index: int = 0
    level_index: int = 0
    focus: Literal["player", "level"] = "player"
    typed: str = ""
    message: str = ""

    @property
    def typing(self) -> bool:
        """True when the 'new player' row is selected and takes letters."""
        return self.player_index == len(self.players)

    @property
    def player(self) -> str | None:
        """The chosen player ID, or None while the typed one is not valid yet."""
        if self.typing:
            return self.typed if is_player_id(self.typed) else None
        return self.players[self.player_index]

    @property
    def level_spec(self) -> str:
        """What to load for the chosen level row."""
        return self.levels[self.level_index][0]

    def handle(self, action: UiAction) -> TitleChoice | None:
        """Apply one action; return "start", "calibrate" or "quit" when the menu is done."""
        self.message = ""
        if action == "recentre":  # the R key re-zeroes devices in play; here it is just a letter
            action = typed("r")
        if action == "back":
            return "quit"
        if action in ("left", "right", "tab"):
            self.focus = "level" if self.focus == "player" else "player"
        elif action in ("up", "down"):
            delta = -1 if action == "up" else 1
            if self.focus == "player":
                self.player_index = (self.player_index + delta) % (len(self.players) + 1)
            else:
                self.level_index = (self.level_index + delta) % len(self.levels)
        elif action == "backspace" and self.typing and self.focus == "player":
            self.typed = self.typed[:-1]
        elif action.startswith("text:") and self.typing and self.focus == "player":
            char = action[5:]
            if len(self.typed) < 32 and len(char) == 1 and (char.isalnum() or char in "-_") and char.isascii():
                self.typed += char
        elif action == "confirm":
            if self.player is None:
                self.message = "Type a player code first (letters, digits, - or _)"
                self.focus = "player"
                return None
            return "calibrate" if self.level_spec == CALIBRATE else "start"
        return None


@dataclass
class PauseMenu:
    """Shown on Space or Esc during play; nothing moves while it is open."""

    items: list[str] = field(default_factory=lambda: ["Resume", "End level", "Quit game"])
    index: int = 0

    def handle(self, action: UiAction) -> PauseChoice | None:
        """Return "resume", "end" or "quit" when chosen; Space or Esc resumes."""
        if action in ("pause", "back"):
            return "resume"
        if action in ("up", "down"):
            self.index = (self.index + (-1 if action == "up" else 1)) % len(self.items)
        elif action == "confirm":
            choices: tuple[PauseChoice, ...] = ("resume", "end", "quit")
            return choices[self.index]
        return None


@dataclass(frozen=True)
class ResultsView:
    """What the results screen shows after a level."""

    player: str
    level_title: str
    score: int
    max_score: int
    stars: int
    trials: int
    successes: int
    difficulty: float
    improvements: tuple[str, ...]
    next_label: str | None  # the next level's title, or None at the end of the plan
    status: str = "completed"
