"""Sounds and music: the shipped files are what the code makes, loop without a click, and every event has a sound.

Nothing here needs a sound card: files are read with ``wave``, the players are driven through a
recording backend, pygame's mixer runs on SDL's dummy driver and panda3d's on its null library.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from game.core.events import EVENT_KINDS
from game.level.model import SOUND_NAMES
from game.paths import assets_dir
from game.views.sounds import (
    BEAT_SAMPLES,
    EVENT_SOUNDS,
    LOOP_BEATS,
    MUSIC_THEMES,
    MUSIC_VOLUME,
    PAUSED_VOLUME,
    RATE_HZ,
    MusicBackend,
    MusicPlayer,
    music_enabled,
    music_path,
    read_wav,
    synthesize,
    synthesize_music,
    to_pcm16,
)

# what the session and the level screen ask for besides the core's own events
SESSION_AND_SCREEN = ("rest_start", "rest_end", "session_limit", "pause", "resume", "device_lost", "device_back")


def test_every_named_event_has_a_sound_and_every_sound_a_shipped_file():
    for kind in (*EVENT_KINDS, *SESSION_AND_SCREEN):
        assert kind in EVENT_SOUNDS, kind
    folder = assets_dir() / "sounds"
    for name in {*EVENT_SOUNDS.values(), *SOUND_NAMES}:
        samples = read_wav(folder / f"{name}.wav")
        assert 0.05 < len(samples) / RATE_HZ < 3.0, name
        assert 0.1 < np.abs(samples).max() <= 0.75, name  # audible, never at full scale
    # the new jingles are distinct sounds, not one tone for everything
    distinct = {EVENT_SOUNDS[k] for k in ("rest_start", "rest_end", "device_lost", "device_back", "level_end")}
    assert len(distinct) == 5


def test_the_shipped_sounds_and_music_are_what_the_code_makes():
    made = synthesize()
    for name, samples in made.items():
        shipped = read_wav(assets_dir() / "sounds" / f"{name}.wav")
        assert np.array_equal(to_pcm16(samples), np.round(shipped * 32767).astype(np.int16)), name
    for theme in MUSIC_THEMES:
        shipped = read_wav(music_path(theme))
        assert np.array_equal(to_pcm16(synthesize_music(theme)), np.round(shipped * 32767).astype(np.int16)), theme


@pytest.mark.parametrize("theme", MUSIC_THEMES)
def test_each_theme_loop_is_long_soft_and_seamless(theme):
    loop = read_wav(assets_dir() / "music" / f"{theme}.wav")
    assert len(loop) == BEAT_SAMPLES * LOOP_BEATS  # a whole number of bars
    assert 20.0 <= len(loop) / RATE_HZ <= 40.0
    assert 0.2 < np.abs(loop).max() <= 0.4  # soft: a third of full scale at most
    rms = float(np.sqrt(np.mean(loop ** 2)))
    assert 0.04 < rms < 0.2
    steps = np.abs(np.diff(loop))
    join = abs(loop[0] - loop[-1])  # the last sample runs into the first when the loop repeats
    assert join <= np.percentile(steps, 99.5)  # no bigger than the music's own sample-to-sample steps
    # no click: the join's curvature (second difference) is like the rest of the loop's
    curve = np.abs(np.diff(loop, 2))
    join_curve = abs(loop[1] - 2 * loop[0] + loop[-1])
    assert join_curve <= np.percentile(curve, 99.5) + 1e-4
    # gentle: almost nothing above 3 kHz (no squeaks, nothing shrill to hear all day)
    power = np.abs(np.fft.rfft(loop)) ** 2
    freqs = np.fft.rfftfreq(len(loop), 1 / RATE_HZ)
    assert power[freqs > 3000].sum() / power.sum() < 0.01


def test_the_themes_sound_different():
    loops = [synthesize_music(theme) for theme in MUSIC_THEMES]
    for i in range(len(loops)):
        for j in range(i + 1, len(loops)):
            corr = float(np.corrcoef(loops[i], loops[j])[0, 1])
            assert abs(corr) < 0.5


def test_music_can_be_turned_off(monkeypatch):
    monkeypatch.delenv("PROPRIO_MUSIC", raising=False)
    assert music_enabled() is True
    for off in ("0", "off", "no", "false", " OFF "):
        monkeypatch.setenv("PROPRIO_MUSIC", off)
        assert music_enabled() is False
    monkeypatch.setenv("PROPRIO_MUSIC", "1")
    assert music_enabled() is True
    assert music_enabled(False) is False  # the constructor flag wins


class Recorder(MusicBackend):
    def __init__(self) -> None:
        self.log: list[tuple[str, object]] = []

    def start(self, theme: str) -> object:
        self.log.append(("start", theme))
        return theme

    def volume(self, handle: object, volume: float) -> None:
        self.log.append(("volume", volume))

    def stop(self, handle: object) -> None:
        self.log.append(("stop", handle))


def test_music_plays_during_a_level_quieter_when_paused_and_stops_off_the_level():
    backend = Recorder()
    music = MusicPlayer(True, backend)
    music.frame("ocean")
    music.tick()
    music.frame("ocean")  # the same theme frame after frame: started once
    music.tick()
    assert backend.log == [("start", "ocean"), ("volume", MUSIC_VOLUME)]
    music.frame("ocean", paused=True)
    music.tick()
    assert music.volume == PAUSED_VOLUME < MUSIC_VOLUME and backend.log[-1] == ("volume", PAUSED_VOLUME)
    music.frame("ocean")
    music.tick()
    music.tick()  # a frame presented without a play frame: the results, the title
    assert music.theme is None and backend.log[-1] == ("stop", "ocean")
    music.frame("space")
    music.frame("no-such-theme")  # a level of a newer theme: the garden's loop, no crash
    assert ("stop", "space") in backend.log and music.theme == "garden"


def test_music_off_never_starts():
    backend = Recorder()
    music = MusicPlayer(False, backend)
    music.frame("garden")
    music.tick()
    assert backend.log == [] and music.volume == 0.0 and music.theme == "garden"


def test_pygame_music_plays_on_a_dummy_sound_card(monkeypatch):
    pygame = pytest.importorskip("pygame")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    try:
        pygame.mixer.init(frequency=RATE_HZ, size=-16, channels=1)
    except pygame.error as exc:
        pytest.skip(f"no pygame mixer here: {exc}")
    try:
        music = MusicPlayer(True)
        music.frame("garden")
        assert music._handle is not None  # a real channel playing the loop
        music.frame("garden", paused=True)
        assert music._handle.get_volume() == pytest.approx(PAUSED_VOLUME, abs=0.01)
        music.tick()
        music.tick()
        assert music.theme is None
    finally:
        pygame.mixer.quit()


def test_the_3d_view_plays_the_level_theme_and_stops_on_the_title():
    pytest.importorskip("panda3d")
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import dataclasses

    from game.core.snapshot import Frame
    from game.menu import PauseMenu, TitleMenu
    from game.views.p3d_app import ViewUnavailableError
    from game.views.p3d_scene import sample_snapshot
    from game.views.panda3d_view import Panda3dView

    try:
        view = Panda3dView(offscreen=True, sound=False)
    except ViewUnavailableError as exc:
        pytest.skip(f"this machine cannot make an offscreen OpenGL buffer: {exc.message}")
    try:
        snap = dataclasses.replace(sample_snapshot("space"))
        view.draw_play(Frame(snap, snap, 1.0))
        view.present()
        music = view.sounds.music
        assert music.theme == "space" and not music.paused
        view.draw_play(Frame(snap, snap, 1.0), PauseMenu())
        view.present()
        assert music.paused
        view.draw_title(TitleMenu(["kid-07"], [("default", "All levels")]))
        view.present()
        view.present()
        assert music.theme is None  # off the level: no music
        view.play_sounds(["rest_start", "rest_end", "device_lost", "device_back", "level_end"])
        assert view.sounds.played[-3:] == ["device_lost", "device_back", "fanfare"]  # three a frame at most
    finally:
        view.close()


def test_the_2d_view_plays_the_level_theme(monkeypatch):
    pytest.importorskip("pygame")
    pytest.importorskip("panda3d")  # for the sample snapshot
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("PROPRIO_MUSIC", "1")
    from game.core.snapshot import Frame
    from game.menu import PauseMenu
    from game.views.p3d_scene import sample_snapshot
    from game.views.pygame_view import PygameView
    from game.views.sounds import music_player

    view = PygameView(sound=True)
    try:
        snap = sample_snapshot("ocean")
        view.draw_play(Frame(snap, snap, 1.0))
        music = music_player(view)
        assert music.theme == "ocean" and not music.paused
        view.draw_play(Frame(snap, snap, 1.0), PauseMenu())
        assert music.paused and music.volume == PAUSED_VOLUME
        assert music_player(view, False) is music and music.theme is None  # a --no-music option: off at once
        view.draw_play(Frame(snap, snap, 1.0))
        assert music.volume == 0.0
    finally:
        music_player(view).stop()
        view.close()


def test_no_music_reaches_the_2d_view_and_the_command_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from game.cli import cli
    from game.views.factory import open_view
    from game.views.sounds import music_player

    monkeypatch.delenv("PROPRIO_MUSIC", raising=False)
    quiet = open_view("2d", headless=True, sound=False, music=False)
    try:
        assert music_player(quiet).enabled is False
    finally:
        quiet.close()
    result = CliRunner().invoke(cli, ["play", "garden-balance", "--headless", "--input", "sim", "--fast",
                                       "--duration", "2", "--no-music", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert "--no-music" in CliRunner().invoke(cli, ["play", "--help"]).output
