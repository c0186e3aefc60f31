"""The 3D view's sounds, music and speech: the shipped files through panda3d's audio managers, silent when headless.

Event sounds go through the ShowBase's sfx manager, the theme's music loop through its music
manager (``P3dMusic``; when to play it is ``game.views.sounds.MusicPlayer``'s decision, the same
as in the 2D view), spoken instructions through the sfx manager too (``P3dSpeech``; when is
``game.views.speech.SpeechPlayer``'s decision: the view calls ``speech.show``/``show_lines``
and ``speech.tick`` as the 2D view does). With ``--headless`` or ``--mute`` panda3d's null
audio library is loaded and nothing sounds, but the names played are still recorded for tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.core.events import Event
from game.paths import assets_dir
from game.views.sounds import EVENT_SOUNDS, MusicBackend, MusicPlayer, music_path
from game.views.speech import SpeechBackend, SpeechPlayer

if TYPE_CHECKING:
    from direct.showbase.ShowBase import ShowBase


def sound_names(events: Iterable[Event | str]) -> list[str]:
    """The distinct sound names for a frame's events, in order (an event may name its own sound)."""
    names: list[str] = []
    for event in events:
        if isinstance(event, str):
            name = EVENT_SOUNDS.get(event)
        else:
            data = event.data if isinstance(getattr(event, "data", None), dict) else {}
            name = data.get("sound", EVENT_SOUNDS.get(event.kind))
        if name and name not in names:
            names.append(name)
    return names


class P3dMusic(MusicBackend):
    """Music loops through the ShowBase's music manager (nothing when it has no device)."""

    def __init__(self, base: ShowBase | None) -> None:
        self.base = base
        self._loops: dict[str, Any] = {}  # theme -> panda3d AudioSound

    def _manager_ok(self) -> bool:
        managers = getattr(self.base, "musicManager", None) if self.base is not None else None
        return bool(managers is not None and managers.isValid())

    def start(self, theme: str) -> Any:
        if self.base is None or not self._manager_ok():
            return None
        loop = self._loops.get(theme)
        if loop is None:
            path = music_path(theme)
            if not path.is_file():
                return None
            from panda3d.core import Filename

            loop = self.base.loader.loadMusic(Filename.fromOsSpecific(str(path)))
            if loop is None:
                return None
            loop.setLoop(True)
            self._loops[theme] = loop
        loop.play()
        return loop

    def volume(self, handle: Any, volume: float) -> None:
        handle.setVolume(volume)

    def stop(self, handle: Any) -> None:
        handle.stop()

    def close(self) -> None:
        for loop in self._loops.values():
            loop.stop()
        self._loops.clear()
        self.base = None


class P3dSpeech(SpeechBackend):
    """Spoken clips (Ogg Vorbis) through the ShowBase's sfx manager (nothing when it has no device)."""

    def __init__(self, base: ShowBase | None) -> None:
        self.base = base
        self._clips: dict[Path, Any] = {}  # path -> panda3d AudioSound

    def available(self) -> bool:
        managers = getattr(self.base, "sfxManagerList", None) if self.base is not None else None
        return bool(managers and managers[0].isValid())

    def play(self, path: Path) -> Any:
        if self.base is None or not self.available():
            return None
        clip = self._clips.get(path)
        if clip is None:
            from panda3d.core import Filename

            clip = self.base.loader.loadSfx(Filename.fromOsSpecific(str(path)))
            if clip is None:
                return None
            self._clips[path] = clip
        clip.play()
        return clip

    def busy(self, handle: Any) -> bool:
        from panda3d.core import AudioSound

        return bool(handle.status() == AudioSound.PLAYING)

    def stop(self, handle: Any) -> None:
        handle.stop()

    def close(self) -> None:
        for clip in self._clips.values():
            clip.stop()
        self._clips.clear()
        self.base = None


class P3dSounds:
    """One sound per event kind, played through the ShowBase's sfx manager (the null one when silent)."""

    def __init__(self, base: ShowBase, enabled: bool, music: bool | None = None) -> None:
        self.enabled = False
        self.played: list[str] = []  # names played, newest last (kept short; tests read it)
        self._sounds: dict[str, Any] = {}  # name -> panda3d AudioSound
        self._backend = P3dMusic(base if enabled else None)
        self.music = MusicPlayer(music, self._backend)  # decides when music plays (the state tests read)
        self._speech = P3dSpeech(base if enabled else None)
        self.speech = SpeechPlayer(None, self._speech, music=self.music)  # decides when instructions are read out
        if not enabled or not getattr(base, "sfxManagerList", None):
            return
        manager = base.sfxManagerList[0]
        if not manager.isValid():
            return  # no audio device: play silently
        from panda3d.core import Filename

        folder = assets_dir() / "sounds"
        for name in set(EVENT_SOUNDS.values()):
            path = folder / f"{name}.wav"
            if path.is_file():
                sound = base.loader.loadSfx(Filename.fromOsSpecific(str(path)))
                if sound is not None:
                    self._sounds[name] = sound
        self.enabled = bool(self._sounds)

    def play_for(self, events: list[Event] | list[str]) -> None:
        """Play up to three distinct sounds for this frame's events."""
        for name in sound_names(events)[-3:]:
            self.played.append(name)
            sound = self._sounds.get(name) if self.enabled else None
            if sound is not None:
                sound.play()
        del self.played[:-50]

    def close(self) -> None:
        """Stop every sound, the speech and the music."""
        self.speech.close()
        self._speech.close()
        self.music.stop()
        self._backend.close()
        for sound in self._sounds.values():
            sound.stop()
        self._sounds.clear()
        self.enabled = False
