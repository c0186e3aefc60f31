"""The 3D view's flat layer: HUD, banners, the pause menu, title, results and message screens.

It lays out in a 720-unit-high design space (like the 2D view's 1280x720 design), top-left
origin, y down, so the same layout serves the desktop overlay (parented to aspect2d) and
the world-locked panel that VR and the VR preview show in front of the player. Nodes are
pooled and only shown, moved and re-texted per frame; nothing is rebuilt while playing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from panda3d.core import DynamicTextFont, NodePath, TextNode, TransparencyAttrib

from game.core.snapshot import PAUSE_CORNER, Snapshot
from game.menu import NEW_PLAYER, PauseMenu, ResultsView, TitleMenu
from game.views import p3d_geometry as geo
from game.views import theme as palette
from game.views.p3d_scene import rgba
from game.views.theme import feedback_banner, theme_for, wrap_words

DESIGN_H = 720.0
GREY = (200, 200, 200)

Colour = Sequence[int]  # (r, g, b) or (r, g, b, a), 0-255
Placement = tuple[tuple[float, float, float], tuple[float, float, float], float]  # pos, scale, roll


#: The word beside the progress bar per challenge kind ("" for none: a maze shows its goal, not a bar).
PROGRESS_LABELS = {"hold": "Hold", "reach": "Hold", "weight_shift": "Hold", "limits_of_stability": "Hold",
                   "track": "With it", "collect_avoid": "Caught", "maze": ""}


class Hud:
    """Pooled text and shapes in design units; ``begin`` hides all, draw calls show some."""

    def __init__(self, parent: NodePath, font: DynamicTextFont | None = None, width: float = 1280.0) -> None:
        self.root = parent.attachNewNode("hud")
        self.root.setTwoSided(True)
        self.root.setLightOff()
        self.root.setDepthTest(False)
        self.root.setDepthWrite(False)
        self.root.setBin("fixed", 100)
        self.root.setTransparency(TransparencyAttrib.MAlpha)
        self.font = font
        self.width = width
        self._labels: dict[str, NodePath] = {}
        self._label_state: dict[str, tuple[str, str, bool, tuple[int, ...]]] = {}
        self._rects: dict[str, NodePath] = {}
        self._shapes: dict[str, NodePath] = {}  # discs and lines
        self._stars: dict[str, NodePath] = {}
        self._nodes: dict[str, NodePath] = {}  # every pooled node by name
        self._bins: dict[str, int] = {}
        self._placed: dict[str, Placement] = {}
        self._colours: dict[str, tuple[tuple[int, ...], float]] = {}
        self._order = 0
        self._shown: set[str] = set()
        self._measure: TextNode | None = None  # measures text for wrapping (never drawn)

    def warm_up(self, render_frame: Callable[[], object]) -> None:
        """Rasterize every glyph the HUD may show and upload it once, so play never stalls on a new one."""
        glyphs = "".join(chr(c) for c in range(32, 127)) + "·"
        node = TextNode("warm-up")
        if self.font is not None:
            node.setFont(self.font)
        node.setText(glyphs)
        node.setShadow(0.05, 0.05)
        holder = self.root.attachNewNode(node)
        holder.setScale(1.0)
        holder.setBin("fixed", 10)  # under the shade the view draws while warming up
        render_frame()
        holder.removeNode()

    # -- placement ----------------------------------------------------------------------
    def fit_overlay(self, aspect: float) -> None:
        """Place the design space over aspect2d (x in [-aspect, aspect], z in [-1, 1])."""
        self.width = DESIGN_H * aspect
        self.root.setPos(-aspect, 0, 1)
        self.root.setScale(2.0 / DESIGN_H)

    def fit_panel(self, width_m: float) -> None:
        """Place the design space on a world panel ``width_m`` wide, centred on the parent."""
        self.width = 1280.0
        scale = width_m / self.width
        self.root.setPos(-width_m / 2, 0, DESIGN_H * scale / 2)
        self.root.setScale(scale)

    # -- primitives ---------------------------------------------------------------------
    def begin(self) -> None:
        """Start a new picture: everything drawn last time is hidden until drawn again."""
        for name in self._shown:
            self._nodes[name].hide()
        self._shown = set()
        self._order = 0

    def _bump(self, node: NodePath, name: str) -> None:
        self._order += 1
        if self._bins.get(name) != self._order:  # later calls draw on top; unchanged states stay cached
            self._bins[name] = self._order
            node.setBin("fixed", 100 + self._order)
        self._nodes[name] = node
        node.show()
        self._shown.add(name)

    def _place(self, node: NodePath, name: str, pos: tuple[float, float, float], scale: tuple[float, float, float],
               roll_deg: float = 0.0) -> None:
        """Move/scale/turn a node only when its placement changed (keeps panda3d's caches warm)."""
        if self._placed.get(name) != (pos, scale, roll_deg):
            self._placed[name] = (pos, scale, roll_deg)
            node.setPosHprScale(pos[0], pos[1], pos[2], 0, 0, roll_deg, scale[0], scale[1], scale[2])

    def _colour(self, node: NodePath, name: str, colour: Colour, alpha: float) -> None:
        key = (tuple(colour[:3]), alpha)
        if self._colours.get(name) != key:
            self._colours[name] = key
            node.setColor(rgba(tuple(colour[:3]), alpha))

    def text(self, name: str, text: str, px: float, colour: Colour, x: float, y: float, align: str = "center",
             shadow: bool = True) -> None:
        """Text whose line is ``px`` design units high, anchored (left/center/right) at x, middle at y."""
        node = self._labels.get(name)
        if node is None:
            text_node = TextNode(name)
            if self.font is not None:
                text_node.setFont(self.font)
            node = self.root.attachNewNode(text_node)
            self._labels[name] = node
        text_node = node.node()
        state = (text, align, shadow, tuple(colour))
        if self._label_state.get(name) != state:
            self._label_state[name] = state
            text_node.setText(text)
            text_node.setAlign({"left": TextNode.ALeft, "right": TextNode.ARight}.get(align, TextNode.ACenter))
            text_node.setTextColor(rgba(tuple(colour[:3]), colour[3] / 255 if len(colour) > 3 else 1.0))
            if shadow:
                text_node.setShadow(0.05, 0.05)
                text_node.setShadowColor(0, 0, 0, 1)
            else:
                text_node.clearShadow()
        scale = px * 0.78
        self._place(node, name, (x, 0, -(y + scale * 0.34)), (scale, scale, scale))
        self._bump(node, name)

    def rect(self, name: str, x: float, y: float, w: float, h: float, colour: Colour, alpha: float = 1.0) -> None:
        """A filled rectangle with its top-left corner at x, y."""
        node = self._rects.get(name)
        if node is None:
            node = self.root.attachNewNode(geo.rect2d(1.0, 1.0))
            self._rects[name] = node
        self._place(node, name, (x, 0, -y), (max(w, 1e-3), 1, max(h, 1e-3)))
        self._colour(node, name, colour, alpha)
        self._bump(node, name)

    def disc(self, name: str, x: float, y: float, radius: float, colour: Colour, alpha: float = 1.0) -> None:
        """A filled circle centred at x, y."""
        node = self._shapes.get(name)
        if node is None:
            node = self.root.attachNewNode(geo.disc2d(1.0, 40))
            self._shapes[name] = node
        self._place(node, name, (x, 0, -y), (max(radius, 1e-3), 1, max(radius, 1e-3)))
        self._colour(node, name, colour, alpha)
        self._bump(node, name)

    def line(self, name: str, x0: float, y0: float, x1: float, y1: float, width: float, colour: Colour) -> None:
        """A straight stroke ``width`` thick from (x0, y0) to (x1, y1)."""
        node = self._shapes.get(name)
        if node is None:
            node = self.root.attachNewNode(geo.bar2d())
            self._shapes[name] = node
        length = math.hypot(x1 - x0, y1 - y0)
        roll_deg = math.degrees(math.atan2(y1 - y0, x1 - x0))  # design y grows down, as a positive roll turns
        self._place(node, name, (x0, 0, -y0), (max(length, 1e-3), 1, max(width, 1e-3)), roll_deg)
        self._colour(node, name, colour, 1.0)
        self._bump(node, name)

    def frame(self, name: str, x: float, y: float, w: float, h: float, colour: Colour, width: float) -> None:
        """A rectangle's outline ``width`` thick."""
        self.rect(name + ".t", x, y, w, width, colour)
        self.rect(name + ".b", x, y + h - width, w, width, colour)
        self.rect(name + ".l", x, y, width, h, colour)
        self.rect(name + ".r", x + w - width, y, width, h, colour)

    def star(self, name: str, x: float, y: float, radius: float, filled: bool) -> None:
        """A five-pointed star: filled yellow, or a grey outline (not told by colour alone)."""
        key = f"{name}.{'on' if filled else 'off'}"
        other = f"{name}.{'off' if filled else 'on'}"
        if other in self._stars and other in self._shown:
            self._stars[other].hide()
            self._shown.discard(other)
        node = self._stars.get(key)
        if node is None:
            node = self.root.attachNewNode(geo.star2d(1.0, 0.45, 0.0 if filled else 0.16))
            node.setColor(rgba(palette.YELLOW if filled else (150, 150, 150)))
            self._stars[key] = node
        self._place(node, key, (x, 0, -y), (radius, radius, radius))
        self._bump(node, key)

    def stars_row(self, name: str, count: int, x: float, y: float, radius: float) -> None:
        """Three stars centred at x, the first ``count`` filled."""
        for i in range(3):
            self.star(f"{name}{i}", x + (i - 1) * radius * 2.4, y, radius, i < count)

    def text_width(self, text: str, px: float) -> float:
        """Design units a line of text takes at ``px`` (what the banner wraps by)."""
        if self._measure is None:
            self._measure = TextNode("measure")
            if self.font is not None:
                self._measure.setFont(self.font)
        return float(self._measure.calcWidth(text)) * px * 0.78

    def banner(self, text: str, colour: Colour) -> None:
        """The feedback banner across the upper middle; a long notice steps down in size and wraps inside it."""
        w = self.width * 0.62
        px, lines = 80.0, [text]
        for px in (80.0, 64.0, 56.0, 48.0):
            lines = wrap_words(text, w - 48, partial(self.text_width, px=px))
            if len(lines) <= (1 if px == 80 else 3) and all(self.text_width(line, px) <= w - 48 for line in lines):
                break
        line_h = px * 1.15
        h = max(120.0, len(lines) * line_h + 40)
        x, y = (self.width - w) / 2, DESIGN_H * 0.3 - 60
        self.rect("banner.bg", x, y, w, h, palette.BLACK, 0.92)
        self.frame("banner.frame", x, y, w, h, colour, 6)
        top = y + h / 2 - (len(lines) - 1) * line_h / 2
        for i, line in enumerate(lines):
            self.text(f"banner.text{i}", line, px, colour, self.width / 2, top + i * line_h)

    def shade(self, alpha: float) -> None:
        """Darken everything drawn before (and the 3D scene) behind what follows."""
        self.rect("shade", 0, 0, self.width, DESIGN_H, palette.BLACK, alpha)

    # -- screens ------------------------------------------------------------------------
    def play(self, snap: Snapshot, pause: PauseMenu | None, notice: str | None, hint: str = PAUSE_CORNER.label
             ) -> None:
        """The gameplay HUD: score, stars, trial count, timer, hold progress, phase words, and the corner's key
        ``hint`` (the frame's: ``Frame.corner``)."""
        self.begin()
        w, h = self.width, DESIGN_H
        theme = theme_for(snap.theme)
        self.rect("bar", 0, 0, w, 84, palette.BLACK, 0.85)
        self.text("title", snap.level_title, 40, palette.WHITE, 24, 28, "left")
        if snap.trials:
            label = f"{snap.challenge_title}  ·  {min(max(snap.trial, 1), snap.trials)} of {snap.trials}"
            self.text("challenge", label, 30, palette.SKY, 24, 62, "left")
        self.text("score", f"{snap.score}", 72, palette.YELLOW, w / 2, 42)
        self.stars_row("hudstar", snap.stars, w - 120, 42, 22)
        if snap.phase == "trial":  # on its own dark tile: a flower or a planet behind never blurs the seconds
            self.rect("timer.bg", w - 136, 98, 124, 52, palette.BLACK, 0.6)
            self.text("timer", f"{math.ceil(snap.phase_left_s)} s", 40, palette.WHITE, w - 24, 124, "right")
        label = PROGRESS_LABELS.get(snap.challenge_kind, "Hold")
        if snap.phase in ("trial", "home") and label:  # progress, also as a ring in the scene
            self.text("hold.label", label, 30, palette.WHITE, 24, 118, "left")
            x = 24 + max(72.0, self.text_width(label, 30) + 24)  # the bar starts after its word
            self.rect("hold.bg", x, 106, 260, 24, (40, 40, 40), 0.9)
            self.rect("hold.fill", x, 106, 260 * max(0.0, min(1.0, snap.progress)), 24, palette.YELLOW)
            self.frame("hold.frame", x, 106, 260, 24, palette.WHITE, 2)
        bottom = h - 60
        if snap.phase in ("intro", "trial", "home"):  # the instruction's own band: nothing in the scene covers it
            self.rect("band", 0, h - 104, w, 104, palette.BLACK, 0.8)
        words = pause is None  # under the pause menu its own keys go where the words were (as in 2D)
        if words:
            self.text("hint", hint, 26, GREY, w - 20, h - 22, "right")
        if snap.phase == "intro":
            if words:
                self.text("phase", snap.instruction, 56, palette.WHITE, w / 2, bottom)
            # the countdown beside the board, never over the marker in the middle
            self.rect("count.bg", w - 230, h * 0.5 - 95, 190, 190, palette.BLACK, 0.75)
            self.frame("count.frame", w - 230, h * 0.5 - 95, 190, 190, palette.YELLOW, 5)
            self.text("count", str(max(1, math.ceil(snap.phase_left_s))), 150, palette.YELLOW, w - 135, h * 0.5)
        elif snap.phase == "trial" and words:
            self.text("phase", snap.instruction, 48, palette.WHITE, w / 2, bottom)
        elif snap.phase == "home" and words:
            self.text("phase", "Come back to the middle", 52, palette.WHITE, w / 2, bottom)
        elif snap.phase == "feedback":
            self.banner(*feedback_banner(snap, theme))
        elif snap.phase == "rest":
            self.banner(f"Rest  {math.ceil(snap.phase_left_s)}", palette.SKY)
        elif snap.phase == "done":
            self.banner("Level complete!", palette.GREEN)
        if notice:
            self.banner(notice, palette.ORANGE)
        if pause is not None:
            self.pause(pause)

    def pause(self, menu: PauseMenu) -> None:
        """The pause menu over a darkened scene, with why it paused and any "are you sure?" (p3d_menus)."""
        from game.views import p3d_menus  # it draws on this class (imported here: it names Hud for its types)

        p3d_menus.pause(self, menu)

    def title(self, menu: TitleMenu) -> None:
        """The title screen: player and level columns."""
        self.begin()
        w, h = self.width, DESIGN_H
        self.shade(0.55)
        self.text("t.name", "Proprio", 130, palette.YELLOW, w / 2, h * 0.13)
        self.text("t.sub", "Balance games in 3D", 44, palette.SKY, w / 2, h * 0.24)
        columns = (
            ("Player", [*menu.players, NEW_PLAYER], menu.player_index, menu.focus == "player", w * 0.28),
            ("Level", [label for _, label in menu.levels], menu.level_index, menu.focus == "level", w * 0.70),
        )
        for c, (heading, rows, selected, focused, x) in enumerate(columns):
            self.text(f"t.h{c}", heading, 52, palette.WHITE if focused else (170, 170, 170), x, h * 0.35)
            start = max(0, min(selected - 3, len(rows) - 6))
            for slot, (i, row) in enumerate(list(enumerate(rows))[start:start + 6]):
                y = h * 0.45 + slot * 58
                label = row
                if heading == "Player" and row == NEW_PLAYER and menu.typing:
                    label = f"New: {menu.typed}_" if focused else f"New: {menu.typed}"
                if i == selected:
                    box_w = w * 0.36
                    self.frame(f"t.sel{c}", x - box_w / 2, y - 27, box_w, 54,
                               palette.YELLOW if focused else palette.SKY, 5)
                self.text(f"t.r{c}.{slot}", label, 42, palette.WHITE if i == selected else (185, 185, 185), x, y)
        if menu.message:
            self.text("t.msg", menu.message, 34, palette.ORANGE, w / 2, h * 0.86)
        self.text("t.hint", "Arrows: choose   Enter: play   Esc: quit", 32, (215, 215, 215), w / 2, h * 0.94)

    def results(self, results: ResultsView) -> None:
        """The results screen after a level."""
        self.begin()
        w, h = self.width, DESIGN_H
        self.shade(0.6)
        heading = f"Well done, {results.player}!" if results.status == "completed" else "Level ended early"
        self.text("r.head", heading, 76, palette.YELLOW, w / 2, h * 0.1)
        self.text("r.level", results.level_title, 44, palette.SKY, w / 2, h * 0.19)
        self.stars_row("r.star", results.stars, w / 2, h * 0.33, 52)
        self.text("r.score", f"Score {results.score}", 72, palette.WHITE, w / 2, h * 0.48)
        self.text("r.done", f"{results.successes} of {results.trials} done", 46, palette.WHITE, w / 2, h * 0.57)
        for i, line in enumerate(results.improvements[:3]):
            self.text(f"r.imp{i}", line, 40, palette.WHITE, w / 2, h * (0.67 + i * 0.07))
        hint = f"Enter: next level ({results.next_label})" if results.next_label else "Enter: back to the title"
        self.text("r.hint", hint, 34, (220, 220, 220), w / 2, h * 0.93)

    def message(self, title: str, lines: list[str]) -> None:
        """A plain message screen."""
        self.begin()
        w, h = self.width, DESIGN_H
        self.shade(0.7)
        self.text("m.title", title, 64, palette.ORANGE, w / 2, h * 0.2)
        for i, line in enumerate(lines[:8]):
            self.text(f"m.line{i}", line[:90], 30, palette.WHITE, w / 2, h * (0.35 + i * 0.07))


def load_font(path: Path | None) -> DynamicTextFont | None:
    """The HUD font (pygame's FreeSans Bold when found), or None for panda3d's built-in one.

    Made directly (not through the loader's pool) so each view sets up its own glyph pages.
    """
    if path is None:
        return None
    from panda3d.core import DynamicTextFont, Filename, SamplerState

    font = DynamicTextFont(Filename.fromOsSpecific(str(path)))
    if not font.isValid():
        return None
    font.setPixelsPerUnit(64)
    font.setMinfilter(SamplerState.FT_linear)  # no mipmaps to rebuild each time a glyph is added
    font.setMagfilter(SamplerState.FT_linear)
    return font
