"""Charts, from samples to SVG: the series stored for them and the geometry the pages draw.

At import, `chart_series(series)` decimates an activity's samples (importers.activity.Series)
to at most MAX_CHART_POINTS points per column (time s, distance m, altitude m, pace s/km,
heart rate bpm, lat/lon degrees), stored as Activity.chart_series. On the pages, plain
functions turn that stored series into SVG coordinates (the route, elevation and pace
profiles, the stimulus bars) and the week's acute/chronic trend into sentences
(`trend_rows`); the templates draw them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from webapp.load_words import change_words
from webapp.units import FEET_PER_METRE, distance_value, format_duration

MAX_CHART_POINTS = 500
BASELINE_DAYS = 21  # before three weeks of history the 6-week line means little


@dataclass
class Profile:
    """A line chart: an SVG path over a `width` x `height` box, with labelled ticks."""

    path: str
    area: str
    width: int
    height: int
    y_ticks: list[tuple[float, str]] = field(default_factory=list)  # (y pixel, label)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    low: str = ""
    high: str = ""


def route(lat: list | None, lon: list | None, size: int = 320, pad: int = 10) -> dict | None:
    """The track as an SVG path, north up, scaled to fit a square (equirectangular)."""
    pairs = zip(lat or [], lon or [], strict=False)
    points = [(a, o) for a, o in pairs if a is not None and o is not None]
    if len(points) < 2:
        return None
    mid = math.radians(sum(a for a, _ in points) / len(points))
    xs = [o * math.cos(mid) for _, o in points]
    ys = [-a for a, _ in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    scale = (size - 2 * pad) / span
    width = (max(xs) - min(xs)) * scale + 2 * pad
    height = (max(ys) - min(ys)) * scale + 2 * pad
    x0, y0 = min(xs), min(ys)
    coords = [((x - x0) * scale + pad, (y - y0) * scale + pad) for x, y in zip(xs, ys, strict=True)]
    return {
        "path": "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords),
        "start": coords[0],
        "end": coords[-1],
        "width": round(width),
        "height": round(height),
    }


def _axis_distance(series: dict, units: str) -> list | None:
    if series.get("d"):
        return [None if d is None else distance_value(d, units) for d in series["d"]]
    return None


def _nice_step(span: float, target: int = 4) -> float:
    raw = span / target if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def profile(
    xs: list,
    ys: list,
    label_y,
    *,
    invert: bool = False,
    width: int = 340,
    height: int = 130,
    clip: tuple[float, float] | None = None,
    x_unit: str = "km",
) -> Profile | None:
    """A profile of ys against xs (None gaps skipped); `invert` puts small values on top."""
    pairs = [(x, y) for x, y in zip(xs, ys, strict=False) if x is not None and y is not None]
    if len(pairs) < 2:
        return None
    values = sorted(y for _, y in pairs)
    if clip:
        lo_v = values[int(clip[0] * (len(values) - 1))]
        hi_v = values[int(clip[1] * (len(values) - 1))]
        pairs = [(x, min(max(y, lo_v), hi_v)) for x, y in pairs]
    left, right, top, bottom = 44, 8, 8, 22
    x0, x1 = pairs[0][0], pairs[-1][0]
    y_lo, y_hi = min(y for _, y in pairs), max(y for _, y in pairs)
    if y_hi - y_lo < 1e-6:
        y_lo, y_hi = y_lo - 1, y_hi + 1
    inner_w, inner_h = width - left - right, height - top - bottom

    def px(x):
        return left + (x - x0) / ((x1 - x0) or 1) * inner_w

    def py(y):
        frac = (y - y_lo) / (y_hi - y_lo)
        return top + (frac if invert else 1 - frac) * inner_h

    line = " L".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pairs)
    base = top + inner_h
    result = Profile(
        path="M" + line,
        area=f"M{px(x0):.1f},{base:.1f} L{line} L{px(x1):.1f},{base:.1f} Z",
        width=width,
        height=height,
        low=label_y(y_lo),
        high=label_y(y_hi),
    )
    step = _nice_step(y_hi - y_lo, 3)
    tick = math.ceil(y_lo / step) * step
    while tick <= y_hi + 1e-9:
        result.y_ticks.append((round(py(tick), 1), label_y(tick)))
        tick += step
    xstep = _nice_step(x1 - x0, 4)
    tick = math.ceil(x0 / xstep) * xstep
    while tick <= x1 + 1e-9:
        result.x_ticks.append((round(px(tick), 1), f"{tick:g}"))
        tick += xstep
    if result.x_ticks:
        last_x, last_label = result.x_ticks[-1]
        result.x_ticks[-1] = (last_x, f"{last_label} {x_unit}")
    return result


def activity_charts(series: dict, units: str) -> dict:
    """Route, elevation profile and pace profile for a stored chart series."""
    series = series or {}
    xs = _axis_distance(series, units)
    x_unit = units
    if xs is None and series.get("t"):
        xs = [None if t is None else t / 60 for t in series["t"]]
        x_unit = "min"
    charts: dict = {"route": route(series.get("lat"), series.get("lon"))}
    if xs and series.get("alt"):
        if units == "mi":
            alts = [None if a is None else a * FEET_PER_METRE for a in series["alt"]]
            unit = "ft"
        else:
            alts, unit = series["alt"], "m"
        charts["elevation"] = profile(xs, alts, lambda v: f"{v:,.0f} {unit}", x_unit=x_unit)
    if xs and series.get("pace"):
        factor = 1.609344 if units == "mi" else 1.0
        paces = [None if p is None else p * factor for p in series["pace"]]
        charts["pace"] = profile(
            xs,
            paces,
            lambda v: format_duration(v),
            invert=True,
            clip=(0.05, 0.95),
            x_unit=x_unit,
        )
    return charts


def stimulus_bars(stimulus: dict, labels: dict[str, str]) -> list[dict]:
    """Per muscle: concentric/eccentric/isometric as percentages of the biggest total."""
    muscles = (stimulus or {}).get("muscles", stimulus or {})
    rows = []
    for key, load in muscles.items():
        if not isinstance(load, dict):
            continue
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key.replace("_", " ").capitalize()),
                "concentric": float(load.get("concentric") or 0),
                "eccentric": float(load.get("eccentric") or 0),
                "isometric": float(load.get("isometric") or 0),
                "total": float(load.get("total") or 0),
                "damage": float(load.get("damage") or 0),
            }
        )
    biggest = max((r["concentric"] + r["eccentric"] + r["isometric"] for r in rows), default=0)
    for r in rows:
        for part in ("concentric", "eccentric", "isometric"):
            r[part + "_pct"] = round(100 * r[part] / biggest, 1) if biggest else 0
    return sorted(rows, key=lambda r: -r["total"])


# --- stored at import: the decimated series ---------------------------------------------


def chart_series(series, max_points: int = MAX_CHART_POINTS) -> dict[str, list | None]:
    """At most `max_points` samples for the charts: time, distance, altitude, pace, HR, route."""
    n = len(series)
    if n == 0:
        return {}
    idx = np.unique(np.linspace(0, n - 1, min(n, max_points)).round().astype(int))

    def column(values, digits):
        if values is None:
            return None
        picked = np.asarray(values, dtype=float)[idx]
        if not np.isfinite(picked).any():
            return None
        return [round(float(v), digits) if math.isfinite(v) else None for v in picked]

    out = {
        "t": column(series.time_s, 0),
        "d": column(series.distance_m, 1),
        "alt": column(series.altitude_m, 1),
        "hr": column(series.heart_rate, 0),
        "lat": column(series.lat, 5),
        "lon": column(series.lon, 5),
        "pace": None,
    }
    out["pace"] = _pace_column(series, idx)
    return out


def _pace_column(series, idx: np.ndarray) -> list | None:
    """Seconds per km between neighbouring chart points (smoother than the raw speed)."""
    t = np.asarray(series.time_s, dtype=float)
    if series.distance_m is not None:
        d = np.asarray(series.distance_m, dtype=float)
    elif series.speed_mps is not None:
        return _pace_from_speed(np.asarray(series.speed_mps, dtype=float), idx)
    else:
        return None
    t, d = t[idx], d[idx]
    if len(idx) < 3:
        return None
    lo = np.concatenate(([0], np.arange(len(idx) - 1)))
    hi = np.concatenate((np.arange(1, len(idx)), [len(idx) - 1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = (d[hi] - d[lo]) / (t[hi] - t[lo])
    return _pace_from_speed(speed, None)


def _pace_from_speed(speed: np.ndarray, idx) -> list | None:
    if idx is not None:
        speed = speed[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(speed > 0.8, 1000.0 / speed, np.nan)  # slower than ~21 min/km: stopped
    if not np.isfinite(pace).any():
        return None
    return [round(float(v), 0) if math.isfinite(v) else None for v in pace]


# --- the week page: the trend in words -----------------------------------------------------


def trend_rows(
    trend: dict, labels: dict[str, str], history_days: int = BASELINE_DAYS
) -> list[dict]:
    """Per muscle, a sentence on its last 7 days against its 6-week average (the chart beside it
    is uPlot's: webapp.chart_data.load_chart); wording and floor from webapp.load_words."""
    out = []
    for key, lines in trend.get("muscles", {}).items():
        acute, chronic = lines["acute"], lines["chronic"]
        last_a, last_c = (acute[-1] if acute else 0), (chronic[-1] if chronic else 0)
        change = change_words(last_a, last_c, "your 6-week average")
        if change.status == "none":
            words = change.words
        elif history_days < BASELINE_DAYS:
            words = f"Building your baseline: {history_days} days of runs so far."
        else:
            words = f"Last 7 days: {change.words[0].lower()}{change.words[1:]}"
        out.append(
            {"key": key, "label": labels.get(key, key), "status": change.status, "words": words}
        )
    return out
