"""Import cost against a bare decode, and peak memory, on a generated 4-hour run and real files.

    /work/main/.venv/bin/python bench/bench_import.py [--runs 7] [--no-real]

Targets (issue 3): the whole import of a 4-hour FIT costs at most 1.25x a bare fitdecode decode
of the same file (default CRC check), the same for GPX against a bare gpxpy parse (stdlib XML
backend), and the 4-hour import peaks under 150 MB. Times are the median of interleaved warm
runs in one process; memory is measured in a fresh subprocess.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fitdecode  # noqa: E402
import gpxpy  # noqa: E402

import importers  # noqa: E402  (also switches gpxpy to the stdlib XML backend)
from tests.importers.samples import fit_bytes, gpx_text, make_track  # noqa: E402

SHARED = ROOT.parent / "shared" / "fixtures" / "activities"
FOUR_HOURS = 4 * 3600


def bare_fit(data: bytes) -> int:
    n = 0
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for _frame in reader:
            n += 1
    return n


def bare_gpx(data: bytes) -> int:
    doc = gpxpy.parse(data.decode("utf-8-sig"))
    return sum(len(s.points) for t in doc.tracks for s in t.segments)


def ours(data: bytes, name: str) -> int:
    return sum(len(a.series) for a in importers.load(data, name))


def compare(data: bytes, name: str, bare, runs: int) -> tuple[float, float]:
    """Median seconds (bare, ours) over interleaved runs after one warm-up of each."""
    bare(data)
    ours(data, name)
    t_bare, t_ours = [], []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        bare(data)
        t1 = time.perf_counter()
        ours(data, name)
        t2 = time.perf_counter()
        t_bare.append(t1 - t0)
        t_ours.append(t2 - t1)
    return statistics.median(t_bare), statistics.median(t_ours)


PEAK_CODE = """
import json, resource, sys, tracemalloc
sys.path.insert(0, {root!r})
import importers
data = open({path!r}, "rb").read()
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
acts = importers.load(data, {name!r})
cur, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"traced_peak_mb": peak / 2**20, "maxrss_mb": rss / 1024,
                  "maxrss_before_load_mb": rss_before / 1024}}))
"""


def peak_memory(data: bytes, name: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=name) as fh:
        fh.write(data)
        fh.flush()
        code = PEAK_CODE.format(root=str(ROOT), path=fh.name, name=name)
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
    return json.loads(out.stdout)


def line(label: str, n: int, size: int, bare: float, mine: float) -> str:
    return (
        f"{label:58} {n:7,} pts {size / 1024:8.0f} KB  bare {bare * 1000:8.1f} ms  "
        f"import {mine * 1000:8.1f} ms  ratio {mine / bare:5.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-real", action="store_true")
    args = parser.parse_args()
    # fitdecode's default decode warns on some real files (COROS field sizes); keep the
    # output to the figures
    warnings.simplefilter("ignore")

    track = make_track(seconds=FOUR_HOURS, speed=3.0, hill_m=25.0, noise_m=0.3)
    fit = fit_bytes(track)
    gpx = gpx_text(track).encode()
    print(f"Generated 4-hour run: FIT {len(fit) / 1024:.0f} KB, GPX {len(gpx) / 1024:.0f} KB")
    print(f"median of {args.runs} interleaved warm runs, one process")
    b, m = compare(fit, "run_4h.fit", bare_fit, args.runs)
    print(line("4 h FIT  (target <= 1.25x bare fitdecode)", len(track.times), len(fit), b, m))
    b, m = compare(gpx, "run_4h.gpx", bare_gpx, args.runs)
    print(
        line("4 h GPX  (target <= 1.25x bare gpxpy, stdlib XML)", len(track.times), len(gpx), b, m)
    )
    for data, name in ((fit, "run_4h.fit"), (gpx, "run_4h.gpx")):
        mem = peak_memory(data, name)
        print(
            f"peak memory, 4 h {name[-3:].upper()} import in a fresh process: "
            f"tracemalloc peak {mem['traced_peak_mb']:.1f} MB, max RSS {mem['maxrss_mb']:.1f} MB "
            f"({mem['maxrss_before_load_mb']:.1f} MB before the import; target < 150 MB)"
        )
    if args.no_real or not SHARED.exists():
        return
    print("\nReal files (../shared/fixtures/activities):")
    ratios = {"fit": [], "gpx": []}
    for path in sorted(SHARED.glob("fit/*.fit")) + sorted(SHARED.glob("gpx/*.gpx")):
        data = path.read_bytes()
        kind = path.suffix[1:]
        bare = bare_fit if kind == "fit" else bare_gpx
        try:
            n = ours(data, path.name)
        except importers.ActivityFileError as exc:
            print(f"{path.name[:58]:58} not imported: {exc}")
            continue
        b, m = compare(data, path.name, bare, max(3, args.runs // 2))
        ratios[kind].append(m / b)
        print(line(path.name[:58], n, len(data), b, m))
    for kind, values in ratios.items():
        if values:
            print(
                f"{kind.upper()} real files: median ratio {statistics.median(values):.2f}x "
                f"(range {min(values):.2f}-{max(values):.2f}x)"
            )


if __name__ == "__main__":
    main()
