"""Game sounds, synthesized from simple tones so they are ours to ship (CC0).

``write_sounds`` writes them as WAV files into ``assets/sounds`` (run
``python -m game.views.sounds assets/sounds``); the game plays the shipped files and falls
back to synthesizing them if a file is missing.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import numpy as np

RATE_HZ = 22050

# event kind -> sound name; every event the core emits has one.
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
}


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
    return {
        "start": _seq(_tone(g5, 0.18, 0.4, "bell"), _tone(c6, 0.35, 0.4, "bell")),
        "appear": _glide(500, 900, 0.12, 0.35),
        "enter": _tone(880, 0.08, 0.3),
        "exit": _tone(440, 0.08, 0.25),
        "success": _seq(_tone(c5, 0.1, 0.45, "bell"), _tone(e5, 0.1, 0.45, "bell"), _tone(g5, 0.3, 0.45, "bell")),
        "miss": _seq(_tone(392, 0.15, 0.35), _tone(330, 0.3, 0.35)),
        "home": _tone(660, 0.12, 0.3, "bell"),
        "cheer": _seq(_tone(g5, 0.1, 0.4, "bell"), _tone(c6, 0.25, 0.4, "bell")),
        "fanfare": _seq(
            _tone(c5, 0.14, 0.45, "bell"), _tone(e5, 0.14, 0.45, "bell"),
            _tone(g5, 0.14, 0.45, "bell"), _tone(c6, 0.5, 0.5, "bell"),
        ),
        "pause": _tone(600, 0.06, 0.3),
    }


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples to 16-bit signed integers."""
    return np.asarray(np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)


def write_sounds(folder: Path) -> list[Path]:
    """Write every sound as a mono 16-bit WAV file into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, samples in synthesize().items():
        path = folder / f"{name}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE_HZ)
            out.writeframes(to_pcm16(samples).tobytes())
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_sounds(Path(sys.argv[1] if len(sys.argv) > 1 else "assets/sounds")):
        print(written_path)
