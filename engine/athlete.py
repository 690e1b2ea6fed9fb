"""The few facts about the runner that the load model uses, the defaults it falls back on,
and the estimate of threshold pace and heart rate from the runner's own history.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

# Used when the runner has not told us (an age-based HR max needs an age, which we do not ask).
DEFAULT_HR_MAX = 190.0
DEFAULT_HR_REST = 60.0
# Threshold pace for the pace-based load when a run has no heart rate [A]: 5:00 per km.
DEFAULT_THRESHOLD_PACE_S_PER_KM = 300.0

# --- the threshold estimate [A] --------------------------------------------------------------
# Threshold speed is taken as the speed a runner can hold for about an hour; an effort of
# duration T at speed v stands for v * (T / 1 h)^0.0566 (Riegel 1981's exponent 1.06).
RIEGEL_SPEED_EXPONENT = 0.0566
MIN_EFFORT_S = 600.0  # shorter efforts lean on anaerobic work
MAX_EFFORT_S = 4 * 3600.0
HISTORY_DAYS = 120
# Easy running is at most ~87 % of threshold speed: the threshold is at least this much
# faster than the runner's median run (Seiler 2010's zone 1) [A].
EASY_RATIO = 1.15
SPEED_RANGE_MPS = (1.8, 6.8)  # estimates outside are GPS errors or not running
HR_RANGE = (90.0, 225.0)


@dataclass(frozen=True, slots=True)
class Athlete:
    """Settings of one runner; None means "not given" and a documented default is used."""

    hr_max: float | None = None
    hr_rest: float | None = None
    sex: str | None = None  # "male" | "female" | None (Banister's weighting differs by sex)
    threshold_pace_s_per_km: float | None = None
    mass_kg: float | None = None  # for the power meter and the absolute work in kJ
    threshold_hr: float | None = None  # bpm

    def heart_rate_range(self) -> tuple[float, float, list[str]]:
        """(hr_max, hr_rest, notes about the defaults used); refuses an impossible pair."""
        notes: list[str] = []
        hr_max, hr_rest = self.hr_max, self.hr_rest
        if hr_max is None:
            hr_max = DEFAULT_HR_MAX
            notes.append(f"HR max not set: {DEFAULT_HR_MAX:.0f} bpm assumed")
        if hr_rest is None:
            hr_rest = DEFAULT_HR_REST
            notes.append(f"resting HR not set: {DEFAULT_HR_REST:.0f} bpm assumed")
        if hr_max <= hr_rest:
            notes.append(
                f"HR max {hr_max:.0f} is not above resting HR {hr_rest:.0f}: defaults used"
            )
            hr_max, hr_rest = DEFAULT_HR_MAX, DEFAULT_HR_REST
        return float(hr_max), float(hr_rest), notes

    def threshold_speed_mps(self) -> tuple[float, list[str]]:
        """(threshold speed in m/s, notes); the notes are empty only when it is known."""
        pace = self.threshold_pace_s_per_km
        if pace is None or pace <= 0:
            return 1000.0 / DEFAULT_THRESHOLD_PACE_S_PER_KM, [
                "threshold pace not known yet (it is estimated from your runs): 5:00/km assumed"
            ]
        return 1000.0 / pace, []

    def with_estimate(self, estimate: ThresholdEstimate | None) -> Athlete:
        """This athlete with the estimated threshold pace and HR where they were not set."""
        if estimate is None:
            return self
        return replace(
            self,
            threshold_pace_s_per_km=self.threshold_pace_s_per_km or estimate.pace_s_per_km,
            threshold_hr=self.threshold_hr or estimate.heart_rate,
        )


@dataclass(frozen=True, slots=True)
class ThresholdEstimate:
    speed_mps: float
    heart_rate: float | None  # bpm during the best sustained effort of 20 min or more
    hr_max_seen: float | None  # the highest heart rate recorded (a lower bound of HR max)
    efforts: int  # runs that gave an effort
    notes: list[str] = field(default_factory=list)

    @property
    def pace_s_per_km(self) -> float:
        return 1000.0 / self.speed_mps


def hour_equivalent(speed_mps: float, duration_s: float) -> float:
    """The speed for one hour that an effort of `duration_s` at `speed_mps` stands for."""
    return speed_mps * (duration_s / 3600.0) ** RIEGEL_SPEED_EXPONENT


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


def _efforts(item: Any) -> list[tuple[float, float, float | None]]:
    """(duration s, grade-adjusted speed, HR) of a run: its best windows, else the whole run."""
    out = []
    stimulus = _get(item, "stimulus") or {}
    structure = stimulus.get("structure") if isinstance(stimulus, Mapping) else None
    for window, (speed, hr) in ((structure or {}).get("best_efforts") or {}).items():
        out.append((float(window), float(speed), hr))
    moving = float(_get(item, "moving_time_s") or 0.0)
    pace = _get(item, "gap_s_per_km") or _get(item, "avg_pace_s_per_km")
    if pace and moving > 0:
        out.append((moving, 1000.0 / float(pace), _get(item, "avg_heart_rate")))
    return [
        e for e in out if MIN_EFFORT_S <= e[0] <= MAX_EFFORT_S and math.isfinite(e[1]) and e[1] > 0
    ]


def estimate_threshold(
    history: Iterable[Any], now: datetime | None = None, days: int = HISTORY_DAYS
) -> ThresholdEstimate | None:
    """Threshold speed and heart rate from the runner's best sustained efforts, or None.

    `history`: stored activity rows, importers' Activities or dicts with `start_time`,
    `is_run`, `moving_time_s`, `gap_s_per_km` or `avg_pace_s_per_km`, `avg_heart_rate`,
    `max_heart_rate` and optionally `stimulus` (Stimulus.to_dict(), whose structure holds the
    best 10-60 min efforts). The runs of the last `days` days count: each effort of 10 min to
    4 h is turned into its one-hour equivalent (Riegel) and the best of them is the threshold,
    but never less than EASY_RATIO x the median run's speed [A].
    """
    items = list(history)
    times = [_get(a, "start_time") for a in items]
    latest = now or max((t for t in times if t is not None), default=None)
    if latest is None:
        return None
    since = _aware(latest) - timedelta(days=days)
    runs = [
        a
        for a, t in zip(items, times, strict=True)
        if t is not None and _get(a, "is_run") is not False and _aware(t) >= since
    ]
    best: tuple[float, float, float | None] | None = None  # (hour speed, duration, HR)
    whole: list[float] = []
    used = 0
    for run in runs:
        efforts = _efforts(run)
        used += bool(efforts)
        for duration, speed, hr in efforts:
            if duration == float(_get(run, "moving_time_s") or 0.0):
                whole.append(speed)
            hour = hour_equivalent(speed, duration)
            if SPEED_RANGE_MPS[0] <= hour <= SPEED_RANGE_MPS[1] and (
                best is None or hour > best[0]
            ):
                best = (hour, duration, hr if duration >= 1200 else None)
    if best is None:
        return None
    notes = [f"threshold from {used} runs of the last {days} days"]
    speed = best[0]
    if whole and speed < EASY_RATIO * median(whole):
        speed = EASY_RATIO * median(whole)
        notes.append("no hard effort found: threshold set 15 % faster than the usual run")
    hrs = [_get(a, "max_heart_rate") for a in runs]
    hrs = [float(h) for h in hrs if h and HR_RANGE[0] <= float(h) <= HR_RANGE[1]]
    hr = best[2] if best[2] and HR_RANGE[0] <= best[2] <= HR_RANGE[1] else None
    return ThresholdEstimate(
        speed_mps=float(min(speed, SPEED_RANGE_MPS[1])),
        heart_rate=hr,
        hr_max_seen=max(hrs) if hrs else None,
        efforts=used,
        notes=notes,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
