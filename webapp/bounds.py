"""Range checks for the values a URL carries, so that an extreme one is a 404 (or 400), never a 500.

- `<int:...>` in every route is bounded to 0..MAX_ID (PostgreSQL's `integer`, which the id
  columns are): `/activities/18446744073709551616` does not match any route, so it is a 404.
- `<week>` ("YYYY-Www") in any route must be a real ISO week of FIRST_YEAR..LAST_YEAR, checked
  before the view runs: 404 (the API checks `week_is_valid` itself: 400 with a message).
  `/week/0001-W01` would step below `date.min` when the week page looks back at earlier weeks.
- `page_arg()` reads a `?page=` clamped to 1..MAX_PAGE (an SQL OFFSET must fit in 64 bits).
- `check_day()` is the range a date a runner types (the race date) must fall in.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
FIRST_YEAR = 1970
LAST_YEAR = 2100
WEEK_RE = re.compile(r"^(\d{4})-[Ww](\d{2})$")


class BoundedIntConverter(IntegerConverter):
    """The `int` converter, limited to what an id column can hold."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def week_is_valid(value: str) -> bool:
    """True for "2026-W48" when that ISO week exists and its year is FIRST_YEAR..LAST_YEAR."""
    match = WEEK_RE.match(value)
    if not match:
        return False
    year, number = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return False
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        return False
    return True


def check_day(day: date) -> str | None:
    """None when `day` is within FIRST_YEAR..LAST_YEAR, else a message for the person."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"please choose a date between {FIRST_YEAR} and {LAST_YEAR}."


def page_arg(name: str = "page") -> int:
    """`?page=` as 1..MAX_PAGE: missing, non-numeric or below 1 is 1, above MAX_PAGE is MAX_PAGE."""
    value = request.args.get(name, 1, type=int) or 1
    return min(max(1, value), MAX_PAGE)


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered (the converter is bound when a rule is added)."""
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def check_week_in_url():
        week = (request.view_args or {}).get("week")
        # The API answers a bad week itself (400 with its message, after authentication).
        if isinstance(week, str) and request.blueprint != "api" and not week_is_valid(week):
            abort(404)
