"""Muscle damage of long and fast running, on the flat as much as on slopes.

The routine eccentric work of each stride does no lasting harm to a fresh muscle, but a
muscle that has worked hard for a long time is damaged by the same work: after a marathon
knee-extensor strength is still down one to two days later and muscle-damage markers (CK)
peak at 24-72 h (Takayama et al. 2017; Petersen et al. 2007; Higashihara et al. 2020), and
faster finishers show more damage than slower ones (Siegel et al. 1980).

Model [A]: an intensity-weighted running time builds up second by second,
    tau(t) = integral of I dt,   I = grade-adjusted speed / threshold speed (capped at 1.5),
and once it passes ONSET_S (one hour at threshold intensity), each metre's stance
eccentric work W- adds damage
    dmg = ENDURANCE_WEIGHT * W- * I * (tau - ONSET_S) / ONSET_S   (J/kg/m).
So a run under an hour adds nothing, a 110-minute easy run a little, and a marathon about
as much quadriceps damage as the model's reference descent. Walking's eccentric work counts
at engine.gait.WALK_DAMAGE of running's.
"""

from __future__ import annotations

import numpy as np

ONSET_S = 3600.0  # intensity-weighted seconds before fatigue makes strides damaging [A]
ENDURANCE_WEIGHT = 0.5  # damage per J of eccentric work at one onset past it, at I = 1 [A]
INTENSITY_CAP = 1.5


def intensity(effort_speed_mps, threshold_speed_mps: float) -> np.ndarray:
    """Grade-adjusted speed over threshold speed, within 0..1.5."""
    v = np.asarray(effort_speed_mps, dtype=float)
    return np.clip(v / max(threshold_speed_mps, 0.1), 0.0, INTENSITY_CAP)


def endurance_damage(
    seconds, effort_speed_mps, negative_work, threshold_speed_mps: float, weight=1.0
) -> np.ndarray:
    """Damage input per metre (J/kg/m) of every sample; zero until tau reaches ONSET_S.

    `seconds` are the moving seconds each sample stands for, `negative_work` the stance
    eccentric work per metre (engine.mechanics.Work.negative) and `weight` a per-sample
    factor (walking's lower forces).
    """
    i = intensity(effort_speed_mps, threshold_speed_mps)
    tau = np.cumsum(i * np.asarray(seconds, dtype=float))
    ramp = np.maximum(tau - ONSET_S, 0.0) / ONSET_S
    return ENDURANCE_WEIGHT * np.asarray(negative_work, dtype=float) * i * ramp * weight


def steady_endurance_damage(
    duration_s: float, effort_speed_mps: float, negative_work: float, threshold_speed_mps: float
) -> float:
    """Mean endurance damage per metre (J/kg/m) of a run at one effort (closed form)."""
    i = float(intensity(effort_speed_mps, threshold_speed_mps))
    if i <= 0 or duration_s <= 0:
        return 0.0
    past = max(i * duration_s - ONSET_S, 0.0)
    # integral over time of (i t - T0) / T0 from T0 / i to the end, per second of the run
    mean_ramp = past * past / (2.0 * i * ONSET_S) / duration_s
    return ENDURANCE_WEIGHT * negative_work * i * mean_ramp
