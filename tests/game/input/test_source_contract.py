"""The ``PoseSource`` contract: every device is one, and a source that only polls gets working defaults."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pytest

import game.input
from game.core.world import STEP_S
from game.input import KeyboardSource, ScreenObserver, SimulatedPlayer
from game.input.calibration import Calibration
from game.input.device import READY, DeviceWatch, InputMeter
from game.input.pose import Pose
from game.input.replay import Recording, ReplaySource
from game.input.source import DeviceDescription, PoseSource
from game.input.udp_source import ImuUdpSource

# The sources the game ships; the scan below must find each of them (so it cannot pass by finding none).
KNOWN_SOURCES = {
    "KeyboardSource", "SimulatedPlayer", "ThreadedSource", "EvdevSource", "GamepadSource", "ImuLineSource",
    "ImuSerialSource", "ImuUdpSource", "LslSource", "BalanceBoardSource", "ReplaySource",
}


def source_classes() -> dict[str, type]:
    """Every class defined in a ``game.input`` module that has a ``poll`` method."""
    found = {}
    for info in pkgutil.iter_modules(game.input.__path__, "game.input."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and callable(getattr(cls, "poll", None)):
                found[name] = cls
    return found


class Still(PoseSource):
    """The least a source can be: it only polls."""

    name = "tracker:left"

    def poll(self, t_s: float) -> Pose:
        return Pose(t_s, 0.25, -0.5, 3.0, -6.0, "deg")


def test_every_source_in_game_input_is_a_pose_source():
    found = source_classes()
    assert KNOWN_SOURCES <= found.keys()
    assert sorted(name for name, cls in found.items() if not issubclass(cls, PoseSource)) == []


def test_a_source_that_only_polls_works_with_every_default():
    source = Still()
    assert source.status() == READY and source.status().ready and source.status().reason == "ok"
    assert source.stats() is None
    assert source.recentre() is False
    assert source.recorded_seed is None
    assert source.description == DeviceDescription("tracker:left", "tracker", "tracker:left", "deg", False)
    source.set_calibration(Calibration.default_for("mm"))  # needs none: ignored
    source.steer(frozenset({"left"}), (0.5, 0.5))  # not steered by keys: ignored
    assert source.poll(1.0) == Pose(1.0, 0.25, -0.5, 3.0, -6.0, "deg")
    source.close()
    assert not isinstance(source, ScreenObserver)


def test_the_loop_helpers_ask_a_minimal_source_the_same_way_as_a_device():
    source = Still()
    watch = DeviceWatch(source)
    assert watch.check() is None and watch.status.ready and watch.pauses == 0
    assert watch.figures() == {"dropped_samples": 0, "input_rate_hz": None}
    assert InputMeter(source).mark is None  # a virtual source has no counts to mark


def test_pose_source_cannot_be_made_without_poll():
    with pytest.raises(TypeError, match="poll"):
        PoseSource()  # type: ignore[abstract]

    class Silent(PoseSource):
        name = "silent"

    with pytest.raises(TypeError, match="poll"):
        Silent()  # type: ignore[abstract]


def test_a_device_description_is_frozen():
    description = Still().description
    with pytest.raises(dataclasses.FrozenInstanceError):
        description.kind = "imu"  # type: ignore[misc]
    assert dataclasses.replace(description, kind="imu").kind == "imu" and description.kind == "tracker"


def test_only_the_simulated_player_looks_at_the_screen():
    assert isinstance(SimulatedPlayer(0.5, 1), ScreenObserver)
    assert not isinstance(KeyboardSource(), ScreenObserver)
    recording = Recording((Pose(0.0, 0.0, 0.0, 0.0, 0.0, "deg"),), 0)
    assert not isinstance(ReplaySource(recording), ScreenObserver)
    assert [name for name, cls in source_classes().items() if hasattr(cls, "observe")] == ["SimulatedPlayer"]


def test_the_virtual_sources_describe_themselves_from_their_name():
    assert KeyboardSource().description == DeviceDescription("keyboard", "keyboard", "keyboard", "deg", False)
    assert SimulatedPlayer(0.6, 1).description == DeviceDescription("sim:0.60", "sim", "sim:0.60", "deg", False)


def test_a_replay_says_its_seed_and_unit_and_needs_no_calibration():
    recording = Recording((Pose(0.0, 0.1, 0.2, 12.0, 34.0, "mm"), Pose(STEP_S, 0.1, 0.2, 12.0, 34.0, "mm")), 2,
                          seed=41, origin="/tmp/play/p.db#7")
    replay = ReplaySource(recording)
    assert replay.recorded_seed == 41
    assert replay.description == DeviceDescription("replay:p.db#7", "replay", "replay:p.db#7", "mm", False)
    assert replay.recentre() is False  # a recording has no live reading to re-zero on
    assert replay.stats().dropped == 2


def test_a_device_describes_itself_and_takes_its_calibration():
    source = ImuUdpSource("127.0.0.1", 0)
    try:
        port = source.address[1]
        # The name keeps the --input value (port 0: any free one); the id names the port actually bound.
        assert source.description == DeviceDescription("imu-udp:127.0.0.1:0", "imu", f"udp:127.0.0.1:{port}",
                                                       "deg", True)
        assert source.status().reason == "waiting" and source.stats().accepted == 0
        assert source.recentre() is False  # nothing read yet
        measured = Calibration.default_for("deg", (4.0, 4.0))
        source.set_calibration(measured)
        assert source.calibration is measured
        with pytest.raises(ValueError, match="mm calibration"):
            source.set_calibration(Calibration.default_for("mm"))
    finally:
        source.close()


def test_the_keyboard_is_steered_by_the_held_keys_and_the_pointer():
    keys = KeyboardSource()
    keys.steer(frozenset({"right"}), None)
    assert [keys.poll(i * STEP_S) for i in range(61)][-1].x == pytest.approx(0.42)  # half a second held
    keys.steer(frozenset({"right"}), (-0.5, 0.25))  # a drag wins over the keys
    last = [keys.poll((61 + i) * STEP_S) for i in range(120)][-1]
    assert (last.x, last.y) == pytest.approx((-0.5, 0.25))
    with pytest.raises(ValueError, match="sideways"):
        keys.steer(frozenset({"sideways"}), None)
