"""Upload: many files at once; small ones imported now, archives and big ones in the background."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp import ingest, jobs
from webapp.db import get_session
from webapp.forms import UploadForm
from webapp.models import ImportJob
from webapp.views.fragments import page_or_fragment

bp = Blueprint("upload", __name__, url_prefix="/upload")

ACCEPT = (
    ".fit,.gpx,.tcx,.gz,.zip,.FIT,.GPX,.TCX,"
    "application/vnd.ant.fit,application/gpx+xml,application/vnd.garmin.tcx+xml,"
    "application/gzip,application/zip,application/octet-stream"
)
NO_FILES = "Choose one or more files first: FIT, GPX or TCX, on their own, gzipped or in a .zip."


def _recent_jobs():
    """Imports still running, so that a reload of the page keeps showing their progress."""
    return (
        get_session()
        .scalars(
            select(ImportJob)
            .where(ImportJob.user_id == current_user.id)
            .where(ImportJob.status.in_(("queued", "running")))
            .order_by(ImportJob.id.desc())
            .limit(10)
        )
        .all()
    )


def _needs_background(data: bytes) -> bool:
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
            if _needs_background(data):
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


@bp.route("/jobs/<int:job_id>")
@login_required
def job(job_id: int):
    found = get_session().scalar(
        select(ImportJob).where(ImportJob.id == job_id, ImportJob.user_id == current_user.id)
    )
    if found is None:
        abort(404)
    return page_or_fragment("upload/job.html", "upload/_job.html", f"job-{job_id}", job=found)
