"""Background imports: an ImportJob row the upload page polls, run on RQ or in a thread.

With REDIS_URL set the job goes on the RQ queue `RQ_QUEUE` (default "legday"; the Procfile's
`worker` runs it); without Redis it runs in a background thread of the web process. Either
way the work is `run_import_job`, which calls `ingest.ingest` with a progress callback that
commits the count of files done and the count of files in the upload (known once the worker
has opened it: the upload is read once, there), so the page can show a progress bar that moves.
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from webapp import db, ingest
from webapp.models import ImportJob, User

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "legday"
JOB_FAILED = (
    "The import stopped unexpectedly. Files it finished are kept; please try the rest again."
)


def queue_name(app: Flask) -> str:
    return app.config.get("RQ_QUEUE") or DEFAULT_QUEUE


def start_import(app: Flask, session: Session, user: User, filename: str, data: bytes) -> ImportJob:
    """Store the upload as a queued ImportJob and hand it to a worker; returns the job.

    Its `total` (files in the upload) stays 0 until the worker opens the upload."""
    job = ImportJob(
        user_id=user.id,
        filename=filename[-255:],
        status="queued",
        total=0,
        done=0,
        results=[],
        payload=data,
    )
    session.add(job)
    session.commit()
    enqueue(app, job.id)
    return job


def enqueue(app: Flask, job_id: int) -> None:
    """On the RQ queue when REDIS_URL is set (in a thread if Redis does not answer)."""
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            queue = Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))
            queue.enqueue(
                "webapp.jobs.run_import_job",
                job_id,
                app.config["DATABASE_URL"],
                job_timeout=3600,
                result_ttl=600,
            )
            return
        except RedisError:
            log.warning("Redis is unavailable: import job %s runs in the web process", job_id)
    makers = app.extensions["legday.sessionmaker"]
    thread = threading.Thread(
        target=run_job, args=(job_id, makers), name=f"legday-import-{job_id}", daemon=True
    )
    thread.start()


@functools.cache
def _sessionmaker_for(database_url: str) -> sessionmaker:
    return sessionmaker(db.make_engine(database_url), expire_on_commit=False)


def run_import_job(job_id: int, database_url: str) -> str:
    """The RQ entry point: run job `job_id` against the database at `database_url`."""
    return run_job(job_id, _sessionmaker_for(database_url))


def run_job(job_id: int, makers: sessionmaker) -> str:
    """Import the job's payload, committing progress after each file; returns the final status."""
    with makers() as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.status not in ("queued", "running"):
            return job.status if job is not None else "missing"
        user = session.get(User, job.user_id)
        job.status = "running"
        session.commit()

        def progress(results: list[ingest.IngestResult], total: int) -> None:
            job.total = max(job.total, total, len(results))
            job.done = min(len(results), job.total)
            job.results = [r.to_dict() for r in results]
            session.commit()

        try:
            ingest.ingest(session, user, job.filename, job.payload or b"", progress=progress)
        except Exception:
            log.exception("import job %s failed", job_id)
            session.rollback()
            job.status = "failed"
            job.error = JOB_FAILED
        else:
            job.status = "done"
            job.done = job.total = max(job.total, len(job.results))
            job.payload = None  # the files themselves are kept as OriginalFile rows
        job.finished_at = datetime.now(UTC)
        session.commit()
        return job.status
