"""Every measures error is a MeasureError (a ValueError) that reads exactly like the game's errors."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import telemetry.measures
from game.errors import ProprioError
from telemetry.measures.errors import MeasureError


def _error_classes() -> list[type[BaseException]]:
    classes = []
    for info in pkgutil.iter_modules(telemetry.measures.__path__):
        module = importlib.import_module(f"telemetry.measures.{info.name}")
        classes += [c for _, c in inspect.getmembers(module, inspect.isclass)
                    if issubclass(c, BaseException) and c.__module__ == module.__name__]
    return classes


def test_every_error_the_measures_define_is_a_measure_error_and_not_a_game_error():
    names = {c.__name__ for c in _error_classes()}
    assert names >= {"MeasureError", "SwayInputError", "ReachTraceError", "NoMovementError", "TextFileError",
                     "IrregularSamplingError", "AnalysisRequestError"}
    for cls in _error_classes():
        assert issubclass(cls, MeasureError) and issubclass(cls, ValueError), cls
        assert not issubclass(cls, ProprioError), cls


@pytest.mark.parametrize("remedy", [None, "", "give the rate the device recorded at, e.g. 100"])
def test_a_measure_error_reads_like_a_proprio_error(remedy):
    ours, theirs = MeasureError("the trace has 3 samples", remedy), ProprioError("the trace has 3 samples", remedy)
    assert str(ours) == str(theirs)
    assert (ours.message, ours.remedy) == (theirs.message, theirs.remedy)
    assert ours.args == theirs.args
