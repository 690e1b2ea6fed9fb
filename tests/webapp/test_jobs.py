"""Background imports: in a thread without Redis, on a real RQ worker (burst mode) with it."""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tests.webapp.files import recent_start, run_fit, zip_of
from webapp import jobs
from webapp.auth import create_user
from webapp.db import new_session
from webapp.models import Activity, ImportJob, ImportJobFile, ImportUpload

REDIS_URL = "redis://127.0.0.1:6379/0"


def _archive() -> bytes:
    return zip_of(
        {
            "a.fit": run_fit(recent_start(2)),
            "b.fit": run_fit(recent_start(3)),
            "notes.txt": b"not a run",
        }
    )


def _user(app):
    with app.app_context():
        session = new_session()
        user = create_user(session, "bulk@example.com", "correct horse")
        session.commit()
        session.close()
        return user


def _wait_for(app, job_id: int, deadline_s: float = 60.0) -> ImportJob:
    """Poll the job row until it finishes (a wait for the work, not a speed assertion)."""
    end = time.monotonic() + deadline_s
    while True:
        with app.app_context():
            session = new_session()
            job = session.get(ImportJob, job_id, options=[selectinload("*")])
            session.close()
        if job.status in ("done", "failed") or time.monotonic() > end:
            return job
        time.sleep(0.05)


def _queued(app, user, archive: bytes, **columns) -> int:
    """A queued job row with its upload, as a previous attempt (or start_import) left it."""
    with app.app_context():
        session = new_session()
        job = ImportJob(
            user_id=user.id,
            filename="export.zip",
            status="queued",
            upload=ImportUpload(size=len(archive), content=archive),
            **columns,
        )
        session.add(job)
        session.commit()
        job_id = job.id
        session.close()
    return job_id


def _start(app, user, data):
    with app.app_context():
        session = new_session()
        job = jobs.start_import(app, session, session.merge(user), "export.zip", data)
        session.close()
    return job.id


def test_without_redis_a_zip_is_imported_in_a_background_thread(app):
    user = _user(app)
    job_id = _start(app, user, _archive())
    job = _wait_for(app, job_id)
    assert job.status == "done", job.error
    assert (job.done, job.total) == (3, 3)
    assert sorted(r["status"] for r in job.results) == ["imported", "imported", "skipped"]
    assert job.upload is None  # the upload is dropped once its files are stored
    with app.app_context():
        session = new_session()
        assert session.scalar(select(func.count(Activity.id))) == 2
        session.close()




def test_with_redis_the_job_waits_on_the_queue_until_a_worker_runs_it(app, redis_queue):
    from rq import SimpleWorker

    user = _user(app)
    job_id = _start(app, user, _archive())
    assert redis_queue.count == 1
    with app.app_context():
        session = new_session()
        assert session.get(ImportJob, job_id).status == "queued"
        session.close()
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    with app.app_context():  # the worker's app (a worker process builds its own from the env)
        assert worker.work(burst=True)
    job = _wait_for(app, job_id, deadline_s=5)
    assert job.status == "done", job.error
    assert sorted(r["status"] for r in job.results) == ["imported", "imported", "skipped"]


def test_a_finished_job_is_not_run_twice(app):
    user = _user(app)
    job_id = _start(app, user, _archive())
    assert _wait_for(app, job_id).status == "done"
    assert jobs.run_job(app, job_id) == "done"
    with app.app_context():
        session = new_session()
        assert session.scalar(select(func.count(Activity.id))) == 2
        session.close()


def test_when_redis_does_not_answer_the_job_runs_in_the_web_process(app):
    # Nothing listens on port 1: the enqueue fails and the import still happens.
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", RQ_QUEUE="legday-test-nowhere")
    user = _user(app)
    job = _wait_for(app, _start(app, user, _archive()))
    assert job.status == "done"
    assert sorted(r["status"] for r in job.results) == ["imported", "imported", "skipped"]


def test_the_rq_job_carries_the_job_id_only_no_url_or_secret(app, redis_queue):
    user = _user(app)
    job_id = _start(app, user, _archive())
    [rq_job] = redis_queue.jobs
    assert rq_job.args == (job_id,) and rq_job.kwargs == {}
    stored = b"".join(
        value
        for value in redis_queue.connection.hgetall(rq_job.key).values()
        if isinstance(value, bytes)
    )
    for secret in (app.config["DATABASE_URL"], app.config["SECRET_KEY"], "sqlite", "postgres"):
        assert secret.encode() not in stored


def test_progress_counts_files_not_activities(app):
    """A two-leg FIT (two activities), a run and a text file: 3 files, 4 results."""
    from tests.importers.samples import fit_bytes, make_track

    track = make_track(seconds=1200, speed=3.0, start=recent_start(5))
    brick = fit_bytes(
        track, sessions=[(0, 600, "cycling", "road"), (600, 1201, "running", "generic")]
    )
    members = {"brick.fit": brick, "run.fit": run_fit(recent_start(2)), "notes.txt": b"hi"}
    job = _wait_for(app, _start(app, _user(app), zip_of(members)))
    assert job.status == "done", job.error
    assert (job.done, job.total) == (3, 3)
    assert len(job.results) == 4
    assert [f.position for f in job.files] == [0, 1, 2]


def test_the_file_count_is_known_before_the_first_batch_is_written(app, monkeypatch):
    """The page says "Importing: 0 of 3" from the first file on, not "0 of 0" for a batch."""
    from webapp import ingest

    archive = zip_of({f"r{n}.fit": run_fit(recent_start(n + 2)) for n in range(3)})
    job_id = _queued(app, _user(app), archive)
    seen = []
    add = ingest.Writer.add

    def watching_add(self, item):
        with app.app_context():
            other = new_session()
            row = other.get(ImportJob, job_id)
            seen.append((row.done, row.total))
            other.close()
        add(self, item)

    monkeypatch.setattr(ingest.Writer, "add", watching_add)
    assert jobs.run_job(app, job_id) == "done"
    assert seen[0] == (0, 3)


def test_a_job_started_again_resumes_after_its_committed_files(app):
    """A first attempt committed file 0 and died; the second imports file 1 only."""
    archive = zip_of({"a.fit": run_fit(recent_start(2)), "b.fit": run_fit(recent_start(3))})
    first = [ImportJobFile(position=0, results=[{"status": "imported"}])]
    job_id = _queued(app, _user(app), archive, attempts=1, done=1, total=2, files=first)
    assert jobs.run_job(app, job_id) == "done"
    job = _wait_for(app, job_id)
    assert (job.done, job.total, job.attempts) == (2, 2, 2)
    assert [r["source_name"] for r in job.results[1:]] == ["b.fit"]
    with app.app_context():
        session = new_session()
        assert session.scalar(select(func.count(Activity.id))) == 1  # a.fit not read again
        session.close()


def test_a_bulk_zip_is_parsed_by_a_process_pool_and_imported_whole(app):
    members = {f"run{n:02d}.fit": run_fit(recent_start(n + 2)) for n in range(10)}
    app.config["IMPORT_WORKERS"] = 2
    job = _wait_for(app, _start(app, _user(app), zip_of(members)))
    assert job.status == "done", job.error
    assert (job.done, job.total) == (10, 10)
    assert [r["source_name"] for r in job.results] == sorted(members)
    assert {r["status"] for r in job.results} == {"imported"}


def test_rq_on_failure_requeues_a_running_job_once_then_marks_it_failed(app, redis_queue):
    """A real RQ job that raises, with the import jobs' `on_failure`: the row of a running
    job goes back to the queue on its first attempt and is failed on its second."""
    from rq import Callback, SimpleWorker

    user = _user(app)
    with app.app_context():
        session = new_session()
        job = ImportJob(user_id=user.id, filename="x.zip", status="running", attempts=1)
        session.add(job)
        session.commit()
        job_id = job.id
        session.close()
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    for expected in ("queued", "failed"):
        redis_queue.empty()
        redis_queue.enqueue(
            "tests.webapp.rq_worker.explode", job_id, on_failure=Callback(jobs.on_rq_failure)
        )
        with app.app_context():
            worker.work(burst=True, max_jobs=1)
        assert _wait_for(app, job_id, deadline_s=0).status == expected
        requeued = [(j.func_name, j.args) for j in redis_queue.jobs]
        assert requeued == (
            [("webapp.jobs.run_import_job", (job_id,))] if expected == "queued" else []
        )
        if expected == "queued":  # what a worker does when it claims it again
            with app.app_context():
                session = new_session()
                session.get(ImportJob, job_id).status = "running"
                session.get(ImportJob, job_id).attempts = 2
                session.commit()
                session.close()
    assert _wait_for(app, job_id, deadline_s=0).error == jobs.JOB_KILLED


def test_the_upload_is_read_from_the_database_in_chunks_whole(app, monkeypatch):
    """Chunks far smaller than the zip: the spooled copy is still the whole upload."""
    monkeypatch.setattr(jobs, "SPOOL_CHUNK", 1000)
    archive = _archive()
    assert len(archive) > 10 * jobs.SPOOL_CHUNK
    job = _wait_for(app, _start(app, _user(app), archive))
    assert job.status == "done", job.error
    assert sorted(r["status"] for r in job.results) == ["imported", "imported", "skipped"]
