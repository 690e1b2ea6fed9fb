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


RUNNING_GAP_S = 6 * 3600.0  # no watch records nothing for 6 h while its timer runs


def _timer_ran_through(timer: list, ts: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Which gaps `cand` (indices into `ts`) last over RUNNING_GAP_S with the timer running:
    a clock jump even when the session's elapsed time took it in (its timer total did not)."""
    if not timer or not cand.size:
        return np.zeros(cand.shape[0], dtype=bool)
    times = np.array([t for t, _ in timer])
    runs = np.array([bool(r) for _, r in timer])
    order = np.argsort(times, kind="stable")
    times, runs = times[order], runs[order]
    k = np.searchsorted(times, ts[cand], side="right") - 1
    running = (k >= 0) & runs[np.maximum(k, 0)]
    return running & (ts[cand + 1] - ts[cand] > RUNNING_GAP_S)


def remove_clock_jumps(dec, ts: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Close gaps in the record times that the device's own sessions say never happened.

    A gap of over 10 minutes that leads from inside a session to a time outside every session,
    or a gap of over 6 hours while the timer runs (`_timer_ran_through`), is a jump of the
    device clock (the NK file: one 18,099 s gap inside a 2,840 s session, the
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

    merged: list[list[float]] = []  # the ranges as disjoint intervals, in order
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    lo, hi = np.array(merged).T

    def inside(t: np.ndarray) -> np.ndarray:
        k = np.searchsorted(lo, t, side="right") - 1
        return (k >= 0) & (t <= hi[np.maximum(k, 0)])

    gaps = np.diff(ts)
    cand = np.flatnonzero(gaps > 600.0)
    jumps = cand[
        (inside(ts[cand]) & ~inside(ts[cand + 1])) | _timer_ran_through(dec.timer, ts, cand)
    ]
    if not jumps.size:
        return ts, None
    # each jump moves every later record and timer event back by its cut (vectorised: a file
    # sizes the number of records and events)
    cuts = gaps[jumps] - float(np.median(gaps))
    step = np.zeros(ts.shape[0])
    step[jumps + 1] = cuts
    shifted = ts - np.cumsum(step)
    cum = np.concatenate([[0.0], np.cumsum(cuts)])
    at = ts[jumps + 1]
    if dec.timer:
        times = np.array([t for t, _ in dec.timer])
        moved = times - cum[np.searchsorted(at, times, side="right")]
        dec.timer = [(float(t), run) for t, (_, run) in zip(moved, dec.timer, strict=True)]
    removed = float(cuts.sum())
    return shifted, (
        f"The watch's clock jumped by {round(removed / 60):,} minutes during this activity; "
        "the jump was taken out of the times."
    )
