"""The measures wing stands alone: no SQLite, no sqlite-utils and no game, in its source or once imported."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import telemetry.measures

MEASURES_DIR = Path(telemetry.measures.__file__).resolve().parent
FORBIDDEN = ("sqlite3", "sqlite_utils", "game")
REPO = Path(__file__).resolve().parents[3]


def _modules() -> list[Path]:
    return sorted(MEASURES_DIR.glob("*.py"))


def _imported_roots(path: Path) -> set[str]:
    """The top-level package of every import in a module, at any depth (function-level imports too)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "__import__", "import_module",
        ):
            roots.update(arg.value.split(".")[0] for arg in node.args[:1] if isinstance(arg, ast.Constant)
                         and isinstance(arg.value, str))
    return roots


def test_the_source_of_every_measures_module_imports_no_sqlite_and_no_game():
    modules = _modules()
    assert {p.stem for p in modules} >= {"__init__", "errors", "sway", "los", "sampling", "textfile", "analysis",
                                          "session"}
    offenders = {p.name: sorted(_imported_roots(p) & set(FORBIDDEN)) for p in modules}
    assert not any(offenders.values()), offenders


def test_the_import_check_sees_imports_at_any_depth(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import sqlite3.dbapi2\n    from game.errors import ProprioError\n"
                      "    return __import__('sqlite_utils')\n")
    assert _imported_roots(sample) >= set(FORBIDDEN)


def test_importing_every_measures_module_loads_no_sqlite_and_no_game():
    names = ", ".join(f"telemetry.measures.{p.stem}" for p in _modules() if p.stem != "__init__")
    code = (f"import sys\nimport telemetry.measures, {names}\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sqlite3', '_sqlite3', 'sqlite_utils', "
            "'game'}))\n"
            "print('sqlite3' not in sys.modules and 'game' not in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    loaded, alone = result.stdout.splitlines()
    assert loaded == "[]"
    assert alone == "True"
