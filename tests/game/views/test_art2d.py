"""The 2D pictures: every sprite and backdrop is drawn, distinct, animated by snapshot time; the HUD stays in its boxes.

Real pygame on SDL's dummy driver. Frame cost is not asserted here (no wall-clock tests):
``benchmarks/bench_loop.py`` measures it; what is checked is that the cheap way of drawing
(only what changed, from caches) paints exactly what a full repaint paints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math

import pytest

pygame = pytest.importorskip("pygame")

from game.core.art import THEME_ART, ArtView  # noqa: E402
from game.core.snapshot import Frame, ItemView, Snapshot, TargetView  # noqa: E402
from game.level.model import BACKDROPS, SPRITES  # noqa: E402
from game.views.art2d import SpriteCache, frame_of, quantize_radius, render_sprite  # noqa: E402
from game.views.art2d.backdrops import paint_backdrop, push_marks, sparkles  # noqa: E402
from game.views.art2d.sprites import STYLES  # noqa: E402
from game.views.play2d import MARKER_RADIUS, Layout, marker_offset, sparkles_clear_of_hud  # noqa: E402
from game.views.textwrap2d import TextCache, fit_text, wrap_lines  # noqa: E402

SIZES = ((800, 600), (1280, 720), (1920, 1080))



SNAP = Snapshot(
    t_s=3.0, theme="garden", level_title="Garden Balance", challenge_index=0, challenge_count=1,
    challenge_kind="hold", challenge_title="Ladybird", instruction="Keep the ladybird on the leaf!", phase="trial",
    phase_left_s=9.2, control=(0.2, 0.0), marker=(0.2, 0.0),
    targets=(TargetView(-0.4, 0.2, 0.25, "zone", False),), progress=0.4, trial=2, trials=6, difficulty=0.3,
    score=250, max_score=900, stars=1, last_outcome="success", last_points=120, art=THEME_ART["garden"],
)


def pixels(surface: pygame.Surface) -> bytes:
    return pygame.image.tostring(surface, "RGBA")


def opaque_share(surface: pygame.Surface) -> float:
    alpha = pygame.surfarray.pixels_alpha(surface)
    share = float((alpha > 128).mean())
    del alpha
    return share


# -- sprites and backdrops ---------------------------------------------------------------------
@pytest.mark.parametrize("name", SPRITES)
def test_every_sprite_draws_at_every_size_and_frame(name):
    for radius in (6, 20, 48, 110):
        for frame in range(STYLES[name].frames):
            image = render_sprite(name, radius, frame)
            assert image.get_width() >= 2 * radius  # room for the whole thing
            assert 0.05 < opaque_share(image) < 0.95, (name, radius, frame)  # a shape, not a blank or a square


def test_every_sprite_looks_different_from_every_other():
    hashes = {name: hashlib.sha1(pixels(render_sprite(name, 40, 0))).hexdigest() for name in SPRITES}
    assert len(set(hashes.values())) == len(SPRITES)
    # and differs from the others by a lot, not a stray pixel: compare the shapes' alpha masks
    masks = {name: pygame.mask.from_surface(render_sprite(name, 40, 0)) for name in SPRITES}
    for a in SPRITES:
        for b in SPRITES:
            if a < b:
                overlap = masks[a].overlap_area(masks[b], (0, 0))
                union = masks[a].count() + masks[b].count() - overlap
                colours_differ = pixels(render_sprite(a, 40, 0)) != pixels(render_sprite(b, 40, 0))
                assert overlap / union < 0.97 or colours_differ, (a, b)


def test_animated_sprites_change_between_frames_and_still_ones_do_not_claim_to():
    for name, style in STYLES.items():
        if style.frames > 1:
            first, later = render_sprite(name, 40, 0), render_sprite(name, 40, style.frames // 2)
            assert pixels(first) != pixels(later), name


def test_frames_follow_snapshot_time_only():
    assert frame_of("butterfly", 0.0) == frame_of("butterfly", 0.0)
    style = STYLES["butterfly"]
    seen = {frame_of("butterfly", i * style.period_s / style.frames) for i in range(style.frames)}
    assert seen == set(range(style.frames))  # one cycle shows every frame
    assert frame_of("dot", 12.3) == 0
    assert frame_of("no-such-sprite", 1.0) == 0  # an unknown name never crashes


def test_an_unknown_name_is_drawn_as_a_dot_not_a_crash():
    assert pixels(render_sprite("unicorn", 30, 0)) == pixels(render_sprite("dot", 30, 0))


@pytest.mark.parametrize("size", SIZES[:2])
def test_every_backdrop_paints_and_each_is_its_own_place(size):
    pygame.display.init()
    layout = Layout.of(size)
    seen = {}
    for name in BACKDROPS:
        surface = paint_backdrop(name, size, layout.field, layout.scale)
        assert surface.get_size() == size
        colours = pygame.transform.average_color(surface)
        seen[name] = (hashlib.sha1(pixels(surface)).hexdigest(), colours)
    assert len({digest for digest, _ in seen.values()}) == len(BACKDROPS)
    assert paint_backdrop("atlantis", size, layout.field, layout.scale).get_size() == size  # falls back


def test_the_clock_has_twelve_hours_with_twelve_forward_and_three_to_the_right():
    pygame.display.init()
    pygame.font.init()
    layout = Layout.of((1280, 720))
    clock = paint_backdrop("clock", layout.size, layout.field, layout.scale)
    plain = paint_backdrop("clock", layout.size, layout.field, layout.scale)
    assert pixels(clock) == pixels(plain)  # the same every time (stable screenshots)
    cx, cy, r = layout.field
    numeral = (235, 225, 195)

    def has_numeral(angle_deg: float) -> bool:
        x, y = cx + 0.8 * r * math.cos(math.radians(angle_deg)), cy - 0.8 * r * math.sin(math.radians(angle_deg))
        return any(all(abs(clock.get_at((int(x) + dx, int(y) + dy))[i] - numeral[i]) < 30 for i in range(3))
                   for dx in range(-12, 13) for dy in range(-12, 13))

    for hour in range(12):  # 12 at 90 degrees (forward), 3 at 0 (right), as the reach directions are given
        assert has_numeral(90 - hour * 30), hour
    assert not has_numeral(90 - 15)  # between 12 and 1 there is no numeral


def test_the_sprite_cache_reuses_sizes_and_stays_bounded():
    cache = SpriteCache(capacity=10)
    first = cache.get("leaf", 50.0, 0)
    assert cache.get("leaf", 50.4, 0) is first  # a pixel's change of size reuses the picture
    for radius in range(20, 200, 3):
        cache.get("star", radius, 1)
    assert len(cache) <= 10
    assert quantize_radius(2) == 3 and quantize_radius(11.6) == 12
    assert abs(quantize_radius(100) - 100) <= 4


def test_push_marks_follow_the_push_and_vanish_without_one():
    field = (640.0, 360.0, 270.0)
    assert push_marks("garden", field, (0.0, 0.0), 3.0) == []
    right = push_marks("garden", field, (0.08, 0.0), 3.0)
    assert right and all(b[0] > a[0] and abs(b[1] - a[1]) <= 1 for a, b in right)
    up = push_marks("sea", field, (0.0, 0.1), 3.0)
    assert up and all(b[1] < a[1] for a, b in up)  # forward is up on the screen
    later = push_marks("garden", field, (0.08, 0.0), 3.5)
    assert later != right  # the streaks drift with time
    strong = push_marks("garden", field, (0.3, 0.0), 3.0)
    length = max(b[0] - a[0] for a, b in right)
    assert max(b[0] - a[0] for a, b in strong) > length  # a harder push draws longer streaks


# -- the playing screen ------------------------------------------------------------------------
def test_each_role_is_drawn_as_the_snapshot_says(view):
    base = dataclasses.replace(SNAP, art=THEME_ART["garden"])
    view.draw_play(Frame(base, base, 1.0))
    ladybird = pixels(view.screen)
    other = dataclasses.replace(SNAP, art=dataclasses.replace(THEME_ART["garden"], player="rocket"))
    view.draw_play(Frame(other, other, 1.0))
    assert pixels(view.screen) != ladybird
    moved = dataclasses.replace(SNAP, art=dataclasses.replace(THEME_ART["garden"], backdrop="moon"))
    view.draw_play(Frame(moved, moved, 1.0))
    assert pygame.transform.average_color(view.screen)[1] < pygame.transform.average_color(
        pygame.image.fromstring(ladybird, view.screen.get_size(), "RGBA"))[1]  # the grey moon, not the green lawn


def frames_for_cost_check():
    items = tuple(ItemView(-0.6 + 0.3 * i, 0.5 - 0.2 * i, 0.07, "collect" if i % 2 else "avoid") for i in range(5))
    first = dataclasses.replace(SNAP, items=items, push=(0.05, 0.02))
    second = dataclasses.replace(first, t_s=3.4, marker=(0.35, -0.1), control=(0.35, -0.1), score=260, progress=0.6,
                                 items=tuple(dataclasses.replace(it, y=it.y - 0.1) for it in items), phase_left_s=8.1,
                                 targets=(TargetView(-0.4, 0.2, 0.25, "zone", True),), push=(-0.03, 0.04))
    return first, second


def test_drawing_only_what_changed_paints_exactly_what_a_full_repaint_paints(view):
    first, second = frames_for_cost_check()
    painter = view.painter
    view.draw_play(Frame(first, first, 1.0))
    view.present()
    trail = (list(painter._trail), painter._trail_key, painter._trail_tick)  # the view's one memory: the trail
    view.draw_play(Frame(first, second, 1.0))
    view.present()
    incremental = pixels(view.screen)
    painter.invalidate()
    painter._trail, painter._trail_key, painter._trail_tick = list(trail[0]), trail[1], trail[2]
    view.draw_play(Frame(first, second, 1.0))
    assert view.painter.full_redraws == 2
    assert pixels(view.screen) == incremental


def test_another_screen_in_between_means_a_full_repaint(view):
    view.draw_play(Frame(SNAP, SNAP, 1.0))
    view.present()
    view.draw_message("Level file changed", ["line one"])
    view.present()
    view.draw_play(Frame(SNAP, SNAP, 1.0))
    assert view.painter.full_redraws == 2
    assert view.screen.get_at((5, 5))[:3] == (0, 0, 0)  # the HUD bar, not the message screen left behind


def test_animation_is_a_function_of_snapshot_time(view):
    snap = dataclasses.replace(SNAP, art=dataclasses.replace(THEME_ART["garden"], player="butterfly"))
    view.draw_play(Frame(snap, snap, 1.0))
    once = pixels(view.screen)
    view.painter.invalidate()
    view.painter._trail_key = None
    view.draw_play(Frame(snap, snap, 1.0))
    assert pixels(view.screen) == once  # same snapshot, same picture (stable screenshots)
    later = dataclasses.replace(snap, t_s=snap.t_s + STYLES["butterfly"].period_s / 2)
    view.draw_play(Frame(later, later, 1.0))
    x, y = view._to_px(*snap.marker)
    box = pygame.Rect(0, 0, 60, 60)
    box.center = (x, y)
    assert view.screen.subsurface(box).copy().get_view("2").raw != pygame.image.fromstring(
        once, view.screen.get_size(), "RGBA").subsurface(box).copy().get_view("2").raw  # the wings moved


def test_a_success_bursts_and_a_miss_only_puffs(view):
    feedback = dataclasses.replace(SNAP, phase="feedback", phase_left_s=0.6, last_outcome="success")
    view.draw_play(Frame(feedback, feedback, 1.0))
    success = pixels(view.screen)
    miss = dataclasses.replace(feedback, last_outcome="fail", last_points=0)
    view.draw_play(Frame(miss, miss, 1.0))
    assert pixels(view.screen) != success
    assert marker_offset(feedback, 1.0)[1] < 0  # a happy hop upward
    assert marker_offset(miss, 1.0)[1] == 0 and marker_offset(miss, 1.0)[0] != 0  # a sideways wobble
    assert marker_offset(SNAP, 1.0) == (0.0, 0.0)  # during play the picture sits exactly on the marker


@pytest.mark.parametrize("size", SIZES)
def test_the_countdown_never_covers_the_marker(size):
    layout = Layout.of(size)
    bx, by, br = layout.badge
    cx, cy, r = layout.field
    marker = MARKER_RADIUS * layout.scale * 1.45  # the sprite's whole image, glow and outline included
    for deg in range(0, 360, 5):  # the marker anywhere up to the field's rim
        mx, my = cx + r * math.cos(math.radians(deg)), cy + r * math.sin(math.radians(deg))
        assert math.hypot(mx - bx, my - by) > br + marker, (size, deg)
    assert bx - br >= 0 and layout.bar.bottom < by - br and by + br < layout.band.top


@pytest.mark.parametrize("size", SIZES)
def test_no_twinkle_crosses_the_seconds_left(size):
    layout = Layout.of(size)
    crossed = kept = 0
    for backdrop in BACKDROPS:
        for step in range(300):  # 15 s: every twinkle goes through its cycle
            t_s = step * 0.05
            every = sparkles(backdrop, layout.size, layout.field, t_s, layout.scale)
            clear = sparkles_clear_of_hud(backdrop, layout, t_s)
            crossed += len(every) - len(clear)
            kept += len(clear)
            for at, arm, _ in clear:
                assert not layout.timer.inflate(2 * arm, 2 * arm).collidepoint(at), (backdrop, t_s, at)
    assert crossed > 0  # the backdrops do put a twinkle where the timer is: the rule has work to do
    assert kept > 0


def test_the_countdown_badge_is_drawn_beside_the_field_and_the_marker_stays_visible(view):
    intro = dataclasses.replace(SNAP, phase="intro", phase_left_s=2.4, marker=(0.0, 0.0), control=(0.0, 0.0))
    view.draw_play(Frame(intro, intro, 1.0))
    x, y = view._to_px(0.0, 0.0)
    assert any(view.screen.get_at((x + dx, y + dy))[:3] == (213, 94, 0) or
               all(abs(view.screen.get_at((x + dx, y + dy))[i] - (213, 94, 0)[i]) < 40 for i in range(3))
               for dx in range(-12, 13) for dy in range(-12, 13))  # the ladybird is there, not a digit
    bx, by, _ = Layout.of(view.screen.get_size()).badge
    yellow = view.screen.get_at((bx, by - 5))
    assert yellow[0] > 150 and yellow[1] > 150  # the digit is in the badge


# -- text in its boxes -----------------------------------------------------------------------
def test_wrap_lines_keeps_every_line_inside_and_loses_no_letter():
    text = "Lean to the marked hour, hold, then come back — a superextraordinarilylongword too"
    lines = wrap_lines(text, 10, len)
    assert all(len(line) <= 10 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap_lines("", 10, len) == [""]


def test_fit_text_shrinks_then_wraps_then_shortens_only_when_it_must():
    pygame.font.init()
    fonts: dict[int, pygame.font.Font] = {}

    def font_for(px: int) -> pygame.font.Font:
        return fonts.setdefault(px, pygame.font.Font(None, px))

    short = fit_text("Great!", (400, 80), (80, 48), font_for, max_lines=1)
    assert short.px == 80 and short.lines == ("Great!",)
    long = "Keep the marker inside the ring while the wind blows from the left and the right"
    fitted = fit_text(long, (300, 70), (48, 40, 30, 24), font_for, max_lines=2)
    font = font_for(fitted.px)
    assert len(fitted.lines) <= 2 and all(font.size(line)[0] <= 300 for line in fitted.lines)
    squeezed = fit_text(long * 3, (200, 30), (24,), font_for, max_lines=1)
    assert len(squeezed.lines) == 1 and squeezed.lines[0].endswith("...")
    assert font_for(24).size(squeezed.lines[0])[0] <= 200


@pytest.mark.parametrize("size", [(800, 600), (1280, 720)])
def test_hud_text_stays_inside_its_boxes_at_any_window_size(view, size):
    view.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    placed: list[tuple[str, pygame.Rect]] = []
    original = view.text

    def recording(text, px, colour, centre, anchor="center"):
        rect = original(text, px, colour, centre, anchor)
        placed.append((text, rect))
        return rect

    view.text = recording
    wordy = dataclasses.replace(
        SNAP, level_title="The Very Long Level Title Of The Enchanted Garden Adventure Park",
        challenge_title="A challenge whose title goes on and on", score=123456,
        instruction="Lean gently toward the glowing ring, hold still there until it fills, then come back "
                    "to the middle and rest your feet")
    view.draw_play(Frame(wordy, wordy, 1.0))
    layout = Layout.of(size)
    screen = view.screen.get_rect()
    score_rect = next(rect for text, rect in placed if text == "123456")
    for text, rect in placed:
        assert screen.contains(rect), (text, rect)
        if text in wordy.instruction:
            assert layout.band.contains(rect), (text, rect)
        elif rect.centery < layout.bar.bottom and text != "123456":
            assert layout.bar.contains(rect) and not rect.colliderect(score_rect), (text, rect)
    assert " ".join(t for t, r in placed if layout.band.contains(r)) == wordy.instruction  # nothing lost here


def test_a_long_device_notice_stays_on_a_small_screen(view):
    view.screen = pygame.display.set_mode((800, 600), pygame.RESIZABLE)
    notice = "No data from the board on /dev/ttyACM0 for 12 s: check the cable, the power and the batteries " * 2
    view.draw_play(Frame(SNAP, SNAP, 1.0), notice=notice)
    orange = [(x, y) for x in range(0, 800, 4) for y in range(0, 600, 4)
              if all(abs(view.screen.get_at((x, y))[i] - (230, 159, 0)[i]) < 30 for i in range(3))]
    assert orange and min(x for x, _ in orange) >= 800 * 0.1 - 4 and max(x for x, _ in orange) <= 800 * 0.9 + 4


def test_the_text_cache_is_bounded_and_reused():
    pygame.font.init()
    cache = TextCache(capacity=20)
    font = pygame.font.Font(None, 30)
    first = cache.get("Score", font, 30, (255, 255, 255), 2)
    assert cache.get("Score", font, 30, (255, 255, 255), 2) is first and cache.rendered == 1
    for i in range(100):
        cache.get(f"{i} s", font, 30, (255, 255, 255), 2)
    assert len(cache) == 20


def test_the_view_keeps_its_caches_bounded_over_a_long_play(view):
    for i in range(600):
        snap = dataclasses.replace(SNAP, t_s=i / 60, score=i, phase_left_s=600 - i, marker=(math.sin(i / 30), 0.0),
                                   targets=(TargetView(-0.4, 0.2, 0.05 + (i % 50) / 100, "zone", False),))
        view.draw_play(Frame(snap, snap, 1.0))
        view.present()
    assert len(view.texts) <= view.texts.capacity
    assert len(view.painter.sprites) <= view.painter.sprites.capacity
    assert view.painter.full_redraws == 1  # one full paint, then only changes


def test_every_art_role_of_every_theme_draws(view):
    for art in THEME_ART.values():
        items = (ItemView(0.3, 0.3, 0.08, "collect"), ItemView(-0.3, 0.3, 0.08, "avoid"))
        targets = (TargetView(0.0, 0.5, 0.2, "target", False), TargetView(0.0, 0.0, 0.15, "home", True))
        snap = dataclasses.replace(SNAP, art=art, items=items, targets=targets)
        view.draw_play(Frame(snap, snap, 1.0))
    odd = ArtView(player="clock_hand", target="dolphin", home="flower", collect="shell", avoid="jellyfish",
                  backdrop="clock")
    snap = dataclasses.replace(SNAP, art=odd, challenge_kind="track")
    view.draw_play(Frame(snap, snap, 1.0))
    maze = dataclasses.replace(SNAP, challenge_kind="maze", art=dataclasses.replace(odd, player="moon_rock"),
                               walls=((-0.5, 0.0, 0.5, 0.0),), wall_thickness=0.05, path=((0.0, -0.5), (0.0, 0.5)))
    view.draw_play(Frame(maze, maze, 1.0))


@pytest.mark.parametrize("level", ["shell-beach", "garden-balance", "moon-maze"])
def test_over_a_real_session_every_cheap_frame_equals_a_full_repaint(view, level):
    from game.input import open_source
    from game.level.loader import load_level
    from game.session import start_session, step_from

    session = start_session(load_level(level).level, 3)
    source = open_source("sim", 3)
    painter = view.painter
    prev = session.snapshot()
    try:
        for frame_index in range(160):
            for _ in range(6):
                if session.phase != "ended":
                    step_from(session, source)
            curr = session.snapshot()
            notice = "No data from the board for 2 s" if 60 <= frame_index < 70 else None
            trail = (list(painter._trail), painter._trail_key, painter._trail_tick)
            view.draw_play(Frame(prev, curr, 0.5), notice=notice)
            view.present()
            if frame_index % 7 == 6:  # after a run of cheap frames, a full repaint must look the same
                cheap = pixels(view.screen)
                painter.invalidate()
                painter._trail, painter._trail_key, painter._trail_tick = list(trail[0]), trail[1], trail[2]
                view.draw_play(Frame(prev, curr, 0.5), notice=notice)
                view.present()
                assert pixels(view.screen) == cheap, (level, frame_index, curr.phase)
            prev = curr
        assert painter.full_redraws == 1 + 160 // 7
    finally:
        source.close()


def test_text_in_box_never_runs_wider_than_its_box(view):
    view.screen = pygame.display.set_mode((800, 600), pygame.RESIZABLE)
    header = "Calibration - step 7 of 10: Lean back-right as far as you safely can, then hold still"
    rect = view.text_in_box(header, 52, (240, 228, 66), (400, 50), 800 * 0.94, max_lines=1)
    assert rect.width <= 800 * 0.94 and rect.left >= 0 and rect.right <= 800
    two = view.text_in_box(header, 52, (240, 228, 66), (400, 300), 300, max_lines=2)
    assert two.width <= 300 and two.height > rect.height  # wrapped onto a second line
    short = view.text_in_box("Hold still", 52, (255, 255, 255), (400, 500), 700)
    assert short.height < two.height


def test_the_maze_ball_rolls_as_it_moves_and_its_turns_are_bounded():
    cache = SpriteCache()
    still = cache.rolling("ball", 14, 0.0, 0.0)
    assert cache.rolling("ball", 14, 0.01, 0.0) is still  # a hair's move: the same picture
    assert pixels(cache.rolling("ball", 14, 1.0, 0.0)) != pixels(still)  # rolled sideways
    assert pixels(cache.rolling("ball", 14, 0.0, 1.0)) != pixels(still)  # rolled forward
    assert pixels(cache.rolling("moon_rock", 14, 0.0, 0.0)) != pixels(still)
    for i in range(3000):
        cache.rolling("moon_rock", 14, i * 0.37, i * 0.11)
    assert len(cache._rolls) <= 512


def test_the_screenshot_tool_saves_a_level_mid_trial(tmp_path):
    import importlib.util
    from pathlib import Path

    from game.level.loader import shipped_levels

    path = Path(__file__).resolve().parents[3] / "tools" / "screenshots_2d.py"
    spec = importlib.util.spec_from_file_location("screenshots_2d", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    from game.views.pygame_view import PygameView

    view = PygameView((800, 600), sound=False)
    try:
        level = next(p for p in shipped_levels() if p.name == "shell-beach.toml")
        saved = tool.capture(view, level, tmp_path, "trial", 7)
    finally:
        view.close()
    assert saved == tmp_path / "2d-shell-beach.png"
    image = pygame.image.load(str(saved))
    assert image.get_size() == (800, 600)
    with pytest.raises(SystemExit):
        import sys

        argv, sys.argv = sys.argv, ["screenshots_2d.py", "--size", "640x480"]
        try:
            tool.main()
        finally:
            sys.argv = argv


def test_items_leaving_the_field_never_cover_the_instruction(view):
    layout = Layout.of(view.screen.get_size())
    below = (layout.band.centery - layout.field[1]) / -layout.field[2]  # an item right on the band's words
    clear = dataclasses.replace(SNAP, challenge_kind="collect_avoid", items=())
    items = (ItemView(0.0, below, 0.15, "avoid"), ItemView(0.1, -1.05, 0.1, "collect"))
    falling = dataclasses.replace(clear, items=items)
    view.draw_play(Frame(clear, clear, 1.0))
    band_before = view.screen.subsurface(layout.band).copy()
    view.draw_play(Frame(falling, falling, 1.0))
    band_after = view.screen.subsurface(layout.band).copy()
    assert pixels(band_after) == pixels(band_before)
    field_top = view.screen.subsurface(pygame.Rect(0, layout.bar.bottom, layout.size[0],
                                                   layout.band.top - layout.bar.bottom)).copy()
    view.draw_play(Frame(clear, clear, 1.0))
    assert pixels(field_top) != pixels(view.screen.subsurface(
        pygame.Rect(0, layout.bar.bottom, layout.size[0], layout.band.top - layout.bar.bottom)).copy())  # drawn above
