"""Replay files that are not recordings: a pipe, a device, a folder, random bytes, mangled CSV: a message, no hang."""

from __future__ import annotations

import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.errors import DeviceError
from game.input.replay import Recording, read_csv

GOOD = "t_s,x,y,raw_x,raw_y,raw_unit\n" + "".join(f"{i / 120:.6f},0.1,-0.2,1.5,-3.0,deg\n" for i in range(40))


def test_a_pipe_a_device_and_a_folder_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    done: list[str] = []

    def read() -> None:
        try:
            read_csv(fifo)
        except DeviceError as exc:
            done.append(exc.message)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)  # an ordinary open() of a FIFO would block here for ever
    assert done and "not a regular file" in done[0]
    for path in ("/dev/zero", str(tmp_path)):
        with pytest.raises(DeviceError, match="not a regular file"):
            read_csv(path)  # type: ignore[arg-type]


def test_a_good_recording_streams_to_the_same_poses_whatever_its_line_endings(tmp_path):
    unix, windows = tmp_path / "unix.csv", tmp_path / "windows.csv"
    unix.write_text(GOOD)
    windows.write_bytes(GOOD.replace("\n", "\r\n").encode("utf-8-sig"))
    a, b = read_csv(unix), read_csv(windows)
    assert a.poses == b.poses and len(a.poses) == 40 and a.dropped == b.dropped == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.builds(lambda cut, junk: GOOD[:cut] + junk + GOOD[cut:],
                                          st.integers(0, len(GOOD)), st.text(max_size=30)).map(str.encode))
def test_any_bytes_give_a_recording_or_a_device_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        recording = read_csv(path)
    except DeviceError as exc:
        assert exc.message and str(path) in exc.message or "not a text recording" in exc.message
    else:
        assert isinstance(recording, Recording) and recording.poses
        times = [p.t_s for p in recording.poses]
        assert times == sorted(times) and all(-1.0 <= p.x <= 1.0 and -1.0 <= p.y <= 1.0 for p in recording.poses)
