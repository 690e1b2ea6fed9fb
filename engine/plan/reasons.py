"""Wording helpers for the reasons: distances and climbs in the runner's units, day counts,
weekday names, rest times and ratios.
"""

from __future__ import annotations

from datetime import date

from engine.plan.context import WEEKDAYS


def distance_text(metres: float, units: str = "km") -> str:
    if units == "mi":
        return f"{metres / 1609.344:.1f} mi"
    return f"{metres / 1000:.1f} km"


def climb_text(metres: float, units: str = "km") -> str:
    if units == "mi":
        return f"{metres / 0.3048:,.0f} ft"
    return f"{metres:,.0f} m"


def ratio(a: float, b: float) -> float | None:
    return a / b if b > 1e-9 else None


def days_text(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def weekday_name(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def rest_text(seconds: int) -> str:
    if seconds >= 120:
        return f"rest {seconds / 60:g} min"
    return f"rest {seconds} s"
