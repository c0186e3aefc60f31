"""Exports for clinicians and researchers: one CSV or NDJSON file per table, a manifest, the data dictionary.

An export is read in one SQLite read transaction, so it is a consistent snapshot even while
a game is writing (WAL lets readers and the writer work side by side). It is de-identified
by default: only pseudonymous player IDs leave the database; display names, notes,
calibration notes, host names, process ids and full level paths are added only with
``include_names``. Free text the clinic typed (adverse-event descriptions and actions, check-in,
plan and scale notes) is left out unless ``include_free_text`` is asked for too; in a de-identified
export it is scrubbed of addresses, host names, e-mails and serial numbers (``deid.scrub``), and
notes, which nothing scrubs, need ``include_names`` as well. CSV text cells are spreadsheet-safe
(``telemetry.export.csvsafe``); numbers are written as numbers, each float as its shortest text that
reads back as the same double (``telemetry.export.cells``). ``read_export_table`` reads either format
back with its types.

Every file is written whole or not at all (``telemetry.export.atomic``), and the manifest is
written first with ``"complete": false`` and last with ``true``: an export stopped midway (a
full disk, Ctrl-C, a crash) is refused by ``read_export_table`` and replaced by running the
same command again, without ``--overwrite``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from sqlite_utils import Database

from game import __version__
from game.errors import ProprioError
from telemetry.export import deid
from telemetry.export.atomic import atomic_output, remove_stale_temps, write_atomic
from telemetry.export.cells import ChunkWriter
from telemetry.export.csvsafe import PREFIX, TRIGGERS, restore
from telemetry.store.clinic import setting
from telemetry.store.queries import Resolved, Selection, resolve
from telemetry.store.schema import DICTIONARY_FILE, data_dictionary
from telemetry.store.sessions import utc_now

FORMATS = ("csv", "ndjson")
MANIFEST_FILE = "manifest.json"
FETCH_ROWS = 5000

#: Exported tables in the order written (parents before children).
TABLES = (
    "players", "devices", "calibrations", "clinician_limits", "difficulty_state",
    "sessions", "trials", "events", "difficulty_changes", "samples", "readings",
    "assessments", "assessment_trials",  # fixed assessments (game/assess, issue 13)
    "prescriptions", "checkins", "adverse_events", "clinical_scales",  # the clinic's records (issue 13)
)

#: Columns that identify a person, a computer or a folder: exported only with ``include_names``.
IDENTIFYING = {
    "sessions": ("hostname", "pid", "process_token"),
    "calibrations": ("notes",),
    # the clinic's records (issue 13): free text and the names of the people who wrote it
    "prescriptions": ("set_by", "notes"), "checkins": ("note",), "adverse_events": ("recorded_by",),
    "clinical_scales": ("assessor", "note"),
}

#: Free text the clinic typed (issue 13: kept out of exports by default): exported only with ``include_free_text``.
FREE_TEXT = {
    "adverse_events": ("what", "action"), "checkins": ("note",), "prescriptions": ("notes",),
    "clinical_scales": ("note",),
}

_ORDER = {
    "players": "id", "devices": "id", "calibrations": "id", "clinician_limits": "player_id, kind",
    "difficulty_state": "player_id, kind", "sessions": "id", "trials": "session_id, started_t_s, challenge, trial",
    "events": "id", "difficulty_changes": "id", "samples": "session_id, step", "readings": "session_id, seq",
    "assessments": "session_id", "assessment_trials": "session_id, trial",
    "prescriptions": "id", "checkins": "id", "adverse_events": "id", "clinical_scales": "id",
}


def _file_name_sql(column: str) -> str:
    """SQL for the file name in a path column: rtrim strips the trailing non-'/' characters, leaving the folder."""
    slashed = f"replace({column}, '\\', '/')"
    return f"replace({slashed}, rtrim({slashed}, replace({slashed}, '/', '')), '')"


class ExportError(ProprioError):
    """An export that cannot be written (bad format, folder in the way, files already there)."""


@dataclass
class ExportResult:
    """What an export wrote: the folder, each file, and each table's row count."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    resumed: bool = False  # True when it replaced an export that had stopped midway


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_type(declared: str) -> str:
    declared = (declared or "").upper()
    if "INT" in declared:
        return "integer"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB", "NUM")):
        return "real"
    return "text"


_PER_SESSION = ("trials", "events", "difficulty_changes", "samples", "readings", "assessments", "assessment_trials")

#: Columns holding a file's path: without ``include_names`` only the file's name is exported (not its folder).
_PATH_COLUMNS = {"sessions": "level_path", "assessments": "protocol_path"}

#: Exported columns as (name, type, SQL expression).
Columns = list[tuple[str, str, str]]
#: The FROM/WHERE/ORDER clauses that read a table, each with its parameters.
Parts = list[tuple[str, list[Any]]]


class ProgressBar(Protocol):
    """What an export needs of a progress bar (tqdm's, or a silent one)."""

    def update(self, n: float = 1) -> object: ...

    def __enter__(self) -> ProgressBar: ...

    def __exit__(self, *exc_info: object) -> object: ...


def _table_query(
    db: Database, table: str, chosen: Resolved, include_names: bool, include_free_text: bool = False
) -> tuple[Columns, Parts]:
    """Columns as (name, type, SQL expression), and the FROM/WHERE/ORDER clauses to read, with parameters.

    Per-session tables are read one session at a time: ``session_id = ?`` walks the primary-key
    index in order, where ``session_id IN (...)`` would sort every row in a temporary B-tree.
    """
    hidden = set() if include_names else set(IDENTIFYING.get(table, ()))
    if not include_free_text:
        hidden |= set(FREE_TEXT.get(table, ()))
    columns = [(c.name, _sql_type(c.type), _quote(c.name)) for c in db.table(table).columns if c.name not in hidden]
    path_column = _PATH_COLUMNS.get(table)
    if path_column and not include_names:  # the level or protocol file's name, not the folder it was in
        columns = [(name, kind, _file_name_sql(name) if name == path_column else expr) for name, kind, expr in columns]
    if table == "players":
        columns = [(name, kind, f"p.{expr}") for name, kind, expr in columns]
        if include_names and db.table("player_identities").exists():
            columns += [("display_name", "text", "i.display_name"), ("notes", "text", "i.notes")]
            if "age_band" in db.table("player_identities").columns_dict:  # from migration m011 on
                columns.append(("age_band", "text", "i.age_band"))
    ids = json.dumps(list(chosen.session_ids))
    players = json.dumps(list(chosen.player_ids))
    if table == "players":
        source = "players p left join player_identities i on i.player_id = p.id"
        where, params = ("", []) if chosen.everything else ("where p.id in (select value from json_each(?))", [players])
        return columns, [(f"from {source} {where} order by p.id", params)]
    # ORDER BY names the table's columns, not the (neutralized) result columns of the same names,
    # so SQLite reads them in index order instead of sorting every row.
    if table in _PER_SESSION and not chosen.everything:
        order = _qualified(table, _ORDER[table].replace("session_id, ", ""))
        return columns, [(f"from {_quote(table)} where session_id = ? order by {order}", [session_id])
                         for session_id in chosen.session_ids]
    if chosen.everything:
        where, params = "", []
    elif table == "devices":  # the sessions' devices (by id, or by the name in info) and the calibrated ones
        used = "select device from sessions where id in (select value from json_each(?))"
        name = "(case when json_valid(info) then json_extract(info, '$.name') end)"
        where = (f"where id in ({used}) or {name} in ({used}) "
                 "or id in (select device from calibrations where player_id in (select value from json_each(?)))")
        params = [ids, ids, players]
    elif table == "sessions":
        where, params = "where id in (select value from json_each(?))", [ids]
    else:
        where, params = "where player_id in (select value from json_each(?))", [players]
    return columns, [(f"from {_quote(table)} {where} order by {_qualified(table, _ORDER[table])}", params)]


def _qualified(table: str, order: str) -> str:
    return ", ".join(f"{_quote(table)}.{_quote(column.strip())}" for column in order.split(","))


def _rows(cursor: sqlite3.Cursor) -> Iterator[list[tuple[Any, ...]]]:
    while True:
        chunk = cursor.fetchmany(FETCH_ROWS)
        if not chunk:
            return
        yield chunk


def _write_table(db: Database, handle: IO[str], fmt: str, columns: Columns, parts: Parts, bar: ProgressBar) -> int:
    """Write one table to an open file (CSV: opened with newline="" and utf-8-sig); return its row count.

    SQLite reads the values as stored; ``telemetry.export.cells`` renders a whole chunk of rows a
    column at a time (floats exact and shortest, text spreadsheet-safe) and it is written at once.
    """
    names = [name for name, _, _ in columns]
    select = ", ".join(f"{expr} as {_quote(name)}" for name, _, expr in columns)
    writer = ChunkWriter(fmt, names, [kind for _, kind, _ in columns])
    if fmt == "csv":
        header = io.StringIO()
        csv.writer(header, lineterminator="\r\n").writerow(names)
        handle.write(header.getvalue())
    count = 0
    for clause, params in parts:
        for chunk in _rows(db.conn.execute(f"select {select} {clause}", params)):
            handle.write(writer.text(chunk))  # one write per chunk
            count += len(chunk)
            bar.update(len(chunk))
    return count


def _progress(total: int, enabled: bool) -> ProgressBar:
    """A tqdm bar on stderr (silent unless ``enabled``), used as a context manager."""
    from tqdm import tqdm  # type: ignore[import-untyped]  # tqdm ships no type information

    bar: ProgressBar = tqdm(total=total, unit="rows", unit_scale=True, desc="export", disable=not enabled,
                            leave=False, dynamic_ncols=True)
    return bar


def planned_files(fmt: str) -> list[str]:
    """The file names an export in ``fmt`` writes."""
    return [*(f"{table}.{fmt}" for table in TABLES), MANIFEST_FILE, DICTIONARY_FILE]


def export_state(out_dir: Path) -> str:
    """The export in ``out_dir``: complete, incomplete (it stopped midway) or none (no readable manifest)."""
    try:
        manifest = json.loads((Path(out_dir) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "none"
    if not isinstance(manifest, dict):
        return "none"
    return "incomplete" if manifest.get("complete") is False else "complete"  # no key: written before 0.x marks


def prepare_out_dir(out_dir: Path, names: list[str], overwrite: bool) -> bool:
    """Create the folder (owner-only) and refuse one that already holds these files, unless overwriting.

    An export that stopped midway (its manifest says ``"complete": false``) is replaced without
    ``overwrite``: that is what running the same command again means. Returns True when replacing one.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder",
                          remedy="Pass --out with a folder (it is created if needed).")
    try:
        out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {out_dir} ({exc.strerror or exc})",
                          remedy="Pass --out with a folder you can write to.") from None
    if not os.access(out_dir, os.W_OK):
        raise ExportError(f"the folder {out_dir} is not writable", remedy="Pass --out with a folder you can write to.")
    present = [n for n in names if os.path.lexists(out_dir / n)]
    resuming = bool(present) and MANIFEST_FILE in names and export_state(out_dir) == "incomplete"
    if present and not (overwrite or resuming):
        raise ExportError(
            f"{out_dir} already holds an export ({', '.join(present[:3])}{', ...' if len(present) > 3 else ''})",
            remedy="Choose an empty folder, or add --overwrite to replace those files.",
        )
    if present:
        remove_stale_temps(out_dir, names)
    return resuming


def export_tables(
    db: Database,
    selection: Selection,
    out_dir: Path,
    *,
    fmt: str = "csv",
    include_names: bool = False,
    include_free_text: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    shift_dates: bool = False,
    shift_key: bytes | None = None,
) -> ExportResult:
    """Write one file per table for the selected sessions, plus manifest.json and data_dictionary.md."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", remedy=f"Use one of: {', '.join(FORMATS)} (or fhir).")
    if shift_dates and include_names:  # issue 13: shifted dates are for de-identified research sharing
        raise ExportError("--shift-dates is for de-identified exports", remedy="Leave out --include-names.")
    out_dir = Path(out_dir)
    chosen = resolve(db, selection)
    result = ExportResult(out_dir)
    result.resumed = prepare_out_dir(out_dir, planned_files(fmt), overwrite)
    tables = [t for t in TABLES if db.table(t).exists()]
    manifest: dict[str, Any] = {
        "complete": False, "exported_at": utc_now(), "app_version": __version__, "format": fmt,
        "selection": selection.describe(),
        "identifying_fields_included": include_names, "free_text_included": include_free_text,
        "sessions": list(chosen.session_ids),
        "players": list(chosen.player_ids), "tables": {},
    }
    if fmt == "csv":
        manifest["csv"] = {
            "encoding": "utf-8 with byte-order mark", "null": "empty cell",
            "neutralized_text": f"a text cell starting with one of {list(TRIGGERS)} is written with a leading "
                                f"{PREFIX!r}",
        }
    conn = db.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # one read snapshot for every table, even while a game writes
    try:
        # First the manifest saying "complete": false, last the one saying true: a folder left by an
        # export that stopped midway is recognised, refused by readers and replaced by a re-run.
        _write_text(out_dir / MANIFEST_FILE, _manifest_text(manifest))
        queries = {t: _table_query(db, t, chosen, include_names, include_free_text) for t in tables}
        if not include_names:  # de-identification of devices, free text and (asked) dates: telemetry/export/deid.py
            manifest["deidentification"] = deid.prepare(conn, queries, setting(db, "deid_secret"),
                                                        shift_dates=shift_dates, shift_key=shift_key,
                                                        free_text=include_free_text)
        total = sum(conn.execute(f"select count(*) {clause}", params).fetchone()[0]
                    for _, parts in queries.values() for clause, params in parts) if progress else 0  # a scan
        with _progress(total, progress) as bar:
            for table in tables:
                columns, parts = queries[table]
                path = out_dir / f"{table}.{fmt}"
                # CSV: UTF-8 with a byte-order mark, so spreadsheets read accented names right.
                with atomic_output(path, encoding="utf-8-sig" if fmt == "csv" else "utf-8",
                                   newline="" if fmt == "csv" else None) as handle:
                    result.rows[table] = _write_table(db, handle, fmt, columns, parts, bar)
                result.files.append(path)
                manifest["tables"][table] = {
                    "file": path.name, "rows": result.rows[table],
                    "columns": [{"name": name, "type": kind} for name, kind, _ in columns],
                }
        _write_text(out_dir / DICTIONARY_FILE, data_dictionary())
        manifest["complete"] = True
        _write_text(out_dir / MANIFEST_FILE, _manifest_text(manifest))
        result.files += [out_dir / MANIFEST_FILE, out_dir / DICTIONARY_FILE]
    except OSError as exc:
        raise ExportError(f"cannot write the export in {out_dir} ({exc.strerror or exc})",
                          remedy="Free disk space or fix the folder's permissions, then run the same command "
                                 "again: it replaces the unfinished export.") from None
    finally:
        if began:
            conn.rollback()  # ends the read transaction; nothing was written
    return result


def _manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def _write_text(path: Path, text: str) -> None:
    """Write a small text file atomically, owner-only."""
    write_atomic(path, text)


def _typed(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    return restore(value)


def read_export_table(out_dir: Path, table: str) -> list[dict[str, Any]]:
    """Read one exported table back (CSV or NDJSON): numbers as numbers, text as stored in the database."""
    out_dir = Path(out_dir)
    try:
        manifest = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("complete") is False:
            raise ExportError(f"the export in {out_dir} stopped before it was complete",
                              remedy="Run the same proprio export command again: it replaces the unfinished "
                                     "export.")
        info = manifest["tables"][table]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExportError(f"{out_dir} holds no export of table {table!r} ({exc})",
                          remedy="Point at a folder written by proprio export.") from None
    path = out_dir / info["file"]
    if manifest["format"] == "ndjson":
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    kinds = [c["type"] for c in info["columns"]]
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return [{name: _typed(cell, kind) for name, kind, cell in zip(header, kinds, row, strict=False)}
                for row in reader]
