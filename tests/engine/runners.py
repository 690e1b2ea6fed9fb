"""Simulated runners' histories for the plan tests: each run as the engine's LoadRecord (from
the real stimulus model) and the planner's RunSummary.

jogger (3 runs a week), regular (5 a week), hill runner (6 a week with 300-900 m of climbing),
marathoner (long run on Sunday, 18 km at race pace on Thursday), sprinter (10 x 200 m), beginner
(run/walk, 6 km a week) and returning runner (three weeks off, back for a week).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from engine.plan import RunSummary, build_context, infer_profile
from engine.state import LoadRecord
from engine.stimulus import steady_stimulus

MONDAY = date(2026, 11, 23)
Run = tuple[list[LoadRecord], RunSummary]


def run(day: date, speed: float, minutes: float, *, climb: float = 0.0, fast_m: float = 0.0) -> Run:
    """A run of `minutes` at `speed` m/s; with `climb` metres, half of it up and half down."""
    start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    duration = minutes * 60
    distance = speed * duration
    records = []
    if climb:
        grade = climb / (distance / 2)
        for k, g in enumerate((grade, -grade)):
            stim = steady_stimulus(speed, g, duration / 2)
            at = start + timedelta(seconds=k * duration / 2)
            records.append(LoadRecord.from_stimulus(at, duration / 2, stim.to_dict()))
    else:
        stim = steady_stimulus(speed, 0.0, duration)
        records.append(LoadRecord.from_stimulus(start, duration, stim.to_dict()))
    summary = RunSummary.from_fields(
        start, distance, duration, climb, elevation_gain_m=climb, fast_m=fast_m
    )
    return records, summary


def sprint_session(day: date) -> Run:
    """2 km warm-up and cool-down, 10 x 200 m at 7 m/s with 200 m jogs."""
    records, summary = run(day, 2.8, 40)
    fast = steady_stimulus(7.0, 0.0, 10 * 200 / 7.0)
    start = datetime(day.year, day.month, day.day, 8, 20, tzinfo=UTC)
    records.append(LoadRecord.from_stimulus(start, 10 * 200 / 7.0, fast.to_dict()))
    summary = replace(summary, distance_m=summary.distance_m + 2000, fast_m=2000.0, is_hard=True)
    return records, summary


Week = Callable[[date], list[Run]]  # runs of the week that ends on the given Sunday


def weeks(pattern: Week, n: int = 6, end: date = MONDAY, skip: tuple[int, ...] = ()) -> list[Run]:
    """`n` weeks of `pattern`, the last one ending the day before `end`; weeks in `skip`
    (0 = the last) have no runs."""
    out: list[Run] = []
    for w in range(n):
        if w not in skip:
            out += pattern(end - timedelta(days=1 + 7 * w))
    return out


def jogger(sun: date) -> list[Run]:
    return [run(sun - timedelta(days=5), 2.8, 40), run(sun - timedelta(days=3), 2.8, 40)] + [
        run(sun, 2.8, 60)
    ]


def regular(sun: date) -> list[Run]:
    easy = [run(sun - timedelta(days=k), 3.0, 50) for k in (6, 4, 3, 1)]
    return easy + [run(sun, 3.0, 100)]


def hill_runner(sun: date) -> list[Run]:
    hills = [run(sun - timedelta(days=k), 2.6, 60, climb=350) for k in (6, 5, 3, 2, 1)]
    return hills + [run(sun, 2.4, 150, climb=1200)]


def marathoner(sun: date) -> list[Run]:
    easy = [run(sun - timedelta(days=k), 3.2, 50) for k in (6, 4, 1)]
    tempo = run(sun - timedelta(days=3), 4.2, 18_000 / 4.2 / 60)  # 18 km at race pace
    tempo = (tempo[0], replace(tempo[1], fast_m=18_000.0, is_hard=True))
    return easy + [tempo, run(sun, 3.2, 32_000 / 3.2 / 60)]  # 32 km long run


def sprinter(sun: date) -> list[Run]:
    easy = [run(sun - timedelta(days=k), 3.0, 35) for k in (6, 1)]
    return easy + [sprint_session(sun - timedelta(days=4)), run(sun, 3.0, 50)]


def beginner(sun: date) -> list[Run]:
    return [run(sun - timedelta(days=k), 2.2, 15) for k in (5, 3, 0)]  # 3 x 2 km run/walk


RUNNERS: dict[str, list[Run]] = {
    "jogger": weeks(jogger),
    "regular": weeks(regular),
    "hill_runner": weeks(hill_runner),
    "marathoner": weeks(marathoner),
    "sprinter": weeks(sprinter),
    "beginner": weeks(beginner),
    "returning": weeks(jogger, 8, skip=(1, 2, 3)),  # three weeks off, back for the last week
}


def plan_context(history: list[Run], as_of: date = MONDAY, given=None, **settings):
    """build_context for `history`, with the profile inferred from its runs (body mass 70 kg
    and dumbbells unless `given` says otherwise)."""
    records = [r for recs, _ in history for r in recs]
    runs = [s for _, s in history]
    given = {"body_mass_kg": 70.0, "equipment": ("dumbbells",), **(given or {})}
    profile = infer_profile(runs, as_of, logs=settings.get("logs", ()), given=given)
    return build_context(records, runs, as_of, profile=profile, **settings)
