"""What parsing in a sandboxed child costs (issue 13: process isolation, "worth measuring").

    .venv/bin/python bench/bench_isolation.py [--runs 5]

Prints: the child's start-up (spawn, imports, RLIMIT_AS), and for a generated 4-hour FIT and
GPX the median import time in this process against through `importers.isolated.Sandbox` (the
difference is pickling the Activity back), and a hostile file's outcome in the child. No target
is asserted: the figures go to docs/security.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import importers  # noqa: E402
from importers.isolated import Sandbox, load_isolated  # noqa: E402
from tests.importers.samples import fit_bytes, gpx_text, make_track  # noqa: E402


def median_s(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    track = make_track(seconds=4 * 3600, hill_m=30)
    files = {
        "4-hour FIT": ("run.fit", fit_bytes(track)),
        "4-hour GPX": ("run.gpx", gpx_text(track).encode()),
    }
    t0 = time.perf_counter()
    box = Sandbox(memory_mb=250, timeout_s=60)
    box.call(len, b"")
    print(f"sandbox start-up: {time.perf_counter() - t0:.2f} s (spawn, imports, RLIMIT_AS)")
    for label, (name, data) in files.items():
        here = median_s(lambda n=name, d=data: importers.load(d, n), args.runs)
        child = median_s(lambda n=name, d=data: load_isolated(d, n, box), args.runs)
        print(
            f"{label} ({len(data) / 2**20:.1f} MB): in process {here:.3f} s, "
            f"in the sandbox {child:.3f} s (+{(child / here - 1) * 100:.0f} %)"
        )
    deep = b"<a>" * 200_000 + b"</a>" * 200_000
    hostile = (
        b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="46" lon="7">'
        b"<time>2025-02-01T07:00:00Z</time><extensions>"
        + deep
        + b"</extensions></trkpt></trkseg></trk></gpx>"
    )
    out = box.call(importers.load, hostile, "deep.gpx")
    print(f"200,000-deep GPX in the sandbox: {out.status}, {out.error.splitlines()[0][:90]}")
    box.close()


if __name__ == "__main__":
    main()
