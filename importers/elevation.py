"""The one smoothed altitude series of an activity, and the climb counted on it.

    smoothed_elevation(series) -> (metres per sample, "barometric" | "gps") or None
    series_elevation(series) -> (gain m, loss m, per-sample steps) or None
    choose_elevation(device_totals, from_series, source) -> Elevation(gain, loss, source)

The altitude (barometric when smooth sample to sample, else GPS) is smoothed with a centred
time-window mean whose width adapts to the sampling and the speed, so that short real rises
at speed survive: `SMOOTH_DISTANCE_M` of travel (30 s at a 3 m/s run, 9 s on a 10 m/s ride),
at most `SMOOTH_WINDOW_S`, at least three samples. A barometric trace recorded sparsely
(median interval over `SPARSE_BAROMETER_S`) is not averaged at all: hysteresis alone.
Climbs are then counted between turning points confirmed by `HYSTERESIS_M`.
The result is `Activity.elevation_smoothed` (metres per sample): the GAP grade, the splits'
climb and the totals use it, and the engine's slope is to use it rather than smooth again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from importers.activity import DeviceTotals, Series

SMOOTH_WINDOW_S = 30.0
SMOOTH_DISTANCE_M = 90.0
HYSTERESIS_M = 2.0
SPARSE_BAROMETER_S = 2.0  # median sample interval above which a barometric trace is not averaged


@dataclass(frozen=True, slots=True)
class Elevation:
    gain_m: float | None
    loss_m: float | None
    source: str


def smooth_altitude(time_s: np.ndarray, alt: np.ndarray, window_s: float = SMOOTH_WINDOW_S):
    """Centred time-window mean of the altitude (NaNs ignored, left NaN if the window is empty)."""
    ok = ~np.isnan(alt)
    vals = np.where(ok, alt, 0.0)
    csum = np.concatenate(([0.0], np.cumsum(vals)))
    ccnt = np.concatenate(([0], np.cumsum(ok.astype(np.int64))))
    half = window_s / 2
    lo = np.searchsorted(time_s, time_s - half, side="left")
    hi = np.searchsorted(time_s, time_s + half, side="right")
    cnt = ccnt[hi] - ccnt[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (csum[hi] - csum[lo]) / cnt
    out[cnt == 0] = np.nan
    return out


def hysteresis_steps(alt: np.ndarray, threshold: float = HYSTERESIS_M) -> np.ndarray:
    """Per-sample climb (+) and descent (-) between confirmed turning points.

    A turning point is confirmed once the altitude has moved `threshold` metres back from it;
    each climb or descent is credited in full (from the last turning point to this one) at the
    sample of the turning point, so wiggles smaller than `threshold` count nothing and real
    hills count to the metre.
    """
    out = np.zeros(alt.shape[0])
    idx = np.flatnonzero(~np.isnan(alt))
    if idx.size == 0:
        return out
    vals = alt[idx].tolist()
    last = vals[0]  # altitude of the last confirmed turning point
    lo = hi = vals[0]
    lo_k = hi_k = 0
    direction = 0  # +1 climbing, -1 descending, 0 not yet known
    ext, ext_k = vals[0], 0  # the running extreme of the current climb or descent
    for k in range(1, len(vals)):
        v = vals[k]
        if direction > 0:
            if v > ext:
                ext, ext_k = v, k
            elif ext - v >= threshold:
                out[idx[ext_k]] += ext - last
                last, direction, ext, ext_k = ext, -1, v, k
        elif direction < 0:
            if v < ext:
                ext, ext_k = v, k
            elif v - ext >= threshold:
                out[idx[ext_k]] += ext - last
                last, direction, ext, ext_k = ext, 1, v, k
        else:
            if v < lo:
                lo, lo_k = v, k
            if v > hi:
                hi, hi_k = v, k
            if v - lo >= threshold:
                if lo_k:
                    out[idx[lo_k]] += lo - last
                last, direction, ext, ext_k = lo, 1, v, k
            elif hi - v >= threshold:
                if hi_k:
                    out[idx[hi_k]] += hi - last
                last, direction, ext, ext_k = hi, -1, v, k
    if direction != 0:
        out[idx[ext_k]] += ext - last
    return out


def is_smooth_altimeter(time_s: np.ndarray, alt: np.ndarray) -> bool:
    """A barometric trace is smooth second to second; a GPS one jitters by metres."""
    ok = ~np.isnan(alt)
    if ok.sum() < 10:
        return False
    a = alt[ok]
    t = time_s[ok]
    dt = np.diff(t)
    close = dt <= 2.0
    if close.sum() < 10:
        # sparse (smart) recording: judge by the step size relative to time
        rate = np.abs(np.diff(a)) / np.maximum(dt, 1.0)
        return float(np.median(rate)) < 0.15
    second = np.abs(np.diff(a, 2))
    return float(np.median(second)) < 0.25


def smoothing_window_s(series: Series) -> float:
    """Seconds of the GPS altitude mean: SMOOTH_DISTANCE_M of travel, within the sampling."""
    t = series.time_s
    dt = np.diff(t)
    dt = dt[dt > 0]
    step = float(np.median(dt)) if dt.size else 1.0
    window = SMOOTH_WINDOW_S
    dist = series.distance_m
    if dist is not None and t.shape[0] > 1 and t[-1] > t[0]:
        d = np.nan_to_num(dist)
        speed = float(d.max() - d[0]) / float(t[-1] - t[0])
        if speed > 0:
            window = min(window, SMOOTH_DISTANCE_M / speed)
    return max(window, 3.0 * step)


def smoothed_elevation(series: Series) -> tuple[np.ndarray, str] | None:
    """The altitude every figure uses (metres per sample) and what it came from."""
    alt = series.altitude_m
    if alt is None or np.count_nonzero(~np.isnan(alt)) < 2:
        return None
    if not is_smooth_altimeter(series.time_s, alt):
        return smooth_altitude(series.time_s, alt, smoothing_window_s(series)), "gps"
    dt = np.diff(series.time_s)
    if dt.size and float(np.median(dt)) > SPARSE_BAROMETER_S:
        return alt, "barometric"  # a mean over sparse barometer samples flattens real rises
    return smooth_altitude(series.time_s, alt, smoothing_window_s(series)), "barometric"


def series_elevation(
    series: Series, smoothed: tuple[np.ndarray, str] | None = None
) -> tuple[float, float, np.ndarray] | None:
    """(gain, loss, per-sample steps) from the altitude series, or None without altitude."""
    smoothed = smoothed or smoothed_elevation(series)
    if smoothed is None:
        return None
    steps = hysteresis_steps(smoothed[0])
    gain = float(steps[steps > 0].sum())
    loss = float(-steps[steps < 0].sum())
    return gain, loss, steps


def choose_elevation(
    device: DeviceTotals | None, from_series: tuple | None, source: str
) -> Elevation:
    """The device's session ascent when it wrote one (`device`), else ours (`source`)."""
    if device is not None and device.elevation_gain_m is not None:
        loss = device.elevation_loss_m
        if loss is None and from_series is not None:
            loss = round(from_series[1], 1)
        return Elevation(float(device.elevation_gain_m), loss, "device")
    if from_series is None:
        return Elevation(None, None, "none")
    return Elevation(round(from_series[0], 1), round(from_series[1], 1), source)
