"""``proprio export``: the selected sessions as CSV or NDJSON tables, or as a FHIR bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from game.cli.terminal import printable
from game.paths import default_db_path


@click.command()
@click.option("--player", "players", multiple=True, metavar="ID", help="Export this player's sessions (repeatable).")
@click.option("--session", "sessions", multiple=True, type=int, metavar="ID", help="Export this session (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Export every session of every player.")
@click.option("--format", "fmt", type=click.Choice(["csv", "ndjson", "fhir"]), default="csv", show_default=True,
              help="csv/ndjson: one file per table; fhir: one FHIR R4 Bundle of Observations.")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="Folder to write into (created if needed; must not hold an earlier export).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Telemetry database (default: proprio.db in your user data folder).")
@click.option("--include-names", is_flag=True,
              help="Also export display names, notes, host names and full level paths "
                   "(default: pseudonymous IDs only).")
@click.option("--include-free-text", is_flag=True,
              help="csv/ndjson: also export the free text clinicians typed (adverse-event descriptions and actions; "
                   "with --include-names, check-in, plan and scale notes too). Left out by default; without "
                   "--include-names it is scrubbed of addresses, host names, e-mails and serial numbers.")
@click.option("--overwrite", is_flag=True,
              help="Replace the files of an earlier export in DIR (an export that stopped midway is replaced "
                   "without it).")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: only when stderr is a terminal).")
@click.option("--clinic-system", metavar="URI",
              help="fhir: your clinic's identifier system for patient IDs, e.g. https://clinic.example/patients "
                   "(default: the URI this database generated for itself).")
@click.option("--shift-dates", is_flag=True,
              help="csv/ndjson, for research sharing: move every date of a player by the same 1-365 days (intervals "
                   "kept), derived from --shift-key-file or this database's stored key.")
@click.option("--shift-key-file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A key your clinic keeps (16+ bytes): the same player shifts the same way in every export.")
def export(players: tuple[str, ...], sessions: tuple[int, ...], everything: bool, fmt: str, out_dir: Path,
           db_path: Path | None, include_names: bool, include_free_text: bool, overwrite: bool, progress: bool | None,
           clinic_system: str | None, shift_dates: bool, shift_key_file: Path | None) -> None:
    """Export sessions for analysis: one file per table plus the data dictionary, or a FHIR bundle.

    Choose exactly one of --player, --session or --all. The export is de-identified unless
    --include-names is given; free text typed by clinicians (adverse-event descriptions,
    notes) is left out unless --include-free-text is given. CSV text cells are safe to open
    in a spreadsheet (a cell that could run as a formula starts with an apostrophe). It can run while a game is
    playing: it reads one consistent snapshot.

    \b
    Examples:
      proprio export --player kid-07 --format csv --out kid-07-export
      proprio export --all --format ndjson --out everything --db /tmp/p.db
      proprio export --session 12 --format fhir --out fhir --clinic-system https://clinic.example/patients
      proprio export --all --format csv --out study --shift-dates --shift-key-file clinic.key
      proprio export --player kid-07 --out kid-07-record --include-names --include-free-text
    """
    from telemetry.export.fhir import export_fhir
    from telemetry.export.tables import ExportError, export_tables
    from telemetry.store.database import open_for_reading, read_errors_reported
    from telemetry.store.queries import Selection

    if (shift_dates or shift_key_file) and fmt == "fhir":
        raise ExportError("--shift-dates is for csv/ndjson research exports", remedy="A health record needs the "
                          "real dates: leave --shift-dates out of a FHIR export.")
    if shift_key_file and not shift_dates:
        raise ExportError("--shift-key-file was given without --shift-dates", remedy="Add --shift-dates.")
    if include_free_text and fmt == "fhir":
        raise ExportError("--include-free-text is for csv/ndjson exports", remedy="A FHIR bundle never carries "
                          "adverse-event free text: leave --include-free-text out of a FHIR export.")
    if clinic_system is not None and fmt != "fhir":
        raise ExportError("--clinic-system is for FHIR exports", remedy="Add --format fhir, or leave it out.")
    shift_key = _read_key(shift_key_file) if shift_key_file else None
    opened = open_for_reading(db_path or default_db_path())  # a read-only or damaged file is read as it is
    for line in opened.warnings():
        click.echo(line, err=True)
    db = opened.db
    selection = Selection(tuple(players), tuple(sessions), everything)
    try:
        with read_errors_reported(opened.path):
            if fmt == "fhir":
                path = export_fhir(db, selection, out_dir, include_names=include_names, overwrite=overwrite,
                                   clinic_system=clinic_system)
                click.echo(f"Wrote {printable(path)} (FHIR R4 Bundle, "
                           f"{'with' if include_names else 'without'} names)")
                return
            show = sys.stderr.isatty() if progress is None else progress
            result = export_tables(db, selection, out_dir, fmt=fmt, include_names=include_names,
                                   include_free_text=include_free_text, overwrite=overwrite, progress=show,
                                   shift_dates=shift_dates, shift_key=shift_key)
    finally:
        db.close()
    sessions_n = result.rows.get("sessions", 0)
    players_n = result.rows.get("players", 0)
    privacy = "with names" if include_names else "de-identified" + (", dates shifted" if shift_dates else "")
    privacy += ", with free text" if include_free_text else ""
    click.echo(f"Exported {sessions_n} session{'s' if sessions_n != 1 else ''} of {players_n} "
               f"player{'s' if players_n != 1 else ''} ({privacy}, {fmt}) to {printable(result.out_dir)}"
               f"{' (it replaced an export that had stopped midway)' if result.resumed else ''}:")
    for table, count in result.rows.items():
        click.echo(f"  {table + '.' + fmt:<26}{count:>10} rows")
    click.echo("  manifest.json, data_dictionary.md")


def _read_key(path: Path) -> bytes:
    """The clinic's date-shift key from its file (refused: missing, unreadable, too short)."""
    from telemetry.export.deid import read_key_file
    from telemetry.export.tables import ExportError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read the key file {path} ({exc.strerror or exc})",
                          remedy="Check --shift-key-file.") from None
    return read_key_file(data)
