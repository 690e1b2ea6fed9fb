"""The JSON that static/js/charts.js draws: an activity's profile and the per-muscle load lines.

Each function returns a plain dict that a template writes into a
`<script type="application/json">` element (with Jinja's `tojson`); charts.js reads it from
there, so the page needs no inline script. Units are converted here, in the runner's units.
"""

from __future__ import annotations

from webapp.units import FEET_PER_METRE, METRES_PER_MILE, distance_value, speed_unit, speed_value


def _clip(values: list, low: float = 0.05, high: float = 0.95) -> list:
    """Values clamped to their `low`..`high` quantiles (a stop or a GPS jump stays on the chart)."""
    known = sorted(v for v in values if v is not None)
    if len(known) < 3:
        return values
    lo, hi = known[int(low * (len(known) - 1))], known[int(high * (len(known) - 1))]
    return [None if v is None else min(max(v, lo), hi) for v in values]


def activity_chart(series: dict, units: str = "km", speed: bool = False) -> dict | None:
    """Elevation, pace (speed for a ride: `speed`) and heart rate against distance (or
    minutes), for charts.js.

    `series` is an activity's stored chart series ({"t": s, "d": m, "alt": m, "pace": s/km,
    "hr": bpm}, lists of equal length with None gaps). Returns {"x": [...], "x_unit": "km" |
    "mi" | "min", "series": [{"key", "label", "unit", "values"}...]} with elevation in m (ft in
    miles mode), pace in seconds per km (per mile) or speed in km/h (mph), or None when there
is nothing to draw.
    """
    series = series or {}
    if series.get("d"):
        x = [None if d is None else round(distance_value(d, units), 3) for d in series["d"]]
        x_unit = units
    elif series.get("t"):
        x = [None if t is None else round(t / 60, 2) for t in series["t"]]
        x_unit = "min"
    else:
        return None
    lines = []
    if series.get("alt") and any(a is not None for a in series["alt"]):
        factor, unit = (FEET_PER_METRE, "ft") if units == "mi" else (1.0, "m")
        values = [None if a is None else round(a * factor, 1) for a in series["alt"]]
        lines.append({"key": "elevation", "label": "Elevation", "unit": unit, "values": values})
    if speed and series.get("pace") and any(p is not None for p in series["pace"]):
        values = [None if p is None else round(speed_value(p, units), 1) for p in series["pace"]]
        lines.append(
            {"key": "speed", "label": "Speed", "unit": speed_unit(units), "values": _clip(values)}
        )
    elif series.get("pace") and any(p is not None for p in series["pace"]):
        factor = METRES_PER_MILE / 1000 if units == "mi" else 1.0
        values = _clip([None if p is None else round(p * factor, 1) for p in series["pace"]])
        lines.append({"key": "pace", "label": "Pace", "unit": f"/{units}", "values": values})
    if series.get("hr") and any(h is not None for h in series["hr"]):
        lines.append({"key": "hr", "label": "Heart rate", "unit": "bpm", "values": series["hr"]})
    # uPlot wants x ascending with no gaps: drop the samples without an x.
    keep = [i for i, v in enumerate(x) if v is not None]
    if len(keep) < 2 or not lines:
        return None
    return {
        "x": [x[i] for i in keep],
        "x_unit": x_unit,
        "series": [{**line, "values": [line["values"][i] for i in keep]} for line in lines],
    }


def load_chart(trend: dict, labels: dict[str, str]) -> dict | None:
    """Per-muscle acute (last 7 days) against chronic (last 6 weeks) load, for charts.js.

    `trend` is {"days": ["YYYY-MM-DD", ...], "muscles": {key: {"acute": [...], "chronic":
    [...]}}} with loads per week (the week view's `trend`; 84 days make the 12-week chart).
    Returns {"days": [...], "muscles": [{"key", "label", "acute", "chronic"}...]} or None.
    """
    days = (trend or {}).get("days") or []
    muscles = (trend or {}).get("muscles") or {}
    if len(days) < 2 or not muscles:
        return None
    return {
        "days": list(days),
        "muscles": [
            {
                "key": key,
                "label": labels.get(key, key),
                "acute": list(lines.get("acute") or []),
                "chronic": list(lines.get("chronic") or []),
            }
            for key, lines in muscles.items()
        ],
    }
