"""From an Activity's recorded channels to clean per-second samples the load model can use.

The recording is put on a one-second grid of moving time (pauses removed), so that a watch
that records every second and one that records every five seconds give the same numbers.
Speed is smoothed over about 5 s, acceleration is taken from the smoothed speed, and grade is
measured over at least 30 m of distance (model doc section 2.1). The grid never has more than
MAX_GRID_POINTS points (importers.limits): a longer activity is laid on a coarser grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.mechanics import GRADE_LIMIT
from importers import limits
from importers.activity import Activity, Series
from importers.elevation import is_smooth_altimeter, smooth_altitude

GRID_S = 1.0
SPEED_WINDOW_S = 5.0
GRADE_WINDOW_M = 30.0  # at least this much distance per grade estimate [A]
# A gap in the recording longer than this with less than PAUSE_SPEED average speed is a pause.
PAUSE_GAP_S = 10.0
PAUSE_SPEED = 0.5
CADENCE_RANGE_SPM = (40.0, 260.0)
EARTH_RADIUS_M = 6_371_000.0
TREADMILL_WORDS = ("treadmill", "indoor")
# Faster than this is a GPS jump or not on foot; such stretches count at this speed [A].
MAX_SPEED = 10.0
# The importer's smoothed elevation series, one value per sample, when an Activity has one.
# Descent damage measured on a GPS-only altitude counts at this weight [A].
GPS_SLOPE_DAMAGE = 0.75


@dataclass(frozen=True, slots=True, eq=False)
class Samples:
    """One entry per second of moving time."""

    time_s: np.ndarray  # moving time
    distance_m: np.ndarray  # cumulative
    speed_mps: np.ndarray  # smoothed over ~5 s
    acceleration_mps2: np.ndarray
    grade: np.ndarray  # rise over run, over >= 30 m, clipped to +-0.45 (0 without elevation)
    cadence_spm: np.ndarray | None  # NaN where missing
    heart_rate: np.ndarray | None  # NaN where missing
    power_w: np.ndarray | None  # NaN where missing
    notes: list[str] = field(default_factory=list)
    elevation: str = "none"  # what the grade was measured on (Slope.source), or "none"
    slope_damage_factor: float = 1.0  # Slope.damage_factor

    def __len__(self) -> int:
        return int(self.time_s.shape[0])

    @property
    def step_m(self) -> np.ndarray:
        """Metres each sample stands for (half of each neighbouring interval); sums to distance."""
        return _half_steps(self.distance_m)

    @property
    def step_s(self) -> np.ndarray:
        """Seconds each sample stands for, in the same way."""
        return _half_steps(self.time_s)


def _half_steps(x: np.ndarray) -> np.ndarray:
    if x.shape[0] < 2:
        return np.zeros_like(x)
    inc = np.diff(x)
    return np.concatenate([[0.0], inc]) / 2.0 + np.concatenate([inc, [0.0]]) / 2.0


def _filled(values: np.ndarray | None, t: np.ndarray, minimum: int = 2) -> np.ndarray | None:
    """Channel with NaNs filled by interpolation in time; None when too few real values."""
    if values is None:
        return None
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v)
    if int(ok.sum()) < minimum:
        return None
    if ok.all():
        return v
    return np.interp(t, t[ok], v[ok])


def _haversine_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    a = (
        np.sin(np.diff(la) / 2) ** 2
        + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(np.diff(lo) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _cumulative_distance(s: Series, t: np.ndarray) -> np.ndarray | None:
    dist = _filled(s.distance_m, t)
    if dist is not None:
        return np.maximum.accumulate(dist - dist[0])
    speed = _filled(s.speed_mps, t)
    if speed is not None:
        speed = np.maximum(speed, 0.0)
        return np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2 * np.diff(t))])
    if s.lat is not None and s.lon is not None:
        ok = np.isfinite(s.lat) & np.isfinite(s.lon)
        if int(ok.sum()) >= 2:
            steps = np.concatenate([[0.0], np.cumsum(_haversine_m(s.lat[ok], s.lon[ok]))])
            return np.interp(t, t[ok], steps)
    return None


def is_treadmill(activity: Activity) -> bool:
    words = f"{activity.sport} {activity.sub_sport or ''}".lower()
    return any(w in words for w in TREADMILL_WORDS)


@dataclass(frozen=True, slots=True, eq=False)
class Slope:
    """The elevation the slope is measured on, one value per recorded sample (metres)."""

    altitude_m: np.ndarray
    source: str  # "barometric" | "smoothed" (the importer's series) | "gps" (GPS only)
    damage_factor: float  # weight of descent damage measured on it (GPS only: discounted [A])
    notes: list[str] = field(default_factory=list)


def _descent_scaled(alt: np.ndarray, gain: float | None, loss: float | None) -> np.ndarray:
    """Altitude whose climbs and descents add up to no more than the importer's totals.

    The importer counts elevation with a hysteresis that ignores wiggles smaller than a couple
    of metres; noise makes many such wiggles. Scaling every step down to the credible totals
    keeps real hills (counted in full by both) and removes the climb and descent of noise.
    """
    steps = np.diff(alt)
    up, down = steps.clip(min=0.0), steps.clip(max=0.0)
    series_gain, series_loss = float(up.sum()), float(-down.sum())
    k_up = 1.0 if gain is None or series_gain <= 0 else min(1.0, max(gain, 0.0) / series_gain)
    k_down = 1.0 if loss is None or series_loss <= 0 else min(1.0, max(loss, 0.0) / series_loss)
    return alt[0] + np.concatenate([[0.0], np.cumsum(up * k_up + down * k_down)])


def slope_series(activity: Activity) -> Slope | None:
    """The one credible elevation series of an activity, or None (treadmill, no altitude).

    - The importer's one smoothed elevation series (`Activity.elevation_smoothed`, made by
      `importers.elevation`), when the Activity carries one, is used as it is; its
      `elevation_smoothed_source` says whether it came from GPS.
    - Otherwise a barometric or device altitude (a smooth trace by the importer's own test)
      is used raw, and a GPS-only altitude is smoothed with the importer's own smoothing.
    - Climb and descent are then kept within the importer's totals (`elevation_gain_m`,
      `elevation_loss_m`), and damage from a GPS-only slope is discounted (GPS_SLOPE_DAMAGE).
    """
    s = activity.series
    if is_treadmill(activity) or activity.elevation_source == "none" or s.altitude_m is None:
        return None
    t = np.maximum.accumulate(np.asarray(s.time_s, dtype=float))
    smoothed = activity.elevation_smoothed
    if smoothed is not None and np.shape(smoothed) == np.shape(t):
        alt = _filled(np.asarray(smoothed, dtype=float), t)
        source = "gps" if activity.elevation_smoothed_source == "gps" else "smoothed"
    else:
        alt = _filled(s.altitude_m, t)
        if alt is None:
            return None
        if activity.elevation_source == "barometric" or is_smooth_altimeter(t, alt):
            source = "barometric"
        else:
            source = "gps"
            alt = _filled(smooth_altitude(t, alt), t)
    if alt is None:
        return None
    alt = _descent_scaled(alt, activity.elevation_gain_m, activity.elevation_loss_m)
    notes = []
    damage_factor = 1.0
    if source == "gps":
        damage_factor = GPS_SLOPE_DAMAGE
        notes.append(
            f"GPS-only altitude: slope from the smoothed track, descent damage x{GPS_SLOPE_DAMAGE}"
        )
    return Slope(alt, source, damage_factor, notes)


def _altitude(activity: Activity, t: np.ndarray, notes: list[str]) -> Slope | None:
    if is_treadmill(activity):
        notes.append("treadmill: grade taken as 0")
        return None
    slope = slope_series(activity)
    if slope is None:
        notes.append("no elevation data: grade taken as 0")
        return None
    notes.extend(slope.notes)
    return slope


def _centred_rate(y: np.ndarray, t: np.ndarray, window: float) -> np.ndarray:
    """dy/dt over a centred window of `window` seconds, shortened at the ends."""
    if t.shape[0] < 2:
        return np.zeros_like(y)
    half = window / 2.0
    lo = np.maximum(t - half, t[0])
    hi = np.minimum(t + half, t[-1])
    span = hi - lo
    rate = (np.interp(hi, t, y) - np.interp(lo, t, y)) / np.where(span > 0, span, 1.0)
    return np.where(span > 0, rate, 0.0)


def grade_over_distance(distance_m: np.ndarray, altitude_m: np.ndarray) -> np.ndarray:
    """Rise over run for each sample, over a window of GRADE_WINDOW_M of distance around it."""
    total = float(distance_m[-1] - distance_m[0]) if distance_m.shape[0] else 0.0
    if total < GRADE_WINDOW_M:
        return np.zeros_like(distance_m)
    d, first = np.unique(distance_m, return_index=True)
    a = altitude_m[first]
    lo = np.clip(distance_m - GRADE_WINDOW_M / 2, d[0], d[-1] - GRADE_WINDOW_M)
    hi = lo + GRADE_WINDOW_M
    g = (np.interp(hi, d, a) - np.interp(lo, d, a)) / GRADE_WINDOW_M
    return np.clip(g, -GRADE_LIMIT, GRADE_LIMIT)


def _on_grid(values: np.ndarray | None, t: np.ndarray, grid: np.ndarray) -> np.ndarray | None:
    """Resample a channel that may have gaps (NaN) onto the grid; NaN where it had none."""
    if values is None:
        return None
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v)
    if int(ok.sum()) < 2:
        return None
    out = np.interp(grid, t[ok], v[ok])
    present = np.interp(grid, t, ok.astype(float)) >= 0.5
    return np.where(present, out, np.nan)


def _level(time_s: np.ndarray, speed: float, heart_rate=None, notes=None) -> Samples:
    """Samples at one speed on the level (an even pace, or no movement at all)."""
    zeros = np.zeros_like(time_s)
    return Samples(
        time_s=time_s,
        distance_m=time_s * speed,
        speed_mps=np.full_like(time_s, speed),
        acceleration_mps2=zeros,
        grade=zeros,
        cadence_spm=None,
        heart_rate=heart_rate,
        power_w=None,
        notes=notes if notes is not None else [],
    )


def _even_pace(activity: Activity, notes: list[str]) -> Samples | None:
    """No usable speed samples: spread the summary distance evenly over the moving time."""
    duration = float(activity.moving_time_s or activity.elapsed_time_s or 0.0)
    distance = float(activity.distance_m or 0.0)
    if not (np.isfinite(duration) and np.isfinite(distance)):
        return None
    if duration < 2 * GRID_S or distance <= 0:
        return None
    notes.append("no speed samples: an even pace over the moving time assumed")
    return _level(_grid(duration, notes), distance / duration, notes=notes)


def _grid(duration: float, notes: list[str]) -> np.ndarray:
    """0, step, 2 step... up to `duration` s: one second, or longer beyond MAX_GRID_POINTS."""
    step = limits.grid_step_s(duration, GRID_S)
    if step > GRID_S:
        cap = limits.MAX_GRID_POINTS
        notes.append(f"long activity: laid on a {step:.1f} s grid (at most {cap:,} points)")
        return np.linspace(0.0, duration, cap)
    return np.arange(0.0, duration + 1e-9, GRID_S)


def prepare_samples(activity: Activity) -> Samples | None:
    """Clean per-second samples of an activity, or None when it has no usable movement."""
    notes: list[str] = []
    s = activity.series
    t = np.asarray(s.time_s, dtype=float)
    if t.shape[0] >= 2:
        t = np.maximum.accumulate(t)
    dist = _cumulative_distance(s, t) if t.shape[0] >= 2 else None
    if dist is None or dist[-1] <= 0:
        return _even_pace(activity, notes)
    slope = _altitude(activity, t, notes)
    alt = None if slope is None else slope.altitude_m

    # Pauses: drop the time, distance and climb of intervals where the timer was stopped, or
    # of long gaps in the recording that hardly moved.
    dt = np.diff(t)
    d_inc = np.diff(dist)
    paused = (dt > PAUSE_GAP_S) & (d_inc < PAUSE_SPEED * dt)
    if s.moving is not None:
        moving = np.asarray(s.moving, dtype=bool)
        paused |= ~(moving[1:] & moving[:-1])
    keep = ~paused
    tm = np.concatenate([[0.0], np.cumsum(dt * keep)])
    dm = np.concatenate([[0.0], np.cumsum(d_inc * keep)])
    am = None if alt is None else alt[0] + np.concatenate([[0.0], np.cumsum(np.diff(alt) * keep)])
    if not np.isfinite(tm[-1]) or tm[-1] < 2 * GRID_S or dm[-1] <= 0:
        return _even_pace(activity, notes)

    # One sample per moving second; repeated instants (pauses collapsed) keep their first value.
    first = np.concatenate([[True], np.diff(tm) > 0])
    grid = _grid(float(tm[-1]), notes)
    d_grid = np.interp(grid, tm[first], dm[first])
    speed = _centred_rate(d_grid, grid, SPEED_WINDOW_S)
    too_fast = speed > MAX_SPEED
    if too_fast.any():
        speed = np.minimum(speed, MAX_SPEED)
        if too_fast.sum() * (grid[1] - grid[0]) * MAX_SPEED > 0.005 * d_grid[-1]:
            notes.append(
                f"speeds above {MAX_SPEED:.0f} m/s (GPS jumps?) counted as {MAX_SPEED:.0f} m/s"
            )
    accel = _centred_rate(speed, grid, SPEED_WINDOW_S)
    if am is None:
        grade = np.zeros_like(grid)
    else:
        grade = grade_over_distance(d_grid, np.interp(grid, tm[first], am[first]))

    def channel(values):
        if values is None:
            return None
        return _on_grid(np.asarray(values, dtype=float)[first], tm[first], grid)

    cadence = channel(s.cadence_spm)
    if cadence is not None:
        cadence = np.where(
            (cadence >= CADENCE_RANGE_SPM[0]) & (cadence <= CADENCE_RANGE_SPM[1]), cadence, np.nan
        )
        running = np.isfinite(cadence) & (speed > 2.2)
        if running.sum() > 60 and np.median(cadence[running]) < 110:
            # Some files count strides (one foot) rather than steps.
            cadence = cadence * 2.0
            notes.append("cadence looked like strides per minute: doubled")
        if not np.isfinite(cadence).any():
            cadence = None
    return Samples(
        time_s=grid,
        distance_m=d_grid,
        speed_mps=speed,
        acceleration_mps2=accel,
        grade=grade,
        cadence_spm=cadence,
        heart_rate=channel(s.heart_rate),
        power_w=channel(s.power_w),
        notes=notes,
        elevation="none" if slope is None else slope.source,
        slope_damage_factor=1.0 if slope is None else slope.damage_factor,
    )


def heart_rate_only(activity: Activity) -> Samples | None:
    """The recorded heart rate on its own, for sessions without movement data (e.g. rowing)."""
    s = activity.series
    if s.heart_rate is None or len(s) < 2:
        return None
    t = np.maximum.accumulate(np.asarray(s.time_s, dtype=float))
    return _level(t, 0.0, heart_rate=np.asarray(s.heart_rate, dtype=float))
