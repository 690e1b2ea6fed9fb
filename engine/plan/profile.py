"""The runner's profile (goal, strength experience, body mass, time, sessions, equipment) and
its defaults read from the runs: `infer_profile(runs, as_of) -> Profile`.

What the first-run form asks and Settings edits; every field the runner has not set falls back
on a default read from the runs, with a plain sentence saying where it came from (`evidence`).
Thresholds marked [A] are assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from statistics import median
from typing import Any

from engine import catalogue
from engine.plan.context import RunSummary, SessionLog

GOALS: tuple[str, ...] = ("speed_5k_10k", "half_marathon", "ultra_trail", "general")
GOAL_LABELS: dict[str, str] = {
    "speed_5k_10k": "5 k / 10 k speed",
    "half_marathon": "half marathon / marathon",
    "ultra_trail": "ultra / trail",
    "general": "general running fitness",
}
# The planner's focus for each goal: power (speed), stamina (endurance) or a mix (general).
GOAL_FOCUS: dict[str, str] = {
    "speed_5k_10k": "speed",
    "half_marathon": "endurance",
    "ultra_trail": "endurance",
    "general": "general",
}
FOCUS_GOAL: dict[str, str] = {"speed": "speed_5k_10k", "endurance": "half_marathon"}
EXPERIENCE: tuple[str, ...] = ("new", "some", "regular")
SESSION_MINUTES = (15, 90)  # the range a runner may give
DEFAULT_MINUTES = 40
DEFAULT_SESSIONS = 2

# Goal inference [A]: share of distance run fast, weekly long run, climbing per km.
FAST_SHARE_SPEED = 0.05
LONG_RUN_HALF_M = 18_000.0
LONG_RUN_ULTRA_M = 36_000.0
CLIMB_PER_KM_TRAIL = 25.0
NEW_BELOW_KM_PER_WEEK = 10.0
FIRST_WEEKS_DAYS = 21


@dataclass(frozen=True)
class Profile:
    """What the runner wants from strength work and what they have for it.

    goal: one of GOALS; experience: one of EXPERIENCE; body_mass_kg: None when unknown (loads
    are then given relative to body weight); minutes: per session, 15-90; sessions_per_week:
    1-3; equipment: catalogue.EQUIPMENT names. `inferred` names the fields read from the runs
    rather than set by the runner, `evidence` says why, per field, in one plain sentence.
    """

    goal: str = "general"
    experience: str = "some"
    body_mass_kg: float | None = None
    minutes: int = DEFAULT_MINUTES
    sessions_per_week: int = DEFAULT_SESSIONS
    equipment: tuple[str, ...] = ("none",)
    inferred: frozenset[str] = frozenset()
    evidence: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        problems = []
        if self.goal not in GOALS:
            problems.append(f"goal {self.goal!r}: use one of {', '.join(GOALS)}")
        if self.experience not in EXPERIENCE:
            problems.append(f"experience {self.experience!r}: use one of {', '.join(EXPERIENCE)}")
        if self.body_mass_kg is not None and not 30 <= float(self.body_mass_kg) <= 250:
            problems.append(f"body mass {self.body_mass_kg!r} kg: give 30-250 kg")
        lo, hi = SESSION_MINUTES
        if not lo <= int(self.minutes) <= hi:
            problems.append(f"minutes {self.minutes!r}: give {lo}-{hi} minutes per session")
        if not 1 <= int(self.sessions_per_week) <= 3:
            problems.append(f"sessions per week {self.sessions_per_week!r}: give 1-3")
        if problems:
            raise ValueError("profile: " + "; ".join(problems))
        catalogue.normalise_equipment(self.equipment)  # raises on unknown equipment
        object.__setattr__(self, "equipment", tuple(sorted(set(self.equipment) or {"none"})))

    @property
    def focus(self) -> str:
        return GOAL_FOCUS[self.goal]

    def to_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "goal_label": GOAL_LABELS[self.goal],
            "experience": self.experience,
            "body_mass_kg": self.body_mass_kg,
            "minutes": self.minutes,
            "sessions_per_week": self.sessions_per_week,
            "equipment": list(self.equipment),
            "inferred": sorted(self.inferred),
            "evidence": dict(sorted(self.evidence.items())),
        }

    @classmethod
    def for_focus(cls, focus: str, equipment: Sequence[str] = ("none",), **changes: Any) -> Profile:
        """The profile a plain `focus` setting stands for (older settings, the CLI's --focus);
        `changes` set other fields. ValueError on an unknown focus."""
        if focus not in GOAL_FOCUS.values():
            raise ValueError(f"unknown focus {focus!r}: use one of speed, endurance, general")
        return cls(goal=FOCUS_GOAL.get(focus, "general"), equipment=tuple(equipment), **changes)


def _weekly_longest(runs: Sequence[RunSummary], as_of: date, weeks: int) -> list[RunSummary]:
    out = []
    for w in range(weeks):
        end = as_of - timedelta(days=7 * w)
        week = [r for r in runs if end - timedelta(days=7) <= r.day < end]
        if week:
            out.append(max(week, key=lambda r: (r.distance_m, r.moving_time_s)))
    return out


def infer_goal(runs: Sequence[RunSummary], as_of: date) -> tuple[str, str]:
    """(goal, plain evidence) from six weeks of runs: climbing, long runs, share run fast."""
    recent = [r for r in runs if as_of - timedelta(days=42) <= r.day < as_of]
    if not recent:
        return "general", "No runs in the past six weeks: general running fitness."
    km = sum(r.distance_m for r in recent) / 1000
    climb = sum(r.climb_m for r in recent)
    fast = sum(r.fast_m for r in recent) / 1000
    longest = _weekly_longest(recent, as_of, 6)
    long_m = median(r.distance_m for r in longest)
    top_m = max(r.distance_m for r in recent)
    if km > 0 and (climb / km >= CLIMB_PER_KM_TRAIL or top_m >= LONG_RUN_ULTRA_M):
        return "ultra_trail", (
            f"You climbed {climb:,.0f} m in {km:.0f} km over six weeks"
            f" and your longest run was {top_m / 1000:.0f} km: ultra / trail."
        )
    if km > 0 and fast / km >= FAST_SHARE_SPEED and long_m < LONG_RUN_HALF_M:
        return "speed_5k_10k", (
            f"{100 * fast / km:.0f} % of your running in six weeks was fast and your usual "
            f"long run is {long_m / 1000:.0f} km: 5 k / 10 k speed."
        )
    if long_m >= LONG_RUN_HALF_M:
        return "half_marathon", (
            f"Your usual long run is {long_m / 1000:.0f} km: half marathon / marathon."
        )
    return "general", (
        f"Your usual long run is {long_m / 1000:.0f} km with little fast running: general "
        "running fitness."
    )


def infer_experience(
    runs: Sequence[RunSummary], as_of: date, logs: Sequence[SessionLog] = ()
) -> tuple[str, str]:
    """(experience, plain evidence): from logged strength sessions, else from the running."""
    done = sum(1 for log in logs if log.done and as_of - timedelta(days=84) <= log.day < as_of)
    if done >= 12:
        return "regular", f"You logged {done} strength sessions in the past 12 weeks."
    if done >= 3:
        return "some", f"You logged {done} strength sessions in the past 12 weeks."
    recent = [r for r in runs if as_of - timedelta(days=42) <= r.day < as_of]
    if not recent:
        return "new", "No runs in the past six weeks: we start gently."
    first = min(r.day for r in runs)
    if (as_of - first).days < FIRST_WEEKS_DAYS:
        return "new", (
            "Your recent runs start less than three weeks ago (new to running, or back after a "
            "break): we start gently."
        )
    weeks = max(1.0, min(42, (as_of - first).days) / 7)
    per_week = sum(r.distance_m for r in recent) / 1000 / weeks
    if per_week < NEW_BELOW_KM_PER_WEEK:
        return "new", f"You run about {per_week:.0f} km a week: we start gently."
    return "some", "No strength sessions logged yet: we assume some experience."


def infer_profile(
    runs: Sequence[RunSummary],
    as_of: date,
    *,
    logs: Sequence[SessionLog] = (),
    given: Mapping[str, Any] | None = None,
) -> Profile:
    """The runner's profile: the fields in `given` as set, the others inferred from the runs.

    `given` keys are Profile fields (goal, experience, body_mass_kg, minutes,
    sessions_per_week, equipment); None values count as not given. Raises ValueError on a
    given value out of range.
    """
    given = {k: v for k, v in (given or {}).items() if v is not None}
    known = {f.name for f in fields(Profile)} - {"inferred", "evidence"}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"profile: unknown field(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    evidence: dict[str, str] = {}
    inferred: set[str] = set()
    for name, infer in (
        ("goal", lambda: infer_goal(runs, as_of)),
        ("experience", lambda: infer_experience(runs, as_of, logs)),
    ):
        if name in given:
            values[name] = given[name]
        else:
            values[name], evidence[name] = infer()
            inferred.add(name)
    defaults = {
        "minutes": (DEFAULT_MINUTES, f"Up to {DEFAULT_MINUTES} minutes a session unless you say."),
        "sessions_per_week": (DEFAULT_SESSIONS, "Two sessions a week suit most runners."),
        "equipment": (("none",), "Bodyweight only until you tell us what you have."),
        "body_mass_kg": (None, "Not given: loads are given relative to your body weight."),
    }
    for name, (value, why) in defaults.items():
        if name in given:
            values[name] = given[name]
        else:
            values[name], evidence[name] = value, why
            inferred.add(name)
    values["equipment"] = tuple(values["equipment"])
    return Profile(**values, inferred=frozenset(inferred), evidence=evidence)


def with_changes(profile: Profile, **changes: Any) -> Profile:
    """The profile with the runner's own values for some fields (no longer marked inferred)."""
    evidence = {k: v for k, v in profile.evidence.items() if k not in changes}
    return replace(profile, **changes, inferred=profile.inferred - set(changes), evidence=evidence)
