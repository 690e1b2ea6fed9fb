"""What templates/activities/_map.html needs: the route with its ends hidden, and the basemap.

The page gets the visible points twice, as an SVG path (works everywhere, offline too) and as
JSON for static/js/map.js, which puts them on Leaflet over the configured tile server and hides
the SVG once a tile has loaded. Both come from the same trimmed series (webapp.privacy).
"""

from __future__ import annotations

from flask import current_app

from webapp import charts
from webapp.privacy import DEFAULT_ZONE_M, hide_ends

OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"


def _zone_m(config) -> float:
    return float(config.get("PRIVACY_ZONE_M", DEFAULT_ZONE_M) or 0)


def visible(series: dict, config=None) -> dict:
    """The chart series with the privacy zone's positions set to None (see webapp.privacy).

    `config` defaults to the current app's (PRIVACY_ZONE_M, metres; 0 hides nothing).
    """
    return hide_ends(series or {}, _zone_m(config if config is not None else current_app.config))


def route_map(shown: dict, config=None) -> dict | None:
    """{"svg": charts.route(...), "points": [[lat, lon], ...], "tile_url", "attribution",
    "attribution_url", "zone_m"} for an activity's chart series, or None without a route.

    `shown` is the chart series AFTER webapp.privacy.hide_ends (this function draws what it
    is given). `config` is the app config (a mapping; the current app's by default):
    TILE_URL ("" for no basemap), TILE_ATTRIBUTION, PRIVACY_ZONE_M (metres, for the note).
    """
    config = config if config is not None else current_app.config
    zone_m = _zone_m(config)
    shown = shown or {}
    svg = charts.route(shown.get("lat"), shown.get("lon"))
    if svg is None:
        return None
    points = [
        [a, o]
        for a, o in zip(shown.get("lat") or [], shown.get("lon") or [], strict=False)
        if a is not None and o is not None
    ]
    tile_url = config.get("TILE_URL") or ""
    return {
        "svg": svg,
        "points": points,
        "tile_url": tile_url,
        "attribution": config.get("TILE_ATTRIBUTION") or "",
        "attribution_url": OSM_COPYRIGHT if "openstreetmap.org" in tile_url else "",
        "zone_m": zone_m,
    }
