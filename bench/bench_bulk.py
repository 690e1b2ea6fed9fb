"""Bulk import of a five-year export: a generated 1,000-activity zip on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_bulk.py [--activities 1000] [--db sqlite,postgresql]
                                         [--workers N] [--json bench/out/bench_bulk.json]

The zip holds FIT (85 %) and GPX (15 %) runs of 30 to 90 minutes at 1 s recording, one every
~1.8 days, as a watch export would (the FIT files are made by the test suite's writer, then
copied with their times shifted, so generating 1,000 takes seconds). Each database is measured
in a fresh process that runs the real import job (webapp.jobs.run_job: the process pool that
parses, one writer committing in batches) on a throwaway database (SQLite in a temporary
folder; PostgreSQL at LEGDAY_TEST_PG, default postgresql://postgres@127.0.0.1:5432/test, in a
database created and dropped here). Peak RSS is each process's own high-water mark (VmHWM),
sampled for the job's process and every process under it (the parsing workers); the job's
process starts its peak again once the upload is stored (that part is the web request's).

Targets (issue 18): the 1,000-activity zip in under 2 minutes on 2 cores on each database, and
under 200 MB peak RSS per process. The machine may be shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 120.0
TARGET_RSS_MB = 200.0
FIRST_START = datetime(2021, 1, 4, 6, 30, tzinfo=UTC)
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
# (global message, field) of the date_time fields the test writer emits, besides 253.
TIME_FIELDS = {(0, 4), (18, 2), (19, 2)}


# --- the export --------------------------------------------------------------------------------


def _crc(data: bytes) -> int:
    table = (
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    )  # fmt: skip
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = table[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[nibble]
    return crc


def shift_fit(data: bytes, seconds: int) -> bytes:
    """A copy of a FIT file (normal headers only) with every date_time moved by `seconds`."""
    buf = bytearray(data)
    header = buf[0]
    end = header + struct.unpack_from("<I", buf, 4)[0]
    layouts: dict[int, tuple[str, int, list[tuple[int, int, int]], int]] = {}
    i = header
    while i < end:
        record = buf[i]
        i += 1
        if record & 0x40:  # a definition message
            endian = "<" if buf[i + 1] == 0 else ">"
            number = struct.unpack_from(endian + "H", buf, i + 2)[0]
            count, i = buf[i + 4], i + 5
            fields, size = [], 0
            for _ in range(count):
                fields.append((buf[i], size, buf[i + 1]))
                size, i = size + buf[i + 1], i + 3
            if record & 0x20:  # developer fields
                dev, i = buf[i], i + 1
                size += sum(buf[i + 3 * k + 1] for k in range(dev))
                i += 3 * dev
            layouts[record & 0x0F] = (endian, number, fields, size)
            continue
        endian, number, fields, size = layouts[record & 0x0F]
        for field, offset, width in fields:
            if width == 4 and (field == 253 or (number, field) in TIME_FIELDS):
                value = struct.unpack_from(endian + "I", buf, i + offset)[0]
                if value != 0xFFFFFFFF:
                    struct.pack_into(endian + "I", buf, i + offset, value + seconds)
        i += size
    struct.pack_into("<H", buf, end, _crc(bytes(buf[:end])))
    return bytes(buf)


def make_export(count: int, path: Path) -> Path:
    """Write the export zip of `count` runs to `path` (kept: later runs reuse it)."""
    from tests.importers.samples import fit_bytes, gpx_text, make_track

    minutes = (30, 40, 45, 50, 60, 70, 75, 90)
    templates = []
    for n, length in enumerate(minutes):
        track = make_track(seconds=length * 60, hill_m=10 + 5 * n, noise_m=0.5, seed=n)
        templates.append((track.times[0], fit_bytes(track)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(count):
            start = FIRST_START + timedelta(days=n * 1.8, minutes=(n * 37) % 600)
            if n % 7 == 3:  # a GPX every seventh run
                track = make_track(
                    seconds=minutes[n % len(minutes)] * 60, hill_m=25, start=start, seed=n
                )
                archive.writestr(f"export/activity_{n:04d}.gpx", gpx_text(track))
                continue
            t0, data = templates[n % len(templates)]
            shifted = shift_fit(data, int((start - t0).total_seconds()))
            archive.writestr(f"export/activity_{n:04d}.fit", shifted)
    return path


# --- one measured import (in a fresh process) ----------------------------------------------------


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


_hwm_reset_works = False


def _reset_hwm() -> None:
    """Start this process's peak RSS (VmHWM) again from its current RSS (Linux >= 4.0:
    /proc/PID/clear_refs, value 5); where that is refused the peak keeps the set-up's."""
    global _hwm_reset_works
    try:
        Path("/proc/self/clear_refs").write_text("5")
        _hwm_reset_works = True
    except OSError:
        _hwm_reset_works = False


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found.extend(children)
        frontier.extend(children)
    return found


class PeakRss:
    """Samples VmHWM (peak RSS) and CPU seconds of this process and each process under it,
    every `every` seconds."""

    def __init__(self, every: float = 0.2):
        self.every, self.peaks, self.cpu, self._stop = every, {}, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.every):
            for pid in [me, *_descendants(me)]:
                mb = _hwm_mb(pid)
                if mb is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), mb)
                cpu = _cpu_s(pid)
                if cpu is not None:
                    self.cpu[pid] = cpu

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def child(db: str, zip_path: Path, workers: int | None) -> dict:
    from webapp import create_app, jobs
    from webapp.auth import create_user
    from webapp.db import new_session
    from webapp.models import Activity, ImportJob, ImportUpload

    data = zip_path.read_bytes()
    app = create_app({"INSTANCE_PATH": os.environ["LEGDAY_INSTANCE"], "IMPORT_WORKERS": workers})
    with app.app_context():
        session = new_session()
        user = create_user(session, "bench@example.com", "correct horse")
        session.flush()
        job = ImportJob(user_id=user.id, filename=zip_path.name, status="queued")
        job.upload = ImportUpload(size=len(data), content=data)
        session.add(job)
        session.commit()
        job_id = job.id
        session.close()
    del data, job
    gc.collect()
    # The set-up above (the whole zip read, then written as one blob) is the web request's
    # part, in another process in production; the job's own peak starts from here.
    setup_mb = _hwm_mb(os.getpid())
    _reset_hwm()
    cpu_before = _cpu_s(os.getpid())
    with PeakRss() as rss:
        started = time.perf_counter()
        status = jobs.run_job(app, job_id)
        seconds = time.perf_counter() - started
    with app.app_context():
        session = new_session()
        stored = session.query(Activity).count()
        session.close()
    me = os.getpid()
    others = [mb for pid, mb in rss.peaks.items() if pid != me]
    return {
        "db": db,
        "status": status,
        "activities": stored,
        "seconds": round(seconds, 2),
        "activities_per_s": round(stored / seconds, 2),
        "workers": workers if workers is not None else jobs.bulk.default_workers(),
        "peak_rss_mb_job_process": round(rss.peaks.get(me, 0.0), 1),
        "peak_rss_mb_setup": round(setup_mb or 0.0, 1),
        "peak_reset": _hwm_reset_works,
        "peak_rss_mb_worst_worker": round(max(others, default=0.0), 1),
        "processes_seen": len(rss.peaks),
        # CPU seconds the import used: on a shared machine, what an idle one would need.
        "cpu_s_job_process": round(rss.cpu.get(me, 0.0) - cpu_before, 1),
        "cpu_s_workers": round(sum(s for pid, s in rss.cpu.items() if pid != me), 1),
    }


def measure(db: str, zip_path: Path, workers: int | None) -> dict:
    """Run `child` in a fresh process on a throwaway database; returns its figures."""
    with tempfile.TemporaryDirectory(prefix="legday-bench-bulk-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
        env["LEGDAY_INSTANCE"] = tmp
        name = None
        if db == "postgresql":
            from tests import pg

            if not pg.available():
                return {"db": db, "skipped": f"no PostgreSQL answers at {pg.ADMIN_URL}"}
            env["DATABASE_URL"], name = pg.create_database()
            # as the Procfile's release step does (`legday db upgrade`): the app does not migrate
            # a server database on start
            from webapp.db import upgrade

            upgrade(env["DATABASE_URL"])
        try:
            args = [sys.executable, __file__, "--child", db, "--zip", str(zip_path)]
            if workers is not None:
                args += ["--workers", str(workers)]
            out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
            if out.returncode != 0:
                return {"db": db, "error": out.stderr[-2000:]}
            return json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            if name is not None:
                pg.drop_database(name)


def report(rows: list[dict], generated: dict) -> None:
    print(f"load average before: {generated['load_before']}, after: {os.getloadavg()}")
    print(f"export: {generated['activities']} activities, {generated['zip_mb']} MB zip")
    head = f"{'database':<11}{'act/s':>8}{'seconds':>9}{'target':>8}{'ratio':>7}"
    print(
        head + f"{'job MB':>8}{'worker MB':>10}{'target':>8}{'ratio':>7}{'CPU s job/workers':>19}"
    )
    for row in rows:
        if "seconds" not in row:
            print(f"{row['db']:<11} {row.get('skipped') or row.get('error')}")
            continue
        worst = max(row["peak_rss_mb_job_process"], row["peak_rss_mb_worst_worker"])
        row["ratio_time"] = round(row["seconds"] / TARGET_SECONDS, 2)
        row["ratio_rss"] = round(worst / TARGET_RSS_MB, 2)
        print(
            f"{row['db']:<11}{row['activities_per_s']:>8.1f}{row['seconds']:>9.1f}"
            f"{TARGET_SECONDS:>8.0f}{row['ratio_time']:>7.2f}"
            f"{row['peak_rss_mb_job_process']:>8.0f}{row['peak_rss_mb_worst_worker']:>10.0f}"
            f"{TARGET_RSS_MB:>8.0f}{row['ratio_rss']:>7.2f}"
            f"{row['cpu_s_job_process']:>11.1f} / {row['cpu_s_workers']:<6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: cores)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "out" / "bench_bulk.json")
    parser.add_argument("--zip", type=Path, default=None, help="an export zip to import")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.zip, args.workers)))
        return
    load_before = os.getloadavg()
    zip_path = args.zip or Path(tempfile.gettempdir()) / f"legday-export-{args.activities}.zip"
    if not zip_path.exists():
        started = time.perf_counter()
        make_export(args.activities, zip_path)
        print(f"generated {zip_path} in {time.perf_counter() - started:.0f} s")
    with zipfile.ZipFile(zip_path) as archive:
        count = len(archive.infolist())
    generated = {
        "activities": count,
        "zip_mb": round(zip_path.stat().st_size / 2**20, 1),
        "load_before": [round(x, 2) for x in load_before],
    }
    rows = [measure(db, zip_path, args.workers) for db in args.db.split(",")]
    report(rows, generated)
    result = {
        "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb_per_process": TARGET_RSS_MB},
        "export": generated,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "results": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
