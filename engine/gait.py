"""Walking or running, second by second, and the work terms of the walking gait.

One on-foot model: every second of a run, walk or hike is either running (a flight phase,
the running terms of engine.mechanics) or walking (always a foot on the ground, a smaller
step-to-step collision instead of the running bounce, pendular leg swing, lower peak forces).
Work is in J per kg of body mass per metre, as in engine.mechanics.

Sources: the walk-run transition near 2 m/s (Hreljac 1993; Minetti, Ardigò & Saibene 1994);
step-to-step collision work of walking, which grows with speed (Donelan, Kram & Kuo 2002);
peak vertical force ~1.2 body weights walking against ~2.5 running (Keller et al. 1996);
the energy cost of walking Cw(i) (Minetti et al. 2002). Numbers marked [A] are assumptions.
"""

from __future__ import annotations

import numpy as np

from engine.mechanics import (
    BOUNCE_CUTOFF,
    SLOW_SPEED,
    SUPPORT_AT_3,
    SUPPORT_RAW_AT_3,
    Work,
    work_per_metre,
)

# Sports whose every metre is on foot (runs included); walks and hikes are not runs.
ON_FOOT_SPORTS = frozenset({"running", "trail_running", "treadmill_running", "walking", "hiking"})

# Below this speed a runner walks (5 s smoothed speed; Hreljac's transition is ~2.0 m/s) [A].
WALK_RUN_SPEED = 1.9
# A walker or hiker runs only above this speed (when no cadence says otherwise) [A].
HIKE_RUN_SPEED = 2.5
GAIT_BAND = 0.2  # m/s over which the two gaits blend [A]
# Steps per minute below which a second is walking, whatever the speed [A].
WALK_CADENCE = 140.0

# Walking work terms at 1.3 m/s, and how they grow with speed [A].
WALK_REFERENCE_SPEED = 1.3
COLLISION_WORK = 0.25  # J/kg/m positive, and as much negative, at 1.3 m/s [A]
COLLISION_RANGE = (0.10, 0.45)
WALK_SWING_WORK = 0.10  # J/kg/m at 1.3 m/s, pendular swing [A]
WALK_PEAK_FORCE_BW = 1.2  # peak vertical force in body weights (Keller 1996)
# Damage per joule of eccentric work walking, relative to running (lower forces, no
# landing from flight) [A].
WALK_DAMAGE = 0.5


def is_on_foot(sport: str) -> bool:
    """Runs, walks and hikes: the leg model applies."""
    return sport in ON_FOOT_SPORTS


def walking_share(speed_mps, cadence_spm=None, *, walk_sport: bool = False) -> np.ndarray:
    """How much of every second is walked, 0..1.

    A cadence under 140 steps/min is walking and one at or above it running; where there is
    no cadence, speed decides: walking under 1.9 m/s in a run (2.5 m/s in a walk or hike),
    running above, blended over GAIT_BAND around it (runners mix the two near the
    transition; the blend also keeps the load continuous in speed).
    """
    v = np.asarray(speed_mps, dtype=float)
    middle = HIKE_RUN_SPEED if walk_sport else WALK_RUN_SPEED
    share = np.clip((middle + GAIT_BAND / 2 - v) / GAIT_BAND, 0.0, 1.0)
    if cadence_spm is not None:
        c = np.asarray(cadence_spm, dtype=float)
        known = np.isfinite(c) & (c > 0)
        share = np.where(known, (c < WALK_CADENCE).astype(float), share)
    return share


def _relative(speed_mps) -> np.ndarray:
    return np.maximum(np.asarray(speed_mps, dtype=float), SLOW_SPEED) / WALK_REFERENCE_SPEED


def collision_work(grade, speed_mps) -> np.ndarray:
    """Step-to-step collision work (positive = negative), fading on steep slopes like bounce."""
    base = np.clip(COLLISION_WORK * _relative(speed_mps) ** 2, *COLLISION_RANGE)
    return base * np.maximum(0.0, 1.0 - np.abs(np.asarray(grade, dtype=float)) / BOUNCE_CUTOFF)


def walk_swing_work(speed_mps) -> np.ndarray:
    """Leg-swing work of walking: mostly pendular, so small [A]."""
    return WALK_SWING_WORK * _relative(speed_mps) ** 2


def walk_step_rate(speed_mps) -> np.ndarray:
    """Steps per second walking [A]: 1.5 + 0.25 v (110 steps/min at 1.3 m/s)."""
    return 1.5 + 0.25 * np.asarray(speed_mps, dtype=float)


def walk_support_work(speed_mps, steps_per_s=None) -> np.ndarray:
    """Support demand of walking: steps per metre x peak force, on running's scale at 3 m/s."""
    v = np.maximum(np.asarray(speed_mps, dtype=float), SLOW_SPEED)
    rate = walk_step_rate(v) if steps_per_s is None else np.asarray(steps_per_s, dtype=float)
    return SUPPORT_AT_3 * (rate / v) * WALK_PEAK_FORCE_BW / SUPPORT_RAW_AT_3


def on_foot_work(grade, speed_mps, sf, walk_share) -> Work:
    """engine.mechanics' per-metre work terms, blended with the walking gait's by `walk_share`.

    `sf` is strides per second (cadence / 120) or None. Gravity work is the same for both
    gaits: lifting and lowering the body costs the same whether one walks or runs.
    """
    run = work_per_metre(grade, speed_mps, sf)
    w = np.broadcast_to(np.asarray(walk_share, dtype=float), np.shape(run.positive))
    if not w.any():
        return run
    g, v = np.broadcast_arrays(np.asarray(grade, dtype=float), np.asarray(speed_mps, dtype=float))
    steps = None if sf is None else 2.0 * np.asarray(sf, dtype=float)
    collision = collision_work(g, v)

    def blend(walking, running):
        return w * walking + (1.0 - w) * running

    return Work(
        positive=blend(collision + run.positive - run.bounce, run.positive),
        negative=blend(collision + run.gravity_down, run.negative),
        gravity_down=run.gravity_down,
        swing=blend(walk_swing_work(v), run.swing),
        support=blend(walk_support_work(v, steps), run.support),
        bounce=blend(collision, run.bounce),
    )
