"""The FIT clock and timer: when the timer ran (start/stop events), and clock jumps.

- timer_periods(events, t0, t1) -> [(start, stop)] or None      (Unix seconds)
- moving_mask(time_abs, periods) -> bool per sample (the timer ran just before it)
- remove_clock_jumps(decoded, ts) -> (ts, warning or None)
"""

from __future__ import annotations

import numpy as np

from importers.fit_totals import fit_seconds
from importers.summary import finite_or_none


def timer_periods(
    events: list[tuple[float, bool]], t0: float, t1: float
) -> list[tuple[float, float]] | None:
    """Intervals (start, stop] in which the timer ran, clipped to [t0, t1]; None without events.

    A file whose first timer event is a stop (the FR70 foot-pod file) had the timer running
    from the start.
    """
    if not events:
        return None
    events = sorted(events)
    running = not events[0][1]
    since = t0
    periods = []
    for t, start in events:
        if start and not running:
            running, since = True, t
        elif not start and running:
            periods.append((since, t))
            running = False
    if running:
        periods.append((since, t1))
    clipped = []
    for a, b in periods:
        a, b = max(a, t0), min(b, t1)
        if b > a:
            clipped.append((a, b))
    return clipped


def moving_mask(time_abs: np.ndarray, periods: list[tuple[float, float]]) -> np.ndarray:
    """True at sample i when the timer ran just before it (t in some (start, stop])."""
    if not periods:
        return np.zeros(time_abs.shape[0], dtype=bool)
    edges = np.array(periods, dtype=float).ravel()  # start0, stop0, start1, stop1, ...
    pos = np.searchsorted(edges, time_abs, side="left")
    return (pos % 2) == 1


def remove_clock_jumps(dec, ts: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Close gaps in the record times that the device's own sessions say never happened.

    A gap of over 10 minutes that leads from inside a session to a time outside every session
    is a jump of the device clock (the NK file: one 18,099 s gap inside a 2,840 s session, the
    distance running on across it). Each such gap is shortened to the usual sampling interval
    and the timer events after it move with the records. Gaps between sessions (chained or
    multisport files) are left alone.
    """
    ranges = []
    for s in dec.sessions:
        start = fit_seconds(s.get("start_time"))
        elapsed = finite_or_none(s.get("total_elapsed_time"))
        if start is not None and elapsed is not None:
            ranges.append((start - 60.0, start + elapsed + 60.0))
    if not ranges or ts.shape[0] < 3:
        return ts, None

    def inside(t: float) -> bool:
        return any(a <= t <= b for a, b in ranges)

    gaps = np.diff(ts)
    jumps = [
        int(j)
        for j in np.flatnonzero(gaps > 600.0)
        if inside(float(ts[j])) and not inside(float(ts[j + 1]))
    ]
    if not jumps:
        return ts, None
    usual = float(np.median(gaps))
    shifted = ts.copy()
    removed = 0.0
    for j in reversed(jumps):
        cut = float(gaps[j] - usual)
        at = float(ts[j + 1])
        shifted[j + 1 :] -= cut
        dec.timer = [(t - cut if t >= at else t, run) for t, run in dec.timer]
        removed += cut
    return shifted, (
        f"The watch's clock jumped by {round(removed / 60):,} minutes during this activity; "
        "the jump was taken out of the times."
    )
