"""`legday plan FILE... [--as-of] [--race] [--goal] [--experience] [--minutes] [--json]`:
this week's strength sessions from a history of files, no database.

The files are read as one history (as `legday state` reads them); the runner's profile is
inferred from the runs (`engine.plan.infer_profile`) except for the fields given as options;
the per-muscle state is taken at noon of the plan's day and of each later day of that week,
and `engine.plan.recommend` places the sessions. By default the plan is for the day after the
latest activity.
"""

from __future__ import annotations

import json
import sys
import textwrap
from datetime import date, timedelta

import click

from engine.catalogue import EQUIPMENT
from engine.muscles import LABELS
from engine.plan import (
    EXPERIENCE,
    FOCUSES,
    GOALS,
    SORENESS,
    WEEKDAYS,
    Plan,
    PlanContext,
    Soreness,
    build_context,
    infer_profile,
    recommend,
)
from engine.plan import summarise_runs as summarise
from engine.plan.profile import FOCUS_GOAL
from webapp.commands.state import History, load_history

_DAY_NAMES = {name[:3].lower(): i for i, name in enumerate(WEEKDAYS)}


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-03-02") from None


def parse_weekday(token: str) -> int:
    """'mon', 'Monday' or '0' (Monday) ... '6' (Sunday)."""
    text = token.strip().lower()
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    if text[:3] in _DAY_NAMES and WEEKDAYS[_DAY_NAMES[text[:3]]].lower().startswith(text):
        return _DAY_NAMES[text[:3]]
    raise click.BadParameter(f"{token!r} is not a weekday (mon..sun, or 0 = Monday .. 6)")


def parse_weekdays(value: str) -> list[int]:
    days = sorted({parse_weekday(t) for t in value.split(",") if t.strip()})
    if not days:
        raise click.BadParameter("give at least one training day, e.g. tue,thu")
    return days


def parse_equipment(value: str) -> list[str]:
    items = [t.strip().lower() for t in value.split(",") if t.strip()]
    unknown = [t for t in items if t not in EQUIPMENT]
    if unknown:
        raise click.BadParameter(
            f"unknown equipment {', '.join(unknown)}: use any of {', '.join(EQUIPMENT)}"
        )
    return items or ["none"]


def _dose(e) -> str:
    unit = "s" if e.dose == "seconds" else " reps"
    kg = f" at {e.load_kg:g} kg" if e.load_kg else ""
    return f"{e.sets} x {e.amount}{unit}{kg}"


def human(plan: Plan, ctx: PlanContext, history: History) -> str:
    runs = [a for _, a, _ in history.activities if a.is_run]
    km = sum(a.distance_m for a in runs) / 1000
    dn = {m: ctx.state.muscles[m].damage_normalised for m in ("quadriceps", "glute_max")}
    dn_text = ", ".join(f"{LABELS[m].lower()} {v:.2f}" for m, v in dn.items())
    lines = [
        f"Strength plan for {plan.week} (from {ctx.as_of:%a %d %b %Y}) - focus {plan.focus}, "
        f"equipment: {', '.join(e for e in plan.equipment)}",
        f"From {len(runs)} run{'' if len(runs) == 1 else 's'} ({km:.1f} km). "
        f"Damage on {ctx.as_of:%d %b}: {dn_text} "
        "(1.0 = the peak after 30 min downhill at -10 %).",
    ]
    p = plan.profile
    lines.append(
        f"Profile: goal {p['goal_label']}, experience {p['experience']}, "
        f"{p['minutes']} min x {p['sessions_per_week']} a week"
        + (f", {p['body_mass_kg']:g} kg" if p["body_mass_kg"] else "")
        + (f" (read from your runs: {', '.join(p['inferred'])})" if p["inferred"] else "")
    )
    lines += plan.notes
    wrap = textwrap.TextWrapper(width=100, initial_indent="     ", subsequent_indent="     ")
    for s in plan.sessions:
        lines += ["", f"{s.day:%A %d %b %Y} - leg block: {s.leg_block} - about {s.minutes:g} min"]
        lines += [f"  ! {note}" for note in s.notes]
        for i, e in enumerate(s.exercises, 1):
            lines.append(f"  {i:>2}. {e.name} ({e.category.replace('_', ' ')}): {_dose(e)}")
            lines += wrap.wrap(f"{e.reason}")
            if e.progress:
                lines += wrap.wrap(e.progress.capitalize() + ".")
            lines += wrap.wrap(
                f"{e.load}" + (f"; between sets of {e.pair_with}" if e.pair_with else "")
            )
            lines += wrap.wrap(f"Why: {e.why}")
        if s.short:
            short = ", ".join(f"{e.name} {_dose(e)}" for e in s.short)
            lines += wrap.wrap(f"Busy day ({sum(e.minutes for e in s.short):.0f} min): {short}")
    return "\n".join(lines)


@click.command("plan")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", help="ISO date to plan from (default: after the last activity).")
@click.option("--race", help="ISO date of your next race (tapers the plan).")
@click.option("--hilly-race", is_flag=True, help="The race has long descents.")
@click.option("--focus", type=click.Choice(FOCUSES), help="Older name for --goal.")
@click.option("--goal", type=click.Choice(GOALS), help="Default: read from your runs.")
@click.option("--experience", type=click.Choice(EXPERIENCE), help="Strength experience.")
@click.option("--body-mass", "body_mass", type=float, help="Body mass in kg (for loads).")
@click.option("--minutes", type=int, help="Minutes per session (default 40).")
@click.option("--sessions", type=int, help="Strength sessions per week, 1-3 (default 2).")
@click.option(
    "--sore",
    type=click.Choice(SORENESS),
    help="How your legs feel today (overrides the model for the next days).",
)
@click.option(
    "--equipment",
    help=f"Comma-separated, any of: {', '.join(EQUIPMENT)} (default: none).",
)
@click.option("--days", default="mon,tue,wed,thu,fri,sat,sun", help="Days you can train.")
@click.option("--long-run-day", help="Weekday of your long run (default: your usual one).")
@click.option("--week-start", default="mon", show_default=True, help="First day of your week.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as one JSON object.")
def plan_command(
    files: tuple[str, ...],
    as_of: str | None,
    race: str | None,
    hilly_race: bool,
    focus: str | None,
    goal: str | None,
    experience: str | None,
    body_mass: float | None,
    minutes: int | None,
    sessions: int | None,
    sore: str | None,
    equipment: str | None,
    days: str,
    long_run_day: str | None,
    week_start: str,
    as_json: bool,
) -> None:
    """This week's strength sessions, balanced against what the runs in FILES did."""
    given = {
        "goal": goal or (FOCUS_GOAL.get(focus, "general") if focus else None),
        "experience": experience,
        "body_mass_kg": body_mass,
        "minutes": minutes,
        "sessions_per_week": sessions,
        "equipment": tuple(parse_equipment(equipment)) if equipment else None,
    }
    settings = dict(
        race_date=parse_day(race) if race else None,
        race_hilly=hilly_race,
        available_days=parse_weekdays(days),
        long_run_day=parse_weekday(long_run_day) if long_run_day else None,
        week_start=parse_weekday(week_start),
    )
    start = parse_day(as_of) if as_of else None
    history = load_history(files)
    for message in history.errors:
        click.echo(f"legday plan: {message}", err=True)
    if not history.activities:
        click.echo("legday plan: no activity could be read from the files given.", err=True)
        sys.exit(1)
    activities = [a for _, a, _ in history.activities]
    if start is None:
        start = max(a.start_time for a in activities).date() + timedelta(days=1)
    runs = summarise(activities)
    try:
        profile = infer_profile(runs, start, given=given)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    soreness = Soreness(start, sore) if sore else None
    ctx = build_context(
        history.records, runs, start, profile=profile, soreness=soreness, **settings
    )
    plan = recommend(ctx)
    if as_json:
        click.echo(json.dumps(plan.to_dict(), ensure_ascii=False, allow_nan=False))
    else:
        click.echo(human(plan, ctx, history))
    if history.errors:
        sys.exit(1)
