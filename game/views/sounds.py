"""Game sounds and music, synthesized from simple tones so they are ours to ship (CC0).

``write_sounds`` writes the event sounds and jingles as WAV files into ``assets/sounds`` and
``write_music`` one gentle loop per theme into ``assets/music`` (run
``python -m game.views.sounds assets/sounds assets/music``); the game plays the shipped files
and falls back to synthesizing them if a file is missing.

The music is made for a therapy room where it plays all day: slow (72 beats a minute), soft
(peaks at about a third of full scale, and players turn it down further), no drums, no high
squeaks, each theme 26.7 s of a few chords that resolve into each other. Every loop is exactly
periodic: a note still sounding at the loop's end is folded back onto its start, so the last
sample runs into the first without a click however often it repeats. ``PROPRIO_MUSIC=0`` (or
``music=False`` to a player) turns the music off; the event sounds stay.

``MusicPlayer`` decides when music plays, for both views (``PygameMusic`` sounds it on pygame's
mixer, ``p3d_sounds.P3dMusic`` on panda3d's audio): ``frame(theme, paused)`` each drawn play
frame starts or keeps the theme's loop (quieter under the pause menu), ``tick()`` once per
presented frame stops it when no play frame was drawn (the title, the results, a message), so
music plays only during a level; ``duck(on)`` lowers it while an instruction is spoken
(``game/views/speech.py``).
"""

from __future__ import annotations

import os
import sys
import wave
import weakref
from pathlib import Path
from typing import Any

import numpy as np

RATE_HZ = 22050
MUSIC_THEMES = ("garden", "space", "ocean")
BEAT_SAMPLES = 18375  # 72 beats a minute at 22.05 kHz, a whole number of samples
LOOP_BEATS = 32  # eight bars of four: 26.7 s
MUSIC_VOLUME = 0.45  # the player's volume for music under the event sounds (the file itself is soft)
PAUSED_VOLUME = 0.15  # under the pause menu
DUCKED = 0.35  # music's share of its volume while an instruction is spoken (game/views/speech.py)
MUSIC_ENV = "PROPRIO_MUSIC"

# event kind -> sound name; every event the core emits has one, and so do the session's rest
# breaks and the level screen's device notices ("device_lost", "device_back").
EVENT_SOUNDS = {
    "level_start": "start",
    "challenge_start": "start",
    "trial_start": "appear",
    "zone_enter": "enter",
    "zone_exit": "exit",
    "trial_success": "success",
    "trial_fail": "miss",
    "home_reached": "home",
    "item_collected": "home",
    "obstacle_hit": "exit",
    "wall_hit": "exit",
    "challenge_end": "cheer",
    "level_end": "fanfare",
    "pause": "pause",
    "resume": "pause",
    "rest_start": "rest",
    "rest_end": "rest_over",
    "session_limit": "fanfare",
    "device_lost": "device_lost",
    "device_pause": "device_lost",
    "device_back": "device_back",
    "device_resume": "device_back",
}


def music_enabled(flag: bool | None = None) -> bool:
    """Whether music plays: ``flag`` if given, else not when the environment says ``PROPRIO_MUSIC=0`` (off, no)."""
    if flag is not None:
        return flag
    return os.environ.get(MUSIC_ENV, "1").strip().lower() not in ("0", "off", "no", "false")


def _tone(freq_hz: float, dur_s: float, volume: float = 0.5, shape: str = "sine") -> np.ndarray:
    t = np.arange(int(RATE_HZ * dur_s)) / RATE_HZ
    if shape == "sine":
        wave_ = np.sin(2 * np.pi * freq_hz * t)
    else:  # soft "bell": fundamental plus a quiet octave
        wave_ = np.sin(2 * np.pi * freq_hz * t) + 0.3 * np.sin(4 * np.pi * freq_hz * t)
        wave_ /= 1.3
    attack = np.minimum(1.0, t / 0.008)
    decay = np.exp(-t * (3.0 / max(dur_s, 1e-3)))
    return volume * wave_ * attack * decay


def _glide(f0: float, f1: float, dur_s: float, volume: float = 0.4) -> np.ndarray:
    t = np.arange(int(RATE_HZ * dur_s)) / RATE_HZ
    freq = f0 + (f1 - f0) * t / dur_s
    phase = 2 * np.pi * np.cumsum(freq) / RATE_HZ
    envelope = np.minimum(1.0, t / 0.01) * np.minimum(1.0, (dur_s - t) / 0.05)
    return np.asarray(volume * np.sin(phase) * envelope)


def _seq(*parts: np.ndarray, gap_s: float = 0.0) -> np.ndarray:
    gap = np.zeros(int(RATE_HZ * gap_s))
    out: list[np.ndarray] = []
    for part in parts:
        out.extend([part, gap])
    return np.concatenate(out)


def synthesize() -> dict[str, np.ndarray]:
    """Every game sound as mono float samples in [-1, 1] at ``RATE_HZ``."""
    c5, e5, g5, c6 = 523.25, 659.25, 783.99, 1046.5
    a4, e4, b4 = 440.0, 329.63, 493.88
    return {
        "start": _seq(_tone(g5, 0.18, 0.4, "bell"), _tone(c6, 0.35, 0.4, "bell")),
        "appear": _glide(500, 900, 0.12, 0.35),
        "enter": _tone(880, 0.08, 0.3),
        "exit": _tone(440, 0.08, 0.25),
        "success": _seq(_tone(c5, 0.1, 0.45, "bell"), _tone(e5, 0.1, 0.45, "bell"), _tone(g5, 0.3, 0.45, "bell")),
        "miss": _seq(_tone(392, 0.15, 0.35), _tone(330, 0.3, 0.35)),
        "home": _tone(660, 0.12, 0.3, "bell"),
        "cheer": _seq(_tone(g5, 0.1, 0.4, "bell"), _tone(c6, 0.25, 0.4, "bell")),
        # the level's end: a rising arpeggio into a held major chord
        "fanfare": _jingle([(0.0, c5, 0.5), (0.14, e5, 0.5), (0.28, g5, 0.5), (0.42, c6, 1.4), (0.42, e5, 1.4),
                            (0.42, g5, 1.4)], 0.32),
        # a rest begins: three soft falling bells, "time to rest"
        "rest": _jingle([(0.0, g5, 0.9), (0.3, e5, 0.9), (0.6, c5, 1.4), (0.6, 261.63, 1.4)], 0.3),
        # the rest is over: a lighter rising call
        "rest_over": _jingle([(0.0, c5, 0.5), (0.16, e5, 0.5), (0.32, g5, 0.5), (0.48, c6, 0.9)], 0.3),
        # the device stopped answering: two low questioning tones, noticed but not alarming
        "device_lost": _jingle([(0.0, a4, 0.45), (0.3, e4, 0.8)], 0.36, shape="sine"),
        # it answers again: the same tones rising, and a bright third
        "device_back": _jingle([(0.0, e4, 0.3), (0.16, a4, 0.3), (0.32, e5, 0.6), (0.32, b4, 0.6)], 0.3),
        "pause": _tone(600, 0.06, 0.3),
    }


def _jingle(notes: list[tuple[float, float, float]], volume: float, shape: str = "bell") -> np.ndarray:
    """Notes (start s, frequency Hz, length s) mixed into one short sound, normalised to ``volume``."""
    end = max(start + length for start, _, length in notes)
    out = np.zeros(int(RATE_HZ * end) + 1)
    for start, freq, length in notes:
        tone = _tone(freq, length, 1.0, shape)
        i = int(RATE_HZ * start)
        out[i:i + len(tone)] += tone
    fade = min(len(out), int(RATE_HZ * 0.02))
    out[-fade:] *= np.linspace(1.0, 0.0, fade)  # never end on a click
    return np.asarray(out / max(1e-9, float(np.abs(out).max())) * volume)


# -- music -----------------------------------------------------------------------------------------

# Chords per bar (MIDI note numbers), a bass note per bar and the melody's scale per theme.
_SCORES: dict[str, dict[str, Any]] = {
    # a calm garden in C major: I - vi - IV - V, twice, with the second ending at home
    "garden": {"chords": [(60, 64, 67), (57, 60, 64), (53, 57, 60), (55, 59, 62),
                          (60, 64, 67), (57, 60, 64), (53, 57, 62), (55, 59, 64)],
               "bass": [48, 45, 41, 43, 48, 45, 41, 43], "arp": "up", "pad": 0.5, "pluck": 0.55, "bell": 0.0,
               "swell": 0.0},
    # floating in space: slow suspended chords in A (no third for long), a bell now and then
    "space": {"chords": [(57, 62, 64), (57, 60, 64), (53, 57, 64), (55, 59, 62),
                         (57, 62, 64), (53, 57, 60), (50, 57, 62), (52, 56, 59)],
              "bass": [45, 45, 41, 43, 45, 41, 38, 40], "arp": "slow", "pad": 0.8, "pluck": 0.25, "bell": 0.35,
              "swell": 0.0},
    # the sea in D major: a rocking arpeggio over soft waves of noise
    "ocean": {"chords": [(62, 66, 69), (59, 62, 66), (55, 59, 62), (57, 61, 64),
                         (62, 66, 69), (59, 62, 66), (55, 59, 64), (57, 61, 66)],
              "bass": [50, 47, 43, 45, 50, 47, 43, 45], "arp": "rock", "pad": 0.55, "pluck": 0.45, "bell": 0.0,
              "swell": 0.25},
}


def _hz(midi: float) -> float:
    return float(440.0 * 2 ** ((midi - 69) / 12))


def _add_wrapped(out: np.ndarray, start: int, note: np.ndarray) -> None:
    """Add ``note`` at ``start``, folding whatever passes the loop's end back onto its start (a seamless loop)."""
    n = len(out)
    idx = (start + np.arange(len(note))) % n
    np.add.at(out, idx, note)


def _note(freq: float, length: int, attack_s: float, kind: str) -> np.ndarray:
    t = np.arange(length) / RATE_HZ
    attack = np.minimum(1.0, t / attack_s)
    if kind == "pad":  # two slightly detuned sines: a soft chorus, swelling in and out
        body = np.sin(2 * np.pi * freq * t) + 0.6 * np.sin(2 * np.pi * freq * 1.003 * t + 1.0)
        body += 0.15 * np.sin(2 * np.pi * 2 * freq * t)
        release = np.minimum(1.0, (length / RATE_HZ - t) / 0.8)
        return np.asarray(body / 1.75 * attack * np.clip(release, 0.0, 1.0))
    if kind == "pluck":  # a soft, muted pluck: the fundamental with a little octave, dying away
        body = np.sin(2 * np.pi * freq * t) + 0.25 * np.sin(4 * np.pi * freq * t) * np.exp(-t * 6)
        return np.asarray(body * attack * np.exp(-t * 2.2))
    if kind == "bell":  # a glassy bell: inharmonic partials, long decay
        body = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(2 * np.pi * freq * 2.76 * t) * np.exp(-t * 2)
        return np.asarray(body * attack * np.exp(-t * 0.9))
    body = np.sin(2 * np.pi * freq * t)  # bass: a round sine
    release = np.minimum(1.0, (length / RATE_HZ - t) / 0.3)
    return np.asarray(body * attack * np.clip(release, 0.0, 1.0))


def _waves(n: int, seed: int) -> np.ndarray:
    """Soft sea noise, periodic over ``n`` samples: low-passed in the frequency domain, swelling twice a loop."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE_HZ)
    spectrum *= 1.0 / (1.0 + (freqs / 500.0) ** 4)  # keep the low rumble and hiss of surf, no sharp hiss
    noise = np.fft.irfft(spectrum, n)
    noise /= max(1e-9, float(np.abs(noise).max()))
    phase = np.arange(n) / n
    swell = 0.5 - 0.5 * np.cos(2 * np.pi * 4 * phase)  # four waves a loop, each rising and falling
    return np.asarray(noise * swell ** 2)


def synthesize_music(theme: str) -> np.ndarray:
    """The theme's loop: mono float samples at ``RATE_HZ``, ``LOOP_BEATS`` beats long, exactly periodic."""
    score = _SCORES.get(theme, _SCORES["garden"])
    beat = BEAT_SAMPLES
    n = beat * LOOP_BEATS
    out = np.zeros(n)
    chords: list[tuple[int, ...]] = score["chords"]
    for bar, chord in enumerate(chords):
        start = bar * 4 * beat
        for pitch in chord:  # the pad holds the chord across the bar and a little into the next
            _add_wrapped(out, start, score["pad"] * 0.22 * _note(_hz(pitch), int(4.6 * beat), 0.6, "pad"))
        _add_wrapped(out, start, 0.2 * _note(_hz(score["bass"][bar]), int(3.8 * beat), 0.08, "bass"))
        if score["arp"] == "up":  # eighth notes up the chord and its octave
            pattern = [*chord, chord[0] + 12, chord[1] + 12, *reversed(chord[1:])]
            for i, pitch in enumerate(pattern[:8]):
                _add_wrapped(out, start + i * beat // 2, score["pluck"] * 0.3 * _note(_hz(pitch + 12), beat * 2, 0.005,
                                                                                       "pluck"))
        elif score["arp"] == "rock":  # a rocking figure, low-high-mid-high, like a boat
            pattern = [chord[0], chord[2], chord[1], chord[2]] * 2
            for i, pitch in enumerate(pattern):
                _add_wrapped(out, start + i * beat // 2, score["pluck"] * 0.3 * _note(_hz(pitch + 12), beat * 2, 0.005,
                                                                                       "pluck"))
        else:  # slow: one note a beat
            for i, pitch in enumerate([chord[0], chord[2], chord[1], chord[2]]):
                _add_wrapped(out, start + i * beat, score["pluck"] * 0.3 * _note(_hz(pitch + 12), beat * 3, 0.01,
                                                                                  "pluck"))
        if score["bell"] and bar % 2 == 0:
            _add_wrapped(out, start + 2 * beat, score["bell"] * 0.25 * _note(_hz(chord[-1] + 24), beat * 5, 0.005,
                                                                              "bell"))
    if score["swell"]:
        out += score["swell"] * 0.35 * _waves(n, 7)
    out -= float(out.mean())
    return np.asarray(out / max(1e-9, float(np.abs(out).max())) * 0.35)


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples to 16-bit signed integers."""
    return np.asarray(np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)


def _write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(to_pcm16(samples).tobytes())


def write_sounds(folder: Path) -> list[Path]:
    """Write every sound as a mono 16-bit WAV file into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, samples in synthesize().items():
        path = folder / f"{name}.wav"
        _write_wav(path, samples)
        written.append(path)
    return written


def write_music(folder: Path) -> list[Path]:
    """Write each theme's music loop as a mono 16-bit WAV file into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for theme in MUSIC_THEMES:
        path = folder / f"{theme}.wav"
        _write_wav(path, synthesize_music(theme))
        written.append(path)
    return written


def read_wav(path: Path) -> np.ndarray:
    """A mono 16-bit WAV as float samples in [-1, 1] (tests, tools)."""
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError(f"{path}: expected mono 16-bit audio")
        data = wav.readframes(wav.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32767


def music_theme(theme: str) -> str:
    """The music loop a level's theme plays (an unknown theme gets the garden's)."""
    return theme if theme in MUSIC_THEMES else "garden"


class MusicBackend:
    """Where a music player's loops sound: pygame's mixer here, panda3d's audio in ``p3d_sounds.py``."""

    def start(self, theme: str) -> Any:
        """Start the theme's loop (fading in); a handle for ``volume`` and ``stop``, or None when silent."""
        return None

    def volume(self, handle: Any, volume: float) -> None:
        """Set a playing loop's volume (0-1)."""

    def stop(self, handle: Any) -> None:
        """Stop (fade out) a playing loop."""


class PygameMusic(MusicBackend):
    """Loops on pygame's mixer (initialised by the view's sounds; silent when it has no device)."""

    FADE_MS = 800

    def __init__(self) -> None:
        self._sounds: dict[str, Any] = {}

    def start(self, theme: str) -> Any:
        try:
            import pygame
        except ImportError:  # pragma: no cover - pygame is a dependency
            return None
        if not pygame.mixer.get_init():
            return None
        sound = self._sounds.get(theme)
        if sound is None:
            try:
                sound = pygame.mixer.Sound(str(music_path(theme)))
            except (pygame.error, FileNotFoundError):  # missing or unreadable file: synthesize it
                pcm = to_pcm16(synthesize_music(theme))
                channels = pygame.mixer.get_init()[2]
                sound = pygame.sndarray.make_sound(np.repeat(pcm[:, None], channels, axis=1) if channels > 1 else pcm)
            self._sounds[theme] = sound
        return sound.play(loops=-1, fade_ms=self.FADE_MS)

    def volume(self, handle: Any, volume: float) -> None:
        handle.set_volume(volume)

    def stop(self, handle: Any) -> None:
        handle.fadeout(self.FADE_MS)


class MusicPlayer:
    """A view's music: the level's theme loop while a level is drawn, quieter under the pause menu.

    Silent (but still keeping its state, which tests read) when music is off or there is no audio
    device. ``frame(theme, paused)`` for each drawn play frame, ``tick()`` for each presented
    frame: a frame presented without a play frame (title, results, messages) stops the music.
    """

    def __init__(self, music: bool | None = None, backend: MusicBackend | None = None) -> None:
        self.enabled = music_enabled(music)
        self.backend = backend if backend is not None else PygameMusic()
        self.theme: str | None = None  # the loop playing now, None when stopped
        self.paused = False
        self.ducked = False  # an instruction is being spoken: the music is quieter
        self.volume = 0.0  # the volume asked for now (0 when stopped)
        self._drawn = False
        self._handle: Any = None

    def frame(self, theme: str, paused: bool = False) -> None:
        """A play frame of a level with ``theme`` was drawn: play its loop (quieter while ``paused``)."""
        self._drawn = True
        wanted = music_theme(theme)
        started = False
        if wanted != self.theme:
            self.stop()
            self.theme = wanted
            started = True
            if self.enabled:
                self._handle = self.backend.start(wanted)
        if started or paused != self.paused:
            self.paused = paused
            self._set_volume()

    def duck(self, on: bool) -> None:
        """Speech starts (``on``) or ends: the music steps down to ``DUCKED`` of its volume, or back."""
        if on != self.ducked:
            self.ducked = on
            if self.theme is not None:
                self._set_volume()

    def _set_volume(self) -> None:
        volume = (PAUSED_VOLUME if self.paused else MUSIC_VOLUME) if self.enabled else 0.0
        self.volume = volume * (DUCKED if self.ducked else 1.0)
        if self._handle is not None:
            self.backend.volume(self._handle, self.volume)

    def tick(self) -> None:
        """A frame was presented: without a play frame since the last one, the level is over or left."""
        if not self._drawn and self.theme is not None:
            self.stop()
        self._drawn = False

    def stop(self) -> None:
        """Stop the music (it fades out)."""
        if self._handle is not None:
            self.backend.stop(self._handle)
        self._handle = None
        self.theme = None
        self.paused = False
        self.volume = 0.0


_players: weakref.WeakKeyDictionary[Any, MusicPlayer] = weakref.WeakKeyDictionary()


def music_player(owner: Any, music: bool | None = None) -> MusicPlayer:
    """The music player of a view (made on first use, kept as long as the view lives).

    ``music`` (when given) turns it on or off from now on: ``music_player(view, False)`` right
    after opening a view is how a ``--no-music`` option reaches the 2D view.
    """
    player = _players.get(owner)
    if player is None:
        player = _players[owner] = MusicPlayer(music)
    elif music is not None:
        player.enabled = music
        if not music:
            player.stop()
    return player


def music_path(theme: str) -> Path:
    """The shipped WAV of a theme's loop."""
    from game.paths import assets_dir

    return assets_dir() / "music" / f"{music_theme(theme)}.wav"


if __name__ == "__main__":
    sounds_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "assets/sounds")
    music_dir = Path(sys.argv[2] if len(sys.argv) > 2 else sounds_dir.parent / "music")
    for written_path in [*write_sounds(sounds_dir), *write_music(music_dir)]:
        print(written_path)
