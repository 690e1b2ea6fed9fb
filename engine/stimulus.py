"""What one activity did to each leg muscle, and to the body as a whole.

`compute_stimulus(activity)` runs the model of docs/load-model.md over the activity's samples.
Units: 100 = all leg muscles together for 1 km on the flat at 3 m/s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine import mechanics
from engine.athlete import Athlete
from engine.mechanics import GRADE_LIMIT, cost_of_running, cost_of_walking, effective_grade
from engine.muscles import LEG_MUSCLES
from engine.samples import Samples, heart_rate_only, prepare_samples
from engine.systemic import pace_load, trimp
from importers.activity import Activity

MODEL_VERSION = "load-1"
# Heart rate must cover this share of the moving time for TRIMP to be used [A].
HR_COVERAGE = 0.8
# Walking is costed with Minetti's walking curve [A].
WALK_SPEED = 1.8
WALK_GRADE = 0.15
WALK_CADENCE = 140.0
# A power meter may scale the stance concentric work within these bounds [A].
POWER_SCALE_RANGE = (0.8, 1.25)
POWER_W_PER_KG_PER_MPS = 1.04  # typical running-power reading on the flat [A]


@dataclass(frozen=True, slots=True)
class MuscleLoad:
    concentric: float
    eccentric: float
    isometric: float
    total: float
    damage: float

    @classmethod
    def of(cls, concentric: float, eccentric: float, isometric: float, damage: float):
        return cls(concentric, eccentric, isometric, concentric + eccentric + isometric, damage)

    def to_dict(self) -> dict[str, float]:
        return {
            "concentric": self.concentric,
            "eccentric": self.eccentric,
            "isometric": self.isometric,
            "total": self.total,
            "damage": self.damage,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MuscleLoad:
        con, ecc, iso = (
            float(data.get(k) or 0.0) for k in ("concentric", "eccentric", "isometric")
        )
        total = data.get("total")
        return cls(
            con,
            ecc,
            iso,
            float(total) if total is not None else con + ecc + iso,
            float(data.get("damage") or 0.0),
        )


ZERO = MuscleLoad(0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Stimulus:
    muscles: dict[str, MuscleLoad]
    systemic_load: float
    systemic_method: str = "none"  # "trimp" | "pace" | "none"
    distance_m: float = 0.0
    moving_time_s: float = 0.0
    energy_j_per_kg: float = 0.0  # Minetti energy cost summed over the activity
    notes: list[str] = field(default_factory=list)
    model_version: str = MODEL_VERSION

    @property
    def total(self) -> float:
        return sum(m.total for m in self.muscles.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            "muscles": {k: v.to_dict() for k, v in self.muscles.items()},
            "systemic_load": self.systemic_load,
            "systemic_method": self.systemic_method,
            "distance_m": self.distance_m,
            "moving_time_s": self.moving_time_s,
            "energy_j_per_kg": self.energy_j_per_kg,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stimulus:
        muscles = {k: MuscleLoad.from_dict(v) for k, v in (data.get("muscles") or {}).items()}
        for key in LEG_MUSCLES:
            muscles.setdefault(key, ZERO)
        return cls(
            muscles=muscles,
            systemic_load=float(data.get("systemic_load") or 0.0),
            systemic_method=str(data.get("systemic_method") or "none"),
            distance_m=float(data.get("distance_m") or 0.0),
            moving_time_s=float(data.get("moving_time_s") or 0.0),
            energy_j_per_kg=float(data.get("energy_j_per_kg") or 0.0),
            notes=[str(n) for n in data.get("notes") or []],
            model_version=str(data.get("model_version") or MODEL_VERSION),
        )


def _muscle_loads(work: mechanics.MuscleWork) -> dict[str, MuscleLoad]:
    s = mechanics.SCALE
    return {
        key: MuscleLoad.of(
            float(work.concentric[k] * s),
            float(work.eccentric[k] * s),
            float(work.isometric[k] * s),
            float(work.damage[k] * s),
        )
        for k, key in enumerate(LEG_MUSCLES)
    }


def _systemic(samples: Samples | None, speed, g_eff, athlete: Athlete, cost, notes: list[str]):
    """(load, method): TRIMP when heart rate covers the session, else the pace load."""
    if samples is None or len(samples) < 2:
        notes.append("systemic load: no samples")
        return 0.0, "none"
    seconds = samples.step_s
    hr = samples.heart_rate
    if hr is not None:
        ok = np.isfinite(hr) & (hr > 0)
        coverage = float(seconds[ok].sum() / max(seconds.sum(), 1e-9))
        if coverage >= HR_COVERAGE:
            hr_max, hr_rest, hr_notes = athlete.heart_rate_range()
            notes.extend(hr_notes)
            load = trimp(hr[ok], seconds[ok], hr_max, hr_rest, athlete.sex) / coverage
            if athlete.sex not in ("male", "female"):
                notes.append("sex not set: TRIMP weighting averaged over men and women")
            notes.append("systemic load: TRIMP from heart rate")
            return load, "trimp"
    if g_eff is None:
        notes.append("systemic load: none (not a run and no heart rate)")
        return 0.0, "none"
    threshold, t_notes = athlete.threshold_speed_mps()
    notes.extend(t_notes)
    notes.append("systemic load: from grade-adjusted pace (no heart rate)")
    return pace_load(speed, g_eff, seconds, threshold, cost), "pace"


def _power_scale(samples: Samples, g_eff, athlete: Athlete, notes: list[str]) -> float:
    """Measured over predicted running power for the whole run, within 0.8-1.25 [A]."""
    if samples.power_w is None or athlete.mass_kg is None:
        return 1.0
    ok = np.isfinite(samples.power_w) & (samples.speed_mps > 1.0)
    if ok.sum() < 60:
        return 1.0
    predicted = (
        athlete.mass_kg
        * POWER_W_PER_KG_PER_MPS
        * samples.speed_mps[ok]
        * cost_of_running(g_eff[ok])
        / float(cost_of_running(0.0))
    )
    ratio = float(samples.power_w[ok].sum() / max(predicted.sum(), 1e-9))
    scale = float(np.clip(ratio, *POWER_SCALE_RANGE))
    notes.append(f"power meter: stance work scaled by {scale:.2f}")
    return scale


def compute_stimulus(activity: Activity, athlete: Athlete | None = None) -> Stimulus:
    """The per-muscle stimulus and systemic load of one activity."""
    athlete = athlete or Athlete()
    if not activity.is_run:
        samples = prepare_samples(activity) or heart_rate_only(activity)
        notes = [f"not a run ({activity.sport}): no leg stimulus from this model"]
        load, method = _systemic(samples, None, None, athlete, None, notes)
        return Stimulus(
            muscles={k: ZERO for k in LEG_MUSCLES},
            systemic_load=load,
            systemic_method=method,
            distance_m=float(activity.distance_m or 0.0),
            moving_time_s=float(activity.moving_time_s or 0.0),
            notes=notes,
        )
    samples = prepare_samples(activity)
    if samples is None:
        return Stimulus(
            muscles={k: ZERO for k in LEG_MUSCLES},
            systemic_load=0.0,
            notes=["no distance or time recorded: no stimulus"],
        )
    notes = list(samples.notes)
    ds = samples.step_m
    v = samples.speed_mps
    g_eff = np.clip(
        effective_grade(samples.grade, samples.acceleration_mps2), -GRADE_LIMIT, GRADE_LIMIT
    )
    cadence = samples.cadence_spm
    sf = None
    if cadence is not None:
        sf = np.where(np.isfinite(cadence), cadence / 120.0, mechanics.stride_frequency(v))
    scale = _power_scale(samples, g_eff, athlete, notes)
    work = mechanics.muscle_work(g_eff, v, ds, sf, positive_scale=scale)
    walking = (v < WALK_SPEED) & (np.abs(g_eff) > WALK_GRADE)
    if cadence is not None:
        walking |= np.isfinite(cadence) & (cadence < WALK_CADENCE)
    cost = np.where(walking, cost_of_walking(g_eff), cost_of_running(g_eff))
    load, method = _systemic(samples, v, g_eff, athlete, cost, notes)
    return Stimulus(
        muscles=_muscle_loads(work),
        systemic_load=load,
        systemic_method=method,
        distance_m=float(samples.distance_m[-1]),
        moving_time_s=float(samples.time_s[-1]),
        energy_j_per_kg=float(np.dot(cost, ds)),
        notes=notes,
    )


def steady_stimulus(
    speed_mps: float, grade: float, duration_s: float, athlete: Athlete | None = None
) -> Stimulus:
    """Stimulus of running at one speed on one grade (no recording needed), pace-based load.

    Useful for references and tests: e.g. the model's reference descent is
    `steady_stimulus(3.0, -0.10, 1800)`.
    """
    athlete = athlete or Athlete()
    distance = speed_mps * duration_s
    work = mechanics.muscle_work(grade, speed_mps, distance)
    threshold, notes = athlete.threshold_speed_mps()
    g = np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT)
    return Stimulus(
        muscles=_muscle_loads(work),
        systemic_load=pace_load(speed_mps, g, duration_s, threshold),
        systemic_method="pace",
        distance_m=distance,
        moving_time_s=duration_s,
        energy_j_per_kg=float(cost_of_running(g) * distance),
        notes=notes,
    )


def per_km(stimulus: Stimulus) -> dict[str, MuscleLoad]:
    """The stimulus divided by the kilometres covered."""
    km = stimulus.distance_m / 1000.0
    if km <= 0:
        return dict(stimulus.muscles)
    return {
        k: MuscleLoad(
            m.concentric / km, m.eccentric / km, m.isometric / km, m.total / km, m.damage / km
        )
        for k, m in stimulus.muscles.items()
    }
