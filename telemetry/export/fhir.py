"""A FHIR R4 transaction Bundle of Observations per session, validated by building the ``fhir.resources`` models.

A **transaction** (not a collection: a FHIR server's base refuses those): every entry carries a
``request``, a conditional update ``PUT Patient?identifier=SYSTEM|VALUE`` (likewise for Device,
Observation and CarePlan), so sending the same export twice updates the same resources instead of adding
duplicates, and references between entries use their ``urn:uuid:`` fullUrls, which the server
rewrites to the ids it assigns.

**Identifier systems are per clinic.** The patient identifier system is the clinic's own URI
(``--clinic-system``, e.g. ``https://clinic.example/patients``) or, by default, the URI generated
once for this database (``clinic_settings.installation_uri``, a ``urn:uuid:``); the session,
device, observation and plan systems are derived from it. So two clinics' ``kid-07`` are two patients.

``fhir.resources`` 7 and later carry R5 and R4B (4.3) models, not R4 (4.0.1); every element used
here (Bundle transaction with entry.request, Patient.identifier/name, Device.identifier/
deviceName, Observation identifier/status/category/code/subject/effective*/issued/device/
method/value*/component/hasMember/derivedFrom/note, CarePlan identifier/status/intent/title/
subject/period/created/author/note/activity.detail code/status/scheduledTiming/description) is
the same in R4 and R4B, so a bundle that validates as R4B is also valid R4. The mapping is
documented in docs/reports.md.

An assessment session (``proprio assess``) is not a training session: its session Observation has the code
``assessment-session`` (categories therapy and exam, no "exercise therapy", the protocol in place of the level)
and no training measure Observations; its figures are the per-condition assessment Observations below.

Besides the sessions: the player's check-ins and clinical tests (a Timed Up and Go also carries
LOINC 89423-8), each stored assessment (one Observation per condition, ``method`` = protocol and
condition, ``device`` -> the Device, figures in UCUM ``cm``, ``cm/s``, ``deg`` ...), and the
plan in effect as a ``CarePlan``.

Codes: standard where one exists and we could confirm it: the observation category ``therapy``
(HL7), SNOMED CT 229065009 "Exercise therapy" as a second category of the training sessions,
LOINC 72514-3 for the 0-10 pain rating of a check-in, UCUM units. Proprio's own measures (sway
and reach in % LOS, the session figures, effort, the clinical scales' results) have no LOINC or
SNOMED CT code we could confirm: they use Proprio's code system ``LOCAL_CODES``.

Without ``include_names`` the bundle is de-identified like the table exports: no display name,
and no IP address, port, host name or serial number in a Device (``telemetry.export.deid``).
Adverse events are not in the bundle at all, with or without names, so their free text (what
happened, what was done) never leaves through FHIR; check-in notes are not sent either.
"""

from __future__ import annotations

import json
import math
import re
import urllib.parse
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from game import __version__
from game.errors import ProprioError
from telemetry.export import deid
from telemetry.export.atomic import Wrapper, atomic_output
from telemetry.export.tables import ExportError, prepare_out_dir
from telemetry.measures.session import REACH_UNITS, SessionMeasures
from telemetry.measures.sway import MEASURE_NAMES
from telemetry.store.assessments import assessment_result, player_assessments
from telemetry.store.clinic import checkins, current_plan, scale_title, scales, setting
from telemetry.store.players import identity
from telemetry.store.queries import Selection, resolve, session_measures
from telemetry.store.sessions import utc_now

FHIR_FILE = "fhir_bundle.json"
LOCAL_CODES = "urn:proprio:fhir:CodeSystem:measures"
LEVEL_CODES = "urn:proprio:fhir:CodeSystem:levels"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CATEGORY = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "therapy",
                "display": "Therapy"}]
}
EXAM = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "exam",
                     "display": "Exam"}]}
EXERCISE_THERAPY = {"coding": [{"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}],
                    "text": "Exercise therapy"}
PAIN_0_10 = {"system": LOINC, "code": "72514-3",
             "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}
#: LOINC for the Timed Up and Go time (no display: we give the code only, not a name we could not confirm).
TUG_LOINC = {"system": LOINC, "code": "89423-8"}
#: UCUM codes of the units assessment figures are reported in (others go as unit text only).
_ASSESSMENT_UCUM = {"cm": "cm", "cm/s": "cm/s", "cm²": "cm2", "deg": "deg", "deg/s": "deg/s", "deg²": "deg2",
                    "Hz": "Hz", "s": "s", "%": "%", "% LOS": "%", "% LOS/s": "%/s", "% of body weight": "%"}
_NAMESPACE = uuid.UUID("5b0f6c64-3d1e-5a43-9b8e-70726f707269")  # fixed: the same data gives the same ids

#: Display text per local code (the mapping table of docs/reports.md).
DISPLAY = {
    "training-session": "Proprio training session (one level played)",
    "assessment-session": "Proprio balance assessment session (a fixed protocol, no difficulty scaling)",
    "protocol": "Assessment protocol run",
    "session-status": "Session status (completed, aborted, interrupted, running)",
    "level": "Level played", "duration": "Duration played", "trials": "Trials finished",
    "successes": "Trials succeeded", "success-rate": "Success rate", "score": "Score",
    "difficulty-reached": "Highest normalized difficulty reached (0 easy, 1 hard)",
    "sway-balance-trials": "Postural sway during the balance (hold) trials, mean over trials",
    "trials-measured": "Trials measured",
    "path_length": "Sway path length", "mean_velocity": "Sway mean velocity",
    "mean_velocity_ml": "Sway mean velocity, medio-lateral", "mean_velocity_ap": "Sway mean velocity, antero-posterior",
    "rms_ml": "Sway RMS distance, medio-lateral", "rms_ap": "Sway RMS distance, antero-posterior",
    "rms_radius": "Sway RMS resultant distance", "mean_distance": "Sway mean resultant distance",
    "range_ml": "Sway range, medio-lateral", "range_ap": "Sway range, antero-posterior",
    "ellipse_area_95": "Sway 95 % prediction ellipse area", "sway_area_per_second": "Sway area per second",
    "mean_frequency": "Sway mean frequency", "mean_power_frequency": "Sway mean power frequency",
    "reach-trials": "Reach / limits-of-stability trials, mean over trials",
    "reaction_time_s": "Reaction time", "movement_velocity_per_s": "Movement velocity",
    "endpoint_excursion_pct": "Endpoint excursion", "max_excursion_pct": "Maximum excursion",
    "directional_control_pct": "Directional control",
    "los-max-excursion": "Largest excursion per direction (limits of stability), % LOS",
    "checkin-pain-before": "Pain before the session, 0-10 numeric rating",
    "checkin-pain-after": "Pain after the session, 0-10 numeric rating",
    "checkin-effort": "Perceived effort of the session, Borg CR10 (0-10)",
    "scale-tug_s": "Timed Up and Go, seconds", "scale-mini_bestest": "Mini-BESTest total score (0-28)",
    "scale-berg": "Berg Balance Scale total score (0-56)", "scale-other": "Another clinical test",
    "scale-fes_i": "Falls Efficacy Scale-International (FES-I) total score (16-64)",
    "assessment": "Proprio balance assessment, one condition (mean over its trials)",
    "plan-level": "Prescribed Proprio level", "plan-playlist": "Prescribed Proprio playlist",
    "plan-any-level": "Any Proprio level",
}

#: (unit text, UCUM code or None when no UCUM code is certain) of the sway measures in % LOS.
_SWAY_UNITS = {
    "path_length": ("% LOS", "%"), "mean_velocity": ("% LOS/s", "%/s"), "mean_velocity_ml": ("% LOS/s", "%/s"),
    "mean_velocity_ap": ("% LOS/s", "%/s"), "rms_ml": ("% LOS", "%"), "rms_ap": ("% LOS", "%"),
    "rms_radius": ("% LOS", "%"), "mean_distance": ("% LOS", "%"), "range_ml": ("% LOS", "%"),
    "range_ap": ("% LOS", "%"), "ellipse_area_95": ("% LOS²", None), "sway_area_per_second": ("% LOS²/s", None),
    "mean_frequency": ("Hz", "Hz"), "mean_power_frequency": ("Hz", "Hz"),
}
_REACH_UNITS = {
    "reaction_time_s": ("s", "s"), "movement_velocity_per_s": ("% LOS/s", "%/s"),
    "endpoint_excursion_pct": ("% of target distance", "%"), "max_excursion_pct": ("% of target distance", "%"),
    "directional_control_pct": ("%", "%"),
}


class FhirExportError(ProprioError):
    """A bundle that the FHIR models refuse (a bug: please report it with the message)."""


def _uuid(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(map(str, parts)))}"


def _code(code: str) -> dict[str, Any]:
    return {"coding": [{"system": LOCAL_CODES, "code": code, "display": DISPLAY[code]}], "text": DISPLAY[code]}


def _quantity(value: float, unit: str, ucum: str | None) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": round(float(value), 10), "unit": unit}
    if ucum is not None:
        quantity.update(system=UCUM, code=ucum)
    return quantity


def _component(code: str, **value: Any) -> dict[str, Any]:
    return {"code": _code(code), **value}


def _session_observation(row: dict[str, Any], patient: str, device: str | None, members: list[str],
                         issued: str, systems: Systems, protocol: str | None = None) -> dict[str, Any]:
    """A training session (code ``training-session``, categories therapy and exercise therapy), or with
    ``protocol`` an assessment session (code ``assessment-session``, categories therapy and exam, the
    protocol in place of the level, none of the training figures: an assessment has no score or difficulty)."""
    assessment = protocol is not None
    components = [
        _component("protocol", valueString=protocol) if assessment else
        _component("level", valueString=str(row["level"])),
        _component("session-status", valueCodeableConcept={
            "coding": [{"system": LOCAL_CODES, "code": f"status-{row['status']}", "display": str(row["status"])}],
            "text": str(row["status"])}),
    ]
    if row.get("duration_s") is not None:
        components.append(_component("duration", valueQuantity=_quantity(row["duration_s"], "s", "s")))
    for code, column in (("trials", "trials"), ("successes", "successes"), ("score", "score")):
        if row.get(column) is not None and (code == "trials" or not assessment):
            components.append(_component(code, valueInteger=int(row[column])))
    if row.get("success_rate") is not None and not assessment:
        components.append(_component("success-rate", valueQuantity=_quantity(100.0 * row["success_rate"], "%", "%")))
    if row.get("difficulty_reached") is not None and not assessment:
        reached = _quantity(row["difficulty_reached"], "0-1 (normalized)", "1")
        components.append(_component("difficulty-reached", valueQuantity=reached))
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "identifier": [{"system": systems.session, "value": str(row["id"])}],
        "status": "preliminary" if row["status"] == "running" else "final",
        "category": [CATEGORY, EXAM] if assessment else [CATEGORY, EXERCISE_THERAPY],
        "code": _code("assessment-session" if assessment else "training-session"),
        "subject": {"reference": patient},
        "effectivePeriod": {k: v for k, v in (("start", row["started_at"]), ("end", row.get("ended_at"))) if v},
        "issued": issued,
        "component": components,
    }
    if device:
        observation["device"] = {"reference": device}
    if members:
        observation["hasMember"] = [{"reference": m} for m in members]
    return observation


def _measure_observation(code: str, row: dict[str, Any], patient: str, device: str | None, issued: str,
                         components: list[dict[str, Any]], method: str, systems: Systems) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "identifier": [{"system": systems.observation, "value": f"session-{row['id']}-{code}"}],
        "status": "preliminary" if row["status"] == "running" else "final",
        "category": [CATEGORY],
        "code": _code(code),
        "subject": {"reference": patient},
        "effectivePeriod": {k: v for k, v in (("start", row["started_at"]), ("end", row.get("ended_at"))) if v},
        "issued": issued,
        "method": {"text": method},
        "component": components,
    }
    if device:
        observation["device"] = {"reference": device}
    return observation


def _measure_entries(row: dict[str, Any], measures: SessionMeasures, patient: str, device: str | None,
                     issued: str, systems: Systems) -> list[tuple[str, dict[str, Any]]]:
    entries = []
    base = (row["id"], row["started_at"], row["player_id"])
    if measures.sway is not None and measures.sway.measures:
        components = [_component("trials-measured", valueInteger=measures.sway.trials_used)]
        for name in MEASURE_NAMES:
            unit, ucum = _SWAY_UNITS[name]
            components.append(_component(name, valueQuantity=_quantity(measures.sway.measures[name], unit, ucum)))
        entries.append((_uuid("sway", *base), _measure_observation(
            "sway-balance-trials", row, patient, device, issued, components,
            "Each hold trial's trace in % of the limits of stability; published sway measures (Prieto 1996, "
            "Schubert & Kirchner 2014, Santos & Duarte 2016) per trial, then the mean over trials.", systems)))
    means = measures.reach_means()
    if means:
        scored = sum(1 for t in measures.reach if t.measures)
        components = [_component("trials-measured", valueInteger=scored)]
        for name in REACH_UNITS:
            unit, ucum = _REACH_UNITS[name]
            components.append(_component(name, valueQuantity=_quantity(means[name], unit, ucum)))
        entries.append((_uuid("reach", *base), _measure_observation(
            "reach-trials", row, patient, device, issued, components,
            "NeuroCom/Biodex limits-of-stability measures of each reach trial (cue = trial start), mean over trials.",
            systems)))
        polygon = measures.los_polygon()
        components = [
            {"code": {"coding": [{"system": LOCAL_CODES, "code": f"los-max-excursion-{int(round(d)):03d}",
                                  "display": f"Largest excursion toward {d:g} degrees (counter-clockwise from right)"}],
                      "text": f"toward {d:g} degrees"},
             "valueQuantity": _quantity(v, "% LOS", "%")}
            for d, v in polygon.items()
        ]
        entries.append((_uuid("los", *base), _measure_observation(
            "los-max-excursion", row, patient, device, issued, components,
            "Per direction, the largest maximum excursion x start-to-target distance over the reach trials.",
            systems)))
    return entries


@dataclass(frozen=True)
class Systems:
    """The identifier systems of one clinic: patients (the clinic's URI itself) and what is derived from it
    (sessions, devices, observations, plans)."""

    patient: str
    session: str
    device: str
    observation: str
    plan: str

    @classmethod
    def of(cls, clinic: str, installation: str | None = None) -> Systems:
        """Patients: the clinic's URI. Sessions, devices, observations and plans: derived from this database's own
        installation URI when it has one (two tablets of one clinic both have a session 21), else from the
        clinic's: a ``urn:uuid:`` gets name-based UUIDs, a URL gets sub-paths."""
        base_uri = installation or clinic
        if base_uri.startswith("urn:uuid:"):
            base = uuid.UUID(base_uri[len("urn:uuid:"):])
            return cls(clinic, *(f"urn:uuid:{uuid.uuid5(base, kind)}" for kind in ("session", "device",
                                                                                 "observation", "plan")))
        root = base_uri.rstrip("/")
        return cls(clinic, f"{root}/proprio-sessions", f"{root}/proprio-devices", f"{root}/proprio-observations",
                   f"{root}/proprio-plans")


def check_clinic_system(text: str) -> str:
    """The clinic's identifier system, checked: an absolute http(s) URL or a ``urn:uuid:`` / ``urn:oid:`` URN."""
    text = text.strip()
    parsed = urllib.parse.urlsplit(text)
    if text.startswith("urn:uuid:"):
        try:
            uuid.UUID(text[len("urn:uuid:"):])
        except ValueError:
            pass
        else:
            return text
    elif text.startswith("urn:oid:") and re.fullmatch(r"urn:oid:[0-2](\.(0|[1-9][0-9]*))+", text):
        return text
    elif parsed.scheme in ("http", "https") and parsed.netloc and not parsed.query and not parsed.fragment \
            and not any(c.isspace() or c == "|" for c in text):
        return text
    raise FhirExportError(f"--clinic-system {text!r} is not an absolute URI a FHIR server can use as an identifier "
                          "system", remedy="Give your clinic's URL for patient numbers, e.g. --clinic-system "
                                           "https://clinic.example/patients (or a urn:uuid:/urn:oid: URI).")


def clinic_systems(db: Database, clinic_system: str | None) -> Systems:
    """The identifier systems: from ``clinic_system``, else from this database's stored installation URI."""
    stored = setting(db, "installation_uri")
    try:
        stored = None if stored is None else check_clinic_system(stored)
    except FhirExportError:
        stored = None  # changed by hand into something unusable: as if absent
    if clinic_system is not None:
        return Systems.of(check_clinic_system(clinic_system), stored)
    if stored is None:
        raise FhirExportError("this database has no installation URI for its FHIR identifiers (it was made by an "
                              "older Proprio and has not been written to since)",
                              remedy="Pass --clinic-system with your clinic's URI, e.g. --clinic-system "
                                     "https://clinic.example/patients; any command of this version that writes to "
                                     "the database (proprio play, proprio plan set) also gives it one.")
    return Systems.of(stored)


def _conditional(kind: str, system: str, value: str) -> dict[str, str]:
    """A conditional update: create the resource, or update the one with this identifier (never a duplicate)."""
    return {"method": "PUT", "url": f"{kind}?" + urllib.parse.urlencode({"identifier": f"{system}|{value}"})}


def _entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    identifier = resource["identifier"][0]
    return {"fullUrl": url, "resource": resource,
            "request": _conditional(resource["resourceType"], identifier["system"], identifier["value"])}


def fhir_bundle(db: Database, selection: Selection, *, include_names: bool = False,
                clinic_system: str | None = None) -> dict[str, Any]:
    """The selected sessions (with their assessments, and their players' check-ins, clinical scales and plan in
    effect) as a FHIR transaction Bundle, validated; returned as plain JSON data."""
    systems = clinic_systems(db, clinic_system)
    chosen = resolve(db, selection)
    issued = utc_now()
    entries: list[dict[str, Any]] = []
    patients: dict[str, str] = {}
    for player_id in chosen.player_ids:
        patient: dict[str, Any] = {"resourceType": "Patient",
                                   "identifier": [{"system": systems.patient, "value": player_id}]}
        who = identity(db, player_id) if include_names else None
        if who and who.get("display_name"):
            patient["name"] = [{"text": who["display_name"]}]
        patients[player_id] = _uuid("patient", systems.patient, player_id)
        entries.append(_entry(patients[player_id], patient))
    devices: dict[str, str] = {}
    rows = {row["id"]: row for row in db.query(
        "select * from sessions where id in (select value from json_each(?)) order by id",
        [json.dumps(list(chosen.session_ids))])}
    for row in rows.values():
        raw = row.get("device")
        name = raw if include_names else deid.device_name(raw)
        if name and name not in devices:
            devices[name] = _uuid("device", systems.device, name)
            entries.append(_entry(devices[name], {
                "resourceType": "Device", "identifier": [{"system": systems.device, "value": name}],
                "deviceName": [{"name": name, "type": "user-friendly-name"}]}))
    session_urls: dict[int, str] = {}
    protocols = _assessment_protocols(db, rows.keys())
    for session_id, row in rows.items():
        name = row["device"] if include_names else deid.device_name(row["device"])
        patient_ref, device_ref = patients[row["player_id"]], devices.get(name) if name else None
        protocol = protocols.get(session_id)
        # An assessment's figures are its per-condition Observations below, not the training measures.
        members = [] if protocol is not None else _measure_entries(
            row, session_measures(db, session_id), patient_ref, device_ref, issued, systems)
        session_urls[session_id] = _uuid("session", systems.session, session_id, row["started_at"], row["player_id"])
        entries.append(_entry(session_urls[session_id], _session_observation(
            row, patient_ref, device_ref, [u for u, _ in members], issued, systems, protocol)))
        entries.extend(_entry(url, resource) for url, resource in members)
    for session_id in sorted(protocols):
        row = rows[session_id]
        name = row["device"] if include_names else deid.device_name(row["device"])
        entries += _assessment_entries(db, row, patients[row["player_id"]], devices.get(name) if name else None,
                                       session_urls[session_id], issued, systems)
    for player_id in chosen.player_ids:
        entries += _clinic_entries(db, player_id, patients[player_id], session_urls, issued, systems, include_names)
        plan = _plan_entry(db, player_id, patients[player_id], issued, systems, include_names)
        if plan is not None:
            entries.append(plan)
    bundle = {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "transaction",
        "timestamp": issued,
        "meta": {"tag": [{"system": LOCAL_CODES, "code": "proprio-export", "display": f"Proprio {__version__}"}]},
        "entry": entries,
    }
    validate_bundle(bundle)
    return bundle


def _assessment_protocols(db: Database, session_ids: Iterable[int]) -> dict[int, str]:
    """The protocol name of each of these sessions that is a stored assessment."""
    wanted = set(session_ids) & set(player_assessments(db))
    if not wanted:
        return {}
    found = db.execute("select session_id, protocol from assessments where session_id in (select value from "
                       "json_each(?))", [json.dumps(sorted(wanted))]).fetchall()
    return {int(session_id): str(protocol) for session_id, protocol in found}


def _clinic_entries(db: Database, player_id: str, patient: str, session_urls: dict[int, str], issued: str,
                    systems: Systems, include_names: bool) -> list[dict[str, Any]]:
    """The player's check-ins (pain with LOINC 72514-3, effort) and clinical scale results as Observations."""
    entries = []
    for row in checkins(db, player_id):
        session_id = row.get("session_id")
        if session_id is not None and session_id not in session_urls:
            continue  # a check-in of a session not exported
        for column, code in (("pain_before", "checkin-pain-before"), ("pain_after", "checkin-pain-after"),
                             ("effort", "checkin-effort")):
            if row.get(column) is None:
                continue
            observation: dict[str, Any] = {
                "resourceType": "Observation",
                "identifier": [{"system": systems.observation, "value": f"checkin-{row['id']}-{column}"}],
                "status": "final", "category": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey",
                    "display": "Survey"}]}],
                "code": ({"coding": [PAIN_0_10, {"system": LOCAL_CODES, "code": code, "display": DISPLAY[code]}],
                          "text": DISPLAY[code]} if column != "effort" else _code(code)),
                "subject": {"reference": patient}, "effectiveDateTime": row["at"], "issued": issued,
                "valueQuantity": {"value": int(row[column]), "unit": "{score}", "system": UCUM, "code": "{score}"},
            }
            if column == "pain_before":
                observation["note"] = [{"text": "Rated before the session."}]
            elif column == "pain_after":
                observation["note"] = [{"text": "Rated after the session."}]
            if session_id is not None and session_id in session_urls:
                observation["derivedFrom"] = [{"reference": session_urls[session_id]}]
            url = _uuid("checkin", systems.observation, row["id"], column)
            entries.append(_entry(url, observation))
    for row in scales(db, player_id):
        code = f"scale-{row['scale']}"
        display = DISPLAY.get(code) or scale_title(row)  # a scale added since: its own title
        codings = [{"system": LOCAL_CODES, "code": code, "display": display}]
        if row["scale"] == "tug_s":
            codings.insert(0, dict(TUG_LOINC))
        text = display if row["scale"] != "other" else str(row.get("name") or "Another clinical test")
        unit = str(row.get("unit") or "")
        quantity: dict[str, Any] = {"value": float(row["value"]), "unit": unit}
        if unit in ("s", "{score}", "score"):
            quantity.update(system=UCUM, code="s" if unit == "s" else "{score}")
        observation = {
            "resourceType": "Observation",
            "identifier": [{"system": systems.observation, "value": f"scale-{row['id']}"}],
            "status": "final", "category": [EXAM],
            "code": {"coding": codings, "text": text},
            "subject": {"reference": patient}, "effectiveDateTime": row["date"], "issued": issued,
            "valueQuantity": quantity,
        }
        if include_names and row.get("assessor"):
            observation["note"] = [{"text": f"Assessor: {row['assessor']}"}]
        entries.append(_entry(_uuid("scale", systems.observation, row["id"]), observation))
    return entries


def _assessment_entries(db: Database, row: dict[str, Any], patient: str, device: str | None, session: str,
                        issued: str, systems: Systems) -> list[dict[str, Any]]:
    """One Observation per condition of a stored assessment: its figures (mean over the trials) as components in
    their units, ``method`` = the protocol and the condition (local codes), ``device`` -> the Device."""
    result = assessment_result(db, int(row["id"]))
    entries = []
    for condition in result.conditions:
        components = [_component("trials-measured", valueInteger=int(condition.completed))]
        for name, figure in condition.figures.items():
            if not math.isfinite(figure.mean):
                continue
            code = {"coding": [{"system": LOCAL_CODES, "code": f"assessment-{name}", "display": name}],
                    "text": f"{name} ({figure.unit})"}
            if name == "targets_reached":
                components.append({"code": code, "valueInteger": int(figure.mean)})
            else:
                components.append({"code": code, "valueQuantity": _quantity(
                    figure.mean, figure.unit, _ASSESSMENT_UCUM.get(figure.unit))})
        side = f", side {condition.side}" if condition.side else ""
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "identifier": [{"system": systems.observation,
                            "value": f"assessment-{row['id']}-{condition.condition}"}],
            "status": "preliminary" if row["status"] == "running" else "final",
            "category": [CATEGORY, EXAM],
            "code": _code("assessment"),
            "subject": {"reference": patient},
            "effectivePeriod": {k: v for k, v in (("start", row["started_at"]), ("end", row.get("ended_at"))) if v},
            "issued": issued,
            "method": {"coding": [
                {"system": LOCAL_CODES, "code": f"protocol-{result.protocol}", "display": result.title},
                {"system": LOCAL_CODES, "code": f"condition-{condition.condition}", "display": condition.title}],
                "text": f"{result.title}: {condition.title} (vision {condition.vision}, surface {condition.surface}, "
                        f"stance {condition.stance}{side}); {condition.filter}"},
            "derivedFrom": [{"reference": session}],
            "component": components,
        }
        if device:
            observation["device"] = {"reference": device}
        url = _uuid("assessment", systems.observation, row["id"], condition.condition)
        entries.append(_entry(url, observation))
    return entries


def _plan_entry(db: Database, player_id: str, patient: str, issued: str, systems: Systems,
                include_names: bool) -> dict[str, Any] | None:
    """The plan in effect as a CarePlan: its period, the sessions a week and minutes, the levels or playlist."""
    plan = current_plan(db, player_id)
    if plan is None:
        return None
    start = date.fromisoformat(str(plan["start_date"]))
    end = start + timedelta(weeks=int(plan["weeks"])) - timedelta(days=1)
    per_week, minutes = int(plan["sessions_per_week"]), float(plan["minutes_per_session"])
    levels = [x for x in str(plan.get("levels") or "").split(",") if x]
    if levels:
        targets = [("plan-level", level) for level in levels]
    elif plan.get("playlist"):
        targets = [("plan-playlist", str(plan["playlist"]))]
    else:
        targets = []
    what = ", ".join(name for _, name in targets) or "any level"
    activities: list[dict[str, Any]] = [{"detail": {
        "code": _code("training-session"), "status": "scheduled",
        "scheduledTiming": {"repeat": {"boundsPeriod": {"start": start.isoformat(), "end": end.isoformat()},
                                       "frequency": per_week, "period": 1, "periodUnit": "wk",
                                       "duration": minutes, "durationUnit": "min"}},
        "description": f"{per_week} Proprio sessions a week of {minutes:g} min each, {what}"}}]
    for code, name in targets:
        activities.append({"detail": {
            "code": {"coding": [{"system": LOCAL_CODES, "code": code, "display": DISPLAY[code]},
                                {"system": LEVEL_CODES, "code": name, "display": name}], "text": name},
            "status": "scheduled", "description": f"{DISPLAY[code]}: {name} (in the sessions above)"}})
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "identifier": [{"system": systems.plan, "value": str(plan["id"])}],
        "status": "completed" if end.isoformat() < issued[:10] else "active",
        "intent": "plan", "title": "Proprio balance training plan",
        "subject": {"reference": patient},
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "created": str(plan["created_at"]),
        "activity": activities,
    }
    if include_names and plan.get("set_by"):
        care_plan["author"] = {"display": str(plan["set_by"])}
    if include_names and plan.get("notes"):
        care_plan["note"] = [{"text": str(plan["notes"])}]
    return _entry(_uuid("plan", systems.plan, plan["id"]), care_plan)


def validate_bundle(bundle: dict[str, Any]) -> Any:
    """Build the fhir.resources R4B models from the bundle (raises ``FhirExportError`` if they refuse it).

    Returns the validated ``Bundle`` model (``fhir.resources`` ships no type information, hence ``Any``).
    """
    from fhir.resources.R4B.bundle import Bundle

    try:
        return Bundle.model_validate(bundle)
    except ValidationError as exc:
        raise FhirExportError(f"the FHIR bundle does not validate: {exc}",
                              remedy="This is a bug in Proprio's FHIR export; please report it.") from None


def export_fhir(db: Database, selection: Selection, out_dir: Path, *, include_names: bool = False,
                overwrite: bool = False, wrap: Wrapper | None = None, clinic_system: str | None = None) -> Path:
    """Write the bundle as ``fhir_bundle.json`` in ``out_dir``, whole or not at all; return its path.

    ``wrap`` wraps the open file before writing (tests use it to fail like a full disk).
    """
    out_dir = Path(out_dir)
    bundle = fhir_bundle(db, selection, include_names=include_names, clinic_system=clinic_system)
    prepare_out_dir(out_dir, [FHIR_FILE], overwrite)
    path = out_dir / FHIR_FILE
    try:
        with atomic_output(path, wrap=wrap) as handle:
            json.dump(bundle, handle, indent=1, ensure_ascii=False, allow_nan=False)
            handle.write("\n")
    except OSError as exc:
        kept = "the earlier bundle is kept" if path.exists() else "nothing was written"
        raise ExportError(f"cannot write {path} ({exc.strerror or exc}); {kept}",
                          remedy="Free disk space or choose another --out, then run the command again.") from None
    return path
