"""The one entry point: `recommend(PlanContext) -> Plan`, this week's strength sessions.

A pure function of its input: the per-muscle state from `engine.state`, the recent runs (as
`RunSummary`), the runner's settings and the logged strength sessions. Every prescribed
exercise carries a one-line reason citing the runner's own numbers.
"""

from __future__ import annotations

from engine import catalogue
from engine.plan.context import FOCUSES, WEEKDAYS, Plan, PlanContext
from engine.plan.dose import progression_level
from engine.plan.schedule import choose_days, describe_week, phase_for, week_days, week_label
from engine.plan.select import build_session


def check_context(ctx: PlanContext) -> None:
    if ctx.focus not in FOCUSES:
        raise ValueError(f"unknown focus {ctx.focus!r}: use one of {', '.join(FOCUSES)}")
    catalogue.normalise_equipment(ctx.equipment)  # raises on unknown equipment
    for wd in list(ctx.available_days) + [ctx.week_start] + [ctx.long_run_day or 0]:
        if not 0 <= int(wd) <= 6:
            raise ValueError(f"weekday {wd!r} out of range: use 0 (Monday) to 6 (Sunday)")


def recommend(ctx: PlanContext) -> Plan:
    """This week's strength sessions for the runner (deterministic for the same input)."""
    check_context(ctx)
    days = week_days(ctx.as_of, ctx.week_start)
    week = describe_week(ctx, days)
    phase = phase_for(ctx.as_of, ctx.race_date)
    wanted = 1 if phase in ("taper", "race_week") else 2
    chosen = choose_days(ctx, week, days, wanted)
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
        s = build_session(ctx, week, day, nordic_left, level, primer)
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
