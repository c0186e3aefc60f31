"""Played databases for module-scoped fixtures: a private home for the game's per-user folders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the game's per-user data and config folders at a fresh temporary home while inside.

    ``tests/conftest.py`` does this for every test; a module-scoped fixture that plays a game
    runs before (outside) that, so it asks here.
    """
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PROPRIO_DATA_DIR", str(home / "data"))
        mp.setenv("PROPRIO_CONFIG_DIR", str(home / "config"))
        yield
