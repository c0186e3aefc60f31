"""Hostile level files: regular files only; size, nesting and number length capped; a positioned error, no hang."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.errors import LevelError
from game.level.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER_DIGITS, bounds_problem, load_level
from game.level.watch import LevelWatcher
from game.paths import levels_dir
from tests.cli import run_cli

GOOD = (levels_dir() / "garden-balance.toml").read_text(encoding="utf-8")


@contextmanager
def no_hang(seconds: int = 20) -> Iterator[None]:
    """Turn a hang into a failure (a guard only: nothing here measures time)."""
    def stop(signum: int, frame: object) -> None:
        raise AssertionError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def problem_of(path: Path) -> str:
    with no_hang(), pytest.raises(LevelError) as caught:
        load_level(path)
    return (caught.value.problems or [caught.value.message])[0]


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "level.toml"
    os.mkfifo(fifo)
    assert problem_of(fifo) == f"{fifo}:1:1: a FIFO (named pipe), not a level file"


def test_dev_zero_is_refused_without_reading_it():
    assert problem_of(Path("/dev/zero")) == "/dev/zero:1:1: a device, not a level file"


def test_a_folder_is_refused(tmp_path):
    assert problem_of(tmp_path).endswith(":1:1: a folder, not a level file")


def test_a_file_over_the_size_cap_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    assert problem_of(big) == f"{big}:1:1: file is {MAX_FILE_BYTES + 2} bytes; a level file may be at most" \
                              f" {MAX_FILE_BYTES}"


def test_the_cli_says_error_for_a_fifo_and_dev_zero(tmp_path, capsys):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with no_hang():
        code, _, err = run_cli(["levels", "check", str(fifo), "/dev/zero"], capsys)
    assert code == 1 and "Traceback" not in err
    assert f"{fifo}:1:1: a FIFO" in err and "/dev/zero:1:1: a device" in err
    with no_hang():
        code, _, err = run_cli(["play", str(fifo), "--headless", "--db", str(tmp_path / "p.db")], capsys)
    assert code == 1 and err.startswith("Error: ") and "a FIFO" in err


@given(depth=st.integers(1, 3 * MAX_DEPTH), opener=st.sampled_from(["[", "{x = "]), line=st.integers(1, 4))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_nesting_past_the_cap_is_refused_with_its_position(tmp_path, depth, opener, line):
    closer = "]" if opener == "[" else "}"
    path = tmp_path / "nested.toml"
    text = "\n" * (line - 1) + "a = " + opener * depth + "1" + closer * depth + "\n"
    path.write_text(text, encoding="utf-8")
    found = problem_of(path)
    if depth > MAX_DEPTH:
        column = 5 + MAX_DEPTH * len(opener)  # the bracket that opens level MAX_DEPTH + 1
        assert found.startswith(f"{path}:{line}:{column}: nested deeper than {MAX_DEPTH}")
    else:
        assert "nested deeper" not in found  # parsed: the level model says what is wrong


def test_deep_dotted_keys_are_refused_too(tmp_path):
    path = tmp_path / "dotted.toml"
    path.write_text("a" + ".b" * 5000 + " = 1\n", encoding="utf-8")
    assert problem_of(path).startswith(f"{path}:1:1: keys nested deeper than {MAX_DEPTH} tables")


def test_brackets_in_strings_and_comments_do_not_count(tmp_path):
    deep = "[" * 200 + "]" * 200
    text = GOOD.replace('title = "Garden Balance"', f'title = "{deep}"  # {deep}')
    text = text.replace("schema_version = 1", f"schema_version = 1\ndescription = '''\n{deep}\n'''")
    assert bounds_problem(text) is None
    assert bounds_problem('a = "\\"[[[[" \nb = ' + "[" * (MAX_DEPTH + 1)) == (2, 5 + MAX_DEPTH, f"nested deeper"
                                                                                     f" than {MAX_DEPTH} arrays or"
                                                                                     f" inline tables")


@pytest.mark.parametrize("digits", [5000, MAX_NUMBER_DIGITS + 1])
def test_an_over_long_number_is_refused_with_its_position(tmp_path, digits):
    path = tmp_path / "number.toml"
    text = GOOD.replace("trials = 6", "trials = " + "9" * digits)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("trials = 9")].count("\n") + 1
    assert problem_of(path) == (f"{path}:{line}:10: a number of {digits} digits; at most {MAX_NUMBER_DIGITS}:"
                                " no level file needs that")


def test_a_number_at_the_cap_reaches_the_level_model(tmp_path):
    path = tmp_path / "number.toml"
    path.write_text(GOOD.replace("trials = 6", "trials = " + "9" * MAX_NUMBER_DIGITS), encoding="utf-8")
    assert "challenges[0].trials" in problem_of(path)


@given(st.binary(max_size=400))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_bytes_give_a_level_error_and_nothing_else(tmp_path, data):
    path = tmp_path / "junk.toml"
    path.write_bytes(data)
    try:
        load_level(path)
    except LevelError:
        pass


@given(st.text(alphabet="[]{}=\"' \n#abc129._-,", max_size=300))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_toml_like_text_gives_a_level_error_and_nothing_else(tmp_path, text):
    path = tmp_path / "junk.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_level(path)
    except LevelError:
        pass


# -- --watch: an edit never ends the game -----------------------------------------------------------
def _edit(path: Path, data: bytes, tick: int) -> None:
    path.write_bytes(data)
    os.utime(path, ns=(tick * 1_000_000_000, tick * 1_000_000_000))


@pytest.mark.parametrize("data, expected", [
    (("a = " + "[" * 5000 + "]" * 5000).encode(), "nested deeper than"),
    (GOOD.replace("trials = 6", "trials = " + "9" * 5000).encode(), "a number of 5000 digits"),
    (b"\x00\xff\xfe", "not UTF-8"),
])
def test_a_hostile_edit_of_a_watched_level_is_a_notice(tmp_path, data, expected):
    path = tmp_path / "mine.toml"
    _edit(path, GOOD.encode(), 1)
    watcher = LevelWatcher(path, "start")
    _edit(path, data, 2)
    assert watcher.poll() is None
    notice = watcher.notice()
    assert notice is not None and notice.startswith("Level not reloaded: ") and expected in notice
    _edit(path, GOOD.replace("trials = 6", "trials = 2").encode(), 3)
    assert watcher.poll() is not None and watcher.notice() is None


def test_a_watched_level_replaced_by_a_fifo_is_a_notice_not_a_hang(tmp_path):
    path = tmp_path / "mine.toml"
    _edit(path, GOOD.encode(), 1)
    watcher = LevelWatcher(path, "start")
    path.unlink()
    os.mkfifo(path)
    with no_hang():
        assert watcher.poll() is None
    assert watcher.notice() == "Level not reloaded: a FIFO (named pipe), not a level file"


def test_any_exception_while_reloading_becomes_the_notice(tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    _edit(path, GOOD.encode(), 1)
    watcher = LevelWatcher(path, "start")

    def broken(spec: object) -> None:
        raise RuntimeError("an unforeseen fault")

    monkeypatch.setattr("game.level.watch.load_level", broken)
    _edit(path, GOOD.replace("trials = 6", "trials = 2").encode(), 2)
    assert watcher.poll() is None
    assert watcher.notice() == "Level not reloaded: cannot load this version (RuntimeError: an unforeseen fault)"
