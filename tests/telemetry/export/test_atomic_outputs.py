"""Exports are written whole or not at all, never through a planted link, and an interrupted one can be re-run.

Issue 16, defect 7. The full disk is real where a tmpfs can be mounted (root); everywhere an
``OSError(ENOSPC)`` is also injected at write time through the ``wrap`` file wrapper.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from telemetry.export import atomic, tables
from telemetry.export.atomic import temp_name, write_atomic
from telemetry.export.fhir import FHIR_FILE, export_fhir
from telemetry.export.tables import (
    MANIFEST_FILE,
    ExportError,
    export_state,
    export_tables,
    planned_files,
    read_export_table,
)
from telemetry.store.database import open_db
from telemetry.store.queries import Selection
from telemetry.store.sessions import create_session

VICTIM_TEXT = "the victim's own text\n"
PLANTED = "planted"


@pytest.fixture
def db_path(tmp_path) -> Path:
    """Two sessions of kid-07 with 600 samples each, written directly (no game needed)."""
    path = tmp_path / "db" / "p.db"
    path.parent.mkdir()
    db = open_db(path)
    for level in ("garden-balance", "space-reach"):
        session_id = create_session(db, {"player_id": "kid-07", "level": level, "level_title": "Mum paid $5",
                                         "device": "sim:0.50"})
        db["samples"].insert_all({"session_id": session_id, "step": i, "t_s": i / 120, "x": 0.1, "y": -0.1,
                                  "raw_x": 1.0, "raw_y": -1.0, "raw_unit": "deg", "device_t_s": i / 120}
                                 for i in range(600))
        db["sessions"].update(session_id, {"status": "completed", "duration_s": 5.0})
    db.close()
    return path


@pytest.fixture
def victim(tmp_path) -> Path:
    """A world-readable file that a planted link points at: it must never change."""
    path = tmp_path / "victim.txt"
    path.write_text(VICTIM_TEXT)
    path.chmod(0o644)
    return path


def assert_untouched(victim: Path) -> None:
    assert victim.read_text() == VICTIM_TEXT
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644


@pytest.fixture
def predictable_names(monkeypatch) -> None:
    """Every first temporary name drawn is ``...planted.tmp`` (where the tests plant links), the next ones free."""
    counter = itertools.count()

    def token() -> str:
        n = next(counter)
        return PLANTED if n % 2 == 0 else f"free{n}"

    monkeypatch.setattr(atomic, "_token", token)


def plant(folder: Path, names: list[str], victim: Path) -> list[Path]:
    """A link to the victim at every temporary name used for ``names``: the drawn one and the old ``.part``."""
    links = []
    for name in names:
        for link in (temp_name(folder / name, PLANTED), folder / f"{name}.part"):
            link.symlink_to(victim)
            links.append(link)
    return links


def assert_private_regular_files(folder: Path, names: list[str]) -> None:
    for name in names:
        info = os.lstat(folder / name)
        assert stat.S_ISREG(info.st_mode), name
        assert stat.S_IMODE(info.st_mode) == 0o600, name


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX) and not p.is_symlink())


def test_write_atomic_draws_another_name_when_a_link_is_planted(tmp_path, victim, predictable_names):
    final = tmp_path / "out.txt"
    (links := plant(tmp_path, ["out.txt"], victim))
    write_atomic(final, "hello\n")
    assert final.read_text() == "hello\n" and stat.S_IMODE(final.stat().st_mode) == 0o600
    assert_untouched(victim)
    assert all(link.is_symlink() for link in links)  # other people's files are left alone
    assert leftovers(tmp_path) == []


def test_a_link_at_the_final_name_is_replaced_not_followed(tmp_path, victim):
    final = tmp_path / "out.txt"
    final.symlink_to(victim)
    write_atomic(final, "new\n")
    assert not final.is_symlink() and final.read_text() == "new\n"
    assert_untouched(victim)


def test_an_error_while_writing_leaves_the_final_name_as_it_was(tmp_path):
    final = tmp_path / "out.txt"
    final.write_text("earlier\n")
    with pytest.raises(RuntimeError), atomic.atomic_output(final) as handle:
        handle.write("half")
        raise RuntimeError("stopped midway")
    assert final.read_text() == "earlier\n" and leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_a_table_export_never_writes_through_a_planted_link(db_path, tmp_path, victim, predictable_names, fmt):
    out = tmp_path / "out"
    out.mkdir()
    names = planned_files(fmt)
    links = plant(out, names, victim)
    result = export_tables(open_db(db_path), Selection(everything=True), out, fmt=fmt)
    assert_untouched(victim)
    assert_private_regular_files(out, names)
    assert all(link.is_symlink() for link in links) and leftovers(out) == []
    assert result.rows["samples"] == 1200 and len(read_export_table(out, "samples")) == 1200
    (out / MANIFEST_FILE).unlink()
    (out / MANIFEST_FILE).symlink_to(victim)  # at a final name too (refused without --overwrite)
    with pytest.raises(ExportError, match="already holds an export"):
        export_tables(open_db(db_path), Selection(everything=True), out, fmt=fmt)
    export_tables(open_db(db_path), Selection(everything=True), out, fmt=fmt, overwrite=True)
    assert_untouched(victim)
    assert_private_regular_files(out, names)


def test_the_fhir_bundle_never_goes_through_a_planted_link(db_path, tmp_path, victim, predictable_names):
    out = tmp_path / "fhir"
    out.mkdir()
    plant(out, [FHIR_FILE], victim)
    path = export_fhir(open_db(db_path), Selection(everything=True), out)
    assert json.loads(path.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    (out / FHIR_FILE).unlink()
    (out / FHIR_FILE).symlink_to(victim)
    export_fhir(open_db(db_path), Selection(everything=True), out, overwrite=True)
    assert_untouched(victim)
    assert_private_regular_files(out, [FHIR_FILE])


class FullDisk:
    """A file wrapper that writes ``room`` bytes, then fails like a full disk (ENOSPC)."""

    def __init__(self, handle: IO[Any], room: int = 4096) -> None:
        self.handle, self.room = handle, room

    def write(self, data: Any) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.handle.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def test_a_full_disk_keeps_the_earlier_fhir_bundle_injected(db_path, tmp_path):
    out = tmp_path / "fhir"
    out.mkdir()
    earlier = '{"resourceType": "Bundle", "earlier": true}\n'
    (out / FHIR_FILE).write_text(earlier)
    with pytest.raises(ExportError, match="No space left on device.*earlier bundle is kept") as info:
        export_fhir(open_db(db_path), Selection(everything=True), out, overwrite=True, wrap=FullDisk)
    assert "Free disk space" in info.value.remedy
    assert (out / FHIR_FILE).read_text() == earlier and leftovers(out) == []
    (out / FHIR_FILE).unlink()
    with pytest.raises(ExportError, match="nothing was written"):
        export_fhir(open_db(db_path), Selection(everything=True), out, wrap=FullDisk)
    assert list(out.iterdir()) == []


@contextlib.contextmanager
def small_tmpfs(size: str) -> Iterator[Path]:
    """A real, small filesystem (a tmpfs, needs root); the test is skipped where it cannot be mounted."""
    point = Path(tempfile.mkdtemp(prefix="proprio-tmpfs-"))
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
                              capture_output=True)
    except OSError:
        done = None
    if done is None or done.returncode != 0:
        point.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root); the injected ENOSPC tests cover the same path")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=False)
        point.rmdir()


def fill(folder: Path, leave_bytes: int) -> Path:
    """Fill the filesystem until about ``leave_bytes`` are free; return the filler file."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    with open(filler, "wb") as handle, contextlib.suppress(OSError):
        handle.write(b"\0" * max(stats.f_bavail * stats.f_frsize - leave_bytes, 0))
    return filler


def test_a_really_full_disk_leaves_no_truncated_bundle_and_a_rerun_completes_the_export(db_path):
    with small_tmpfs("256k") as disk:
        out = disk / "out"
        out.mkdir()
        earlier = '{"resourceType": "Bundle", "earlier": true}\n'
        (out / FHIR_FILE).write_text(earlier)
        filler = fill(disk, 4096)
        with pytest.raises(ExportError, match="No space left on device"):
            export_fhir(open_db(db_path), Selection(everything=True), out, overwrite=True)
        assert (out / FHIR_FILE).read_text() == earlier and leftovers(out) == []
        (out / FHIR_FILE).unlink()
        with pytest.raises(ExportError, match="No space left on device") as info:
            export_tables(open_db(db_path), Selection(everything=True), out, fmt="csv")
        assert "run the same command again" in info.value.remedy
        assert export_state(out) in ("incomplete", "none") and leftovers(out) == []
        if export_state(out) == "incomplete":
            with pytest.raises(ExportError, match="stopped before it was complete"):
                read_export_table(out, "samples")
        filler.unlink()
        result = export_tables(open_db(db_path), Selection(everything=True), out, fmt="csv")
        assert export_state(out) == "complete" and result.rows["samples"] == 1200
        assert len(read_export_table(out, "samples")) == 1200 and leftovers(out) == []


def test_an_export_interrupted_after_its_first_file_is_replaced_by_a_rerun(db_path, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_write = tables._write_table
    calls = itertools.count()

    def interrupted(*args: Any, **kwargs: Any) -> int:
        if next(calls) == 1:
            raise KeyboardInterrupt  # Ctrl-C (or a crash) while the second file is being written
        return real_write(*args, **kwargs)

    monkeypatch.setattr(tables, "_write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_tables(open_db(db_path), Selection(everything=True), out, fmt="csv")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_FILE, "players.csv"]  # the first file, whole
    assert export_state(out) == "incomplete"
    with pytest.raises(ExportError, match="stopped before it was complete") as info:
        read_export_table(out, "players")
    assert "again" in info.value.remedy
    monkeypatch.setattr(tables, "_write_table", real_write)
    result = export_tables(open_db(db_path), Selection(everything=True), out, fmt="csv")  # no --overwrite
    assert result.resumed and export_state(out) == "complete"
    assert len(read_export_table(out, "samples")) == 1200
    assert_private_regular_files(out, [p.name for p in result.files])
    with pytest.raises(ExportError, match="already holds an export"):  # a complete one is still protected
        export_tables(open_db(db_path), Selection(everything=True), out, fmt="csv")


def test_stale_temporary_files_of_a_killed_export_are_removed_by_the_rerun(db_path, tmp_path, victim):
    out = tmp_path / "out"
    out.mkdir()
    write_atomic(out / MANIFEST_FILE, json.dumps({"complete": False, "tables": {}}))
    stale = temp_name(out / "samples.csv", "deadbeef0000")
    stale.write_text("half a file")
    linked = temp_name(out / "events.csv", "deadbeef0001")
    linked.symlink_to(victim)
    unrelated = out / "my-notes.txt"
    unrelated.write_text("mine")
    export_tables(open_db(db_path), Selection(everything=True), out, fmt="csv")
    assert not stale.exists() and not linked.is_symlink() and unrelated.read_text() == "mine"
    assert_untouched(victim)


def test_a_bad_encoding_is_reported_as_itself_and_leaves_no_temporary_file(tmp_path):
    from telemetry.export.atomic import atomic_output

    final = tmp_path / "out.txt"
    with pytest.raises(LookupError, match="unknown encoding"):
        with atomic_output(final, encoding="no-such-encoding") as handle:
            handle.write("x")
    assert list(tmp_path.iterdir()) == []
