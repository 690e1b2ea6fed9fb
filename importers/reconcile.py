"""The watch's own totals against the samples: which figure the activity reports, and why.

    reconcile(samples_distance_m, samples_moving_s, elapsed_s, n_samples, totals, even_pace)
        -> Reconciled(distance_m, moving_time_s, distance_source, time_source, notes)
    even_pace_series(duration_s, distance_m) -> Series      (for files with totals only)
    distance_from_speed(time_s, speed_mps, moving) -> cumulative metres

One step for FIT, GPX and TCX, run by `summary.summarise`. Sources are `samples` (the recorded
points), `laps` (TCX lap totals) or `session` (the FIT session message):

- distance: the totals win when the samples give none (indoor, manual, speed-only files) or
  less than `THIN_SHARE` of them (laps without points, a thinned recording);
- moving time: the totals' timer wins when the samples give none, when they hold less than
  `THIN_SHARE` of it (sparse recording: gaps over a minute with the timer running), or when they
  give more than the timer plus `JUMP_SLACK_S` (a clock jump inside a timer period: moving 20
  days is never a result). A timer longer than the elapsed time contradicts itself: not used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from importers.activity import DeviceTotals, Series

THIN_SHARE = 0.97
JUMP_SLACK_S = 60.0
EVEN_PACE_MAX_SAMPLES = 2000
EVEN_PACE_STEP_S = 10.0


@dataclass(frozen=True, slots=True)
class Reconciled:
    distance_m: float
    moving_time_s: float
    distance_source: str  # samples | laps | session
    time_source: str
    notes: tuple[str, ...] = ()


def _usable(value: float | None) -> float | None:
    return value if value is not None and np.isfinite(value) and value > 0 else None


def reconcile(
    samples_distance_m: float,
    samples_moving_s: float,
    elapsed_s: float,
    n_samples: int,
    totals: DeviceTotals | None,
    even_pace: bool = False,
) -> Reconciled:
    """The distance and moving time to report, each with its source and a note when not
    `samples`."""
    if totals is None:
        return Reconciled(samples_distance_m, samples_moving_s, "samples", "samples")
    where = totals.source
    label = "the laps' totals" if where == "laps" else "the session's totals"
    if even_pace:
        return Reconciled(samples_distance_m, samples_moving_s, where, where)
    notes = []
    distance, d_src = samples_distance_m, "samples"
    total_d = _usable(totals.distance_m)
    if total_d is not None and samples_distance_m < THIN_SHARE * total_d:
        distance, d_src = total_d, where
        notes.append(
            f"The recorded points cover {samples_distance_m / 1000:.2f} km of the "
            f"{total_d / 1000:.2f} km the device counted; the distance comes from {label}."
        )
    moving, t_src = samples_moving_s, "samples"
    timer = _usable(totals.timer_time_s)
    if timer is not None and totals.elapsed_time_s is not None:
        if timer > totals.elapsed_time_s + 1:
            timer = None  # contradicts itself (fit.py warns)
    if timer is not None:
        thin = n_samples < 2 or samples_moving_s < THIN_SHARE * timer
        if thin and (n_samples < 2 or timer <= elapsed_s + JUMP_SLACK_S):
            moving, t_src = timer, where
            notes.append(f"The moving time comes from {label} (the points do not cover it).")
        elif samples_moving_s > timer + JUMP_SLACK_S and samples_moving_s > 1.05 * timer:
            moving, t_src = timer, where
            notes.append(
                f"The recorded times span more than the device's timer (a jump of the clock); "
                f"the moving time comes from {label}."
            )
    return Reconciled(distance, moving, d_src, t_src, tuple(notes))


def even_pace_series(duration_s: float, distance_m: float) -> Series:
    """A moving series at an even pace over `duration_s` (at most EVEN_PACE_MAX_SAMPLES)."""
    duration_s = max(float(duration_s), 1.0)
    n = int(min(EVEN_PACE_MAX_SAMPLES, max(2, duration_s // EVEN_PACE_STEP_S + 1)))
    t = np.linspace(0.0, duration_s, n)
    moving = np.ones(n, dtype=bool)
    moving[0] = False
    return Series(time_s=t, distance_m=t / duration_s * max(distance_m, 0.0), moving=moving)


def distance_from_speed(
    time_s: np.ndarray, speed_mps: np.ndarray, moving: np.ndarray | None
) -> np.ndarray:
    """Cumulative distance (m): the trapezoid integral of the device's speed, only where the
    interval counts as moving (`moving[i]` marks the interval that ends at i). A sample without
    a speed (an invalid value, or a record that carries heart rate only) is not standing still:
    its speed is interpolated from the samples around it."""
    v = np.asarray(speed_mps, dtype=float)
    known = ~np.isnan(v)
    if known.any() and not known.all():
        v = np.interp(time_s, time_s[known], v[known])
    v = np.nan_to_num(v)
    inc = np.zeros(time_s.shape[0])
    inc[1:] = (v[1:] + v[:-1]) / 2 * np.diff(time_s)
    if moving is not None:
        inc = np.where(moving, inc, 0.0)
    return np.cumsum(inc)
