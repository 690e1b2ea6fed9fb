"""The week, list and activity pages with five years of history, at 1 and 20 clients.

Seeds one runner with 1,800 runs (5 years) into a fresh SQLite database (or PostgreSQL with
`--db postgresql`), times weekly_context in process (cold: a worker's first visit, reading the
runner's stored days; after an upload; after a setting; a full rebuild of the days), then serves
the app with gunicorn on 127.0.0.1 and 1 then 20 client threads ask for each page as fast as
they can (bounded by a request count and a time limit). Server time is read from the
`Server-Timing` header the app adds (LEGDAY_SERVER_TIMING=1). Targets (issue 18): week page
server p95 < 50 ms at 20 clients; cold week < 30 ms in process.

    python bench/bench_week.py [--db sqlite|postgresql] [--clients 1,20] [--requests 400]
                               [--json results.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIVITIES = 1800
YEARS = 5
EMAIL = "bench@example.com"
PASSWORD = "correct horse battery"
MARKERS = {"/week": b'id="plan"'}  # the strength plan (this week or that week)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def template_rows(user_id: int):
    """A few real imports (FIT written with the SDK's Encoder, read by the importers)."""
    import importers
    from tests.importers.samples import fit_bytes, make_track
    from webapp.ingest import activity_row

    shapes = [
        (1800, 3.0, 20.0),
        (2700, 3.2, 80.0),
        (3600, 2.9, 150.0),
        (1500, 3.8, 10.0),
        (5400, 2.8, 300.0),
        (2400, 3.4, 40.0),
    ]
    rows = []
    for seconds, speed, hill in shapes:
        track = make_track(seconds=seconds, speed=speed, hill_m=hill)
        [activity] = importers.load(fit_bytes(track), "template.fit")
        rows.append(activity_row(activity, user_id))
    return rows


def seed(app) -> None:
    """One runner, 1,800 runs over five years, ending today."""
    from webapp.auth import create_user
    from webapp.db import new_session
    from webapp.models import Activity

    session = new_session(app)
    user = create_user(session, EMAIL, PASSWORD)
    session.commit()
    templates = template_rows(user.id)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    span = timedelta(days=365 * YEARS)
    step = span / ACTIVITIES
    fields = [
        c.key for c in Activity.__table__.columns if c.key not in ("id", "created_at", "user_id")
    ]
    batch = []
    for i in range(ACTIVITIES):
        t = templates[i % len(templates)]
        start = now - span + step * i
        values = {f: getattr(t, f) for f in fields}
        values.update(start_time=start, fingerprint=f"bench-{i:05d}", user_id=user.id)
        batch.append(Activity(**values))
    session.add_all(batch)
    session.commit()
    session.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(port: int) -> str:
    """Log in through the real form; return the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    if field is None:
        raise SystemExit(f"no CSRF token on the login page ({response.status})")
    token = re.search(r'value="([^"]+)"', field.group(0)).group(1)
    from urllib.parse import urlencode

    body = urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    conn.request(
        "POST",
        "/auth/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";")[0]


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def drive(port: int, cookie: str, clients: int, requests: int, limit_s: float, path: str):
    """`clients` threads share `requests` GETs of `path`; returns (server ms, client ms)."""
    server_ms: list[float] = []
    cpu_ms: list[float] = []
    client_ms: list[float] = []
    lock = threading.Lock()
    left = [requests]
    stop_at = time.monotonic() + limit_s

    def worker(_):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if left[0] <= 0 or time.monotonic() > stop_at:
                    break
                left[0] -= 1
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
            took = (time.perf_counter() - started) * 1000
            if response.status != 200 or MARKERS.get(path, b"<html") not in body:
                raise SystemExit(f"unexpected answer {response.status} from {path}")
            timing = response.getheader("Server-Timing") or ""
            match = re.search(r"app;dur=([\d.]+)", timing)
            cpu = re.search(r"cpu;dur=([\d.]+)", timing)
            with lock:
                client_ms.append(took)
                if match:
                    server_ms.append(float(match.group(1)))
                if cpu:
                    cpu_ms.append(float(cpu.group(1)))
        conn.close()

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    return server_ms, cpu_ms, client_ms


def recompute_ms(app, case: str, runs: int = 15) -> tuple[list[float], list[float]]:
    """weekly_context when its cache cannot answer: `first` (a worker's first visit: the stored
    days read), `upload` (the newest day rebuilt, as after an upload), `setting` (a setting, log
    or swap: the week recomputed from the cached days), `rebuild` (every day rebuilt from every
    run's stimulus, as after a change of time zone). Returns (wall ms, CPU ms) per run."""
    from sqlalchemy import select

    from webapp import cache, daily_loads, weeks
    from webapp.db import new_session
    from webapp.models import Activity, User

    session = new_session(app)
    user = session.scalar(select(User))
    weeks.weekly_context(session, user)
    newest = session.scalar(
        select(Activity.start_time)
        .where(Activity.user_id == user.id)
        .order_by(Activity.start_time.desc())
    )
    week_cache = cache.lru(weeks.WEEK_CACHE)
    days_cache = cache.lru(daily_loads.DAYS_CACHE)
    out, cpu = [], []
    for _ in range(runs if case != "rebuild" else 3):
        week_cache.clear()
        if case in ("first", "upload", "rebuild"):
            days_cache.clear()
        if case == "upload":
            daily_loads.mark_stale(user, newest)
        elif case == "rebuild":
            user.loads_basis = None
        started, started_cpu = time.perf_counter(), time.process_time()
        weeks.weekly_context(session, user)
        out.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    session.close()
    return out, cpu


def an_activity_id(app) -> int:
    from sqlalchemy import func, select

    from webapp.db import new_session
    from webapp.models import Activity

    session = new_session(app)
    try:
        return session.scalar(select(func.max(Activity.id)))
    finally:
        session.close()


def load(port: int, cookie: str, clients: int, path: str, args) -> dict:
    """One page under `clients` concurrent clients: percentiles of server and client time."""
    started = time.perf_counter()
    server_ms, cpu_ms, client_ms = drive(port, cookie, clients, args.requests, args.seconds, path)
    wall = time.perf_counter() - started
    row = {
        "path": path,
        "clients": clients,
        "requests": len(client_ms),
        "req_per_s": len(client_ms) / wall,
        "server_p50_ms": percentile(server_ms, 50),
        "server_p95_ms": percentile(server_ms, 95),
        "server_cpu_p95_ms": percentile(cpu_ms, 95),
        "client_p50_ms": percentile(client_ms, 50),
        "client_p95_ms": percentile(client_ms, 95),
        "load_average": os.getloadavg()[0],
    }
    print(
        f"GET {path}: {len(client_ms)} requests, {clients} clients, {row['req_per_s']:.0f} req/s; "
        f"server p50 {row['server_p50_ms']:.1f} / p95 {row['server_p95_ms']:.1f} ms "
        f"(CPU p95 {row['server_cpu_p95_ms']:.1f}); client p50 {row['client_p50_ms']:.1f} / "
        f"p95 {row['client_p95_ms']:.1f} ms; load average {row['load_average']:.1f}"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", default="1,20", help="comma-separated client counts")
    parser.add_argument("--requests", type=int, default=400, help="per page and client count")
    parser.add_argument("--seconds", type=float, default=40.0, help="time limit per page load")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--json", dest="json_path", help="write the figures to this file")
    args = parser.parse_args()

    from webapp import create_app

    workdir = Path(tempfile.mkdtemp(prefix="legday-bench-"))
    pg_name = None
    if args.db == "postgresql":
        from tests import pg

        if not pg.available():
            raise SystemExit(f"no PostgreSQL at {pg.ADMIN_URL}")
        url, pg_name = pg.create_database()
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"
    config = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(workdir / "instance"),
    }
    server = None
    try:
        app = create_app(config)
        t0 = time.perf_counter()
        seed(app)
        print(
            f"seeded {ACTIVITIES} runs over {YEARS} years ({args.db}) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        results: dict = {"activities": ACTIVITIES, "db": args.db, "in_process": {}, "pages": []}
        for case, what in (
            ("first", "cold, on a worker's first visit"),
            ("upload", "after an upload"),
            ("setting", "after a setting, log or swap"),
            ("rebuild", "with every day rebuilt"),
        ):
            took, cpu = recompute_ms(app, case)
            results["in_process"][case] = {
                "p50_ms": statistics.median(took),
                "max_ms": max(took),
                "cpu_p50_ms": statistics.median(cpu),
            }
            print(
                f"weekly_context recomputed {what} (in process): "
                f"p50 {statistics.median(took):.1f} ms (CPU {statistics.median(cpu):.1f} ms), "
                f"max {max(took):.1f} ms over {len(took)} runs"
            )
        activity_id = an_activity_id(app)
        app.extensions["legday.engine"].dispose()

        port = free_port()
        env = dict(
            os.environ,
            DATABASE_URL=url,
            SECRET_KEY="bench",
            LEGDAY_INSTANCE=str(workdir / "instance"),
            LEGDAY_SERVER_TIMING="1",
            LEGDAY_AUTO_MIGRATE="0",
            PYTHONPATH=str(ROOT),
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
                "webapp:create_app()",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_until_up(port, time.monotonic() + 60)
        cookie = login(port)
        # Warm-up: each worker process computes the week once and caches it.
        drive(
            port, cookie, args.workers * args.threads, args.workers * args.threads * 8, 60, "/week"
        )
        pages = ("/week", "/activities", f"/activities/{activity_id}")
        for clients in (int(c) for c in args.clients.split(",")):
            for path in pages:
                results["pages"].append(load(port, cookie, clients, path, args))
        if args.json_path:
            Path(args.json_path).write_text(json.dumps(results, indent=1))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if pg_name:
            from tests import pg

            pg.drop_database(pg_name)


if __name__ == "__main__":
    main()
