"""Speed of the load engine: stimulus of a 4-hour run against that file's import, and the
state of 1,800 activities of history.

    python bench/bench_engine.py

Targets (issue 4): stimulus < 20 % of the import time; compute_state(1,800 records) < 50 ms.
The 4-hour FIT is written with garmin-fit-sdk's Encoder (the test samples' writer): one record
per second with position, altitude over rolling hills, distance, heart rate and cadence.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import importers  # noqa: E402
from engine.state import LoadRecord, compute_state, daily_series  # noqa: E402
from engine.stimulus import compute_stimulus, steady_stimulus  # noqa: E402
from tests.importers.samples import fit_bytes, make_track  # noqa: E402

REPEATS = 7


def timed(fn, repeats: int = REPEATS) -> tuple[float, object]:
    """Median wall time in ms over `repeats` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _dicts(n: int = 1800) -> list[dict]:
    """What the webapp stores per activity (Stimulus.to_dict()), as it comes back from JSON."""
    import json

    stored = json.dumps(steady_stimulus(3.0, -0.05, 3600).to_dict())
    return [json.loads(stored) for _ in range(n)]


def history(n: int = 1800) -> list[LoadRecord]:
    """About five years of runs: easy, long, hilly and downhill sessions in a random mix."""
    rng = np.random.default_rng(7)
    kinds = [
        steady_stimulus(3.0, 0.0, 3000).to_dict(),
        steady_stimulus(3.2, 0.0, 6000).to_dict(),
        steady_stimulus(2.5, 0.08, 3600).to_dict(),
        steady_stimulus(3.0, -0.10, 1800).to_dict(),
    ]
    start = datetime(2021, 1, 1, 7, tzinfo=UTC)
    days = np.sort(rng.uniform(0, 5 * 365, n))
    return [
        LoadRecord.from_stimulus(start + timedelta(days=float(d)), 3600, kinds[i % 4])
        for i, d in enumerate(days)
    ]


def main() -> None:
    track = make_track(seconds=4 * 3600, hill_m=40, hill_period_s=900, noise_m=0.5)
    data = fit_bytes(track)
    import_ms, activities = timed(lambda: importers.load(data, "run_4h.fit"), 5)
    (activity,) = activities
    stim_ms, stim = timed(lambda: compute_stimulus(activity))
    print(f"4-hour FIT: {len(data) / 1024:.0f} KB, {len(activity.series):,} records")
    print(f"  import (importers.load)      {import_ms:8.1f} ms")
    print(f"  stimulus (compute_stimulus)  {stim_ms:8.1f} ms")
    print(f"  stimulus / import            {100 * stim_ms / import_ms:8.1f} %   (target < 20 %)")
    print(f"  leg load {stim.total:.0f}, systemic {stim.systemic_load:.0f}")

    records = history()
    as_of = records[-1].end_time + timedelta(hours=12)
    state_ms, state = timed(lambda: compute_state(records, as_of), 21)
    stored = [(r.start_time, stim_dict) for r, stim_dict in zip(records, _dicts(), strict=False)]
    build_ms, _ = timed(lambda: [LoadRecord.from_stimulus(t, 3600, d) for t, d in stored], 5)
    series_ms, _ = timed(
        lambda: daily_series(records, (as_of - timedelta(days=365)).date(), as_of.date()), 5
    )
    print(f"state of {len(records):,} records over 5 years")
    print(f"  LoadRecords from stored JSON {build_ms:8.1f} ms")
    print(f"  compute_state                {state_ms:8.1f} ms   (target < 50 ms)")
    print(f"  daily_series, last 365 days  {series_ms:8.1f} ms")
    print(
        f"  quadriceps Dn {state.muscles['quadriceps'].damage_normalised:.2f}, "
        f"fitness {state.fitness:.0f}"
    )


if __name__ == "__main__":
    main()
