"""The formulas of the load model (docs/load-model.md, shared model doc section 2), per metre.

Every function takes numpy arrays (one entry per sample) or scalars and works element-wise.
Work is in J per kg of body mass per metre travelled. Numbers marked [A] in comments are
assumptions chosen to match the directions and ratios reported in the literature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.muscles import LEG_MUSCLES

G = 9.81
GRADE_LIMIT = 0.45  # Minetti's fits hold for -0.45..+0.45; beyond that the grade is clipped

# --- energy cost (Minetti et al. 2002), J/kg/m ----------------------------------------------

_CR = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)
_CW = (280.5, -58.7, -76.8, 51.9, 19.6, 2.5)


def cost_of_running(grade):
    """Minetti's energy cost of running Cr(i) in J/kg/m, grade clipped to +-0.45."""
    return np.polyval(_CR, np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT))


def cost_of_walking(grade):
    """Minetti's energy cost of walking Cw(i) in J/kg/m, grade clipped to +-0.45."""
    return np.polyval(_CW, np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT))


def effective_grade(grade, acceleration_mps2):
    """di Prampero: accelerating at a costs about what running up a slope of a/g costs."""
    return np.asarray(grade) + np.asarray(acceleration_mps2) / G


# --- gait: stride frequency and duty factor -------------------------------------------------

# (speed m/s, strides per second), through Dorn et al. 2012's speeds.
_SF_SPEED = np.array([2.0, 3.5, 5.2, 7.0, 9.0])
_SF_HZ = np.array([1.30, 1.40, 1.54, 1.73, 2.16])


def stride_frequency(speed_mps):
    """Strides per second for a speed, held constant outside 2-9 m/s."""
    return np.interp(speed_mps, _SF_SPEED, _SF_HZ)


def duty_factor(speed_mps):
    """Share of a stride a foot is on the ground [A]: 0.49 - 0.03 v, kept within 0.20-0.45."""
    return np.clip(0.49 - 0.03 * np.asarray(speed_mps), 0.20, 0.45)


def _swing_raw(speed, sf, duty):
    return speed * sf * (1.0 + (duty / (1.0 - duty)) ** 2)


def _support_raw(speed, sf, duty):
    # steps per metre (2 SF / v) times the sine-model peak force (pi / 4d)
    return (2.0 * sf / speed) * np.pi / (4.0 * duty)


_SF3 = stride_frequency(3.0)
_D3 = duty_factor(3.0)
_SWING_AT_3 = float(_swing_raw(3.0, _SF3, _D3))
_SUPPORT_AT_3 = float(_support_raw(3.0, _SF3, _D3))
SUPPORT_RAW_AT_3 = _SUPPORT_AT_3  # steps per metre x sine-model peak force (BW) at 3 m/s

# --- work terms [A] ------------------------------------------------------------------------

BOUNCE_WORK = 1.0  # w_b, J/kg/m of stance bounce before elastic return [A]
ELASTIC_FRACTION = 0.5  # e [A]
BOUNCE_CUTOFF = 0.30  # bounce vanishes at +-30 % (Minetti 1994)
SWING_WORK_AT_3 = 0.4  # J/kg/m of swing work at 3 m/s [A]
SUPPORT_AT_3 = 0.3  # J/kg/m-equivalent isometric/frontal-plane demand at 3 m/s [A]
SLOW_SPEED = 0.5  # m/s: the support term's steps-per-metre is not taken below this


def swing_index(speed_mps, sf=None):
    """phi(v): swing (internal) work per metre relative to 3 m/s (Minetti's internal-work shape)."""
    v = np.asarray(speed_mps, dtype=float)
    sf = stride_frequency(v) if sf is None else sf
    return _swing_raw(v, sf, duty_factor(v)) / _SWING_AT_3


def support_index(speed_mps, sf=None):
    """psi(v): support demand per metre relative to 3 m/s."""
    v = np.maximum(np.asarray(speed_mps, dtype=float), SLOW_SPEED)
    sf = stride_frequency(v) if sf is None else sf
    return _support_raw(v, sf, duty_factor(v)) / _SUPPORT_AT_3


@dataclass(frozen=True, slots=True)
class Work:
    """Per-metre work terms of every sample (J/kg/m)."""

    positive: np.ndarray  # stance concentric W+
    negative: np.ndarray  # stance eccentric W-
    gravity_down: np.ndarray  # the gravity part of W-, which alone counts for damage
    swing: np.ndarray  # Wsw, half concentric and half eccentric
    support: np.ndarray  # S, isometric
    bounce: np.ndarray | float = 0.0  # the stance bounce (B, running) or collision (walking)


def work_per_metre(grade, speed_mps, sf=None) -> Work:
    """The muscle-tendon work terms of section 2.2 for each sample."""
    g = np.clip(np.asarray(grade, dtype=float), -GRADE_LIMIT, GRADE_LIMIT)
    v = np.asarray(speed_mps, dtype=float)
    g, v = np.broadcast_arrays(g, v)
    up = np.maximum(g, 0.0)
    down = np.maximum(-g, 0.0)
    gravity_up = G * up / np.sqrt(1.0 + up * up)
    gravity_down = G * down / np.sqrt(1.0 + down * down)
    bounce = (
        (1.0 - ELASTIC_FRACTION) * BOUNCE_WORK * np.maximum(0.0, 1.0 - np.abs(g) / BOUNCE_CUTOFF)
    )
    return Work(
        positive=bounce + gravity_up,
        negative=bounce + gravity_down,
        gravity_down=gravity_down,
        swing=SWING_WORK_AT_3 * swing_index(v, sf),
        support=SUPPORT_AT_3 * support_index(v, sf),
        bounce=bounce,
    )


# --- muscle shares [A] (section 2.3), in LEG_MUSCLES order ------------------------------------
# quadriceps / glute_max / glute_med / hamstrings / calves / tibialis_anterior / hip_flexors /
# adductors

SHARE_GRADES = np.array([-0.20, -0.10, 0.0, 0.10, 0.20])
CONCENTRIC_SHARES = np.array(
    [
        [0.30, 0.08, 0, 0.05, 0.55, 0, 0, 0.02],
        [0.28, 0.07, 0, 0.05, 0.57, 0, 0, 0.03],
        [0.27, 0.07, 0, 0.05, 0.58, 0, 0, 0.03],
        [0.13, 0.24, 0, 0.12, 0.45, 0, 0, 0.06],
        [0.10, 0.30, 0, 0.15, 0.38, 0, 0, 0.07],
    ]
)
ECCENTRIC_SHARES = np.array(
    [
        [0.58, 0.08, 0, 0.02, 0.20, 0.10, 0, 0.02],
        [0.52, 0.08, 0, 0.02, 0.26, 0.09, 0, 0.03],
        [0.42, 0.07, 0, 0.03, 0.38, 0.07, 0, 0.03],
        [0.38, 0.06, 0, 0.03, 0.45, 0.05, 0, 0.03],
        [0.35, 0.06, 0, 0.03, 0.50, 0.03, 0, 0.03],
    ]
)
SWING_CONCENTRIC_SHARES = np.array([0.05, 0.15, 0, 0.20, 0, 0.03, 0.50, 0.07])
SWING_ECCENTRIC_SHARES = np.array([0.15, 0.10, 0, 0.65, 0, 0, 0.10, 0])
SUPPORT_SHARES = np.array([0.05, 0.10, 0.55, 0, 0.10, 0.05, 0, 0.15])
HAMSTRINGS = LEG_MUSCLES.index("hamstrings")

# Damage input [A]: eccentric gravity work weighs M(g) = 1 + 2 min(w, 0.2) / 0.2 ...
DAMAGE_STEEPNESS_CAP = 0.20
# ... and fast hamstring lengthening in late swing counts above 5 m/s, fully at 8 m/s.
HAMSTRING_DAMAGE_SPEED = 5.0
HAMSTRING_DAMAGE_SPAN = 3.0


def shares_at(grade, table: np.ndarray) -> np.ndarray:
    """Shares per sample (n x 8), linear between the table's grades, held beyond +-20 %."""
    g = np.atleast_1d(np.asarray(grade, dtype=float))
    return np.stack([np.interp(g, SHARE_GRADES, table[:, k]) for k in range(table.shape[1])], 1)


def damage_multiplier(grade):
    """M(g): 1 on the flat and uphill, 2 at -10 %, 3 at -20 % and steeper [A]."""
    down = np.maximum(-np.asarray(grade, dtype=float), 0.0)
    return 1.0 + 2.0 * np.minimum(down, DAMAGE_STEEPNESS_CAP) / DAMAGE_STEEPNESS_CAP


def hamstring_speed_factor(speed_mps):
    return np.maximum(0.0, (np.asarray(speed_mps, dtype=float) - HAMSTRING_DAMAGE_SPEED)) / (
        HAMSTRING_DAMAGE_SPAN
    )


@dataclass(frozen=True, slots=True)
class MuscleWork:
    """Summed work per muscle (arrays of 8, LEG_MUSCLES order), in J/kg."""

    concentric: np.ndarray
    eccentric: np.ndarray
    isometric: np.ndarray
    damage: np.ndarray


# Damage of long and fast running (engine.endurance) shared between the muscles [A]: knee
# extensors most, then knee flexors and plantar flexors (Takayama 2017; Higashihara 2020).
ENDURANCE_DAMAGE_SHARES = np.array([0.60, 0.08, 0, 0.14, 0.12, 0.04, 0, 0.02])


def muscle_work(
    grade,
    speed_mps,
    distance_m,
    sf=None,
    positive_scale: float = 1.0,
    *,
    work: Work | None = None,
    damage_weight=1.0,
    endurance_damage=0.0,
) -> MuscleWork:
    """Distribute the work of every sample (grade, speed, metres covered) over the muscles.

    `work` replaces the running terms (e.g. engine.gait's on-foot work); `damage_weight`
    (per sample) weighs the descent damage; `endurance_damage` (J/kg/m per sample, from
    engine.endurance) is added to the damage with ENDURANCE_DAMAGE_SHARES.
    """
    g = np.clip(np.atleast_1d(np.asarray(grade, dtype=float)), -GRADE_LIMIT, GRADE_LIMIT)
    v = np.atleast_1d(np.asarray(speed_mps, dtype=float))
    ds = np.atleast_1d(np.asarray(distance_m, dtype=float))
    g, v, ds = np.broadcast_arrays(g, v, ds)
    w = work_per_metre(g, v, sf) if work is None else work
    c = shares_at(g, CONCENTRIC_SHARES)
    x = shares_at(g, ECCENTRIC_SHARES)
    half_swing = 0.5 * float(np.dot(w.swing, ds))
    concentric = (positive_scale * w.positive * ds) @ c + half_swing * SWING_CONCENTRIC_SHARES
    eccentric = (w.negative * ds) @ x + half_swing * SWING_ECCENTRIC_SHARES
    isometric = float(np.dot(w.support, ds)) * SUPPORT_SHARES
    damage = (w.gravity_down * damage_multiplier(g) * damage_weight * ds) @ x
    damage += float(np.sum(endurance_damage * ds)) * ENDURANCE_DAMAGE_SHARES
    fast_swing = float(np.dot(w.swing * hamstring_speed_factor(v), ds))
    damage[HAMSTRINGS] += 0.5 * SWING_ECCENTRIC_SHARES[HAMSTRINGS] * fast_swing
    return MuscleWork(concentric, eccentric, isometric, damage)


def _flat_3mps_per_metre() -> float:
    w = work_per_metre(0.0, 3.0)
    return float(w.positive + w.negative + w.swing + w.support)


# J/kg of all muscles together for 1 km on the flat at 3 m/s: the model's 100.
UNIT_J_PER_KG = 1000.0 * _flat_3mps_per_metre()
SCALE = 100.0 / UNIT_J_PER_KG
