"""The data dictionary: it documents every table and column, matches docs/telemetry.md, and ships in the wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from telemetry.store.database import open_db
from telemetry.store.schema import DICTIONARY_FILE, data_dictionary

REPO = Path(__file__).resolve().parents[3]


def _documented(text: str) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"^## (\w+)$", line)
        if heading:
            current = tables.setdefault(heading.group(1), set())
        elif current is not None and line.startswith("| `"):
            first_cell = line.split("|")[1]
            current.update(re.findall(r"`(\w+)`", first_cell))
    return tables


def test_the_data_dictionary_documents_every_table_and_column(tmp_path):
    documented = _documented(data_dictionary())
    db = open_db(tmp_path / "t.db")
    for table in db.table_names():
        if table.startswith("sqlite_"):
            continue
        assert table in documented, f"table {table} is missing from telemetry/store/data_dictionary.md"
        missing = set(db.table(table).columns_dict) - documented[table]
        assert not missing, f"{table}: columns {sorted(missing)} are missing from telemetry/store/data_dictionary.md"


def test_docs_telemetry_md_is_the_shipped_dictionary():
    shipped = (REPO / "telemetry" / "store" / DICTIONARY_FILE).read_text(encoding="utf-8")
    assert (REPO / "docs" / "telemetry.md").read_text(encoding="utf-8") == shipped, (
        "docs/telemetry.md and telemetry/store/data_dictionary.md differ: edit telemetry/store/data_dictionary.md "
        "and copy it over docs/telemetry.md")
    assert data_dictionary() == shipped


def test_the_wheel_ships_the_data_dictionary(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                           capture_output=True, text=True, env={**os.environ, "PIP_NO_INPUT": "1"})
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("proprio-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("telemetry/store/data_dictionary.md").decode("utf-8") == data_dictionary()
