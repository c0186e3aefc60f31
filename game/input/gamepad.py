"""Gamepads through ``inputs``: the left stick (and the d-pad) steer, the buttons drive the menus.

``inputs``' ``read()`` blocks until the pad sends an event (zeth/inputs issue 7), so a reader
thread owns the pad. Which evdev axis is the left stick and which button is "A" comes from
the pad's line in SDL's community mapping database (``pad_mapping``), else from the kernel's
gamepad conventions, so a generic pad whose right stick is ``ABS_Z``/``ABS_RZ`` no longer
steers as if it were a trigger. The left stick steers, with a radial dead zone (rescaled so the edge of the dead zone
is 0). The stick is position control: its deflection is the lean, and its spring brings it
back to the middle when let go; that wins nothing, since the level's wind acts in the game's
core whatever the device (docs/devices.md says why position and not rate control). The d-pad
moves a virtual board at a rate like the arrow keys (``game.input.keyboard.rate_step``): it
stays where it is let go, and the stick's lean is added to it.
The south button (A on an Xbox pad, cross on a PlayStation pad) confirms, the east one goes
back, start pauses, and the d-pad or the stick pushed past 0.7 moves through a menu, one step
per push. A pad that is pulled out pauses the game; the same or another pad resumes it.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.actions import Action, UiAction
from game.errors import DeviceError
from game.input.device import DeviceStatus
from game.input.evdev import SYSTEM_ROOT, EvdevNode, EvdevSource, abs_range, find_gamepads, read_node
from game.input.keyboard import into_field, rate_step
from game.input.pad_mapping import Input, PadLayout, default_layout, layout_for
from game.input.pose import Pose, Reading

DEAD_ZONE = 0.15  # fraction of full throw ignored around the rest position
MENU_PRESS = 0.7  # a stick pushed this far (or a button) is one menu step ...
MENU_RELEASE = 0.4  # ... and must come back under this before the next one (hysteresis)
MENU_ACTIONS: dict[Action, tuple[str, ...]] = {"confirm": ("a",), "back": ("b",), "pause": ("start",)}
MENU_DIRECTIONS: dict[Action, tuple[str, str, int]] = {"up": ("dpup", "lefty", -1), "down": ("dpdown", "lefty", 1),
                   "left": ("dpleft", "leftx", -1), "right": ("dpright", "leftx", 1)}
ACTIONS_KEPT = 64  # menu actions held between two ui_actions() calls
ABS_CODES = {"ABS_X": 0x00, "ABS_Y": 0x01, "ABS_Z": 0x02, "ABS_RX": 0x03, "ABS_RY": 0x04, "ABS_RZ": 0x05,
             "ABS_GAS": 0x09, "ABS_BRAKE": 0x0a, "ABS_HAT0X": 0x10, "ABS_HAT0Y": 0x11}
# What an axis spans when the kernel cannot be asked (the xpad driver's ranges); other axes: a stick's.
DEFAULT_RANGES = {
    "ABS_X": (-32768, 32767), "ABS_Y": (-32768, 32767), "ABS_RX": (-32768, 32767), "ABS_RY": (-32768, 32767),
    "ABS_Z": (0, 255), "ABS_RZ": (0, 255), "ABS_GAS": (0, 1023), "ABS_BRAKE": (0, 1023),
    "ABS_HAT0X": (-1, 1), "ABS_HAT0Y": (-1, 1), "ABS_HAT1X": (-1, 1), "ABS_HAT1Y": (-1, 1),
}
STICK_RANGE = (-32768, 32767)
# An Xbox 360 pad's capabilities (xpad): assumed when sysfs cannot describe the device.
XPAD_KEYS = (0x130, 0x131, 0x133, 0x134, 0x136, 0x137, 0x13A, 0x13B, 0x13C, 0x13D, 0x13E)
XPAD_AXES = (0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11)


@functools.cache
def _code_numbers() -> dict[str, int]:
    """evdev code name (as ``inputs`` spells it) -> number, for keys and absolute axes."""
    import inputs

    numbers: dict[str, int] = {}
    for kind, table in inputs.EVENT_MAP:
        if kind in ("Key", "Absolute"):
            numbers.update({name: number for number, name in dict(table).items()})
    return numbers


def code_number(code: str | int) -> int | None:
    """``"ABS_RZ"`` -> 5, ``"BTN_SOUTH"`` -> 0x130 (numbers pass through; unknown names give None)."""
    return code if isinstance(code, int) else _code_numbers().get(code)


def radial_dead_zone(x: float, y: float, dead_zone: float) -> tuple[float, float]:
    """Zero inside the dead zone; outside it, rescaled so the throw still reaches 1."""
    magnitude = math.hypot(x, y)
    if magnitude <= dead_zone:
        return 0.0, 0.0
    scale = min(1.0, (magnitude - dead_zone) / (1.0 - dead_zone)) / magnitude
    return x * scale, y * scale


class StickState:
    """The pad's axes and buttons as last reported, the (x, y) they steer and the menu steps (pure, no device)."""

    def __init__(self, ranges: dict[str, tuple[int, int]] | dict[int, tuple[int, int]] | None = None,
                 dead_zone: float = DEAD_ZONE,
                 layout: PadLayout | None = None, stick: str = "left") -> None:
        self.ranges: dict[int, tuple[int, int]] = {}
        spans: list[tuple[str | int, tuple[int, int]]] = [*DEFAULT_RANGES.items(), *(ranges or {}).items()]
        for name, span in spans:
            number = code_number(name)
            if number is not None:
                self.ranges[number] = span
        self.dead_zone = dead_zone
        self.layout = layout or default_layout(XPAD_KEYS, XPAD_AXES)
        self.stick = stick  # "left" (the default) or "right": which stick steers
        self.values: dict[int, int] = {}  # absolute axis code -> value
        self.pressed: set[int] = set()  # key codes held down
        self._held: set[Action] = set()  # menu actions whose control is still pushed

    def feed(self, code: str | int, value: int) -> None:
        """Remember an axis value or a button state (``ABS_*`` / ``BTN_*`` names as ``inputs`` gives them)."""
        number = code_number(code)
        if number is None:
            return
        if isinstance(code, str) and not code.startswith("ABS_"):
            if value:
                self.pressed.add(number)
            else:
                self.pressed.discard(number)
        else:
            self.values[number] = value

    def _unit(self, code: int) -> float:
        """An axis in [-1, 1] (0 at the middle of its range)."""
        if code not in self.values:
            return 0.0
        low, high = self.ranges.get(code, STICK_RANGE)
        if high <= low:
            return 0.0
        return max(-1.0, min(1.0, 2.0 * (self.values[code] - low) / (high - low) - 1.0))

    def level(self, control: Input) -> float:
        """How far one input is pushed, 0..1 (a full axis: -1..1)."""
        if control.kind == "key":
            return 1.0 if control.code in self.pressed else 0.0
        value = self._unit(control.code)
        value = -value if control.invert else value
        if control.half == "+":
            return max(0.0, value)
        if control.half == "-":
            return max(0.0, -value)
        return value

    def axis(self, control: str) -> float:
        """An SDL stick axis (leftx, lefty, ...) in [-1, 1], from every input bound to it."""
        total = 0.0
        for bound in self.layout.controls.get(control, []):
            level = self.level(bound)
            total += 2.0 * level - 1.0 if bound.half else level  # a half input spans the whole output
        total += sum(self.level(b) for b in self.layout.controls.get("+" + control, []))
        total -= sum(self.level(b) for b in self.layout.controls.get("-" + control, []))
        return max(-1.0, min(1.0, total))

    def button(self, control: str) -> float:
        """An SDL button or d-pad direction, 0..1 (the strongest of its inputs)."""
        return max((abs(self.level(b)) for b in self.layout.inputs(control)), default=0.0)

    def vector(self) -> tuple[float, float]:
        """The stick's lean (x right, y forward), after the dead zone: the position the stick steers to."""
        # SDL's (and evdev's) y grows downward (stick pulled back); forward is positive here.
        return radial_dead_zone(self.axis(self.stick + "x"), -self.axis(self.stick + "y"), self.dead_zone)

    def dpad(self) -> tuple[float, float]:
        """The d-pad's direction (x right, y forward), each -1..1: where it moves the board while held."""
        return (self.button("dpright") - self.button("dpleft"), self.button("dpup") - self.button("dpdown"))

    def menu_steps(self) -> list[Action]:
        """Menu actions newly pushed since the last call (one per push: released under 0.4 before the next)."""
        levels: dict[Action, float] = {action: max(self.button(c) for c in controls)
                                       for action, controls in MENU_ACTIONS.items()}
        for action, (dpad, axis, sign) in MENU_DIRECTIONS.items():
            levels[action] = max(self.button(dpad), max(0.0, sign * self.axis(axis)))
        steps: list[Action] = []
        for action, level in levels.items():
            if action not in self._held and level >= MENU_PRESS:
                self._held.add(action)
                steps.append(action)
            elif action in self._held and level <= MENU_RELEASE:
                self._held.discard(action)
        return steps


class GamepadSource(EvdevSource):
    """The first gamepad found; event-driven (a pad at rest sends nothing), so never 'stale'."""

    check_hint = "check its cable or battery"

    device_kind = "gamepad"
    raw_unit = "stick"
    what = "gamepad"

    def __init__(self, *, finder: Callable[[], list[Any]] | None = None, dead_zone: float = DEAD_ZONE,
                 stick: str = "left", root: Path = SYSTEM_ROOT, **kwargs: Any) -> None:
        if stick not in ("left", "right"):
            raise ValueError(f"stick must be 'left' or 'right', not {stick!r}")
        self.dead_zone, self.stick, self.root = dead_zone, stick, root
        self._actions: deque[Action] = deque(maxlen=ACTIONS_KEPT)
        self.node: EvdevNode | None = None
        self.state = StickState(dead_zone=dead_zone, stick=stick)  # replaced by the pad's own when one attaches
        self._board = (0.0, 0.0, 0.0)  # the d-pad's virtual board: x, y and how long it has been held
        self._board_t: float | None = None
        super().__init__("the gamepad", finder or functools.partial(find_gamepads, root), **kwargs)
        self.name = "gamepad"

    def _missing(self) -> DeviceError:
        return DeviceError("no gamepad found",
                           remedy="Plug one in (USB, or paired over Bluetooth) and try again; "
                                  "`proprio devices` lists what is found.")

    def _prepare(self, device: Any) -> None:
        node = getattr(device, "evdev_node", None)
        if node is None and hasattr(device, "get_char_name"):
            node = read_node(device.get_char_name(), self.root)
        self.node = node
        if node is not None and node.keys and node.axes:
            layout = layout_for(node.bustype, node.vendor, node.product, node.version, node.keys, node.axes)
        else:  # sysfs cannot describe it: an Xbox-like pad, the kernel's conventions
            layout = default_layout(XPAD_KEYS, XPAD_AXES)
        ranges: dict[int, tuple[int, int]] = {}
        axes = {i.code for bound in layout.controls.values() for i in bound if i.kind == "abs"}
        for code in axes | set(ABS_CODES.values()):
            found = abs_range(device, code)  # from the kernel (EVIOCGABS); the defaults otherwise
            if found is not None:
                ranges[code] = found[:2]
        self.state = StickState(ranges, self.dead_zone, layout, self.stick)
        self.device_id = f"gamepad:{getattr(device, 'name', 'unknown')}"

    @property
    def layout(self) -> PadLayout:
        """The pad's controls as mapped now (what `proprio devices` describes)."""
        return self.state.layout

    def _handle(self, event: Any) -> None:
        if event.ev_type in ("Absolute", "Key"):
            self.state.feed(event.code, event.state)
        elif event.ev_type == "Sync" and event.code == "SYN_REPORT":
            self._actions.extend(self.state.menu_steps())
            if self._admit(float(event.timestamp)):
                x, y = self.state.vector()
                self._push(Reading(float(event.timestamp), x, y))

    def poll(self, t_s: float) -> Pose:
        """The stick's lean (through the calibration) plus the d-pad's board, kept on the playing field."""
        if self._board_t is not None and t_s < self._board_t:  # time starts again: a new level or screen
            self._board = (0.0, 0.0, 0.0)
        dt = 0.0 if self._board_t is None else min(0.25, max(0.0, t_s - self._board_t))
        self._board_t = t_s
        gx, gy = self.state.dpad()
        self._board = rate_step(*self._board, gx, gy, dt)
        pose = super().poll(t_s)
        bx, by, _ = self._board
        if bx == 0.0 and by == 0.0:
            return pose
        x, y = into_field(pose.x + bx, pose.y + by)
        return Pose(pose.t_s, x, y, pose.raw_x, pose.raw_y, pose.raw_unit)

    def recentre(self) -> bool:
        """Re-zero the stick on its current reading, and bring the d-pad's board back to level."""
        self._board = (0.0, 0.0, 0.0)
        return super().recentre()

    def ui_actions(self) -> list[UiAction]:
        """Menu actions from the pad since the last call: confirm, back, pause, up, down, left, right."""
        taken: list[UiAction] = []
        while True:
            try:
                taken.append(self._actions.popleft())
            except IndexError:
                return taken

    def status(self) -> DeviceStatus:
        """Ready while a pad is plugged in (silence just means nobody is touching it)."""
        return self._problem if self._problem is not None else DeviceStatus(True)

