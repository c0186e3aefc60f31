from __future__ import annotations

from pathlib import Path

import pytest

from game.errors import LevelError
from game.level.loader import load_level, load_plan, shipped_levels
from game.paths import levels_dir

GOOD = (levels_dir() / "garden-balance.toml").read_text()


def write(tmp_path: Path, text: str | bytes, name: str = "level.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_every_shipped_level_loads_and_the_default_playlist_has_both_kinds():
    names = {p.name for p in shipped_levels()}
    assert {"garden-balance.toml", "space-reach.toml"} <= names
    for path in shipped_levels():
        assert load_level(path).level.challenges
    kinds = {c.kind for loaded in load_plan(None) for c in loaded.level.challenges}
    assert kinds == {"hold", "reach"}


def test_a_shipped_level_is_found_by_name_and_a_close_name_is_suggested():
    assert load_level("space-reach").name == "space-reach"
    with pytest.raises(LevelError) as info:
        load_level("space-rech")
    assert "did you mean 'space-reach'" in str(info.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(LevelError, match="no such level file"):
        load_level(str(tmp_path / "nope.toml"))


def test_a_toml_syntax_error_has_its_position(tmp_path):
    text = GOOD.replace('title = "Garden Balance"', 'title = "Garden Balance')
    path = write(tmp_path, text)
    with pytest.raises(LevelError) as info:
        load_level(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("title = "))
    assert f"{path}:{line}:" in str(info.value)
    assert "TOML syntax error" in str(info.value)


def test_every_validation_problem_is_reported_with_line_and_column(tmp_path):
    text = GOOD.replace("trials = 6", "trials = -1").replace("hold_s = {", "hold_sec = {").replace(
        "timeout_s = 15.0", "timeout_s = 15.0\ncolour = 'red'"
    )
    path = write(tmp_path, text)
    with pytest.raises(LevelError) as info:
        load_level(path)
    problems = info.value.problems
    lines = text.splitlines()
    trials_line = next(i for i, row in enumerate(lines, 1) if row.startswith("trials = -1"))
    assert any(p.startswith(f"{path}:{trials_line}:1: challenges[0].trials: ") for p in problems), problems
    assert any("unknown key 'hold_sec'; did you mean 'hold_s'?" in p for p in problems), problems
    assert any("challenges[0].knobs.hold_s: required field is missing" in p for p in problems), problems
    assert any("unknown key 'colour'" in p for p in problems), problems
    assert len(problems) == 4


@pytest.mark.parametrize(("old", "new", "key", "message"), [
    ('theme = "garden"', 'theme = "gardn"', "theme",
     "theme: 'gardn' is not one of the choices; did you mean 'garden'? (allowed: garden, space, ocean)"),
    ('kind = "hold"', 'kind = "hodl"', "kind",
     "challenges[0].kind: 'hodl' is not one of the choices; did you mean 'hold'? (allowed: hold, reach,"),
    ('player = "ladybird"', 'player = "ladybrid"', "player", "art.player: 'ladybrid' is not one of the choices; "
     "did you mean 'ladybird'?"),
    ('players = ["child", "adult"]', 'players = ["grown-up"]', "players",
     "players[0]: 'grown-up' is not one of the choices (allowed: child, adult)"),
])
def test_a_wrong_choice_names_what_was_written_the_nearest_choice_and_its_line(tmp_path, old, new, key, message):
    text = GOOD.replace(old, new)
    assert text != GOOD
    path = write(tmp_path, text)
    with pytest.raises(LevelError) as info:
        load_level(path)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(new))
    assert any(p.startswith(f"{path}:{line}:1: {message}") for p in info.value.problems), info.value.problems


def test_a_knob_with_equal_ends_is_refused(tmp_path):
    path = write(tmp_path, GOOD.replace("radius = { easy = 0.22, hard = 0.08 }", "radius = { easy = 0.2, hard = 0.2 }"))
    with pytest.raises(LevelError) as info:
        load_level(path)
    assert "challenges[0].knobs.radius" in str(info.value)
    assert "needs a range" in str(info.value)


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8"),
    (b"a" * 1_000_001, "may be at most"),
    (b"schema_version = 1\n", "required field is missing"),
    (b"[[challenges]]\nkind = 'spin'\n", "challenges[0]"),
])
def test_odd_files_get_a_message_not_a_traceback(tmp_path, content, message):
    with pytest.raises(LevelError) as info:
        load_level(write(tmp_path, content))
    assert message in str(info.value)


def test_a_playlist_with_a_broken_level_loads_nothing(tmp_path):
    write(tmp_path, GOOD, "good.toml")
    write(tmp_path, GOOD.replace("trials = 6", "trials = 0"), "bad.toml")
    mix = 'schema_version = 1\ntitle = "Mix"\nlevels = ["good.toml", "bad.toml"]\n'
    playlist = write(tmp_path, mix, "mix.playlist.toml")
    with pytest.raises(LevelError) as info:
        load_plan(str(playlist))
    assert "bad.toml" in str(info.value)
    playlist.write_text('schema_version = 1\ntitle = "Mix"\nlevels = ["good.toml", "space-reach"]\n')
    assert [loaded.name for loaded in load_plan(str(playlist))] == ["good", "space-reach"]


def test_the_hash_identifies_the_exact_file(tmp_path):
    a = load_level(write(tmp_path, GOOD, "a.toml"))
    b = load_level(write(tmp_path, GOOD + "\n# a comment\n", "b.toml"))
    assert a.level == b.level and a.sha256 != b.sha256
