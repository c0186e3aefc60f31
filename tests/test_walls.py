"""The walls of the house, read from the source: what each package may import, who may read the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PURE = ("game/core", "game/level", "game/difficulty", "game/session", "game/assess", "telemetry/measures")
FORBIDDEN_IN_PURE = ("pygame", "panda3d", "direct", "sqlite3", "sqlite_utils", "time", "threading")
# Who may read the wall clock or sleep, and why. Everything else is handed time by the loop.
CLOCK_READERS = {
    "game/play/clock.py": "the one clock the play loop is handed (real, --fast or a test's)",
    "game/input/threaded.py": "device reader threads stamp each sample's arrival on their own thread",
}
CLOCK_CALLS = {("time", "sleep"), ("time", "perf_counter"), ("time", "monotonic"), ("time", "time"),
               ("time", "perf_counter_ns"), ("time", "monotonic_ns"), ("time", "time_ns")}


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("folder", PURE)
def test_the_pure_packages_import_no_window_database_clock_or_thread(folder):
    modules = _modules(folder)
    assert modules, f"{folder} has no modules"
    found = {str(p.relative_to(REPO)): sorted(n for n in _imports(p) if _top(n) in FORBIDDEN_IN_PURE) for p in modules}
    assert {path: names for path, names in found.items() if names} == {}


def test_the_measures_wing_imports_neither_the_game_nor_sqlite():
    found = {str(p.relative_to(REPO)): sorted(n for n in _imports(p) if _top(n) in ("game", "sqlite3", "sqlite_utils"))
             for p in _modules("telemetry/measures")}
    assert {path: names for path, names in found.items() if names} == {}


def test_no_view_imports_telemetry_and_input_imports_no_window():
    views = {str(p.relative_to(REPO)): sorted(n for n in _imports(p) if _top(n) == "telemetry")
             for p in _modules("game/views")}
    assert {path: names for path, names in views.items() if names} == {}
    inputs = {str(p.relative_to(REPO)): sorted(n for n in _imports(p) if _top(n) in ("pygame", "panda3d", "direct"))
              for p in _modules("game/input")}
    assert {path: names for path, names in inputs.items() if names} == {}


def _clock_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    from_time = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module == "time" for alias in node.names}
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in CLOCK_CALLS:
                calls.append(f"{node.value.id}.{node.attr}:{node.lineno}")
        elif isinstance(node, ast.Name) and node.id in from_time:
            calls.append(f"{node.id}:{node.lineno}")
    return calls


def test_only_the_clock_module_and_device_threads_read_the_wall_clock_or_sleep():
    readers = {}
    for folder in ("game", "telemetry"):
        for path in _modules(folder):
            calls = _clock_calls(path)
            if calls:
                readers[str(path.relative_to(REPO))] = calls
    assert set(readers) == set(CLOCK_READERS), readers


def test_the_walls_test_sees_a_violation(tmp_path):
    """The scanners above can fail: a module that sleeps and imports pygame is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import time\nfrom time import perf_counter\nimport pygame\ntime.sleep(1)\nperf_counter()\n")
    assert _clock_calls(bad) == ["time.sleep:4", "perf_counter:5"]
    assert {"time", "pygame"} <= _imports(bad)
