"""Player IDs are checked whole at every entry point: no trailing newline, whitespace, control or non-ASCII."""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.errors import ProprioError
from game.menu import TitleMenu
from game.players import check_player_id, is_player_id, remember_player, remembered_players
from tests.cli import run_cli

ALLOWED = set(string.ascii_letters + string.digits + "-_")
BAD = ["kid-07\n", "kid-07\r\n", "kid-07 ", " kid-07", "kid\t07", "kid-07\x00", "kid\x1b[31m", "ｋｉｄ０７", "kïd-07",
       "kid-07\u200b", "", "-kid", "k" * 33]


@pytest.mark.parametrize("raw", BAD)
def test_variants_of_a_valid_id_are_refused(raw):
    assert not is_player_id(raw)
    with pytest.raises(ProprioError, match="is not valid"):
        check_player_id(raw)


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", fullmatch=True))
def test_every_short_code_of_letters_digits_dash_and_underscore_is_accepted(code):
    assert check_player_id(code) == code


@given(st.text(min_size=1, max_size=40))
def test_any_text_is_accepted_only_when_every_character_is_allowed(text):
    expected = len(text) <= 32 and set(text) <= ALLOWED and text[0] not in "-_"
    assert is_player_id(text) is expected


def test_non_strings_are_refused():
    assert not is_player_id(None) and not is_player_id(b"kid-07") and not is_player_id(7)


def test_the_title_screen_types_only_allowed_characters():
    menu = TitleMenu(players=[], levels=[("default", "All")])
    for action in ("text:k", "text:\n", "text: ", "text:\t", "text:é", "text:ab", "text:\x00", "text:7"):
        menu.handle(action)
    assert menu.typed == "k7" and menu.player == "k7"
    menu.typed = "kid-07\n"  # whatever reaches the field, only a whole valid code is chosen
    assert menu.player is None


def test_remembered_players_read_back_drop_ids_that_are_not_valid(tmp_path, monkeypatch):
    monkeypatch.setenv("PROPRIO_CONFIG_DIR", str(tmp_path))
    (tmp_path / "settings.json").write_text(json.dumps({"last_player": "kid-07\n",
                                                         "players": ["kid-07\n", "kid-07", "a b"]}))
    assert remembered_players() == (None, ["kid-07"])
    remember_player("kid-08\n")  # never stored
    assert remembered_players() == (None, ["kid-07"])
    remember_player("kid-08")
    assert remembered_players() == ("kid-08", ["kid-07", "kid-08"])


@pytest.mark.parametrize("args", [
    ["limits", "set", "--player", "kid-07\n", "--kind", "all", "--max-session-min", "1"],
    ["play", "still-pond", "--player", "kid-07\n", "--headless", "--fast", "--input", "sim", "--duration", "1"],
    ["calibrate", "--player", "kid-07 ", "--input", "sim", "--headless"],
])
def test_the_cli_refuses_an_id_with_a_trailing_newline_or_space(tmp_path, capsys, args):
    db = tmp_path / "p.db"
    code, _, err = run_cli([*args, "--db", str(db)], capsys)
    assert code == 1 and err.startswith("Error: player ID ") and "is not valid" in err
    if db.exists():  # nothing was stored under the variant
        import sqlite3

        con = sqlite3.connect(db)
        try:
            ids = [row[0] for row in con.execute("select id from players")]
        except sqlite3.OperationalError:
            ids = []
        con.close()
        assert ids == []
