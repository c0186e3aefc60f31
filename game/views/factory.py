"""The one place a view is made from its ``--view`` name (2D pygame, 3D panda3d, VR and its preview).

Window libraries are imported here only when their view is asked for: SDL and panda3d read
the environment when they load, and a 2D player should not pay for panda3d (nor need it).
"""

from __future__ import annotations

import os

from game.errors import InputSpecError, ProprioError
from game.views.base import View
from game.vocabulary import VIEW_CHOICES as VIEW_CHOICES  # with the command line's names (light)


def open_view(kind: str, *, headless: bool, fullscreen: bool = False, sound: bool = True,
              music: bool | None = None) -> View:
    """The view ``kind`` names; a typed error with a remedy (never a traceback) when it cannot open.

    ``music`` False turns the theme music off; None leaves it to ``PROPRIO_MUSIC`` (game/views/sounds.py).
    """
    if kind not in VIEW_CHOICES:
        raise InputSpecError(f"unknown --view '{kind}'", remedy=f"Valid choices: {', '.join(VIEW_CHOICES)}.")
    if kind == "2d":
        flat = _pygame_view(headless=headless, fullscreen=fullscreen, sound=sound)
        if music is not None:
            from game.views.sounds import music_player

            music_player(flat, music)
        return flat
    if kind == "vr":
        from game.views.vr import VrUnavailableError, open_vr_view

        if headless:
            raise VrUnavailableError("--view vr needs a headset and cannot run --headless; "
                                     "use --view vr-preview --headless (or --view 3d --headless)")
        return open_vr_view(sound=sound, fullscreen=fullscreen)
    from game.views.panda3d_view import Panda3dView

    view: View = Panda3dView(offscreen=headless, fullscreen=fullscreen and not headless,
                             sound=sound and not headless, mode=kind, music=music)
    return view


def _pygame_view(*, headless: bool, fullscreen: bool, sound: bool) -> View:
    """The 2D view; headless, SDL's dummy drivers (no window, no audio device)."""
    if headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from game.views.pygame_view import PygameView

    try:
        view: View = PygameView(fullscreen=fullscreen, sound=sound and not headless)
    except pygame.error as exc:
        raise ProprioError(
            f"cannot open a window ({exc})",
            remedy="No display here? Add --headless (for example: proprio play --headless --input sim --fast).",
        ) from None
    return view
