"""The public interface: names, protocol, Decision, and the purity the architecture promises."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import game.difficulty as difficulty
from game.difficulty import (
    DEFAULT_METHOD,
    METHODS,
    BayesDriftScaler,
    Decision,
    DifficultyScaler,
    FixedDifficulty,
    LevittStaircase,
    QuestScaler,
    WeightedStaircase,
    create_scaler,
)

PACKAGE = Path(difficulty.__file__).parent


def test_methods_and_default() -> None:
    assert METHODS == {
        "staircase": WeightedStaircase,
        "quest": QuestScaler,
        "levitt": LevittStaircase,
        "fixed": FixedDifficulty,
        "bayes": BayesDriftScaler,
    }
    assert DEFAULT_METHOD in METHODS
    assert type(create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0)) is METHODS[DEFAULT_METHOD]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_is_a_difficulty_scaler_starting_at_start(method: str) -> None:
    scaler = create_scaler(target=0.8, start=0.25, floor=0.0, ceiling=1.0, method=method)
    assert isinstance(scaler, DifficultyScaler)
    assert scaler.difficulty == 0.25
    assert scaler.state()["method"] == method


def test_decision_is_frozen_and_has_the_documented_fields() -> None:
    assert [f.name for f in dataclasses.fields(Decision)] == [
        "trial", "outcome", "old", "new", "reason", "recent_success_rate",
    ]
    decision = create_scaler(target=0.8, start=0.0, floor=0.0, ceiling=1.0).record(True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.new = 0.5  # type: ignore[misc]


def test_recent_success_rate_covers_the_last_ten_outcomes() -> None:
    scaler = create_scaler(target=0.8, start=0.5, floor=0.0, ceiling=1.0, method="fixed")
    rates = [scaler.record(o).recent_success_rate for o in [1, 1, 0.5] + [0] * 9]
    assert rates[:3] == [1.0, 1.0, pytest.approx(2.5 / 3)]
    assert rates[9] == pytest.approx(2.5 / 10)  # trials 1-10
    assert rates[10] == pytest.approx(1.5 / 10)  # trials 2-11: the first success has left the window
    assert rates[11] == pytest.approx(0.5 / 10)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_scaler_modules_read_no_clock_file_or_global_randomness(path: Path) -> None:
    forbidden = {"time", "datetime", "random", "os", "io", "pathlib", "sqlite3", "logging", "secrets"}
    assert _imported_modules(path) & forbidden == set()
    source = path.read_text()
    assert "np.random.default_rng(" not in source or path.name == "simulation.py"
    assert "np.random.seed" not in source and "np.random.rand" not in source


def test_package_docstring_example_runs() -> None:
    import doctest

    result = doctest.testmod(difficulty)
    assert result.attempted >= 2 and result.failed == 0
