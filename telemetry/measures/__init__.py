"""Published balance measures, usable alone: sway of a trace (``sway``) and reach/LOS trials (``los``).

This wing imports neither SQLite nor the game, so a researcher can ``pip install`` Proprio and
score their own recordings. The definitions, formulas and citations live in the modules that
compute them and in docs/metrics.md; this module only gathers the public names so callers need
not know the split. Every error raised here derives from :class:`MeasureError` (a ``ValueError``).
"""

from __future__ import annotations

from telemetry.measures.errors import MeasureError
from telemetry.measures.los import (
    NoMovementError,
    ReachMeasures,
    ReachTraceError,
    directional_control_pct,
    endpoint_excursion_pct,
    max_excursion_pct,
    movement_velocity,
    reach_measures,
    reaction_time_s,
)
from telemetry.measures.proportion import wilson_interval
from telemetry.measures.sway import (
    MEASURE_NAMES,
    MIN_SAMPLES,
    SwayInputError,
    SwayMeasures,
    centred_trace,
    ellipse_area_95,
    mean_distance,
    mean_frequency,
    mean_power_frequency,
    mean_velocity,
    mean_velocity_ap,
    mean_velocity_ml,
    path_length,
    range_ap,
    range_ml,
    rms_ap,
    rms_ml,
    rms_radius,
    sway_area_per_second,
    sway_measures,
    welch_psd,
)

__all__ = [
    "MEASURE_NAMES",
    "MIN_SAMPLES",
    "MeasureError",
    "NoMovementError",
    "ReachMeasures",
    "ReachTraceError",
    "SwayInputError",
    "SwayMeasures",
    "centred_trace",
    "directional_control_pct",
    "ellipse_area_95",
    "endpoint_excursion_pct",
    "max_excursion_pct",
    "mean_distance",
    "mean_frequency",
    "mean_power_frequency",
    "mean_velocity",
    "mean_velocity_ap",
    "mean_velocity_ml",
    "movement_velocity",
    "path_length",
    "range_ap",
    "range_ml",
    "reach_measures",
    "reaction_time_s",
    "rms_ap",
    "rms_ml",
    "rms_radius",
    "sway_area_per_second",
    "sway_measures",
    "welch_psd",
    "wilson_interval",
]
