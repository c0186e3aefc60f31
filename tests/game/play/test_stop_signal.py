"""SIGTERM / SIGHUP (logout, shutdown, ``kill``) end a session like Ctrl-C: ended, kept, exit 128 + N.

Before, the 3D game (panda3d installs no handler) died on the spot, leaving its session ``running``.
The same in a real 3D window: ``test_real_window.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from game.play.stop_signal import Terminated, raise_if_stopped, stop_reason, stop_signals_raise

ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PROPRIO_MUSIC": "0"}


def _wait_for_samples(db_path: Path, proc: subprocess.Popen[str], at_least: int, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.3)
        if db_path.exists():
            try:
                if Database(db_path)["samples"].count >= at_least:
                    return
            except Exception:  # the database is being created: try again
                pass
    proc.kill()
    pytest.fail(f"no {at_least} samples within {timeout_s} s: {proc.communicate()}")


def test_the_signal_is_raised_between_frames_once_and_the_handler_is_removed_after():
    before = signal.getsignal(signal.SIGTERM)
    with stop_signals_raise():
        raise_if_stopped()  # nothing came: nothing happens
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGHUP)  # a second signal while closing changes nothing
        time.sleep(0.05)  # the handler only notes it: drawing or writing is never cut mid-way
        with pytest.raises(Terminated) as info:
            raise_if_stopped()
        raise_if_stopped()  # raised once
    assert info.value.signum == signal.SIGTERM
    assert isinstance(info.value, KeyboardInterrupt)  # every Ctrl-C path closes the session for it too
    assert stop_reason(info.value) == (signal.SIGTERM, "stopped by SIGTERM (the system asked the game to stop)")
    assert stop_reason(KeyboardInterrupt()) == (signal.SIGINT, "stopped with Ctrl-C")
    assert signal.getsignal(signal.SIGTERM) is before


def test_the_play_loop_ends_at_the_frame_after_the_signal(tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    from game.play import Game, PlayOptions
    from game.views.pygame_view import PygameView

    frames = {"n": 0}
    real_poll = PygameView.poll

    def poll(view):
        frames["n"] += 1
        if frames["n"] == 300:
            os.kill(os.getpid(), signal.SIGTERM)
        return real_poll(view)

    monkeypatch.setattr(PygameView, "poll", poll)
    with stop_signals_raise():
        summary = Game(PlayOptions(input="sim", headless=True, fast=True, seed=1, db_path=tmp_path / "p.db")).run()
    assert summary.status == "aborted" and summary.stop_signal == signal.SIGTERM
    assert frames["n"] == 300  # the frame that saw the signal was the last
    db = Database(tmp_path / "p.db")
    assert db["sessions"].get(1)["status"] == "aborted"
    assert db["samples"].count == 300 * 2  # every step before the signal was kept


@pytest.mark.parametrize(("command", "table", "status_words"), [
    (["play", "--headless", "--input", "sim"], "sessions", "Session aborted"),
    (["assess", "mctsib", "--player", "t1", "--headless", "--input", "sim", "--age", "40"], "sessions",
     "Assessment mctsib aborted"),
])
def test_sigterm_ends_the_session_and_keeps_the_data(tmp_path, command, table, status_words):
    db_path = tmp_path / "p.db"
    proc = subprocess.Popen([sys.executable, "-m", "game", *command, "--db", str(db_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    _wait_for_samples(db_path, proc, 120)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, (out, err)
    assert "Traceback" not in err
    assert status_words in out and "stopped by SIGTERM" in out
    db = Database(db_path)
    session = db[table].get(1)
    assert session["status"] == "aborted" and session["ended_at"]
    assert db["samples"].count >= 120
