"""Build Activity objects straight from arrays, so engine tests need no importer."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from importers.activity import Activity, Series

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def make_activity(
    speed,
    grade=0.0,
    hz: float = 1.0,
    *,
    sport: str = "running",
    sub_sport: str | None = None,
    start_time: datetime = START,
    heart_rate=None,
    cadence=None,
    power=None,
    altitude: bool = True,
    altitude0: float = 100.0,
) -> Activity:
    """A recording of a run whose speed (m/s) and grade are given second by second.

    `speed`, `grade`, `heart_rate`, `cadence` and `power` are scalars or arrays with one value per
    second of the run; the track is integrated at 10 Hz and recorded every 1/hz seconds, the
    way a watch would sample it.
    """
    speed = np.atleast_1d(np.asarray(speed, dtype=float))
    seconds = speed.shape[0]
    per_second = np.arange(seconds, dtype=float)
    grade = np.broadcast_to(np.asarray(grade, dtype=float), (seconds,))
    fine = np.arange(0.0, seconds, 0.1)
    v = np.interp(fine, per_second, speed)
    g = np.interp(fine, per_second, grade)
    dist = np.concatenate([[0.0], np.cumsum(v[:-1] * 0.1)])
    alt = altitude0 + np.concatenate([[0.0], np.cumsum(v[:-1] * 0.1 * g[:-1])])
    t = np.arange(0.0, seconds - 1 + 1e-9, 1.0 / hz)

    def at(values):
        if values is None:
            return None
        arr = np.broadcast_to(np.asarray(values, dtype=float), (seconds,))
        return np.interp(t, per_second, arr)

    series = Series(
        time_s=t,
        altitude_m=np.interp(t, fine, alt) if altitude else None,
        distance_m=np.interp(t, fine, dist),
        speed_mps=np.interp(t, fine, v),
        heart_rate=at(heart_rate),
        cadence_spm=at(cadence),
        power_w=at(power),
    )
    distance = float(series.distance_m[-1])
    duration = float(t[-1])
    return Activity(
        sport=sport,
        start_time=start_time,
        series=series,
        source_format="fit",
        elapsed_time_s=duration,
        moving_time_s=duration,
        distance_m=distance,
        elevation_gain_m=None,
        elevation_loss_m=None,
        elevation_source="barometric" if altitude else "none",
        avg_pace_s_per_km=1000.0 * duration / distance if distance else None,
        gap_s_per_km=None,
        avg_heart_rate=None,
        max_heart_rate=None,
        sub_sport=sub_sport,
    )


def steady_run(speed: float, grade: float, km: float = 1.0, hz: float = 1.0, **kw) -> Activity:
    """`km` kilometres at one speed and grade (plus a second so that the end is covered)."""
    seconds = int(round(km * 1000.0 / speed)) + 1
    return make_activity(np.full(seconds, speed), grade, hz, **kw)
