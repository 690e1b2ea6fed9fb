"""The privacy zone: hide the first and last few hundred metres of a route before it is drawn.

Where a run starts and ends is usually where the runner lives or works; a basemap from a third
party tile server, or a shared screenshot, would show it. The trimming happens here, on the
server, so that the hidden points never reach the page (neither the map nor the SVG route).
Plain functions, no Flask.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

DEFAULT_ZONE_M = 200.0  # metres hidden at each end, on by default
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in metres between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _first_outside(points: Sequence[tuple[float, float]], metres: float) -> int:
    """Index of the first point both `metres` along the track and `metres` from its start."""
    origin = points[0]
    along = 0.0
    for i in range(1, len(points)):
        along += distance_m(points[i - 1], points[i])
        if along >= metres and distance_m(origin, points[i]) >= metres:
            return i
    return len(points)


def kept_range(latlons: Sequence[tuple[float, float] | None], metres: float) -> range:
    """The indexes of `latlons` that stay visible once `metres` are hidden at each end.

    A point is hidden until the track is `metres` along from its first fix AND `metres` in a
    straight line from it (a route that doubles back near home stays hidden), and likewise back
    from the last fix. Points without a fix (None) count for nothing. `metres` <= 0 keeps all.
    An empty range when the route is too short to show anything.
    """
    fixed = [i for i, p in enumerate(latlons) if p is not None]
    if metres <= 0 or not fixed:
        return range(fixed[0], fixed[-1] + 1) if fixed else range(0)
    points = [latlons[i] for i in fixed]
    start = _first_outside(points, metres)
    end = len(points) - 1 - _first_outside(points[::-1], metres)
    if start > end:
        return range(0)
    return range(fixed[start], fixed[end] + 1)


def trim_route(
    latlons: Sequence[tuple[float, float] | None], metres: float = DEFAULT_ZONE_M
) -> list[tuple[float, float]]:
    """The visible (lat, lon) points of a route, `metres` hidden at each end (see kept_range)."""
    kept = kept_range(latlons, metres)
    return [p for p in (latlons[i] for i in kept) if p is not None]


def hide_ends(series: dict, metres: float = DEFAULT_ZONE_M) -> dict:
    """A copy of a chart series ({"lat": [...], "lon": [...], ...}) with hidden fixes set to None.

    The other columns (distance, elevation, pace, heart rate) are kept: they do not say where.
    """
    series = dict(series or {})
    lat, lon = series.get("lat") or [], series.get("lon") or []
    if not lat or not lon:
        return series
    pairs = [
        (a, o) if a is not None and o is not None else None for a, o in zip(lat, lon, strict=False)
    ]
    kept = kept_range(pairs, metres)
    series["lat"] = [a if i in kept else None for i, a in enumerate(lat)]
    series["lon"] = [o if i in kept else None for i, o in enumerate(lon)]
    return series
