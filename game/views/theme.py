"""Colours and shapes per theme: Okabe-Ito colour-blind-safe hues on dark, high-contrast fields.

Nothing is told by colour alone: inside/outside also changes outline width and shows a
check mark, the hold progress is a ring, outcomes have words and symbols.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.core.snapshot import Snapshot

# Okabe & Ito (2008) palette, safe for the common colour-vision deficiencies.
ORANGE = (230, 159, 0)
SKY = (86, 180, 233)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)
VERMILLION = (213, 94, 0)
PURPLE = (204, 121, 167)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


@dataclass(frozen=True)
class Theme:
    """What a theme changes: backdrop, the marker's look and the words of praise."""

    name: str
    background: tuple[int, int, int]
    field: tuple[int, int, int]
    grid: tuple[int, int, int]
    marker: tuple[int, int, int]
    marker_name: str
    target: tuple[int, int, int]
    praise: tuple[str, ...]
    encourage: tuple[str, ...]


THEMES = {
    "garden": Theme(
        name="garden",
        background=(14, 38, 30),
        field=(22, 58, 44),
        grid=(52, 96, 78),
        marker=VERMILLION,
        marker_name="ladybird",
        target=SKY,
        praise=("Great!", "Well done!", "Super!", "Brilliant!"),
        encourage=("Almost!", "Nice try!", "Keep going!"),
    ),
    "space": Theme(
        name="space",
        background=(8, 12, 38),
        field=(18, 24, 64),
        grid=(60, 70, 130),
        marker=YELLOW,
        marker_name="rocket",
        target=ORANGE,
        praise=("Great flying!", "Stellar!", "Super!", "Out of this world!"),
        encourage=("Almost!", "Nice try!", "Keep going!"),
    ),
    "ocean": Theme(
        name="ocean",
        background=(4, 30, 52),
        field=(10, 52, 84),
        grid=(50, 110, 150),
        marker=YELLOW,
        marker_name="boat",
        target=ORANGE,
        praise=("Splash!", "Well done!", "Super!", "Wave-tastic!"),
        encourage=("Almost!", "Nice try!", "Keep going!"),
    ),
}


def theme_for(name: str) -> Theme:
    """The named theme, or the garden if the name is unknown."""
    return THEMES.get(name, THEMES["garden"])


def feedback_banner(snap: Snapshot, theme: Theme) -> tuple[str, tuple[int, int, int]]:
    """The words and colour of the after-trial banner: the level's own words, else the theme's."""
    if snap.last_outcome == "success":
        word = snap.message or theme.praise[snap.trial % len(theme.praise)]
        return f"{word}  +{snap.last_points}", GREEN
    word = snap.message or theme.encourage[snap.trial % len(theme.encourage)]
    return (f"{word}  +{snap.last_points}" if snap.last_points else word), ORANGE


def wrap_words(text: str, max_width: float, width_of: Callable[[str], float]) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (a word longer than a line gets a line of its own).

    ``width_of`` measures a string in the same unit as ``max_width`` (pixels in 2D, design units in 3D),
    so both views wrap a long device notice instead of running past their banner.
    """
    lines: list[str] = []
    for word in text.split():
        if lines and width_of(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
