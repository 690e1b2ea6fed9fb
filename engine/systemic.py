"""Whole-body (systemic) load of a session: Banister's TRIMP from heart rate, else a pace load.

Both are in "points"; an hour at a hard but steady effort is roughly 80-100 of either. Fitness
and fatigue are running averages of these points (engine.state).
"""

from __future__ import annotations

import numpy as np

from engine.mechanics import cost_of_running

# Banister's weighting y = a * exp(b * HRr) (men 0.64, 1.92; women 0.86, 1.67).
TRIMP_WEIGHTS = {"male": (0.64, 1.92), "female": (0.86, 1.67)}


def trimp_weight(hrr, sex: str | None):
    """Banister's intensity weighting of a heart-rate reserve fraction; unknown sex: the mean."""
    hrr = np.asarray(hrr, dtype=float)
    if sex in TRIMP_WEIGHTS:
        a, b = TRIMP_WEIGHTS[sex]
        return a * np.exp(b * hrr)
    return sum(a * np.exp(b * hrr) for a, b in TRIMP_WEIGHTS.values()) / len(TRIMP_WEIGHTS)


def trimp(heart_rate, seconds, hr_max: float, hr_rest: float, sex: str | None) -> float:
    """Banister TRIMP: sum of minutes x HRr x weighting(HRr), HRr kept within 0-1."""
    hr = np.asarray(heart_rate, dtype=float)
    minutes = np.asarray(seconds, dtype=float) / 60.0
    hrr = np.clip((hr - hr_rest) / (hr_max - hr_rest), 0.0, 1.0)
    return float(np.sum(minutes * hrr * trimp_weight(hrr, sex)))


def pace_load(speed_mps, effective_grade, seconds, threshold_speed_mps: float, cost=None) -> float:
    """rTSS-like load: hours x (grade-adjusted speed / threshold speed)^2 x 100, second by second.

    The grade-adjusted speed is the flat speed that costs the same energy per second
    (Minetti's Cr; `cost` may give another cost per sample, e.g. walking's).
    """
    c = cost_of_running(effective_grade) if cost is None else np.asarray(cost, dtype=float)
    gap = np.asarray(speed_mps, dtype=float) * c / float(cost_of_running(0.0))
    intensity = gap / threshold_speed_mps
    hours = np.asarray(seconds, dtype=float) / 3600.0
    return float(np.sum(hours * intensity**2) * 100.0)
