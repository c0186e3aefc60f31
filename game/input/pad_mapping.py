"""Which evdev axis and button is which on a gamepad, from SDL's community mapping database.

Pads disagree on where their controls sit: an Xbox pad's right stick is ``ABS_RX``/``ABS_RY``,
many generic USB pads put it on ``ABS_Z``/``ABS_RZ`` (which an Xbox pad uses for its
triggers), and the face buttons come in any order. SDL_GameControllerDB
(github.com/mdqinc/SDL_GameControllerDB, zlib licence) is the maintained answer; a Linux
subset of its common families ships in ``assets/gamepads`` (``tools/make_gamepad_db.py``).

A mapping line is ``GUID,name,a:b0,b:b1,leftx:a0,dpup:h0.1,...,platform:Linux,``. On Linux the
GUID is built from the device's ``input_id``: bus type, 0 (a CRC of the name, never in the
database), vendor, 0, product, 0, version, 0, each little-endian 16 bits. ``bN``, ``aN`` and
``hN`` count the device's own buttons, axes and hats in SDL's order: buttons from
``BTN_JOYSTICK`` (0x120) up to ``KEY_MAX``, then those below ``BTN_JOYSTICK``; axes from
``ABS_X`` up, the hat axes (``ABS_HAT0X``..``ABS_HAT3Y``) left out; hats in pairs from
``ABS_HAT0X``, with bit 1 up, 2 right, 4 down, 8 left. A pad the database does not know gets
the kernel's gamepad conventions (``BTN_SOUTH`` confirms, ``ABS_X``/``ABS_Y`` is the left stick).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from game.paths import assets_dir

BTN_JOYSTICK, KEY_MAX = 0x120, 0x2FF
ABS_HAT0X, ABS_HAT3Y, ABS_MAX = 0x10, 0x17, 0x3F
HAT_BITS = {1: (1, -1), 2: (0, 1), 4: (1, 1), 8: (0, -1)}  # SDL hat bit: (0 = x / 1 = y axis, the sign pressed)
DATABASE_FILE = "gamecontrollerdb_linux.txt"

KEY_NAMES = {0x130: "BTN_SOUTH", 0x131: "BTN_EAST", 0x133: "BTN_NORTH", 0x134: "BTN_WEST", 0x136: "BTN_TL",
             0x137: "BTN_TR", 0x13A: "BTN_SELECT", 0x13B: "BTN_START", 0x13C: "BTN_MODE",
             0x220: "BTN_DPAD_UP", 0x221: "BTN_DPAD_DOWN", 0x222: "BTN_DPAD_LEFT", 0x223: "BTN_DPAD_RIGHT"}
ABS_NAMES = {0x00: "ABS_X", 0x01: "ABS_Y", 0x02: "ABS_Z", 0x03: "ABS_RX", 0x04: "ABS_RY", 0x05: "ABS_RZ",
             0x06: "ABS_THROTTLE", 0x07: "ABS_RUDDER", 0x08: "ABS_WHEEL", 0x09: "ABS_GAS", 0x0A: "ABS_BRAKE",
             0x10: "ABS_HAT0X", 0x11: "ABS_HAT0Y", 0x12: "ABS_HAT1X", 0x13: "ABS_HAT1Y"}


def code_name(kind: str, code: int) -> str:
    """A readable evdev code: ``BTN_SOUTH``, ``ABS_RZ`` (as ``inputs`` names it), or ``BTN_0x12c`` without a name."""
    names = KEY_NAMES if kind == "key" else ABS_NAMES
    if code in names:
        return names[code]
    try:
        import inputs

        table = dict(dict(inputs.EVENT_MAP)["Key" if kind == "key" else "Absolute"])
        return str(table[code])
    except (ImportError, KeyError):
        return f"{'BTN' if kind == 'key' else 'ABS'}_0x{code:x}"


def linux_guid(bustype: int, vendor: int, product: int, version: int) -> str:
    """SDL's joystick GUID for a Linux evdev device, as the database writes it (32 hex digits)."""
    words = (bustype, 0, vendor, 0, product, 0, version, 0) if vendor and product else None
    if words is None:
        raise ValueError("a device without vendor and product ids has a name-based GUID, not in the database")
    return "".join(f"{w & 0xFF:02x}{(w >> 8) & 0xFF:02x}" for w in words)


def _without_version(guid: str) -> str:
    return guid[:24] + "0000" + guid[28:]


@dataclass(frozen=True)
class Binding:
    """One SDL input: a button, an axis (optionally one half, optionally inverted) or a hat direction."""

    kind: str  # "button", "axis" or "hat"
    index: int  # the device's own count (bN, aN, hN)
    half: str = ""  # "+" or "-": only that half of the input axis
    invert: bool = False  # "~": the axis runs the other way
    hat_mask: int = 0  # for a hat: 1 up, 2 right, 4 down, 8 left

    @classmethod
    def parse(cls, text: str) -> Binding:
        """``b3``, ``a0``, ``a1~``, ``+a2``, ``-a5``, ``h0.4``."""
        half = text[0] if text[:1] in "+-" else ""
        body = text[1:] if half else text
        invert = body.endswith("~")
        body = body.rstrip("~")
        if body.startswith("h") and "." in body:
            hat, mask = body[1:].split(".", 1)
            return cls("hat", int(hat), hat_mask=int(mask))
        if body[:1] in ("a", "b") and body[1:].isdigit():
            return cls("axis" if body[0] == "a" else "button", int(body[1:]), half, invert)
        raise ValueError(f"not an SDL input: {text!r}")


@dataclass(frozen=True)
class SdlMapping:
    """One line of the database: its GUID, the pad's name, and each SDL control's input."""

    guid: str
    name: str
    bindings: dict[str, Binding]  # SDL control ("a", "leftx", "+leftx", "dpup", ...) -> input
    line: str  # the line itself (what `proprio devices` quotes)
    line_number: int

    @classmethod
    def parse(cls, line: str, line_number: int = 0) -> SdlMapping:
        """Parse ``GUID,name,control:input,...``; fields the game does not need (platform, crc) are kept out."""
        parts = [p for p in line.strip().split(",")]
        if len(parts) < 3 or len(parts[0]) != 32:
            raise ValueError(f"not an SDL mapping line: {line[:60]!r}")
        bindings = {}
        for part in parts[2:]:
            control, sep, value = part.partition(":")
            if not sep or control in ("platform", "crc", "hint", "sdk>=", "sdk<=") or not value:
                continue
            try:
                bindings[control] = Binding.parse(value)
            except ValueError:
                continue  # an input this game never reads
        return cls(parts[0].lower(), parts[1], bindings, line.strip(), line_number)


@dataclass(frozen=True)
class DeviceCodes:
    """A device's own buttons, axes and hats in SDL's order (what ``bN``, ``aN`` and ``hN`` count)."""

    buttons: tuple[int, ...]  # evdev key codes
    axes: tuple[int, ...]  # evdev absolute axis codes, hats left out
    hats: tuple[int, ...]  # the x code of each hat pair (ABS_HAT0X, ABS_HAT1X, ...)

    @classmethod
    def of(cls, keys: Iterable[int], abs_axes: Iterable[int]) -> DeviceCodes:
        """Number the device's capabilities as SDL's Linux joystick driver does."""
        keys, abs_axes = sorted(set(keys)), set(abs_axes)
        buttons = [k for k in keys if BTN_JOYSTICK <= k < KEY_MAX] + [k for k in keys if k < BTN_JOYSTICK]
        axes = [a for a in sorted(abs_axes) if a < ABS_MAX and not ABS_HAT0X <= a <= ABS_HAT3Y]
        hats = [x for x in range(ABS_HAT0X, ABS_HAT3Y + 1, 2) if x in abs_axes or x + 1 in abs_axes]
        return cls(tuple(buttons), tuple(axes), tuple(hats))


@dataclass(frozen=True)
class Input:
    """An SDL input made concrete: which evdev code, and how to read it."""

    kind: str  # "key" or "abs"
    code: int
    half: str = ""  # "+"/"-": only that half of the axis counts (a hat direction is a half of a hat axis)
    invert: bool = False

    def describe(self) -> str:
        """``BTN_SOUTH``, ``ABS_Z``, ``-ABS_HAT0Y``."""
        return f"{self.half}{code_name(self.kind, self.code)}{'~' if self.invert else ''}"


@dataclass(frozen=True)
class PadLayout:
    """Where a pad's controls are in evdev codes, and where that was learnt."""

    controls: dict[str, list[Input]] = field(default_factory=dict)  # "a", "leftx", "dpup", ... -> inputs
    source: str = "the kernel's gamepad conventions (BTN_SOUTH confirms, ABS_X/ABS_Y is the left stick)"
    mapping: SdlMapping | None = None

    def inputs(self, control: str) -> list[Input]:
        """The evdev inputs bound to an SDL control ("leftx" also gathers "+leftx" and "-leftx")."""
        return [*self.controls.get(control, []), *self.controls.get("+" + control, []),
                *self.controls.get("-" + control, [])]

    def describe(self) -> list[str]:
        """What `proprio devices` shows: the steering stick, the menu buttons, and the mapping's source."""
        def names(*controls: str) -> str:
            found = [i.describe() for c in controls for i in self.inputs(c)]
            return "/".join(found) if found else "none"

        return [f"steers with the left stick: {names('leftx', 'lefty')}; the d-pad: "
                f"{names('dpup', 'dpdown', 'dpleft', 'dpright')}",
                f"menus: confirm {names('a')}, back {names('b')}, pause {names('start')}",
                f"mapping: {self.source}"]


def resolve(mapping: SdlMapping, codes: DeviceCodes, source: str) -> PadLayout:
    """A database line applied to this device's capabilities (inputs it does not have are left out)."""
    controls: dict[str, list[Input]] = {}
    for control, binding in mapping.bindings.items():
        found = _concrete(binding, codes)
        if found is not None:
            controls.setdefault(control, []).append(found)
    return PadLayout(controls, source, mapping)


def _concrete(binding: Binding, codes: DeviceCodes) -> Input | None:
    if binding.kind == "button":
        return Input("key", codes.buttons[binding.index]) if binding.index < len(codes.buttons) else None
    if binding.kind == "axis":
        if binding.index >= len(codes.axes):
            return None
        return Input("abs", codes.axes[binding.index], binding.half, binding.invert)
    if binding.index >= len(codes.hats) or binding.hat_mask not in HAT_BITS:
        return None
    which, sign = HAT_BITS[binding.hat_mask]
    return Input("abs", codes.hats[binding.index] + which, "+" if sign > 0 else "-")


def default_layout(keys: Iterable[int], abs_axes: Iterable[int]) -> PadLayout:
    """The Linux gamepad conventions (Documentation/input/gamepad.rst) for a pad the database lacks."""
    keys, abs_axes = set(keys), set(abs_axes)
    controls: dict[str, list[Input]] = {}

    def key(control: str, *candidates: int) -> None:
        for code in candidates:
            if code in keys:
                controls[control] = [Input("key", code)]
                return

    def axis(control: str, code: int, half: str = "") -> None:
        if code in abs_axes:
            controls.setdefault(control, []).append(Input("abs", code, half))

    # With no BTN_SOUTH (a hid-generic pad numbering its buttons from BTN_TRIGGER), the first two
    # buttons confirm and go back, and BTN_BASE4 (its tenth, usually marked "start") pauses.
    key("a", 0x130, 0x120)
    key("b", 0x131, 0x121)
    key("start", 0x13B, 0x129)
    axis("leftx", 0x00)
    axis("lefty", 0x01)
    if {0x03, 0x04} <= abs_axes:
        axis("rightx", 0x03)
        axis("righty", 0x04)
    elif {0x02, 0x05} <= abs_axes:
        axis("rightx", 0x02)
        axis("righty", 0x05)
    for control, hat, half, button in (("dpup", 0x11, "-", 0x220), ("dpdown", 0x11, "+", 0x221),
                                       ("dpleft", 0x10, "-", 0x222), ("dpright", 0x10, "+", 0x223)):
        axis(control, hat, half)
        if button in keys:
            controls.setdefault(control, []).append(Input("key", button))
    return PadLayout(controls)


def load_database(path: Path | None = None) -> dict[str, SdlMapping]:
    """GUID -> mapping from the shipped Linux subset (the last line for a GUID wins, as in SDL)."""
    path = path or assets_dir() / "gamepads" / DATABASE_FILE
    return _load(str(path))


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, SdlMapping]:
    mappings: dict[str, SdlMapping] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return mappings
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#") or "platform:Linux" not in line:
            continue
        try:
            mapping = SdlMapping.parse(line, number)
        except ValueError:
            continue
        mappings[mapping.guid] = mapping
    return mappings


def layout_for(bustype: int, vendor: int, product: int, version: int, keys: Iterable[int],
               abs_axes: Iterable[int], database: dict[str, SdlMapping] | None = None) -> PadLayout:
    """The pad's layout: its database line (exact GUID, then with the version ignored, as SDL does), else defaults."""
    keys, abs_axes = list(keys), list(abs_axes)
    db = load_database() if database is None else database
    try:
        guid = linux_guid(bustype, vendor, product, version)
    except ValueError:
        return default_layout(keys, abs_axes)
    codes = DeviceCodes.of(keys, abs_axes)
    mapping = db.get(guid)
    if mapping is None:
        loose = _without_version(guid)
        candidates = [m for g, m in db.items() if _without_version(g) == loose]
        # Lines for other firmware or driver versions: prefer one whose "a" is the kernel's BTN_SOUTH
        # (both mean the bottom face button), then the nearest version.
        mapping = min(candidates, default=None,
                      key=lambda m: (not _south_is_a(m, codes), _version_gap(m.guid, version)))
    if mapping is None:
        return default_layout(keys, abs_axes)
    source = f"SDL_GameControllerDB ({DATABASE_FILE} line {mapping.line_number}): {mapping.line}"
    layout = resolve(mapping, codes, source)
    if not layout.inputs("leftx"):  # a d-pad-only pad (or a line for another firmware): keep the stick usable
        fallback = default_layout(keys, abs_axes)
        layout.controls.update({c: fallback.controls[c] for c in ("leftx", "lefty") if c in fallback.controls})
    return layout


def _south_is_a(mapping: SdlMapping, codes: DeviceCodes) -> bool:
    found = mapping.bindings.get("a")
    if found is None or 0x130 not in codes.buttons:
        return 0x130 not in codes.buttons
    concrete = _concrete(found, codes)
    return concrete is not None and concrete.code == 0x130


def _version_gap(guid: str, version: int) -> int:
    """How far a line's version (bytes 12-13 of the GUID, little-endian) is from the device's."""
    return abs(int(guid[26:28] + guid[24:26], 16) - version)
