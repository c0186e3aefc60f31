"""Issue 13: every bundle the FHIR export makes, from a realistic database, validates against the FHIR models.

Which models: ``fhir.resources`` 8 ships R5 (its default package), R4B (4.3.0, ``fhir.resources.R4B``) and
STU3, not R4 (4.0.1); R4B is the closest official release to R4 and is what these tests validate against
(every element the export uses has the same name, type and cardinality in R4 and R4B). Every bundle is
also validated against the official FHIR R4 JSON schema (``tests/data/fhir-r4.schema.json.gz``: HL7's
``fhir.schema.json``, CC0; where it came from is in ``tests/data/README.md``).

The database: kid-07 played a balance and a reach level with the simulated player and did a quiet-stance
assessment on a board sending centre-of-pressure readings in mm (results in cm), from a serial port; the
clinic stored a check-in, a Timed Up and Go, a Berg score and a plan of two levels; kid-08 has a plan
with a playlist and no sessions; kid-09 did the assessment on a tilt sensor (readings in degrees).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.observation import Observation

from game.input.pose import Pose, Reading
from game.input.source import DeviceDescription, PoseSource
from game.play import Game, PlayOptions
from game.play.assess import Assessment, AssessOptions
from game.play.clock import ManualClock
from telemetry.export.fhir import LEVEL_CODES, LOCAL_CODES, LOINC, UCUM, fhir_bundle
from telemetry.store.clinic import add_checkin, add_scale, set_plan
from telemetry.store.database import open_db
from telemetry.store.queries import Selection
from tests.played import private_home

SERIAL = "imu-serial:/dev/serial/by-id/usb-FTDI_A50285BI@115200"
PROTOCOL = """\
schema_version = 1
title = "Short stance"
kind = "quiet_stance"
trials = 2
trial_s = 4.0
get_ready_s = 1.0
rest_s = 1.0
compare_reference = false

[[conditions]]
name = "eyes_open_firm"
title = "Eyes open, firm"
instruction = "Stand still."

[[conditions]]
name = "eyes_closed_foam"
title = "Eyes closed, on foam"
vision = "closed"
surface = "foam"
instruction = "On the foam, close your eyes and stand still."
"""


class Board(PoseSource):
    """A board on a serial port sending readings (centre of pressure in mm, or tilt in deg) at 100 Hz on its own
    clock."""

    def __init__(self, unit: str = "mm") -> None:
        self.name = SERIAL
        self.unit = unit
        self.sent: list[Reading] = []
        self._pending: list[Reading] = []
        self._next = 0

    @property
    def description(self) -> DeviceDescription:
        return DeviceDescription(SERIAL, "balance-board" if self.unit == "mm" else "imu", SERIAL, self.unit, False)

    def poll(self, t_s: float) -> Pose:
        while self._next / 100.0 <= t_s:
            t = self._next / 100.0
            reading = Reading(t, 4.0 * math.sin(2 * math.pi * 0.3 * t), 6.0 * math.sin(2 * math.pi * 0.2 * t + 1.0))
            self._pending.append(reading)
            self.sent.append(reading)
            self._next += 1
        last = self.sent[-1]
        return Pose(last.t_s, last.raw_x / 100.0, last.raw_y / 60.0, last.raw_x, last.raw_y, self.unit)

    def readings(self) -> list[Reading]:
        out, self._pending = self._pending, []
        return out


@pytest.fixture(scope="module")
def clinic_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fhir-models")
    path = folder / "p.db"
    with private_home(tmp_path_factory):
        for level in ("garden-balance", "space-reach"):
            Game(PlayOptions(level=level, player="kid-07", input="sim:0.5", headless=True, fast=True,
                             duration_s=20, seed=4, db_path=path, sound=False)).run()
        protocol = folder / "short_stance.toml"
        protocol.write_text(PROTOCOL, encoding="utf-8")
        for player, unit in (("kid-07", "mm"), ("kid-09", "deg")):
            assessment = Assessment(AssessOptions(protocol=str(protocol), player=player, input="keyboard",
                                                  headless=True, db_path=path, age_years=35.0, seed=1),
                                    clock=ManualClock())
            assessment.source.close()
            assessment.source = Board(unit)
            assert assessment.run().status == "completed"
    db = open_db(path)
    add_checkin(db, "kid-07", session_id=1, pain_before=3, pain_after=1, effort=5)
    add_scale(db, "kid-07", scale="tug_s", value=12.5, on="2026-05-04", assessor="PT Jones")
    add_scale(db, "kid-07", scale="berg", value=47, on="2026-05-04")
    set_plan(db, "kid-07", sessions_per_week=2, minutes_per_session=10, start_date="2026-04-01", weeks=2,
             levels=["garden-balance"], set_by="Old plan")
    set_plan(db, "kid-07", sessions_per_week=3, minutes_per_session=15, start_date="2026-05-04", weeks=6,
             levels=["garden-balance", "space-reach"], set_by="PT Jones", notes="Knee surgery in March.")
    set_plan(db, "kid-08", sessions_per_week=4, minutes_per_session=12.5, start_date="2026-05-11", weeks=4,
             playlist="starter")
    db.close()
    return path


R4_SCHEMA = Path(__file__).resolve().parents[2] / "data" / "fhir-r4.schema.json.gz"
R4_SCHEMA_SHA256 = "15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"  # tests/data/README.md


@cache
def r4_validator() -> jsonschema.Draft6Validator:
    """HL7's FHIR R4 JSON schema (draft-06), checked to be the file its README describes."""
    raw = gzip.decompress(R4_SCHEMA.read_bytes())
    assert hashlib.sha256(raw).hexdigest() == R4_SCHEMA_SHA256
    schema = json.loads(raw)
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return jsonschema.Draft6Validator(schema)


def r4_schema_problems(bundle: dict) -> list[str]:
    """Every place where ``bundle`` breaks the R4 JSON schema (the deepest reason of each), empty when valid."""
    return [jsonschema.exceptions.best_match([error]).message[:300]
            for error in r4_validator().iter_errors(bundle)]


SELECTIONS = [Selection(players=("kid-07",)), Selection(players=("kid-08",)), Selection(everything=True),
              Selection(sessions=(3,))]


@pytest.mark.parametrize("include_names", [False, True])
@pytest.mark.parametrize("selection", SELECTIONS, ids=["kid-07", "kid-08", "all", "assessment-session"])
def test_every_bundle_validates_against_the_r4b_models_and_round_trips(clinic_db, selection, include_names):
    bundle = fhir_bundle(open_db(clinic_db), selection, include_names=include_names)
    assert r4_schema_problems(bundle) == []  # the official R4 JSON schema
    model = Bundle.model_validate(bundle)  # raises on any element R4B does not know or any wrong cardinality
    assert model.type == "transaction" and len(model.entry) == len(bundle["entry"])
    again = json.loads(model.model_dump_json(exclude_none=True))
    assert [e["resource"]["resourceType"] for e in again["entry"]] == [
        e["resource"]["resourceType"] for e in bundle["entry"]]
    urls = {e["fullUrl"] for e in bundle["entry"]}
    for reference in _references(bundle):
        assert reference in urls, reference


@pytest.mark.parametrize(("where", "change"), [
    ("an Observation status FHIR does not have", lambda r: r.update(status="finished")),
    ("an element R4 does not define", lambda r: r.update(colour="red")),
    ("an Observation without its code", lambda r: r.pop("code")),
])
def test_the_r4_schema_check_refuses_a_broken_bundle(clinic_db, where, change):
    bundle = fhir_bundle(open_db(clinic_db), SELECTIONS[0])
    change(_resources(bundle, "Observation")[0])
    assert r4_schema_problems(bundle), where


def _references(data: object) -> list[str]:
    if isinstance(data, dict):
        found = [data["reference"]] if isinstance(data.get("reference"), str) else []
        return found + [r for value in data.values() for r in _references(value)]
    if isinstance(data, list):
        return [r for value in data for r in _references(value)]
    return []


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_timed_up_and_go_carries_loinc_beside_the_local_code(clinic_db):
    bundle = fhir_bundle(open_db(clinic_db), Selection(players=("kid-07",)))
    observations = _resources(bundle, "Observation")
    (tug,) = [o for o in observations if any(c["code"] == "scale-tug_s" for c in o["code"]["coding"])]
    codes = {(c["system"], c["code"]) for c in tug["code"]["coding"]}
    assert codes == {(LOINC, "89423-8"), (LOCAL_CODES, "scale-tug_s")}
    assert tug["valueQuantity"] == {"value": 12.5, "unit": "s", "system": UCUM, "code": "s"}
    (berg,) = [o for o in observations if any(c["code"] == "scale-berg" for c in o["code"]["coding"])]
    assert all(c["system"] != LOINC for c in berg["code"]["coding"])  # no LOINC we could confirm for Berg here
    Observation.model_validate(tug)


def test_the_current_plan_is_a_care_plan_of_the_patient_with_its_period_and_schedule(clinic_db):
    bundle = fhir_bundle(open_db(clinic_db), Selection(everything=True))
    plans = {p["subject"]["reference"]: p for p in _resources(bundle, "CarePlan")}
    patients = {p["identifier"][0]["value"]: url for url, p in
                ((e["fullUrl"], e["resource"]) for e in bundle["entry"]) if p["resourceType"] == "Patient"}
    assert set(plans) == {patients["kid-07"], patients["kid-08"]}  # one each: the plan in effect, not the old one
    plan = plans[patients["kid-07"]]
    assert plan["intent"] == "plan" and plan["status"] in ("active", "completed")
    assert plan["period"] == {"start": "2026-05-04", "end": "2026-06-14"}  # six weeks
    schedule = plan["activity"][0]["detail"]
    assert schedule["scheduledTiming"]["repeat"] == {
        "boundsPeriod": {"start": "2026-05-04", "end": "2026-06-14"}, "frequency": 3, "period": 1,
        "periodUnit": "wk", "duration": 15.0, "durationUnit": "min"}
    levels = [a["detail"]["code"]["coding"][1] for a in plan["activity"][1:]]
    assert [(c["system"], c["code"]) for c in levels] == [(LEVEL_CODES, "garden-balance"), (LEVEL_CODES, "space-reach")]
    other = plans[patients["kid-08"]]
    assert other["activity"][0]["detail"]["scheduledTiming"]["repeat"]["duration"] == 12.5
    assert [a["detail"]["code"]["coding"][0]["code"] for a in other["activity"][1:]] == ["plan-playlist"]
    assert other["activity"][1]["detail"]["code"]["text"] == "starter"
    text = json.dumps(plan)
    assert "PT Jones" not in text and "Knee surgery" not in text  # prescriber and notes only with names
    named = _resources(fhir_bundle(open_db(clinic_db), Selection(players=("kid-07",)), include_names=True),
                       "CarePlan")[0]
    assert named["author"] == {"display": "PT Jones"} and named["note"] == [{"text": "Knee surgery in March."}]
    CarePlan.model_validate(plan)


def test_an_assessment_is_an_observation_per_condition_with_method_device_and_ucum_units(clinic_db):
    bundle = fhir_bundle(open_db(clinic_db), Selection(players=("kid-07",)))
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    found = [o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "assessment"]
    assert [o["identifier"][0]["value"] for o in found] == ["assessment-3-eyes_open_firm",
                                                           "assessment-3-eyes_closed_foam"]
    closed = found[1]
    method = {(c["system"], c["code"]) for c in closed["method"]["coding"]}
    assert method == {(LOCAL_CODES, "protocol-short_stance"), (LOCAL_CODES, "condition-eyes_closed_foam")}
    assert "vision closed, surface foam" in closed["method"]["text"]
    device = by_url[closed["device"]["reference"]]
    assert device["resourceType"] == "Device" and device["deviceName"][0]["name"] == "imu-serial"
    (session,) = [by_url[r["reference"]] for r in closed["derivedFrom"]]
    assert session["identifier"][0]["value"] == "3"
    values = {c["code"]["coding"][0]["code"]: c for c in closed["component"]}
    assert values["trials-measured"]["valueInteger"] == 2
    units = {name: values[f"assessment-{name}"]["valueQuantity"] for name in
             ("mean_velocity", "rms_ml", "ellipse_area_95", "mean_power_frequency", "mean_velocity_los")}
    assert {n: (q["unit"], q.get("system"), q.get("code")) for n, q in units.items()} == {
        "mean_velocity": ("cm/s", UCUM, "cm/s"), "rms_ml": ("cm", UCUM, "cm"),
        "ellipse_area_95": ("cm²", UCUM, "cm2"), "mean_power_frequency": ("Hz", UCUM, "Hz"),
        "mean_velocity_los": ("% LOS/s", UCUM, "%/s")}
    assert units["mean_velocity"]["value"] > 0
    Observation.model_validate(closed)


def test_a_tilt_sensor_assessment_reports_degrees_in_ucum(clinic_db):
    bundle = fhir_bundle(open_db(clinic_db), Selection(players=("kid-09",)))
    (first, _) = [o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "assessment"]
    values = {c["code"]["coding"][0]["code"]: c.get("valueQuantity") for c in first["component"]}
    units = {name: (values[f"assessment-{name}"]["unit"], values[f"assessment-{name}"]["code"])
             for name in ("rms_ml", "mean_velocity", "ellipse_area_95")}
    assert units == {"rms_ml": ("deg", "deg"), "mean_velocity": ("deg/s", "deg/s"),
                     "ellipse_area_95": ("deg²", "deg2")}


def test_a_de_identified_bundle_of_the_clinic_database_names_no_serial_host_or_assessor(clinic_db):
    db = open_db(clinic_db)
    text = json.dumps(fhir_bundle(db, Selection(everything=True)))
    for leak in ("FTDI", "A50285BI", "/dev/", "115200", "PT Jones", "Knee surgery"):
        assert leak not in text, leak
    assert "A50285BI" in json.dumps(fhir_bundle(db, Selection(everything=True), include_names=True))


def test_a_clinical_scale_without_a_display_of_its_own_is_exported_under_its_title(clinic_db, tmp_path):
    import shutil

    copy = tmp_path / "scales.db"
    shutil.copy(clinic_db, copy)
    db = open_db(copy)
    row = add_scale(db, "kid-08", scale="other", value=30, on="2026-05-12", name="x", unit="score")
    db.execute("update clinical_scales set scale = 'new_scale' where id = ?", [row["id"]])
    db.conn.commit()
    bundle = fhir_bundle(db, Selection(players=("kid-08",)))  # validated: no KeyError, no refused bundle
    (scale,) = _resources(bundle, "Observation")
    assert scale["code"]["coding"] == [{"system": LOCAL_CODES, "code": "scale-new_scale", "display": "new_scale"}]


def test_an_assessment_session_is_not_described_as_training(clinic_db):
    bundle = fhir_bundle(open_db(clinic_db), Selection(sessions=(3,)))
    observations = _resources(bundle, "Observation")
    codes = [o["code"]["coding"][0]["code"] for o in observations]
    assert "training-session" not in codes and "sway-balance-trials" not in codes and "reach-trials" not in codes
    (session,) = [o for o in observations if o["code"]["coding"][0]["code"] == "assessment-session"]
    assert session["identifier"][0]["value"] == "3"
    categories = {c["code"] for category in session["category"] for c in category["coding"]}
    assert categories == {"therapy", "exam"}  # no SNOMED 229065009 "Exercise therapy"
    components = {c["code"]["coding"][0]["code"]: c for c in session["component"]}
    assert components["protocol"]["valueString"] == "short_stance"
    assert "level" not in components and not {"score", "successes", "success-rate", "difficulty-reached"} & set(
        components)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    conditions = [o for o in observations if o["code"]["coding"][0]["code"] == "assessment"]
    assert len(conditions) == 2
    for condition in conditions:
        assert [by_url[r["reference"]] for r in condition["derivedFrom"]] == [session]
    Observation.model_validate(session)


def test_training_sessions_stay_training_sessions_beside_an_assessment(clinic_db):
    bundle = fhir_bundle(open_db(clinic_db), Selection(players=("kid-07",)))
    sessions = {o["identifier"][0]["value"]: o["code"]["coding"][0]["code"] for o in _resources(bundle, "Observation")
                if o["code"]["coding"][0]["code"] in ("training-session", "assessment-session")}
    assert sessions == {"1": "training-session", "2": "training-session", "3": "assessment-session"}
    training = [o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "training-session"]
    assert all(any(c.get("code") == "229065009" for cat in o["category"] for c in cat["coding"]) for o in training)


def test_re_sending_an_assessment_updates_the_same_resources(clinic_db):
    db = open_db(clinic_db)
    first, again = (fhir_bundle(db, Selection(everything=True)) for _ in range(2))
    requests = [e["request"] for e in first["entry"]]
    assert all(r["method"] == "PUT" and "?identifier=" in r["url"] for r in requests)
    assert len({r["url"] for r in requests}) == len(requests)  # no two entries update the same resource
    assert requests == [e["request"] for e in again["entry"]]
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in again["entry"]]
    alone = fhir_bundle(db, Selection(sessions=(3,)))
    everything = {e["fullUrl"]: e["request"] for e in first["entry"]}
    for entry in alone["entry"]:
        assert everything[entry["fullUrl"]] == entry["request"]  # the same session sent alone: the same resources


def test_adverse_events_and_free_text_notes_never_reach_the_bundle(clinic_db, tmp_path):
    import shutil

    from telemetry.store.clinic import add_event

    copy = tmp_path / "events.db"
    shutil.copy(clinic_db, copy)
    db = open_db(copy)
    add_event(db, "kid-07", what="Fell off the board at home, bumped elbow", severity="mild",
              action="Iced it; called Dr Smith", session_id=1, recorded_by="PT Jones")
    add_checkin(db, "kid-07", session_id=2, pain_before=4, note="Grandma says the knee swelled")
    add_scale(db, "kid-07", scale="berg", value=50, on="2026-05-11", note="Used a cane at 555-0100")
    for include_names in (False, True):
        bundle = fhir_bundle(db, Selection(everything=True), include_names=include_names)
        text = json.dumps(bundle)
        assert "\"value\": 4" in text and "\"value\": 50.0" in text  # the check-in and the scale are sent
        for leak in ("bumped elbow", "Dr Smith", "Fell off", "Grandma", "555-0100"):
            assert leak not in text, (leak, include_names)
