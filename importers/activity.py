"""The activity model: what every importer produces and the engine consumes.

This is the contract between `importers/` and `engine/`. Series are column-oriented numpy
arrays of one length (one entry per recorded sample); a channel the file does not have is
None, and a sample missing from a channel that exists is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

# Sports Legday knows. Runs are counted; the others are shown but get no leg stimulus.
RUN_SPORTS = frozenset({"running", "trail_running", "treadmill_running"})
ELEVATION_SOURCES = ("device", "barometric", "gps", "none")
FIGURE_SOURCES = ("samples", "laps", "session")  # where distance and moving time come from


@dataclass(frozen=True, slots=True, eq=False)
class Series:
    """Per-sample channels. `time_s` is seconds since the activity's start (never None)."""

    time_s: np.ndarray
    lat: np.ndarray | None = None
    lon: np.ndarray | None = None
    altitude_m: np.ndarray | None = None
    distance_m: np.ndarray | None = None  # cumulative
    speed_mps: np.ndarray | None = None
    heart_rate: np.ndarray | None = None  # beats per minute
    cadence_spm: np.ndarray | None = None  # steps per minute (both feet)
    power_w: np.ndarray | None = None
    # True where the device's timer was running (False inside pauses); None = unknown.
    moving: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.time_s.shape[0])


@dataclass(frozen=True, slots=True)
class DeviceTotals:
    """The session totals the device itself wrote (FIT session message, TCX lap sums)."""

    distance_m: float | None = None
    elevation_gain_m: float | None = None
    elevation_loss_m: float | None = None
    timer_time_s: float | None = None
    elapsed_time_s: float | None = None
    avg_heart_rate: float | None = None
    max_heart_rate: float | None = None
    source: str = "session"  # where they come from: session (FIT) | laps (TCX lap sums)


@dataclass(frozen=True, slots=True)
class Split:
    """One kilometre (the last one may be shorter)."""

    index: int
    distance_m: float
    moving_time_s: float
    pace_s_per_km: float | None
    gap_s_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_heart_rate: float | None


@dataclass(frozen=True, slots=True, eq=False)
class Activity:
    sport: str  # running | trail_running | treadmill_running | walking | hiking | cycling | ...
    start_time: datetime  # timezone-aware, UTC
    series: Series
    source_format: str  # fit | gpx | tcx
    elapsed_time_s: float
    moving_time_s: float
    distance_m: float
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    elevation_source: str  # one of ELEVATION_SOURCES
    avg_pace_s_per_km: float | None
    gap_s_per_km: float | None
    avg_heart_rate: float | None
    max_heart_rate: float | None
    splits: tuple[Split, ...] = ()
    device_totals: DeviceTotals | None = None
    sub_sport: str | None = None
    name: str | None = None
    device: str | None = None
    index: int = 0  # position within the file (multisport legs, zip members)
    source_name: str | None = None  # file name (zip member path) it came from
    warnings: tuple[str, ...] = field(default_factory=tuple)
    distance_source: str = "samples"  # one of FIGURE_SOURCES (importers/reconcile.py)
    time_source: str = "samples"  # moving time's source, one of FIGURE_SOURCES
    # The one smoothed altitude series everything downstream uses (slope, splits' climb,
    # totals): metres, one value per sample of `series` (NaN where unknown), None without
    # altitude; `elevation_smoothed_source` says what it was made from: barometric | gps | none.
    elevation_smoothed: np.ndarray | None = None
    elevation_smoothed_source: str = "none"
    sport_from: str = "file"  # file | csv | guess (the moving speed)

    @property
    def is_run(self) -> bool:
        return self.sport in RUN_SPORTS

    @property
    def fingerprint(self) -> str:
        """Same for the GPX and the FIT of one activity: start minute, duration, distance."""
        from importers.fingerprint import fingerprint

        return fingerprint(self)
