"""A FHIR R4 Bundle of Observations per session, validated by building the ``fhir.resources`` models.

``fhir.resources`` 7 and later carry R5 and R4B (4.3) models, not R4 (4.0.1); every element
used here (Bundle collection, Patient.identifier/name, Device.identifier/deviceName,
Observation status/category/code/subject/effectivePeriod/issued/device/method/
valueQuantity/component/hasMember) is the same in R4 and R4B, so a bundle that validates as
R4B is also valid R4. The mapping is documented in docs/reports.md.

Codes: the observation category ``therapy`` (HL7 observation-category) and UCUM units are
standard; Proprio's measures have no LOINC or SNOMED CT code we could confirm, so they use
the local code system ``LOCAL_CODES``: a receiving system must map them.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from game import __version__
from game.errors import ProprioError
from telemetry.export.atomic import Wrapper, atomic_output
from telemetry.export.tables import ExportError, prepare_out_dir
from telemetry.measures.session import REACH_UNITS, SessionMeasures
from telemetry.measures.sway import MEASURE_NAMES
from telemetry.store.players import identity
from telemetry.store.queries import Selection, resolve, session_measures
from telemetry.store.sessions import utc_now

FHIR_FILE = "fhir_bundle.json"
LOCAL_CODES = "urn:proprio:fhir:CodeSystem:measures"
PLAYER_IDS = "urn:proprio:fhir:NamingSystem:player-id"
SESSION_IDS = "urn:proprio:fhir:NamingSystem:session-id"
DEVICE_IDS = "urn:proprio:fhir:NamingSystem:device"
UCUM = "http://unitsofmeasure.org"
CATEGORY = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "therapy",
                "display": "Therapy"}]
}
_NAMESPACE = uuid.UUID("5b0f6c64-3d1e-5a43-9b8e-70726f707269")  # fixed: the same data gives the same ids

#: Display text per local code (the mapping table of docs/reports.md).
DISPLAY = {
    "training-session": "Proprio training session (one level played)",
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
                         issued: str) -> dict[str, Any]:
    components = [
        _component("level", valueString=str(row["level"])),
        _component("session-status", valueCodeableConcept={
            "coding": [{"system": LOCAL_CODES, "code": f"status-{row['status']}", "display": str(row["status"])}],
            "text": str(row["status"])}),
    ]
    if row.get("duration_s") is not None:
        components.append(_component("duration", valueQuantity=_quantity(row["duration_s"], "s", "s")))
    for code, column in (("trials", "trials"), ("successes", "successes"), ("score", "score")):
        if row.get(column) is not None:
            components.append(_component(code, valueInteger=int(row[column])))
    if row.get("success_rate") is not None:
        components.append(_component("success-rate", valueQuantity=_quantity(100.0 * row["success_rate"], "%", "%")))
    if row.get("difficulty_reached") is not None:
        reached = _quantity(row["difficulty_reached"], "0-1 (normalized)", "1")
        components.append(_component("difficulty-reached", valueQuantity=reached))
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "identifier": [{"system": SESSION_IDS, "value": str(row["id"])}],
        "status": "preliminary" if row["status"] == "running" else "final",
        "category": [CATEGORY],
        "code": _code("training-session"),
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
                         components: list[dict[str, Any]], method: str) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
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
                     issued: str) -> list[tuple[str, dict[str, Any]]]:
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
            "Schubert & Kirchner 2014, Santos & Duarte 2016) per trial, then the mean over trials.")))
    means = measures.reach_means()
    if means:
        scored = sum(1 for t in measures.reach if t.measures)
        components = [_component("trials-measured", valueInteger=scored)]
        for name in REACH_UNITS:
            unit, ucum = _REACH_UNITS[name]
            components.append(_component(name, valueQuantity=_quantity(means[name], unit, ucum)))
        entries.append((_uuid("reach", *base), _measure_observation(
            "reach-trials", row, patient, device, issued, components,
            "NeuroCom/Biodex limits-of-stability measures of each reach trial (cue = trial start), mean over trials.")))
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
            "Per direction, the largest maximum excursion x start-to-target distance over the reach trials.")))
    return entries


def fhir_bundle(db: Database, selection: Selection, *, include_names: bool = False) -> dict[str, Any]:
    """The selected sessions as a FHIR Bundle (type collection), validated; returned as plain JSON data."""
    chosen = resolve(db, selection)
    issued = utc_now()
    entries: list[dict[str, Any]] = []
    patients: dict[str, str] = {}
    for player_id in chosen.player_ids:
        patient: dict[str, Any] = {"resourceType": "Patient",
                                   "identifier": [{"system": PLAYER_IDS, "value": player_id}]}
        who = identity(db, player_id) if include_names else None
        if who and who.get("display_name"):
            patient["name"] = [{"text": who["display_name"]}]
        patients[player_id] = _uuid("patient", player_id)
        entries.append({"fullUrl": patients[player_id], "resource": patient})
    devices: dict[str, str] = {}
    rows = {row["id"]: row for row in db.query(
        "select * from sessions where id in (select value from json_each(?)) order by id",
        [json.dumps(list(chosen.session_ids))])}
    for row in rows.values():
        name = row.get("device")
        if name and name not in devices:
            devices[name] = _uuid("device", name)
            entries.append({"fullUrl": devices[name], "resource": {
                "resourceType": "Device", "identifier": [{"system": DEVICE_IDS, "value": name}],
                "deviceName": [{"name": name, "type": "user-friendly-name"}]}})
    for session_id, row in rows.items():
        patient_ref, device_ref = patients[row["player_id"]], devices.get(row["device"])
        members = _measure_entries(row, session_measures(db, session_id), patient_ref, device_ref, issued)
        entries.append({"fullUrl": _uuid("session", session_id, row["started_at"], row["player_id"]),
                        "resource": _session_observation(row, patient_ref, device_ref, [u for u, _ in members],
                                                         issued)})
        entries.extend({"fullUrl": url, "resource": resource} for url, resource in members)
    bundle = {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "collection",
        "timestamp": issued,
        "meta": {"tag": [{"system": LOCAL_CODES, "code": "proprio-export", "display": f"Proprio {__version__}"}]},
        "entry": entries,
    }
    validate_bundle(bundle)
    return bundle


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
                overwrite: bool = False, wrap: Wrapper | None = None) -> Path:
    """Write the bundle as ``fhir_bundle.json`` in ``out_dir``, whole or not at all; return its path.

    ``wrap`` wraps the open file before writing (tests use it to fail like a full disk).
    """
    out_dir = Path(out_dir)
    bundle = fhir_bundle(db, selection, include_names=include_names)
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
