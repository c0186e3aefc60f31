"""The 2D view on SDL's dummy driver, for the view tests that draw with it (a module's own ``view`` overrides it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def view() -> Iterator[object]:
    """A fresh ``PygameView`` with no sound and no events queued from an earlier test."""
    pygame = pytest.importorskip("pygame")
    from game.views.pygame_view import PygameView

    v = PygameView(sound=False)
    pygame.event.clear()
    yield v
    v.close()
