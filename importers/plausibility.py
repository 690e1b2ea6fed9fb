"""One plausibility pass over recorded samples, before anything is summed (GPX, TCX and FIT).

    clean(track, running=...) -> list[Track]   the track cleaned, split into outings (GPX)
    clean_positions(t, lat, lon, running) -> (lat, lon, notes)
    clean_altitude(t, alt) -> (alt, notes)

A `Track` holds absolute times (Unix seconds), per-sample channels (NaN where a sample lacks
one) and `breaks` (True where a new segment/track starts: a pause). What is dropped:

- positions at (0, 0) or outside the globe; a step implying a speed nobody on foot reaches
  (`RUN_SPIKE_MPS`; `OTHER_SPIKE_MPS` for other sports) is a GPS spike: the fix is dropped;
- altitude placeholders: outside -500..9000 m, zeros at the start of a trace that lies far
  from 0 m, and a jump of over `ALT_JUMP_M` at `ALT_RATE_MPS` or more (both ways);
- duplicate timestamps: merged into one sample, each channel from the first sample that has it
  (position on one point and heart rate on the next are combined);
- a backwards step of the clock while the position moves on normally, and a forward jump of
  more than `OUTING_GAP_S` with the same continuity, are clock jumps: the jump is taken out of
  the times (a note says so); other backwards samples are put in time order;
- a gap of more than `OUTING_GAP_S`, or more than `TRACK_OUTING_GAP_S` at a new track, starts a
  separate outing (`clean` returns one Track per outing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from importers.summary import EARTH_RADIUS_M, haversine_steps

RUN_SPIKE_MPS = 12.5  # above the 100 m world record's 10.4 m/s
OTHER_SPIKE_MPS = 40.0  # 144 km/h: no bicycle or skier either
SPIKE_MIN_STEP_M = 30.0  # steps shorter than this are GPS jitter, never a spike
MAX_SPIKE_RUN = 30  # a run of more dropped fixes means the track really moved: accept it
ALT_JUMP_M = 100.0
ALT_RATE_MPS = 20.0
OUTING_GAP_S = 6 * 3600.0
TRACK_OUTING_GAP_S = 2 * 3600.0
MAX_JUMPS = 20  # clock jumps looked at per file (more backward steps: the points are shuffled)
CHANNELS = ("lat", "lon", "alt", "dist", "hr", "cad", "power", "speed")


@dataclass
class Track:
    """Samples in file order: absolute times (Unix s) and channels (float arrays, NaN = none)."""

    t: np.ndarray
    cols: dict[str, np.ndarray]
    breaks: np.ndarray  # True at the first sample of a new segment (a pause)
    tracks: np.ndarray | None = None  # True at the first sample of a new <trk>
    notes: list[str] = field(default_factory=list)

    def channel(self, key: str) -> np.ndarray | None:
        """The channel, or None when no sample has it."""
        arr = self.cols[key]
        return None if np.isnan(arr).all() else arr


def clean(track: Track, running: bool, split: bool = True) -> list[Track]:
    """The track with implausible samples removed; split into outings when `split`."""
    track = _time_order(track)
    track = _merge_duplicates(track)
    c = track.cols
    c["lat"], c["lon"], notes = clean_positions(track.t, c["lat"], c["lon"], running)
    c["alt"], alt_notes = clean_altitude(track.t, c["alt"])
    track.notes += notes + alt_notes
    if not split:
        return [track]
    return _outings(track)


def _take(track: Track, keep: np.ndarray | slice) -> Track:
    return replace(
        track,
        t=track.t[keep],
        cols={k: v[keep] for k, v in track.cols.items()},
        breaks=track.breaks[keep],
        tracks=None if track.tracks is None else track.tracks[keep],
        notes=list(track.notes),
    )


def _continuous(track: Track, j: int) -> bool:
    """Does the position step into sample j look like the steps around it (moving on)?"""
    lat, lon = track.cols["lat"], track.cols["lon"]
    lo, hi = max(j - 6, 0), min(j + 6, track.t.shape[0])
    if hi - lo < 4 or np.isnan(lat[lo:hi]).any() or np.isnan(lon[lo:hi]).any():
        return False
    steps = haversine_steps(lat[lo:hi], lon[lo:hi])
    k = j - lo - 1
    here = steps[k]
    others = np.delete(steps, k)
    usual = float(np.median(others))
    return usual > 0.5 and 0.3 * usual <= here <= 3.0 * usual


def _time_order(track: Track) -> Track:
    t = track.t
    back = np.flatnonzero(np.diff(t) < 0) + 1
    if back.size == 0:
        return track
    fwd = np.diff(t)
    usual = float(np.median(fwd[fwd > 0])) if (fwd > 0).any() else 1.0
    # a few backward steps can be clock jumps; many mean the points were shuffled: sort them
    jumps = []
    if back.size <= MAX_JUMPS:
        jumps = [int(j) for j in back if not track.breaks[j] and _continuous(track, int(j))]
    if jumps:
        add = np.zeros(t.shape[0])
        add[jumps] = t[np.asarray(jumps) - 1] - t[jumps] + usual
        track = replace(track, t=t + np.cumsum(add))  # carry on from before each jump
        track.notes.append(
            f"The clock jumped backwards {len(jumps):,} time(s) during this activity; the jump "
            "was taken out of the times."
        )
    if np.any(np.diff(track.t) < 0):
        order = np.argsort(track.t, kind="stable")
        track = _take(track, order)
        track.breaks[0] = False
        track.notes.append("The track points were out of time order and have been sorted.")
    return track


def _merge_duplicates(track: Track) -> Track:
    t = track.t
    dup = np.flatnonzero(np.diff(t) == 0) + 1
    if dup.size == 0:
        return track
    group = np.cumsum(np.diff(t, prepend=t[0] - 1.0) != 0) - 1
    first = np.flatnonzero(np.diff(t, prepend=t[0] - 1.0) != 0)
    for key, arr in track.cols.items():
        has = np.flatnonzero(~np.isnan(arr))  # each group's first sample that has the channel
        g, at = np.unique(group[has], return_index=True)
        merged = arr.copy()
        merged[first[g]] = arr[has[at]]
        track.cols[key] = merged
    brk = track.breaks.copy()
    np.logical_or.at(brk, first[group[dup]], brk[dup])
    keep = np.ones(t.shape[0], dtype=bool)
    keep[dup] = False
    out = _take(replace(track, breaks=brk), keep)
    out.notes.append(
        f"{dup.size:,} samples shared a timestamp with the one before; they were merged."
    )
    return out


def clean_positions(
    t: np.ndarray, lat: np.ndarray | None, lon: np.ndarray | None, running: bool
) -> tuple[np.ndarray | None, np.ndarray | None, list[str]]:
    """Drop (0, 0), out-of-range fixes and GPS spikes (NaN in both channels), with notes."""
    if lat is None or lon is None:
        return lat, lon, []
    lat, lon = lat.copy(), lon.copy()
    notes = []
    bad = (np.abs(lat) > 90) | (np.abs(lon) > 180) | ((np.abs(lat) < 1e-6) & (np.abs(lon) < 1e-6))
    bad &= ~np.isnan(lat)
    if bad.any():
        lat[bad] = lon[bad] = np.nan
        notes.append(f"{int(bad.sum()):,} positions at 0,0 or off the globe were dropped.")
    limit = RUN_SPIKE_MPS if running else OTHER_SPIKE_MPS
    spikes = _spikes(t, lat, lon, limit)
    if spikes.size:
        lat[spikes] = lon[spikes] = np.nan
        notes.append(
            f"{spikes.size:,} GPS position spikes (a step faster than {limit:.1f} m/s) were "
            "dropped."
        )
    return lat, lon, notes


def _spikes(t: np.ndarray, lat: np.ndarray, lon: np.ndarray, limit: float) -> np.ndarray:
    """Indices of fixes reached from the last good fix faster than `limit` m/s."""
    idx = np.flatnonzero(~np.isnan(lat) & ~np.isnan(lon))
    if idx.size < 3:
        return np.zeros(0, dtype=int)
    steps = haversine_steps(lat[idx], lon[idx])
    dt = np.maximum(np.diff(t[idx]), 1.0)
    if not np.any((steps > SPIKE_MIN_STEP_M) & (steps / dt > limit)):
        return np.zeros(0, dtype=int)  # the usual case: nothing to look at
    dropped: list[int] = []
    pending: list[int] = []  # fixes that look like a spike since the last good fix
    good = 0
    ids, la, lo, ts = idx.tolist(), lat.tolist(), lon.tolist(), t.tolist()  # floats: same values
    for k in range(1, len(ids)):
        a, b = ids[good], ids[k]
        d = _metres(la[a], lo[a], la[b], lo[b])
        if d > SPIKE_MIN_STEP_M and d / max(ts[b] - ts[a], 1.0) > limit:
            pending.append(b)
            if len(pending) <= MAX_SPIKE_RUN:
                continue
            # too many in a row: the track really went there, or the first fix was the spike
            if good == 0:
                dropped.append(ids[0])
        else:
            dropped.extend(pending)
        pending = []
        good = k
    if pending and good == 0:
        dropped.append(ids[0])  # the first fix was the odd one out
    else:
        dropped.extend(pending)
    return np.asarray(sorted(set(dropped)), dtype=int)


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle metres between two fixes (scalar; the loop above calls it per fix)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def clean_altitude(t: np.ndarray, alt: np.ndarray | None) -> tuple[np.ndarray | None, list[str]]:
    """Drop altitude placeholders (NaN): impossible values, leading zeros, one-second jumps."""
    if alt is None:
        return None, []
    alt = alt.copy()
    ok = ~np.isnan(alt)
    bad = ok & ((alt < -500) | (alt > 9000))
    vals = np.flatnonzero(ok & ~bad)
    if vals.size > 2:
        median = float(np.median(alt[vals]))
        if abs(median) > 50:
            lead = 0
            while lead < vals.size and alt[vals[lead]] == 0.0:
                lead += 1
            bad[vals[:lead]] = True
            vals = vals[lead:]
    if vals.size > 2 and np.any(np.abs(np.diff(alt[vals])) > ALT_JUMP_M):
        base, last_t = float(alt[vals[0]]), float(t[vals[0]])
        for k, a, tk in zip(
            vals[1:].tolist(), alt[vals[1:]].tolist(), t[vals[1:]].tolist(), strict=True
        ):
            jump = abs(a - base)
            if jump > ALT_JUMP_M and jump / max(tk - last_t, 1.0) > ALT_RATE_MPS:
                bad[k] = True
                continue
            base, last_t = a, tk
    if not bad.any():
        return alt, []
    alt[bad] = np.nan
    return alt, [f"{int(bad.sum()):,} altitude values that cannot be real were dropped."]


def _outings(track: Track) -> list[Track]:
    t = track.t
    gaps = np.diff(t)
    new_track = track.tracks[1:] if track.tracks is not None else np.zeros(gaps.shape, bool)
    cuts = np.flatnonzero((gaps > OUTING_GAP_S) | (new_track & (gaps > TRACK_OUTING_GAP_S))) + 1
    jumps = [int(j) for j in cuts[:MAX_JUMPS] if not track.breaks[j] and _continuous(track, j)]
    if jumps:
        cut = np.zeros(t.shape[0])
        cut[jumps] = gaps[np.asarray(jumps) - 1] - float(np.median(gaps))
        track = replace(track, t=t - np.cumsum(cut))
        track.notes.append(
            f"The clock jumped forward {len(jumps):,} time(s) while moving; the jump was taken "
            "out of the times."
        )
        cuts = np.asarray([j for j in cuts if j not in jumps], dtype=int)
    if cuts.size == 0:
        return [track]
    bounds = [0, *cuts.tolist(), t.shape[0]]
    spans = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b - a >= 2]
    stray = t.shape[0] - sum(b - a for a, b in spans)
    if not spans:
        return [track]
    out = []
    for a, b in spans:
        part = _take(track, slice(a, b))
        part.breaks[0] = False
        if len(spans) > 1:
            part.notes.append(
                f"This file holds {len(spans)} separate outings (hours apart); this is one."
            )
        if stray:
            part.notes.append(f"{stray:,} stray points hours away from the rest were left out.")
        out.append(part)
    return out
