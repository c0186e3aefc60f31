"""De-identification for exports: what leaves the clinic names no computer, no network, no serial number.

Pure functions (no database, no clock) used by the CSV/NDJSON exporter (registered as SQLite
functions, so SQLite applies them to each cell as it reads) and by the FHIR bundle:

* ``device_name`` keeps what a device *is* ("imu-udp", "lsl:ForcePlate", "sim:0.50",
  "balance-board") and drops where it was and which unit it was: IP addresses and ports,
  host names (an LSL stream without a source id is named after the streaming computer),
  serial ports and serial numbers.
* ``scrub`` removes IPv4/IPv6/MAC addresses, host-like names (``lab-pc.clinic.local``),
  e-mail addresses and serial numbers (``SN 12345``, ``S/N: AB-778``, long letter-and-digit
  codes) from free text, replacing each with ``[removed]``.
* ``device_id`` turns a device's id into a stable pseudonym (its kind plus a keyed hash), so
  two devices stay two devices in research data without saying which.
* ``DateShift`` moves every date of one player by the same whole number of days (1 to 365,
  earlier or later), derived with HMAC-SHA256 from a key the clinic keeps: the same player
  always shifts the same way with the same key, intervals within a player are kept, and
  without the key the offset cannot be recovered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from game.errors import ProprioError

REMOVED = "[removed]"

_IPV4 = r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
# IPv6: at least three groups with colons, or a "::" compression (a time such as 10:00:00 has only two colons).
_IPV6 = (r"(?<![\w])(?:[0-9A-Fa-f]{1,4}:){3,7}[0-9A-Fa-f]{1,4}(?![\w:])"
         r"|(?<![\w])(?:[0-9A-Fa-f]{1,4}:){0,6}:(?::?[0-9A-Fa-f]{1,4}){1,7}(?![\w:])"
         r"|(?<![\w:])::(?![\w:])|\[[0-9A-Fa-f:.]+\]")
_MAC = r"(?<![\w:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\w:-])"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A dotted name ending in a letter label (lab-pc.clinic.local, imu.example.org); version numbers are all digits.
_HOST = r"(?<![\w.@/-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})\.)+[A-Za-z][A-Za-z0-9-]{1,62}(?![\w.])"
_SERIAL_WORD = r"(?i:\b(?:s/?n|serial(?:\s*(?:no|number|#))?|ser\.?\s*no)\b\.?\s*[:#=]?\s*[\w./-]+)"
# A code of 6 or more letters and digits mixing both (A50285BI, RVL-WBC-0042X7): the shape of a serial number.
_CODE = r"(?<![\w])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w])"
_LOCALHOST = r"(?i:\blocalhost\b)"
_PORT = r"(?<=\[removed\]):\d{1,5}\b"

_PATTERNS = [re.compile(p) for p in (_EMAIL, _MAC, _IPV6, _IPV4, _SERIAL_WORD, _HOST, _LOCALHOST)]
_PORT_RE = re.compile(_PORT)
_CODE_RE = re.compile(_CODE)

#: Device kinds whose name after the first ":" says only where the device was (host, port, serial port).
_LOCATION_ONLY = {"imu-udp", "udp", "imu-serial", "serial", "balance-board", "replay", "evdev"}
#: Device kinds whose name after the ":" is a setting, not a location ("sim:0.50" is the simulated skill).
_SETTING = {"sim", "keyboard"}


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _serial_like(token: str) -> bool:
    """A letter-and-digit code of 6+ characters with at least 3 digits (a serial number, not "mm", "v2" or a
    date-time such as 2026-05-09T10)."""
    if _DATE.match(token):
        return False
    letters_digits = token.replace("-", "")
    return len(letters_digits) >= 6 and sum(c.isdigit() for c in letters_digits) >= 3


def scrub(text: str | None) -> str | None:
    """``text`` with every address, host name, e-mail and serial number replaced by ``[removed]``."""
    if text is None:
        return None
    for pattern in _PATTERNS:
        text = pattern.sub(REMOVED, text)
    text = _PORT_RE.sub("", text)
    return _CODE_RE.sub(lambda m: REMOVED if _serial_like(m.group(0)) else m.group(0), text)


def device_name(name: str | None) -> str | None:
    """What a device is, without where it was or which unit it was ("imu-udp:10.0.0.5:9000" -> "imu-udp")."""
    if name is None:
        return None
    kind, sep, rest = str(name).partition(":")
    if not sep:
        return scrub(kind)
    if kind in _SETTING:
        return f"{kind}:{scrub(rest)}"
    if kind in _LOCATION_ONLY:
        return kind
    if kind == "lsl":  # lsl:STREAM or lsl:STREAM:SOURCE-ID-OR-HOST: the stream's name only
        stream = rest.partition(":")[0]
        return f"lsl:{scrub(stream)}"
    return f"{scrub(kind)}:{scrub(rest)}"


def device_id(identifier: str | None, secret: bytes) -> str | None:
    """A stable pseudonym for a device's id that says where or which unit it was: its kind and 10 hex digits of a
    keyed hash ("udp:10.0.0.5:9000" -> "udp~3f9a0c12de"); an id that says nothing of the kind ("keyboard",
    "sim:0.50") stays as it is."""
    if identifier is None:
        return None
    if device_name(identifier) == identifier:
        return identifier
    kind = str(identifier).partition(":")[0]
    digest = hmac.new(secret, str(identifier).encode("utf-8"), hashlib.sha256).hexdigest()[:10]
    return f"{scrub(kind) or 'device'}~{digest}"


def device_info(info: str | None) -> str | None:
    """A device's ``info`` JSON with its name de-identified and every other text scrubbed."""
    if info is None:
        return None
    try:
        data = json.loads(info)
    except ValueError:
        return scrub(info)
    if not isinstance(data, dict):
        return scrub(info)
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("host", "hostname", "ip", "address", "port", "serial", "serial_number", "source_id", "uid"):
            continue
        if key == "name" and isinstance(value, str):
            cleaned[key] = device_name(value)
        elif isinstance(value, str):
            cleaned[key] = scrub(value)
        elif isinstance(value, (int, float, bool)) or value is None:
            cleaned[key] = value
    return json.dumps(cleaned, sort_keys=True)


class DateShiftError(ProprioError):
    """A date-shift key that cannot be used (empty, too short), or none to shift with."""


MIN_KEY_BYTES = 16
MAX_SHIFT_DAYS = 365


@dataclass(frozen=True)
class DateShift:
    """Per player, a shift of 1 to 365 days (earlier or later) derived from ``key`` with HMAC-SHA256."""

    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) < MIN_KEY_BYTES:
            raise DateShiftError(f"a date-shift key needs at least {MIN_KEY_BYTES} bytes; this one has "
                                 f"{len(self.key)}", remedy="Use a longer key (e.g. 64 random hex digits).")

    def days(self, player_id: str) -> int:
        """The player's shift in days: never 0, the same for the same key and player."""
        digest = hmac.new(self.key, b"date-shift\x00" + player_id.encode("utf-8"), hashlib.sha256).digest()
        n = int.from_bytes(digest[:8], "big") % (2 * MAX_SHIFT_DAYS)
        return n - MAX_SHIFT_DAYS if n < MAX_SHIFT_DAYS else n - MAX_SHIFT_DAYS + 1

    def shift(self, player_id: str | None, stamp: str | None) -> str | None:
        """An ISO date or date-time moved by the player's shift (time of day and zone kept); None stays None.

        A stamp that is not an ISO date cannot be shifted and must not leak: it becomes None.
        """
        if stamp is None:
            return None
        if player_id is None:
            return None
        text = str(stamp)
        try:
            if len(text) == 10:
                moved = datetime.fromisoformat(text) + timedelta(days=self.days(str(player_id)))
                return moved.date().isoformat()
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (parsed + timedelta(days=self.days(str(player_id)))).isoformat()


def read_key_file(text: bytes) -> bytes:
    """The key in a key file: its bytes without surrounding whitespace (a line of random text is fine)."""
    key = text.strip()
    if len(key) < MIN_KEY_BYTES:
        raise DateShiftError(f"the key file holds {len(key)} bytes; a date-shift key needs at least {MIN_KEY_BYTES}",
                             remedy="Make one once and keep it safe, e.g. python -c \"import secrets; "
                                    "print(secrets.token_hex(32))\" > shift.key")
    return key


# --- the table exports: SQL functions SQLite applies to each cell as it reads ---------------------------------

#: Exported columns as (name, type, SQL expression), as in ``telemetry.export.tables``.
Columns = list[tuple[str, str, str]]

#: Per table, the columns that are rewritten (function name) when an export is de-identified.
_REWRITE = {
    ("sessions", "device"): "proprio_deid_device",
    ("devices", "id"): "proprio_deid_device_id",
    ("devices", "info"): "proprio_deid_info",
    ("calibrations", "device"): "proprio_deid_device_id",
    ("adverse_events", "what"): "proprio_scrub",
    ("adverse_events", "action"): "proprio_scrub",
}
#: Date columns of tables whose rows name no player (devices): left empty when dates are shifted.
_TIME_COLUMNS = ("at", "date", "start_date")


def is_time_column(name: str) -> bool:
    """A column holding a date or a date-time (``*_at``, ``at``, ``date``, ``start_date``)."""
    return name.endswith("_at") or name in _TIME_COLUMNS


def install(conn: Any, secret: bytes, shift: DateShift | None) -> None:
    """Register the de-identifying SQL functions on a SQLite connection (``sqlite3.Connection``)."""
    conn.create_function("proprio_deid_device", 1, device_name, deterministic=True)
    conn.create_function("proprio_deid_device_id", 1, lambda v: device_id(v, secret), deterministic=True)
    conn.create_function("proprio_deid_info", 1, device_info, deterministic=True)
    conn.create_function("proprio_scrub", 1, scrub, deterministic=True)
    if shift is not None:
        conn.create_function("proprio_shift", 2, shift.shift, deterministic=True)


def deidentified_columns(table: str, columns: Columns, *, shift: bool) -> Columns:
    """The columns' SQL expressions with devices, free text and (with ``shift``) dates de-identified."""
    names = {name for name, _, _ in columns}
    if table == "players":
        player = 'p."id"'
    elif "player_id" in names:
        player = f'"{table}"."player_id"'
    elif "session_id" in names:
        player = f'(select s.player_id from sessions s where s.id = "{table}"."session_id")'
    else:
        player = None
    result = []
    for name, kind, expr in columns:
        function = _REWRITE.get((table, name))
        if function is not None:
            expr = f"{function}({expr})"
        if shift and kind == "text" and is_time_column(name):
            expr = f"proprio_shift({player}, {expr})" if player else "null"
        result.append((name, kind, expr))
    return result


def prepare(conn: Any, queries: dict[str, tuple[Columns, Any]], stored_secret: str | None, *,
            shift_dates: bool = False, shift_key: bytes | None = None, free_text: bool = True) -> dict[str, Any]:
    """De-identify an export's queries in place (and register the functions they call); return what was done,
    for the manifest.

    Device pseudonyms use the database's stored secret (stable across its exports), or a fresh one when it has
    none. Dates are shifted with ``shift_key`` (a key the clinic keeps: the same shifts across databases and
    exports), else with the stored secret; without either, shifting is refused. ``free_text``: whether the
    export carries the adverse events' free text (then scrubbed), for the manifest's wording.
    """
    try:
        secret = bytes.fromhex(stored_secret) if stored_secret else b""
    except ValueError:
        secret = b""
    stable = len(secret) >= MIN_KEY_BYTES
    if not stable:
        secret = secrets.token_bytes(32)  # a fresh key: pseudonyms of this export only
    shift = None
    if shift_dates:
        key = shift_key if shift_key is not None else (secret if stable else None)
        if key is None:
            raise DateShiftError("this database has no stored de-identification key to shift dates with",
                                 remedy="Pass --shift-key-file with a key your clinic keeps (at least 16 bytes).")
        shift = DateShift(key)
    install(conn, secret, shift)
    for table, (columns, parts) in list(queries.items()):
        queries[table] = (deidentified_columns(table, columns, shift=shift is not None), parts)
    return {
        "devices": "names without IP addresses, ports, host names or serial numbers; ids as keyed pseudonyms "
                   + ("(stable across this database's exports)" if stable else "(this export only)"),
        "free_text": ("adverse event descriptions and actions scrubbed of addresses, host names, e-mail addresses "
                      "and serial numbers; notes, assessors and prescribers left out" if free_text else
                      "left out (adverse event descriptions and actions, notes); assessors and prescribers left out"),
        "dates_shifted": shift is not None,
        "date_shift": ("every date of a player moved by the same 1 to 365 days (HMAC-SHA256 of the player ID with "
                       + ("the clinic's key file" if shift_key is not None else "this database's stored key")
                       + "); intervals within a player are kept; dates of devices left out")
        if shift is not None else "dates as recorded",
    }
