"""The planner's vocabulary: its inputs (PlanContext, RunSummary, SessionLog) and its result
(Plan, Session, Prescription), with the run classification and the state reader they share.

Thresholds marked [A] are assumptions, as in the model doc (section 2.5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from statistics import median
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from engine.plan.profile import Profile

FOCUSES: tuple[str, ...] = ("endurance", "speed", "general")
LEG_BLOCKS: tuple[str, ...] = ("heavy", "moderate", "isometric", "none")  # strongest first
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A run is long from 75 min or 16 km, hard from 8 % faster than the runner's median pace [A].
LONG_RUN_S = 75 * 60
LONG_RUN_M = 16_000.0
HARD_PACE_RATIO = 0.92
# Running counts as "fast" from 20 % quicker than the runner's median speed [A]; a run with a
# kilometre or a fifth of its distance that fast is a hard session (intervals, reps).
FAST_SPEED_RATIO = 1.2
SORENESS: tuple[str, ...] = ("fresh", "a_bit_sore", "very_sore")
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
    climb_m: float = 0.0  # elevation gain, m (loss stands in when the gain is unknown)
    fast_m: float = 0.0  # metres run clearly faster than the runner's usual speed
    is_race: bool = False  # the runner said so: a race is hard, and its day is a race day
    # engine.structure's run type (easy, long, tempo, intervals, sprints, hills, race) when the
    # stored stimulus has a structure; None for rows without one (judged by pace instead).
    run_type: str | None = None

    @property
    def is_fast(self) -> bool:
        """Intervals, sprints or a race; without a structure, a hard run (by pace)."""
        if self.is_race:
            return True
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
        *,
        elevation_gain_m: float | None = None,
        fast_m: float = 0.0,
        is_race: bool = False,
    ) -> RunSummary:
        """Classify one run from stored summary fields; hard = clearly faster than typical, a
        kilometre (or a fifth of the run) of fast running in it, or a race."""
        day = start_time.astimezone(tz or UTC).date()
        distance = float(distance_m or 0.0)
        is_long = moving_time_s >= LONG_RUN_S or distance_m >= LONG_RUN_M
        is_hard = is_race or bool(
            pace_s_per_km
            and typical_pace_s_per_km
            and moving_time_s >= 10 * 60
            and pace_s_per_km <= HARD_PACE_RATIO * typical_pace_s_per_km
        ) or (fast_m >= 1000.0 or (distance > 0 and fast_m >= 0.2 * distance))
        if is_hard and not fast_m and pace_s_per_km:
            fast_m = distance
        return cls(
            day=day,
            distance_m=distance,
            moving_time_s=float(moving_time_s or 0.0),
            elevation_loss_m=float(elevation_loss_m or 0.0),
            is_long=is_long,
            is_hard=is_hard,
            climb_m=float(elevation_gain_m or elevation_loss_m or 0.0),
            fast_m=float(fast_m),
            is_race=is_race,
        )


def _pace(activity: Any) -> float | None:
    return getattr(activity, "gap_s_per_km", None) or getattr(activity, "avg_pace_s_per_km", None)


def fast_metres(activity: Any, typical_speed: float | None) -> float:
    """Metres of `activity`'s speed series at FAST_SPEED_RATIO x `typical_speed` or more
    (0 without a series or a typical speed)."""
    series = getattr(activity, "series", None)
    speed = getattr(series, "speed_mps", None)
    dist = getattr(series, "distance_m", None)
    if speed is None or dist is None or not typical_speed or len(speed) < 2:
        return 0.0
    step = [max(b - a, 0.0) for a, b in zip(dist[:-1], dist[1:], strict=False)]
    fast = FAST_SPEED_RATIO * typical_speed
    return float(sum(d for d, v in zip(step, speed[1:], strict=False) if v >= fast))


def summarise_runs(activities: Iterable[Any], tz: tzinfo | None = None) -> list[RunSummary]:
    """RunSummaries for the runs among `activities` (importers' Activity or stored rows).

    Anything with `is_run`, `start_time`, `distance_m`, `moving_time_s`, `elevation_loss_m`
    and `gap_s_per_km`/`avg_pace_s_per_km` works (`is_race`, when present, marks a race). With a
    `stimulus` dict holding a "structure" (engine.structure), its `hard_day` and `run_type`
    classify the run; otherwise "hard" is judged against the median pace of the runs given, so
    pass a few weeks of them.
    """
    runs = [a for a in activities if getattr(a, "is_run", True)]
    paces = [p for p in (_pace(a) for a in runs) if p]
    typical = median(paces) if paces else None
    typical_speed = 1000.0 / typical if typical else None
    summaries = []
    for a in runs:
        summary = RunSummary.from_fields(
            a.start_time,
            a.distance_m,
            a.moving_time_s,
            a.elevation_loss_m,
            _pace(a),
            typical,
            tz,
            elevation_gain_m=getattr(a, "elevation_gain_m", None),
            fast_m=fast_metres(a, typical_speed),
            is_race=bool(getattr(a, "is_race", False)),
        )
        structure = (getattr(a, "stimulus", None) or {}).get("structure") or {}
        if structure:
            # The parts of the run (engine.structure) judge it, not its average pace.
            run_type = structure.get("run_type")
            summary = replace(
                summary,
                is_hard=summary.is_race or bool(structure.get("hard_day")),
                is_long=summary.is_long or run_type == "long",
                run_type=run_type,
            )
        summaries.append(summary)
    return sorted(summaries, key=lambda r: (r.day, r.distance_m, r.moving_time_s))


@dataclass(frozen=True, slots=True)
class SessionLog:
    """A strength session the runner logged: status "done" or "skipped".

    `exercises` holds names (done as prescribed), or dicts with "name" and optionally what was
    done: "sets", "reps"/"seconds", "load_kg", and "done": False for an exercise missed.
    """

    day: date
    status: str
    exercises: Sequence[Any] = ()

    @property
    def done(self) -> bool:
        return self.status == "done"

    def exercise_names(self) -> list[str]:
        return [e["name"] if isinstance(e, Mapping) else str(e) for e in self.exercises]


@dataclass(frozen=True, slots=True)
class Soreness:
    """The runner's check-in: how the legs feel on `day` ("fresh", "a_bit_sore", "very_sore").

    It overrides the model's leg damage for that day and the two after it.
    """

    day: date
    level: str

    def __post_init__(self) -> None:
        if self.level not in SORENESS:
            raise ValueError(f"soreness {self.level!r}: use one of {', '.join(SORENESS)}")


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
    # The runner's profile; when given, its goal and equipment replace `focus`/`equipment`.
    profile: Profile | None = None
    # Today's check-in, overriding the model's damage for the next days' sessions.
    soreness: Soreness | None = None
    # The race's distance (m); a past race's is read from the run on its day when absent.
    race_distance_m: float | None = None


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prescription:
    """One exercise of a session.

    `reason` is one plain sentence; `why` holds the numbers and the source behind it. `style`
    is "power", "strength", "stamina" or "control"; `minutes` the time it takes (its rests
    are shared with `pair_with` when it is done between that exercise's sets); `load_kg` a
    starting external load when body mass and equipment allow one (the total, both hands),
    `load_words` how to say it ("10 kg per hand", "40 kg", "a 12 kg backpack") and
    `load_per_hand` whether it is said per hand (half of `load_kg` in each); `progress`
    "last time 3 x 8, this time 3 x 10" when the strength log has it.
    """

    name: str
    category: str
    muscles: tuple[str, ...]
    sets: int
    amount: int  # reps, or seconds when `dose` == "seconds"
    dose: str
    load: str
    why: str
    purpose: str
    reason: str = ""
    style: str = "strength"
    rest_s: int = 60
    minutes: float = 0.0
    load_kg: float | None = None
    load_words: str = ""
    load_per_hand: bool = False
    progress: str = ""
    pair_with: str | None = None
    how_to: Mapping[str, Any] = field(default_factory=dict, hash=False)
    drawing: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "category": self.category,
            "muscles": list(self.muscles),
            "sets": self.sets,
            self.dose: self.amount,
            "load": self.load,
            "load_kg": self.load_kg,
            "load_words": self.load_words,
            "load_per_hand": self.load_per_hand,
            "rest_s": self.rest_s,
            "style": self.style,
            "minutes": self.minutes,
            "pair_with": self.pair_with,
            "progress": self.progress,
            "reason": self.reason,
            "why": self.why,
            "how_to": dict(self.how_to),
            "drawing": self.drawing,
        }


@dataclass(frozen=True, slots=True)
class Session:
    """One strength session: its day, leg block, exercises (in the order to do them), its
    `minutes` and the `short` version (about 15 minutes) for a busy day."""

    day: date
    leg_block: str
    exercises: tuple[Prescription, ...]
    notes: tuple[str, ...] = ()
    minutes: float = 0.0
    available_minutes: int = 40
    short: tuple[Prescription, ...] = ()
    dropped: tuple[str, ...] = ()  # exercises left out to fit the time, lowest need first

    def to_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "leg_block": self.leg_block,
            "minutes": self.minutes,
            "available_minutes": self.available_minutes,
            "notes": list(self.notes),
            "exercises": [e.to_dict() for e in self.exercises],
            "short": {
                "minutes": round(sum(e.minutes for e in self.short), 1),
                "exercises": [e.to_dict() for e in self.short],
            },
            "dropped": list(self.dropped),
        }


@dataclass(frozen=True, slots=True)
class Plan:
    week: str
    phase: str  # build | taper | race_week
    focus: str
    equipment: tuple[str, ...]
    sessions: tuple[Session, ...]
    notes: tuple[str, ...] = ()
    profile: Mapping[str, Any] = field(default_factory=dict, hash=False)  # Profile.to_dict()
    lead_in: str = ""  # the plain reason for a lead-in dose, "" when none

    def to_dict(self) -> dict:
        return {
            "week": self.week,
            "phase": self.phase,
            "notes": list(self.notes),
            "lead_in": self.lead_in,
            "profile": dict(self.profile),
            "sessions": [s.to_dict() for s in self.sessions],
        }


def muscle_values(state: StateLike, key: str) -> tuple[float, float, float]:
    """(acute, chronic, normalised damage) of one muscle in an engine state; zeros if absent."""
    m = state.muscles.get(key) if state is not None else None
    if m is None:
        return 0.0, 0.0, 0.0
    return float(m.acute), float(m.chronic), float(m.damage_normalised)
