"""The calendar of weeks: every week with a run, by year, each one tap from its week page.

GET /weeks: the newest year in full, older years loaded as they scroll into view (HTMX,
`revealed`) or by their own link; GET /weeks/<year>: one year (the page, or the fragment
`year-<year>`); GET /weeks/go?day=YYYY-MM-DD: the week holding that day (the week picker).
Also the template globals `week_title(week)`, `activity_week(activity)` and `quiet_words`.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import load_words, week_calendar
from webapp.db import get_session
from webapp.views.fragments import page_or_fragment

bp = Blueprint("calendar", __name__, url_prefix="/weeks")
FIRST_YEAR, LAST_YEAR = 1990, 2100  # a year outside these is not a runner's history
bp.add_app_template_global(load_words.quiet_words, "quiet_words")


@bp.app_template_global("week_title")
def week_title(week) -> str:
    """The week page's heading: "This week", or "Week of Mon 8 Sep" (+ year if not this year)."""
    return week_calendar.week_heading(
        week.start, week_calendar.today_for(current_user), week.is_current
    )


@bp.app_template_global("activity_week")
def activity_week(activity) -> str:
    """The "YYYY-Www" label of the runner's week holding `activity` (its start time)."""
    return week_calendar.week_of(activity.start_time, current_user)


def _years():
    return week_calendar.years_with_runs(get_session(), current_user)


@bp.route("")
@login_required
def index():
    years = _years()
    return render_template(
        "calendar/index.html",
        years=years,
        shown=years[:1],
        months=week_calendar.year_weeks(get_session(), current_user, years[0][0]) if years else [],
        lazy=[year for year, _ in years[1:]],
    )


@bp.route("/<int:year>")
@login_required
def year(year: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    years = _years()
    months = week_calendar.year_weeks(get_session(), current_user, year)
    return page_or_fragment(
        "calendar/index.html",
        "calendar/_year.html",
        f"year-{year}",
        years=years,
        shown=[(year, sum(len(m["weeks"]) for m in months))],
        year=year,
        months=months,
        lazy=[],
    )


@bp.route("/go")
@login_required
def go():
    """The week picker: the week holding ?day=YYYY-MM-DD (or ?week=YYYY-Www)."""
    week = request.args.get("week", "").strip()
    day = request.args.get("day", "").strip()
    try:
        if day:
            week = week_calendar.week_of_day(date.fromisoformat(day), current_user)
        elif week:
            week_calendar.parse_label(week)
        else:
            raise ValueError
    except ValueError:
        flash("Choose a day (like 2025-10-12) to open its week.")
        return redirect(url_for("calendar.index"))
    return redirect(url_for("week.index", week=week))
