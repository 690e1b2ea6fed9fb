"""Numbers for people: distance, pace, duration and elevation in the runner's units.

The functions are plain (the weekly email uses them outside a request); `init_app` registers
them as Jinja filters that default to the logged-in user's units.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, g, has_request_context
from flask_login import current_user
from jinja2 import Undefined

from engine.gait import ON_FOOT_SPORTS

METRES_PER_MILE = 1609.344
FEET_PER_METRE = 3.280839895


def _missing(value) -> bool:
    """None, NaN/inf, or a field an older stored summary does not have (Jinja's Undefined)."""
    if value is None or isinstance(value, Undefined):
        return True
    return isinstance(value, float) and not math.isfinite(value)


def format_duration(seconds: float | None) -> str:
    """1:02:03 for an hour and more, 42:10 below; an em dash when unknown."""
    if _missing(seconds):
        return "—"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_distance(metres: float | None, units: str = "km", digits: int = 2) -> str:
    """10.25 km or 6.37 mi."""
    if _missing(metres):
        return "—"
    if units == "mi":
        return f"{metres / METRES_PER_MILE:.{digits}f} mi"
    return f"{metres / 1000:.{digits}f} km"


def format_pace(seconds_per_km: float | None, units: str = "km") -> str:
    """5:12 /km or 8:22 /mi."""
    if _missing(seconds_per_km) or seconds_per_km <= 0:
        return "—"
    per_unit = seconds_per_km * (METRES_PER_MILE / 1000 if units == "mi" else 1)
    return f"{format_duration(per_unit)} /{units}"


def shows_pace(sport: str | None) -> bool:
    """Runs, walks and hikes are read as a pace (5:12 /km); rides, rowing and the rest as a
    speed (24.3 km/h); swims as a pace per 100 m (format_swim_pace)."""
    return (sport or "") in ON_FOOT_SPORTS


METRES_PER_100_YARDS = 91.44


def format_swim_pace(seconds_per_km: float | None, units: str = "km") -> str:
    """2:05 /100 m, or /100 yd in miles mode, as swimmers read it."""
    if _missing(seconds_per_km) or seconds_per_km <= 0:
        return "—"
    if units == "mi":
        return f"{format_duration(seconds_per_km * METRES_PER_100_YARDS / 1000)} /100 yd"
    return f"{format_duration(seconds_per_km / 10)} /100 m"


def speed_value(seconds_per_km: float | None, units: str = "km") -> float | None:
    """km/h (mph in miles mode) from a pace in seconds per km; None when unknown."""
    if _missing(seconds_per_km) or seconds_per_km <= 0:
        return None
    per_hour = 3600.0 / seconds_per_km
    return per_hour * 1000 / METRES_PER_MILE if units == "mi" else per_hour


def speed_unit(units: str = "km") -> str:
    return "mph" if units == "mi" else "km/h"


def format_speed(seconds_per_km: float | None, units: str = "km") -> str:
    """24.3 km/h or 15.1 mph, from a pace in seconds per km."""
    value = speed_value(seconds_per_km, units)
    return "—" if value is None else f"{value:.1f} {speed_unit(units)}"


def format_elevation(metres: float | None, units: str = "km", with_unit: bool = True) -> str:
    """312 m, or 1,024 ft for runners who count in miles."""
    if _missing(metres):
        return "—"
    value, unit = (metres * FEET_PER_METRE, "ft") if units == "mi" else (metres, "m")
    value = 0.0 if abs(value) < 0.5 else value  # no "-0 m"
    return f"{value:,.0f} {unit}" if with_unit else f"{value:,.0f}"


def elevation_unit(units: str = "km") -> str:
    return "ft" if units == "mi" else "m"


def distance_value(metres: float, units: str = "km") -> float:
    """The bare number in the runner's unit (for chart axes)."""
    return metres / (METRES_PER_MILE if units == "mi" else 1000)


def format_when(moment: datetime | str | None, zone: str = "UTC", with_time: bool = True) -> str:
    """Tue 24 Nov 2026, 07:30 in the runner's time zone (stored times are UTC)."""
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        try:
            moment = moment.astimezone(ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    text = f"{moment:%a} {moment.day} {moment:%b %Y}"
    if with_time and isinstance(moment, datetime):
        text += f", {moment:%H:%M}"
    return text


def format_day(day: date | datetime | str) -> str:
    """Tue 24 Nov."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day:%a} {day.day} {day:%b}"


def _viewer():
    """Who the page or API answer is for: the bearer token's user, else the logged-in one."""
    if not has_request_context():
        return None
    if g.get("api_user") is not None:
        return g.api_user
    return current_user if current_user.is_authenticated else None


def _viewer_setting(name: str, default: str) -> str:
    """The viewer's `name` setting, read once per request (a page formats hundreds of values)."""
    if not has_request_context():
        return default
    cache = g.setdefault("_viewer_settings", {})
    if name not in cache:
        cache[name] = getattr(_viewer(), name, None) or default
    return cache[name]


def forget_viewer_settings() -> None:
    """Drop the per-request copy after the viewer's units or time zone change."""
    if has_request_context():
        g.pop("_viewer_settings", None)


def current_units() -> str:
    return _viewer_setting("units", "km")


def current_zone() -> str:
    return _viewer_setting("timezone", "UTC")


def init_app(app: Flask) -> None:
    filters = {
        "distance": lambda m, units=None, digits=2: format_distance(
            m, units or current_units(), digits
        ),
        "pace": lambda s, units=None: format_pace(s, units or current_units()),
        "speed": lambda s, units=None: format_speed(s, units or current_units()),
        "swim_pace": lambda s, units=None: format_swim_pace(s, units or current_units()),
        "elevation": lambda m, units=None, with_unit=True: format_elevation(
            m, units or current_units(), with_unit
        ),
        "duration": format_duration,
        "when": lambda m, zone=None, with_time=True: format_when(
            m, zone or current_zone(), with_time
        ),
        "day": format_day,
    }
    app.jinja_env.filters.update(filters)
    app.jinja_env.globals["current_units"] = current_units
    app.jinja_env.globals["shows_pace"] = shows_pace
    app.jinja_env.globals["elevation_unit"] = lambda: elevation_unit(current_units())
