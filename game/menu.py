"""The menus' logic (title, pause, the "are you sure?" prompt), pure: they take UI actions and say what to do next.

Leaving is never one key away: Esc on the title, and End level, Next level, Switch player and
Quit game in the pause menu, open a ``Confirm`` whose safe answer is selected first; choosing
the other answer starts a short countdown that any key, and any click, cancels. Mashing keys or
the mouse therefore never leaves (a masher never stops for two seconds), while a therapist who
means it waits two seconds. Closing the window is different: that is always meant, and the loop
ends the run at once.

The mouse (or a touch) speaks the same language as the keys: the view names the item under the
pointer (``game.actions.hover`` / ``pick``); moving onto an item selects it as the arrows would,
and a click chooses it as selecting it and pressing Enter would. One exception keeps the player
right: the pointer passing over the title's player column on its way to the games changes
nothing, only a click chooses a player (and does not start a game), so the data of a session is
never stored under a name the mouse happened to cross.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from game.actions import CLICK, MenuItem, UiAction, item_of, typed
from game.players import is_player_id
from game.progress import Progress, Sticker, headline

TitleChoice = Literal["start", "calibrate", "quit"]  # what the title menu ends with
PauseChoice = Literal["resume", "end", "skip", "switch", "quit"]  # what the pause menu ends with
ConfirmAnswer = Literal["yes", "no"]

NEW_PLAYER = "+ New player"
CALIBRATE = "@calibrate"  # the level-column row that opens the device calibration
CALIBRATE_LABEL = "Calibrate the device"
COLLECTION = "@collection"  # the level-column row that opens the sticker book
COLLECTION_LABEL = "My sticker book"
CLOSE_DELAY_S = 2.0  # after "yes", seconds with no key before it happens (any key stays)
MOVES = ("up", "down", "left", "right", "tab")


@dataclass
class Confirm:
    """Are you sure? The safe answer ("no") comes first; "yes" counts down ``CLOSE_DELAY_S``, which any key stops."""

    question: str
    yes: str
    no: str = "No, go back"
    doing: str = "Leaving"  # what the countdown says is about to happen ("Quitting in 2 s")
    index: int = 0  # 0: no, 1: yes
    closing_s: float | None = None  # seconds left once "yes" was chosen

    @property
    def items(self) -> list[str]:
        """The two answers, safe one first."""
        return [self.no, self.yes]

    def handle(self, action: UiAction) -> ConfirmAnswer | None:
        """"no" on Esc/Space, on Enter (or a click) over the safe answer, or on any key or click during the
        countdown. The pointer moving onto an answer selects it; a click on an answer chooses it."""
        item = item_of(action)
        if action == "focus_lost" or (item is not None and item.kind == "hover" and self.closing_s is not None):
            return None  # not a key: a hidden window, or the pointer merely moving, neither confirms nor cancels
        if self.closing_s is not None:
            return "no"  # any key or click while counting down: stay
        if action in ("back", "pause"):
            return "no"
        if item is not None:
            if item.list != "confirm" or item.index >= len(self.items):
                return None  # an item of a list under the prompt: not what the person sees now
            self.index = item.index
            if item.kind == "hover":
                return None
            action = "confirm"
        if action in MOVES:
            self.index = 1 - self.index
        elif action == "confirm":
            if self.index == 0:
                return "no"
            self.closing_s = CLOSE_DELAY_S
        return None

    def update(self, dt_s: float) -> ConfirmAnswer | None:
        """"yes" once the countdown has run out with no key pressed."""
        if self.closing_s is None:
            return None
        self.closing_s -= max(0.0, dt_s)
        return "yes" if self.closing_s <= 1e-9 else None

    def lines(self) -> list[str]:
        """The words under the question: what the keys do, or the countdown."""
        if self.closing_s is not None:
            return [f"{self.doing} in {max(1, math.ceil(self.closing_s - 1e-9))} s.", "Press any key or click to stay."]
        return ["Up/Down or the mouse: choose  ·  Enter or click: OK  ·  Esc: go back"]


def ask_first(action: UiAction, asking: bool) -> Literal["ask", "yes", "no"] | None:
    """The keys of a measuring screen whose leaving asks first (an assessment, a calibration).

    Esc (B) puts the question ("ask"); Esc (B) again answers "yes"; Enter (A) while it is asked answers
    its first, safe answer ("no"). None for every other key, which closes the question (the screen's
    part) and does what it always does. Unlike ``Confirm`` there is no countdown: the screen goes on
    measuring under the question, and its buttons carry the same two answers.
    """
    if action == "back":
        return "yes" if asking else "ask"
    if asking and action == "confirm":
        return "no"
    return None


@dataclass(frozen=True)
class TitleEntry:
    """What the title knows about a level-column row: the levels it plays and how long it takes."""

    kind: Literal["level", "playlist", "calibrate", "collection", "assessment"]
    levels: tuple[str, ...] = ()  # the level names it plays, in order
    minutes: float | None = None  # about how long it plays (None: not known)


@dataclass
class TitleMenu:
    """Pick a player (or type a new ID) and a level; Enter starts, Esc asks before leaving the game."""

    players: list[str]
    levels: list[tuple[str, str]]  # (spec to load, label shown)
    player_index: int = 0
    level_index: int = 0
    focus: Literal["player", "level"] = "player"
    typed: str = ""
    message: str = ""
    names: Mapping[str, str] = field(default_factory=dict)  # display names a clinician stored, by player ID
    progress: Mapping[str, Progress] = field(default_factory=dict)  # each known player's progress
    entries: Mapping[str, TitleEntry] = field(default_factory=dict)  # facts about level rows, by spec
    confirm: Confirm | None = None  # "Leave Proprio?" while it is asked
    page: Literal["menu", "stickers"] = "menu"  # the sticker book is a page of the title screen

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

    @property
    def greeting(self) -> str:
        """'Hello, Sam!' with the stored display name, else the code ('Hello, kid-07!'); a new player is welcomed."""
        player = self.player
        if player is None:
            return "Welcome! Type your player code"
        return f"Hello, {self.names.get(player) or player}!"

    @property
    def current_progress(self) -> Progress:
        """The chosen player's progress (empty for a new player)."""
        player = self.player
        return self.progress.get(player, Progress()) if player is not None else Progress()

    def stars_for(self, spec: str) -> tuple[int, int] | None:
        """(best stars won, stars there are) for a level or playlist row; None for other rows."""
        entry = self.entries.get(spec)
        if entry is None or entry.kind not in ("level", "playlist") or not entry.levels:
            return None
        best = self.current_progress.best_stars
        return sum(best.get(name, 0) for name in entry.levels), 3 * len(entry.levels)

    def handle(self, action: UiAction) -> TitleChoice | None:
        """Apply one action; return "start", "calibrate" or "quit" when the menu is done."""
        item = item_of(action)
        if self.page == "stickers":
            if action in ("back", "confirm", "pause", "left", "right", "tab") or (
                    item is not None and item.kind == "pick" and item.list == "book"):
                self.page = "menu"
            return None
        if self.confirm is not None:
            if self.confirm.handle(action) == "no":
                self.confirm = None
            return None
        if action == CLICK:
            return None  # a click on no item chooses nothing (and a message stays up)
        if item is not None:
            return self._pointed(item)
        self.message = ""
        if action == "focus_lost":
            return None
        if action == "recentre":  # the R key re-zeroes devices in play; here it is just a letter
            action = typed("r")
        if action == "back":
            self.confirm = Confirm("Leave Proprio?", "Yes, leave", "No, stay", "Closing")
            return None
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
            if self.level_spec == COLLECTION:
                self.page = "stickers"
                return None
            return "calibrate" if self.level_spec == CALIBRATE else "start"
        return None

    def _pointed(self, item: MenuItem) -> TitleChoice | None:
        """The pointer on a row: over a game selects it, a click on a game plays it (as Enter would); a click on a
        player (or "+ New player") chooses who plays, and moving over the player column changes nothing."""
        if item.list == "level" and item.index < len(self.levels):
            self.focus, self.level_index = "level", item.index
            if item.kind == "pick":
                return self.handle("confirm")
        elif item.list == "player" and item.kind == "pick" and item.index <= len(self.players):
            self.message = ""
            self.focus, self.player_index = "player", item.index
        return None

    def update(self, dt_s: float) -> TitleChoice | None:
        """"quit" once a confirmed "Leave Proprio?" has counted down."""
        if self.confirm is not None and self.confirm.update(dt_s) == "yes":
            self.confirm = None
            return "quit"
        return None


_PAUSE_ITEMS: tuple[tuple[str, PauseChoice], ...] = (
    ("Resume", "resume"), ("End level", "end"), ("Next level", "skip"), ("Switch player", "switch"),
    ("Quit game", "quit"),
)
_PAUSE_CONFIRMS: dict[PauseChoice, tuple[str, str, str]] = {  # question, yes, what the countdown says
    "end": ("End this level? What was played is saved.", "Yes, end the level", "Ending the level"),
    "skip": ("Skip to the next level? What was played is saved.", "Yes, next level", "Skipping"),
    "switch": ("Switch player? This level ends and is saved.", "Yes, switch player", "Switching"),
    "quit": ("Quit the game? Everything played is saved.", "Yes, quit", "Quitting"),
}


@dataclass
class PauseMenu:
    """Shown on Space, Esc or a hidden window during play; nothing moves while it is open.

    Resume is immediate; End level, Next level (when there is one), Switch player and Quit game
    are asked again (``Confirm``) so that a child's key mashing never leaves the level.
    """

    has_next: bool = False  # a next level in the plan: "Next level" is offered
    index: int = 0
    reason: str = ""  # why play paused when it was not a key ("The game window was hidden")
    confirm: Confirm | None = None
    pending: PauseChoice | None = None  # what the open confirm would do

    @property
    def choices(self) -> list[PauseChoice]:
        """The choices offered, in order."""
        return [c for _, c in _PAUSE_ITEMS if c != "skip" or self.has_next]

    @property
    def items(self) -> list[str]:
        """The rows' words, in order."""
        labels = dict((c, label) for label, c in _PAUSE_ITEMS)
        return [labels[c] for c in self.choices]

    def handle(self, action: UiAction) -> PauseChoice | None:
        """Return "resume" at once (Space, Esc or the Resume row); the others only once confirmed (see update)."""
        if self.confirm is not None:
            if self.confirm.handle(action) == "no":
                self.confirm = self.pending = None
            return None
        if action == "focus_lost":
            return None
        if action in ("pause", "back"):
            return "resume"
        item = item_of(action)
        if item is not None:  # the pointer on a row selects it; a click chooses it, as Enter would
            if item.list != "pause" or item.index >= len(self.choices):
                return None
            self.index = item.index
            if item.kind == "hover":
                return None
            action = "confirm"
        if action in ("up", "down"):
            self.index = (self.index + (-1 if action == "up" else 1)) % len(self.choices)
        elif action == "confirm":
            choice = self.choices[self.index]
            if choice == "resume":
                return "resume"
            question, yes, doing = _PAUSE_CONFIRMS[choice]
            self.confirm, self.pending = Confirm(question, yes, "No, keep playing", doing), choice
        return None

    def update(self, dt_s: float) -> PauseChoice | None:
        """The confirmed choice once its countdown has run out."""
        if self.confirm is not None and self.confirm.update(dt_s) == "yes":
            choice, self.confirm, self.pending = self.pending, None, None
            return choice
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
    headline: str = ""  # the first words, chosen from the success share (game.progress.headline)
    new_bests: tuple[str, ...] = ()  # "New best! 3 stars (before: 2)" against the player's own record
    stickers: tuple[str, ...] = ()  # names of the stickers this level earned
    earned: tuple[Sticker, ...] = ()  # those stickers, with their pictures
    week: str = ""  # "2 of 3 days this week"
    selected: int = 0  # the button Enter presses (the pointer moves it; see ``buttons``)

    @property
    def buttons(self) -> list[str]:
        """What can be done next, as buttons in order: the next level (when there is one), then the title."""
        return ([f"Next level: {self.next_label}"] if self.next_label else []) + ["Back to the title"]

    @property
    def heading(self) -> str:
        """The headline, or one chosen from the success share when none was given."""
        return self.headline or headline(self.successes, self.trials, self.status, self.player)
