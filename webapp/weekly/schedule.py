"""When the weekly email is due, and the weeks it speaks of.

In: a week label ("YYYY-Www") or a user and an instant. Out: `parse_week` -> (year, number),
`week_span` -> (first day, day after the last), `local_bounds` -> the week as UTC instants,
`due_week` -> the label of the week whose email is due now (or None). Raises ValueError with
a readable message for a label that does not parse. A runner's week is named after the ISO
week of its middle day (engine.plan.week_label, re-exported here).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from engine.plan import week_days, week_label
from webapp.models import User
from webapp.weeks import local_midnight_utc, user_zone

__all__ = ["due_week", "local_bounds", "parse_week", "week_label", "week_span"]

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(label: str) -> tuple[int, int]:
    """("2026-W47") -> (2026, 47); ValueError with a readable message otherwise."""
    match = WEEK_RE.match(label or "")
    if not match:
        raise ValueError(f"{label!r} is not a week: write it as YYYY-Www, e.g. 2026-W47.")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {number}.") from None
    return year, number


def week_span(label: str, week_start: int = 0) -> tuple[date, date]:
    """The runner's week called `label`: its first day and the day after its last.

    A runner's week is named after the ISO week of its middle day (engine.plan.week_label),
    so a Monday week is exactly the ISO week and a Sunday week starts the day before.
    """
    year, number = parse_week(label)
    start = week_days(date.fromisocalendar(year, number, 4), week_start)[0]
    return start, start + timedelta(days=7)


def due_week(user: User, now: datetime) -> str | None:
    """The week that just ended, once the runner's send time has come; else None.

    The email goes out on the runner's weekday and hour (their timezone) during the week after
    the one it reports on, and stays due until that week is over (so a clock that was down
    at the hour catches up). Before the hour, nothing is due: the week before has had its turn.
    """
    zone = user_zone(user)
    local = now.astimezone(zone)
    start = week_days(local.date(), user.week_start)[0]
    send_day = start + timedelta(days=(user.email_weekday - user.week_start) % 7)
    if local < datetime.combine(send_day, time(hour=user.email_hour), tzinfo=zone):
        return None
    return week_label(start - timedelta(days=1), user.week_start)


def local_bounds(user: User, week: str) -> tuple[datetime, datetime]:
    """The week as UTC instants, from local midnight to local midnight."""
    start, end = week_span(week, user.week_start)
    zone = user_zone(user)
    return local_midnight_utc(start, zone), local_midnight_utc(end, zone)
