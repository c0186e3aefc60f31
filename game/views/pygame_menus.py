"""The 2D view's menu screens: title (with progress and the sticker book), results, message, pause.

Every text is laid out in a box computed from the window's size and wrapped (or, for a row
label, shortened with "...") so nothing runs out of its box or over another at any size from
800x600 up; the wrapping is ``game.views.textwrap2d`` (shared with the HUD). Nothing is told
by colour alone: the selected row has a frame and a ">" mark, a star is filled or hollow, an
earned sticker has its picture and a check mark while one still to find is a grey "?" with the
words that say how to earn it.

Each choice drawn is also kept as a hit area (``MenuPainter.items``: the whole row, gaps between
rows included, so a finger or an unsteady hand finds it), top layer only: the view turns a
pointer over one into ``game.actions.hover``/``pick`` naming the item, and the menu decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import pygame

from game.actions import MenuList
from game.checkin import CheckinPicture, face_shape, picture_of
from game.menu import NEW_PLAYER, Confirm, PauseMenu, ResultsView, TitleMenu
from game.progress import Progress, Sticker, StickerShape
from game.views import theme as palette
from game.views.textwrap2d import Fitted, TextCache, fit_text

Colour = tuple[int, int, int]
GREY = (150, 150, 150)
LIGHT = (225, 225, 225)
DIM = (185, 185, 185)
BACKGROUND = (8, 12, 38)
PANEL = (16, 22, 56)
FACE = (255, 214, 120)  # the check-in faces: one warm colour for all, the drawing says how it feels
SHAPE_COLOURS: dict[StickerShape, Colour] = {
    "flower": palette.PURPLE, "star": palette.YELLOW, "shell": palette.ORANGE, "gem": palette.SKY,
    "sun": palette.YELLOW, "moon": palette.SKY,
}


@dataclass
class Box:
    """A rectangle in pixels (floats, so layout arithmetic stays exact)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def rect(self) -> pygame.Rect:
        """The pygame rectangle."""
        return pygame.Rect(int(self.x), int(self.y), max(1, int(self.w)), max(1, int(self.h)))


class MenuPainter:
    """Draws the menu screens on a surface; fonts are cached per pixel size."""

    def __init__(self) -> None:
        self._fonts: dict[int, pygame.font.Font] = {}
        self.texts = TextCache(512)  # rendered lines with their shadow: a menu redrawn each frame renders nothing new
        self.surface: pygame.Surface = pygame.Surface((1, 1))
        self.placed: list[tuple[pygame.Rect, pygame.Rect, int]] = []  # (line drawn, its box, layer): what tests check
        self.layer = 0  # 0: the screen, 1: a dialog over it
        self.items: list[tuple[pygame.Rect, MenuList, int]] = []  # where each choice was drawn: the pointer's targets
        self._scroll: dict[str, int] = {}  # a scrolled column's first row shown, by heading (kept between frames)

    def _start(self, surface: pygame.Surface) -> None:
        self.surface = surface
        self.placed = []
        self.layer = 0
        self.items = []

    def item(self, box: Box, name: MenuList, index: int) -> None:
        """Keep ``box`` as item ``index`` of list ``name`` (the pointer's target for it)."""
        self.items.append((box.rect, name, index))

    # -- primitives ----------------------------------------------------------------------
    @property
    def unit(self) -> float:
        """Pixels per design pixel: the 720-pixel-high design, kept large on small windows (text that is too
        wide for its box is wrapped or steps down a size, so a narrow window never cuts it)."""
        w, h = self.surface.get_size()
        return min(w / 1000.0, h / 720.0)

    def font(self, px: int) -> pygame.font.Font:
        """The default font ``px`` design pixels high, scaled to the window."""
        size = max(14, int(px * self.unit))
        if size not in self._fonts:
            font = pygame.font.Font(None, size)
            font.set_bold(size < 60)
            self._fonts[size] = font
        return self._fonts[size]

    def fit(self, text: str, box: Box, sizes: tuple[int, ...], max_lines: int | None = None) -> Fitted:
        """``text`` wrapped into ``box`` at the largest size that fits (see ``fit_text``)."""
        return fit_text(text, (box.w, box.h), sizes, self.font, max_lines)

    def write(self, text: str, box: Box, sizes: tuple[int, ...], colour: Colour, *, max_lines: int | None = None,
              align: str = "center", valign: str = "top") -> float:
        """Draw ``text`` wrapped inside ``box``; return the height used."""
        fitted = self.fit(text, box, sizes, max_lines)
        font = self.font(fitted.px)
        height = len(fitted.lines) * fitted.line_height
        top = box.y if valign == "top" else box.y + (box.h - height) / 2
        shadow = max(1, int(2 * self.unit))
        size = font.get_height()
        for i, line in enumerate(fitted.lines):
            image = self.texts.get(line, font, size, colour, shadow)
            width = image.get_width() - shadow  # the face; the shadow hangs off its right and bottom
            y = top + i * fitted.line_height
            if align == "left":
                x = box.x
            elif align == "right":
                x = box.x + box.w - width
            else:
                x = box.x + (box.w - width) / 2
            drawn = self.surface.blit(image, (int(x), int(y)))
            self.placed.append((pygame.Rect(drawn.x, drawn.y, width, drawn.height - shadow), box.rect, self.layer))
        return float(height)

    def frame(self, box: Box, colour: Colour, width: float = 4, fill: Colour | None = None) -> None:
        """A rounded frame (filled first when ``fill`` is given)."""
        radius = max(4, int(14 * self.unit))
        if fill is not None:
            pygame.draw.rect(self.surface, fill, box.rect, border_radius=radius)
        pygame.draw.rect(self.surface, colour, box.rect, max(2, int(width * self.unit)), border_radius=radius)

    def star(self, centre: tuple[float, float], radius: float, filled: bool) -> None:
        """A five-pointed star: filled yellow with a white edge when won, a grey outline when not."""
        points = []
        for i in range(10):
            r = radius if i % 2 == 0 else radius * 0.45
            angle = -math.pi / 2 + i * math.pi / 5
            points.append((centre[0] + r * math.cos(angle), centre[1] + r * math.sin(angle)))
        if filled:
            pygame.draw.polygon(self.surface, palette.YELLOW, points)
        pygame.draw.polygon(self.surface, palette.WHITE if filled else GREY, points, max(1, int(2 * self.unit)))

    def stars(self, won: int, centre: tuple[float, float], radius: float, count: int = 3) -> None:
        """``count`` stars in a row, the first ``won`` filled."""
        for i in range(count):
            self.star((centre[0] + (i - (count - 1) / 2) * radius * 2.3, centre[1]), radius, i < won)

    def backdrop(self) -> None:
        """A plain night sky with a few fixed stars (the same on every frame, so screenshots are stable)."""
        self.surface.fill(BACKGROUND)
        w, h = self.surface.get_size()
        state = 7
        for _ in range(70):
            state = (state * 1103515245 + 12345) % (2**31)
            x = (state % 10000) / 10000
            state = (state * 1103515245 + 12345) % (2**31)
            y = (state % 10000) / 10000
            pygame.draw.circle(self.surface, (150, 160, 200), (int(x * w), int(y * h)), 1 + state % 2)

    def shade(self, alpha: int = 225) -> None:
        """Darken what is drawn (under a dialog)."""
        shade = pygame.Surface(self.surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, alpha))
        self.surface.blit(shade, (0, 0))

    # -- stickers ------------------------------------------------------------------------
    def sticker(self, sticker: Sticker, centre: tuple[float, float], radius: float) -> None:
        """A round sticker: its picture when earned (with a green check), a grey '?' when still to find."""
        cx, cy = centre
        line = max(1, int(2 * self.unit))
        if not sticker.earned:
            pygame.draw.circle(self.surface, (40, 44, 70), (int(cx), int(cy)), int(radius))
            for i in range(16):  # a dashed rim: "not yet"
                a0 = i * math.tau / 16
                pygame.draw.arc(self.surface, GREY, pygame.Rect(int(cx - radius), int(cy - radius),
                                                                int(radius * 2), int(radius * 2)),
                                a0, a0 + math.tau / 32, line)
            self.write("?", Box(cx - radius, cy - radius, radius * 2, radius * 2), (int(radius * 1.6 / self.unit),),
                       GREY, max_lines=1, valign="middle")
            return
        pygame.draw.circle(self.surface, palette.WHITE, (int(cx), int(cy)), int(radius))
        pygame.draw.circle(self.surface, palette.BLACK, (int(cx), int(cy)), int(radius), line)
        self._shape(sticker.shape, (cx, cy), radius * 0.7)
        check = (cx + radius * 0.72, cy - radius * 0.72)
        small = max(5.0, radius * 0.32)
        pygame.draw.circle(self.surface, palette.GREEN, (int(check[0]), int(check[1])), int(small))
        pygame.draw.lines(self.surface, palette.WHITE, False,
                          [(check[0] - small * 0.55, check[1]), (check[0] - small * 0.1, check[1] + small * 0.45),
                           (check[0] + small * 0.6, check[1] - small * 0.45)], max(2, int(3 * self.unit)))

    def _shape(self, shape: StickerShape, centre: tuple[float, float], r: float) -> None:
        cx, cy = centre
        colour = SHAPE_COLOURS[shape]
        edge = max(1, int(2 * self.unit))
        if shape == "star":
            self.star(centre, r, True)
        elif shape == "flower":
            for i in range(5):
                a = -math.pi / 2 + i * math.tau / 5
                petal = (int(cx + r * 0.55 * math.cos(a)), int(cy + r * 0.55 * math.sin(a)))
                pygame.draw.circle(self.surface, colour, petal, int(r * 0.45))
                pygame.draw.circle(self.surface, palette.BLACK, petal, int(r * 0.45), edge)
            pygame.draw.circle(self.surface, palette.YELLOW, (int(cx), int(cy)), int(r * 0.35))
            pygame.draw.circle(self.surface, palette.BLACK, (int(cx), int(cy)), int(r * 0.35), edge)
        elif shape == "shell":
            points = [(cx, cy + r * 0.8)]
            for i in range(9):
                a = math.pi + i * math.pi / 8
                points.append((cx + r * math.cos(a), cy + r * 0.2 + r * 0.9 * math.sin(a)))
            pygame.draw.polygon(self.surface, colour, points)
            pygame.draw.polygon(self.surface, palette.BLACK, points, edge)
            for i in range(1, 8):  # the ribs
                a = math.pi + i * math.pi / 8
                pygame.draw.line(self.surface, palette.BLACK, (cx, cy + r * 0.8),
                                 (cx + r * math.cos(a), cy + r * 0.2 + r * 0.9 * math.sin(a)), edge)
        elif shape == "gem":
            points = [(cx, cy - r), (cx + r * 0.8, cy - r * 0.2), (cx, cy + r), (cx - r * 0.8, cy - r * 0.2)]
            pygame.draw.polygon(self.surface, colour, points)
            pygame.draw.polygon(self.surface, palette.BLACK, points, edge)
            pygame.draw.line(self.surface, palette.BLACK, (cx - r * 0.8, cy - r * 0.2), (cx + r * 0.8, cy - r * 0.2),
                             edge)
        elif shape == "sun":
            for i in range(8):
                a = i * math.tau / 8
                inner = (cx + r * 0.55 * math.cos(a), cy + r * 0.55 * math.sin(a))
                outer = (cx + r * math.cos(a), cy + r * math.sin(a))
                pygame.draw.line(self.surface, palette.ORANGE, inner, outer, max(2, int(4 * self.unit)))
            pygame.draw.circle(self.surface, colour, (int(cx), int(cy)), int(r * 0.55))
            pygame.draw.circle(self.surface, palette.BLACK, (int(cx), int(cy)), int(r * 0.55), edge)
        else:  # moon: a crescent
            pygame.draw.circle(self.surface, colour, (int(cx), int(cy)), int(r * 0.85))
            pygame.draw.circle(self.surface, palette.WHITE, (int(cx + r * 0.4), int(cy - r * 0.25)), int(r * 0.7))
            pygame.draw.circle(self.surface, palette.BLACK, (int(cx), int(cy)), int(r * 0.85), edge)

    # -- screens -------------------------------------------------------------------------
    def title(self, surface: pygame.Surface, menu: TitleMenu) -> None:
        """The title screen: greeting, this week's days, the player and game columns, stickers, the hint."""
        self._start(surface)
        self.backdrop()
        if menu.page == "stickers":
            self.sticker_book(menu)
            return
        w, h = surface.get_size()
        u = self.unit
        pad = 24 * u
        progress = menu.current_progress
        # header: name of the game and the greeting on the left, this week on the right
        head = Box(pad, pad * 0.6, w * 0.55, 110 * u)
        used = self.write("Proprio", Box(head.x, head.y, head.w, 70 * u), (84, 64, 52), palette.YELLOW,
                          max_lines=1, align="left")
        self.write(menu.greeting, Box(head.x, head.y + used, head.w, 50 * u), (46, 38, 30), palette.SKY,
                   max_lines=1, align="left")
        week_bottom = self._week(progress, Box(w * 0.58, pad * 0.6, w * 0.42 - pad, 110 * u))
        # footer: the keys, then a wrapped message box above it (rows never run under either)
        hint = "Arrows or mouse: choose  ·  Enter or click a game: play  ·  Esc: leave"
        hint_h = self.fit(hint, Box(0, 0, w - 2 * pad, 80 * u), (32, 26, 22), 2).line_height * \
            len(self.fit(hint, Box(0, 0, w - 2 * pad, 80 * u), (32, 26, 22), 2).lines)
        footer = Box(pad, h - pad * 0.5 - hint_h, w - 2 * pad, hint_h)
        self.write(hint, footer, (32, 26, 22), LIGHT, max_lines=2)
        bottom = footer.y - 8 * u
        if menu.message:
            fitted = self.fit(menu.message, Box(0, 0, w - 4 * pad, 90 * u), (34, 28, 24), 3)
            box_h = len(fitted.lines) * fitted.line_height + 16 * u
            message = Box(pad, bottom - box_h, w - 2 * pad, box_h)
            self.frame(message, palette.ORANGE, 3, fill=(30, 20, 0))
            self.write(menu.message, Box(message.x + pad, message.y + 8 * u, message.w - 2 * pad, message.h - 16 * u),
                       (34, 28, 24), palette.ORANGE, max_lines=3, valign="middle")
            bottom = message.y - 8 * u
        top = max(head.y + head.h, week_bottom) + 6 * u
        # the player column (with the sticker strip under it) and the game column
        player_col = Box(pad, top, w * 0.34 - pad, bottom - top)
        game_col = Box(w * 0.36, top, w * 0.64 - pad, bottom - top)
        strip_h = min(120 * u, player_col.h * 0.34)
        players_box = Box(player_col.x, player_col.y, player_col.w, player_col.h - strip_h)
        rows = [self._player_label(menu, p) for p in menu.players] + [self._new_player_label(menu)]
        self._column("Player", rows, menu.player_index, menu.focus == "player", players_box, [None] * len(rows),
                     "player")
        self._sticker_strip(progress, Box(player_col.x, players_box.y + players_box.h, player_col.w, strip_h))
        marks = [menu.stars_for(spec) for spec, _ in menu.levels]
        self._column("Game", [label for _, label in menu.levels], menu.level_index, menu.focus == "level", game_col,
                     marks, "level")
        if menu.confirm is not None:
            self.confirm(menu.confirm)

    def _player_label(self, menu: TitleMenu, player: str) -> str:
        name = menu.names.get(player)
        return f"{name} ({player})" if name else player

    def _new_player_label(self, menu: TitleMenu) -> str:
        if not menu.typing:
            return NEW_PLAYER
        return f"New: {menu.typed}_" if menu.focus == "player" else f"New: {menu.typed}"

    def _week(self, progress: Progress, box: Box) -> float:
        """This week's dots (filled and ticked: done) with the words, then today's goal with its tick when done;
        with a plan, its sessions and today's minutes and levels. Never a broken streak. The bottom drawn."""
        u = self.unit
        done, shown = progress.week_dots
        r = 11 * u
        dots_y = box.y + 24 * u
        for i in range(shown):
            cx = box.x + box.w - (shown - i) * r * 2.8 + r
            if i < done:
                self.tick((cx, dots_y), r)
            else:
                pygame.draw.circle(self.surface, GREY, (int(cx), int(dots_y)), int(r), max(1, int(2 * u)))
        text_y = dots_y + r + 6 * u
        used = self.write(progress.week_words(), Box(box.x, text_y, box.w, 36 * u), (30, 24, 20), palette.WHITE,
                          max_lines=1, align="right")
        ticked = progress.today_ticked
        today_box = Box(box.x + (3 * r if ticked else 0), text_y + used, box.w - (3 * r if ticked else 0), 76 * u)
        placed = len(self.placed)
        planned = progress.plan is not None  # the therapist's goal for today: larger, on up to two lines
        today = progress.today_words()
        if planned and len(self.fit(today, today_box, (30, 26), 2).lines) > 1:
            today = today.replace(" · ", "\n", 1)  # two lines break between the minutes and the games, not in a title
        used += self.write(today, today_box, (30, 26, 22) if planned else (26, 22, 18),
                           palette.GREEN if ticked else palette.WHITE if planned else DIM,
                           max_lines=2 if planned else 1, align="right")
        if ticked:  # today's tick, beside the words that say it
            first = self.placed[placed][0]  # the first line of today's words
            self.tick((first.x - 1.6 * r, first.centery), r)
        return text_y + used

    def tick(self, centre: tuple[float, float], r: float) -> None:
        """A green disc with a white check mark: done."""
        cx, cy = centre
        pygame.draw.circle(self.surface, palette.GREEN, (int(cx), int(cy)), int(r))
        pygame.draw.lines(self.surface, palette.WHITE, False,
                          [(cx - r * 0.5, cy), (cx - r * 0.1, cy + r * 0.4), (cx + r * 0.55, cy - r * 0.45)],
                          max(2, int(3 * self.unit)))

    def _column(self, heading: str, rows: list[str], selected: int, focused: bool, box: Box,
                marks: list[tuple[int, int] | None], name: MenuList) -> None:
        """A heading and as many rows as fit, each a pointer target as wide as the column.

        A column too long to show scrolls only as far as keeps the selected row in view (first shown:
        centred), so the rows stay put under a pointer moving over them: a row is clicked where it was seen.
        """
        u = self.unit
        head_h = self.write(heading, Box(box.x, box.y, box.w, 50 * u), (44, 36, 28),
                            palette.WHITE if focused else (170, 170, 170), max_lines=1, align="left")
        row_h = max(48 * u, min(50 * u, (box.h - head_h) / 6))  # 48 px at 720 high: a finger's target
        visible = max(1, int((box.h - head_h) // row_h))
        start = self._scroll.get(heading, selected - visible // 2)
        start = min(max(start, selected - visible + 1), selected)
        start = self._scroll[heading] = max(0, min(start, len(rows) - visible))
        for i in range(start, min(len(rows), start + visible)):
            row = Box(box.x, box.y + head_h + (i - start) * row_h, box.w, row_h - 4 * u)
            self.item(Box(row.x, row.y - 2 * u, row.w, row_h), name, i)
            is_selected = i == selected
            mark = marks[i] if i < len(marks) else None
            text_w = row.w - 24 * u - (row_h * 2.6 if mark is not None and mark[1] == 3 else
                                       110 * u if mark is not None else 0)
            if is_selected:
                self.frame(row, palette.YELLOW if focused else palette.SKY, 4)
            label = ("> " if is_selected else "") + rows[i]
            self.write(label, Box(row.x + 12 * u, row.y, text_w, row.h), (36, 30, 24, 20),
                       palette.WHITE if is_selected else DIM, max_lines=1, align="left", valign="middle")
            if mark is not None:
                won, total = mark
                if total == 3:
                    self.stars(won, (row.x + row.w - row_h * 1.3, row.y + row.h / 2), row.h * 0.28)
                else:  # a playlist: its stars as a count beside one star
                    self.star((row.x + row.w - 95 * u, row.y + row.h / 2), row.h * 0.28, won > 0)
                    self.write(f"{won}/{total}", Box(row.x + row.w - 80 * u, row.y, 72 * u, row.h), (28, 22),
                               LIGHT, max_lines=1, align="left", valign="middle")
        if start > 0 or start + visible < len(rows):
            more = f"{len(rows)} in all: Up/Down or the wheel for more"
            self.write(more, Box(box.x, box.y + box.h - 22 * u, box.w, 22 * u), (20, 16), GREY, max_lines=1,
                       align="right")

    def _sticker_strip(self, progress: Progress, box: Box) -> None:
        """'Stickers: 5 of 40' and the newest earned ones (the whole book is a row of the game column)."""
        u = self.unit
        earned = progress.earned
        total = len(progress.stickers)
        words = f"Stickers: {len(earned)} of {total}" if total else "Stickers: play to earn them"
        used = self.write(words, Box(box.x, box.y + 6 * u, box.w, 34 * u), (30, 24, 20), palette.WHITE,
                          max_lines=1, align="left")
        r = min(24 * u, (box.h - used - 10 * u) / 2)
        if r < 8:
            return
        count = max(0, min(len(earned), int(box.w // (r * 2.4))))
        for i, sticker in enumerate(earned[-count:] if count else ()):
            self.sticker(sticker, (box.x + r + i * r * 2.4, box.y + used + 10 * u + r), r)

    def sticker_book(self, menu: TitleMenu) -> None:
        """The whole collection: every sticker, earned with its picture, or a '?' with how to earn it."""
        w, h = self.surface.get_size()
        u = self.unit
        pad = 24 * u
        progress = menu.current_progress
        who = menu.names.get(menu.player or "") or menu.player or "New player"
        used = self.write(f"{who}'s sticker book", Box(pad, pad * 0.5, w - 2 * pad, 70 * u), (64, 52, 40),
                          palette.YELLOW, max_lines=1)
        used += self.write(f"{len(progress.earned)} of {len(progress.stickers)} stickers.  {progress.week_words()}",
                           Box(pad, pad * 0.5 + used, w - 2 * pad, 40 * u), (32, 26, 22), palette.SKY, max_lines=1)
        back = Box(w / 2 - 130 * u, h - 62 * u, 260 * u, 54 * u)  # a button too: the mouse's way back
        self.frame(back, palette.YELLOW, 4, fill=PANEL)
        self.write("< Back", back, (36, 30, 24), palette.WHITE, max_lines=1, valign="middle")
        self.item(back, "book", 0)
        hint = "Enter, Esc or a click on Back: back to the games"
        self.write(hint, Box(pad, back.y - 34 * u, w - 2 * pad, 30 * u), (26, 22, 18), LIGHT, max_lines=1)
        grid = Box(pad, pad * 0.5 + used + 10 * u, w - 2 * pad, back.y - 34 * u - pad * 0.5 - used - 10 * u)
        stickers = progress.stickers
        if not stickers:
            self.write("Play a game to start your sticker book!", grid, (40, 32, 26), palette.WHITE,
                       valign="middle")
            return
        columns = max(4, int(grid.w // (150 * u)))
        rows = math.ceil(len(stickers) / columns)
        cell_w, cell_h = grid.w / columns, grid.h / rows
        r = max(8.0, min(cell_w * 0.22, cell_h * 0.3))
        for i, sticker in enumerate(stickers):
            cx = grid.x + (i % columns + 0.5) * cell_w
            top = grid.y + (i // columns) * cell_h
            self.sticker(sticker, (cx, top + r + 2 * u), r)
            words = sticker.name if sticker.earned else sticker.how
            self.write(words, Box(cx - cell_w / 2 + 3 * u, top + 2 * r + 5 * u, cell_w - 6 * u, cell_h - 2 * r - 7 * u),
                       (22, 18, 16, 14), palette.WHITE if sticker.earned else DIM, max_lines=2)

    def results(self, surface: pygame.Surface, results: ResultsView) -> None:
        """How the level went, top to bottom: headline, level, stars, score and count, new bests, stickers, words."""
        self._start(surface)
        self.backdrop()
        w, h = surface.get_size()
        u = self.unit
        pad = 32 * u
        width = w - 2 * pad
        hint = ("Enter: the framed button  ·  Esc: back to the title  ·  or click one" if results.next_label
                else "Enter or a click: back to the title")
        buttons_h = 60 * u
        hint_fit = self.fit(hint, Box(0, 0, width, 60 * u), (28, 24, 20), 2)
        hint_h = len(hint_fit.lines) * hint_fit.line_height + buttons_h + 8 * u
        self._buttons(results.buttons, results.selected, Box(pad, h - pad * 0.5 - buttons_h, width, buttons_h))
        self.write(hint, Box(pad, h - pad * 0.5 - hint_h, width, hint_h - buttons_h - 8 * u), (28, 24, 20), LIGHT,
                   max_lines=2)
        y = pad * 0.5
        y += self.write(results.heading, Box(pad, y, width, 150 * u), (80, 64, 52, 44), palette.YELLOW, max_lines=2)
        y += self.write(results.level_title, Box(pad, y, width, 56 * u), (48, 40, 32), palette.SKY, max_lines=1)
        r = 46 * u
        self.stars(results.stars, (w / 2, y + r + 8 * u), r)
        y += 2 * r + 20 * u
        y += self.write(f"Score {results.score}", Box(pad, y, width, 70 * u), (68, 56, 44), palette.WHITE,
                        max_lines=1)
        y += self.write(f"{results.successes} of {results.trials} done", Box(pad, y, width, 56 * u), (48, 40, 32),
                        palette.WHITE, max_lines=1) + 10 * u
        room = h - pad * 0.5 - hint_h - 8 * u
        badges = results.earned[:5]
        if badges and y + 70 * u < room:  # the new stickers' pictures, in a row
            r = 28 * u
            for i, sticker in enumerate(badges):
                self.sticker(sticker, (w / 2 + (i - (len(badges) - 1) / 2) * r * 2.6, y + r + 4 * u), r)
            y += 2 * r + 10 * u
        lines: list[tuple[str, Colour]] = [(line, palette.YELLOW) for line in results.new_bests]
        lines += [(f"New sticker: {name}!", palette.ORANGE) for name in results.stickers[:3]]
        if len(results.stickers) > 3:
            lines.append((f"and {len(results.stickers) - 3} more new stickers!", palette.ORANGE))
        lines += [(line, palette.WHITE) for line in results.improvements[:3]]
        if results.week:
            lines.append((results.week, palette.SKY))
        for text, colour in lines:
            if y >= room - 20 * u:
                break
            marker = "* " if colour == palette.YELLOW else ""  # a "new best" is marked by more than its colour
            y += self.write(marker + text, Box(pad, y + 4 * u, width, room - y - 4 * u), (42, 36, 30, 24), colour,
                            max_lines=2) + 6 * u

    def _buttons(self, labels: list[str], selected: int, box: Box) -> None:
        """Buttons side by side across ``box`` (the selected one framed in yellow and marked), each a pointer target."""
        u = self.unit
        gap = 24 * u
        width = (box.w - gap * (len(labels) - 1)) / len(labels)
        for i, label in enumerate(labels):
            button = Box(box.x + i * (width + gap), box.y, width, box.h)
            chosen = i == selected
            self.frame(button, palette.YELLOW if chosen else GREY, 5 if chosen else 2, fill=PANEL)
            self.write(("> " if chosen else "") + label, Box(button.x + 12 * u, button.y, button.w - 24 * u, button.h),
                       (34, 28, 24, 20), palette.WHITE if chosen else DIM, max_lines=1, valign="middle")
            self.item(Box(button.x - gap / 2, button.y - 4 * u, button.w + gap, button.h + 8 * u), "results", i)

    def message(self, surface: pygame.Surface, title: str, lines: list[str]) -> None:
        """A plain message: the title, then the lines wrapped in a framed box (nothing cut off the side); a
        check-in's lines carry its picture, drawn as faces and big 0-10 targets instead (``checkin``)."""
        shown = picture_of(lines)
        if shown is not None:
            self.checkin(surface, shown)
            return
        self._start(surface)
        self.backdrop()
        w, h = surface.get_size()
        u = self.unit
        pad = 32 * u
        used = self.write(title, Box(pad, pad, w - 2 * pad, 150 * u), (64, 52, 40), palette.ORANGE, max_lines=2)
        box = Box(pad, pad + used + 16 * u, w - 2 * pad, h - 2 * pad - used - 16 * u)
        self.frame(box, palette.ORANGE, 3, fill=PANEL)
        # As large as the box allows (an assessment's instruction is a few lines, read from a step or two away by
        # a person standing on one leg); a long results page steps down to the sizes it needs.
        self.write("\n".join(lines), Box(box.x + pad * 0.6, box.y + pad * 0.5, box.w - pad * 1.2, box.h - pad),
                   (56, 48, 42, 36, 32, 28, 24, 20, 16), palette.WHITE)

    def checkin(self, surface: pygame.Surface, shown: CheckinPicture) -> None:
        """'How does it feel?': the question, six faces with their words (the chosen one framed and marked),
        the 0-10 row of big targets, the chosen value in words, and the keys. Nothing told by colour alone."""
        self._start(surface)
        self.backdrop()
        w, h = surface.get_size()
        u = self.unit
        pad = 28 * u
        width = w - 2 * pad
        y = pad * 0.6
        y += self.write(shown.ask, Box(pad, y, width, 140 * u), (60, 50, 40), palette.YELLOW, max_lines=2) + 8 * u
        hint = shown.hint + (f"  ·  {shown.progress}" if shown.progress else "")
        skip_w, skip_h = min(220 * u, width * 0.3), 54 * u  # the mouse's Esc, beside the keys
        hint_w = width - skip_w - 16 * u
        hint_fit = self.fit(hint, Box(0, 0, hint_w, 70 * u), (30, 26, 22), 2)
        hint_h = max(skip_h, len(hint_fit.lines) * hint_fit.line_height)
        self.write(hint, Box(pad, h - pad * 0.5 - hint_h, hint_w, hint_h), (30, 26, 22), LIGHT, max_lines=2,
                   valign="middle")
        skip = Box(pad + width - skip_w, h - pad * 0.5 - hint_h + (hint_h - skip_h) / 2, skip_w, skip_h)
        self.frame(skip, GREY, 3, fill=PANEL)
        self.write("Skip >", skip, (32, 26, 22), palette.WHITE, max_lines=1, valign="middle")
        self.item(skip, "skip", 0)
        bottom = h - pad * 0.5 - hint_h - 10 * u
        # the faces, each in its cell with its words under it
        cell_w = width / len(shown.faces)
        words_h = 72 * u
        box_h = 80 * u
        heading_h = 64 * u
        r = max(12.0, min(cell_w * 0.4, 96 * u, (bottom - y - words_h - box_h - heading_h - 60 * u) / 2))
        y += max(0.0, (bottom - y - (2 * r + words_h + box_h + heading_h + 56 * u)) / 2)  # centred under the question
        for i, (_, words) in enumerate(shown.faces):
            cell = Box(pad + i * cell_w + 4 * u, y, cell_w - 8 * u, 2 * r + 16 * u + words_h)
            self.item(Box(pad + i * cell_w, y, cell_w, cell.h), "face", i)
            chosen = i == shown.face
            if chosen:
                self.frame(cell, palette.YELLOW, 6, fill=(40, 48, 96))
            self.face((cell.x + cell.w / 2, cell.y + 8 * u + r), r, i, shown.kind)
            self.write(("> " if chosen else "") + words, Box(cell.x + 2 * u, cell.y + 2 * r + 14 * u, cell.w - 4 * u,
                                                              words_h), (32, 28, 24, 20, 17),
                       palette.WHITE if chosen else LIGHT, max_lines=2)
        y += 2 * r + 16 * u + words_h + 20 * u
        # the 0-10 row: big targets, the chosen one filled with its number dark (and framed)
        box_w = width / 11
        for n in range(11):
            target = Box(pad + n * box_w + 3 * u, y, box_w - 6 * u, box_h)
            self.item(Box(pad + n * box_w, y - 10 * u, box_w, box_h + 20 * u), "scale", n)
            chosen = n == shown.value
            self.frame(target, palette.YELLOW if chosen else GREY, 6 if chosen else 2,
                       fill=palette.YELLOW if chosen else PANEL)
            self.write(str(n), target, (52, 44, 36, 28), palette.BLACK if chosen else palette.WHITE, max_lines=1,
                       valign="middle")
        y += box_h + 20 * u
        self.write(shown.heading, Box(pad, y, width, max(heading_h, bottom - y)), (56, 48, 40, 30), palette.WHITE,
                   max_lines=2)

    def face(self, centre: tuple[float, float], r: float, mood: int, kind: str = "pain") -> None:
        """One face of the check-in scale (``game.checkin.face_shape``): a smile at 0 ... tears (or sweat) at 5."""
        cx, cy = centre
        shape = face_shape(mood, kind)
        line = max(2, int(r * 0.09))

        def at(p: tuple[float, float]) -> tuple[int, int]:
            return int(cx + p[0] * r), int(cy + p[1] * r)

        pygame.draw.circle(self.surface, FACE, (int(cx), int(cy)), int(r))
        pygame.draw.circle(self.surface, palette.BLACK, (int(cx), int(cy)), int(r), line)
        for eye in shape.eyes:
            pygame.draw.circle(self.surface, palette.BLACK, at(eye), max(2, int(r * shape.eye_radius)))
        for a, b in shape.brows:
            pygame.draw.line(self.surface, palette.BLACK, at(a), at(b), line)
        pygame.draw.lines(self.surface, palette.BLACK, False, [at(p) for p in shape.mouth], line)
        for tear in shape.tears:
            pygame.draw.circle(self.surface, palette.SKY, at(tear), max(2, int(r * 0.09)))

    def pause(self, surface: pygame.Surface, menu: PauseMenu) -> None:
        """The pause menu over the frozen game: why it paused, the choices, and the 'are you sure?' when open."""
        self._start(surface)
        self.shade()
        w, h = surface.get_size()
        u = self.unit
        pad = 32 * u
        y = h * 0.08
        y += self.write("Paused", Box(pad, y, w - 2 * pad, 110 * u), (100, 80, 60), palette.YELLOW, max_lines=1)
        if menu.reason:
            y += self.write(menu.reason, Box(pad, y, w - 2 * pad, 80 * u), (32, 26, 22), palette.SKY, max_lines=2)
        hint = "Space: resume  ·  Up/Down and Enter, or a click: choose"
        self.write(hint, Box(pad, h - 60 * u, w - 2 * pad, 50 * u), (32, 26, 22), LIGHT, max_lines=2)
        row_h = min(70 * u, (h - 70 * u - y - 10 * u) / max(1, len(menu.items)))
        for i, item in enumerate(menu.items):
            row = Box(w / 2 - 240 * u, y + 10 * u + i * row_h, 480 * u, row_h - 8 * u)
            self.item(Box(row.x, row.y - 4 * u, row.w, row_h), "pause", i)
            selected = i == menu.index
            if selected:
                self.frame(row, palette.SKY, 5)
            self.write(("> " if selected else "") + item, row, (52, 44, 36, 28), palette.WHITE if selected else DIM,
                       max_lines=1, valign="middle")
        if menu.confirm is not None:
            self.confirm(menu.confirm)

    def confirm(self, confirm: Confirm) -> None:
        """'Are you sure?' in a frame: the question, the two answers (the safe one first), the keys or countdown."""
        self.shade(200)
        self.layer = 1
        self.items = []  # what is under the prompt cannot be pointed at
        w, h = self.surface.get_size()
        u = self.unit
        box = Box(w * 0.1, h * 0.2, w * 0.8, h * 0.6)
        self.frame(box, palette.ORANGE, 5, fill=PANEL)
        inner = Box(box.x + 24 * u, box.y + 18 * u, box.w - 48 * u, box.h - 36 * u)
        y = inner.y
        y += self.write(confirm.question, Box(inner.x, y, inner.w, inner.h * 0.34), (52, 44, 36, 30), palette.WHITE,
                        max_lines=3)
        row_h = inner.h * 0.2
        for i, item in enumerate(confirm.items):
            row = Box(inner.x + inner.w * 0.15, y + 8 * u + i * row_h, inner.w * 0.7, row_h - 8 * u)
            self.item(Box(row.x, row.y - 4 * u, row.w, row_h), "confirm", i)
            selected = i == confirm.index
            if selected:
                self.frame(row, palette.YELLOW, 5)
            self.write(("> " if selected else "") + item, row, (44, 36, 30, 24), palette.WHITE if selected else DIM,
                       max_lines=1, valign="middle")
        lines_box = Box(inner.x, y + 8 * u + 2 * row_h, inner.w, inner.y + inner.h - (y + 8 * u + 2 * row_h))
        counting = confirm.closing_s is not None
        self.write(" ".join(confirm.lines()), lines_box, (36, 30, 24, 20), palette.ORANGE if counting else LIGHT,
                   max_lines=3, valign="middle")


_PAINTERS: WeakKeyDictionary[object, MenuPainter] = WeakKeyDictionary()


def painter(owner: object) -> MenuPainter:
    """The painter of one view (its fonts live and die with the view's window)."""
    found = _PAINTERS.get(owner)
    if found is None:
        found = _PAINTERS[owner] = MenuPainter()
    return found


def draw_title(owner: object, surface: pygame.Surface, menu: TitleMenu) -> None:
    """Paint the title screen (or its sticker book page)."""
    painter(owner).title(surface, menu)


def draw_results(owner: object, surface: pygame.Surface, results: ResultsView) -> None:
    """Paint the results screen."""
    painter(owner).results(surface, results)


def draw_message(owner: object, surface: pygame.Surface, title: str, lines: list[str]) -> None:
    """Paint a plain message screen."""
    painter(owner).message(surface, title, lines)


def draw_pause(owner: object, surface: pygame.Surface, menu: PauseMenu) -> None:
    """Paint the pause menu over the current frame."""
    painter(owner).pause(surface, menu)
