"""`make bench`: every figure of issue 18 in one table, each row with its target and ratio.

    nice .venv/bin/python bench/run.py [--runs 5] [--json bench/results.json] [--quick]

Rows (generated files, loopback traffic only, every loop bounded):
- in-process import of a 1-hour and a 4-hour FIT and GPX against the bare library (fitdecode;
  gpxpy on the stdlib XML backend) and against the peer method (fitdecode -> gpxpy objects ->
  gpxpy metrics, the FitTrackee way), medians of interleaved warm runs in this process (CPU);
- whole-process `legday inspect --json` of the 4-hour files against a bare-library script,
  start-up subtracted (each minus its own start: `inspect --help`, the script importing only),
  CPU seconds of the child, median of interleaved runs; and the start-up itself;
- bulk import: bench/bench_bulk.py when present (its own output), else "not yet";
- the week, list and activity pages at 1 and 20 clients on gunicorn with 1,800 activities, and
  the cold week in process (bench/bench_week.py).
The machine is shared: the load average is printed with the table; ratios are the figures to
read.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fitdecode  # noqa: E402
import gpxpy  # noqa: E402
import gpxpy.gpx  # noqa: E402

import importers  # noqa: E402  (also switches gpxpy to the stdlib XML backend)
from tests.importers.samples import fit_bytes, gpx_text, make_track  # noqa: E402

BIN = Path(sys.executable).parent
SEMICIRCLE = 180.0 / 2**31
STOPPED_KMH = 1.0  # FitTrackee's default stopped-speed threshold

BARE_SCRIPT = """
import io, sys
import fitdecode, gpxpy
path = sys.argv[1]
if path != "--import-only":
    data = open(path, "rb").read()
    if path.endswith(".fit"):
        with fitdecode.FitReader(io.BytesIO(data)) as reader:
            n = sum(1 for _ in reader)
    else:
        doc = gpxpy.parse(data.decode("utf-8-sig"))
        n = sum(len(s.points) for t in doc.tracks for s in t.segments)
    print(n)
"""


# --- the three ways to read a file -------------------------------------------------------------


def bare_fit(data: bytes) -> int:
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        return sum(1 for _ in reader)


def bare_gpx(data: bytes) -> int:
    doc = gpxpy.parse(data.decode("utf-8-sig"))
    return sum(len(s.points) for t in doc.tracks for s in t.segments)


def ours(data: bytes, name: str) -> int:
    return sum(len(a.series) for a in importers.load(data, name))


def _gpx_metrics(doc: gpxpy.gpx.GPX) -> tuple:
    """What the peer computes from its gpxpy objects: moving data, climb, length, bounds."""
    moving = doc.get_moving_data(stopped_speed_threshold=STOPPED_KMH)
    climb = doc.get_uphill_downhill()
    return moving, climb, doc.length_3d(), doc.get_duration(), doc.get_time_bounds()


def peer_fit(data: bytes) -> tuple:
    """fitdecode records -> a gpxpy track (degrees, enhanced altitude) -> gpxpy metrics."""
    doc = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack()
    segment = gpxpy.gpx.GPXTrackSegment()
    doc.tracks.append(track)
    track.segments.append(segment)
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA or frame.name != "record":
                continue
            lat = frame.get_value("position_lat", fallback=None)
            lon = frame.get_value("position_long", fallback=None)
            if lat is None or lon is None:
                continue
            ele = frame.get_value("enhanced_altitude", fallback=None)
            if ele is None:
                ele = frame.get_value("altitude", fallback=None)
            moment = frame.get_value("timestamp", fallback=None)
            segment.points.append(
                gpxpy.gpx.GPXTrackPoint(
                    lat * SEMICIRCLE,
                    lon * SEMICIRCLE,
                    elevation=ele,
                    time=moment.astimezone(UTC) if moment else None,
                )
            )
    return _gpx_metrics(doc)


def peer_gpx(data: bytes) -> tuple:
    return _gpx_metrics(gpxpy.parse(data.decode("utf-8-sig")))


def interleaved(calls: dict, runs: int) -> dict[str, float]:
    """Median CPU seconds of each call over interleaved runs, after one warm-up of each (CPU
    time, not wall time: the machine is shared)."""
    for call in calls.values():
        call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            gc.collect()
            t0 = time.process_time()
            call()
            times[name].append(time.process_time() - t0)
    return {name: statistics.median(v) for name, v in times.items()}


# --- whole process ----------------------------------------------------------------------------


def child_cpu(argv: list[str]) -> float:
    """CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, timeout=300, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def start_rss_mb(argv: list[str]) -> float:
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=ROOT,
    )
    return int(out.stderr.strip().splitlines()[-1]) / 1024


def whole_process(path: Path, script: Path, runs: int) -> dict:
    legday = [str(BIN / "legday"), "inspect"]
    bare = [sys.executable, str(script)]
    argvs = {
        "ours": legday + [str(path), "--json"],
        "ours_start": legday + ["--help"],
        "bare": bare + [str(path)],
        "bare_start": bare + ["--import-only"],
    }
    times: dict[str, list[float]] = {k: [] for k in argvs}
    for _ in range(runs):
        for name, argv in argvs.items():
            times[name].append(child_cpu(argv))
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        **{f"{k}_cpu_s": v for k, v in med.items()},
        "ours_net_s": med["ours"] - med["ours_start"],
        "bare_net_s": med["bare"] - med["bare_start"],
        "ours_start_rss_mb": start_rss_mb(argvs["ours_start"]),
        "bare_start_rss_mb": start_rss_mb(argvs["bare_start"]),
    }


# --- the table --------------------------------------------------------------------------------


def row(what: str, value: str, target: str, ratio: float | None, ok: bool | None) -> dict:
    return {"what": what, "value": value, "target": target, "ratio": ratio, "ok": ok}


def import_rows(runs: int, results: dict) -> list[dict]:
    rows = []
    files = {}
    for hours in (1, 4):
        track = make_track(seconds=hours * 3600, speed=3.0, hill_m=25.0, noise_m=0.3)
        files[f"{hours}h.fit"] = fit_bytes(track)
        files[f"{hours}h.gpx"] = gpx_text(track).encode()
    for name, data in files.items():
        fit = name.endswith(".fit")
        med = interleaved(
            {
                "bare": lambda d=data, f=fit: bare_fit(d) if f else bare_gpx(d),
                "ours": lambda d=data, n=name: ours(d, n),
                "peer": lambda d=data, f=fit: peer_fit(d) if f else peer_gpx(d),
            },
            runs,
        )
        results["import"][name] = {**{f"{k}_s": v for k, v in med.items()}, "bytes": len(data)}
        limit = 1.0 if fit else 1.25
        lib = "fitdecode" if fit else "gpxpy"
        ratio = med["ours"] / med["bare"]
        rows.append(
            row(
                f"import {name} in process vs bare {lib}",
                f"{med['ours'] * 1000:.0f} ms vs {med['bare'] * 1000:.0f} ms",
                f"<= {limit:.2f}x",
                ratio,
                ratio <= limit,
            )
        )
        speedup = med["peer"] / med["ours"]
        rows.append(
            row(
                f"import {name} vs peer (fitdecode>gpxpy>metrics)",
                f"peer {med['peer'] * 1000:.0f} ms",
                ">= 2x faster",
                speedup,
                speedup >= 2.0,
            )
        )
    return rows, files


def inspect_rows(files: dict, runs: int, results: dict) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="legday-bench-") as tmp:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SCRIPT)
        for name in ("4h.fit", "4h.gpx"):
            path = Path(tmp) / name
            path.write_bytes(files[name])
            w = whole_process(path, script, runs)
            results["inspect"][name] = w
            ratio = w["ours_net_s"] / w["bare_net_s"]
            rows.append(
                row(
                    f"legday inspect --json {name} (minus --help) vs bare script",
                    f"{w['ours_net_s']:.2f} s vs {w['bare_net_s']:.2f} s CPU",
                    "<= 1.25x",
                    ratio,
                    ratio <= 1.25,
                )
            )
        start = results["inspect"]["4h.fit"]
        ratio = start["ours_start_cpu_s"] / start["bare_start_cpu_s"]
        rows.append(
            row(
                "legday inspect --help start vs `import fitdecode, gpxpy`",
                f"{start['ours_start_cpu_s']:.2f} s CPU, {start['ours_start_rss_mb']:.0f} MB "
                f"(bare {start['bare_start_cpu_s']:.2f} s, {start['bare_start_rss_mb']:.0f} MB)",
                "no flask/sqlalchemy/alembic",
                ratio,
                None,
            )
        )
    return rows


def bulk_rows(results: dict, activities: int = 1000) -> list[dict]:
    """One row per database from bench/bench_bulk.py (a fresh process per database)."""
    script = ROOT / "bench" / "bench_bulk.py"
    target = "< 120 s, < 200 MB"
    with tempfile.NamedTemporaryFile(suffix=".json") as fh:
        out = subprocess.run(
            [sys.executable, str(script), "--json", fh.name, "--activities", str(activities)],
            capture_output=True,
            text=True,
            timeout=1800,
            cwd=ROOT,
        )
        figures = json.loads(Path(fh.name).read_text() or "{}") if out.returncode == 0 else {}
    results["bulk"] = {"returncode": out.returncode, "output": out.stdout[-4000:], **figures}
    if not figures.get("results"):
        tail = (out.stderr.strip().splitlines() or ["(no output)"])[-1][:60]
        return [row("bulk import, 1,000-activity zip", f"failed: {tail}", target, None, False)]
    rows = []
    for r in figures["results"]:
        if r.get("status") != "done":
            rows.append(row(f"bulk import, {r['db']}", str(r.get("status")), target, None, False))
            continue
        rss = max(r["peak_rss_mb_job_process"], r["peak_rss_mb_worst_worker"])
        ratio = max(r["seconds"] / 120.0, rss / 200.0)
        rows.append(
            row(
                f"bulk import {r['activities']:,} activities ({figures['export']['zip_mb']} MB "
                f"zip), {r['db']}",
                f"{r['seconds']:.0f} s ({r['activities_per_s']:.1f}/s), "
                f"{r['peak_rss_mb_job_process']:.0f} MB job / "
                f"{r['peak_rss_mb_worst_worker']:.0f} MB worker",
                target,
                ratio,
                ratio <= 1.0,
            )
        )
    return rows


def week_rows(results: dict, quick: bool) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as fh:
        argv = [sys.executable, str(ROOT / "bench" / "bench_week.py"), "--json", fh.name]
        if quick:
            argv += ["--requests", "100", "--seconds", "15"]
        subprocess.run(argv, check=True, timeout=1800, cwd=ROOT, stdout=sys.stderr)
        week = json.loads(Path(fh.name).read_text())
    results["week"] = week
    inp = week["in_process"]

    def wall_cpu(case: str) -> str:
        return f"{inp[case]['p50_ms']:.0f} ms wall, {inp[case]['cpu_p50_ms']:.1f} ms CPU"

    cold = inp["first"]["cpu_p50_ms"]
    rows = [
        row("cold week in process (1,800 activities), p50", wall_cpu("first"), "< 30 ms (CPU)",
            cold / 30, cold < 30),
        row("week after an upload, in process", wall_cpu("upload"), "-", None, None),
        row("week after a setting, in process", wall_cpu("setting"), "-", None, None),
        row("week with every day rebuilt, in process", wall_cpu("rebuild"), "-", None, None),
    ]  # fmt: skip
    for page in week["pages"]:
        is_target = page["path"] == "/week" and page["clients"] == 20
        p95 = page["server_p95_ms"]
        rows.append(
            row(
                f"GET {page['path'][:16]} {page['clients']:>2} clients: server p50/p95",
                f"{page['server_p50_ms']:.0f}/{p95:.0f} ms (CPU p95 "
                f"{page['server_cpu_p95_ms']:.0f}), client "
                f"{page['client_p50_ms']:.0f}/{page['client_p95_ms']:.0f}",
                "p95 < 50 ms" if is_target else "-",
                p95 / 50 if is_target else None,
                p95 < 50 if is_target else None,
            )
        )
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'measure':62} {'value':46} {'target':28} {'ratio':>6}  ok")
    for r in rows:
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-"
        ok = {True: "yes", False: "NO", None: ""}[r["ok"]]
        print(f"{r['what'][:62]:62} {r['value'][:46]:46} {r['target']:28} {ratio:>6}  {ok}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs per measure")
    parser.add_argument("--json", dest="json_path", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--quick", action="store_true", help="fewer page requests")
    parser.add_argument("--skip-week", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # fitdecode warns on some field sizes; keep to the figures
    started = time.time()
    results: dict = {"import": {}, "inspect": {}, "load_average_start": os.getloadavg()}
    rows, files = import_rows(args.runs, results)
    rows += inspect_rows(files, args.runs, results)
    rows += bulk_rows(results)
    if not args.skip_week:
        rows += week_rows(results, args.quick)
    results["rows"] = rows
    results["load_average_end"] = os.getloadavg()
    results["seconds"] = time.time() - started
    Path(args.json_path).write_text(json.dumps(results, indent=1, default=str))
    print()
    print_table(rows)
    la0, la1 = results["load_average_start"][0], results["load_average_end"][0]
    print(
        f"\n{os.cpu_count()} CPUs; load average (1 min) {la0:.1f} at the start, {la1:.1f} at the "
        f"end; {results['seconds']:.0f} s; figures in {args.json_path}"
    )


if __name__ == "__main__":
    main()
