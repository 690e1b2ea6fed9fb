"""The parts of a run (warm-up, reps, recoveries, walks, strides) and what kind of run it was.

`detect_structure(samples, walking, effort, threshold)` works on engine.samples' one-second
grid. Effort is the grade-adjusted speed (the flat speed of the same energy cost), so a hill
repeat counts as fast. A second is part of a rep when its effort is at least REP_ENTER of
the runner's threshold speed and CONTRAST times the run's own base (its 40th-percentile
running effort), over a 10 s mean; a rep ends when the effort drops below REP_EXIT of that
level, and must average at least the level. Fast bursts shorter than 150 m and 35 s, 30 %
above the base, are strides. Thresholds marked [A] are assumptions.

Run types: race (one effort near what the runner can sustain for its duration: Riegel
1981's exponent), tempo (>= 15 min of reps of 8 min or more; or >= 15 min and a fifth of the
run in unlike reps on the flat: a fartlek, a fast finish), intervals (3+ reps alike in time
or distance), sprints (short reps far above threshold, or 6+ such strides), hills (3+ alike
reps uphill, hard when they are repeats with recoveries back down; or >= 30 m of climb per
km), long (>= 75 min or 16 km), easy; walks and hikes are "walk" and "hike". `hard_day` is
what the plan treats as a hard session: race, tempo, intervals, sprints and hill repeats.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from engine.samples import Samples

REP_ENTER = 0.92  # of threshold speed [A]
REP_EXIT = 0.85  # of the entry level [A]
CONTRAST = 1.15  # times the run's base effort [A]
RECOVERY_CONTRAST = 1.3  # intervals: reps this much harder than the recoveries [A]
# Intervals and hill repeats: reps alike in time or distance (coefficient of variation); a
# pyramid 200-400-800-400-200 m has 0.55, a hilly run's climbs 1.0 and more [A].
REGULAR_CV = 0.6
STRIDE_CONTRAST = 1.3  # a stride is at least this much faster than the base [A]
SMOOTH_S = 10  # seconds of effort averaged before a second is labelled
BASE_PERCENTILE = 40.0
MIN_REP_S = 8.0
MIN_WALK_S = 20.0
# A warm-up or cool-down is at most 20 min or a quarter of the run, in a session of 2+ reps [A].
WARM_UP_MAX_S = 20 * 60.0
EDGE_SHARE = 0.25
MIN_RECOVERY_S = 20.0  # a slower stretch between two reps shorter than this joins them [A]
STRIDE_MAX_M = 150.0
STRIDE_MAX_S = 35.0
TEMPO_REP_S = 8 * 60.0
TEMPO_TOTAL_S = 15 * 60.0
FARTLEK_SHARE = 0.2  # of the moving time in unlike reps on the flat [A]
SPRINT_RATIO = 1.45  # mean rep effort over threshold for sprints [A]
SPRINT_REP_S = 40.0
SPRINT_STRIDES = 6
HILL_REP_GRADE = 0.04
HILLY_M_PER_KM = 30.0  # [A]
LONG_S = 75 * 60.0  # the plan's long run [A]
LONG_M = 16_000.0
RACE_FRACTION = 0.95  # of the sustainable speed for the effort's duration [A]
RACE_SHARE = 0.6  # of the moving time in the race effort
RACE_MIN_S = 10 * 60.0
RIEGEL_SPEED_EXPONENT = -0.0566  # speed ~ T^(1/1.06 - 1) (Riegel 1981), threshold ~ 1 h
HARD_TYPES = frozenset({"race", "tempo", "intervals", "sprints"})
MAX_SEGMENTS = 400
EFFORT_WINDOWS_S = (600, 1200, 2400, 3600)


@dataclass(frozen=True, slots=True)
class Segment:
    kind: str  # warm-up | rep | recovery | walk | stride | steady | cool-down
    start_s: float  # moving time
    end_s: float
    distance_m: float
    speed_mps: float  # mean
    grade: float  # mean rise over run
    effort_mps: float = 0.0  # mean grade-adjusted speed


@dataclass(frozen=True, slots=True)
class Structure:
    run_type: str
    hard_day: bool
    reps: int
    segments: list[Segment] = field(default_factory=list)
    rep_time_s: float = 0.0
    walk_time_s: float = 0.0
    strides: int = 0
    threshold_speed_mps: float = 0.0
    # Best sustained efforts: {window seconds: [grade-adjusted speed m/s, mean HR or None]}.
    best_efforts: dict[str, list[float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["segments"] = [
            {k: (round(v, 2) if isinstance(v, float) else v) for k, v in seg.items()}
            for seg in data["segments"]
        ]
        return data


def sustainable_speed(threshold_speed_mps: float, duration_s: float) -> float:
    """The speed a runner can hold for `duration_s`, threshold speed being the 1 h one."""
    return threshold_speed_mps * (max(duration_s, 60.0) / 3600.0) ** RIEGEL_SPEED_EXPONENT


def best_efforts(effort: np.ndarray, heart_rate: np.ndarray | None) -> dict:
    """Best mean grade-adjusted speed over each of EFFORT_WINDOWS_S (one-second samples)."""
    out: dict[str, list[float | None]] = {}
    sums = np.concatenate([[0.0], np.cumsum(effort)])
    hr = None
    if heart_rate is not None and np.isfinite(heart_rate).all():
        hr = np.concatenate([[0.0], np.cumsum(heart_rate)])
    for w in EFFORT_WINDOWS_S:
        if effort.shape[0] < w:
            break
        means = (sums[w:] - sums[:-w]) / w
        k = int(np.argmax(means))
        bpm = None if hr is None else round(float((hr[k + w] - hr[k]) / w), 1)
        out[str(w)] = [round(float(means[k]), 3), bpm]
    return out


def _runs(labels: np.ndarray) -> list[list[int]]:
    """[label, start, end) for each run of equal labels."""
    if labels.shape[0] == 0:
        return []
    edges = np.flatnonzero(np.diff(labels)) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [labels.shape[0]]])
    return [[int(labels[a]), int(a), int(b)] for a, b in zip(starts, ends, strict=True)]


RUN, FAST, WALK = 0, 1, 2


def _labels(walking: np.ndarray, effort: np.ndarray, level: float, base: float) -> np.ndarray:
    """RUN, FAST or WALK per second: a rep starts at `level` and lasts while the effort stays
    above REP_EXIT of it and above the midpoint between the run's base and `level`."""
    loose = (effort >= max(REP_EXIT * level, (base + level) / 2.0)) & ~walking
    core = effort >= level
    run_id = np.cumsum(np.concatenate([[True], loose[1:] != loose[:-1]]))
    has_core = np.zeros(run_id[-1] + 1, dtype=bool)
    np.logical_or.at(has_core, run_id, core & loose)
    fast = loose & has_core[run_id]
    return np.where(walking, WALK, np.where(fast, FAST, RUN))


def _cleaned(labels: np.ndarray, t: np.ndarray, effort: np.ndarray, level: float, base: float):
    """Runs of labels, with efforts that do not stand out turned back into running and
    short walks and short changes of pace absorbed into what was before them."""
    runs = _runs(labels)
    for r in runs:
        seconds = t[r[2] - 1] - t[r[1]] + 1.0
        mean = float(effort[r[1] : r[2]].mean())
        short = seconds < STRIDE_MAX_S and mean < STRIDE_CONTRAST * base
        if r[0] == FAST and (seconds < MIN_REP_S or mean < level or short):
            r[0] = RUN
    for i, r in enumerate(runs):
        seconds = t[r[2] - 1] - t[r[1]] + 1.0
        short = MIN_WALK_S if r[0] == WALK else MIN_REP_S if r[0] == RUN else 0.0
        between_reps = 0 < i < len(runs) - 1 and runs[i - 1][0] == runs[i + 1][0] == FAST
        if r[0] == RUN and between_reps and seconds < MIN_RECOVERY_S:
            r[0] = FAST  # a dip inside one effort, not a recovery
        elif i and seconds < short:
            r[0] = runs[i - 1][0]  # a few seconds of a change of pace, or a short stop
    merged: list[list[int]] = []
    for r in runs:
        if merged and merged[-1][0] == r[0]:
            merged[-1][2] = r[2]
        else:
            merged.append(list(r))
    return merged


def _moving_mean(x: np.ndarray, seconds: int) -> np.ndarray:
    """Centred mean over `seconds` samples (shorter at the ends)."""
    sums = np.concatenate([[0.0], np.cumsum(x)])
    n = x.shape[0]
    lo = np.clip(np.arange(n) - seconds // 2, 0, n)
    hi = np.clip(np.arange(n) + seconds - seconds // 2, 0, n)
    return (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1)


def _segment(kind: str, s: Samples, effort: np.ndarray, a: int, b: int) -> Segment:
    t0, t1 = float(s.time_s[a]), float(s.time_s[b - 1]) + 1.0
    dist = float(s.distance_m[b - 1] - s.distance_m[a]) + float(s.speed_mps[b - 1])
    grade = float(np.mean(s.grade[a:b])) if b > a else 0.0
    mean_effort = float(np.mean(effort[a:b])) if b > a else 0.0
    return Segment(kind, t0, t1, dist, dist / max(t1 - t0, 1.0), grade, mean_effort)


def _kinds(runs: list[list[int]], s: Samples, effort: np.ndarray) -> list[Segment]:
    fast = [i for i, r in enumerate(runs) if r[0] == FAST]
    reps = []
    for i in fast:
        seg = _segment("rep", s, effort, runs[i][1], runs[i][2])
        is_stride = seg.distance_m < STRIDE_MAX_M and seg.end_s - seg.start_s < STRIDE_MAX_S
        if not is_stride:
            reps.append(i)
    first, last = (reps[0], reps[-1]) if reps else (len(runs), -1)
    # A warm-up and a cool-down belong to a session of reps, and are short beside it: the
    # running before one surge, or the fast second half of a progression run, is "steady".
    moving = float(s.time_s[-1]) + 1.0 if len(s) else 0.0
    edge_max = max(WARM_UP_MAX_S, EDGE_SHARE * moving)
    session = len(reps) >= 2
    warm_up = session and float(s.time_s[runs[first][1]]) <= edge_max
    cool_down = session and moving - float(s.time_s[runs[last][2] - 1]) <= edge_max
    out = []
    for i, (label, a, b) in enumerate(runs):
        if label == FAST:
            kind = "rep" if i in reps else "stride"
        elif first < i < last:
            kind = "recovery"
        elif label == WALK:
            kind = "walk"
        elif i < first and warm_up:
            kind = "warm-up"
        elif i > last and cool_down:
            kind = "cool-down"
        else:
            kind = "steady"
        out.append(_segment(kind, s, effort, a, b))
    return out


def _mean_effort(segs: list[Segment]) -> float:
    seconds = sum(g.end_s - g.start_s for g in segs)
    return sum(g.effort_mps * (g.end_s - g.start_s) for g in segs) / max(seconds, 1.0)


def _regular(reps: list[Segment]) -> bool:
    """Reps of a planned session: alike in time or in distance (coefficient of variation at
    most REGULAR_CV), unlike the climbs of a hilly run or the surges of a varied one."""
    for values in ([g.end_s - g.start_s for g in reps], [g.distance_m for g in reps]):
        a = np.asarray(values, dtype=float)
        if a.mean() > 0 and float(a.std() / a.mean()) <= REGULAR_CV:
            return True
    return False


def _stands_out(reps: list[Segment], recoveries: list[Segment]) -> bool:
    """Reps clearly harder than the recoveries between them (not a steady run's ups)."""
    return not recoveries or _mean_effort(reps) >= RECOVERY_CONTRAST * _mean_effort(recoveries)


def _run_type(segs: list[Segment], s: Samples, effort: np.ndarray, thr: float, known: bool):
    reps = [g for g in segs if g.kind == "rep"]
    strides = [g for g in segs if g.kind == "stride"]
    moving = float(s.time_s[-1]) + 1.0 if len(s) else 0.0
    distance = float(s.distance_m[-1]) if len(s) else 0.0
    rep_s = np.array([g.end_s - g.start_s for g in reps])
    rep_time = float(rep_s.sum())
    uphill = [g for g in reps if g.grade >= HILL_REP_GRADE]
    if len(uphill) >= 3 and 2 * len(uphill) >= len(reps) and _regular(uphill):
        # hill repeats jog back down between alike climbs; a hilly run's climbs need not
        down = [g.grade for g in segs if g.kind == "recovery"]
        return "hills", bool(down) and float(np.mean(down)) <= -HILL_REP_GRADE / 2
    if known and reps and len(reps) <= 2 and rep_time >= max(RACE_MIN_S, RACE_SHARE * moving):
        mask = np.zeros(len(s), dtype=bool)
        for g in reps:
            mask[int(g.start_s) : int(g.end_s)] = True
        if effort[mask].mean() >= RACE_FRACTION * sustainable_speed(thr, rep_time):
            return "race", True
    if reps and rep_time >= TEMPO_TOTAL_S and float(np.median(rep_s)) >= TEMPO_REP_S:
        return "tempo", True
    rep_speed = float(np.mean([g.speed_mps for g in reps])) if reps else 0.0
    short = len(reps) >= 3 and float(np.median(rep_s)) <= SPRINT_REP_S
    if short and rep_speed >= SPRINT_RATIO * thr:
        return "sprints", True
    fast_strides = [g for g in strides if g.speed_mps >= SPRINT_RATIO * thr]
    if len(fast_strides) >= SPRINT_STRIDES and not reps:
        return "sprints", True
    recoveries = [g for g in segs if g.kind == "recovery"]
    if len(reps) >= 3 and _regular(reps) and _stands_out(reps, recoveries):
        return "intervals", True
    flat_rep_s = sum(g.end_s - g.start_s for g in reps if g.grade < HILL_REP_GRADE)
    varied = flat_rep_s >= max(TEMPO_TOTAL_S, FARTLEK_SHARE * moving)
    if len(reps) >= 3 and varied and _stands_out(reps, recoveries):
        return "tempo", True  # varied reps on the flat: a fartlek or a fast finish
    if known and len(s) >= RACE_MIN_S:
        running = effort[effort > 0]
        if running.mean() >= RACE_FRACTION * sustainable_speed(thr, moving):
            return "race", True
    climb = float(np.clip(np.diff(s.distance_m) * s.grade[1:], 0, None).sum())
    if distance > 0 and climb / (distance / 1000.0) >= HILLY_M_PER_KM:
        return "hills", False
    if moving >= LONG_S or distance >= LONG_M:
        return "long", False
    return "easy", False


def detect_structure(
    samples: Samples,
    walking: np.ndarray,
    effort: np.ndarray,
    threshold_speed_mps: float,
    *,
    is_run: bool = True,
    threshold_known: bool = True,
    sport: str = "running",
) -> Structure:
    """Segments and run type of one activity on the one-second grid.

    `walking` (bool per second) is engine.gait's walking mask, `effort` the grade-adjusted
    speed (m/s) per second, `threshold_speed_mps` the runner's threshold speed;
    `threshold_known` is False when it is only the default (then no run is called a race
    from its speed alone).
    """
    n = len(samples)
    if n < 2:
        return Structure("easy" if is_run else "walk", False, 0)
    effort = np.asarray(effort, dtype=float)
    running = effort[~walking]
    base = float(np.percentile(running, BASE_PERCENTILE)) if running.size else 0.0
    level = max(REP_ENTER * threshold_speed_mps, CONTRAST * base)
    smooth = _moving_mean(effort, SMOOTH_S)
    labels = _labels(walking, smooth, level, base)
    segs = _kinds(_cleaned(labels, samples.time_s, smooth, level, base), samples, smooth)
    if len(segs) > MAX_SEGMENTS:
        segs = segs[:MAX_SEGMENTS]
    if is_run:
        run_type, hard = _run_type(segs, samples, effort, threshold_speed_mps, threshold_known)
    else:
        run_type, hard = ("hike" if sport == "hiking" else "walk"), False
    walk_time = float(walking.sum()) * float(np.median(np.diff(samples.time_s)))
    return Structure(
        run_type=run_type,
        hard_day=hard,
        reps=sum(1 for g in segs if g.kind == "rep"),
        segments=segs,
        rep_time_s=sum(g.end_s - g.start_s for g in segs if g.kind == "rep"),
        walk_time_s=walk_time,
        strides=sum(1 for g in segs if g.kind == "stride"),
        threshold_speed_mps=float(threshold_speed_mps),
        best_efforts=best_efforts(effort, samples.heart_rate) if is_run else {},
    )
