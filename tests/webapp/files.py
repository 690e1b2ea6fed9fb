"""Run files for the webapp tests, made with the importers' sample writers (FIT via Encoder)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

from tests.importers.samples import fit_bytes, gpx_text, make_track


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
