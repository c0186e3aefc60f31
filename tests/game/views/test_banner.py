"""A long notice (a device gone quiet, with what to check) stays inside the banner, in 2D as in 3D."""

from __future__ import annotations

import numpy as np
import pygame

from game.views import theme as palette
from game.views.factory import open_view
from game.views.theme import wrap_words

LONG = "No data from the IMU on UDP 127.0.0.1:44163 for 12 s: check the board's power and its Wi-Fi"


def test_words_wrap_within_the_width_and_none_is_lost():
    lines = wrap_words(LONG, 30, len)
    assert " ".join(lines) == LONG and all(len(line) <= 30 for line in lines)
    assert wrap_words("Great!", 30, len) == ["Great!"] and wrap_words("", 10, len) == [""]
    assert wrap_words("a-very-long-word x", 5, len) == ["a-very-long-word", "x"]  # never cut


def test_the_2d_banner_keeps_a_long_notice_inside_its_box():
    view = open_view("2d", headless=True, sound=False)
    try:
        screen = view.screen  # type: ignore[attr-defined]
        screen.fill((0, 0, 0))
        view.banner(LONG, palette.ORANGE)  # type: ignore[attr-defined]
        pixels = pygame.surfarray.array3d(screen)  # (width, height, 3)
        w = pixels.shape[0]
        orange = np.all(np.abs(pixels - np.array(palette.ORANGE[:3])) < 40, axis=-1)
        columns = np.nonzero(orange.any(axis=1))[0]
        assert columns.min() >= int(w * 0.19) - 2 and columns.max() <= int(w * 0.81) + 2  # the 62 % box
        rows = np.nonzero(orange[w // 2 - 200: w // 2 + 200].any(axis=0))[0]
        assert rows.max() - rows.min() > 100  # more than one line of text
    finally:
        view.close()
