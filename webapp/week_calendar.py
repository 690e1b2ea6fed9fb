"""The calendar of a runner's weeks: per-week totals by year, the week of a run, and headings.

In: a database session and a user (time zone and week start as webapp.weeks reads them).
Out: `years_with_runs` -> [(year, runs)], newest first; `year_weeks` -> the weeks of one year
that hold a run, grouped by month (runs, distance in m, climb in m, leg load in Legday units);
`latest_run_start` and `weeks_since_previous_run` for the week page's plain sentences;
`week_heading` ("Week of Mon 8 Sep 2025": the year only when it is not this year).
Weeks belong to the year of their first day, as the week page labels them.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.db import aware
from webapp.models import Activity, User
from webapp.units import format_day
from webapp.weeks import local_midnight_utc, user_zone, week_label, week_start_for

HEAT_LEVELS = 4  # shading steps of a week's leg load, relative to the year's biggest week


def _runs(user: User):
    return (Activity.user_id == user.id, Activity.is_run.is_(True))


def latest_run_start(
    session: Session, user: User, before: datetime | None = None, *, runs_only: bool = True
):
    """The UTC start of the user's latest run (of any activity with `runs_only` False; before
    `before` when given), or None."""
    where = _runs(user) if runs_only else (Activity.user_id == user.id,)
    query = select(func.max(Activity.start_time)).where(*where)
    if before is not None:
        query = query.where(Activity.start_time < before)
    found = session.scalar(query)
    return aware(found) if found is not None else None


def week_of(moment: datetime, user: User) -> str:
    """The "YYYY-Www" label of the user's week holding `moment` (a UTC instant)."""
    day = aware(moment).astimezone(user_zone(user)).date()
    return week_label(week_start_for(day, user.week_start or 0))


def week_of_day(day: date, user: User) -> str:
    """The "YYYY-Www" label of the user's week holding `day`; ValueError outside 1990-2100."""
    if not 1990 <= day.year <= 2100:
        raise ValueError(f"{day} is outside the years Legday shows.")
    return week_label(week_start_for(day, user.week_start or 0))


def parse_label(label: str) -> date:
    """The Thursday of the ISO week "YYYY-Www"; ValueError when it does not parse."""
    year, number = label.upper().split("-W")
    if not 1990 <= int(year) <= 2100:
        raise ValueError(f"{label} is outside the years Legday shows.")
    return date.fromisocalendar(int(year), int(number), 4)


def week_heading(start: date, today: date, is_current: bool = False) -> str:
    """The heading: "This week", or "Week of Mon 8 Sep" (+ the year when not `today`'s)."""
    if is_current:
        return "This week"
    year = f" {start.year}" if start.year != today.year else ""
    return f"Week of {format_day(start)}{year}"


def weeks_since_previous_run(session: Session, user: User, start: date) -> int | None:
    """Whole weeks without a run before the week starting `start` (None: no earlier run)."""
    start_utc = local_midnight_utc(start, user_zone(user))
    previous = latest_run_start(session, user, before=start_utc)
    if previous is None:
        return None
    previous_day = previous.astimezone(user_zone(user)).date()
    return (start - week_start_for(previous_day, user.week_start or 0)).days // 7


def years_with_runs(session: Session, user: User) -> list[tuple[int, int]]:
    """(year, number of runs) for every year with a run (by the first day of its week)."""
    counts: dict[int, int] = {}
    zone, week_start = user_zone(user), user.week_start or 0
    for (start_time,) in session.execute(select(Activity.start_time).where(*_runs(user))):
        day = aware(start_time).astimezone(zone).date()
        year = week_start_for(day, week_start).year
        counts[year] = counts.get(year, 0) + 1
    return sorted(counts.items(), reverse=True)


def _leg_load(stimulus: dict | None) -> float:
    muscles = (stimulus or {}).get("muscles") or {}
    return sum(float((m or {}).get("total") or 0) for m in muscles.values())


def year_weeks(session: Session, user: User, year: int) -> list[dict]:
    """The weeks of `year` with a run, newest first, grouped by month of their first day.

    Shape: [{"month": date (1st of the month), "weeks": [{"week": "2025-W41", "start": date,
    "end": date, "runs": int, "distance_m": float, "climb_m": float, "leg_load": float,
    "level": 1..4}]}]; "level" shades the week by leg load against the year's biggest week.
    """
    zone, week_start = user_zone(user), user.week_start or 0
    first = week_start_for(date(year, 1, 1), week_start)
    since = local_midnight_utc(first, zone)
    until = local_midnight_utc(week_start_for(date(year, 12, 31), week_start) + timedelta(7), zone)
    rows = session.execute(
        select(
            Activity.start_time,
            Activity.distance_m,
            Activity.elevation_gain_m,
            Activity.stimulus,
        )
        .where(*_runs(user), Activity.start_time >= since, Activity.start_time < until)
        .order_by(Activity.start_time.desc())
    ).all()
    weeks: OrderedDict[date, dict] = OrderedDict()
    for row in rows:
        start = week_start_for(aware(row.start_time).astimezone(zone).date(), week_start)
        if start.year != year:
            continue
        week = weeks.setdefault(
            start,
            {
                "week": week_label(start),
                "start": start,
                "end": start + timedelta(days=6),
                "runs": 0,
                "distance_m": 0.0,
                "climb_m": 0.0,
                "leg_load": 0.0,
            },
        )
        week["runs"] += 1
        week["distance_m"] += row.distance_m or 0.0
        week["climb_m"] += row.elevation_gain_m or 0.0
        week["leg_load"] += _leg_load(row.stimulus)
    top = max((w["leg_load"] for w in weeks.values()), default=0.0) or 1.0
    months: OrderedDict[date, list] = OrderedDict()
    for start, week in weeks.items():
        week["level"] = 1 + min(HEAT_LEVELS - 1, int(week["leg_load"] / top * HEAT_LEVELS - 1e-9))
        months.setdefault(start.replace(day=1), []).append(week)
    return [{"month": month, "weeks": items} for month, items in months.items()]


def today_for(user: User, now: datetime | None = None) -> date:
    """Today's date in the user's time zone."""
    return (now or datetime.now(UTC)).astimezone(user_zone(user)).date()
