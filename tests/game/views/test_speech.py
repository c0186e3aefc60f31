"""Spoken instructions: every shipped instruction has its clip, the player speaks each once, ducks the music, stops.

The player is driven through a recording backend (what would sound, and whether it still does);
the 2D view runs pygame's mixer on SDL's dummy driver, which really plays the shipped Ogg files.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from game.assess.loader import load_protocol, shipped_protocols
from game.level.loader import load_level, shipped_levels
from game.views.sounds import DUCKED, MUSIC_VOLUME, MusicBackend, MusicPlayer
from game.views.speech import (
    MAKE_TOOL,
    MANIFEST_NAME,
    RuntimeVoice,
    SpeechBackend,
    SpeechCatalogue,
    SpeechPlayer,
    espeak_render,
    speech_dir,
    speech_enabled,
    speech_key,
)

ROOT = Path(__file__).resolve().parents[3]
HAS_TOOLS = shutil.which("espeak-ng") is not None and shutil.which("oggenc") is not None


def _tool():
    spec = importlib.util.spec_from_file_location("make_speech", ROOT / "tools" / "make_speech.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


class Recording(SpeechBackend):
    """What would sound: ``played`` paths in order; a clip is busy until ``finish``."""

    def __init__(self) -> None:
        self.played: list[Path] = []
        self.stopped = 0
        self.sounding: Path | None = None

    def available(self) -> bool:
        return True

    def play(self, path: Path) -> Path:
        self.played.append(path)
        self.sounding = path
        return path

    def busy(self, handle: Path) -> bool:
        return self.sounding == handle

    def stop(self, handle: Path) -> None:
        self.stopped += 1
        self.sounding = None

    def finish(self) -> None:
        self.sounding = None


def _catalogue(tmp_path: Path, *texts: str) -> SpeechCatalogue:
    clips = []
    for i, text in enumerate(texts):
        (tmp_path / f"c{i}.ogg").write_bytes(b"OggS")
        clips.append({"text": text, "file": f"c{i}.ogg"})
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"clips": clips}), encoding="utf-8")
    return SpeechCatalogue.load(tmp_path)


# -- the shipped clips ----------------------------------------------------------------------------------

def test_every_shipped_assessment_instruction_has_a_clip_of_its_current_text():
    catalogue = SpeechCatalogue.load(speech_dir())
    assert catalogue.problem is None, catalogue.problem
    missing = [f"{path.name}: {condition.name}" for path in shipped_protocols()
               for condition in load_protocol(path).protocol.conditions
               if catalogue.clip_for(condition.instruction) is None]
    assert not missing, (f"instructions without a spoken clip of their current text: {missing}; "
                         f"run 'python {MAKE_TOOL}' (needs espeak-ng and vorbis-tools) and commit assets/speech")
    assert len(shipped_protocols()) >= 4


def test_every_shipped_level_instruction_has_a_clip_of_its_current_text():
    catalogue = SpeechCatalogue.load(speech_dir())
    missing = [f"{path.name}: {challenge.title}" for path in shipped_levels()
               for challenge in load_level(path).level.challenges if catalogue.clip_for(challenge.instruction) is None]
    assert not missing, f"level instructions without a clip: {missing}; run 'python {MAKE_TOOL}'"


def test_the_manifest_names_every_shipped_clip_once_and_records_how_it_was_made():
    folder = speech_dir()
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    files = [clip["file"] for clip in manifest["clips"]]
    assert sorted(files) == sorted(p.name for p in folder.glob("*.ogg"))  # no orphan, none missing
    assert len(set(files)) == len(files)
    assert manifest["voice"] == "en-gb" and manifest["espeak_ng_version"] and manifest["rate_hz"] == 22050
    for clip in manifest["clips"]:
        assert (folder / clip["file"]).read_bytes()[:4] == b"OggS"
        assert 0.5 < clip["seconds"] < 20, clip
        assert clip["sources"], clip
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 3 * 1024 * 1024, f"assets/speech is {total} bytes: keep it under 3 MB"


def test_the_shipped_clips_decode_to_speech_of_their_recorded_length(monkeypatch):
    pygame = pytest.importorskip("pygame")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    opened = not pygame.mixer.get_init()
    if opened:
        pygame.mixer.init(frequency=22050, size=-16, channels=1)
    try:
        manifest = json.loads((speech_dir() / MANIFEST_NAME).read_text(encoding="utf-8"))
        for clip in manifest["clips"]:
            sound = pygame.mixer.Sound(str(speech_dir() / clip["file"]))
            assert sound.get_length() == pytest.approx(clip["seconds"], abs=0.05), clip["file"]
            samples = pygame.sndarray.array(sound).astype(float)
            assert abs(samples).max() > 3000, f"{clip['file']} is (nearly) silent"
    finally:
        if opened:
            pygame.mixer.quit()


def test_the_tools_check_fails_naming_the_tool_when_a_text_changed(capsys):
    tool = _tool()
    assert tool.main(["--check"]) == 0
    texts = tool.collect_texts()
    texts["Stand on one leg, please."] = ["levels/assessments/edited.toml: edited"]
    problems = tool.check(speech_dir(), texts)
    assert problems == ["no clip for the text of levels/assessments/edited.toml: edited: 'Stand on one leg, please.'"]


def test_the_tool_skips_with_a_reason_without_espeak_ng(tmp_path, monkeypatch, capsys):
    tool = _tool()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "speech"
    assert tool.main(["--out", str(out), "--no-levels"]) == 0
    err = capsys.readouterr().err
    assert "skipped" in err and "espeak-ng" in err and "apt-get install espeak-ng" in err
    assert not out.exists()


@pytest.mark.skipif(not HAS_TOOLS, reason="espeak-ng and oggenc (apt-get install espeak-ng vorbis-tools) not here")
def test_the_tool_renders_the_shipped_clips_again_byte_for_byte(tmp_path):
    tool = _tool()
    shipped = json.loads((speech_dir() / MANIFEST_NAME).read_text(encoding="utf-8"))
    if tool.tool_versions() != {"espeak_ng": shipped["espeak_ng_version"], "oggenc": shipped["oggenc_version"]}:
        pytest.skip("another espeak-ng or oggenc version than the shipped clips were made with")
    out = tmp_path / "speech"
    (out).mkdir()
    (out / "stale.ogg").write_bytes(b"old")
    assert tool.main(["--out", str(out), "--no-levels"]) == 0
    made = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assessments = {speech_key(c.instruction) for p in shipped_protocols() for c in load_protocol(p).protocol.conditions}
    assert {clip["text"] for clip in made["clips"]} == assessments
    assert not (out / "stale.ogg").exists()
    for clip in made["clips"]:
        assert (out / clip["file"]).read_bytes() == (speech_dir() / clip["file"]).read_bytes(), clip["file"]


# -- lookup -----------------------------------------------------------------------------------------

def test_lookup_is_by_text_with_white_space_made_one(tmp_path):
    catalogue = _catalogue(tmp_path, "Stand still.", "Lean left.")
    assert catalogue.clip_for("Stand still.") == tmp_path / "c0.ogg"
    assert catalogue.clip_for("  Stand\n still. ") == tmp_path / "c0.ogg"
    assert catalogue.clip_for("stand still.") is None  # another text (case counts: it is what is shown)
    (tmp_path / "c1.ogg").unlink()
    assert catalogue.clip_for("Lean left.") is None  # its file is gone: silent, not an error


def test_a_missing_or_broken_manifest_is_an_empty_catalogue_that_says_why(tmp_path):
    empty = SpeechCatalogue.load(tmp_path)
    assert empty.texts() == [] and empty.problem is not None and MAKE_TOOL in empty.problem
    (tmp_path / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    broken = SpeechCatalogue.load(tmp_path)
    assert broken.clip_for("x") is None and broken.problem is not None and "unreadable" in broken.problem


# -- when a clip plays -------------------------------------------------------------------------------

def _player(tmp_path, *texts, speech=True, music=None, voice=None):
    backend = Recording()
    player = SpeechPlayer(speech, backend, catalogue=_catalogue(tmp_path, *texts), music=music, voice=voice)
    return player, backend


def test_an_instruction_is_spoken_once_when_it_appears_and_stops_when_it_leaves(tmp_path):
    player, backend = _player(tmp_path, "Stand still.", "Lean left.")
    player.show("Stand still.")
    player.tick()
    player.show_lines(["Stand still.", "", "When ready: Enter (A) or click Ready."])  # the get-ready screen: same words
    player.tick()
    assert backend.played == [tmp_path / "c0.ogg"] and player.playing == "Stand still."
    player.show_lines(["Trial 1 of 3."])  # the trial: the words left the screen, the voice stops
    player.tick()
    assert backend.sounding is None and player.playing is None
    player.show_lines(["Stand still.", "Trial 2 of 3"])  # the next trial of the same condition: not again
    player.tick()
    assert backend.played == [tmp_path / "c0.ogg"]
    player.show("Trial 2 of 3: Stand still, direction 90°.")  # a limits-of-stability trial's own words: no clip
    player.tick()
    player.show("Stand still.")  # the next get-ready: the last words spoken, not again
    player.tick()
    assert backend.played == [tmp_path / "c0.ogg"] and player.spoken == "Stand still."
    player.show("Lean left.")
    player.tick()
    assert backend.played == [tmp_path / "c0.ogg", tmp_path / "c1.ogg"]
    assert player.said == ["Stand still.", "Lean left."]


def test_a_challenge_whose_words_come_back_after_others_is_spoken_again(tmp_path):
    player, backend = _player(tmp_path, "Stand still.", "Lean left.")
    for text in ("Stand still.", "Lean left.", "Stand still."):  # three challenges of one level
        player.show(text)
        player.tick()
    assert player.said == ["Stand still.", "Lean left.", "Stand still."]


def test_a_screen_without_words_ends_the_run_so_a_replay_speaks_again(tmp_path):
    player, backend = _player(tmp_path, "Stand still.")
    player.show("Stand still.")
    player.tick()
    player.tick()  # the results screen: nothing shown
    assert backend.stopped == 1 and player.spoken is None
    player.show("Stand still.")
    player.tick()
    assert len(backend.played) == 2


def test_music_ducks_while_a_clip_sounds(tmp_path):
    class Loops(MusicBackend):
        def __init__(self) -> None:
            self.volumes: list[float] = []

        def start(self, theme: str) -> str:
            return theme

        def volume(self, handle: object, volume: float) -> None:
            self.volumes.append(volume)

    loops = Loops()
    music = MusicPlayer(True, loops)
    backend = Recording()
    player = SpeechPlayer(True, backend, catalogue=_catalogue(tmp_path, "Stand still."), music=music)
    music.frame("garden")
    player.show("Stand still.")
    player.tick()
    assert music.ducked and loops.volumes[-1] == pytest.approx(MUSIC_VOLUME * DUCKED)
    music.frame("garden")
    player.show("Stand still.")
    player.tick()
    assert music.ducked  # still speaking
    backend.finish()
    music.frame("garden")
    player.show("Stand still.")
    player.tick()
    assert not music.ducked and loops.volumes[-1] == pytest.approx(MUSIC_VOLUME)
    assert backend.played and len(backend.played) == 1  # over, and not spoken again


def test_a_text_without_a_clip_is_silent(tmp_path):
    player, backend = _player(tmp_path, "Stand still.")
    for _ in range(3):
        player.show("My own level's words.", render=True)
        player.tick()
        player.show_lines(["Another message"])
        player.tick()
    assert backend.played == [] and player.said == [] and player.playing is None


def test_speech_off_plays_nothing(tmp_path, monkeypatch):
    player, backend = _player(tmp_path, "Stand still.", speech=False)
    player.show("Stand still.")
    player.tick()
    assert backend.played == [] and player.said == []
    monkeypatch.setenv("PROPRIO_SPEECH", "0")
    assert speech_enabled() is False and SpeechPlayer(backend=Recording()).enabled is False
    monkeypatch.setenv("PROPRIO_SPEECH", "off")
    assert speech_enabled() is False
    monkeypatch.setenv("PROPRIO_SPEECH", "1")
    assert speech_enabled() is True and speech_enabled(False) is False  # the flag wins


def test_a_run_time_voice_renders_in_the_background_and_never_blocks_a_frame(tmp_path):
    release = threading.Event()
    rendered = tmp_path / "own.wav"
    rendered.write_bytes(b"RIFF")
    asked: list[str] = []

    def slow_render(text: str) -> Path:
        asked.append(text)
        release.wait(10)
        return rendered

    voice = RuntimeVoice(slow_render)
    player, backend = _player(tmp_path, "Stand still.", voice=voice)
    player.show("My own words.")  # not an introduction: nothing is rendered
    player.tick()
    assert asked == [] and backend.played == []
    player.tick()  # leaves the screen: the run goes on
    started = time.perf_counter()
    for _ in range(3):
        player.show("Follow the bee!", render=True)  # a user-authored challenge is introduced
        player.tick()
    assert time.perf_counter() - started < 5  # the frames went on while the voice was busy
    assert backend.played == [] and player.spoken is None
    release.set()
    for _ in range(200):
        if voice.rendered("Follow the bee!") is not None:
            break
        time.sleep(0.01)
    player.show("Follow the bee!")  # the challenge's trial: the words are still on screen
    player.tick()
    assert asked == ["Follow the bee!"] and backend.played == [rendered]


def test_a_failing_run_time_voice_is_silent(tmp_path):
    asked: list[str] = []

    def broken(text: str) -> Path:
        asked.append(text)
        raise RuntimeError("no voice")

    voice = RuntimeVoice(broken)
    player, backend = _player(tmp_path, voice=voice)
    player.show("Follow the bee!", render=True)
    player.tick()
    for _ in range(200):
        if not voice.pending("Follow the bee!"):
            break
        time.sleep(0.01)
    for _ in range(3):
        player.show("Follow the bee!", render=True)
        player.tick()
    assert asked == ["Follow the bee!"]  # tried once, not again every frame
    assert backend.played == [] and player.said == [] and player.spoken is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng on the PATH")
def test_the_system_voice_writes_a_wav(tmp_path):
    import wave

    path = espeak_render("Follow the bee!", tmp_path)
    assert path is not None and path.parent == tmp_path
    with wave.open(str(path), "rb") as clip:
        assert clip.getnchannels() == 1 and clip.getnframes() / clip.getframerate() > 0.5


# -- in the views -----------------------------------------------------------------------------------

def test_the_2d_view_reads_out_an_assessment_instruction_and_a_level_instruction(monkeypatch):
    pytest.importorskip("pygame")
    pytest.importorskip("panda3d")  # for the sample snapshot
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("PROPRIO_SPEECH", "1")
    from game.assess.runner import AssessmentRunner
    from game.core.snapshot import Frame
    from game.views.p3d_scene import sample_snapshot
    from game.views.pygame_view import PygameView
    from game.views.sounds import music_player
    from game.views.speech import speech_player

    runner = AssessmentRunner(load_protocol("mctsib").protocol)
    instruction = runner.protocol.conditions[0].instruction
    view = PygameView(sound=True)  # the dummy audio driver: the mixer opens and the channel really plays
    try:
        speech = speech_player(view)
        assert speech.music is music_player(view)
        view.draw_message(*runner.headline())  # the assessment's instruction screen
        view.present()
        assert speech.said == [speech_key(instruction)] and speech.playing == speech_key(instruction)
        import pygame

        assert pygame.mixer.Channel(0).get_busy()  # the shipped Ogg clip sounds on speech's own channel
        runner.confirm()
        view.draw_message(*runner.headline())  # get ready: the same words, still speaking, not restarted
        view.present()
        assert speech.said == [speech_key(instruction)]
        view.present()  # a frame with nothing drawn (another screen): the voice stops
        assert speech.playing is None and speech.spoken is None and not pygame.mixer.Channel(0).get_busy()
        level_words = load_level("garden-balance").level.challenges[0].instruction
        snap = sample_snapshot("garden", instruction=level_words, phase="intro")
        view.draw_play(Frame(snap, snap, 1.0))
        view.present()
        assert speech.said[-1] == speech_key(level_words)
        assert music_player(view).ducked == (speech.playing is not None)
        assert speech_player(view, False) is speech and speech.playing is None  # --no-speech: silent at once
    finally:
        view.close()


def test_no_speech_on_the_command_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from game.cli import cli

    monkeypatch.setenv("PROPRIO_SPEECH", "1")  # restored after the test: the option sets it to 0 in-process
    result = CliRunner().invoke(cli, ["play", "garden-balance", "--headless", "--input", "sim", "--fast",
                                       "--duration", "1", "--no-speech", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert speech_enabled() is False
    from game.views.factory import open_view
    from game.views.speech import speech_player

    view = open_view("2d", headless=True, sound=False)
    try:
        assert speech_player(view).enabled is False  # what the option said reaches the view it opens
    finally:
        view.close()
    assert "--no-speech" in CliRunner().invoke(cli, ["play", "--help"]).output


def test_no_speech_for_an_assessment_too(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from game.cli import cli

    monkeypatch.setenv("PROPRIO_SPEECH", "1")  # restored after the test: the option sets it to 0 in-process
    assert speech_enabled() is True
    result = CliRunner().invoke(cli, ["assess", "run", "weight-distribution", "--headless", "--fast", "--input", "sim",
                                       "--no-speech", "--player", "ann-02", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert speech_enabled() is False


def test_the_3d_sounds_carry_a_speech_player_that_ducks_their_music():
    pytest.importorskip("panda3d")
    from game.views.p3d_sounds import P3dSounds, P3dSpeech

    class Base:  # no audio managers at all: panda3d's null audio, as --headless has
        sfxManagerList: list[object] = []

    sounds = P3dSounds(Base(), enabled=False)
    assert sounds.speech.music is sounds.music and isinstance(sounds.speech.backend, P3dSpeech)
    assert sounds.speech.backend.available() is False
    shipped = load_protocol("single-leg").protocol.conditions[0].instruction
    sounds.speech.show_lines([shipped])
    sounds.speech.tick()
    assert sounds.speech.said == [speech_key(shipped)]  # decided as in 2D; nothing sounds without a device
    sounds.close()
    assert sounds.speech.playing is None
