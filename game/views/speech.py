"""Spoken instructions: the words on screen read out, for players who cannot read them (yet, or any more).

The game ships one recorded clip per instruction of the shipped assessments and levels in
``assets/speech`` (rendered on a developer's machine by ``tools/make_speech.py`` with espeak-ng;
``manifest.json`` there maps each text to its file). A player's machine needs no speech engine.

``SpeechPlayer`` decides when a clip plays, for both views (``PygameSpeech`` sounds it on
pygame's mixer, ``p3d_sounds.P3dSpeech`` on panda3d's audio); the view only tells it what text
is on screen: ``show(text)`` with the snapshot's instruction for each drawn play frame,
``show_lines(lines)`` for a message screen (an assessment's instruction screen), then ``tick()``
once per presented frame. The rules:

* a text is spoken when it appears, once: the text last spoken, shown again in the same run
  (the next trial of the same condition, after its "Trial 2 of 8" screen), is not repeated;
* a clip stops when its text leaves the screen (an assessment's trial starts: no voice while
  sway is recorded), and a frame with neither a play frame nor a message (the title, results,
  calibration) ends the run, so the next level speaks its first instruction again;
* music ducks while a clip plays;
* a text without a shipped clip (a user-authored level) is silent, unless ``espeak-ng`` is on
  the PATH: then it is rendered once in a background thread and spoken when ready, if its text
  is still on screen (never blocking a frame); a message line is spoken only from a shipped clip.

``PROPRIO_SPEECH=0`` (or ``speech=False``, ``proprio play --no-speech``) turns speech off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from game.views.sounds import MusicPlayer

SPEECH_ENV = "PROPRIO_SPEECH"
MANIFEST_NAME = "manifest.json"
MAKE_TOOL = "tools/make_speech.py"
VOICE = "en-gb"  # espeak-ng's British English voice
SPEED_WPM = 140  # slower than espeak-ng's 175: for children and older adults
RUNTIME_TIMEOUT_S = 15.0


def speech_enabled(flag: bool | None = None) -> bool:
    """Whether instructions are spoken: ``flag`` if given, else not when ``PROPRIO_SPEECH=0`` (off, no, false)."""
    if flag is not None:
        return flag
    return os.environ.get(SPEECH_ENV, "1").strip().lower() not in ("0", "off", "no", "false")


def speech_key(text: str) -> str:
    """The text a clip is looked up by: its words with runs of white space made one space."""
    return " ".join(text.split())


def speech_dir() -> Path:
    """The shipped clips' folder."""
    from game.paths import assets_dir

    return assets_dir() / "speech"


@dataclass(frozen=True)
class Clip:
    """One shipped clip: the text it reads and its file."""

    text: str
    path: Path


class SpeechCatalogue:
    """The shipped clips by text (empty when the manifest is missing or unreadable: then nothing is spoken)."""

    def __init__(self, clips: Sequence[Clip] = (), problem: str | None = None) -> None:
        self._clips = {speech_key(clip.text): clip for clip in clips}
        self.problem = problem  # why the catalogue is empty, for a tool or test to show
        self._found: dict[str, Path | None] = {}  # text -> its clip, looked up (and its file checked) once

    @classmethod
    def load(cls, folder: Path) -> SpeechCatalogue:
        """Read ``folder/manifest.json``; a bad manifest gives an empty catalogue that says why."""
        path = folder / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            clips = [Clip(str(item["text"]), folder / str(item["file"])) for item in data["clips"]]
        except FileNotFoundError:
            return cls(problem=f"{path}: no speech manifest (run {MAKE_TOOL})")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return cls(problem=f"{path}: unreadable speech manifest ({type(exc).__name__}: {exc}); run {MAKE_TOOL}")
        return cls(clips)

    def clip_for(self, text: str) -> Path | None:
        """The clip that reads ``text``, or None (no clip, or its file is missing); the file is checked once."""
        if text in self._found:
            return self._found[text]
        clip = self._clips.get(speech_key(text))
        found = clip.path if clip is not None and clip.path.is_file() else None
        if len(self._found) < 4096:  # a message's changing lines (a countdown) must not grow it for ever
            self._found[text] = found
        return found

    def texts(self) -> list[str]:
        """Every text with a clip."""
        return [clip.text for clip in self._clips.values()]


@lru_cache(maxsize=1)
def shipped_catalogue() -> SpeechCatalogue:
    """The catalogue of the shipped clips (read once)."""
    return SpeechCatalogue.load(speech_dir())


# -- speaking text that has no shipped clip -------------------------------------------------------------

def espeak_render(text: str, folder: Path) -> Path | None:
    """Render ``text`` with a system espeak-ng into a WAV in ``folder``; None when that fails."""
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkstemp(suffix=".wav", dir=folder)[1])
    try:
        subprocess.run([program, "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(out), "--", text],
                       check=True, capture_output=True, timeout=RUNTIME_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        out.unlink(missing_ok=True)
        return None
    return out if out.stat().st_size > 44 else None


class RuntimeVoice:
    """Renders texts that have no shipped clip, one at a time in a background thread; ``ready`` never waits."""

    def __init__(self, render: Callable[[str], Path | None], folder: Path | None = None) -> None:
        self._render = render
        self._folder = folder  # removed by ``close``
        self._lock = threading.Lock()
        self._done: dict[str, Path | None] = {}
        self._pending: set[str] = set()

    @classmethod
    def system(cls) -> RuntimeVoice | None:
        """A voice backed by espeak-ng on the PATH, or None when there is none."""
        if shutil.which("espeak-ng") is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="proprio-speech-"))
        return cls(lambda text: espeak_render(text, folder), folder)

    def ready(self, text: str) -> Path | None:
        """The rendered clip of ``text`` if it is ready; else start rendering it (once) and return None."""
        key = speech_key(text)
        with self._lock:
            if key in self._done:
                return self._done[key]
            if key in self._pending:
                return None
            self._pending.add(key)
        threading.Thread(target=self._work, args=(key,), name="proprio-speech", daemon=True).start()
        return None

    def rendered(self, text: str) -> Path | None:
        """The rendered clip of ``text`` if there is one (starts nothing)."""
        with self._lock:
            return self._done.get(speech_key(text))

    def pending(self, text: str) -> bool:
        """Whether ``text`` is being rendered now."""
        with self._lock:
            return speech_key(text) in self._pending

    def _work(self, key: str) -> None:
        try:
            path = self._render(key)
        except Exception:  # noqa: BLE001 - a voice that fails is silent, never a crash of the game
            path = None
        with self._lock:
            self._done[key] = path
            self._pending.discard(key)

    def close(self) -> None:
        """Remove the rendered clips."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


# -- playing --------------------------------------------------------------------------------------------

class SpeechBackend:
    """Where clips sound: pygame's mixer here, panda3d's audio in ``p3d_sounds.py``; silent by default."""

    def available(self) -> bool:
        """Whether a clip would sound (an audio device is open): run-time rendering is done only then."""
        return False

    def play(self, path: Path) -> Any:
        """Start the clip; a handle for ``busy`` and ``stop``, or None when silent."""
        return None

    def busy(self, handle: Any) -> bool:
        """Whether the clip is still sounding."""
        return False

    def stop(self, handle: Any) -> None:
        """Stop the clip."""


class PygameSpeech(SpeechBackend):
    """Clips on a channel of pygame's mixer kept for speech (event sounds never take it); silent without a mixer."""

    def __init__(self) -> None:
        self._sounds: dict[Path, Any] = {}
        self._reserve()

    @staticmethod
    def _reserve() -> None:
        import pygame

        if pygame.mixer.get_init():
            pygame.mixer.set_reserved(1)  # channel 0 is speech's alone: sounds and music never take it

    def available(self) -> bool:
        import pygame

        return bool(pygame.mixer.get_init())

    def play(self, path: Path) -> Any:
        import pygame

        if not pygame.mixer.get_init():
            return None
        sound = self._sounds.get(path)
        if sound is None:
            try:
                sound = pygame.mixer.Sound(str(path))
            except (pygame.error, FileNotFoundError):
                return None
            self._sounds[path] = sound
        self._reserve()
        channel = pygame.mixer.Channel(0)
        channel.play(sound)
        return channel

    def busy(self, handle: Any) -> bool:
        import pygame

        return bool(pygame.mixer.get_init() and handle.get_busy())

    def stop(self, handle: Any) -> None:
        import pygame

        if pygame.mixer.get_init():
            handle.stop()


class SpeechPlayer:
    """A view's speech: what text is on screen comes from the view each frame; this decides when a clip plays.

    Silent (but keeping its state, which tests read) when there is no audio device. ``spoken``
    is the text last spoken in this run (words without a clip in between, an assessment's
    "Trial 2 of 8", do not count: the same instruction after them is not read again),
    ``playing`` the text whose clip sounds now.
    """

    def __init__(self, speech: bool | None = None, backend: SpeechBackend | None = None, *,
                 catalogue: SpeechCatalogue | None = None, music: MusicPlayer | None = None,
                 voice: RuntimeVoice | Literal["system"] | None = "system") -> None:
        self.enabled = speech_enabled(speech)
        self.backend = backend if backend is not None else SpeechBackend()
        self.catalogue = catalogue if catalogue is not None else shipped_catalogue()
        self.music = music
        self._voice: RuntimeVoice | Literal["system"] | None = voice  # "system": espeak-ng, looked for on need
        self.spoken: str | None = None
        self.playing: str | None = None
        self.said: list[str] = []  # texts spoken, newest last (kept short; tests read it)
        self._drawn = False
        self._shown: str | None = None  # this frame's text that can be spoken (a clip, or one to render)
        self._runtime = False  # whether that text may be rendered at run time
        self._handle: Any = None

    @property
    def voice(self) -> RuntimeVoice | None:
        """The run-time voice for texts without a clip (made on first need; None when there is no espeak-ng)."""
        if self._voice == "system":
            self._voice = RuntimeVoice.system()  # looked for once: no espeak-ng now means none for this view
        return self._voice if isinstance(self._voice, RuntimeVoice) else None

    def show(self, text: str, render: bool = False) -> None:
        """A play frame showing ``text`` (the snapshot's instruction) was drawn.

        ``render``: a text without a shipped clip may be rendered by the run-time voice (a level's
        challenge is being introduced); otherwise only a clip already rendered is spoken.
        """
        self._drawn = True
        if text.strip() and self._shown is None:
            self._shown, self._runtime = text, render

    def show_lines(self, lines: Sequence[str]) -> None:
        """A message screen was drawn: its first line that has a shipped clip is the text on screen."""
        self._drawn = True
        if self._shown is None:
            self._shown = next((line for line in lines if line.strip() and self.catalogue.clip_for(line)), None)
            self._runtime = False

    def tick(self) -> None:
        """A frame was presented: start, keep or stop the clip for what it showed."""
        shown, runtime = self._shown, self._runtime
        if not self._drawn:
            self.stop()
            self.spoken = None  # a title, results or calibration screen: the run is over
        elif shown is None or (self.playing is not None and speech_key(shown) != self.playing):
            self.stop()  # the text left the screen
        if shown is not None and speech_key(shown) != self.spoken:
            self._start(shown, runtime)
        if self._handle is not None and not self.backend.busy(self._handle):
            self._handle = None
            self.playing = None
        self._duck(self.playing is not None and self._handle is not None)
        self._drawn, self._shown, self._runtime = False, None, False

    def _start(self, text: str, runtime: bool) -> None:
        key = speech_key(text)
        clip = self.catalogue.clip_for(text)
        voice = self.voice if clip is None and self.enabled and self.backend.available() else None
        if voice is not None:
            clip = voice.ready(text) if runtime else voice.rendered(text)
        if clip is None or not self.enabled:
            return  # no clip (yet: a render may still be under way), or speech is off: silent, and not "spoken"
        self.spoken = key
        self.said.append(key)
        del self.said[:-20]
        self.playing = key
        self._handle = self.backend.play(clip)

    def _duck(self, on: bool) -> None:
        if self.music is not None:
            self.music.duck(on)

    def stop(self) -> None:
        """Stop the clip sounding now (if any)."""
        if self._handle is not None:
            self.backend.stop(self._handle)
        self._handle = None
        self.playing = None
        self._duck(False)

    def close(self) -> None:
        """Stop, and remove what the run-time voice rendered."""
        self.stop()
        if isinstance(self._voice, RuntimeVoice):
            self._voice.close()


_players: weakref.WeakKeyDictionary[Any, SpeechPlayer] = weakref.WeakKeyDictionary()


def speech_player(owner: Any, speech: bool | None = None, *, music: MusicPlayer | None = None,
                  backend: SpeechBackend | None = None) -> SpeechPlayer:
    """The speech player of a view (made on first use, kept as long as the view lives).

    ``speech`` (when given) turns it on or off from now on, as ``music_player`` does for music.
    """
    player = _players.get(owner)
    if player is None:
        player = _players[owner] = SpeechPlayer(speech, backend if backend is not None else PygameSpeech(),
                                                music=music)
    elif speech is not None:
        player.enabled = speech
        if not speech:
            player.stop()
    return player
