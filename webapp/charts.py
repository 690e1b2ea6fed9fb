"""SVG geometry for the activity page: the route from the track, elevation and pace profiles.

Plain functions that turn a stored chart series into coordinates; the templates draw them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from webapp.units import FEET_PER_METRE, distance_value, format_duration


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
