"""LSL units: read from each channel's declared unit (desc/channels/channel/unit), converted, or refused."""

from __future__ import annotations

import math
import uuid

import pytest

from game.input import open_source
from game.input.calibration import Calibration
from game.input.lsl_source import LslChannel, LslUnitsError, plan_stream
from tests.game.input.support import wait_until

pylsl = pytest.importorskip("pylsl")


def outlet(labels: list[str], units: list[str] | None, rate_hz: float = 100.0, types: list[str] | None = None):
    """A float32 stream with a unique name; each channel declares its label, and its unit and type if given."""
    name = f"proprio-units-{uuid.uuid4().hex[:8]}"
    info = pylsl.StreamInfo(name, "Tilt", len(labels), rate_hz, "float32", name)
    channels = info.desc().append_child("channels")
    for i, label in enumerate(labels):
        channel = channels.append_child("channel")
        channel.append_child_value("label", label)
        if units is not None:
            channel.append_child_value("unit", units[i])
        if types is not None:
            channel.append_child_value("type", types[i])
    return name, pylsl.StreamOutlet(info)


@pytest.fixture(scope="module")
def resolvable():
    """Skip (with the reason) only if this machine cannot resolve an LSL stream it publishes itself."""
    name, out = outlet(["a", "b"], None)
    if not pylsl.resolve_byprop("name", name, 1, 5.0):
        pytest.skip("liblsl cannot resolve a stream published on this machine (no multicast on loopback?)")
    del out


def first_reading(name: str, out, values: list[float]):
    """Open the stream as the game does, push ``values`` until the reader has one; (source, pose)."""
    source = open_source(f"lsl:{name}")
    out.wait_for_consumers(5.0)
    out.push_sample(values, pylsl.local_clock())
    assert wait_until(lambda: source.stats().accepted >= 1)
    return source, source.poll(0.0)


ANGLES = [("deg", 1.2), ("degree", 1.2), ("degrees", 1.2), ("°", 1.2), ("Degrees", 1.2),
          ("rad", math.radians(1.2)), ("radians", math.radians(1.2))]


@pytest.mark.parametrize(("unit", "sent"), ANGLES)
def test_a_tilt_in_any_usual_angle_spelling_is_read_in_degrees(resolvable, unit, sent):
    name, out = outlet(["roll", "pitch"], [unit, unit])
    source, pose = first_reading(name, out, [sent, -sent])
    try:
        assert source.raw_unit == "deg"
        assert (pose.raw_x, pose.raw_y) == (pytest.approx(1.2, abs=1e-4), pytest.approx(-1.2, abs=1e-4))
    finally:
        source.close()


LENGTHS = [("mm", 12.0), ("millimetres", 12.0), ("cm", 1.2), ("m", 0.012), ("metres", 0.012)]


@pytest.mark.parametrize(("unit", "sent"), LENGTHS)
def test_a_centre_of_pressure_in_any_usual_length_spelling_is_read_in_mm(resolvable, unit, sent):
    name, out = outlet(["Fz", "CoP ML", "CoP AP"], ["N", unit, unit])  # the force beside it is ignored
    source, pose = first_reading(name, out, [600.0, sent, -sent])
    try:
        assert source.raw_unit == "mm"
        assert (pose.raw_x, pose.raw_y) == (pytest.approx(12.0, rel=1e-5), pytest.approx(-12.0, rel=1e-5))
    finally:
        source.close()


def test_a_roll_of_1_2_degrees_declared_as_degrees_is_a_small_lean_not_the_limit(resolvable):
    name, out = outlet(["roll", "pitch"], ["degrees", "degrees"])
    source, pose = first_reading(name, out, [1.2, 0.0])
    try:
        limit_deg = source.calibration.los[0][0]  # the default limit of stability toward the right
        assert source.calibration == Calibration.default_for("deg")
        assert pose.x == pytest.approx(1.2 / limit_deg, abs=1e-4) and pose.y == pytest.approx(0.0, abs=1e-6)
        assert 0.0 < pose.x < 0.5
    finally:
        source.close()


@pytest.mark.parametrize("units", [None, ["", ""]])
def test_a_stream_without_units_is_refused_with_how_to_declare_them(resolvable, units):
    name, out = outlet(["roll", "pitch"], units)
    with pytest.raises(LslUnitsError, match="roll declares no unit") as info:
        open_source(f"lsl:{name}")
    assert "desc/channels/channel/unit" in str(info.value) and "<unit>degrees</unit>" in str(info.value)
    del out


def test_a_stream_in_an_unknown_unit_is_refused_naming_it(resolvable):
    name, out = outlet(["roll", "pitch"], ["furlongs", "furlongs"])
    with pytest.raises(LslUnitsError, match="'furlongs'") as info:
        open_source(f"lsl:{name}")
    assert "desc/channels/channel/unit" in str(info.value)
    del out


def test_a_tilt_declared_in_mm_is_refused(resolvable):
    name, out = outlet(["roll", "pitch"], ["mm", "mm"])
    with pytest.raises(LslUnitsError, match="length unit"):
        open_source(f"lsl:{name}")
    del out


def test_a_force_plate_sending_only_forces_and_moments_is_refused(resolvable):
    name, out = outlet(["Fx", "Fy", "Fz", "Mx", "My", "Mz"], ["N", "N", "N", "N·m", "N·m", "N·m"])
    with pytest.raises(LslUnitsError, match="forces or moments") as info:
        open_source(f"lsl:{name}")
    assert "cop_ml and cop_ap" in str(info.value)
    del out


def test_a_raw_imu_in_si_units_is_converted_before_fusion(resolvable):
    name, out = outlet(["acc_x", "acc_y", "acc_z", "gyro_x", "gyro_y", "gyro_z"], ["m/s^2"] * 3 + ["rad/s"] * 3)
    source = open_source(f"lsl:{name}")
    try:
        out.wait_for_consumers(5.0)
        start = pylsl.local_clock()
        g = 9.80665
        # 1.5 s of a board held rolled right by 10 degrees, in m/s^2 (within the inlet's 2-second buffer)
        out.push_chunk([[0.0, 0.1736 * g, 0.9848 * g, 0.0, 0.0, 0.0]] * 150, [start + i / 100 for i in range(150)])
        assert wait_until(lambda: source.stats().accepted == 150)
        assert source.stats().dropped == 0  # in g these would be within range: the conversion happened
        assert source.poll(0.0).raw_x == pytest.approx(10.0, abs=0.1)
    finally:
        source.close()


def test_a_raw_imu_without_units_is_refused(resolvable):
    name, out = outlet(["ax", "ay", "az", "gx", "gy", "gz"], None)
    with pytest.raises(LslUnitsError, match="ax declares no unit"):
        open_source(f"lsl:{name}")
    del out


def test_xdf_euler_angle_types_name_roll_and_pitch(resolvable):
    name, out = outlet(["head_p", "head_r"], ["rad", "rad"], types=["OrientationP", "OrientationR"])
    source, pose = first_reading(name, out, [math.radians(-3.0), math.radians(2.0)])
    try:
        assert (pose.raw_x, pose.raw_y) == (pytest.approx(2.0, abs=1e-4), pytest.approx(-3.0, abs=1e-4))
    finally:
        source.close()


def test_every_reading_of_a_1_khz_stream_reaches_readings_in_order_and_in_degrees(resolvable):
    name, out = outlet(["roll", "pitch"], ["rad", "rad"], rate_hz=1000.0)
    source = open_source(f"lsl:{name}")
    try:
        out.wait_for_consumers(5.0)
        start = pylsl.local_clock()
        kept = []
        for block in range(10):  # 0.1 s of samples at a time, the game taking them as it would
            rows = range(block * 100, block * 100 + 100)
            out.push_chunk([[math.radians(i / 100), 0.0] for i in rows], [start + i / 1000 for i in rows])
            assert wait_until(lambda total=rows[-1] + 1: source.stats().accepted == total)
            kept += source.readings()
        assert [round(r.raw_x, 3) for r in kept] == [round(i / 100, 3) for i in range(1000)]
        assert [r.t_s for r in kept] == pytest.approx([start + i / 1000 for i in range(1000)])
    finally:
        source.close()


# -- the plan alone (no network): the label suffix counts as a declaration, and must agree ---------------

def test_a_unit_suffix_in_the_label_declares_the_unit():
    plan = plan_stream([LslChannel("pitch_rad"), LslChannel("roll_rad")])
    assert plan.channels == (1, 0) and plan.scales == (pytest.approx(180 / math.pi),) * 2 and plan.raw_unit == "deg"


def test_a_label_suffix_that_contradicts_the_unit_field_is_refused():
    with pytest.raises(LslUnitsError, match="label says 'deg' but its unit says 'rad'"):
        plan_stream([LslChannel("roll_deg", "rad"), LslChannel("pitch_deg", "rad")])


def test_forces_beside_a_centre_of_pressure_are_fine():
    plan = plan_stream([LslChannel("Fz", "N"), LslChannel("Mx", "N·m"), LslChannel("cop_ml", "cm"),
                        LslChannel("cop_ap", "cm")])
    assert plan.channels == (2, 3) and plan.scales == (10.0, 10.0) and plan.raw_unit == "mm"


def test_unlabelled_channels_are_used_only_when_both_declare_the_same_kind_of_unit():
    assert plan_stream([LslChannel("x", "°"), LslChannel("y", "°")]).raw_unit == "deg"
    with pytest.raises(LslUnitsError, match="does not say which"):
        plan_stream([LslChannel("x", "deg"), LslChannel("y", "mm")])
    with pytest.raises(LslUnitsError, match="does not say which"):
        plan_stream([LslChannel("Fp1", "microvolts"), LslChannel("Fp2", "microvolts")])


def test_a_magnetometer_in_gauss_is_not_mistaken_for_g():
    channels = [LslChannel(label, unit) for label, unit in zip(
        ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"], ["g"] * 3 + ["dps"] * 3 + ["G"] * 3, strict=True)]
    plan = plan_stream(channels)
    assert plan.mode == "imu" and plan.scales == (1.0,) * 6 + (100.0,) * 3


def test_proprio_devices_shows_each_streams_units_and_whether_the_game_can_use_them(resolvable):
    from game.input.discovery import list_devices

    tilt, tilt_out = outlet(["roll", "pitch"], ["degrees", "degrees"])
    bare, bare_out = outlet(["roll", "pitch"], None)
    plate, plate_out = outlet(["Fx", "Fy", "Fz"], ["N", "N", "N"])
    found = {d.input: d for d in list_devices(lsl_wait_s=2.0) if d.kind == "lsl"}
    assert found[f"lsl:{tilt}"].ready and "roll [degrees], pitch [degrees] -> tilt in deg" in found[f"lsl:{tilt}"].label
    assert not found[f"lsl:{bare}"].ready and "roll declares no unit" in found[f"lsl:{bare}"].hint
    assert "desc/channels/channel/unit" in found[f"lsl:{bare}"].hint
    assert not found[f"lsl:{plate}"].ready and "forces or moments" in found[f"lsl:{plate}"].hint
    del tilt_out, bare_out, plate_out
