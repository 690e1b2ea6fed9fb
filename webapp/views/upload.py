"""Upload: many files at once; small ones imported now, archives and big ones in the background."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import and_, or_, select

from webapp import ingest, jobs, week_calendar
from webapp.db import get_session
from webapp.forms import UploadForm
from webapp.models import ImportJob, utcnow
from webapp.views.fragments import page_or_fragment, wants_fragment

bp = Blueprint("upload", __name__, url_prefix="/upload")

ACCEPT = (
    ".fit,.gpx,.tcx,.gz,.zip,.FIT,.GPX,.TCX,"
    "application/vnd.ant.fit,application/gpx+xml,application/vnd.garmin.tcx+xml,"
    "application/gzip,application/zip,application/octet-stream"
)
NO_FILES = "Choose one or more files first: FIT, GPX or TCX, on their own, gzipped or in a .zip."


def _recent_jobs():
    """Imports still running, so that a reload of the page keeps showing their progress, and
    those that failed in the last day (with their "Try again")."""
    failed_lately = and_(
        ImportJob.status == "failed", ImportJob.finished_at > utcnow() - timedelta(days=1)
    )
    return (
        get_session()
        .scalars(
            select(ImportJob)
            .where(
                ImportJob.user_id == current_user.id,
                or_(ImportJob.status.in_(("queued", "running")), failed_lately),
            )
            .order_by(ImportJob.id.desc())
            .limit(10)
        )
        .all()
    )


def _value(result, name: str):
    # Inline results are IngestResults; a background job's are dicts (their JSON).
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


@bp.app_template_global()
def result_status(result) -> str:
    """The result's status as the page shows it: a saved activity is never "skipped" (jobs
    finished before non-runs were called "saved" stored them as skipped, with their id)."""
    status = _value(result, "status")
    if status == "skipped" and _value(result, "activity_id") is not None:
        return "saved"
    return status


@bp.app_template_global()
def import_summary(results, files: int) -> dict:
    """What an import brought: files and activities counted apart ("13 files: 17
    activities"), each status counted, and the week of its latest run to go and see."""
    counts = Counter(result_status(r) for r in results or ())
    runs = [
        _value(r, "start_time")
        for r in results or ()
        if result_status(r) == "imported" and _value(r, "start_time")
    ]
    week = None
    if runs:
        latest = datetime.fromisoformat(max(runs))
        week = url_for("week.index", week=week_calendar.week_of(latest, current_user))
    elif counts["saved"] or counts["duplicate"]:
        week = url_for("week.index")
    return {
        "files": max(files or 0, 1 if results else 0),
        "activities": counts["imported"] + counts["saved"] + counts["duplicate"],
        "counts": counts,
        "week_url": week,
    }


def needs_background(data: bytes) -> bool:
    limit = current_app.config.get("INLINE_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
    return len(data) > limit or ingest.is_archive(data)


@bp.route("", methods=("GET", "POST"))
@login_required
def index():
    batch = None
    status = 200
    if request.method == "POST":
        batch = {"results": [], "jobs": [], "error": None}
        uploads = UploadForm().uploads()
        if not uploads:
            batch["error"] = NO_FILES
            status = 422
        db = get_session()
        for upload in uploads:
            data = upload.read()
            name = upload.filename or "upload"
            if needs_background(data):
                batch["jobs"].append(jobs.start_import(current_app, db, current_user, name, data))
            else:
                batch["results"].extend(ingest.ingest(db, current_user, name, data))
    return page_or_fragment(
        "upload/index.html",
        "upload/_batch.html",
        "upload-results",
        status=status,
        batch=batch,
        running=_recent_jobs() if batch is None else [],
        accept=ACCEPT,
    )


def _own_job(job_id: int) -> ImportJob:
    found = get_session().scalar(
        select(ImportJob).where(ImportJob.id == job_id, ImportJob.user_id == current_user.id)
    )
    if found is None:
        abort(404)
    return found


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    found = _own_job(job_id)
    # on the job's own page (loaded, or polled from it) the card does not link to itself
    shown_on = urlsplit(request.headers.get("HX-Current-URL") or request.url).path
    return page_or_fragment(
        "upload/job.html",
        "upload/_job.html",
        f"job-{job_id}",
        job=found,
        on_job_page=shown_on == url_for(".job", job_id=job_id),
    )


@bp.post("/jobs/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    """The "Try again" button of a failed import: queued again from the kept upload."""
    found = _own_job(job_id)
    jobs.retry(current_app, get_session(), found)
    if not wants_fragment(f"job-{job_id}"):
        return redirect(url_for(".job", job_id=job_id), 303)
    return page_or_fragment("upload/job.html", "upload/_job.html", f"job-{job_id}", job=found)
