"""The week: its days and label, the race phase, what recent running looks like (`Week`:
long-run day, hard days, descents) and which days get a strength session.

Thresholds marked [A] are assumptions, as in the model doc (section 2.5).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from engine.muscles import LEG_MUSCLES
from engine.plan.context import PlanContext, RunSummary, muscle_values
from engine.plan.reasons import climb_text, distance_text, weekday_name

STEPS_PER_MIN = 170  # to turn running time into a step count for the reasons [A]
NORDIC_COST = 2  # a week whose days cannot take the Nordic curls (fast runs too close) [A]


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


# --- what the week looks like -----------------------------------------------------------------


@dataclass(frozen=True)
class Week:
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
    units: str = "km"
    # day -> distance (m) of a past race effort that day (gates.race_effort): the runner's race,
    # a run the structure calls a race, or one of marathon length
    race_days: dict[date, float] = field(default_factory=dict)

    def distance(self, metres: float) -> str:
        return distance_text(metres, self.units)

    def climb(self, metres: float) -> str:
        return climb_text(metres, self.units)

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
        total = self.distance(self.km * 1000)
        return f"your {n} run{'s' if n > 1 else ''} ({total}) of the past 7 days"


def typical_weekday(runs: Sequence[RunSummary], as_of: date, flag: str, days: int) -> list[int]:
    """Weekdays on which runs with `flag` happened at least twice in the last `days` days."""
    since = as_of - timedelta(days=days)
    counts = Counter(r.day.weekday() for r in runs if getattr(r, flag) and since <= r.day < as_of)
    return sorted(wd for wd, n in counts.items() if n >= 2)


def weekly_longest(runs: Sequence[RunSummary], as_of: date, weeks: int = 6) -> list[RunSummary]:
    """The longest run of each of the last `weeks` 7-day windows before `as_of` that has a
    long run: longest by time or by distance (whichever is nearer that week's top), never the
    fastest."""
    out = []
    for w in range(weeks):
        end = as_of - timedelta(days=7 * w)
        week = [r for r in runs if end - timedelta(days=7) <= r.day < end]
        if not any(r.is_long for r in week):
            continue
        t_max = max(r.moving_time_s for r in week) or 1.0
        d_max = max(r.distance_m for r in week) or 1.0
        out.append(
            max(week, key=lambda r: (max(r.moving_time_s / t_max, r.distance_m / d_max), r.day))
        )
    return out


def long_run_weekday(runs: Sequence[RunSummary], as_of: date) -> int | None:
    """The weekday of the usual long run: where the week's longest run fell at least twice in
    six weeks (a tie goes to the longer runs, then the earlier weekday)."""
    longest = weekly_longest(runs, as_of)
    counts = Counter(r.day.weekday() for r in longest)
    typical = [wd for wd, n in counts.items() if n >= 2]
    if not typical:
        return None
    metres = {wd: sum(r.distance_m for r in longest if r.day.weekday() == wd) for wd in typical}
    return max(typical, key=lambda wd: (counts[wd], metres[wd], -wd))


def describe_week(ctx: PlanContext, days: Sequence[date]) -> Week:
    runs = sorted(ctx.recent, key=lambda r: (r.day, r.distance_m))
    as_of = ctx.as_of
    # A run recorded on the planning day has already happened: it counts.
    runs_7d = tuple(r for r in runs if as_of - timedelta(days=7) <= r.day <= as_of)
    acute = {m: muscle_values(ctx.state, m)[0] for m in LEG_MUSCLES}
    chronic = {m: muscle_values(ctx.state, m)[1] for m in LEG_MUSCLES}

    if ctx.long_run_day is not None:
        long_wd, source = ctx.long_run_day, "setting"
    else:
        long_wd = long_run_weekday(runs, as_of)
        source = "typical" if long_wd is not None else "none"
    hard_wds = set(typical_weekday(runs, as_of, "is_hard", 28))

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
    # This week's long run is done when a run this week, before today, was as long as the usual
    # long run (a long tempo run midweek is not it).
    usual = [r.distance_m for r in weekly_longest(runs, as_of)]
    bar = 0.8 * sorted(usual)[len(usual) // 2] if usual else 0.0
    week_has_long = any(
        r.is_long and r.distance_m >= bar and days[0] <= r.day < as_of for r in runs
    )
    for d in days:
        if d < as_of:
            continue
        if long_wd is not None and d.weekday() == long_wd and not week_has_long:
            long_days.add(d)
        if d.weekday() in hard_wds and d not in long_days:
            hard_days.add(d)
    return Week(
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
        units=ctx.units,
        race_days=race_efforts(runs),
    )


# A run this long is a race-sized effort whether or not it was marked a race: a marathon's
# muscle damage and strength loss last days (Takayama 2017) [A].
RACE_EFFORT_M = 40_000.0


def race_efforts(runs: Sequence[RunSummary]) -> dict[date, float]:
    """Day -> distance (m) of the longest race effort that day: a run marked a race, one the
    structure calls a race, or one of RACE_EFFORT_M or more."""
    out: dict[date, float] = {}
    for r in runs:
        if r.is_race or r.run_type == "race" or r.distance_m >= RACE_EFFORT_M:
            out[r.day] = max(out.get(r.day, 0.0), r.distance_m)
    return out


# --- scheduling -------------------------------------------------------------------------------


def race_blocked(day: date, race: date | None) -> bool:
    """Upper body and core continue until 3 days before the race; nothing after that."""
    return race is not None and 0 <= (race - day).days <= 2


def day_penalty(day: date, ctx: PlanContext, week: Week) -> tuple[int, list[str]]:
    penalty, notes = 0, []
    nxt = day + timedelta(days=1)
    if day.weekday() not in ctx.available_days:
        penalty += 30
        notes.append(f"{weekday_name(day)} is not one of your training days, but none fits better.")
    if day in week.long_days:
        penalty += 12
        notes.append("Long-run day: lift at least 6 hours after the run.")
    if nxt in week.long_days or nxt == ctx.race_date:
        penalty += 10
        what = "race" if nxt == ctx.race_date else "long run"
        notes.append(f"The day before your {what}: keep it light.")
    if day in week.hard_days:
        penalty += 4
        # The 6 h gap between a hard run and lifting follows Doma 2013 [A].
        notes.append("Hard run today: run first and lift at least 6 hours later.")
    if (day - timedelta(days=1)) in week.long_days:
        penalty += 2
    return penalty, notes


def choose_days(
    ctx: PlanContext,
    week: Week,
    days: Sequence[date],
    n: int,
    block_cost: Callable[[date], int] | None = None,
    nordic_ok: Callable[[date], bool] | None = None,
) -> list[date]:
    """Up to `n` session days, 48 h apart: the runner's days, away from the long run and the
    race, with the least penalty; `block_cost(day)` adds the cost of a weaker leg block, so
    that of two otherwise equal days the one allowing the better leg session wins, and a week
    with no day that can take the Nordic curls (`nordic_ok`) costs NORDIC_COST."""
    open_days = [d for d in days if d >= ctx.as_of and not race_blocked(d, ctx.race_date)]
    # The runner's training days; only when none is left does another day stand in.
    candidates = [d for d in open_days if d.weekday() in ctx.available_days] or open_days
    # Away from the long run (that day and the day before) and the race, unless nothing else.
    avoid = week.long_days | {d - timedelta(days=1) for d in week.long_days}
    if ctx.race_date is not None:
        avoid |= {ctx.race_date, ctx.race_date - timedelta(days=1)}
    candidates = [d for d in candidates if d not in avoid] or candidates
    scores = {
        d: day_penalty(d, ctx, week)[0] + (block_cost(d) if block_cost else 0) for d in candidates
    }

    def no_nordic(c: Sequence[date]) -> int:
        """NORDIC_COST when none of the days can take the week's Nordic curls."""
        ok = nordic_ok is None or any(nordic_ok(d) for d in c)
        return 0 if ok else NORDIC_COST

    for k in range(min(n, len(candidates)), 0, -1):
        # Sessions at least 48 h apart; fewer sessions rather than two back to back.
        combos = [
            c
            for c in combinations(candidates, k)
            if all((b - a).days >= 2 for a, b in zip(c, c[1:], strict=False))
        ]
        if combos:
            return list(min(combos, key=lambda c: (sum(scores[d] for d in c) + no_nordic(c), c)))
    return []
