"""The planner's vocabulary: its inputs (PlanContext, RunSummary, SessionLog) and its result
(Plan, Session, Prescription), with the run classification and the state reader they share.

Thresholds marked [A] are assumptions, as in the model doc (section 2.5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from statistics import median
from typing import Any, Protocol

FOCUSES: tuple[str, ...] = ("endurance", "speed", "general")
LEG_BLOCKS: tuple[str, ...] = ("heavy", "moderate", "isometric", "none")  # strongest first
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A run is long from 75 min or 16 km, hard from 8 % faster than the runner's median pace [A].
LONG_RUN_S = 75 * 60
LONG_RUN_M = 16_000.0
HARD_PACE_RATIO = 0.92
# Run types (engine.structure) that are fast running, not only hard: no Nordic curls near them.
FAST_RUN_TYPES = frozenset({"intervals", "sprints", "race"})


class MuscleStateLike(Protocol):
    acute: float
    chronic: float
    damage_normalised: float


class StateLike(Protocol):
    @property
    def muscles(self) -> Mapping[str, MuscleStateLike]: ...


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What the planner needs to know about one run."""

    day: date
    distance_m: float
    moving_time_s: float
    elevation_loss_m: float = 0.0
    is_long: bool = False
    is_hard: bool = False
    # engine.structure's run type (easy, long, tempo, intervals, sprints, hills, race) when the
    # stored stimulus has a structure; None for rows without one (judged by pace instead).
    run_type: str | None = None

    @property
    def is_fast(self) -> bool:
        """Intervals, sprints or a race; without a structure, a hard run (by pace)."""
        return self.run_type in FAST_RUN_TYPES if self.run_type is not None else self.is_hard

    @classmethod
    def from_fields(
        cls,
        start_time: datetime,
        distance_m: float,
        moving_time_s: float,
        elevation_loss_m: float | None,
        pace_s_per_km: float | None = None,
        typical_pace_s_per_km: float | None = None,
        tz: tzinfo | None = None,
    ) -> RunSummary:
        """Classify one run from stored summary fields; hard = clearly faster than typical."""
        day = start_time.astimezone(tz or UTC).date()
        is_long = moving_time_s >= LONG_RUN_S or distance_m >= LONG_RUN_M
        is_hard = bool(
            pace_s_per_km
            and typical_pace_s_per_km
            and moving_time_s >= 10 * 60
            and pace_s_per_km <= HARD_PACE_RATIO * typical_pace_s_per_km
        )
        return cls(
            day=day,
            distance_m=float(distance_m or 0.0),
            moving_time_s=float(moving_time_s or 0.0),
            elevation_loss_m=float(elevation_loss_m or 0.0),
            is_long=is_long,
            is_hard=is_hard,
        )


def _pace(activity: Any) -> float | None:
    return getattr(activity, "gap_s_per_km", None) or getattr(activity, "avg_pace_s_per_km", None)


def summarise_runs(activities: Iterable[Any], tz: tzinfo | None = None) -> list[RunSummary]:
    """RunSummaries for the runs among `activities` (importers' Activity or stored rows).

    Anything with `is_run`, `start_time`, `distance_m`, `moving_time_s`, `elevation_loss_m`
    and `gap_s_per_km`/`avg_pace_s_per_km` works. With a `stimulus` dict holding a "structure"
    (engine.structure), its `hard_day` and `run_type` classify the run; otherwise "hard" is
    judged against the median pace of the runs given, so pass a few weeks of them.
    """
    runs = [a for a in activities if getattr(a, "is_run", True)]
    paces = [p for p in (_pace(a) for a in runs) if p]
    typical = median(paces) if paces else None
    summaries = []
    for a in runs:
        summary = RunSummary.from_fields(
            a.start_time, a.distance_m, a.moving_time_s, a.elevation_loss_m, _pace(a), typical, tz
        )
        structure = (getattr(a, "stimulus", None) or {}).get("structure") or {}
        if structure:
            # The parts of the run (engine.structure) judge it, not its average pace.
            run_type = structure.get("run_type")
            summary = replace(
                summary,
                is_hard=bool(structure.get("hard_day")),
                is_long=summary.is_long or run_type == "long",
                run_type=run_type,
            )
        summaries.append(summary)
    return sorted(summaries, key=lambda r: (r.day, r.distance_m, r.moving_time_s))


@dataclass(frozen=True, slots=True)
class SessionLog:
    """A strength session the runner logged: status "done" or "skipped".

    `exercises` holds names, or dicts with "name" and optionally "sets", "reps"/"seconds".
    """

    day: date
    status: str
    exercises: Sequence[Any] = ()

    @property
    def done(self) -> bool:
        return self.status == "done"

    def exercise_names(self) -> list[str]:
        return [e["name"] if isinstance(e, Mapping) else str(e) for e in self.exercises]


@dataclass(frozen=True)
class PlanContext:
    as_of: date
    state: StateLike
    recent: Sequence[RunSummary] = ()
    race_date: date | None = None
    focus: str = "general"
    equipment: Sequence[str] = ("none",)
    available_days: Sequence[int] = (0, 1, 2, 3, 4, 5, 6)
    long_run_day: int | None = None
    week_start: int = 0
    logs: Sequence[SessionLog] = ()
    # Optional per-day states (e.g. compute_state at noon of each day of the week) so that a
    # session later in the week sees how far the muscles will have recovered by then.
    states: Mapping[date, StateLike] = field(default_factory=dict)
    # The race has long descents: ask for repeated-bout protection of the quadriceps.
    race_hilly: bool = False
    # "km" or "mi": the units the reasons quote distances and descents in.
    units: str = "km"


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prescription:
    name: str
    category: str
    muscles: tuple[str, ...]
    sets: int
    amount: int  # reps, or seconds when `dose` == "seconds"
    dose: str
    load: str
    why: str
    purpose: str

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "category": self.category,
            "muscles": list(self.muscles),
            "sets": self.sets,
            self.dose: self.amount,
            "load": self.load,
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class Session:
    day: date
    leg_block: str
    exercises: tuple[Prescription, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "leg_block": self.leg_block,
            "exercises": [e.to_dict() for e in self.exercises],
        }


@dataclass(frozen=True, slots=True)
class Plan:
    week: str
    phase: str  # build | taper | race_week
    focus: str
    equipment: tuple[str, ...]
    sessions: tuple[Session, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"week": self.week, "sessions": [s.to_dict() for s in self.sessions]}


def muscle_values(state: StateLike, key: str) -> tuple[float, float, float]:
    """(acute, chronic, normalised damage) of one muscle in an engine state; zeros if absent."""
    m = state.muscles.get(key) if state is not None else None
    if m is None:
        return 0.0, 0.0, 0.0
    return float(m.acute), float(m.chronic), float(m.damage_normalised)
