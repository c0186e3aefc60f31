"""A poisoned stamp among good samples, through each real source: every good sample after it is accepted."""

from __future__ import annotations

import socket
import uuid

import pytest
from sqlite_utils import Database

from game.input.replay import read_csv
from game.input.serial_source import ImuSerialSource
from game.input.udp_source import ImuUdpSource
from tests.game.input.support import FakeClock, wait_until
from tests.game.input.test_udp_serial import Pty

GOOD = 60  # good samples, 100 Hz from t = 5 s
POISON = {10: "1e308", 20: "5000.0", 30: "1e300"}  # before the good sample at these positions


def lines() -> list[bytes]:
    """Fused-tilt lines, with a poisoned stamp (absurd, far ahead) and an absurd tilt among the good ones."""
    out = []
    for i in range(GOOD):
        if i in POISON:
            out.append(f"{POISON[i]},0.0,0.0\n".encode())
        if i == 40:
            out.append(f"{5 + i / 100:.2f},400.0,0.0\n".encode())  # beyond the wire format's range
        out.append(f"{5 + i / 100:.2f},{i / 10:.1f},1.0\n".encode())
    return out


def assert_every_good_sample_kept(source) -> None:
    stats = source.stats()
    assert stats.accepted == GOOD and stats.dropped == 4
    assert stats.dropped_by_reason["implausible"] == 2 and stats.dropped_by_reason["future"] == 1
    source.poll(0.0)
    kept = source.readings()
    assert [r.t_s for r in kept] == [pytest.approx(5 + i / 100) for i in range(GOOD)]
    assert all(r.raw_y == 1.0 for r in kept)


def test_udp_a_poisoned_datagram_costs_itself_only():
    source = ImuUdpSource("127.0.0.1", 0, clock=FakeClock())
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sender.connect(source.address)
        for line in lines():
            sender.send(line)
        assert wait_until(lambda: source.stats().accepted + source.stats().dropped == GOOD + 4)
        assert_every_good_sample_kept(source)
    finally:
        sender.close()
        source.close()


def test_serial_a_poisoned_line_costs_itself_only():
    pty = Pty()
    source = ImuSerialSource(pty.name, 115200, clock=FakeClock())
    try:
        pty.write(b"".join(lines()))
        assert wait_until(lambda: source.stats().accepted + source.stats().dropped == GOOD + 4)
        assert_every_good_sample_kept(source)
    finally:
        source.close()
        pty.unplug()


def test_lsl_a_poisoned_stamp_or_value_costs_itself_only():
    pylsl = pytest.importorskip("pylsl")
    from game.input import open_source

    name = f"proprio-test-{uuid.uuid4().hex[:8]}"
    info = pylsl.StreamInfo(name, "Tilt", 2, 100.0, "float32", name)
    channels = info.desc().append_child("channels")
    for label in ("roll_deg", "pitch_deg"):
        channels.append_child("channel").append_child_value("label", label)
    out = pylsl.StreamOutlet(info)
    if not pylsl.resolve_byprop("name", name, 1, 5.0):
        pytest.skip("liblsl cannot resolve a stream published on this machine (no multicast on loopback?)")
    source = open_source(f"lsl:{name}")
    try:
        out.wait_for_consumers(5.0)
        start = pylsl.local_clock()
        for i in range(GOOD):
            if i == 10:
                out.push_sample([0.0, 0.0], 1e308)
            if i == 20:
                out.push_sample([0.0, 0.0], start + 5000.0)  # far ahead of the stream
            if i == 40:
                out.push_sample([400.0, 0.0], start + 1.0)  # a tilt no board reports, stamped ahead of the rest
            out.push_sample([i / 10, 1.0], start + i / 100)
        assert wait_until(lambda: source.stats().accepted + source.stats().dropped == GOOD + 3)
        stats = source.stats()
        assert stats.accepted == GOOD and stats.dropped_by_reason["implausible"] == 2
        assert stats.dropped_by_reason["future"] == 1
        source.poll(0.0)
        kept = source.readings()
        assert len(kept) == GOOD and all(r.raw_y == 1.0 and r.t_s < start + 1.0 for r in kept)
    finally:
        source.close()


def test_replay_csv_with_a_poisoned_stamp_keeps_every_good_row(tmp_path):
    path = tmp_path / "poisoned.csv"
    rows = ["t_s,x,y,raw_x,raw_y,raw_unit"]
    for i in range(GOOD):
        if i in POISON:
            rows.append(f"{POISON[i]},0.5,0.5,5.0,5.0,deg")
        if i == 40:
            rows.append(f"{i / 120 - 0.001},0.5,0.5,400.0,5.0,deg")
        rows.append(f"{i / 120!r},0.1,0.2,1.0,2.0,deg")
    path.write_text("\n".join(rows) + "\n")
    recording = read_csv(path)
    assert [p.t_s for p in recording.poses] == [i / 120 for i in range(GOOD)] and recording.dropped == 4
    assert all(p.raw_x == 1.0 for p in recording.poses)


def test_replay_database_with_a_poisoned_stamp_keeps_every_good_row(tmp_path):
    from game.play import Game, PlayOptions
    from telemetry.store.recordings import read_recording

    db_path = tmp_path / "played.db"
    Game(PlayOptions(level="space-reach", player="kid-07", input="sim:0.7", seed=3, headless=True, fast=True,
                     duration_s=3.0, db_path=db_path, sound=False)).run()
    db = Database(db_path)
    steps = [r["step"] for r in db.query("select step from samples where session_id = 1 order by step")]
    assert len(steps) > 100
    db.execute("update samples set t_s = 1e308 where session_id = 1 and step = ?", [steps[20]])
    db.execute("update samples set t_s = t_s + 5000 where session_id = 1 and step = ?", [steps[40]])
    db.execute("update samples set raw_x = 1e308 where session_id = 1 and step = ?", [steps[60]])
    db.conn.commit()
    db.conn.close()
    recording = read_recording(db_path, 1)
    assert len(recording.poses) == len(steps) - 3 and recording.dropped == 3
    assert max(p.t_s for p in recording.poses) < 100 and max(abs(p.raw_x) for p in recording.poses) <= 180
