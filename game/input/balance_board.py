"""The Wii Balance Board on Linux: four load cells to a centre of pressure in mm, at the board's own rate.

The kernel's hid-wiimote driver turns a paired board into an evdev device named
"Nintendo Wii Remote Balance Board" whose four absolute axes are the corner loads, already
corrected with the board's factory calibration, in hundredths of a kilogram:
ABS_HAT0X top right, ABS_HAT0Y bottom right, ABS_HAT1X top left, ABS_HAT1Y bottom left.
"Top" is the side away from the player (their toes), so forward is positive. The sensors sit
at the corners of a 433 x 238 mm rectangle (ML x AP), which gives the centre of pressure

    cop_ml_mm = 433/2 * ((TR + BR) - (TL + BL)) / total
    cop_ap_mm = 238/2 * ((TL + TR) - (BL + BR)) / total

The board sends a frame whenever a load changes (about 60-100 Hz, irregular); each frame is
one reading at the board's own time, neither interpolated nor repeated, so the recorder keeps
the board's own samples and the input rate is the board's. The game steps on the newest.
With less than a child's weight on it the board counts as empty: the game pauses ("step on
the board") and the board re-zeroes itself after a second of emptiness.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from game.errors import DeviceError
from game.input.device import DeviceStatus, DropReason
from game.input.evdev import EvdevSource, event_nodes
from game.input.pose import Reading

BOARD_NAME = "Nintendo Wii Remote Balance Board"
SENSOR_SPACING_MM = (433.0, 238.0)  # ML, AP distance between the load cells' centres
CELLS = {"ABS_HAT0X": 0, "ABS_HAT0Y": 1, "ABS_HAT1X": 2, "ABS_HAT1Y": 3}  # TR, BR, TL, BL
KG_PER_UNIT = 0.01
PRESENT_KG = 10.0  # more than this on the board: somebody is standing on it
ABSENT_KG = 6.0  # less than this: the board is empty (the gap avoids flicker)
CELL_RANGE_KG = (-5.0, 160.0)  # one corner outside this is a broken frame
TARE_AFTER_S = 1.0  # empty this long: re-zero the cells
TARE_LIMIT_KG = 5.0  # a larger offset is not drift: leave the factory zero alone


def centre_of_pressure(loads_kg: tuple[float, float, float, float]) -> tuple[float, float, float]:
    """(cop_ml_mm, cop_ap_mm, total_kg) from (top right, bottom right, top left, bottom left)."""
    tr, br, tl, bl = loads_kg
    total = tr + br + tl + bl
    if total <= 0:
        return 0.0, 0.0, total
    half_ml, half_ap = SENSOR_SPACING_MM[0] / 2.0, SENSOR_SPACING_MM[1] / 2.0
    return half_ml * ((tr + br) - (tl + bl)) / total, half_ap * ((tl + tr) - (bl + br)) / total, total


@dataclass
class BoardState:
    """Corner loads as last reported, the tare, and whether somebody stands on the board (pure)."""

    loads: list[float]
    tare: list[float]
    present: bool = False
    empty_since: float | None = None
    _empty_sum: list[float] | None = None
    _empty_n: int = 0

    @classmethod
    def fresh(cls) -> BoardState:
        return cls([0.0] * 4, [0.0] * 4)

    def feed(self, code: str, value: int) -> None:
        """One corner's new load (in the driver's 10 g units)."""
        if code in CELLS:
            self.loads[CELLS[code]] = value * KG_PER_UNIT

    def frame(self, t_s: float) -> tuple[float, float, float] | DropReason:
        """At a SYN_REPORT: (cop_ml_mm, cop_ap_mm, total_kg), or why the frame is refused."""
        low, high = CELL_RANGE_KG
        if not all(low <= load <= high for load in self.loads):
            return "out_of_range"
        tr, br, tl, bl = (load - tare for load, tare in zip(self.loads, self.tare, strict=True))
        ml, ap, total = centre_of_pressure((tr, br, tl, bl))
        if abs(ml) > SENSOR_SPACING_MM[0] / 2 + 5.0 or abs(ap) > SENSOR_SPACING_MM[1] / 2 + 5.0:
            if total > ABSENT_KG:  # a pressure centre off the board: a broken frame, not a lean
                return "out_of_range"
        if total > PRESENT_KG:
            self.present = True
        elif total < ABSENT_KG:
            self.present = False
        self._track_empty(t_s, total)
        return ml, ap, total

    def _track_empty(self, t_s: float, total: float) -> None:
        if total >= ABSENT_KG:
            self.empty_since, self._empty_sum, self._empty_n = None, None, 0
            return
        if self.empty_since is None or self._empty_sum is None:
            self.empty_since, self._empty_sum, self._empty_n = t_s, [0.0] * 4, 0
        self._empty_sum = [s + v for s, v in zip(self._empty_sum, self.loads, strict=True)]
        self._empty_n += 1
        if t_s - self.empty_since >= TARE_AFTER_S:
            mean = [s / self._empty_n for s in self._empty_sum]
            if all(abs(m) <= TARE_LIMIT_KG for m in mean):
                self.tare = mean
            self.empty_since, self._empty_sum, self._empty_n = t_s, [0.0] * 4, 0


def find_balance_boards() -> list[Any]:
    """Balance boards the kernel knows now, as ``inputs`` devices (a fresh look each call)."""
    import inputs

    boards = []
    for node, name in event_nodes():
        if "Balance Board" in name:
            path = "/dev/input/by-id/bluetooth-" + BOARD_NAME.replace(" ", "_") + "-event-joystick"
            try:
                boards.append(inputs.OtherDevice(inputs.devices, path, char_path_override=node))
            except (OSError, RuntimeError):
                continue
    return boards


class BalanceBoardSource(EvdevSource):
    """Centre of pressure (mm) from a Wii Balance Board; stepping off pauses the game."""

    check_hint = "check its batteries and Bluetooth"

    device_kind = "balance-board"
    raw_unit = "mm"
    what = "balance board"

    def __init__(self, *, finder: Callable[[], list[Any]] = find_balance_boards, **kwargs: Any) -> None:
        kwargs.setdefault("stale_s", 1.0)
        super().__init__("the balance board", finder, **kwargs)
        self.name = "balance-board"

    def _missing(self) -> DeviceError:
        return DeviceError(
            "no Wii Balance Board found",
            remedy="Pair it first: press the red sync button under the battery cover, then in `bluetoothctl` "
                   "run `scan on`, `pair ADDRESS`, `connect ADDRESS` (the kernel's hid-wiimote driver does the rest); "
                   "`proprio devices` shows it once connected.")

    def _prepare(self, device: Any) -> None:
        self.board = BoardState.fresh()
        self.device_id = "balance-board:" + str(getattr(device, "get_char_name", lambda: "board")())

    def _handle(self, event: Any) -> None:
        if event.ev_type == "Absolute":
            self.board.feed(event.code, event.state)
            return
        if event.ev_type != "Sync" or event.code != "SYN_REPORT":
            return
        t_s = float(event.timestamp)
        frame = self.board.frame(t_s)
        if isinstance(frame, str):
            self._drop(frame)
            return
        ml, ap, _ = frame
        if not self.board.present:
            return
        if not (math.isfinite(ml) and math.isfinite(ap)) or not self._admit(t_s):
            return
        self._push(Reading(t_s, ml, ap))  # one reading per frame, at the board's own time

    def status(self) -> DeviceStatus:
        """Not ready while nobody stands on the board (or it is away)."""
        if self._problem is not None:
            return self._problem
        if not self.board.present:
            return DeviceStatus(False, "Step on the board to play", "empty")
        return super().status()
