"""The 2D view draws what it is given: checked on pixels of the dummy-driver surface."""

from __future__ import annotations

import dataclasses

import pytest

pygame = pytest.importorskip("pygame")

from game.core.art import THEME_ART  # noqa: E402
from game.core.events import EVENT_KINDS  # noqa: E402
from game.core.snapshot import Frame, Snapshot, TargetView  # noqa: E402
from game.menu import PauseMenu, ResultsView, TitleMenu  # noqa: E402
from game.paths import assets_dir  # noqa: E402
from game.views import theme as palette  # noqa: E402
from game.views.sounds import EVENT_SOUNDS  # noqa: E402

SNAP = Snapshot(
    t_s=3.0, theme="garden", level_title="Garden Balance", challenge_index=0, challenge_count=1,
    challenge_kind="hold", challenge_title="Ladybird", instruction="Keep the ladybird on the leaf!", phase="trial",
    phase_left_s=9.2, control=(0.5, 0.0), marker=(0.5, 0.0),
    targets=(TargetView(-0.5, 0.0, 0.25, "zone", False),), progress=0.4, trial=2, trials=6, difficulty=0.3,
    score=250, max_score=900, stars=1, last_outcome="success", last_points=120, art=THEME_ART["garden"],
)


def colour_near(view, point, colour, radius=4, tolerance=40):
    x0, y0 = point
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            c = view.screen.get_at((x0 + dx, y0 + dy))
            if all(abs(c[i] - colour[i]) <= tolerance for i in range(3)):
                return True
    return False


def test_marker_and_zone_are_drawn_where_the_frame_says(view):
    view.draw_play(Frame(SNAP, SNAP, 1.0))
    marker_px = view._to_px(0.5, 0.0)
    zone_px = view._to_px(-0.5, 0.0)
    # the ladybird body (vermillion) sits at the marker position, off its central line
    assert colour_near(view, (marker_px[0] + 8, marker_px[1] + 2), palette.VERMILLION)
    # the zone is the level's picture (a leaf for the garden) with a sky-blue outline at its true radius
    assert not colour_near(view, zone_px, palette.VERMILLION)
    assert colour_near(view, zone_px, (96, 170, 70), radius=12, tolerance=30)  # leaf green
    rim = int(0.25 * view._field()[2])
    assert colour_near(view, (zone_px[0], zone_px[1] - rim), palette.SKY, radius=3, tolerance=30)


def test_interpolation_places_the_marker_between_steps(view):
    prev = dataclasses.replace(SNAP, marker=(-0.8, 0.6), control=(-0.8, 0.6))
    curr = dataclasses.replace(SNAP, marker=(0.0, 0.6), control=(0.0, 0.6))
    view.draw_play(Frame(prev, curr, 0.5))
    x, y = view._to_px(-0.4, 0.6)
    assert colour_near(view, (x + 8, y + 2), palette.VERMILLION)
    far_x, far_y = view._to_px(0.0, 0.6)
    assert not colour_near(view, (far_x + 8, far_y + 2), palette.VERMILLION, radius=2)


def test_inside_the_zone_shows_a_check_not_only_a_colour(view):
    inside = dataclasses.replace(SNAP, targets=(TargetView(0.5, 0.0, 0.25, "zone", True),))
    view.draw_play(Frame(inside, inside, 1.0))
    with_check = pygame.image.tostring(view.screen, "RGB")
    outside = dataclasses.replace(SNAP, targets=(TargetView(0.5, 0.0, 0.25, "zone", False),))
    view.draw_play(Frame(outside, outside, 1.0))
    assert with_check != pygame.image.tostring(view.screen, "RGB")


def test_pause_menu_darkens_the_scene(view):
    view.draw_play(Frame(SNAP, SNAP, 1.0))
    bright = sum(view.screen.get_at((x, 600))[1] for x in range(0, 1280, 40))
    view.draw_play(Frame(SNAP, SNAP, 1.0), PauseMenu())
    dim = sum(view.screen.get_at((x, 600))[1] for x in range(0, 1280, 40))
    assert dim < bright * 0.5


@pytest.mark.parametrize("phase", ["intro", "trial", "feedback", "home", "rest", "done"])
def test_every_phase_draws_without_error_in_both_themes(view, phase):
    for theme in ("garden", "space"):
        snap = dataclasses.replace(SNAP, phase=phase, theme=theme)
        view.draw_play(Frame(snap, snap, 0.3))


def test_menus_and_results_draw_and_resize(view):
    view.draw_title(TitleMenu(["kid-07"], [("default", "All levels")]))
    view.draw_results(ResultsView("kid-07", "Garden", 700, 900, 2, 6, 5, 0.4, ("+ Score 500 -> 700",), None))
    view.screen = pygame.display.set_mode((800, 600), pygame.RESIZABLE)
    view.draw_play(Frame(SNAP, SNAP, 1.0))
    assert view.screen.get_size() == (800, 600)


def test_every_event_has_a_shipped_sound():
    for kind in EVENT_KINDS + ("pause", "resume"):
        assert kind in EVENT_SOUNDS, kind
        assert (assets_dir() / "sounds" / f"{EVENT_SOUNDS[kind]}.wav").is_file()


def test_sounds_are_chosen_per_event(view):
    view.play_sounds(["trial_success", "zone_enter", "trial_success"])
    assert view.sounds.played[-2:] == ["success", "enter"]


def test_the_feedback_banner_prefers_the_level_words_and_never_colour_alone():
    from game.views.theme import feedback_banner, theme_for

    garden = theme_for("garden")
    text, colour = feedback_banner(dataclasses.replace(SNAP, phase="feedback", message="Yay!"), garden)
    assert (text, colour) == ("Yay!  +120", palette.GREEN)
    missed = dataclasses.replace(SNAP, phase="feedback", last_outcome="fail", last_points=0, message=None)
    text, colour = feedback_banner(missed, garden)
    assert text in garden.encourage and colour == palette.ORANGE  # words differ, not only the colour
