"""Every reading a device sends is kept for the recorder, in order, while poll() gives the newest."""

from __future__ import annotations

from game.input.pose import Reading
from game.input.threaded import QUEUE_SIZE, ThreadedSource
from tests.game.input.support import FakeClock


class Pushed(ThreadedSource):
    """A device whose 'reader thread' is the test itself."""

    name = "pushed"

    def _run(self) -> None:
        """No thread: the test pushes."""

    def send(self, t_s: float, x: float) -> None:
        if self._admit(t_s):
            self._push(Reading(t_s, x, 0.0))


def test_poll_takes_the_newest_and_readings_keeps_every_one_in_order():
    device = Pushed("a test device", clock=FakeClock())
    for i in range(10):
        device.send(i / 1000, float(i))
    assert device.poll(0.0).raw_x == 9.0  # the step uses the newest...
    for i in range(10, 15):
        device.send(i / 1000, float(i))
    kept = device.readings()  # ...and the recorder gets all fifteen, none twice
    assert [r.raw_x for r in kept] == [float(i) for i in range(15)]
    assert device.readings() == [] and device.poll(1.0).raw_x == 14.0


def test_a_full_queue_counts_what_it_pushes_out():
    device = Pushed("a test device", clock=FakeClock())
    for i in range(QUEUE_SIZE + 5):
        device.send(i / 1000, i / 100)  # a tilt in degrees: up to 82
    kept = device.readings()
    assert device.overflowed == 5 and len(kept) == QUEUE_SIZE and kept[0].raw_x == 0.05
