"""The one entry point: `recommend(PlanContext) -> Plan`, this week's strength sessions.

A pure function of its input: the per-muscle state from `engine.state`, the recent runs (as
`RunSummary`), the runner's settings and the logged strength sessions. Every prescribed
exercise carries a one-line reason citing the runner's own numbers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from engine import catalogue
from engine.muscles import LEG_MUSCLES
from engine.plan.builder import SessionBuilder
from engine.plan.context import FOCUSES, LEG_BLOCKS, WEEKDAYS, Plan, PlanContext, muscle_values
from engine.plan.dose import lead_in, progression_level
from engine.plan.gates import leg_block, nordic_allowed
from engine.plan.profile import Profile
from engine.plan.schedule import choose_days, describe_week, phase_for, week_days, week_label
from engine.plan.select import build_session


def check_context(ctx: PlanContext) -> None:
    if ctx.focus not in FOCUSES:
        raise ValueError(f"unknown focus {ctx.focus!r}: use one of {', '.join(FOCUSES)}")
    catalogue.normalise_equipment(ctx.equipment)  # raises on unknown equipment
    for wd in list(ctx.available_days) + [ctx.week_start] + [ctx.long_run_day or 0]:
        if not 0 <= int(wd) <= 6:
            raise ValueError(f"weekday {wd!r} out of range: use 0 (Monday) to 6 (Sunday)")


# Penalty per step down from a heavy leg block when choosing the days (a long-run-eve day
# costs 10, a non-training day 30) [A].
BLOCK_COST = 3


def leg_acwr(ctx: PlanContext) -> float | None:
    """Acute:chronic ratio of the total leg load (None without a chronic load)."""
    acute = sum(muscle_values(ctx.state, m)[0] for m in LEG_MUSCLES)
    chronic = sum(muscle_values(ctx.state, m)[1] for m in LEG_MUSCLES)
    return acute / chronic if chronic > 1e-9 else None


def recommend(ctx: PlanContext) -> Plan:
    """This week's strength sessions for the runner (deterministic for the same input).

    With `ctx.profile`, its goal and equipment replace `ctx.focus` and `ctx.equipment`, and
    its sessions per week and minutes shape the week.
    """
    profile = ctx.profile or Profile.for_focus(ctx.focus, ctx.equipment)
    if ctx.profile is not None:
        ctx = replace(ctx, focus=profile.focus, equipment=profile.equipment)
    check_context(ctx)
    days = week_days(ctx.as_of, ctx.week_start)
    week = describe_week(ctx, days)
    phase = phase_for(ctx.as_of, ctx.race_date)
    usual = profile.sessions_per_week
    wanted = 1 if phase in ("taper", "race_week") else usual
    level = progression_level(ctx.logs, ctx.as_of)
    lead, lead_why = lead_in(
        profile.experience, ctx.recent, ctx.logs, ctx.as_of, leg_acwr(ctx), week.history_days
    )

    def gates(day: date) -> tuple[str, bool]:
        state = ctx.states.get(day, ctx.state)
        b = SessionBuilder(ctx, week, day, state, *level, None, profile=profile, lead_in=lead)
        block = leg_block(b)[0]
        return block, nordic_allowed(b, block)[0]

    def block_cost(day: date) -> int:
        return BLOCK_COST * LEG_BLOCKS.index(gates(day)[0])

    chosen = choose_days(ctx, week, days, wanted, block_cost, lambda d: gates(d)[1])
    notes: list[str] = []
    primer = False
    if not chosen:
        # Every remaining day is within 2 days of the race: one short primer, 1 set each.
        chosen, primer = [ctx.as_of], True
        notes.append("Race within 2 days: a short primer only, one set of each.")
    if phase != "build" and usual > 1:
        what = "Race week" if phase == "race_week" else "Taper"
        notes.append(
            f"{what}: one strength session this week instead of {usual}, so your legs are "
            "fresh for the race."
        )
    if week.long_weekday is not None and week.long_weekday_source == "typical":
        notes.append(f"Your long run is usually on {WEEKDAYS[week.long_weekday]}.")
    if lead:
        notes.append(lead)
    sessions = []
    nordic_left = True
    owed: set[str] = set()
    for day in chosen:
        s = build_session(
            ctx,
            week,
            day,
            nordic_left,
            level,
            primer,
            profile=profile,
            lead_in=lead,
            owed=frozenset(owed),
        )
        kept = {p.purpose for p in s.exercises}
        owed = (owed - kept) | {catalogue.get(n).purpose for n in s.dropped} - kept
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
        profile=profile.to_dict(),
        lead_in=lead_why,
    )
