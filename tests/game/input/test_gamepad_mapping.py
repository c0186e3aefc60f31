"""Gamepads as players own them: SDL mapping lines, any pad under /dev/input, the left stick, menu buttons.

Each pad is a fake sysfs folder (name, ids, capability masks as the kernel writes them) and a
FIFO event node under tmp_path; real ``struct input_event`` bytes go through ``inputs``.
"""

from __future__ import annotations

import pytest

from game.input.discovery import _gamepads
from game.input.evdev import find_gamepads, parse_bitmask, scan_nodes
from game.input.gamepad import GamepadSource
from game.input.keyboard import travel
from game.input.pad_mapping import (
    Binding,
    DeviceCodes,
    SdlMapping,
    default_layout,
    layout_for,
    linux_guid,
    load_database,
)
from tests.game.input.evdev_files import FakeInputTree, bitmask, frame, key
from tests.game.input.support import wait_until

X, Y, Z, RX, RY, RZ, HAT0X, HAT0Y = 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11
SOUTH, EAST, NORTH, WEST, TL, TR, TL2, TR2, SELECT, START, MODE, THUMBL, THUMBR = (
    0x130, 0x131, 0x133, 0x134, 0x136, 0x137, 0x138, 0x139, 0x13A, 0x13B, 0x13C, 0x13D, 0x13E)
STICKS_AND_TRIGGERS = (X, Y, Z, RX, RY, RZ, HAT0X, HAT0Y)
XBOX_360 = ("Microsoft X-Box 360 pad", (0x03, 0x045E, 0x028E, 0x0114),
            (SOUTH, EAST, NORTH, WEST, TL, TR, SELECT, START, MODE, THUMBL, THUMBR), STICKS_AND_TRIGGERS)
DUALSHOCK_4 = ("Sony Interactive Entertainment Wireless Controller", (0x05, 0x054C, 0x09CC, 0x8111),
               (SOUTH, EAST, NORTH, WEST, TL, TR, TL2, TR2, SELECT, START, MODE, THUMBL, THUMBR), STICKS_AND_TRIGGERS)
# hid-generic: twelve buttons from BTN_TRIGGER, the right stick on ABS_Z/ABS_RZ (0-255, centre 128).
GENERIC_BUTTONS = tuple(range(0x120, 0x12C))
GENERIC = ("Generic   USB  Joystick", (0x03, 0x1234, 0x5678, 0x0111), GENERIC_BUTTONS, (X, Y, Z, RZ, HAT0X, HAT0Y))
DRAGONRISE = ("DragonRise Inc.   Generic   USB  Joystick", (0x03, 0x0079, 0x0006, 0x0107), GENERIC_BUTTONS,
              (X, Y, Z, RX, RY, HAT0X, HAT0Y))


@pytest.fixture
def tree(tmp_path):
    """A fake input tree, and the sources opened on it (closed before the nodes go)."""
    made = FakeInputTree(tmp_path)
    sources: list[GamepadSource] = []

    def open_source(**kwargs) -> GamepadSource:
        sources.append(GamepadSource(root=tmp_path, **kwargs))
        return sources[-1]

    made.open_source = open_source
    yield made
    for source in sources:
        source.close()
    made.close()


def test_sdl_linux_guid_is_bus_vendor_product_version_little_endian():
    # The Xbox 360 pad's line in the database: 030000005e0400008e02000014010000
    assert linux_guid(0x03, 0x045E, 0x028E, 0x0114) == "030000005e0400008e02000014010000"
    assert linux_guid(0x05, 0x054C, 0x09CC, 0x8111) == "050000004c050000cc09000011810000"


def test_a_mapping_line_parses_buttons_axes_halves_inversions_and_hats():
    line = "030000005e0400008e02000014010000,Pad,a:b0,leftx:a0,lefty:a1~,+rightx:-a3,dpup:h0.1,platform:Linux,"
    mapping = SdlMapping.parse(line, 7)
    assert mapping.name == "Pad" and mapping.line_number == 7
    assert mapping.bindings["a"] == Binding("button", 0)
    assert mapping.bindings["lefty"] == Binding("axis", 1, invert=True)
    assert mapping.bindings["+rightx"] == Binding("axis", 3, half="-")
    assert mapping.bindings["dpup"] == Binding("hat", 0, hat_mask=1)
    assert "platform" not in mapping.bindings


def test_sdl_counts_buttons_from_btn_joystick_then_below_and_leaves_hats_out_of_the_axes():
    codes = DeviceCodes.of(keys=[0x110, SOUTH, 0x120], abs_axes=[X, Y, HAT0X, HAT0Y, RZ, 0x12])
    assert codes.buttons == (0x120, SOUTH, 0x110)
    assert codes.axes == (X, Y, RZ)
    assert codes.hats == (HAT0X, 0x12)


def test_sysfs_capability_masks_are_read_word_by_word():
    assert parse_bitmask(bitmask([X, Y, RZ, HAT0X])) == {X, Y, RZ, HAT0X}
    assert parse_bitmask(bitmask([SOUTH, 0x2C0, 30])) == {SOUTH, 0x2C0, 30}
    assert parse_bitmask("") == frozenset()


def test_the_shipped_database_knows_the_common_families_and_notes_its_source():
    db = load_database()
    names = " ".join(m.name for m in db.values())
    for family in ("Xbox", "PS4", "PS5", "Switch Pro", "8BitDo", "USB Gamepad"):
        assert family in names
    assert linux_guid(0x03, 0x045E, 0x028E, 0x0114) in db
    layout = layout_for(*XBOX_360[1], XBOX_360[2], XBOX_360[3])
    assert layout.mapping is not None and "line" in layout.source and "030000005e0400008e02" in layout.source


def test_a_pad_with_a_newer_firmware_version_matches_its_line_with_the_version_ignored():
    layout = layout_for(0x03, 0x045E, 0x028E, 0x7777, XBOX_360[2], XBOX_360[3])
    assert layout.mapping is not None and "Xbox" in layout.mapping.name


def _push(tree, node, source, data: bytes, count: int) -> None:
    tree.write(node, data)
    assert wait_until(lambda: source.stats().accepted >= count)


@pytest.mark.parametrize("pad", [XBOX_360, DUALSHOCK_4, DRAGONRISE], ids=["xbox-360", "dualshock-4", "dragonrise"])
def test_the_left_stick_steers_and_the_right_stick_does_not_on_database_pads(tree, pad):
    name, ids, keys, axes = pad
    node = tree.add(3, name, ids, keys, axes)
    source = tree.open_source()
    assert source.layout.mapping is not None  # each of these is in the shipped database
    right_x = RX
    _push(tree, node, source, frame(1.0, {right_x: 32767}), 1)
    assert source.poll(0.0).x == 0.0
    _push(tree, node, source, frame(1.01, {right_x: 0, X: 32767}), 2)
    pose = source.poll(0.0)
    assert pose.x == pytest.approx(1.0) and pose.y == pytest.approx(0.0, abs=1e-4)
    _push(tree, node, source, frame(1.02, {X: 0, Y: -32768}), 3)  # pushed away from the player
    assert source.poll(0.0).y == pytest.approx(1.0)


def test_a_generic_pad_whose_right_stick_is_z_and_rz_no_longer_steers_left(tree):
    name, ids, keys, axes = GENERIC
    node = tree.add(0, name, ids, keys, axes)
    source = tree.open_source()
    assert source.layout.mapping is None  # not in the database: the kernel's conventions
    _push(tree, node, source, frame(2.0, {X: 0, Y: 0, Z: 128, RZ: 128}), 1)  # at rest
    _push(tree, node, source, frame(2.01, {Z: 255}), 2)  # the RIGHT stick pushed right
    assert source.poll(0.0).x == 0.0  # was -0.59: Z read as the left trigger
    _push(tree, node, source, frame(2.02, {Z: 128, X: 32767}), 3)  # the LEFT stick pushed right
    assert source.poll(0.0).x == pytest.approx(1.0)
    _push(tree, node, source, frame(2.03, {X: 0, HAT0X: -1}), 4)  # the d-pad steers too (at a rate, like the keys)
    assert [source.poll(i / 120) for i in range(61)][-1].x == pytest.approx(-travel(0.5))  # held for 0.5 s of play


def test_the_right_stick_can_be_chosen_and_then_uses_the_mapped_axes(tree):
    name, ids, keys, axes = GENERIC
    node = tree.add(0, name, ids, keys, axes)
    source = tree.open_source(stick="right")
    _push(tree, node, source, frame(2.0, {Z: 255, RZ: 128}), 1)
    assert source.poll(0.0).x == pytest.approx(1.0, abs=0.01)


def test_buttons_drive_the_menus_one_action_per_press(tree):
    name, ids, keys, axes = XBOX_360
    node = tree.add(1, name, ids, keys, axes)
    source = tree.open_source()
    _push(tree, node, source, key(3.0, SOUTH, 1) + key(3.05, SOUTH, 0), 2)
    _push(tree, node, source, key(3.1, EAST, 1) + key(3.15, EAST, 0), 4)
    _push(tree, node, source, key(3.2, START, 1) + key(3.25, START, 0) + key(3.3, NORTH, 1), 7)
    assert source.ui_actions() == ["confirm", "back", "pause"]  # NORTH means nothing in a menu
    assert source.ui_actions() == []  # taken once
    _push(tree, node, source, frame(3.4, {HAT0Y: -1}) + frame(3.45, {HAT0Y: 0}) + frame(3.5, {HAT0X: 1}), 10)
    assert source.ui_actions() == ["up", "right"]


def test_the_stick_moves_through_a_menu_once_per_push_with_hysteresis(tree):
    name, ids, keys, axes = DUALSHOCK_4
    node = tree.add(2, name, ids, keys, axes)
    source = tree.open_source()
    pushes = [(-0.8, 1), (-0.95, 0), (-0.5, 0), (-0.8, 0),  # still held: never back under 0.4
              (-0.1, 0), (-0.75, 1),  # let go, then pushed again: one more
              (0.0, 0), (0.9, 1)]  # pulled back: "down"
    expected = []
    for i, (y, new) in enumerate(pushes):
        _push(tree, node, source, frame(4.0 + i / 100, {Y: round(y * 32767)}), i + 1)
        expected += ["up" if y < 0 else "down"] * new
    assert source.ui_actions() == expected == ["up", "up", "down"]


def test_a_hid_generic_pad_confirms_with_its_database_a_button(tree):
    name, ids, keys, axes = DRAGONRISE  # its line: a:b2, b:b1, start:b9
    node = tree.add(4, name, ids, keys, axes)
    source = tree.open_source()
    _push(tree, node, source, key(5.0, 0x120, 1) + key(5.01, 0x120, 0), 2)  # button 1: nothing in menus
    _push(tree, node, source, key(5.1, 0x122, 1) + key(5.11, 0x122, 0), 4)  # BTN_THUMB2 = b2 = A
    _push(tree, node, source, key(5.2, 0x121, 1) + key(5.3, 0x129, 1), 6)
    assert source.ui_actions() == ["confirm", "back", "pause"]


def test_an_event_code_inputs_cannot_name_is_skipped_not_fatal(tree):
    name, ids, keys, axes = GENERIC
    node = tree.add(0, name, ids, keys, axes)
    source = tree.open_source()
    tree.write(node, key(6.0, 0x12C, 1))  # a thirteenth button: inputs has no name for 0x12c (then SYN_REPORT)
    _push(tree, node, source, frame(6.1, {X: 32767}), 2)
    assert source.status().ready and source.poll(0.0).x == pytest.approx(1.0)


def test_every_pad_under_dev_input_is_found_bluetooth_included_and_nothing_else(tree):
    tree.add(0, "AT Translated Set 2 keyboard", (0x11, 0x0001, 0x0001, 0xAB41), range(1, 100), ())
    tree.add(1, "Sony Interactive Entertainment Wireless Controller Motion Sensors", (0x05, 0x054C, 0x09CC, 0x8111),
             (), (X, Y, Z, RX, RY, RZ))
    tree.add(2, "Sony Interactive Entertainment Wireless Controller Touchpad", (0x05, 0x054C, 0x09CC, 0x8111),
             (0x110, 0x14A, 0x145), (X, Y, 0x2F, 0x35, 0x36, 0x39))
    tree.add(3, "Nintendo Wii Remote Balance Board", (0x05, 0x057E, 0x0306, 0x8600), (SOUTH,),
             (0x10, 0x11, 0x12, 0x13))
    bluetooth = tree.add(10, DUALSHOCK_4[0], *DUALSHOCK_4[1:])  # no by-id or by-path link at all
    assert len(scan_nodes(tree.root)) == 5
    found = find_gamepads(tree.root)
    assert [pad.name for pad in found] == [DUALSHOCK_4[0]]
    assert found[0].get_char_device_path() == str(bluetooth)
    source = tree.open_source()  # the default finder, on the same tree
    _push(tree, bluetooth, source, frame(7.0, {X: -32768}), 1)
    assert source.poll(0.0).x == pytest.approx(-1.0)
    assert source.device_id == "gamepad:" + DUALSHOCK_4[0]


def test_proprio_devices_shows_the_stick_the_buttons_and_the_mapping_line(tree):
    tree.add(5, DUALSHOCK_4[0], *DUALSHOCK_4[1:])
    tree.add(6, GENERIC[0], *GENERIC[1:])
    listed = _gamepads(tree.root)
    assert [d.input for d in listed] == ["gamepad", "gamepad"]
    ds4, generic = listed
    assert "Bluetooth" in ds4.label and "event5" in ds4.label
    text = "\n".join(ds4.details)
    assert "left stick: ABS_X/ABS_Y" in text and "confirm BTN_SOUTH, back BTN_EAST, pause BTN_START" in text
    # no line for this exact firmware: a Bluetooth DualShock 4 line whose "a" is BTN_SOUTH, as SDL matches
    assert "SDL_GameControllerDB" in text and "line" in text and ": 050000004c050000cc0900000" in text
    generic_text = "\n".join(generic.details)
    assert "confirm BTN_TRIGGER, back BTN_THUMB, pause BTN_BASE4" in generic_text
    assert "kernel's gamepad conventions" in generic_text


def test_the_default_layout_follows_the_kernel_gamepad_conventions():
    layout = default_layout([SOUTH, EAST, START, 0x220, 0x221], [X, Y, RX, RY])
    assert [i.code for i in layout.inputs("a")] == [SOUTH]
    assert [i.code for i in layout.inputs("rightx")] == [RX]
    assert [i.code for i in layout.inputs("dpup")] == [0x220]
