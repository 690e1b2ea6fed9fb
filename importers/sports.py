"""Sport names of the three formats mapped onto Legday's few sports, and the sport of a file
that names none (from its moving speed against what runners can do)."""

from __future__ import annotations

import math

import numpy as np

# Men's running world records (World Athletics, 2024): (seconds, metres). Their mean speed is
# the fastest a human runs for that long; between them the bound is interpolated on log time.
RUN_RECORDS = (
    (9.58, 100.0),
    (43.03, 400.0),
    (100.91, 800.0),
    (206.0, 1500.0),
    (755.36, 5000.0),
    (1571.0, 10000.0),
    (3451.0, 21097.5),
    (7235.0, 42195.0),
    (21935.0, 100000.0),
    (86400.0, 319614.0),
)
WALK_MAX_MPS = 1.6

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


def max_run_speed(duration_s: float) -> float:
    """The fastest mean speed (m/s) anyone has run for `duration_s` (world records, log-time
    interpolation; flat beyond the ends)."""
    xs = [math.log(t) for t, _ in RUN_RECORDS]
    ys = [d / t for t, d in RUN_RECORDS]
    return float(np.interp(math.log(max(duration_s, 1.0)), xs, ys))


def guess_sport(t: np.ndarray, dist: np.ndarray | None, moving: np.ndarray) -> str:
    """Running unless the moving speed says walking, or is faster than any runner over that
    moving time (then cycling). `moving[i]` marks the interval that ends at sample i."""
    if dist is None or t.shape[0] < 2:
        return "running"
    secs = float(np.diff(t)[moving[1:]].sum())
    if secs <= 0:
        return "running"
    speed = float(np.nanmax(dist) - dist[0]) / secs
    if speed > max_run_speed(secs):
        return "cycling"
    if speed < WALK_MAX_MPS:
        return "walking"
    return "running"
