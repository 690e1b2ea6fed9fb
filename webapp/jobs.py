"""Background imports: an ImportJob row the upload page polls, run on RQ or in a thread.

With REDIS_URL set the job goes on the RQ queue `RQ_QUEUE` (default "legday"; the Procfile's
`worker` runs it); without Redis it runs in a background thread of the web process. Either
way the work is `run_import_job`, which calls `pipeline.ingest` with a progress callback that
commits the count of files done, so the page can show a progress bar that moves.
"""

from __future__ import annotations

import functools
import io
import logging
import threading
import zipfile
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from webapp import db, pipeline
from webapp.models import ImportJob, User

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "legday"
JOB_FAILED = (
    "The import stopped unexpectedly. Files it finished are kept; please try the rest again."
)


def queue_name(app: Flask) -> str:
    return app.config.get("RQ_QUEUE") or DEFAULT_QUEUE


def count_files(filename: str, data: bytes) -> int:
    """How many files the job will report on (a zip's members; otherwise one)."""
    if pipeline.is_archive(data):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return max(1, sum(1 for info in archive.infolist() if not info.is_dir()))
        except (zipfile.BadZipFile, ValueError):
            return 1
    return 1


def start_import(app: Flask, session: Session, user: User, filename: str, data: bytes) -> ImportJob:
    """Store the upload as a queued ImportJob and hand it to a worker; returns the job."""
    job = ImportJob(
        user_id=user.id,
        filename=filename[-255:],
        status="queued",
        total=count_files(filename, data),
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

        def progress(results: list[pipeline.IngestResult]) -> None:
            job.done = min(len(results), max(job.total, len(results)))
            job.total = max(job.total, len(results))
            job.results = [r.to_dict() for r in results]
            session.commit()

        try:
            pipeline.ingest(session, user, job.filename, job.payload or b"", progress=progress)
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
