"""Sport names of the three formats mapped onto Legday's few sports."""

from __future__ import annotations

# FIT (sport, sub_sport) pairs and the words GPX/TCX files use.
_TREADMILL_SUBS = {"treadmill", "indoor_running", "virtual_activity"}
_TRAIL_SUBS = {"trail", "mountain", "ultra"}

_WORDS = {
    "running": "running",
    "run": "running",
    "road_running": "running",
    "street_running": "running",
    "track_running": "running",
    "trail_running": "trail_running",
    "trail run": "trail_running",
    "trail": "trail_running",
    "mountain_running": "trail_running",
    "treadmill_running": "treadmill_running",
    "treadmill": "treadmill_running",
    "indoor_running": "treadmill_running",
    "virtualrun": "treadmill_running",
    "walking": "walking",
    "walk": "walking",
    "hiking": "hiking",
    "hike": "hiking",
    "cycling": "cycling",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "mountain_biking": "cycling",
    "swimming": "swimming",
    "swim": "swimming",
    "rowing": "rowing",
    "cross_country_skiing": "cross_country_skiing",
    "transition": "transition",
    "fitness_equipment": "fitness_equipment",
    "training": "training",
    "multisport": "multisport",
}

# Strava's numeric activity types as they appear in its GPX <type> element.
_STRAVA_TYPES = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking", "2": "swimming"}


def fit_sport(sport: object, sub_sport: object) -> str:
    """Legday's sport for a FIT session's sport and sub-sport."""
    s = sport if isinstance(sport, str) else "other"
    sub = sub_sport if isinstance(sub_sport, str) else ""
    if s == "running":
        if sub in _TREADMILL_SUBS:
            return "treadmill_running"
        if sub in _TRAIL_SUBS:
            return "trail_running"
        return "running"
    if s == "generic":
        return "other"
    return _WORDS.get(s, s)


def word_sport(word: str | None) -> str | None:
    """Legday's sport for a free-text GPX/TCX sport, or None when the word says nothing."""
    if not word:
        return None
    w = word.strip().lower().replace("-", "_")
    if w in _STRAVA_TYPES:
        return _STRAVA_TYPES[w]
    if w in _WORDS:
        return _WORDS[w]
    w2 = w.replace(" ", "_")
    if w2 in _WORDS:
        return _WORDS[w2]
    if "treadmill" in w:
        return "treadmill_running"
    if "trail" in w and "run" in w:
        return "trail_running"
    if "run" in w:
        return "running"
    if "walk" in w:
        return "walking"
    if "hik" in w:
        return "hiking"
    if "bik" in w or "cycl" in w or "ride" in w:
        return "cycling"
    if "swim" in w:
        return "swimming"
    if w in ("other", "generic", "unknown", ""):
        return None
    return "other"


def counts_steps(sport: str) -> bool:
    """Sports whose FIT/TCX cadence is strides per minute (one foot), doubled to steps."""
    return sport in ("running", "trail_running", "treadmill_running", "walking", "hiking")
