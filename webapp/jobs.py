"""Background imports: an ImportJob row the upload page polls, run on RQ or in a thread.

With REDIS_URL set the job goes on the RQ queue `RQ_QUEUE` (default "legday"; the Procfile's
`worker` runs it); without Redis it runs in a background thread of the web process. The RQ
job's only argument is the job's id: the worker builds the app (database URL, secrets) from
its own environment, so nothing secret is written to Redis or to the worker's log.

Where the upload lives: an ImportUpload row, written once beside the small ImportJob row.
Not files under instance/: the web and the worker processes may run on different machines
(the Procfile's `web` and `worker` share only the database and Redis), and a row works alike
on SQLite and PostgreSQL, is deleted with its job (or its user) and needs no clean-up of its
own. It is kept after a failure, for "Try again", and deleted once the job is done.

Progress: the writer commits files in batches (ingest.Writer); each batch appends one
ImportJobFile per file and moves the `done` counter (files, not activities) in the same
transaction, so a job that is started again resumes after its last committed file.

Dying: a thread refreshes `heartbeat_at` while the job runs. `reap` (at start-up, and every
`clock` pass) finds running jobs whose heartbeat is older than JOB_STALE_SECONDS; RQ's
`on_failure` (a killed work-horse, a timeout) comes to the same decision: started fewer than
MAX_ATTEMPTS times -> queued again, else failed with a message the runner sees, so a file
that kills its worker is tried twice, never in a loop.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import tempfile
import threading
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from webapp import bulk, ingest, reprocess
from webapp.models import ImportJob, ImportJobFile, ImportUpload, User

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "legday"
MAX_ATTEMPTS = 2
BATCH_FILES = 50
SPOOL_CHUNK = 4 * 2**20
JOB_FAILED = (
    "The import stopped unexpectedly. Files it finished are kept; please try the rest again."
)
JOB_KILLED = (
    "The import stopped twice while reading this upload (the process working on it died), "
    "so Legday stopped trying. Files it finished are kept. Try again, or import the other "
    "files on their own."
)


def queue_name(app: Flask) -> str:
    return app.config.get("RQ_QUEUE") or DEFAULT_QUEUE


def start_import(app: Flask, session: Session, user: User, filename: str, data: bytes) -> ImportJob:
    """Store the upload (ImportUpload) and a queued ImportJob, hand it to a worker; returns
    the job. Its `total` (files in the upload) stays 0 until the worker opens the upload."""
    job = ImportJob(user_id=user.id, filename=filename[-255:], status="queued", total=0, done=0)
    session.add(job)
    session.flush()
    session.add(ImportUpload(job_id=job.id, size=len(data), content=data))
    session.commit()
    enqueue(app, job.id)
    return job


def retry(app: Flask, session: Session, job: ImportJob) -> bool:
    """The "Try again" of a failed job whose upload is still kept: queued afresh (its attempts
    reset), resuming after the files already done. False when there is nothing to retry."""
    if job.status != "failed" or job.upload is None:
        return False
    job.status, job.attempts, job.error, job.finished_at = "queued", 0, None, None
    session.commit()
    enqueue(app, job.id)
    return True


def enqueue(app: Flask, job_id: int) -> None:
    """On the RQ queue when REDIS_URL is set (in a thread if Redis does not answer)."""
    app = getattr(app, "_get_current_object", lambda: app)()  # the app, not current_app
    if app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError
        from rq import Callback

        try:
            _queue(app).enqueue(
                run_import_job,
                job_id,
                job_timeout=app.config.get("JOB_TIMEOUT_SECONDS", 3600),
                result_ttl=600,
                failure_ttl=86400,
                on_failure=Callback(on_rq_failure),
            )
            return
        except RedisError:
            log.warning("Redis is unavailable: import job %s runs in the web process", job_id)
    thread = threading.Thread(
        target=run_job, args=(app, job_id), name=f"legday-import-{job_id}", daemon=True
    )
    thread.start()


def _queue(app: Flask):
    from redis import Redis
    from rq import Queue

    return Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))


@functools.cache
def _worker_app() -> Flask:
    """The app of an RQ worker process, configured from its environment like the web's."""
    from webapp import create_app

    return create_app()


def _app() -> Flask:
    return current_app._get_current_object() if has_app_context() else _worker_app()


def run_import_job(job_id: int) -> str:
    """The RQ entry point: run ImportJob `job_id` (the id is the job's only argument)."""
    return run_job(_app(), job_id)


def on_rq_failure(rq_job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's `on_failure`: the work-horse died or timed out -> queued again or failed."""
    app = _app()
    job_id = rq_job.args[0]
    log.warning("import job %s failed on RQ: %s", job_id, exc_value)
    with app.app_context():
        retry_or_fail(app, job_id)


def _now() -> datetime:
    return datetime.now(UTC)


def run_job(app: Flask, job_id: int) -> str:
    """Import the job's upload (resuming after its committed files); returns the final status.

    Only a queued job is started (claimed with one conditional UPDATE, so two workers never
    run the same job); a job that is running, done or failed is left as it is."""
    makers = app.extensions["legday.sessionmaker"]
    with makers() as session:
        claimed = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status == "queued")
            .values(status="running", attempts=ImportJob.attempts + 1, heartbeat_at=_now())
        ).rowcount
        session.commit()
        job = session.get(ImportJob, job_id)
        if not claimed:
            return job.status if job is not None else "missing"
        stop = threading.Event()
        beat = threading.Thread(
            target=_heartbeat, args=(app, job_id, stop), name=f"legday-beat-{job_id}", daemon=True
        )
        beat.start()
        try:
            _import(app, session, job)
        except Exception:
            log.exception("import job %s failed", job_id)
            session.rollback()
            job.status, job.error = "failed", JOB_FAILED
        finally:
            stop.set()
            beat.join()
        job.finished_at = _now()
        session.commit()
        return job.status


def _import(app: Flask, session: Session, job: ImportJob) -> None:
    user = session.get(User, job.user_id)
    skip = frozenset(
        session.scalars(select(ImportJobFile.position).where(ImportJobFile.job_id == job.id))
    )

    def before_commit(batch: list[tuple[int, list[ingest.IngestResult]]], total: int) -> None:
        for position, results in batch:
            session.add(
                ImportJobFile(
                    job_id=job.id, position=position, results=[r.to_dict() for r in results]
                )
            )
        job.done = job.done + len(batch)
        job.total = max(job.total, total, job.done)
        job.heartbeat_at = _now()

    spool = tempfile.TemporaryFile(prefix="legday-upload-")
    _spool_upload(session, job.id, spool)
    files = bulk.parsed_files(
        spool,
        job.filename,
        ingest.athlete_for(user, reprocess.history_rows(session, user.id)),
        skip=skip,
        workers=app.config.get("IMPORT_WORKERS"),
    )
    with spool, contextlib.closing(files):  # the pool stops even when the writer fails
        ingest.ingest(
            session,
            user,
            job.filename,
            b"",
            files=_counted(session, job, files),
            before_commit=before_commit,
            batch_files=BATCH_FILES,
        )
    job.status = "done"
    job.total = max(job.total, job.done)
    session.execute(delete(ImportUpload).where(ImportUpload.job_id == job.id))


def _counted(session: Session, job: ImportJob, files):
    """The files, with the job's `total` written as soon as the first one says how many the
    upload holds (the page says "Opening your zip" until then, not "0 of 0 files done"),
    without waiting for the first batch's commit."""
    for item in files:
        if item.total > job.total:
            job.total = item.total
            job.heartbeat_at = _now()
            session.commit()  # the Writer stages its rows only at its own commits
        yield item


def _spool_upload(session: Session, job_id: int, spool) -> None:
    """Copy the job's upload into `spool` (a temporary file) SPOOL_CHUNK bytes at a time.

    Fetching a 33 MB upload in one piece peaks at +200 MB in the job's process on PostgreSQL
    (bytea travels as hex text); by chunks it costs a few MB, and the zip is then read from
    the file member by member."""
    offset = 1  # SQL's substr counts from 1, on SQLite blobs and PostgreSQL bytea alike
    while True:
        chunk = session.scalar(
            select(func.substr(ImportUpload.content, offset, SPOOL_CHUNK)).where(
                ImportUpload.job_id == job_id
            )
        )
        if not chunk:
            break
        spool.write(chunk)
        offset += len(chunk)
    spool.seek(0)


def _heartbeat(app: Flask, job_id: int, stop: threading.Event) -> None:
    """Refresh the job's heartbeat every JOB_HEARTBEAT_SECONDS until `stop` is set."""
    every = app.config.get("JOB_HEARTBEAT_SECONDS", 10)
    makers = app.extensions["legday.sessionmaker"]
    while not stop.wait(every):
        try:
            with makers() as session:
                session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == job_id, ImportJob.status == "running")
                    .values(heartbeat_at=_now())
                )
                session.commit()
        except SQLAlchemyError as exc:  # a busy database: the next beat tries again
            log.warning("heartbeat of import job %s: %r", job_id, exc)


def retry_or_fail(app: Flask, job_id: int, error: str = JOB_KILLED) -> str | None:
    """A running job whose process died: queued again if it has been started fewer than
    MAX_ATTEMPTS times, else failed with `error`. Returns "queued", "failed" or None when the
    job was not running (another reaper, or the job itself, got there first)."""
    makers = app.extensions["legday.sessionmaker"]
    with makers() as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.status != "running":
            return None
        again = job.attempts < MAX_ATTEMPTS
        values = (
            {"status": "queued", "heartbeat_at": None}
            if again
            else {"status": "failed", "error": error, "finished_at": _now()}
        )
        changed = session.execute(
            update(ImportJob)
            .where(
                ImportJob.id == job_id,
                ImportJob.status == "running",
                ImportJob.attempts == job.attempts,
            )
            .values(**values)
        ).rowcount
        session.commit()
    if not changed:
        return None
    if again:
        enqueue(app, job_id)
    log.warning("import job %s stopped: %s", job_id, values["status"])
    return values["status"]


def reap(app: Flask, stale_seconds: float | None = None) -> dict[int, str]:
    """Every running job whose heartbeat is older than `stale_seconds` (JOB_STALE_SECONDS,
    45 by default) goes through retry_or_fail; returns {job id: "queued" | "failed"}."""
    stale = stale_seconds if stale_seconds is not None else app.config["JOB_STALE_SECONDS"]
    cutoff = _now() - timedelta(seconds=stale)
    makers = app.extensions["legday.sessionmaker"]
    with makers() as session:
        ids = session.scalars(
            select(ImportJob.id).where(
                ImportJob.status == "running",
                or_(ImportJob.heartbeat_at.is_(None), ImportJob.heartbeat_at < cutoff),
            )
        ).all()
    outcome = {}
    for job_id in ids:
        status = retry_or_fail(app, job_id)
        if status is not None:
            outcome[job_id] = status
    return outcome


def reap_on_start(app: Flask) -> None:
    """At start-up: reap, and without Redis start again the queued jobs older than
    JOB_STALE_SECONDS (their thread died with the previous web process). Never raises: a
    database without its tables yet (before `legday db upgrade`) is left alone."""
    try:
        reap(app)
        if app.config.get("REDIS_URL"):
            return
        cutoff = _now() - timedelta(seconds=app.config["JOB_STALE_SECONDS"])
        with app.extensions["legday.sessionmaker"]() as session:
            ids = session.scalars(
                select(ImportJob.id).where(
                    ImportJob.status == "queued", ImportJob.created_at < cutoff
                )
            ).all()
        for job_id in ids:
            enqueue(app, job_id)
    except SQLAlchemyError as exc:
        log.warning("import jobs not checked at start-up: %r", exc)
    finally:
        # Hold no connection from start-up: a forking server would share it, and an app that
        # is dropped (a test, a CLI command) would leave it open.
        app.extensions["legday.engine"].dispose()
