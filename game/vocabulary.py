"""Names the library and the command line share, in a module that imports nothing.

``proprio CMD --help`` lists these (as an option's choices, in its help text or as its default)
before anything runs: kept here, they are read without loading the level models (pydantic),
the difficulty scalers (numpy) or the database (sqlite-utils) that use them. Each is defined
once, here, and imported (re-exported) where it has always been found: ``game.level.model.KINDS``,
``game.limits.ALL_KINDS``, ``game.difficulty.DEFAULT_METHOD``, ``telemetry.store.clinic.SCALES``...
tests/test_startup.py checks that every command's help loads none of those libraries.
"""

from __future__ import annotations

from typing import Literal, get_args

#: The challenge kinds a level may hold: each is one model in game/level/model.py and one run in game/core.
ChallengeKind = Literal["hold", "reach", "weight_shift", "limits_of_stability", "track", "maze", "collect_avoid"]
KINDS: tuple[ChallengeKind, ...] = get_args(ChallengeKind)

#: A clinician's limit that holds for every kind at once (``proprio limits set --kind all``).
ALL_KINDS = "all"

#: The difficulty methods by the name ``create_scaler`` and ``state()["method"]`` use: each is the ``method`` of
#: one scaler class in game/difficulty (``game.difficulty.METHODS`` maps each to its class; tests/test_startup.py
#: checks the two list the same names, in the same order).
DIFFICULTY_METHODS = ("staircase", "quest", "levitt", "fixed", "bayes")

#: Chosen by measurement (benchmarks/bench_difficulty.py, the patient cohorts of issue 14; figures
#: in docs/difficulty.md). Against the classic weighted up-down on the same 400 simulated players
#: per cohort, ``bayes`` (the Bayesian drift tracker with session balance) misses the target
#: success rate less than ``quest`` did on the cohorts that matter most in therapy (tiring,
#: gradual fatigue, next day, mix) and stays within the issue's 1.05 cap on every cohort, where
#: ``quest`` exceeded it on gradual fatigue (1.35) and steep players (1.06). Its cost, about
#: 0.45 ms CPU a decision, is nothing at one decision per trial. It was ``quest`` before issue 14.
DEFAULT_METHOD = "bayes"

#: How long (s) a calibration step is held still to be confirmed (``proprio calibrate --hold``).
HOLD_S = 2.0

#: The scales ``proprio scale add`` knows: (what it is, unit, lowest, highest, whole numbers only).
SCALES: dict[str, tuple[str, str, float, float, bool]] = {
    "tug_s": ("Timed Up and Go", "s", 0.5, 600.0, False),
    "mini_bestest": ("Mini-BESTest", "score", 0.0, 28.0, True),
    "berg": ("Berg Balance Scale", "score", 0.0, 56.0, True),
    "fes_i": ("Falls Efficacy Scale-International (FES-I)", "score", 16.0, 64.0, True),
    "other": ("another clinical test", "", -1e9, 1e9, False),
}
#: How severe an adverse event was (``proprio event add --severity``; serious: needed medical care).
SEVERITIES = ("mild", "moderate", "severe", "serious")

#: The devices ``--input`` takes (keyboard and the simulated player first: they need no hardware); read by
#: ``game.input.open_source``, which says what each one means.
INPUT_CHOICES = (
    "keyboard", "sim[:SKILL]", "gamepad", "imu-serial:PORT[@BAUD]", "imu-udp:HOST:PORT", "lsl:STREAM",
    "balance-board", "replay:FILE",
)

#: The views ``--view`` takes (``game.views.factory.open_view`` opens them).
VIEW_CHOICES = ("2d", "3d", "vr", "vr-preview")
