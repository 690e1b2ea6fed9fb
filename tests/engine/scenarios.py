"""Simulated runners for the load model's literature cases (issue 14), and their figures.

Each builder returns importers' Activity objects synthesised at exact speeds and grades (see
tests/engine/activities.py); noisy-altitude files go through the importer's own `summarise`,
so their elevation source and totals are what a real import would give.

`python -m tests.engine.scenarios` prints the figures quoted in docs/load-model.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from engine.state import LoadRecord, compute_state
from engine.stimulus import compute_stimulus
from importers.activity import Series
from importers.summary import summarise
from tests.engine.activities import START, make_activity, steady_run

MARATHON_M = 42_195.0


def ramp(a: float, b: float, seconds: int = 3) -> np.ndarray:
    """A change of speed over a few seconds (no runner goes 1.4 -> 7.5 m/s in an instant)."""
    return np.linspace(a, b, seconds + 2)[1:-1]


def block(speed: float, metres: float) -> np.ndarray:
    return np.full(int(round(metres / speed)), speed)


def session(parts: list[np.ndarray]) -> np.ndarray:
    """Blocks joined with short ramps between different speeds."""
    out = [parts[0]]
    for part in parts[1:]:
        out.append(ramp(out[-1][-1], part[0]))
        out.append(part)
    return np.concatenate(out)


def marathon(speed: float = 3.9, **kw):
    return steady_run(speed, 0.0, km=MARATHON_M / 1000.0, **kw)


def reps_200(start_time: datetime = START, reps: int = 10):
    """2 km warm-up, reps x 200 m at 7-8 m/s with 200 m walk-backs, 1.5 km cool-down."""
    rng = np.random.default_rng(200)
    parts = [block(2.9, 2000)]
    for i in range(reps):
        parts.append(block(float(rng.uniform(7.0, 8.0)), 200))
        if i < reps - 1:
            parts.append(block(1.4, 200))
    parts.append(block(2.9, 1500))
    return make_activity(session(parts), 0.0, start_time=start_time)


def reps_1k(start_time: datetime = START, reps: int = 6):
    """2 km warm-up, reps x 1 km at 4.8 m/s with 90 s jogs at 2.5 m/s, 2 km cool-down."""
    parts = [block(3.0, 2000)]
    for i in range(reps):
        parts.append(block(4.8, 1000))
        if i < reps - 1:
            parts.append(np.full(90, 2.5))
    parts.append(block(3.0, 2000))
    return make_activity(session(parts), 0.0, start_time=start_time)


def hill_repeats(reps: int = 6, grade: float = 0.08):
    """2 km warm-up, reps x 300 m up at 2.8 m/s and jogs back down, 1.5 km cool-down."""
    parts, grades = [block(3.0, 2000)], [0.0]
    for _ in range(reps):
        parts += [block(2.8, 300), block(3.0, 300)]
        grades += [grade, -grade]
    parts.append(block(3.0, 1500))
    grades.append(0.0)
    per_second = [np.full(len(parts[0]), grades[0])]
    for part, g in zip(parts[1:], grades[1:], strict=True):
        per_second.append(np.full(len(part) + 3, g))  # the ramp into a block shares its grade
    return make_activity(session(parts), np.concatenate(per_second))


def hike_descent(metres: float = 1000.0, grade: float = -0.125, speed: float = 1.1, **kw):
    """A 1,000 m descent walked (sport hiking): 8 km at -12.5 % and 1.1 m/s."""
    kw.setdefault("sport", "hiking")
    return steady_run(speed, grade, km=metres / -grade / 1000.0, **kw)


def noisy_flat(kind: str, km: float = 10.0, speed: float = 3.0, seed: int = 14):
    """A flat run through the importer's summary: 'clean' (barometric), 'jitter' or 'drift'.

    jitter: GPS altitude with 1.5 m of Gaussian noise on every 1 s sample;
    drift: a slow 5 m wander (and 1 m of jitter), as a GPS altitude drifts with the
    satellites in view.
    """
    run = steady_run(speed, 0.0, km=km)
    s = run.series
    t = s.time_s
    rng = np.random.default_rng(seed)
    alt = s.altitude_m.copy()
    if kind == "jitter":
        alt = alt + rng.normal(0.0, 1.5, t.shape[0])
    elif kind == "drift":
        wander = sum(
            a * np.sin(2 * np.pi * t / p + rng.uniform(0, 6.3))
            for a, p in ((2.0, 240.0), (1.5, 600.0), (1.0, 1500.0))
        )
        alt = alt + 5.0 * wander / np.ptp(wander) + rng.normal(0.0, 1.0, t.shape[0])
    elif kind != "clean":
        raise ValueError(kind)
    series = Series(time_s=t, altitude_m=alt, distance_m=s.distance_m, speed_mps=s.speed_mps)
    return summarise(sport="running", start_time=run.start_time, series=series, source_format="gpx")


def rolling_run(day: int, km: float = 10.0, amplitude: float = 0.05):
    """A run over rolling ground: grade +-5 % in a 1 km sine, at 3 m/s."""
    seconds = int(km * 1000 / 3.0)
    grade = amplitude * np.sin(2 * np.pi * 3.0 * np.arange(seconds) / 1000.0)
    return make_activity(np.full(seconds, 3.0), grade, start_time=START + timedelta(days=day))


def big_descent(day: int = 8, km: float = 10.0):
    """The first big descent: 10 km at -10 % and 3 m/s (1,000 m down)."""
    return steady_run(3.0, -0.10, km=km, start_time=START + timedelta(days=day))


# --- measuring -----------------------------------------------------------------------------


def record(activity, athlete=None) -> LoadRecord:
    stim = compute_stimulus(activity, athlete)
    return LoadRecord.from_stimulus(activity.start_time, stim.moving_time_s, stim.to_dict())


def dn_after(records: list[LoadRecord], hours: float, muscle: str = "quadriceps") -> float:
    """Normalised damage `hours` after the last record ended."""
    end = max(r.end_time for r in records)
    st = compute_state(records, end + timedelta(hours=hours))
    return st.muscles[muscle].damage_normalised


def peak_dn(records: list[LoadRecord], muscle: str = "quadriceps") -> float:
    return max(dn_after(records, h, muscle) for h in range(0, 97, 3))


def leg_block(dn_quads: float, dn_glutes: float) -> str:
    """The plan's leg-block gate on damage alone (engine.plan's thresholds)."""
    from engine import plan

    if dn_quads >= plan.ISOMETRIC_FROM:
        return "isometric"
    if dn_quads >= plan.HEAVY_BELOW or dn_glutes >= plan.HEAVY_BELOW:
        return "moderate"
    return "heavy"


def _plan_says_hard(activity, easy_speed: float = 3.0) -> bool:
    """Before issue 14: the plan's whole-session pace rule against three easy runs."""
    from engine import plan

    days = (2, 4, 6)
    easy = [steady_run(easy_speed, 0.0, km=8, start_time=START - timedelta(days=d)) for d in days]
    runs = plan.summarise_runs([*easy, activity])
    return runs[-1].is_hard


def figures() -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    m = [record(marathon())]
    out["marathon quads Dn +24 h"] = dn_after(m, 24)
    out["marathon hamstrings Dn +24 h"] = dn_after(m, 24, "hamstrings")
    out["marathon calves Dn +24 h"] = dn_after(m, 24, "calves")
    for kind in ("clean", "jitter", "drift"):
        act = noisy_flat(kind)
        r = [record(act)]
        q, g = dn_after(r, 24), dn_after(r, 24, "glute_max")
        out[f"flat 10 km {kind}: quads Dn +24 h"] = q
        out[f"flat 10 km {kind}: leg block"] = leg_block(q, g)
        out[f"flat 10 km {kind}: importer loss m"] = act.elevation_loss_m or 0.0
    for name, act in (("10 x 200 m", reps_200()), ("6 x 1 km", reps_1k())):
        stim = compute_stimulus(act)
        structure = getattr(stim, "structure", None)
        out[f"{name}: average pace s/km"] = act.avg_pace_s_per_km
        out[f"{name}: plan's pace rule hard"] = str(_plan_says_hard(act))
        if structure is not None:
            out[f"{name}: reps detected"] = str(structure["reps"])
            out[f"{name}: run type"] = structure["run_type"]
            out[f"{name}: hard day"] = str(structure["hard_day"])
    hike = [record(hike_descent())]
    out["hike 1000 m descent: quads Dn +24 h"] = dn_after(hike, 24)
    as_run = [record(hike_descent(sport="running"))]
    out["same descent labelled a run: quads Dn +24 h"] = dn_after(as_run, 24)
    walk = compute_stimulus(steady_run(1.4, 0.0, km=2)).total
    jog = compute_stimulus(steady_run(3.0, 0.0, km=2)).total
    out["walking 2 km inside a run / running 2 km (total load)"] = walk / jog
    alone = [record(big_descent())]
    week = [record(rolling_run(d)) for d in range(7)] + alone
    out["first big descent alone: peak quads Dn"] = peak_dn(alone)
    out["after a week of +-5 % rolling runs: peak quads Dn"] = peak_dn(week)
    return out


def main() -> None:
    for key, value in figures().items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"{key:58s} {shown}")  # noqa: T201


if __name__ == "__main__":
    main()
