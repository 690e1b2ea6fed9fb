"""Import jobs whose process dies: kill -9 of a real RQ work-horse, a file that kills it.

A real `rq.Worker` runs in a subprocess (tests.webapp.rq_worker) against the test's database
and a queue of its own; the test drives the reaper directly with a short staleness instead of
waiting a minute. The runner then sees the outcome on the job page.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from tests.webapp.files import recent_start, run_fit, zip_of
from webapp import jobs
from webapp.db import new_session
from webapp.models import ImportJob

REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT = 60  # seconds a process may take before the test gives up (not a speed target)


@pytest.fixture
def queue(redis_queue):
    return redis_queue


@pytest.fixture
def worker(app, queue, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "REDIS_URL": REDIS_URL,
        "LEGDAY_RQ_QUEUE": queue.name,
        "LEGDAY_INSTANCE": str(tmp_path / "worker-instance"),
        "LEGDAY_AUTO_MIGRATE": "0",
        "LEGDAY_IMPORT_WORKERS": "0",
        "LEGDAY_JOB_HEARTBEAT_SECONDS": "0.2",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.webapp.rq_worker", queue.name],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.kill()
    process.wait(WAIT)
    log.close()


def _job(app, job_id: int) -> ImportJob:
    with app.app_context():
        session = new_session()
        job = session.get(ImportJob, job_id)
        session.expunge(job)
        session.close()
        return job


def _until(what, deadline_s: float = WAIT):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting after {deadline_s} s")


def _horse(worker) -> int | None:
    """The pid of the work-horse the RQ worker forked, if one runs."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    pids = children.read_text().split() if children.exists() else []
    return int(pids[0]) if pids else None


def _start(app, auth, members: dict[str, bytes]) -> int:
    """Register, upload a zip of `members` on the upload page; returns the job's id."""
    auth.register()
    files = [(io.BytesIO(zip_of(members)), "export.zip")]
    response = auth.post("/upload", data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 200
    with app.app_context():
        session = new_session()
        job_id = session.scalar(select(ImportJob.id))
        session.close()
    return job_id


def _stale_then_reap(app, job_id: int) -> dict[int, str]:
    """Wait until the dead job's heartbeat is a second old, then run the reaper once."""
    time.sleep(1.2)
    return jobs.reap(app, stale_seconds=1.0)


def test_kill_9_of_the_work_horse_requeues_once_then_fails_and_the_runner_sees_it(
    app, auth, client, worker
):
    job_id = _start(app, auth, {"a.fit": run_fit(recent_start(2)), "slow.fit": run_fit()})
    for attempt in (1, 2):
        horse = _until(lambda: _job(app, job_id).status == "running" and _horse(worker))
        assert _job(app, job_id).attempts == attempt
        os.kill(horse, signal.SIGKILL)
        _until(lambda dead=horse: _horse(worker) != dead)
        outcome = _stale_then_reap(app, job_id)
        assert outcome == {job_id: "queued" if attempt == 1 else "failed"}

    job = _job(app, job_id)
    assert job.status == "failed" and job.error == jobs.JOB_KILLED
    # Nothing runs it again: the queue is empty and the worker stays idle.
    time.sleep(0.5)
    assert _horse(worker) is None and _job(app, job_id).status == "failed"
    page = client.get(f"/upload/jobs/{job_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "stopped twice" in text and "Try again" in text
    # ...and on the upload page, where the import was started.
    upload_page = client.get("/upload").get_data(as_text=True)
    assert "stopped twice" in upload_page and f"/upload/jobs/{job_id}/retry" in upload_page


def test_a_file_that_kills_its_worker_ends_failed_not_looping_and_try_again_finishes(
    app, auth, client, worker, queue
):
    job_id = _start(
        app, auth, {"a.fit": run_fit(recent_start(2)), "killer.fit": run_fit(recent_start(3))}
    )
    for attempt, expected in ((1, "queued"), (2, "failed")):
        _until(lambda n=attempt: _job(app, job_id).attempts >= n)
        _until(lambda: _horse(worker) is None)  # the horse killed itself
        assert _stale_then_reap(app, job_id) == {job_id: expected}
    assert _job(app, job_id).status == "failed"
    worker.kill()  # the deadly parser goes; "Try again" runs on a plain worker
    worker.wait(WAIT)

    from rq import SimpleWorker

    response = auth.post(f"/upload/jobs/{job_id}/retry")
    assert response.status_code == 303
    assert _job(app, job_id).status == "queued" and queue.count == 1
    with app.app_context():
        assert SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job = _job(app, job_id)
    assert job.status == "done" and (job.done, job.total) == (2, 2)
