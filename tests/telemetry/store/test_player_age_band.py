"""A player's reference age band: stored by ``proprio players set --age`` (the band only), used by reports and
assessments that were given no age, forgotten with the name and notes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from game.cli import cli
from telemetry.report.data import player_age_band
from telemetry.store.database import open_db
from telemetry.store.players import IdentityError, forget_identity, identity, set_identity, stored_age_band
from telemetry.store.sessions import create_session
from tests.cli import run_cli


def test_the_age_is_stored_as_its_band_only_and_kept_with_the_name_and_notes(tmp_path):
    db = open_db(tmp_path / "p.db")
    set_identity(db, "ann-02", age_years=72)
    assert stored_age_band(db, "ann-02") == "older" and identity(db, "ann-02")["age_band"] == "older"
    assert 72 not in identity(db, "ann-02").values()  # never the age itself
    set_identity(db, "ann-02", display_name="Ann")  # a name alone leaves the band as it was
    assert stored_age_band(db, "ann-02") == "older"
    set_identity(db, "ann-02", age_years=45.5)
    assert stored_age_band(db, "ann-02") == "young"
    assert stored_age_band(db, "nobody") is None
    assert forget_identity(db, "ann-02") and stored_age_band(db, "ann-02") is None  # forgotten with the name
    db.close()


@pytest.mark.parametrize("age", [0, -3, 130, 400, float("nan")])
def test_an_implausible_age_is_refused_with_what_to_type(tmp_path, age):
    db = open_db(tmp_path / "p.db")
    with pytest.raises(IdentityError, match="not plausible") as caught:
        set_identity(db, "ann-02", age_years=age)
    assert "--age 72" in (caught.value.remedy or "")
    assert stored_age_band(db, "ann-02") is None
    db.close()


def test_the_command_line_stores_the_band_and_says_which(tmp_path, capsys):
    path = str(tmp_path / "p.db")
    code, out, _ = run_cli(["players", "set", "ann-02", "--age", "72", "--db", path], capsys)
    assert code == 0 and "reference age band: older" in out
    code, out, _ = run_cli(["players", "set", "kid-07", "--age", "9", "--db", path], capsys)
    assert code == 0 and "age band: child" in out and "own baseline" in out
    code, out, err = run_cli(["players", "set", "ann-02", "--age", "200", "--db", path], capsys)
    assert code == 1 and err.startswith("Error: ") and "not plausible" in err and "Traceback" not in out + err


def test_reports_prefer_the_band_stored_for_the_player_then_the_latest_assessment(tmp_path):
    db = open_db(tmp_path / "p.db")
    session_id = create_session(db, {"player_id": "ann-02", "level": "assessment:mctsib", "device": "sim"})
    db["assessments"].insert({"session_id": session_id, "player_id": "ann-02", "protocol": "mctsib",
                              "protocol_kind": "quiet_stance", "age_band": "young"})
    band, source = player_age_band(db, "ann-02")
    assert band == "young" and f"assessment #{session_id}" in source
    set_identity(db, "ann-02", age_years=64)  # the clinician's word on the player now
    band, source = player_age_band(db, "ann-02")
    assert band == "older" and "proprio players set --age" in source
    db.close()


def test_an_assessment_without_age_uses_the_band_stored_for_the_player(tmp_path):
    path = str(tmp_path / "p.db")
    assert CliRunner().invoke(cli, ["players", "set", "ann-02", "--age", "70", "--db", path]).exit_code == 0
    result = CliRunner().invoke(cli, ["assess", "run", "weight-distribution", "--headless", "--fast", "--input",
                                      "sim", "--player", "ann-02", "--db", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    db = open_db(tmp_path / "p.db")
    assert [row["age_band"] for row in db.query("select age_band from assessments")] == ["older"]
    db.close()
