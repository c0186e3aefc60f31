"""The shipped example sender, run as a person would, into the game's UDP source."""

from __future__ import annotations

import subprocess
import sys

import pytest

from game.input.udp_source import ImuUdpSource
from tests.conftest import REPO
from tests.game.input.support import wait_until

SENDER = REPO / "examples" / "udp_sender.py"
SAMPLE = REPO / "examples" / "sample_imu.csv"


def test_the_laptop_sender_replays_the_sample_file_into_the_game():
    source = ImuUdpSource("127.0.0.1", 0)
    try:
        result = subprocess.run(
            [sys.executable, str(SENDER), str(SAMPLE), "--port", str(source.address[1]),
             "--speed", "0", "--batch", "20"],
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "Sent 1000 samples" in result.stdout
        assert wait_until(lambda: source.stats().accepted == 1000)
        assert source.stats().dropped == 0
        pose = source.poll(0.0)
        assert pose.t_s == pytest.approx(9.99) and abs(pose.raw_x) < 10 and abs(pose.raw_y) < 10
    finally:
        source.close()


def test_the_sender_explains_a_missing_file():
    result = subprocess.run([sys.executable, str(SENDER), "no-such-recording.csv"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and result.stderr.startswith("Error: cannot read no-such-recording.csv")

