"""The 3D view's menu screens on its flat HUD layer: title (with progress and the sticker book), results,
message, pause and the "are you sure?" prompt.

The same content as the 2D menus (``game/views/pygame_menus.py``) in the HUD's 720-unit-high
design space, every text wrapped to its box with ``wrap_words`` and the HUD's own measure, so
nothing runs out of a box at any aspect. Stickers are drawn as their name with a star (earned)
or a hollow star and "?" (still to find): the words carry the meaning, never colour alone.

As in 2D, each choice drawn is kept as a hit area in design units (``items``: whole rows, the
top layer only), so the desktop 3D view can name the item under the mouse (``game.actions.hover``
/ ``pick``) and the menu decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from game.actions import Button, MenuList, buttons_of
from game.checkin import CheckinPicture, face_shape, picture_of
from game.menu import NEW_PLAYER, Confirm, PauseMenu, ResultsView, TitleMenu
from game.views import theme as palette
from game.views.theme import wrap_words

if TYPE_CHECKING:
    from game.views.p3d_hud import Hud

DESIGN_H = 720.0
DIM = (185, 185, 185)
LIGHT = (220, 220, 220)
FACE = (255, 214, 120)  # the check-in faces: one warm colour for all, the drawing says how it feels
Colour = Sequence[int]
Area = tuple[float, float, float, float]  # x, y, width, height in design units (y down from the top)
PANEL = (16, 22, 56)  # a button's face
EDGE = (170, 170, 185)  # a button's frame (yellow and thick under the pointer)
BUTTON_H = 70.0  # a message's buttons, design units (720 high): the 2D row's 56 x 1.25, well over a finger's 48


class _Pointable:
    """What the pointer can hit on a HUD's last menu, and where its long columns are scrolled to."""

    def __init__(self) -> None:
        self.items: list[tuple[Area, MenuList, int]] = []
        self.scroll: dict[str, int] = {}


_POINTABLE: WeakKeyDictionary[object, _Pointable] = WeakKeyDictionary()


def _pointable(hud: Hud) -> _Pointable:
    found = _POINTABLE.get(hud)
    if found is None:
        found = _POINTABLE[hud] = _Pointable()
    return found


def items(hud: Hud) -> list[tuple[Area, MenuList, int]]:
    """The items of the menu last drawn on ``hud`` with their hit areas, in design units (the pointer's targets)."""
    return list(_pointable(hud).items)


def _item(hud: Hud, area: Area, name: MenuList, index: int) -> None:
    _pointable(hud).items.append((area, name, index))


def _clear_items(hud: Hud) -> None:
    _pointable(hud).items = []


def write(hud: Hud, name: str, text: str, sizes: Sequence[float], colour: Colour, x: float, y: float, w: float,
          max_lines: int = 3, align: str = "center") -> float:
    """``text`` wrapped into width ``w`` at the largest of ``sizes`` that needs at most ``max_lines`` lines
    (the last line shortened with "..." if even the smallest needs more); its top at ``y``; the height used."""
    px, lines = sizes[-1], [text]
    for px in sizes:
        lines = wrap_words(text, w, partial(hud.text_width, px=px))
        if len(lines) <= max_lines and all(hud.text_width(line, px) <= w for line in lines):
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and hud.text_width(last + "...", px) > w:
            last = last[:-1]
        lines[-1] = last.rstrip() + "..."
    line_h = px * 1.15
    anchor = {"left": x, "right": x + w}.get(align, x + w / 2)
    for i, line in enumerate(lines):
        hud.text(f"{name}.{i}", line, px, colour, anchor, y + line_h * (i + 0.5), align)
    return line_h * len(lines)


def title(hud: Hud, menu: TitleMenu) -> None:
    """The title screen: greeting, this week, the player and game columns with stars, stickers, the hint."""
    hud.begin()
    _clear_items(hud)
    w, h = hud.width, DESIGN_H
    hud.shade(0.6)
    if menu.page == "stickers":
        sticker_book(hud, menu)
        return
    progress = menu.current_progress
    write(hud, "t.name", "Proprio", (84, 64), palette.YELLOW, 24, 10, w * 0.5, 1, "left")
    write(hud, "t.greet", menu.greeting, (44, 36), palette.SKY, 24, 86, w * 0.55, 1, "left")
    write(hud, "t.week", progress.week_words(), (32, 26), palette.WHITE, w * 0.55, 24, w * 0.45 - 24, 1, "right")
    planned = progress.plan is not None  # the therapist's goal for today: larger, on up to two lines
    ticked = progress.today_ticked
    today_w = w * 0.45 - 24 - (40 if ticked else 0)
    today = progress.today_words()
    colour = palette.GREEN if ticked else palette.WHITE if planned else DIM
    parts = today.split(" · ", 1)
    if planned and len(parts) == 2 and hud.text_width(today, 26) > today_w:  # break between minutes and games
        used = write(hud, "t.today", parts[0], (30, 26, 22), colour, w - 24 - today_w, 62, today_w, 1, "right")
        used += write(hud, "t.today2", parts[1], (30, 26, 22), colour, w - 24 - today_w, 62 + used, today_w, 1,
                      "right")
    else:
        used = write(hud, "t.today", today, (30, 26, 22) if planned else (26, 22), colour, w - 24 - today_w, 62,
                     today_w, 2 if planned else 1, "right")
    if ticked:  # today's tick beside its words
        px = (30.0 if planned else 26.0) if used < 60 else 22.0
        first = wrap_words(today, today_w, partial(hud.text_width, px=px))[0]
        tick(hud, "t.tick", w - 24 - hud.text_width(first, px) - 22, 62 + px * 0.575, 14)
    write(hud, "t.hint", "Arrows or mouse: choose  ·  Enter or click a game: play  ·  Esc: leave", (32, 26, 22), LIGHT,
          24, h - 50, w - 48, 1)
    bottom = h - 50 - 8
    if menu.message:
        lines = min(3, len(wrap_words(menu.message, w - 96, partial(hud.text_width, px=30.0))))
        box_h = lines * 30 * 1.15 + 16
        hud.rect("t.msg.bg", 24, bottom - box_h, w - 48, box_h, (30, 20, 0), 0.9)
        hud.frame("t.msg.frame", 24, bottom - box_h, w - 48, box_h, palette.ORANGE, 3)
        write(hud, "t.msg", menu.message, (30, 26, 22), palette.ORANGE, 48, bottom - box_h + 8, w - 96, 3)
        bottom -= box_h + 8
    top = 150.0
    rows = [(f"{menu.names[p]} ({p})" if menu.names.get(p) else p) for p in menu.players]
    rows.append((f"New: {menu.typed}_" if menu.focus == "player" else f"New: {menu.typed}") if menu.typing
                else NEW_PLAYER)
    strip = 90.0
    _column(hud, "t.p", "Player", rows, menu.player_index, menu.focus == "player", 24, top, w * 0.34 - 24,
            bottom - top - strip, [None] * len(rows), "player")
    earned = progress.earned
    write(hud, "t.stk", f"Stickers: {len(earned)} of {len(progress.stickers)}" if progress.stickers else
          "Stickers: play to earn them", (30, 24), palette.WHITE, 24, bottom - strip + 10, w * 0.34 - 24, 1, "left")
    for i in range(min(5, len(earned))):
        hud.star(f"t.stk.s{i}", 44 + i * 44, bottom - strip + 62, 18, True)
    marks = [menu.stars_for(spec) for spec, _ in menu.levels]
    _column(hud, "t.g", "Game", [label for _, label in menu.levels], menu.level_index, menu.focus == "level",
            w * 0.36, top, w * 0.64 - 24, bottom - top, marks, "level")
    if menu.confirm is not None:
        confirm(hud, menu.confirm)


def _column(hud: Hud, name: str, heading: str, rows: list[str], selected: int, focused: bool, x: float, y: float,
            w: float, h: float, marks: list[tuple[int, int] | None], items_name: MenuList) -> None:
    """A heading and the rows that fit, each a pointer target; scrolled only as far as keeps the selection in view
    (first shown: centred), so rows stay put under a moving pointer (as in 2D)."""
    write(hud, f"{name}.h", heading, (44, 36), palette.WHITE if focused else (170, 170, 170), x, y, w, 1, "left")
    head = 50.0
    row_h = max(48.0, min(50.0, (h - head) / 6))
    visible = max(1, int((h - head) // row_h))
    scroll = _pointable(hud).scroll
    start = scroll.get(name, selected - visible // 2)
    start = min(max(start, selected - visible + 1), selected)
    start = scroll[name] = max(0, min(start, len(rows) - visible))
    for slot, i in enumerate(range(start, min(len(rows), start + visible))):
        ry = y + head + slot * row_h
        _item(hud, (x, ry - 2, w, row_h), items_name, i)
        mark = marks[i] if i < len(marks) else None
        text_w = w - 24 - (row_h * 2.6 if mark is not None else 0)
        if i == selected:
            hud.frame(f"{name}.sel", x, ry, w, row_h - 4, palette.YELLOW if focused else palette.SKY, 4)
        write(hud, f"{name}.r{slot}", ("> " if i == selected else "") + rows[i], (36, 30, 24),
              palette.WHITE if i == selected else DIM, x + 12, ry + (row_h - 4 - 36 * 1.15) / 2, text_w, 1, "left")
        if mark is not None:
            won, total = mark
            if total == 3:
                hud.stars_row(f"{name}.st{slot}", won, x + w - row_h * 1.3, ry + row_h / 2 - 2, row_h * 0.24)
            else:
                write(hud, f"{name}.n{slot}", f"{won}/{total} stars", (26, 22), LIGHT, x + w - row_h * 2.6,
                      ry + (row_h - 4 - 26 * 1.15) / 2, row_h * 2.5, 1, "right")


def sticker_book(hud: Hud, menu: TitleMenu) -> None:
    """Every sticker: its name when earned (a filled star), how to earn it when not (a hollow star)."""
    w, h = hud.width, DESIGN_H
    progress = menu.current_progress
    who = menu.names.get(menu.player or "") or menu.player or "New player"
    y = 12 + write(hud, "s.head", f"{who}'s sticker book", (64, 48), palette.YELLOW, 24, 12, w - 48, 1)
    y += write(hud, "s.sub", f"{len(progress.earned)} of {len(progress.stickers)} stickers.  {progress.week_words()}",
               (30, 24), palette.SKY, 24, y, w - 48, 1)
    back = (w / 2 - 130, h - 62, 260.0, 54.0)  # a button too: the mouse's way back
    hud.rect("s.back.bg", *back, (16, 22, 56), 0.95)
    hud.frame("s.back.fr", *back, palette.YELLOW, 4)
    write(hud, "s.back", "< Back", (36, 30), palette.WHITE, back[0], back[1] + (54 - 36 * 1.15) / 2, back[2], 1)
    _item(hud, back, "book", 0)
    write(hud, "s.hint", "Enter or Esc: back", (26, 22), LIGHT, 24, h - 96, w - 48, 1)
    columns = 4
    rows = max(1, -(-len(progress.stickers) // columns))
    cell_w, cell_h = (w - 48) / columns, (h - 110 - y - 10) / rows
    for i, sticker in enumerate(progress.stickers):
        cx = 24 + (i % columns) * cell_w
        cy = y + 10 + (i // columns) * cell_h
        hud.star(f"s.star{i}", cx + 14, cy + cell_h / 2, min(12.0, cell_h * 0.35), sticker.earned)
        write(hud, f"s.t{i}", sticker.name if sticker.earned else f"? {sticker.how}", (22, 18, 14),
              palette.WHITE if sticker.earned else DIM, cx + 32, cy + (cell_h - 22 * 1.15) / 2, cell_w - 36, 1, "left")


def results(hud: Hud, results: ResultsView) -> None:
    """How the level went: headline, level, stars, score and count, new bests, stickers, words, the hint."""
    hud.begin()
    _clear_items(hud)
    w, h = hud.width, DESIGN_H
    hud.shade(0.65)
    hint = ("Enter: the framed button  ·  Esc: back to the title" if results.next_label
            else "Enter: back to the title")
    write(hud, "r.hint", hint, (28, 24, 20), LIGHT, 32, h - 104, w - 64, 1)
    gap, button_h = 24.0, 56.0
    button_w = (w - 64 - gap * (len(results.buttons) - 1)) / len(results.buttons)
    for i, label in enumerate(results.buttons):  # the choices as buttons, the mouse's way on (as in 2D)
        bx, by = 32 + i * (button_w + gap), h - 70
        chosen = i == results.selected
        hud.rect(f"r.b{i}.bg", bx, by, button_w, button_h, (16, 22, 56), 0.95)
        hud.frame(f"r.b{i}.fr", bx, by, button_w, button_h, palette.YELLOW if chosen else (150, 150, 150),
                  5 if chosen else 2)
        write(hud, f"r.b{i}", ("> " if chosen else "") + label, (32, 26, 22), palette.WHITE if chosen else DIM,
              bx + 10, by + (button_h - 32 * 1.15) / 2, button_w - 20, 1)
        _item(hud, (bx - gap / 2, by - 4, button_w + gap, button_h + 8), "results", i)
    y = 12 + write(hud, "r.head", results.heading, (76, 60, 48), palette.YELLOW, 32, 12, w - 64, 2)
    y += write(hud, "r.level", results.level_title, (44, 36), palette.SKY, 32, y, w - 64, 1)
    hud.stars_row("r.star", results.stars, w / 2, y + 50, 40)
    y += 100
    y += write(hud, "r.score", f"Score {results.score}", (64, 52), palette.WHITE, 32, y, w - 64, 1)
    y += write(hud, "r.done", f"{results.successes} of {results.trials} done", (44, 36), palette.WHITE, 32, y,
               w - 64, 1) + 8
    lines: list[tuple[str, Colour]] = [(f"* {line}", palette.YELLOW) for line in results.new_bests]
    lines += [(f"New sticker: {name}!", palette.ORANGE) for name in results.stickers[:3]]
    lines += [(line, palette.WHITE) for line in results.improvements[:3]]
    if results.week:
        lines.append((results.week, palette.SKY))
    for i, (text, colour) in enumerate(lines):
        if y > h - 150:
            break
        y += write(hud, f"r.l{i}", text, (38, 32, 26), colour, 32, y, w - 64, 2) + 4


def message(hud: Hud, title_text: str, lines: list[str], hovered: tuple[MenuList, int] | None = None) -> None:
    """A plain message: the title, then every line wrapped inside a framed box; a check-in's lines carry its
    picture, drawn as faces and big 0-10 targets instead (``checkin``). Lines that carry buttons (``ButtonLines``:
    an assessment's choices, its results' Close) get them in a row under the box, as in 2D, each kept as a pointer
    target; ``hovered`` (the item under the pointer) is framed thick and marked ">"."""
    shown = picture_of(lines)
    if shown is not None:
        checkin(hud, shown)
        return
    hud.begin()
    _clear_items(hud)
    w, h = hud.width, DESIGN_H
    hud.shade(0.75)
    buttons = buttons_of(lines)
    bottom = h - 32 - (BUTTON_H + 20 if buttons else 0)  # the box's foot: the buttons' row goes under it
    y = 30 + write(hud, "m.title", title_text, (64, 52, 40), palette.ORANGE, 32, 30, w - 64, 2) + 12
    hud.rect("m.bg", 32, y, w - 64, bottom - y, (16, 22, 56), 0.9)
    hud.frame("m.frame", 32, y, w - 64, bottom - y, palette.ORANGE, 3)
    y += 16
    for i, line in enumerate(lines[:10]):
        if y > bottom - 38:
            break
        y += write(hud, f"m.l{i}", line, (30, 26, 22), palette.WHITE, 56, y, w - 112, 3) + 6
    _button_row(hud, "m.b", buttons, (32, h - 32 - BUTTON_H, w - 64, BUTTON_H), hovered)


def _button_row(hud: Hud, name: str, buttons: Sequence[Button], row: Area,
                hovered: tuple[MenuList, int] | None) -> None:
    """Equal buttons side by side across ``row`` (each at most 460 wide, the row centred), each a pointer target:
    the whole label, smaller and then on two lines when long, never cut (as ``pygame_buttons.draw_buttons``)."""
    if not buttons:
        return
    x, y, row_w, height = row
    gap = 24.0
    width = min(460.0, (row_w - gap * (len(buttons) - 1)) / len(buttons))
    left = x + (row_w - width * len(buttons) - gap * (len(buttons) - 1)) / 2
    for i, button in enumerate(buttons):
        area = (left + i * (width + gap), y, width, height)
        pointed = hovered == (button.list, button.index)
        hud.rect(f"{name}{i}.bg", *area, PANEL, 0.95)
        hud.frame(f"{name}{i}.fr", *area, palette.YELLOW if pointed else EDGE, 5 if pointed else 3)
        label = ("> " if pointed else "") + button.label
        px = next((size for size in (34.0, 30.0, 26.0, 22.0) if hud.text_width(label, size) <= width - 16), None)
        lines = 1 if px is not None else 2  # too long for one line: two at the smallest size
        px = px or 22.0
        write(hud, f"{name}{i}.label", label, (px,), palette.WHITE, area[0] + 8, y + (height - lines * 1.15 * px) / 2,
              width - 16, lines)
        _item(hud, area, button.list, button.index)


def tick(hud: Hud, name: str, x: float, y: float, r: float) -> None:
    """A green disc with a white check mark, centred at x, y: done."""
    hud.disc(f"{name}.disc", x, y, r, palette.GREEN)
    hud.line(f"{name}.a", x - r * 0.5, y, x - r * 0.1, y + r * 0.4, r * 0.22, palette.WHITE)
    hud.line(f"{name}.b", x - r * 0.1, y + r * 0.4, x + r * 0.55, y - r * 0.45, r * 0.22, palette.WHITE)


def checkin(hud: Hud, shown: CheckinPicture) -> None:
    """'How does it feel?': the question, six drawn faces with their words (the chosen one framed and marked),
    the 0-10 row of big targets, the chosen value in words and the keys, as the 2D view draws it."""
    hud.begin()
    _clear_items(hud)
    w, h = hud.width, DESIGN_H
    hud.shade(0.8)
    y = 16 + write(hud, "k.ask", shown.ask, (58, 48, 40), palette.YELLOW, 28, 16, w - 56, 2) + 8
    hint = shown.hint + (f"  ·  {shown.progress}" if shown.progress else "")
    skip = (w - 28 - 220, h - 62, 220.0, 54.0)  # the mouse's Esc, beside the keys
    hud.rect("k.skip.bg", *skip, (16, 22, 56), 0.95)
    hud.frame("k.skip.fr", *skip, (150, 150, 150), 3)
    write(hud, "k.skip", "Skip >", (32, 26), palette.WHITE, skip[0], skip[1] + (54 - 32 * 1.15) / 2, skip[2], 1)
    _item(hud, skip, "skip", 0)
    write(hud, "k.hint", hint, (30, 26, 22, 18), LIGHT, 28, h - 48, w - 56 - 236, 1)
    bottom = h - 60.0
    cell_w = (w - 56) / len(shown.faces)
    words_h, box_h, heading_h = 72.0, 80.0, 64.0
    r = max(12.0, min(cell_w * 0.4, 92.0, (bottom - y - words_h - box_h - heading_h - 60) / 2))
    y += max(0.0, (bottom - y - (2 * r + words_h + box_h + heading_h + 56)) / 2)
    for i, (_, words) in enumerate(shown.faces):
        cx, cell_x = 28 + (i + 0.5) * cell_w, 28 + i * cell_w + 4
        _item(hud, (28 + i * cell_w, y, cell_w, 2 * r + 16 + words_h), "face", i)
        chosen = i == shown.face
        if chosen:
            hud.rect("k.sel.bg", cell_x, y, cell_w - 8, 2 * r + 16 + words_h, (40, 48, 96), 0.95)
            hud.frame("k.sel", cell_x, y, cell_w - 8, 2 * r + 16 + words_h, palette.YELLOW, 6)
        face(hud, f"k.f{i}", cx, y + 8 + r, r, i, shown.kind)
        write(hud, f"k.w{i}", ("> " if chosen else "") + words, (30, 26, 22, 18), palette.WHITE if chosen else LIGHT,
              cell_x + 2, y + 2 * r + 14, cell_w - 12, 2)
    y += 2 * r + 16 + words_h + 20
    box_w = (w - 56) / 11
    for n in range(11):
        chosen = n == shown.value
        x = 28 + n * box_w + 3
        _item(hud, (28 + n * box_w, y - 10, box_w, box_h + 20), "scale", n)
        hud.rect(f"k.n{n}.bg", x, y, box_w - 6, box_h, palette.YELLOW if chosen else (16, 22, 56), 0.97)
        hud.frame(f"k.n{n}.fr", x, y, box_w - 6, box_h, palette.YELLOW if chosen else (150, 150, 150),
                  6 if chosen else 2)
        hud.text(f"k.n{n}", str(n), 48, palette.BLACK if chosen else palette.WHITE, x + (box_w - 6) / 2, y + box_h / 2,
                 shadow=not chosen)
    y += box_h + 20
    write(hud, "k.head", shown.heading, (56, 48, 40), palette.WHITE, 28, y, w - 56, 2)


def face(hud: Hud, name: str, cx: float, cy: float, r: float, mood: int, kind: str) -> None:
    """One face of the check-in scale (``game.checkin.face_shape``), from discs and strokes."""
    shape = face_shape(mood, kind)
    stroke = max(2.0, r * 0.09)
    hud.disc(f"{name}.rim", cx, cy, r, palette.BLACK)
    hud.disc(f"{name}.skin", cx, cy, r - stroke, FACE)
    for i, (ex, ey) in enumerate(shape.eyes):
        hud.disc(f"{name}.eye{i}", cx + ex * r, cy + ey * r, max(2.0, r * shape.eye_radius), palette.BLACK)
    for i, ((ax, ay), (bx, by)) in enumerate(shape.brows):
        hud.line(f"{name}.brow{i}", cx + ax * r, cy + ay * r, cx + bx * r, cy + by * r, stroke, palette.BLACK)
    for i, ((ax, ay), (bx, by)) in enumerate(zip(shape.mouth, shape.mouth[1:], strict=False)):
        hud.line(f"{name}.m{i}", cx + ax * r, cy + ay * r, cx + bx * r, cy + by * r, stroke, palette.BLACK)
    for i, (tx, ty) in enumerate(shape.tears):
        hud.disc(f"{name}.tear{i}", cx + tx * r, cy + ty * r, max(2.0, r * 0.09), palette.SKY)


def pause(hud: Hud, menu: PauseMenu) -> None:
    """The pause menu over the darkened scene: why it paused, the choices, and the prompt when open."""
    _clear_items(hud)
    w, h = hud.width, DESIGN_H
    hud.shade(0.88)
    y = 40 + write(hud, "pause.title", "Paused", (100, 80), palette.YELLOW, 32, 40, w - 64, 1)
    if menu.reason:
        y += write(hud, "pause.why", menu.reason, (32, 26), palette.SKY, 32, y, w - 64, 2)
    row_h = min(70.0, (h - 80 - y) / max(1, len(menu.items)))
    for i, item in enumerate(menu.items):
        ry = y + 10 + i * row_h
        _item(hud, (w / 2 - 240, ry - 4, 480.0, row_h), "pause", i)
        if i == menu.index:
            hud.frame("pause.sel", w / 2 - 240, ry, 480, row_h - 8, palette.SKY, 5)
        write(hud, f"pause.item{i}", ("> " if i == menu.index else "") + item, (52, 44, 36),
              palette.WHITE if i == menu.index else DIM, w / 2 - 230, ry + (row_h - 8 - 52 * 1.15) / 2, 460, 1)
    write(hud, "pause.hint", "Space: resume  ·  Up/Down and Enter, or a click: choose", (32, 26), LIGHT, 32, h - 60,
          w - 64, 1)
    if menu.confirm is not None:
        confirm(hud, menu.confirm)


def confirm(hud: Hud, prompt: Confirm) -> None:
    """'Are you sure?': the question, the two answers (the safe one first), the keys or the countdown."""
    w, h = hud.width, DESIGN_H
    hud.rect("c.shade", 0, 0, w, h, palette.BLACK, 0.6)
    _clear_items(hud)  # what is under the prompt cannot be pointed at
    x, y, bw, bh = w * 0.1, h * 0.2, w * 0.8, h * 0.6
    hud.rect("c.bg", x, y, bw, bh, (16, 22, 56), 0.97)
    hud.frame("c.frame", x, y, bw, bh, palette.ORANGE, 5)
    top = y + 20 + write(hud, "c.q", prompt.question, (48, 40, 32), palette.WHITE, x + 24, y + 20, bw - 48, 3)
    for i, item in enumerate(prompt.items):
        ry = top + 10 + i * 70
        _item(hud, (x + bw * 0.15, ry - 5, bw * 0.7, 70.0), "confirm", i)
        if i == prompt.index:
            hud.frame("c.sel", x + bw * 0.15, ry, bw * 0.7, 60, palette.YELLOW, 5)
        write(hud, f"c.a{i}", ("> " if i == prompt.index else "") + item, (40, 32, 26),
              palette.WHITE if i == prompt.index else DIM, x + bw * 0.15 + 10, ry + (60 - 40 * 1.15) / 2,
              bw * 0.7 - 20, 1)
    counting = prompt.closing_s is not None
    write(hud, "c.lines", " ".join(prompt.lines()), (32, 26, 22), palette.ORANGE if counting else LIGHT, x + 24,
          top + 160, bw - 48, 2)
