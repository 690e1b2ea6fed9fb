"""This week's strength sessions, balanced against what running did (model doc section 2.5).

`recommend(PlanContext) -> Plan` is a pure function of its input: the per-muscle state from
`engine.state`, the recent runs (as `RunSummary`), the runner's settings and the logged
strength sessions. Every prescribed exercise carries a one-line reason citing the runner's own
numbers. Thresholds marked [A] in comments are assumptions, as in the model doc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import combinations
from statistics import median
from typing import Any, Protocol

from engine import catalogue
from engine.catalogue import Exercise
from engine.muscles import LEG_MUSCLES
from engine.state import LoadRecord, compute_state

FOCUSES: tuple[str, ...] = ("endurance", "speed", "general")
LEG_BLOCKS: tuple[str, ...] = ("heavy", "moderate", "isometric", "none")  # strongest first
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Leg-block gates on normalised damage (Dn = 1.0: the peak after the reference descent) [A].
HEAVY_BELOW = 0.3
ISOMETRIC_FROM = 0.6
NO_LEGS_FROM = 1.5  # very sore: no leg block at all [A]
# Repeated-bout protection (engine's MuscleState.protection; 1.0 ~ one reference descent
# recently) below which a hilly race calls for a controlled eccentric dose [A].
PROTECTED_FROM = 0.5
NORDIC_BELOW = 0.3
# A run is long from 75 min or 16 km, hard from 8 % faster than the runner's median pace,
# and a "long descent" from 300 m of elevation loss [A].
LONG_RUN_S = 75 * 60
LONG_RUN_M = 16_000.0
HARD_PACE_RATIO = 0.92
LONG_DESCENT_M = 300.0
STEPS_PER_MIN = 170  # to turn running time into a step count for the reasons [A]
# Calf load is "high" when its chronic load is this many times the quadriceps' (much uphill
# running; flat running gives about 1.3) or this far above its own chronic level [A].
CALF_QUAD_HIGH = 1.6
CALF_SPIKE = 1.3


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
    and `gap_s_per_km`/`avg_pace_s_per_km` works. "Hard" is judged against the median pace of
    the runs given, so pass a few weeks of them.
    """
    runs = [a for a in activities if getattr(a, "is_run", True)]
    paces = [p for p in (_pace(a) for a in runs) if p]
    typical = median(paces) if paces else None
    summaries = [
        RunSummary.from_fields(
            a.start_time,
            a.distance_m,
            a.moving_time_s,
            a.elevation_loss_m,
            _pace(a),
            typical,
            tz,
        )
        for a in runs
    ]
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


# --- small helpers ----------------------------------------------------------------------------


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_days(as_of: date, week_start: int = 0) -> list[date]:
    """The seven days of the runner's week that contains `as_of`."""
    start = as_of - timedelta(days=(as_of.weekday() - week_start) % 7)
    return [start + timedelta(days=i) for i in range(7)]


def week_label(as_of: date, week_start: int = 0) -> str:
    """ISO week of the runner's week (its middle day decides when it straddles two)."""
    return iso_week(week_days(as_of, week_start)[3])


def phase_for(day: date, race_date: date | None) -> str:
    if race_date is not None:
        days = (race_date - day).days
        if 0 <= days <= 7:
            return "race_week"
        if 7 < days <= 14:
            return "taper"
    return "build"


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 1e-9 else None


def _cap(block: str, at_most: str) -> str:
    return LEG_BLOCKS[max(LEG_BLOCKS.index(block), LEG_BLOCKS.index(at_most))]


def _muscle(state: StateLike, key: str) -> tuple[float, float, float]:
    m = state.muscles.get(key) if state is not None else None
    if m is None:
        return 0.0, 0.0, 0.0
    return float(m.acute), float(m.chronic), float(m.damage_normalised)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


# --- what the week looks like -----------------------------------------------------------------


@dataclass(frozen=True)
class _Week:
    """Facts about the runner's recent running that the rules and the reasons use."""

    as_of: date
    runs_7d: tuple[RunSummary, ...]
    acute: dict[str, float]
    chronic: dict[str, float]
    long_days: frozenset[date]
    hard_days: frozenset[date]
    descents: dict[date, float]  # day -> largest elevation loss of a run that day
    long_weekday: int | None
    long_weekday_source: str  # "setting" | "typical" | "none"
    history_days: int  # days from the first run given to as_of

    @property
    def km(self) -> float:
        return sum(r.distance_m for r in self.runs_7d) / 1000

    @property
    def steps(self) -> int:
        return int(round(sum(r.moving_time_s for r in self.runs_7d) / 60 * STEPS_PER_MIN, -2))

    @property
    def loaded(self) -> bool:
        """True when running put any acute load on the legs."""
        return sum(self.acute.get(m, 0.0) for m in LEG_MUSCLES) > 1e-9

    def share(self, muscle: str) -> float:
        total = sum(self.acute.get(m, 0.0) for m in LEG_MUSCLES)
        return 100 * self.acute.get(muscle, 0.0) / total if total > 1e-9 else 0.0

    def running(self) -> str:
        """'your 5 runs (42.3 km) of the past 7 days' or 'no runs in the past 7 days'."""
        n = len(self.runs_7d)
        if n == 0:
            return "no runs in the past 7 days"
        return f"your {n} run{'s' if n > 1 else ''} ({self.km:.1f} km) of the past 7 days"


def _typical_weekday(runs: Sequence[RunSummary], as_of: date, flag: str, days: int) -> list[int]:
    """Weekdays on which runs with `flag` happened at least twice in the last `days` days."""
    since = as_of - timedelta(days=days)
    counts = Counter(r.day.weekday() for r in runs if getattr(r, flag) and since <= r.day < as_of)
    return sorted(wd for wd, n in counts.items() if n >= 2)


def _describe_week(ctx: PlanContext, days: Sequence[date]) -> _Week:
    runs = sorted(ctx.recent, key=lambda r: (r.day, r.distance_m))
    as_of = ctx.as_of
    runs_7d = tuple(r for r in runs if as_of - timedelta(days=7) <= r.day < as_of)
    acute = {m: _muscle(ctx.state, m)[0] for m in LEG_MUSCLES}
    chronic = {m: _muscle(ctx.state, m)[1] for m in LEG_MUSCLES}

    if ctx.long_run_day is not None:
        long_wd, source = ctx.long_run_day, "setting"
    else:
        typical = _typical_weekday(runs, as_of, "is_long", 42)
        if typical:
            # The most frequent; a tie goes to the earlier weekday.
            counts = Counter(r.day.weekday() for r in runs if r.is_long and r.day < as_of)
            long_wd = max(typical, key=lambda wd: (counts[wd], -wd))
            source = "typical"
        else:
            long_wd, source = None, "none"
    hard_wds = set(_typical_weekday(runs, as_of, "is_hard", 28))

    long_days: set[date] = set()
    hard_days: set[date] = set()
    descents: dict[date, float] = {}
    for r in runs:
        if r.is_long:
            long_days.add(r.day)
        if r.is_hard:
            hard_days.add(r.day)
        if r.elevation_loss_m > 0:
            descents[r.day] = max(descents.get(r.day, 0.0), r.elevation_loss_m)
    week_has_long = any(d in long_days for d in days if d < as_of)
    for d in days:
        if d < as_of:
            continue
        if long_wd is not None and d.weekday() == long_wd and not week_has_long:
            long_days.add(d)
        if d.weekday() in hard_wds and d not in long_days:
            hard_days.add(d)
    return _Week(
        as_of=as_of,
        runs_7d=runs_7d,
        acute=acute,
        chronic=chronic,
        long_days=frozenset(long_days),
        hard_days=frozenset(hard_days),
        descents=descents,
        long_weekday=long_wd,
        long_weekday_source=source,
        history_days=(as_of - runs[0].day).days if runs else 0,
    )


# --- scheduling -------------------------------------------------------------------------------


def _race_blocked(day: date, race: date | None) -> bool:
    """Upper body and core continue until 3 days before the race; nothing after that."""
    return race is not None and 0 <= (race - day).days <= 2


def _day_penalty(day: date, ctx: PlanContext, week: _Week) -> tuple[int, list[str]]:
    penalty, notes = 0, []
    nxt = day + timedelta(days=1)
    if day.weekday() not in ctx.available_days:
        penalty += 30
        notes.append(f"{_weekday(day)} is not one of your training days, but none fits better.")
    if day in week.long_days:
        penalty += 12
        notes.append("Long-run day: lift at least 6 hours after the run.")
    if nxt in week.long_days or nxt == ctx.race_date:
        penalty += 10
        what = "race" if nxt == ctx.race_date else "long run"
        notes.append(f"The day before your {what}: keep it light.")
    if day in week.hard_days:
        penalty += 4
        notes.append("Hard run today: run first and lift at least 6 hours later (Doma 2013).")
    if (day - timedelta(days=1)) in week.long_days:
        penalty += 2
    return penalty, notes


def _choose_days(ctx: PlanContext, week: _Week, days: Sequence[date], n: int) -> list[date]:
    open_days = [d for d in days if d >= ctx.as_of and not _race_blocked(d, ctx.race_date)]
    # The runner's training days; only when none is left does another day stand in.
    candidates = [d for d in open_days if d.weekday() in ctx.available_days] or open_days
    # Away from the long run (that day and the day before) and the race, unless nothing else.
    avoid = week.long_days | {d - timedelta(days=1) for d in week.long_days}
    if ctx.race_date is not None:
        avoid |= {ctx.race_date, ctx.race_date - timedelta(days=1)}
    candidates = [d for d in candidates if d not in avoid] or candidates
    scores = {d: _day_penalty(d, ctx, week)[0] for d in candidates}
    for k in range(min(n, len(candidates)), 0, -1):
        # Sessions at least 48 h apart; fewer sessions rather than two back to back.
        combos = [
            c
            for c in combinations(candidates, k)
            if all((b - a).days >= 2 for a, b in zip(c, c[1:], strict=False))
        ]
        if combos:
            return list(min(combos, key=lambda c: (sum(scores[d] for d in c), c)))
    return []


# --- progression from logs --------------------------------------------------------------------


def progression_level(logs: Sequence[SessionLog], as_of: date) -> tuple[int, int, int]:
    """(level -2..+2, sessions done, sessions skipped) from the last 6 weeks of logs."""
    recent = sorted(
        (log for log in logs if as_of - timedelta(days=42) <= log.day < as_of),
        key=lambda log: log.day,
    )
    level = 0
    for log in recent:
        level = min(level + 1, 2) if log.done else max(level - 1, -2)
    if recent and (as_of - recent[-1].day).days > 21:
        level = min(level, 0)  # three weeks off: start again from the base dose
    done = sum(1 for log in recent if log.done)
    return level, done, len(recent) - done


def _nordic_sessions_done(logs: Sequence[SessionLog], before: date) -> int:
    return sum(
        1
        for log in logs
        if log.done and log.day < before and "Nordic hamstring curl" in log.exercise_names()
    )


# --- doses ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dose:
    sets: int
    amount: int  # reps or seconds
    rest_s: int
    sets_range: tuple[int, int]
    amount_range: tuple[int, int]


# role -> focus -> (sets, reps-or-seconds, rest) and the ranges progression may move within.
_DOSES: dict[str, dict[str, tuple[int, int, int]]] = {
    "heavy_lift": {"endurance": (3, 6, 150), "general": (3, 5, 180), "speed": (4, 4, 180)},
    "moderate_lift": {"endurance": (3, 10, 90), "general": (3, 8, 90), "speed": (3, 6, 120)},
    "hold": {"endurance": (3, 45, 60), "general": (3, 40, 60), "speed": (3, 30, 60)},
    "tibialis": {"endurance": (2, 20, 45), "general": (2, 15, 45), "speed": (2, 15, 45)},
    "hip_abduction": {"endurance": (3, 12, 45), "general": (2, 12, 45), "speed": (2, 10, 45)},
    "core": {"endurance": (3, 40, 45), "general": (3, 30, 45), "speed": (2, 30, 45)},
    "core_reps": {"endurance": (3, 10, 45), "general": (3, 8, 45), "speed": (2, 8, 45)},
    "upper": {"endurance": (2, 12, 75), "general": (3, 10, 75), "speed": (3, 8, 90)},
    "balance": {"endurance": (3, 30, 30), "general": (2, 30, 30), "speed": (2, 30, 30)},
    "balance_reps": {"endurance": (3, 8, 30), "general": (2, 8, 30), "speed": (2, 8, 30)},
}
_RANGES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "heavy_lift": ((3, 5), (3, 6)),
    "moderate_lift": ((2, 4), (6, 12)),
    "hold": ((2, 4), (20, 60)),
    "tibialis": ((2, 3), (15, 25)),
    "hip_abduction": ((2, 3), (10, 15)),
    "core": ((2, 3), (20, 45)),
    "core_reps": ((2, 3), (6, 12)),
    "upper": ((2, 3), (8, 12)),
    "balance": ((2, 3), (20, 45)),
    "balance_reps": ((2, 3), (6, 10)),
}
# Plyometric contacts per session by focus: (exercises, sets, contacts per set) [A].
_PLYO: dict[str, tuple[int, int, int]] = {
    "endurance": (1, 2, 20),
    "general": (2, 3, 10),
    "speed": (3, 3, 11),
}
# Nordic progression by sessions already done (Petersen 2011 style): (sets, reps).
_NORDIC_STEPS: tuple[tuple[int, int], ...] = ((2, 5), (2, 6), (3, 6), (3, 8), (3, 10))


def _dose(role: str, focus: str, level: int) -> _Dose:
    sets, amount, rest = _DOSES[role][focus]
    (s_lo, s_hi), (a_lo, a_hi) = _RANGES[role]
    # Heavy lifts progress by weight (see weight_step) and sets, not by reps.
    step = 0 if role == "heavy_lift" else (5 if a_hi > 25 else 2)
    if level >= 2:
        sets += 1
    elif level <= -1:
        sets -= 1
    amount += level * step
    return _Dose(
        sets=min(max(sets, s_lo), s_hi),
        amount=min(max(amount, a_lo), a_hi),
        rest_s=rest,
        sets_range=(s_lo, s_hi),
        amount_range=(a_lo, a_hi),
    )


def _rest(seconds: int) -> str:
    if seconds >= 120:
        return f"rest {seconds / 60:g} min"
    return f"rest {seconds} s"


# --- picking exercises ------------------------------------------------------------------------


def _pick(purpose: str, equipment: Sequence[str], prefer: Sequence[str] = ()) -> Exercise:
    """The most suitable exercise for `purpose`: preferred load types first, then file order."""
    options = catalogue.for_purpose(purpose, equipment)
    if not options:
        raise ValueError(f"the catalogue has no {purpose} exercise for equipment {equipment}")

    def rank(e: Exercise) -> int:
        return prefer.index(e.load_type) if e.load_type in prefer else len(prefer)

    return min(options, key=lambda e: (rank(e), options.index(e)))


def _has_weights(exercise: Exercise, equipment: Sequence[str]) -> bool:
    have = catalogue.normalise_equipment(equipment)
    return any(q in have for q in exercise.equipment if q in ("dumbbells", "kettlebell", "gym"))


# --- the session ------------------------------------------------------------------------------


@dataclass
class _SessionBuilder:
    ctx: PlanContext
    week: _Week
    day: date
    state: StateLike
    level: int
    done: int
    skipped: int
    taper_days: int | None  # days to the race when within the 14-day taper, else None
    items: list[Prescription] = field(default_factory=list)

    @property
    def focus(self) -> str:
        return self.ctx.focus

    def dn(self, muscle: str) -> float:
        return _muscle(self.state, muscle)[2]

    def add(
        self,
        exercise: Exercise,
        dose: _Dose,
        load: str,
        why: str,
        *,
        progressed: bool = True,
    ) -> None:
        sets = dose.sets
        if progressed and self.level:
            why += self._progress_clause()
        if self.taper_days is not None:
            sets = max(1, sets // 2)  # half, rounded down: volume goes, load stays
            why += f" Race in {_days(self.taper_days)}: half the usual sets."
        self.items.append(
            Prescription(
                name=exercise.name,
                category=exercise.category,
                muscles=exercise.muscles,
                sets=sets,
                amount=dose.amount,
                dose=exercise.dose,
                load=load,
                why=why,
                purpose=exercise.purpose,
            )
        )

    def weight_step(self) -> str:
        """How the weight moves from last time, for lifts with weights."""
        if self.level > 0:
            return ", 2.5-5 % more than last time"
        if self.level < 0:
            return ", about 10 % lighter than last time"
        return ""

    def _progress_clause(self) -> str:
        if self.level > 0:
            return f" Up a step: you logged {self.done} recent session(s) as done."
        return f" Eased back: {self.skipped} recent session(s) skipped."

    def role_dose(self, role: str, exercise: Exercise) -> _Dose:
        if exercise.dose == "reps" and role in ("core", "balance", "hold"):
            role = "balance_reps" if role == "balance" else "core_reps"
        return _dose(role, self.focus, self.level)


def _leg_block(b: _SessionBuilder) -> tuple[str, str]:
    """The leg block for the session day and the plain reason for it."""
    ctx, week, day = b.ctx, b.week, b.day
    q, g = b.dn("quadriceps"), b.dn("glute_max")
    if q >= ISOMETRIC_FROM:
        loss_day = _recent_descent(week, day)
        if loss_day is not None:
            d, loss = loss_day
            cause = f"from {_weekday(d)}'s {loss:.0f} m descent (damage {q:.2f})"
        else:
            cause = f"(damage {q:.2f}, where 1.0 is the peak after a hard 30-min descent)"
        if q >= NO_LEGS_FROM:
            block = "none"
            reason = f"Your quads are still very sore {cause}: no leg work this session."
        else:
            block = "isometric"
            reason = (
                f"Your quads are still recovering {cause}: holds only, no heavy lifting or jumps."
            )
    elif q >= HEAVY_BELOW or g >= HEAVY_BELOW:
        block = "moderate"
        reason = (
            f"Your quads and glutes are part-way recovered (damage {q:.2f} and {g:.2f}): "
            "moderate weight at RPE 7 at most, no jumps."
        )
    else:
        block = "heavy"
        reason = (
            f"Your quads and glutes carry little damage ({q:.2f} and {g:.2f}), so this session "
            "can be heavy: heavy lifting improves running economy (Blagrove 2018)."
        )

    race = ctx.race_date
    if race is not None:
        to_race = (race - day).days
        since_race = (day - race).days
        if 0 <= to_race <= 3 and block != "none":
            block, reason = "none", f"Race in {_days(to_race)}: no leg work, keep the legs fresh."
        elif 0 <= to_race < 7 and block == "heavy":
            block = "moderate"
            reason = (
                f"Race in {_days(to_race)}: the last heavy leg session is 7-10 days out, "
                "so moderate weight only."
            )
        elif 0 < since_race <= 3 and LEG_BLOCKS.index(block) < LEG_BLOCKS.index("isometric"):
            block = "isometric"
            reason = f"Your race was {_days(since_race)} ago: holds only while the legs recover."

    if block == "heavy":
        soon = sorted(
            d
            for d in (day + timedelta(days=1), day + timedelta(days=2))
            if d in week.long_days or d == race
        )
        descent = _recent_descent(week, day, within=1, at_least=LONG_DESCENT_M)
        if soon:
            what = "race" if soon[0] == race else "long run"
            block = "moderate"
            reason = (
                f"Your {what} is on {_weekday(soon[0])}: no heavy legs within 48 h before it "
                "(heavy lifting raises the cost of running for up to 48 h), so moderate weight."
            )
        elif descent is not None:
            d, loss = descent
            block = "moderate"
            reason = (
                f"You ran a {loss:.0f} m descent on {_weekday(d)}: no heavy legs right after "
                "it, so moderate weight."
            )
    return block, reason


def _recent_descent(
    week: _Week, day: date, within: int = 4, at_least: float = 150.0
) -> tuple[date, float] | None:
    """The biggest descent of `at_least` metres in the `within` days up to and including `day`."""
    found = [
        (loss, d)
        for d, loss in week.descents.items()
        if 0 <= (day - d).days <= within and loss >= at_least
    ]
    if not found:
        return None
    loss, d = max(found)
    return d, loss


def _calf_emphasis(week: _Week) -> tuple[bool, str]:
    """Whether calf load is high (drop heavy calf raises, more tibialis) and the reason."""
    c_acute, c_chronic = week.acute.get("calves", 0.0), week.chronic.get("calves", 0.0)
    vs_quads = _ratio(c_chronic, week.chronic.get("quadriceps", 0.0))
    spike = _ratio(c_acute, c_chronic)
    if vs_quads is not None and vs_quads >= CALF_QUAD_HIGH:
        return True, (
            f"over six weeks your calves took {vs_quads:.1f}x the load of your quads "
            "(much uphill running)"
        )
    # A spike means something only once there is a chronic level to compare with.
    if spike is not None and spike >= CALF_SPIKE and week.history_days >= 28:
        return True, f"your calves' load this week is {spike:.1f}x their usual level"
    return False, ""


def _add_leg_block(b: _SessionBuilder, block: str, block_reason: str, calf_high: bool) -> None:
    eq, focus = b.ctx.equipment, b.focus
    week = b.week
    if block == "none":
        return
    if block == "isometric":
        knee = _pick("knee_isometric", eq)
        b.add(
            knee,
            b.role_dose("hold", knee),
            "bodyweight, about 70 % effort; rest 1 min",
            block_reason,
            progressed=False,
        )
        if b.dn("calves") < ISOMETRIC_FROM:
            calf = _pick("calf_isometric", eq)
            b.add(
                calf,
                b.role_dose("hold", calf),
                "bodyweight; rest 1 min",
                f"Calf damage is {b.dn('calves'):.2f}: a hold keeps calves and Achilles loaded "
                "without adding soreness.",
                progressed=False,
            )
        return

    heavy = block == "heavy"
    role = "heavy_lift" if heavy else "moderate_lift"
    prefer = ("heavy", "moderate") if heavy else ("moderate", "bodyweight", "heavy")

    def lift_load(ex: Exercise, dose: _Dose) -> str:
        if not heavy:
            return f"moderate: RPE 7, 3 reps in reserve{b.weight_step()}; {_rest(dose.rest_s)}"
        if _has_weights(ex, eq):
            return (
                f"heavy: about 80-85 % of 1RM ({dose.amount + 1}-rep max){b.weight_step()}; "
                f"{_rest(dose.rest_s)}"
            )
        return f"bodyweight or a loaded backpack so the last rep is hard; {_rest(dose.rest_s)}"

    hip_share = week.share("glute_max") + week.share("hamstrings")
    damage = f"Hamstring and glute damage is {b.dn('hamstrings'):.2f} and {b.dn('glute_max'):.2f}"
    lifts = [
        ("knee_dominant", block_reason),
        (
            "hip_extension",
            f"{damage}; {hip_share:.0f} % of your leg load this week was hip drive, which this "
            "lift builds."
            if week.loaded
            else f"{damage}: a hinge builds the hip drive that pushes you up hills.",
        ),
    ]
    if not calf_high:
        lifts.append(
            (
                "calf",
                f"Your calves carried {week.share('calves'):.0f} % of your leg load in "
                f"{week.running()}: strong calves and Achilles take it better."
                if week.loaded
                else "Calves do more of the work than any other leg muscle when you run: "
                "strong calves and Achilles take it better.",
            )
        )
    for purpose, why in lifts:
        ex = _pick(purpose, eq, prefer)
        dose = b.role_dose(role, ex)
        b.add(ex, dose, lift_load(ex, dose), why)

    if heavy:
        n_ex, sets, per_set = _PLYO[focus]
        options = catalogue.for_purpose("plyometric", eq)
        chosen = options[:n_ex]
        contacts = sum(sets * per_set for _ in chosen)
        for ex in chosen:
            dose = _Dose(sets, per_set, 90, (1, 4), (per_set, per_set))
            b.add(
                ex,
                dose,
                "bodyweight, quick light contacts; rest 90 s",
                f"Fresh legs (quad damage {b.dn('quadriceps'):.2f}) and a {focus} focus: "
                f"{sets * per_set} of the session's {contacts} contacts ({ex.pattern}) train the "
                "springy stride that saves energy.",
                progressed=False,
            )


def _nordic_allowed(b: _SessionBuilder, block: str) -> tuple[bool, str]:
    ctx, week, day = b.ctx, b.week, b.day
    h = b.dn("hamstrings")
    if block not in ("heavy", "moderate") or h >= NORDIC_BELOW:
        return False, ""
    fast = sorted(
        d
        for d in (day + timedelta(days=k) for k in range(-1, 3))
        if d in week.hard_days or d == ctx.race_date
    )
    if fast:
        return False, ""
    if ctx.race_date is not None and 0 <= (ctx.race_date - day).days <= 10:
        # No new exercises in the final 10 days before a race.
        if _nordic_sessions_done(ctx.logs, day) == 0:
            return False, ""
    return True, (
        f"Hamstring damage is {h:.2f} and no fast run within 48 h: Nordic curls about halve "
        "hamstring injuries (van Dyk 2019)"
    )


def _add_nordic(b: _SessionBuilder, reason: str) -> None:
    done_before = _nordic_sessions_done(b.ctx.logs, b.day)
    sets, reps = _NORDIC_STEPS[min(done_before, len(_NORDIC_STEPS) - 1)]
    ex = _pick("hamstring_eccentric", b.ctx.equipment)
    dose = _Dose(sets, reps, 120, (2, 3), (5, 10))
    step = f"; step {min(done_before, len(_NORDIC_STEPS) - 1) + 1} of the build-up."
    b.add(
        ex,
        dose,
        "bodyweight, lower as slowly as you can; rest 2 min",
        reason + step,
        progressed=False,
    )


def _add_eccentric_dose(b: _SessionBuilder, block: str) -> None:
    """Hilly race 1-6 weeks away and little recent downhill: slow step-downs (Bontemps 2020)."""
    race = b.ctx.race_date
    if not b.ctx.race_hilly or race is None or block != "heavy":
        return
    weeks = (race - b.day).days / 7
    quads = b.state.muscles.get("quadriceps") if b.state is not None else None
    protection = float(getattr(quads, "protection", 0.0) or 0.0)
    if not 1 <= weeks <= 6 or protection >= PROTECTED_FROM:
        return
    ex = _pick("quad_eccentric", b.ctx.equipment)
    b.add(
        ex,
        _Dose(2, 8, 60, (2, 3), (6, 10)),
        "bodyweight, 3 s down each rep; rest 1 min",
        f"Your hilly race is {weeks:.0f} weeks away and your quads have little recent downhill "
        f"(protection {protection:.2f}): a small eccentric dose now softens race-day damage "
        "(repeated-bout effect).",
        progressed=False,
    )


def _add_always(b: _SessionBuilder, calf_high: bool, calf_reason: str) -> None:
    eq, week = b.ctx.equipment, b.week
    c_acute = week.acute.get("calves", 0.0)
    tib_ratio = _ratio(c_acute, week.acute.get("tibialis_anterior", 0.0))

    tib = _pick("tibialis", eq)
    dose = b.role_dose("tibialis", tib)
    if calf_high:
        dose = replace(dose, sets=dose.sets_range[1], amount=min(dose.amount + 5, 25))
        shins = (
            f"your calves took {tib_ratio:.1f}x the load of your shins this week; "
            if (tib_ratio is not None)
            else ""
        )
        why = f"Extra shin work instead of heavy calf raises: {shins}{calf_reason}."
    elif tib_ratio is not None:
        why = (
            f"Your calves took {tib_ratio:.1f}x the load of your shins in {week.running()}; "
            "tibialis raises train the muscle that lifts and lowers the foot on every stride."
        )
    else:
        why = (
            f"With {week.running()}, tibialis raises keep the shins ready: running loads the "
            "calves many times more than the front of the shin."
        )
    b.add(tib, dose, "bodyweight, slow on the way down; rest 45 s", why)

    abd = _pick("hip_abduction", eq)
    dose = b.role_dose("hip_abduction", abd)
    if week.steps:
        why = (
            f"Your glute med steadied the pelvis on about {week.steps:,} steps in the past 7 "
            f"days ({week.km:.1f} km); side-lying abduction works it near its maximum "
            "(MacAskill 2014)."
        )
    else:
        why = (
            f"With {week.running()}, hip abduction keeps the glute med that steadies the pelvis "
            "on every stride strong (MacAskill 2014)."
        )
    b.add(abd, dose, "bodyweight; add a band or ankle weight when 15 are easy; rest 45 s", why)

    longest = max((r.distance_m for r in week.runs_7d), default=0.0)
    side_share = week.share("glute_med") + week.share("adductors")
    core_why = {
        "core_anti_extension": (
            f"Your longest run in the past 7 days was {_km(longest)}: a steady trunk keeps the "
            "stride efficient late in a run."
            if longest
            else "No runs in the past 7 days: a steady trunk keeps the stride efficient when you "
            "are back."
        ),
        "core_anti_rotation": (
            f"Each of your ~{week.steps:,} steps this week twisted the trunk a little; this "
            "trains it to resist the rotation."
            if week.steps
            else "Anti-rotation work for the trunk, which running normally trains with every "
            "stride (no runs in the past 7 days)."
        ),
        "core_lateral": (
            f"Glute med and adductors carried {side_share:.0f} % of your leg load this week; "
            "side planks train the side chain that keeps the hips level."
            if week.loaded
            else "Side planks train the side chain that keeps the hips level on every stride "
            "(no running load in the past 7 days)."
        ),
    }
    for purpose in ("core_anti_extension", "core_anti_rotation", "core_lateral"):
        ex = _pick(purpose, eq, ("isometric",))
        dose = b.role_dose("core", ex)
        load = "bodyweight" if "none" in ex.equipment else "a band or cable you can just hold"
        b.add(ex, dose, f"{load}; {_rest(dose.rest_s)}", core_why[purpose])

    hours = sum(r.moving_time_s for r in week.runs_7d) / 3600
    upper_why = {
        "upper_push": (
            f"{week.running().capitalize()} gave your upper body almost nothing to do (arms do "
            "under 1 % of running work): one push exercise keeps it strong."
            if week.runs_7d
            else "Running gives the upper body almost nothing to do (arms do under 1 % of its "
            "work), and there were no runs in the past 7 days: one push exercise keeps it strong."
        ),
        "upper_pull": (
            f"Pulling offsets {hours:.1f} h of running posture in the past 7 days and powers "
            "the arm swing."
            if hours
            else "Pulling keeps the upper back and arm swing strong; running (none in the past "
            "7 days) trains neither."
        ),
    }
    for purpose in ("upper_push", "upper_pull"):
        ex = _pick(purpose, eq, ("moderate", "heavy", "bodyweight"))
        dose = b.role_dose("upper", ex)
        load = (
            "bodyweight" if ex.load_type == "bodyweight" else f"moderate: RPE 7-8{b.weight_step()}"
        )
        b.add(ex, dose, f"{load}; {_rest(dose.rest_s)}", upper_why[purpose])

    bal = _pick("balance", eq)
    dose = b.role_dose("balance", bal)
    why = (
        f"Every one of your ~{week.steps:,} steps this week landed on one leg; balancing while "
        "the free leg swings like a stride trains that exact position."
        if week.steps
        else "Running is a series of single-leg landings; balancing while the free leg swings "
        "like a stride trains that position (no runs in the past 7 days)."
    )
    b.add(bal, dose, "bodyweight, each leg; rest 30 s", why)


def _order(items: Sequence[Prescription]) -> tuple[Prescription, ...]:
    """Explosive first, then heavy legs, Nordic, antagonists, upper body, core, balance."""
    rank = {
        "plyometric": 0,
        "legs": 1,
        "antagonist": 2,
        "upper_push": 3,
        "upper_pull": 4,
        "core": 5,
        "balance": 6,
    }
    return tuple(sorted(items, key=lambda p: rank[p.category]))


def _session(
    ctx: PlanContext,
    week: _Week,
    day: date,
    nordic_left: bool,
    level: tuple[int, int, int],
    primer: bool = False,
) -> Session:
    state = ctx.states.get(day, ctx.state)
    race = ctx.race_date
    to_race = (race - day).days if race is not None else None
    taper_days = to_race if to_race is not None and 0 <= to_race <= 14 else None
    b = _SessionBuilder(ctx, week, day, state, *level, taper_days=taper_days)
    block, block_reason = _leg_block(b)
    calf_high, calf_reason = _calf_emphasis(week)
    _add_leg_block(b, block, block_reason, calf_high)
    if nordic_left:
        allowed, reason = _nordic_allowed(b, block)
        if allowed:
            _add_nordic(b, reason)
    _add_eccentric_dose(b, block)
    _add_always(b, calf_high, calf_reason)
    items = list(b.items)
    if primer:
        items = [replace(p, sets=1) for p in items]
    notes = tuple(_day_penalty(day, ctx, week)[1])
    if block == "none":
        notes += (block_reason,)
    return Session(day=day, leg_block=block, exercises=_order(items), notes=notes)


def _check(ctx: PlanContext) -> None:
    if ctx.focus not in FOCUSES:
        raise ValueError(f"unknown focus {ctx.focus!r}: use one of {', '.join(FOCUSES)}")
    catalogue.normalise_equipment(ctx.equipment)  # raises on unknown equipment
    for wd in list(ctx.available_days) + [ctx.week_start] + [ctx.long_run_day or 0]:
        if not 0 <= int(wd) <= 6:
            raise ValueError(f"weekday {wd!r} out of range: use 0 (Monday) to 6 (Sunday)")


def recommend(ctx: PlanContext) -> Plan:
    """This week's strength sessions for the runner (deterministic for the same input)."""
    _check(ctx)
    days = week_days(ctx.as_of, ctx.week_start)
    week = _describe_week(ctx, days)
    phase = phase_for(ctx.as_of, ctx.race_date)
    wanted = 1 if phase in ("taper", "race_week") else 2
    chosen = _choose_days(ctx, week, days, wanted)
    notes: list[str] = []
    primer = False
    if not chosen:
        # Every remaining day is within 2 days of the race: one short primer, 1 set each.
        chosen, primer = [ctx.as_of], True
        notes.append("Race within 2 days: a short primer only, one set of each.")
    if phase != "build":
        notes.append(f"{phase.replace('_', ' ').capitalize()}: one session this week.")
    if week.long_weekday is not None and week.long_weekday_source == "typical":
        notes.append(f"Your long run is usually on {WEEKDAYS[week.long_weekday]}.")
    level = progression_level(ctx.logs, ctx.as_of)
    sessions = []
    nordic_left = True
    for day in chosen:
        s = _session(ctx, week, day, nordic_left, level, primer)
        if any(p.purpose == "hamstring_eccentric" for p in s.exercises):
            nordic_left = False
        sessions.append(s)
    return Plan(
        week=week_label(ctx.as_of, ctx.week_start),
        phase=phase,
        focus=ctx.focus,
        equipment=tuple(sorted(catalogue.normalise_equipment(ctx.equipment))),
        sessions=tuple(sessions),
        notes=tuple(notes),
    )


# --- swapping an exercise ---------------------------------------------------------------------

_DEFAULT_AMOUNT = {"reps": 10, "seconds": 30}


def swap(plan: Plan, day: date, name: str, replacement: str, equipment: Sequence[str]) -> Plan:
    """The plan with exercise `name` on `day` replaced by `replacement`, which must be one of
    `catalogue.alternatives(name, equipment)`; sets, load and reason carry over."""
    new = catalogue.get(replacement)
    if new.name not in {e.name for e in catalogue.alternatives(name, equipment)}:
        raise ValueError(f"{new.name} cannot stand in for {name} with your equipment")
    sessions = list(plan.sessions)
    for i, s in enumerate(sessions):
        if s.day != day:
            continue
        for j, p in enumerate(s.exercises):
            if p.name.lower() != name.strip().lower():
                continue
            amount = p.amount if new.dose == p.dose else _DEFAULT_AMOUNT[new.dose]
            items = list(s.exercises)
            items[j] = replace(
                p,
                name=new.name,
                category=new.category,
                muscles=new.muscles,
                dose=new.dose,
                amount=amount,
                why=f"{p.why} (In place of {p.name}.)",
            )
            sessions[i] = replace(s, exercises=tuple(items))
            return replace(plan, sessions=tuple(sessions))
    raise KeyError(f"no {name} on {day.isoformat()} in this plan")


# --- strength sessions as load for the engine --------------------------------------------------

# Load per working set on the primary / secondary muscles, by load type, in the engine's units
# (1 km of flat running at 3 m/s = 100 over all leg muscles) [A].
_SET_LOAD: dict[str, float] = {
    "heavy": 10.0,
    "plyometric": 8.0,
    "moderate": 7.0,
    "bodyweight": 4.0,
    "isometric": 3.0,
}
_SECONDARY_SHARE = 0.3
# Share of that load that counts as eccentric damage input: eccentric-biased exercises most.
_DAMAGE_SHARE: dict[str, float] = {"hamstring_eccentric": 0.5, "quad_eccentric": 0.5}
_DAMAGE_BY_TYPE: dict[str, float] = {"heavy": 0.15, "plyometric": 0.15}
SESSION_DURATION_S = 45 * 60.0


def session_muscle_load(log: SessionLog) -> dict[str, tuple[float, float]]:
    """Per-muscle (total, damage) that a logged strength session put on the muscles.

    Skipped sessions load nothing; exercise names not in the catalogue are ignored.
    """
    if not log.done:
        return {}
    loads: dict[str, list[float]] = {}
    for item in log.exercises:
        name = item["name"] if isinstance(item, Mapping) else str(item)
        ex = catalogue.find(name)
        if ex is None:
            continue
        sets = int(item.get("sets", 2)) if isinstance(item, Mapping) else 2
        per_set = _SET_LOAD[ex.load_type]
        dmg_share = _DAMAGE_SHARE.get(ex.purpose, _DAMAGE_BY_TYPE.get(ex.load_type, 0.0))
        for muscles, share in ((ex.primary, 1.0), (ex.secondary, _SECONDARY_SHARE)):
            for m in muscles:
                total = sets * per_set * share
                acc = loads.setdefault(m, [0.0, 0.0])
                acc[0] += total
                acc[1] += total * dmg_share
    return {m: (round(t, 3), round(d, 3)) for m, (t, d) in sorted(loads.items())}


def session_start(log: SessionLog, tz: tzinfo | None = None) -> datetime:
    """When a logged session is taken to have happened: 18:00 on its day [A]."""
    return datetime.combine(log.day, time(18, 0), tzinfo=tz or UTC)


def log_record(log: SessionLog, tz: tzinfo | None = None) -> LoadRecord:
    """A logged strength session as a LoadRecord for engine.state (skipped: an empty one)."""
    return LoadRecord(
        start_time=session_start(log, tz),
        duration_s=SESSION_DURATION_S if log.done else 0.0,
        muscles=session_muscle_load(log),
        systemic_load=0.0,
    )


def state_moment(day: date, tz: tzinfo | None = None) -> datetime:
    """The moment a day's plan reads the state at: noon of that day [A]."""
    return datetime.combine(day, time(12, 0), tzinfo=tz or UTC)


def build_context(
    records: Sequence[LoadRecord],
    runs: Sequence[RunSummary],
    as_of: date,
    *,
    logs: Sequence[SessionLog] = (),
    tz: tzinfo | None = None,
    **settings: Any,
) -> PlanContext:
    """A PlanContext with the real per-muscle state: at noon of `as_of` and of each later day
    of the week, from the activities' records plus the logged strength sessions.

    `settings` are PlanContext's: race_date, focus, equipment, available_days, long_run_day,
    week_start.
    """
    everything = list(records) + [log_record(log, tz) for log in logs if log.done]
    days = [d for d in week_days(as_of, settings.get("week_start", 0)) if d >= as_of]
    states = {d: compute_state(everything, state_moment(d, tz)) for d in days}
    return PlanContext(
        as_of=as_of,
        state=states[as_of],
        recent=tuple(runs),
        logs=tuple(logs),
        states=states,
        **settings,
    )
