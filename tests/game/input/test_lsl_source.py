"""Lab Streaming Layer: a real outlet on this machine, resolved by name and read by the game."""

from __future__ import annotations

import math
import uuid

import pytest

from game.errors import DeviceError
from game.input import open_source
from tests.game.input.support import wait_until

pylsl = pytest.importorskip("pylsl")


def outlet(labels: list[str], rate_hz: float = 100.0, units: list[str] | None = None):
    """A float32 stream with a unique name and the given channel labels."""
    name = f"proprio-test-{uuid.uuid4().hex[:8]}"
    info = pylsl.StreamInfo(name, "Tilt", len(labels), rate_hz, "float32", name)
    channels = info.desc().append_child("channels")
    for i, label in enumerate(labels):
        channel = channels.append_child("channel")
        channel.append_child_value("label", label)
        if units:
            channel.append_child_value("unit", units[i])
    return name, pylsl.StreamOutlet(info)


@pytest.fixture
def resolvable():
    """Skip (with the reason) only if this machine cannot resolve an LSL stream it publishes itself."""
    name, out = outlet(["a", "b"])
    if not pylsl.resolve_byprop("name", name, 1, 5.0):
        pytest.skip("liblsl cannot resolve a stream published on this machine (no multicast on loopback?)")
    del out


def test_a_named_tilt_stream_drives_the_game(resolvable):
    name, out = outlet(["pitch_deg", "roll_deg"])  # order does not matter: the labels say which is which
    source = open_source(f"lsl:{name}")
    try:
        assert source.raw_unit == "deg" and source.name == f"lsl:{name}"
        out.wait_for_consumers(5.0)
        for i in range(20):
            out.push_sample([-1.0, 0.25 * i], pylsl.local_clock())
        assert wait_until(lambda: source.stats().accepted == 20)
        pose = source.poll(0.0)
        assert (pose.raw_x, pose.raw_y) == (pytest.approx(4.75), pytest.approx(-1.0))
    finally:
        source.close()


def test_nan_and_late_lsl_samples_are_dropped_and_cop_streams_are_in_mm(resolvable):
    name, out = outlet(["cop_ml_mm", "cop_ap_mm", "force_n"])
    source = open_source(f"lsl:{name}")
    try:
        assert source.raw_unit == "mm"
        out.wait_for_consumers(5.0)
        now = pylsl.local_clock()
        out.push_sample([10.0, 20.0, 600.0], now)
        out.push_sample([math.nan, 1.0, 600.0], now + 0.01)
        out.push_sample([5.0, 5.0, 600.0], now - 1.0)  # stamped before the last one
        out.push_sample([30.0, -40.0, 600.0], now + 0.02)
        assert wait_until(lambda: source.stats().accepted + source.stats().dropped == 4)
        stats = source.stats()
        assert stats.accepted == 2
        assert stats.dropped_by_reason["nonfinite"] == 1 and stats.dropped_by_reason["late"] == 1
        assert (source.poll(0.0).raw_x, source.poll(0.0).raw_y) == (30.0, -40.0)
    finally:
        source.close()


def test_a_raw_imu_stream_is_fused(resolvable):
    name, out = outlet(["ax", "ay", "az", "gx", "gy", "gz"], rate_hz=100.0, units=["g"] * 3 + ["deg/s"] * 3)
    source = open_source(f"lsl:{name}")
    try:
        out.wait_for_consumers(5.0)
        start = pylsl.local_clock()
        # 1.5 s of a board held rolled right by 10 degrees (within the inlet's 2-second buffer)
        out.push_chunk([[0.0, 0.1736, 0.9848, 0.0, 0.0, 0.0]] * 150, [start + i / 100 for i in range(150)])
        assert wait_until(lambda: source.stats().accepted == 150)
        assert source.poll(0.0).raw_x == pytest.approx(10.0, abs=0.1)
    finally:
        source.close()


def test_a_missing_stream_names_what_to_do():
    with pytest.raises(DeviceError, match="no LSL stream named") as info:
        from game.input.lsl_source import LslSource

        LslSource(f"absent-{uuid.uuid4().hex[:6]}", resolve_timeout_s=0.3)
    assert "proprio devices" in str(info.value)
