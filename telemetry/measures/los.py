"""Limits-of-stability and reach measures of one trial, as NeuroCom and Biodex report them.

The five measures are those of the NeuroCom Limits of Stability (LOS) test (NeuroCom
International, *Balance Manager Clinical Operations Guide*, LOS protocol; described and
studied by Clark, Rose & Fujimoto 1997, Arch Phys Med Rehabil 78:1078) and of the Biodex
Balance System LOS and "maze" reach tests (Biodex Medical Systems, *Balance System SD
Operation Manual*, directional control):

* reaction time (RT, s): from the cue to the onset of movement;
* movement velocity (MVL, unit/s): average centre-of-gravity velocity between 5 % and 95 % of
  the distance to the primary endpoint;
* endpoint excursion (EPE, %): how far the primary movement got toward the target;
* maximum excursion (MXE, %): the farthest the trace got toward the target in the trial;
* directional control (DCL, %): (on-target movement - off-target movement) / on-target
  movement x 100.

The vendors do not publish their onset and endpoint detectors, so the rules here are explicit:

* The trace is first put on an even time grid (a dropped sample is bridged linearly) and
  low-pass filtered (``filter_hz``, default the 4th-order zero-lag Butterworth at 10 Hz of
  ``telemetry.measures.filters``); ``filter_hz=None`` scores the samples as given.
* Speed is the central difference ``|p_{i+1} - p_{i-1}| / (t_{i+1} - t_{i-1})`` (one-sided at
  the ends).
* The onset copes with ongoing sway. Velocity toward the target (the velocity's component along
  the start-target line) must exceed the larger of its mean + ``ONSET_SD`` (3) standard
  deviations over the ``BASELINE_S`` (0.5 s) before the cue and a floor (``onset_speed_per_s``,
  default 10 % of the start-target distance per second, ``ONSET_FRACTION_PER_S``), capped at 50 %
  of that distance per second (``ONSET_CAP_FRACTION_PER_S``, so a jittery baseline cannot hide a
  reach, whose peak velocity is several times that), and stay
  above it for ``SUSTAIN_S`` (0.1 s): the classic threshold detector (Hodges & Bui 1996,
  Electroencephalogr Clin Neurophysiol 101:511) on the velocity toward the target, so sideways
  sway and a single noisy sample do not count. The onset is then taken back to where the speed
  last rested (at or below the baseline's mean speed, at least half the floor) before that
  crossing, but not before the cue, so a reach that starts sideways is timed from its start.
* The primary endpoint is the first sample after the crossing where the speed drops to the
  speed's own threshold (mean + 3 SD of the baseline speed, at least the floor) or below and
  stays there for ``SUSTAIN_S``: where the first movement stops, before corrections (a
  reversal passing through zero speed for a moment is not a stop).
* Distances "toward the target" are projections on the unit vector from the start (the
  position at the cue, linearly interpolated) to the target, as % of the start-target distance.
* Directional control is bounded to its definition's range, [0, 100] %: a primary movement
  with more off-target than on-target movement scores 0 (Biodex: "100 % would be a perfectly
  straight line").

Coordinates ``x`` (medio-lateral) and ``y`` (antero-posterior) and the target share one unit,
normally % (or fraction) of the player's limits of stability; velocity is in that unit per s.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from telemetry.measures.errors import MeasureError
from telemetry.measures.filters import CUTOFF_HZ, can_filter, lowpass, uniform

#: Default floor of the onset threshold, as a fraction of the start-target distance per second.
ONSET_FRACTION_PER_S = 0.10
#: Ceiling of a threshold raised by the baseline, as a fraction of the start-target distance per second:
#: an unsteady baseline (a jittery device, a restless player) cannot hide a reach, which peaks well above it.
ONSET_CAP_FRACTION_PER_S = 0.5
#: Seconds before the cue whose speed sets the onset threshold (mean + ONSET_SD x SD).
BASELINE_S = 0.5
#: Standard deviations of the baseline speed above its mean that count as movement.
ONSET_SD = 3.0
#: How long the speed must stay above (onset) or below (endpoint) the threshold, seconds.
SUSTAIN_S = 0.1
#: Default low-pass cut-off before velocities are taken (None: the samples as given).
DEFAULT_FILTER_HZ: float | None = CUTOFF_HZ

#: Fractions of the primary-endpoint distance between which movement velocity is averaged.
VELOCITY_WINDOW = (0.05, 0.95)


class ReachTraceError(MeasureError):
    """A reach or limits-of-stability trial that cannot be scored as given."""


class NoMovementError(ReachTraceError):
    """The player did not move toward the target after the cue, so there is nothing to time."""


@dataclass(frozen=True)
class ReachMeasures:
    """The NeuroCom/Biodex measures of one trial."""

    reaction_time_s: float
    movement_velocity_per_s: float
    endpoint_excursion_pct: float
    max_excursion_pct: float
    directional_control_pct: float

    def as_dict(self) -> dict[str, float]:
        """The measures by name, ready for JSON or the telemetry database."""
        return asdict(self)


@dataclass(frozen=True)
class _Trial:
    """A validated trial with the quantities every measure needs."""

    t_s: NDArray[np.float64]
    points: NDArray[np.float64]  # shape (N, 2): x, y
    cue_t_s: float
    start: NDArray[np.float64]
    unit: NDArray[np.float64]  # unit vector from start to target
    target_distance: float
    onset: int
    endpoint: int

    def toward_target(self, index: slice | int | NDArray[np.bool_]) -> NDArray[np.float64]:
        """Progress toward the target (projection on the start-target line) of some samples."""
        return (self.points[index] - self.start) @ self.unit


def _trial(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> _Trial:
    """Validate one trial, filter it, and find its movement onset and primary endpoint."""
    t = _finite_1d(t_s, "t_s")
    xs = _finite_1d(x, "x")
    ys = _finite_1d(y, "y")
    if not t.size == xs.size == ys.size:
        raise ReachTraceError(
            f"t_s, x and y differ in length ({t.size}, {xs.size}, {ys.size} samples)",
            "pass one time, x and y per sample of the same trial",
        )
    if t.size < 2:
        raise ReachTraceError("a trial needs at least two samples", "record the whole reach, from the cue on")
    if np.any(np.diff(t) <= 0):
        raise ReachTraceError(
            "t_s must increase strictly from sample to sample", "sort the samples by time and drop duplicates"
        )
    if not t[0] <= cue_t_s < t[-1]:
        raise ReachTraceError(
            f"the cue at {cue_t_s} s is outside the recording ({t[0]} s to {t[-1]} s)",
            "give the cue time on the same clock as t_s",
        )
    if filter_hz is not None:
        if not (isinstance(filter_hz, (int, float)) and filter_hz > 0):
            raise ReachTraceError(f"filter_hz must be a positive number of hertz or None, not {filter_hz!r}")
        grid, (gx, gy), rate_hz = uniform(t, xs, ys)
        if can_filter(grid.size, rate_hz, float(filter_hz)):
            t, xs, ys = grid, lowpass(gx, rate_hz, float(filter_hz)), lowpass(gy, rate_hz, float(filter_hz))
    points = np.column_stack([xs, ys])
    start = np.array([np.interp(cue_t_s, t, xs), np.interp(cue_t_s, t, ys)])
    try:
        target = np.asarray(target_xy, dtype=np.float64)
    except (TypeError, ValueError):
        target = np.full(3, np.nan)  # reported just below
    if target.shape != (2,) or not np.all(np.isfinite(target)):
        raise ReachTraceError(f"the target must be a finite (x, y) pair, not {target_xy!r}")
    offset = target - start
    distance = float(np.hypot(*offset))
    scale = max(1.0, float(np.abs(points).max()), float(np.abs(target).max()))
    if not distance > 1e-6 * scale:  # a target where the player stands, give or take the filter's rounding
        raise ReachTraceError(
            "the target is where the player stands at the cue, so there is no direction to reach in",
            "place targets away from the start position",
        )
    floor = ONSET_FRACTION_PER_S * distance if onset_speed_per_s is None else float(onset_speed_per_s)
    if not floor > 0:
        raise ReachTraceError(f"onset_speed_per_s must be positive, not {onset_speed_per_s!r}")
    speed = _speed(t, points)
    along = _velocity(t, points) @ (offset / distance)
    before_cue = (t >= cue_t_s - BASELINE_S) & (t < cue_t_s)
    cap = max(floor, ONSET_CAP_FRACTION_PER_S * distance)
    along_threshold = min(cap, _threshold(along[before_cue], floor))
    speed_threshold = min(cap, _threshold(speed[before_cue], floor))
    sustain = max(1, int(math.ceil(SUSTAIN_S / float(np.median(np.diff(t))) - 1e-9)))
    after_cue = t >= cue_t_s
    trigger = _first_run(along > along_threshold, after_cue, sustain)
    if trigger is None:
        raised = " (raised by the sway before the cue)" if along_threshold > floor else ""
        raise NoMovementError(
            f"the trace never moves toward the target faster than {along_threshold:.3g} units/s{raised} after the cue",
            "check the device, or lower onset_speed_per_s for very slow movers",
        )
    # The movement began where the speed last rested before the trigger (not before the cue).
    rest_level = _return_level(speed[before_cue], floor)
    resting = np.flatnonzero((speed[: trigger + 1] <= rest_level) & after_cue[: trigger + 1])
    first_after_cue = int(np.argmax(after_cue))
    onset = int(resting[-1]) + 1 if resting.size else first_after_cue
    stopped = _first_run(speed <= speed_threshold, np.arange(t.size) > trigger, sustain)
    endpoint = stopped if stopped is not None else t.size - 1
    return _Trial(t, points, float(cue_t_s), start, offset / distance, distance, onset, endpoint)


def _velocity(t: NDArray[np.float64], points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Velocity (N, 2) at each sample: central differences inside, one-sided at the two ends."""
    return np.column_stack([np.gradient(points[:, 0], t), np.gradient(points[:, 1], t)])


def _speed(t: NDArray[np.float64], points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Speed at each sample (the length of ``_velocity``)."""
    return np.asarray(np.hypot(*_velocity(t, points).T), dtype=np.float64)


def _threshold(baseline: NDArray[np.float64], floor: float) -> float:
    """Mean + ONSET_SD standard deviations of the baseline, never below the floor (the floor alone without one)."""
    if baseline.size < 2:
        return floor
    return max(floor, float(baseline.mean() + ONSET_SD * baseline.std()))


def _return_level(baseline_speed: NDArray[np.float64], floor: float) -> float:
    """The speed a player at rest shows: the baseline's mean speed, at least half the floor."""
    return max(0.5 * floor, float(baseline_speed.mean())) if baseline_speed.size else 0.5 * floor


def _first_run(condition: NDArray[np.bool_], allowed: NDArray[np.bool_], length: int) -> int | None:
    """First allowed index where ``condition`` holds for ``length`` samples in a row (or to the end)."""
    n = condition.size
    candidates = np.flatnonzero(condition & allowed)
    for i in candidates:
        run = condition[i : i + length]
        if run.all() and (run.size == length or i + run.size == n):
            return int(i)
    return None


def _finite_1d(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """A 1-D array of finite floats, or a typed error naming the offending input."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ReachTraceError(f"{name} is not a sequence of numbers") from None
    if arr.ndim != 1:
        raise ReachTraceError(f"{name} must be one-dimensional, not of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ReachTraceError(f"{name} holds NaN or infinite values", "drop or interpolate missing samples")
    return arr


def _reaction_time_s(trial: _Trial) -> float:
    """Onset time minus cue time."""
    return float(trial.t_s[trial.onset] - trial.cue_t_s)


def _movement_velocity(trial: _Trial) -> float:
    """0.90 x endpoint distance / time from 5 % to 95 % of it (crossing times interpolated)."""
    segment = slice(trial.onset, trial.endpoint + 1)
    distance = np.hypot(*(trial.points[segment] - trial.start).T)
    final = float(distance[-1])
    if not final > 0:
        raise NoMovementError("the primary movement ends where it started", "the player did not reach out")
    t = trial.t_s[segment]
    low, high = (_crossing_time_s(t, distance, fraction * final) for fraction in VELOCITY_WINDOW)
    if not high > low:
        raise ReachTraceError(
            "the movement covered 5 % to 95 % of its distance before a second sample was taken",
            "record the trial at a higher sampling rate",
        )
    return (VELOCITY_WINDOW[1] - VELOCITY_WINDOW[0]) * final / (high - low)


def _crossing_time_s(t_s: NDArray[np.float64], distance: NDArray[np.float64], level: float) -> float:
    """First time the distance reaches ``level``, linearly interpolated between samples."""
    i = int(np.argmax(distance >= level))
    if i == 0:
        return float(t_s[0])
    d0, d1 = distance[i - 1], distance[i]
    return float(t_s[i - 1] + (level - d0) / (d1 - d0) * (t_s[i] - t_s[i - 1]))


def _endpoint_excursion_pct(trial: _Trial) -> float:
    """Progress toward the target at the primary endpoint, % of the target distance."""
    return 100.0 * float(trial.toward_target(trial.endpoint)) / trial.target_distance


def _max_excursion_pct(trial: _Trial) -> float:
    """Largest progress toward the target from the cue to the end of the trial, % of the target distance."""
    after_cue = trial.t_s >= trial.cue_t_s
    return 100.0 * float(trial.toward_target(after_cue).max()) / trial.target_distance


def _directional_control_pct(trial: _Trial) -> float:
    """(on - off) / on x 100 over the primary movement, per-step split along and across the target line."""
    steps = np.diff(trial.points[trial.onset : trial.endpoint + 1], axis=0)
    along = steps @ trial.unit
    across = np.abs(steps[:, 0] * trial.unit[1] - steps[:, 1] * trial.unit[0])
    on_target = float(along[along > 0].sum())
    off_target = float(-along[along < 0].sum() + across.sum())
    if not on_target > 0:
        raise NoMovementError(
            "the primary movement never went toward the target", "check that the target is on the intended side"
        )
    return float(np.clip(100.0 * (on_target - off_target) / on_target, 0.0, 100.0))


def reaction_time_s(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None = None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> float:
    """Reaction time (NeuroCom RT): seconds from the cue to movement onset (speed above the threshold)."""
    return _reaction_time_s(_trial(t_s, x, y, cue_t_s, target_xy, onset_speed_per_s, filter_hz))


def movement_velocity(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None = None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> float:
    """Movement velocity (NeuroCom MVL): mean speed between 5 % and 95 % of the distance to the primary endpoint.

    Computed as ``0.90 |p_end - start| / (t_95 - t_5)``, the crossing times interpolated
    linearly between samples; in units of x and y per second.
    """
    return _movement_velocity(_trial(t_s, x, y, cue_t_s, target_xy, onset_speed_per_s, filter_hz))


def endpoint_excursion_pct(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None = None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> float:
    """Endpoint excursion (NeuroCom EPE): progress toward the target at the primary endpoint, % of target distance."""
    return _endpoint_excursion_pct(_trial(t_s, x, y, cue_t_s, target_xy, onset_speed_per_s, filter_hz))


def max_excursion_pct(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None = None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> float:
    """Maximum excursion (NeuroCom MXE): farthest progress toward the target after the cue, % of target distance."""
    return _max_excursion_pct(_trial(t_s, x, y, cue_t_s, target_xy, onset_speed_per_s, filter_hz))


def directional_control_pct(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None = None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> float:
    """Directional control (NeuroCom DCL, Biodex): (on-target - off-target) / on-target movement x 100 %.

    Over the primary movement each step is split into its component along the start-target
    line and across it: on-target movement is the sum of the steps' forward components;
    off-target movement sums the backward components and the across components. A straight
    line to the target scores 100 %; a step of 3 sideways then 4 forward scores 25 %.
    """
    return _directional_control_pct(_trial(t_s, x, y, cue_t_s, target_xy, onset_speed_per_s, filter_hz))


def reach_measures(
    t_s: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    cue_t_s: float,
    target_xy: tuple[float, float],
    onset_speed_per_s: float | None = None,
    filter_hz: float | None = DEFAULT_FILTER_HZ,
) -> ReachMeasures:
    """All five NeuroCom/Biodex measures of one trial, detecting onset and endpoint once."""
    trial = _trial(t_s, x, y, cue_t_s, target_xy, onset_speed_per_s, filter_hz)
    return ReachMeasures(
        reaction_time_s=_reaction_time_s(trial),
        movement_velocity_per_s=_movement_velocity(trial),
        endpoint_excursion_pct=_endpoint_excursion_pct(trial),
        max_excursion_pct=_max_excursion_pct(trial),
        directional_control_pct=_directional_control_pct(trial),
    )
