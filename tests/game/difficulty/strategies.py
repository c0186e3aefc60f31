"""Hypothesis strategies shared by the scaler property tests."""

from __future__ import annotations

from hypothesis import strategies as st

unit = st.floats(min_value=0.0, max_value=1.0)
outcomes = st.one_of(st.booleans(), unit)


@st.composite
def levels(draw: st.DrawFn) -> dict[str, float]:
    """Any valid (target, start, floor, ceiling), floor == ceiling and extreme targets included."""
    a, b = draw(unit), draw(unit)
    floor, ceiling = min(a, b), max(a, b)
    return {
        "target": draw(st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True)),
        "start": draw(st.floats(min_value=floor, max_value=ceiling)),
        "floor": floor,
        "ceiling": ceiling,
    }
