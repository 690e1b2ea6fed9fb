"""From a Series to the summary numbers a runner checks against the watch.

Every format module builds a `Series` and the device's own totals; `summarise` turns them into an
`Activity`. The methods (see ../shared/docs/import-accuracy.md):

- distance: the device's cumulative per-record distance when the file has one, else 2-D
  geodesic (haversine) steps between fixes, never across a pause between track segments;
- moving time: the device's timer (FIT timer start/stop events, carried in `Series.moving`),
  else the sum of gaps between samples that are at most `MAX_MOVING_GAP_S` long;
- elevation: the device's session total when it wrote one (`device`), else the altitude series
  smoothed with a centred 30 s time-window mean, then counted with a 2 m hysteresis (`barometric`
  for a smooth altimeter trace, `gps` for a noisy one), else `none`;
- grade-adjusted pace: distance weighted by an effort factor of the grade (a polynomial fit of
  Strava's published 2017 curve), so that uphill kilometres count more than flat ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from importers.activity import Activity, DeviceTotals, Series, Split
from importers.elevation import (  # noqa: F401  (smooth_altitude, hysteresis_steps: re-exported)
    choose_elevation,
    hysteresis_steps,
    series_elevation,
    smooth_altitude,
    smoothed_elevation,
)
from importers.limits import check_span, split_length_m
from importers.reconcile import reconcile

EARTH_RADIUS_M = 6_371_008.8
MAX_MOVING_GAP_S = 60.0
GRADE_HALF_SPAN_M = 50.0  # grade is measured over ~100 m of distance around each sample
GRADE_LIMIT = 0.35
SPLIT_M = 1000.0
SPARSE_STEP_S = 2.0
CURVE_SUBSTEPS = 8
MAX_CURVE_RATIO = 1.5


# --- geometry --------------------------------------------------------------------------------


def haversine_steps(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres from each fix to the next (length n-1; NaN if unknown)."""
    phi = np.radians(lat)
    lam = np.radians(lon)
    dphi = np.diff(phi)
    dlam = np.diff(lam)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def cumulative_distance(
    lat: np.ndarray,
    lon: np.ndarray,
    breaks: np.ndarray | None = None,
    time_s: np.ndarray | None = None,
) -> np.ndarray:
    """Cumulative 2-D distance along the fixes; steps into a sample marked in `breaks` count 0.

    Samples without a fix are bridged: the step is taken from the last known fix. With
    `time_s`, steps longer than SPARSE_STEP_S (smart recording writes a point every few
    seconds) follow a Catmull-Rom curve through the neighbouring fixes instead of the straight
    chord, which cuts the corners of the path.
    """
    n = lat.shape[0]
    out = np.zeros(n)
    if n < 2:
        return out
    known = ~(np.isnan(lat) | np.isnan(lon))
    idx = np.flatnonzero(known)
    if idx.size < 2:
        return out
    steps = haversine_steps(lat[idx], lon[idx])
    if time_s is not None:
        sparse = np.diff(time_s[idx]) > SPARSE_STEP_S
        if sparse.any():
            steps = steps * _curve_ratio(lat[idx], lon[idx], sparse)
    if breaks is not None:
        # a break anywhere between two known fixes cancels the step between them
        brk_cum = np.cumsum(breaks.astype(np.int64))
        crossed = brk_cum[idx[1:]] - brk_cum[idx[:-1]] > 0
        steps = np.where(crossed, 0.0, steps)
    inc = np.zeros(n)
    inc[idx[1:]] = steps
    return np.cumsum(inc)


def _curve_ratio(lat: np.ndarray, lon: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Per step: length of the uniform Catmull-Rom segment over its chord (1 where not wanted)."""
    ratio = np.ones(which.shape[0])
    j = np.flatnonzero(which)
    phi = np.radians(lat)
    x = EARTH_RADIUS_M * np.cos(np.mean(phi)) * np.radians(lon - lon[0])
    y = EARTH_RADIUS_M * (phi - phi[0])
    pts = np.stack([x, y], axis=1)
    last = pts.shape[0] - 1
    p0 = pts[np.maximum(j - 1, 0)]
    p1 = pts[j]
    p2 = pts[j + 1]
    p3 = pts[np.minimum(j + 2, last)]
    u = np.linspace(0.0, 1.0, CURVE_SUBSTEPS + 1)[None, :, None]
    a, b = p0[:, None, :], p1[:, None, :]
    c, d = p2[:, None, :], p3[:, None, :]
    curve = 0.5 * (
        2 * b + (c - a) * u + (2 * a - 5 * b + 4 * c - d) * u**2 + (3 * b - a - 3 * c + d) * u**3
    )
    length = np.hypot(*np.diff(curve, axis=1).transpose(2, 0, 1)).sum(axis=1)
    chord = np.hypot(*(p2 - p1).T)
    ok = chord > 0.5
    ratio[j[ok]] = np.clip(length[ok] / chord[ok], 1.0, MAX_CURVE_RATIO)
    return ratio


# --- time ------------------------------------------------------------------------------------


def moving_mask_from_gaps(time_s: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """True for sample i when the interval (i-1, i] counts as moving (gap <= MAX_MOVING_GAP_S)."""
    moving = np.zeros(time_s.shape[0], dtype=bool)
    if time_s.shape[0] > 1:
        moving[1:] = np.diff(time_s) <= MAX_MOVING_GAP_S
    if breaks is not None:
        moving &= ~breaks
    return moving


def interval_moving(series: Series) -> np.ndarray:
    """Per sample i: does the interval (i-1, i] count as moving? (index 0 is always False).

    `Series.moving[i]` is True when the timer was running just before sample i, so it marks the
    interval that ends at i.
    """
    if series.moving is not None:
        m = np.zeros(len(series), dtype=bool)
        m[1:] = series.moving[1:]
        return m
    return moving_mask_from_gaps(series.time_s)


# --- grade-adjusted pace ---------------------------------------------------------------------


def effort_factor(grade: np.ndarray) -> np.ndarray:
    """Relative effort of running at `grade` (rise/run) against the flat: 1.0 on the level.

    A quartic fitted to Strava's published 2017 curve (g in percent); it rises to ~2.4 at +20 %
    and has its minimum ~0.87 near -8 %. Grades are limited to +-35 %.
    """
    g = np.clip(grade, -GRADE_LIMIT, GRADE_LIMIT) * 100.0
    return 1.0 + 0.032657 * g + 0.0020536 * g**2 - 3.99e-6 * g**3 - 5.29e-7 * g**4


def grades(distance: np.ndarray, alt_smooth: np.ndarray) -> np.ndarray:
    """Grade at each sample over about +-GRADE_HALF_SPAN_M of distance (NaN-free: 0 if unknown)."""
    n = distance.shape[0]
    if n < 2:
        return np.zeros(n)
    alt = alt_smooth.copy()
    ok = ~np.isnan(alt)
    if not ok.any():
        return np.zeros(n)
    alt = np.interp(np.arange(n), np.flatnonzero(ok), alt[ok])
    lo = np.searchsorted(distance, distance - GRADE_HALF_SPAN_M, side="left")
    hi = np.searchsorted(distance, distance + GRADE_HALF_SPAN_M, side="right") - 1
    hi = np.clip(hi, 0, n - 1)
    run = distance[hi] - distance[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(run > 10.0, (alt[hi] - alt[lo]) / run, 0.0)
    return np.clip(g, -GRADE_LIMIT, GRADE_LIMIT)


# --- the whole summary -----------------------------------------------------------------------


def _pace(seconds: float, metres: float) -> float | None:
    if metres < 1.0 or seconds <= 0:
        return None
    return round(seconds / metres * 1000.0, 1)


def _mean(values: np.ndarray | None, weights: np.ndarray) -> float | None:
    """Time-weighted mean of the valid (positive) values; None when there are none.

    Weights are the seconds each sample stands for (the interval that ends at it), so a
    watch's sparse "smart" recording does not over-count the moments it chose to record.
    """
    if values is None:
        return None
    ok = ~np.isnan(values) & (values > 0) & (weights > 0)
    if not ok.any():
        return None
    return round(float(np.average(values[ok], weights=weights[ok])), 1)


def _max(values: np.ndarray | None) -> float | None:
    if values is None:
        return None
    v = values[~np.isnan(values)]
    return float(v.max()) if v.size else None


def summarise(
    *,
    sport: str,
    start_time: datetime,
    series: Series,
    source_format: str,
    device_totals: DeviceTotals | None = None,
    sub_sport: str | None = None,
    name: str | None = None,
    device: str | None = None,
    index: int = 0,
    source_name: str | None = None,
    warnings: Sequence[str] = (),
    moving_time_s: float | None = None,
    even_pace: bool = False,
    sport_from: str = "file",
) -> Activity:
    """Compute every summary field of an Activity from its series and the device totals.

    `series.distance_m` must already be the cumulative distance (from the device or from
    `cumulative_distance`). `moving_time_s`, when given, is the device timer's own total.
    `even_pace`: the series was made from the device totals (`reconcile.even_pace_series`).
    The distance and moving time then go through `reconcile.reconcile` against the totals.
    """
    t = series.time_s
    n = len(series)
    elapsed = float(t[-1] - t[0]) if n else 0.0
    step_moving = interval_moving(series)
    dt = np.zeros(n)
    if n > 1:
        dt[1:] = np.diff(t)
    if moving_time_s is None:
        moving_time_s = float(dt[step_moving].sum())
    moving_time_s = min(max(moving_time_s, 0.0), elapsed) if elapsed > 0 else moving_time_s

    dist = series.distance_m
    if dist is None:
        dist = np.zeros(n)
    dist = np.fmax.accumulate(np.nan_to_num(dist, nan=0.0)) if n else dist
    distance_m = float(dist[-1] - dist[0]) if n else 0.0
    settled = reconcile(distance_m, moving_time_s, elapsed, n, device_totals, even_pace)
    distance_m, moving_time_s = settled.distance_m, settled.moving_time_s
    if even_pace or settled.time_source != "samples":
        elapsed = max(elapsed, moving_time_s)
    check_span(elapsed, distance_m, source_name)  # before anything sized by time or distance

    smoothed = smoothed_elevation(series)
    from_series = series_elevation(series, smoothed)
    smooth_source = smoothed[1] if smoothed is not None else "none"
    elevation = choose_elevation(device_totals, from_series, smooth_source)

    treadmill = sport == "treadmill_running"
    dd = np.zeros(n)
    if n > 1:
        dd[1:] = np.diff(dist)
    effort = np.ones(n)
    has_grade = False
    if smoothed is not None and not treadmill:
        effort = effort_factor(grades(dist, smoothed[0]))
        has_grade = True

    avg_pace = _pace(moving_time_s, distance_m)
    gap = None
    if avg_pace is not None and (has_grade or treadmill):
        gap = _pace(moving_time_s, float((dd * effort).sum()))

    # each sample weighs the moving seconds it ends (1 s for the first, so it still counts)
    weights = np.where(step_moving, np.minimum(dt, MAX_MOVING_GAP_S), 0.0)
    if n:
        weights[0] = 1.0
    avg_hr = _mean(series.heart_rate, weights)
    max_hr = _max(series.heart_rate)

    splits = compute_splits(
        series,
        dist,
        dt * step_moving,
        dd * effort if (has_grade or treadmill) else None,
        from_series[2] if from_series is not None else None,
    )
    return Activity(
        sport=sport,
        start_time=start_time,
        series=series,
        source_format=source_format,
        elapsed_time_s=round(elapsed, 2),
        moving_time_s=round(moving_time_s, 2),
        distance_m=round(distance_m, 1),
        elevation_gain_m=elevation.gain_m,
        elevation_loss_m=elevation.loss_m,
        elevation_source=elevation.source,
        avg_pace_s_per_km=avg_pace,
        gap_s_per_km=gap,
        avg_heart_rate=avg_hr,
        max_heart_rate=max_hr,
        splits=splits,
        device_totals=device_totals,
        sub_sport=sub_sport,
        name=name,
        device=device,
        index=index,
        source_name=source_name,
        warnings=(*warnings, *settled.notes),
        distance_source=settled.distance_source,
        time_source=settled.time_source,
        elevation_smoothed=smoothed[0] if smoothed is not None else None,
        elevation_smoothed_source=smooth_source,
        sport_from=sport_from,
    )


def compute_splits(
    series: Series,
    dist: np.ndarray,
    moving_dt: np.ndarray,
    effort_dd: np.ndarray | None,
    elev_steps: np.ndarray | None,
) -> tuple[Split, ...]:
    """One split per full kilometre of cumulative distance, plus the remainder; beyond
    MAX_SPLITS kilometres each split is a whole number of kilometres long.

    Time and effort are interpolated at the exact kilometre mark; elevation and heart rate are
    taken over the samples that fall inside the split.
    """
    n = dist.shape[0]
    if n < 2:
        return ()
    rel = dist - dist[0]
    total = float(rel[-1])
    if total < 1.0:
        return ()
    length = split_length_m(total, SPLIT_M)
    k_full = int(total // length)
    marks = [k * length for k in range(k_full + 1)]
    if total - k_full * length >= 1.0:
        marks.append(total)
    cum_t = np.cumsum(moving_dt)
    cum_e = np.cumsum(effort_dd) if effort_dd is not None else None
    at_t = np.interp(marks, rel, cum_t)
    at_e = np.interp(marks, rel, cum_e) if cum_e is not None else None
    idx = np.searchsorted(rel, marks, side="left")
    hr = series.heart_rate
    splits = []
    for i in range(len(marks) - 1):
        a, b = int(idx[i]), int(idx[i + 1])
        d = marks[i + 1] - marks[i]
        mt = float(at_t[i + 1] - at_t[i])
        gap = _pace(mt, float(at_e[i + 1] - at_e[i])) if at_e is not None else None
        gain = loss = None
        if elev_steps is not None:
            seg = elev_steps[a + 1 : b + 1]
            gain = round(float(seg[seg > 0].sum()), 1)
            loss = round(float(-seg[seg < 0].sum()), 1)
        avg_hr = _mean(hr[a + 1 : b + 1], moving_dt[a + 1 : b + 1]) if hr is not None else None
        splits.append(
            Split(
                index=i + 1,
                distance_m=round(d, 1),
                moving_time_s=round(mt, 1),
                pace_s_per_km=_pace(mt, d),
                gap_s_per_km=gap,
                elevation_gain_m=gain,
                elevation_loss_m=loss,
                avg_heart_rate=avg_hr,
            )
        )
    return tuple(splits)


def finite_or_none(value: object) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None
