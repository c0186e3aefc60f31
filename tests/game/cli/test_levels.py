from __future__ import annotations

import json

import pytest

from game.level.loader import load_level, shipped_levels
from game.level.model import KINDS
from game.paths import levels_dir
from tests.cli import run_cli


def test_check_passes_the_shipped_folder(capsys):
    code, out, err = run_cli(["levels", "check", str(levels_dir())], capsys)
    assert code == 0, err
    assert out.count("ok    ") == len(list(levels_dir().rglob("*.toml")))


def test_check_prints_every_problem_of_every_file_and_fails(tmp_path, capsys):
    good = (levels_dir() / "garden-balance.toml").read_text()
    broken = good.replace("trials = 6", "trials = 0").replace("timeout_s = 15.0", "timeout_s = -2")
    (tmp_path / "a.toml").write_text(broken)
    (tmp_path / "b.toml").write_text("title = [broken\n")
    (tmp_path / "c.toml").write_bytes(b"\xff\xfe\x00binary")
    (tmp_path / "ok.toml").write_text(good)
    code, out, err = run_cli(["levels", "check", str(tmp_path)], capsys)
    assert code == 1
    assert "challenges[0].trials" in err and "challenges[0].timeout_s" in err
    assert f"{tmp_path / 'b.toml'}:1:" in err and "TOML syntax error" in err
    assert "not UTF-8" in err
    assert "1 of 4 file(s) valid" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_a_valid_commented_starter_for_each_kind(tmp_path, capsys, kind):
    code, out, _ = run_cli(["levels", "new", f"my-{kind}", "--kind", kind, "--dir", str(tmp_path)], capsys)
    assert code == 0
    path = tmp_path / f"my-{kind}.toml"
    loaded = load_level(path)
    assert loaded.level.challenges[0].kind == kind
    assert path.read_text().count("#") >= 10  # it explains itself
    code, _, err = run_cli(["levels", "new", f"my-{kind}", "--kind", kind, "--dir", str(tmp_path)], capsys)
    assert code == 1 and "already exists" in err


def test_new_refuses_a_bad_name(tmp_path, capsys):
    code, _, err = run_cli(["levels", "new", "../escape", "--kind", "hold", "--dir", str(tmp_path)], capsys)
    assert code == 1 and "not valid" in err


def test_list_as_json(capsys):
    code, out, _ = run_cli(["levels", "list", "--format", "json"], capsys)
    rows = json.loads(out)
    assert code == 0 and len(rows) == len(shipped_levels())
    assert {k for row in rows for k in row["kinds"]} == set(KINDS)
    assert all(row["max_duration_s"] > 0 for row in rows)


def test_schema_is_a_json_schema_that_knows_every_kind(capsys):
    code, out, _ = run_cli(["levels", "schema"], capsys)
    schema = json.loads(out)
    assert code == 0 and schema["$schema"].startswith("https://json-schema.org/")
    text = json.dumps(schema)
    for kind in KINDS:
        assert f'"{kind}"' in text


def test_a_schema_validator_accepts_the_shipped_levels_and_refuses_a_broken_one(capsys):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    import tomllib

    run_cli(["levels", "schema"], capsys)
    from game.level.catalogue import json_schema

    schema = json.loads(json_schema())
    for path in shipped_levels():
        jsonschema.validate(tomllib.loads(path.read_text()), schema)
    broken = tomllib.loads((levels_dir() / "space-reach.toml").read_text())
    broken["challenges"][0]["order"] = "sideways"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
