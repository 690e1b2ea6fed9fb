"""Settings: units, time, training focus, equipment, days, race, heart rate, weekly email."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date

from flask import Blueprint, flash, g, redirect, request, url_for

from webapp.auth import login_required
from webapp.bounds import check_day
from webapp.db import get_session
from webapp.views.fragments import page_or_fragment, wants_fragment

bp = Blueprint("settings", __name__, url_prefix="/settings")

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FOCUSES = (
    ("endurance", "Endurance (marathon, ultra)"),
    ("speed", "Speed and power (5k, 10k, track)"),
    ("general", "General strength"),
)
EQUIPMENT = (
    ("none", "Bodyweight only"),
    ("band", "Resistance band"),
    ("dumbbells", "Dumbbells"),
    ("kettlebell", "Kettlebell"),
    ("gym", "A gym (barbell, machines)"),
)
UNITS = (("km", "Kilometres"), ("mi", "Miles"))


@functools.cache
def timezones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _int_in(form, name: str, low: int, high: int, label: str, errors: dict, optional=False):
    raw = form.get(name, "").strip()
    if raw == "" and optional:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors[name] = f"{label}: please enter a whole number."
        return None
    if not low <= value <= high:
        errors[name] = f"{label} must be between {low} and {high}."
        return None
    return value


def parse_settings(form) -> tuple[dict, dict]:
    """The submitted settings as column values, and a message per field that is wrong."""
    errors: dict[str, str] = {}
    values: dict = {}
    values["units"] = form.get("units") if form.get("units") in dict(UNITS) else "km"
    tz = form.get("timezone", "UTC")
    if tz not in timezones():
        errors["timezone"] = "Please pick a time zone from the list."
    values["timezone"] = tz
    values["week_start"] = _int_in(form, "week_start", 0, 6, "Week start", errors)
    values["focus"] = form.get("focus") if form.get("focus") in dict(FOCUSES) else "general"
    equipment = [e for e in form.getlist("equipment") if e in dict(EQUIPMENT)]
    values["equipment"] = equipment or ["none"]
    days = sorted({int(d) for d in form.getlist("available_days") if d in "0123456" and d})
    if not days:
        errors["available_days"] = "Pick at least one day you could do a strength session."
    values["available_days"] = days
    values["long_run_day"] = _int_in(
        form, "long_run_day", 0, 6, "Long-run day", errors, optional=True
    )
    raw_race = form.get("race_date", "").strip()
    values["race_date"] = None
    if raw_race:
        try:
            values["race_date"] = date.fromisoformat(raw_race)
        except ValueError:
            errors["race_date"] = "Race date: please use the date picker (YYYY-MM-DD)."
        else:
            problem = check_day(values["race_date"])
            if problem:
                values["race_date"] = None
                errors["race_date"] = f"Race date: {problem}"
    values["hr_max"] = _int_in(form, "hr_max", 120, 230, "Maximum heart rate", errors, True)
    values["hr_rest"] = _int_in(form, "hr_rest", 25, 110, "Resting heart rate", errors, True)
    if values["hr_max"] and values["hr_rest"] and values["hr_rest"] >= values["hr_max"]:
        errors["hr_rest"] = "Resting heart rate must be below your maximum."
    values["sex"] = form.get("sex") if form.get("sex") in ("male", "female") else None
    values["weekly_email"] = form.get("weekly_email") == "on"
    values["email_weekday"] = _int_in(form, "email_weekday", 0, 6, "Email day", errors)
    values["email_hour"] = _int_in(form, "email_hour", 0, 23, "Email hour", errors)
    return values, errors


FIELDS = (
    "units timezone week_start focus long_run_day race_date hr_max hr_rest sex "
    "email_weekday email_hour"
).split()


def shown_values(user, form=None) -> dict:
    """What the form shows: the submitted text after an error, else the saved settings."""
    if form is None:
        shown = {name: getattr(user, name) for name in FIELDS}
        shown |= {
            "equipment": list(user.equipment or []),
            "available_days": list(user.available_days or []),
            "weekly_email": user.weekly_email,
        }
    else:
        shown = {name: form.get(name, "") for name in FIELDS}
        shown |= {
            "equipment": form.getlist("equipment"),
            "available_days": [int(d) for d in form.getlist("available_days") if d.isdigit()],
            "weekly_email": form.get("weekly_email") == "on",
        }
    return {k: ("" if v is None else v) for k, v in shown.items()}


def _render(errors=None, saved=False, status=200, form=None):
    headers = {"HX-Trigger": "plan-changed"} if saved else None
    return page_or_fragment(
        "settings/index.html",
        "settings/_form.html",
        "settings-form",
        status=status,
        headers=headers,
        user=g.user,
        errors=errors or {},
        saved=saved,
        shown=shown_values(g.user, form),
        weekdays=WEEKDAYS,
        focuses=FOCUSES,
        equipment_choices=EQUIPMENT,
        unit_choices=UNITS,
        timezones=timezones(),
    )


@bp.route("", methods=("GET", "POST"))
@login_required
def index():
    if request.method == "GET":
        return _render()
    values, errors = parse_settings(request.form)
    if errors:
        return _render(errors=errors, status=422, form=request.form)
    for name, value in values.items():
        setattr(g.user, name, value)
    get_session().commit()
    if wants_fragment("settings-form"):
        return _render(saved=True)
    flash("Settings saved. This week's plan now follows them.")
    return redirect(url_for("settings.index"))
