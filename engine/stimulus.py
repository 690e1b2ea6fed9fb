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
from engine.endurance import endurance_damage, steady_endurance_damage
from engine.gait import WALK_DAMAGE, is_on_foot, on_foot_work, walking_share
from engine.mechanics import GRADE_LIMIT, cost_of_running, cost_of_walking, effective_grade
from engine.muscles import LEG_MUSCLES
from engine.samples import Samples, heart_rate_only, prepare_samples
from engine.structure import detect_structure
from engine.systemic import pace_load, trimp
from importers.activity import Activity

# Stored with every stimulus; a new version means stored activities are to be recomputed.
MODEL_VERSION = "load-3"  # load-3: intervals and hill repeats need alike reps; fartlek
# Heart rate must cover this share of the moving time for TRIMP to be used [A].
HR_COVERAGE = 0.8
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
    is_run: bool = True  # counted as a run (walks and hikes are not)
    on_foot: bool = True  # runs, walks and hikes: the legs carried the body
    walked_m: float = 0.0  # metres in the walking gait
    mass_kg: float | None = None  # the runner's, when known
    structure: dict[str, Any] | None = None  # engine.structure.Structure.to_dict()
    # The part of the damage from long and fast running (engine.endurance), all muscles
    # together; mechanics.ENDURANCE_DAMAGE_SHARES splits it between them.
    endurance_damage: float = 0.0

    @property
    def run_type(self) -> str | None:
        """easy | long | tempo | intervals | sprints | hills | race | walk (engine.structure)."""
        return (self.structure or {}).get("run_type")

    @property
    def hard_day(self) -> bool:
        """A session that counts as hard for the plan (engine.structure)."""
        return bool((self.structure or {}).get("hard_day"))

    @property
    def energy_kj(self) -> float | None:
        """Metabolic energy (Minetti) in kJ, when the body mass is known."""
        return None if self.mass_kg is None else self.energy_j_per_kg * self.mass_kg / 1000.0

    @property
    def work_kj(self) -> float | None:
        """Leg muscle work in kJ, when the body mass is known (total / SCALE, x mass)."""
        if self.mass_kg is None:
            return None
        return self.total / mechanics.SCALE * self.mass_kg / 1000.0

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
            "is_run": self.is_run,
            "on_foot": self.on_foot,
            "walked_m": self.walked_m,
            "endurance_damage": self.endurance_damage,
            "mass_kg": self.mass_kg,
            "energy_kj": self.energy_kj,
            "work_kj": self.work_kj,
            "run_type": self.run_type,
            "hard_day": self.hard_day,
            "structure": self.structure,
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
            is_run=bool(data.get("is_run", True)),
            on_foot=bool(data.get("on_foot", True)),
            walked_m=float(data.get("walked_m") or 0.0),
            endurance_damage=float(data.get("endurance_damage") or 0.0),
            mass_kg=None if data.get("mass_kg") is None else float(data["mass_kg"]),
            structure=data.get("structure"),
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
        notes.append("systemic load: none (not on foot and no heart rate)")
        return 0.0, "none"
    threshold, _ = athlete.threshold_speed_mps()
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


def _not_on_foot(activity: Activity, athlete: Athlete) -> Stimulus:
    samples = prepare_samples(activity) or heart_rate_only(activity)
    notes = [f"not a run ({activity.sport}) and not on foot: no leg stimulus from this model"]
    load, method = _systemic(samples, None, None, athlete, None, notes)
    return Stimulus(
        muscles={k: ZERO for k in LEG_MUSCLES},
        systemic_load=load,
        systemic_method=method,
        distance_m=float(activity.distance_m or 0.0),
        moving_time_s=float(activity.moving_time_s or 0.0),
        notes=notes,
        is_run=False,
        on_foot=False,
        mass_kg=athlete.mass_kg,
    )


def compute_stimulus(activity: Activity, athlete: Athlete | None = None) -> Stimulus:
    """The per-muscle stimulus, systemic load and structure of one run, walk or hike."""
    athlete = athlete or Athlete()
    if not is_on_foot(activity.sport):
        return _not_on_foot(activity, athlete)
    samples = prepare_samples(activity)
    if samples is None:
        return Stimulus(
            muscles={k: ZERO for k in LEG_MUSCLES},
            systemic_load=0.0,
            notes=["no distance or time recorded: no stimulus"],
            is_run=activity.is_run,
            mass_kg=athlete.mass_kg,
        )
    notes = list(samples.notes)
    threshold, t_notes = athlete.threshold_speed_mps()
    notes.extend(t_notes)
    ds = samples.step_m
    v = samples.speed_mps
    g_eff = np.clip(
        effective_grade(samples.grade, samples.acceleration_mps2), -GRADE_LIMIT, GRADE_LIMIT
    )
    cadence = samples.cadence_spm
    sf = None
    if cadence is not None:
        sf = np.where(np.isfinite(cadence), cadence / 120.0, mechanics.stride_frequency(v))
    walk = walking_share(v, cadence, walk_sport=not activity.is_run)
    if not activity.is_run:
        notes.append(f"{activity.sport}: on foot, not counted as a run; walking gait")
    scale = _power_scale(samples, g_eff, athlete, notes)
    work = on_foot_work(g_eff, v, sf, walk)
    cost = walk * cost_of_walking(g_eff) + (1.0 - walk) * cost_of_running(g_eff)
    effort = v * cost / float(cost_of_running(0.0))  # grade-adjusted speed
    gait_damage = 1.0 - walk * (1.0 - WALK_DAMAGE)
    endurance = endurance_damage(samples.step_s, effort, work.negative, threshold, gait_damage)
    muscle = mechanics.muscle_work(
        g_eff,
        v,
        ds,
        sf,
        positive_scale=scale,
        work=work,
        damage_weight=gait_damage * samples.slope_damage_factor,
        endurance_damage=endurance,
    )
    load, method = _systemic(samples, v, g_eff, athlete, cost, notes)
    # Parts of the run by the effort of the slope alone (not of each change of speed).
    steady_cost = walk * cost_of_walking(samples.grade) + (1.0 - walk) * cost_of_running(
        np.clip(samples.grade, -GRADE_LIMIT, GRADE_LIMIT)
    )
    structure = detect_structure(
        samples,
        walk >= 0.5,
        v * steady_cost / float(cost_of_running(0.0)),
        threshold,
        is_run=activity.is_run,
        threshold_known=not t_notes,
        sport=activity.sport,
    )
    return Stimulus(
        muscles=_muscle_loads(muscle),
        systemic_load=load,
        systemic_method=method,
        distance_m=float(samples.distance_m[-1]),
        moving_time_s=float(samples.time_s[-1]),
        energy_j_per_kg=float(np.dot(cost, ds)),
        notes=notes,
        is_run=activity.is_run,
        walked_m=float(np.dot(walk, ds)),
        endurance_damage=float(np.dot(endurance, ds)) * mechanics.SCALE,
        mass_kg=athlete.mass_kg,
        structure=structure.to_dict(),
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
    threshold, notes = athlete.threshold_speed_mps()
    g = np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT)
    effort = speed_mps * cost_of_running(g) / float(cost_of_running(0.0))
    negative = mechanics.work_per_metre(g, speed_mps).negative
    endurance = steady_endurance_damage(duration_s, effort, float(negative), threshold)
    work = mechanics.muscle_work(grade, speed_mps, distance, endurance_damage=endurance)
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
