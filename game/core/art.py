"""What each role of a challenge is drawn as: the challenge's choice, else the level's, else the theme's.

The names are ``game.level.model.SPRITES`` and ``BACKDROPS``; both views draw every one of them as
that thing (a ladybird looks like a ladybird in 2D and in 3D), so a level author themes a level
with words in its file and no code.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.level.model import AnyChallenge, Art, Backdrop, Level, Sprite


@dataclass(frozen=True, slots=True)
class ArtView:
    """The resolved picture names of one challenge's roles."""

    player: Sprite
    target: Sprite
    home: Sprite
    collect: Sprite
    avoid: Sprite
    backdrop: Backdrop


# A theme's pictures for the roles a level does not name.
THEME_ART: dict[str, ArtView] = {
    "garden": ArtView(player="ladybird", target="leaf", home="flower", collect="flower", avoid="bee",
                      backdrop="garden"),
    "space": ArtView(player="rocket", target="planet", home="ring", collect="star", avoid="asteroid",
                     backdrop="space"),
    "ocean": ArtView(player="fish", target="ring", home="ring", collect="shell", avoid="jellyfish",
                     backdrop="sea"),
}
NEUTRAL_ART = ArtView(player="dot", target="ring", home="ring", collect="star", avoid="asteroid", backdrop="garden")


def resolve_art(level: Level, challenge: AnyChallenge) -> ArtView:
    """The picture of each role of ``challenge`` in ``level`` (challenge, then level, then theme)."""
    base = THEME_ART.get(level.theme, NEUTRAL_ART)

    def pick(name: str) -> str:
        for art in (challenge.art, level.art):
            value = getattr(art, name)
            if value is not None:
                return str(value)
        return str(getattr(base, name))

    return ArtView(**{name: pick(name) for name in Art.model_fields})  # type: ignore[arg-type]
