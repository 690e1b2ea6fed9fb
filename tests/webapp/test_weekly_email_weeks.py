"""Weeks and send times for the weekly email: the runner's week start, timezone and hour."""

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.models import User
from webapp.weekly.schedule import due_week, local_bounds, parse_week, week_label, week_span


def test_a_monday_week_is_the_iso_week():
    assert week_span("2026-W47", 0) == (date(2026, 11, 16), date(2026, 11, 23))
    assert week_label(date(2026, 11, 22), 0) == "2026-W47"
    assert week_label(date(2026, 11, 23), 0) == "2026-W48"


def test_a_sunday_week_starts_the_day_before_the_iso_week():
    assert week_span("2026-W47", 6) == (date(2026, 11, 15), date(2026, 11, 22))
    assert week_label(date(2026, 11, 15), 6) == "2026-W47"
    assert week_label(date(2026, 11, 22), 6) == "2026-W48"


@pytest.mark.parametrize("week_start", range(7))
def test_every_day_lies_in_the_span_of_its_week(week_start):
    day = date(2025, 12, 20)
    for _ in range(60):  # across a year boundary with a 53-week ISO year (2026)
        start, end = week_span(week_label(day, week_start), week_start)
        assert start <= day < end
        assert start.weekday() == week_start
        assert end - start == timedelta(days=7)
        day += timedelta(days=1)


@pytest.mark.parametrize("bad", ["2026-47", "2026-W7", "W47", "2025-W53", "", "2026-W00"])
def test_bad_week_names_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="week|YYYY-Www"):
        parse_week(bad)


def _user(**settings) -> User:
    values = {"timezone": "UTC", "week_start": 0, "email_weekday": 0, "email_hour": 7}
    values.update(settings)
    return User(email="x@example.com", password_hash="-", **values)


def test_the_week_that_ended_is_due_from_the_runners_hour_in_their_timezone():
    user = _user(timezone="America/Los_Angeles")  # Monday 07:00 there is 15:00 UTC in November
    assert due_week(user, datetime(2026, 11, 23, 14, 59, tzinfo=UTC)) is None
    assert due_week(user, datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) == "2026-W47"
    # ... and it stays due all week (a clock that was down catches up), then the next one is.
    assert due_week(user, datetime(2026, 11, 29, 23, 0, tzinfo=UTC)) == "2026-W47"
    assert due_week(user, datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) == "2026-W48"


def test_auckland_gets_it_before_utc_monday():
    user = _user(timezone="Pacific/Auckland")  # UTC+13 in November
    assert due_week(user, datetime(2026, 11, 22, 18, 0, tzinfo=UTC)) == "2026-W47"
    # In UTC it is still Sunday: the week before is the one due.
    assert due_week(_user(), datetime(2026, 11, 22, 18, 0, tzinfo=UTC)) == "2026-W46"


def test_chosen_weekday_and_hour_with_a_sunday_week():
    # Week Sunday..Saturday; email on Wednesday at 18:00.
    user = _user(week_start=6, email_weekday=2, email_hour=18)
    assert due_week(user, datetime(2026, 11, 25, 17, 59, tzinfo=UTC)) is None
    due = due_week(user, datetime(2026, 11, 25, 18, 0, tzinfo=UTC))
    assert week_span(due, 6) == (date(2026, 11, 15), date(2026, 11, 22))


def test_an_unknown_timezone_falls_back_to_utc():
    user = _user(timezone="Mars/Olympus_Mons")
    assert due_week(user, datetime(2026, 11, 23, 7, 0, tzinfo=UTC)) == "2026-W47"


def test_local_bounds_are_local_midnights():
    start, end = local_bounds(_user(timezone="Europe/Berlin"), "2026-W47")
    assert start == datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)
