"""The FHIR export: a Bundle that fhir.resources accepts, references that resolve, honest codes and units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from game.play import Game, PlayOptions
from telemetry.export.fhir import (
    LOCAL_CODES,
    SNOMED,
    UCUM,
    FhirExportError,
    export_fhir,
    fhir_bundle,
    validate_bundle,
)
from telemetry.measures.sway import MEASURE_NAMES
from telemetry.store.database import open_db
from telemetry.store.players import set_identity
from telemetry.store.queries import Selection, session_measures
from telemetry.store.sessions import create_session
from tests.played import private_home

CERTAIN_UCUM = {"s", "%", "%/s", "Hz", "1"}


@pytest.fixture(scope="module")
def game_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fhir") / "p.db"
    with private_home(tmp_path_factory):
        for level, seed in (("garden-balance", 1), ("space-reach", 2)):
            Game(PlayOptions(level=level, player="kid-07", input="sim:0.5", headless=True, fast=True,
                               duration_s=25, seed=seed, db_path=path, sound=False)).run()
    db = open_db(path)
    set_identity(db, "kid-07", display_name="Jane Doe")
    create_session(db, {"player_id": "kid-07", "level": "=evil", "device": "sim:0.50"})  # still running: us
    db.close()
    return path


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _code(resource: dict) -> str:
    return resource["code"]["coding"][0]["code"]


def test_the_written_bundle_validates_and_every_reference_resolves(game_db, tmp_path):
    db = open_db(game_db)
    path = export_fhir(db, Selection(players=("kid-07",)), tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    model = Bundle.model_validate(data)  # the library validates types, cardinality and required elements
    assert model.type == "transaction"
    urls = {e["fullUrl"] for e in data["entry"]}
    assert len(urls) == len(data["entry"])
    text = json.dumps(data)
    for reference in set(part.split('"')[0] for part in text.split('"reference": "')[1:]):
        assert reference in urls


def test_each_session_is_an_observation_with_its_measures_as_members(game_db):
    db = open_db(game_db)
    bundle = fhir_bundle(db, Selection(players=("kid-07",)))
    observations = _resources(bundle, "Observation")
    sessions = [o for o in observations if _code(o) == "training-session"]
    assert len(sessions) == db["sessions"].count == 3
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    balance = next(o for o in sessions if o["component"][0]["valueString"] == "garden-balance")
    members = [by_url[m["reference"]] for m in balance["hasMember"]]
    (sway,) = members
    assert _code(sway) == "sway-balance-trials"
    expected = session_measures(db, int(balance["identifier"][0]["value"])).sway.measures
    values = {c["code"]["coding"][0]["code"]: c for c in sway["component"]}
    for name in MEASURE_NAMES:
        assert values[name]["valueQuantity"]["value"] == pytest.approx(expected[name], rel=1e-9)
    reach = next(o for o in sessions if o["component"][0]["valueString"] == "space-reach")
    assert sorted(_code(by_url[m["reference"]]) for m in reach["hasMember"]) == ["los-max-excursion", "reach-trials"]
    running = next(o for o in sessions if o["component"][0]["valueString"] == "=evil")
    assert running["status"] == "preliminary" and balance["status"] == "final"
    assert "hasMember" not in running


def test_codes_are_local_unless_certain_and_units_are_valid_ucum(game_db):
    bundle = fhir_bundle(open_db(game_db), Selection(everything=True))
    for observation in _resources(bundle, "Observation"):
        assert observation["category"][0]["coding"][0]["code"] == "therapy"
        assert {c["system"] for c in observation["code"]["coding"]} == {LOCAL_CODES}
        if _code(observation) == "training-session":  # and the standard concept beside it
            assert observation["category"][1]["coding"][0] == {"system": SNOMED, "code": "229065009",
                                                               "display": "Exercise therapy"}
        for component in observation["component"]:
            assert {c["system"] for c in component["code"]["coding"]} == {LOCAL_CODES}
            quantity = component.get("valueQuantity")
            if quantity and "code" in quantity:
                assert quantity["system"] == UCUM and quantity["code"] in CERTAIN_UCUM
            elif quantity:
                assert "LOS²" in quantity["unit"]  # areas: unit text only, no UCUM code we are sure of


def test_names_appear_only_when_asked(game_db):
    db = open_db(game_db)
    plain = fhir_bundle(db, Selection(players=("kid-07",)))
    assert "Jane Doe" not in json.dumps(plain)
    (patient,) = _resources(plain, "Patient")
    assert patient["identifier"][0]["value"] == "kid-07" and "name" not in patient
    assert patient["identifier"][0]["system"] == db["clinic_settings"].get("installation_uri")["value"]
    named = fhir_bundle(db, Selection(players=("kid-07",)), include_names=True)
    assert _resources(named, "Patient")[0]["name"] == [{"text": "Jane Doe"}]


def test_a_bundle_the_models_refuse_is_an_error_with_the_reason():
    broken = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"fullUrl": "urn:uuid:0f7d1a36-1b8e-4a2f-9f1c-2f0f5b1f7a10",
                         "resource": {"resourceType": "Observation", "status": "final"}}]}
    with pytest.raises(FhirExportError, match="code"):
        validate_bundle(broken)
