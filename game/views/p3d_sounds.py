"""The 3D view's sounds: the shipped WAVs through panda3d's audio manager, silent when headless."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from game.core.events import Event
from game.paths import assets_dir
from game.views.sounds import EVENT_SOUNDS

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


class P3dSounds:
    """One sound per event kind, played through the ShowBase's sfx manager (the null one when silent)."""

    def __init__(self, base: ShowBase, enabled: bool) -> None:
        self.enabled = False
        self.played: list[str] = []  # names played, newest last (kept short; tests read it)
        self._sounds: dict[str, Any] = {}  # name -> panda3d AudioSound
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
        """Stop every sound."""
        for sound in self._sounds.values():
            sound.stop()
        self._sounds.clear()
        self.enabled = False
