"""Run files for the webapp tests, made with the importers' sample writers (FIT via Encoder)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import numpy as np

from tests.importers.samples import Track, fit_bytes, gpx_text, make_track


def recent_start(days_ago: float = 1.0) -> datetime:
    """A start time inside the current week's reach, on a whole minute."""
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    return moment.replace(second=0, microsecond=0)


# A fixed Wednesday noon for the week tests that pass `now` to weekly_context.
WEDNESDAY = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)


def in_this_week(hours_ago: float) -> datetime:
    """`hours_ago` before now, but inside the current (Monday-based, UTC) week.

    In the first minutes of a Monday that moment may lie a little ahead: the week page still
    lists it, which is what the page tests that use this look at.
    """
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0)
    return max(now - timedelta(hours=hours_ago), monday + timedelta(minutes=10))


def run_fit(start: datetime | None = None, seconds: int = 1800, hill_m: float = 40.0, **kw):
    track = make_track(seconds=seconds, hill_m=hill_m, start=start or recent_start(), **kw)
    return fit_bytes(track)


def run_gpx(start: datetime | None = None, seconds: int = 1800, hill_m: float = 40.0, **kw):
    track = make_track(seconds=seconds, hill_m=hill_m, start=start or recent_start(), **kw)
    return gpx_text(track).encode()


def ride_fit(start: datetime | None = None, seconds: int = 1200):
    track = make_track(seconds=seconds, speed=7.0, start=start or recent_start(2))
    return fit_bytes(track, sport="cycling", sub_sport="road")


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def track_of_speeds(speeds, start: datetime, seed: int = 1) -> Track:
    """A flat track that runs at `speeds` (m/s, one per second): a real session's shape."""
    base = make_track(seconds=len(speeds), start=start, seed=seed)
    steps = np.concatenate([[0.0], np.asarray(speeds, dtype=float)])
    base.dist = np.cumsum(steps)
    lon0 = base.lon[0]
    base.lon = lon0 + np.degrees(base.dist / (6371008.8 * np.cos(np.radians(45.0))))
    base.alt = np.full_like(base.dist, 300.0)
    # Walking is slower in cadence than running (strides per minute of one foot).
    base.cad = np.where(steps < 2.0, 55.0, 85.0)
    return base


def intervals_fit(start: datetime, reps: int = 10) -> bytes:
    """2 km warm-up, `reps` x 200 m at 7-8 m/s with 200 m walk-backs, 1.5 km cool-down."""
    from tests.engine.scenarios import reps_200_speeds

    return fit_bytes(track_of_speeds(reps_200_speeds(reps), start))


def easy_fit(start: datetime, metres: float = 5300.0, speed: float = 2.9) -> bytes:
    """A steady easy run on the flat."""
    return fit_bytes(track_of_speeds(np.full(int(metres / speed), speed), start))
