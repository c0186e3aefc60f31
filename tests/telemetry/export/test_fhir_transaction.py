"""Issue 13: a FHIR bundle an EHR accepts: a transaction with conditional requests, per-clinic identifier
systems, structure a server checks, standard codes where they exist, and no computer in a de-identified Device."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest

from game.play import Game, PlayOptions
from telemetry.export.fhir import FhirExportError, fhir_bundle
from telemetry.store.clinic import add_checkin, add_scale
from telemetry.store.database import open_db
from telemetry.store.queries import Selection
from tests.played import private_home

UUID_URL = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
#: What a FHIR server needs of each resource (R4 cardinality 1..1, and what our conditional updates key on).
REQUIRED = {"Patient": ("identifier",), "Device": ("identifier", "deviceName"),
            "Observation": ("identifier", "status", "code", "subject")}
HOSTILE_DEVICES = ["imu-udp:192.168.1.20:9000", "lsl:ForcePlate:lab-pc-3.clinic.local",
                   "lsl:WobbleIMU:fe80::1ff:fe23:4567:890a", "imu-serial:/dev/serial/by-id/usb-FTDI_A50285BI@115200"]


@pytest.fixture(scope="module")
def game_db(tmp_path_factory) -> Path:
    """kid-07: a balance and a reach session on hostile device names, a check-in and a Berg score."""
    path = tmp_path_factory.mktemp("fhir-tx") / "p.db"
    with private_home(tmp_path_factory):
        for level in ("garden-balance", "space-reach"):
            Game(PlayOptions(level=level, player="kid-07", input="sim:0.5", headless=True, fast=True,
                             duration_s=20, seed=4, db_path=path, sound=False)).run()
    db = open_db(path)
    db.execute("update sessions set device = ? where id = 1", [HOSTILE_DEVICES[0]])
    db.execute("update sessions set device = ? where id = 2", [HOSTILE_DEVICES[1]])
    db.conn.commit()
    add_checkin(db, "kid-07", session_id=1, pain_before=3, pain_after=1, effort=5)
    add_scale(db, "kid-07", scale="berg", value=47, on="2026-05-04", assessor="PT Jones")
    db.close()
    return path


def test_the_bundle_is_a_transaction_of_conditional_updates(game_db):
    bundle = fhir_bundle(open_db(game_db), Selection(players=("kid-07",)))
    assert bundle["type"] == "transaction"
    for entry in bundle["entry"]:
        resource, request = entry["resource"], entry["request"]
        assert request["method"] == "PUT"
        kind, _, query = request["url"].partition("?")
        assert kind == resource["resourceType"]
        (searched,) = urllib.parse.parse_qs(query)["identifier"]
        identifier = resource["identifier"][0]
        assert searched == f"{identifier['system']}|{identifier['value']}"  # a resend updates, never duplicates
    searched = [e["request"]["url"] for e in bundle["entry"]]
    assert len(searched) == len(set(searched))


def test_every_resource_has_what_a_server_requires_and_every_reference_resolves(game_db):
    bundle = fhir_bundle(open_db(game_db), Selection(players=("kid-07",)))
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(UUID_URL.match(url) for url in urls) and len(urls) == len(set(urls))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for field in REQUIRED[resource["resourceType"]]:
            assert resource.get(field), f"{resource['resourceType']} lacks {field}"
        text = json.dumps(resource)
        for reference in re.findall(r'"reference": "([^"]+)"', text):
            assert reference in urls, reference
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {"Patient", "Device", "Observation"}


def test_identifier_systems_belong_to_the_clinic(game_db, tmp_path):
    db = open_db(game_db)
    ours = fhir_bundle(db, Selection(players=("kid-07",)), clinic_system="https://clinic-a.example/patients")
    theirs = fhir_bundle(db, Selection(players=("kid-07",)), clinic_system="https://clinic-b.example/patients")
    patient_a = next(e for e in ours["entry"] if e["resource"]["resourceType"] == "Patient")
    patient_b = next(e for e in theirs["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient_a["resource"]["identifier"][0]["system"] == "https://clinic-a.example/patients"
    assert patient_a["request"]["url"] != patient_b["request"]["url"]  # two clinics' kid-07 are two patients
    default = fhir_bundle(db, Selection(players=("kid-07",)))
    system = next(e for e in default["entry"] if e["resource"]["resourceType"] == "Patient")["resource"][
        "identifier"][0]["system"]
    assert UUID_URL.match(system)  # generated once for this database
    assert fhir_bundle(db, Selection(players=("kid-07",)))["entry"][0]["resource"]["identifier"][0]["system"] == \
        system  # and kept
    other = tmp_path / "other.db"
    open_db(other).close()
    assert open_db(other)["clinic_settings"].get("installation_uri")["value"] != system


@pytest.mark.parametrize("bad", ["clinic", "ftp://x.example/p", "https://x.example/p?x=1", "urn:uuid:nope",
                                 "https://x.example/a b", "https://x.example/a|b"])
def test_a_clinic_system_that_is_not_a_usable_uri_is_refused_with_an_example(game_db, bad):
    with pytest.raises(FhirExportError, match="not an absolute URI") as info:
        fhir_bundle(open_db(game_db), Selection(players=("kid-07",)), clinic_system=bad)
    assert "https://clinic.example/patients" in info.value.remedy


def test_a_de_identified_device_names_no_address_port_host_or_serial(game_db):
    db = open_db(game_db)
    text = json.dumps(fhir_bundle(db, Selection(players=("kid-07",))))
    for leak in ("192.168", "9000", "lab-pc", "clinic.local", "PT Jones"):
        assert leak not in text, leak
    names = sorted(e["resource"]["deviceName"][0]["name"] for e in fhir_bundle(db, Selection(everything=True))[
        "entry"] if e["resource"]["resourceType"] == "Device")
    assert names == ["imu-udp", "lsl:ForcePlate"]
    named = json.dumps(fhir_bundle(db, Selection(players=("kid-07",)), include_names=True))
    assert "192.168.1.20:9000" in named  # the clinic's own record keeps it, when asked


def test_check_ins_use_the_loinc_pain_code_and_link_their_session(game_db):
    bundle = fhir_bundle(open_db(game_db), Selection(players=("kid-07",)))
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    pains = [r for r in by_url.values() if any(c.get("code") == "72514-3" for c in r.get("code", {}).get(
        "coding", []))]
    assert sorted(r["valueQuantity"]["value"] for r in pains) == [1, 3]
    for pain in pains:
        (session,) = [by_url[ref["reference"]] for ref in pain["derivedFrom"]]
        assert session["identifier"][0]["value"] == "1"
    berg = [r for r in by_url.values() if r.get("code", {}).get("coding", [{}])[0].get("code") == "scale-berg"]
    assert berg[0]["valueQuantity"]["value"] == 47 and berg[0]["effectiveDateTime"] == "2026-05-04"


def test_an_older_database_without_its_own_uri_needs_the_clinics(game_db, tmp_path):
    import shutil

    copy = tmp_path / "old.db"
    shutil.copy(game_db, copy)
    db = open_db(copy)
    db.execute("delete from clinic_settings")
    db.conn.commit()
    with pytest.raises(FhirExportError, match="no installation URI") as info:
        fhir_bundle(db, Selection(players=("kid-07",)))
    assert "--clinic-system https://clinic.example/patients" in info.value.remedy
    bundle = fhir_bundle(db, Selection(players=("kid-07",)), clinic_system="https://clinic.example/patients")
    systems = {e["resource"]["identifier"][0]["system"] for e in bundle["entry"]}
    assert systems == {"https://clinic.example/patients", "https://clinic.example/patients/proprio-devices",
                       "https://clinic.example/patients/proprio-sessions",
                       "https://clinic.example/patients/proprio-observations"}
