"""Web Share Target: activity files shared into the installed app by a watch app or Files.

The phone's OS posts the manifest's `share_target` form to `/share` (multipart, field `files`),
so the view is CSRF-exempt: it refuses posts another site's page makes (`Sec-Fetch-Site`), and
only ever imports into the account of the session that received them, or keeps the files for
the login that follows. When the service worker is installed it
answers the POST itself (static/sw.js) and this view is the fallback for a first visit.

Logged out, the files are kept in `pending_shares` for a day, tied to this browser by a random
token in a cookie (only its hash is stored); `/share/pending` imports them after the login.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import delete, func, select

from webapp import ingest, jobs, security
from webapp.auth import csrf
from webapp.db import get_session
from webapp.models import PendingShare, utcnow
from webapp.views.upload import ACCEPT, needs_background

bp = Blueprint("share", __name__, url_prefix="/share")

COOKIE = "legday_share"
KEEP_FOR = timedelta(hours=24)
# What a logged-out browser may leave here: enough for a bulk export, not a free file store.
MAX_PENDING_FILES = 20
MAX_PENDING_MB = 64
# What all logged-out browsers together may leave (the oldest files are dropped to make room);
# per address, ratelimit.py counts files and MB a day.
GLOBAL_PENDING_FILES = 500
GLOBAL_PENDING_MB = 512


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def import_files(db, user, files: list[tuple[str, bytes]]) -> dict:
    """Import each (filename, bytes) as the upload page does (archives and big files in the
    background); returns the batch the upload page's `_batch.html` shows."""
    batch = {"results": [], "jobs": [], "error": None}
    for filename, data in files:
        if needs_background(data):
            batch["jobs"].append(jobs.start_import(current_app, db, user, filename, data))
        else:
            batch["results"].extend(ingest.ingest(db, user, filename, data))
    return batch


def _shared_files() -> list[tuple[str, bytes]]:
    files = []
    for storage in request.files.getlist("files"):
        data = storage.read()
        if data:
            files.append((storage.filename or "shared-file", data))
    return files


def _page(batch: dict | None) -> str:
    return render_template("share/pending.html", batch=batch, accept=ACCEPT)


@bp.route("", methods=("POST",))
@csrf.exempt
def receive():
    # The OS's share sheet navigates with no initiating site ("none"); a form on another site
    # says "cross-site". Without a CSRF token, that header is what tells them apart.
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        abort(403, "Share files with Legday from your phone's share sheet, or use Upload.")
    files = _shared_files()
    if not files:
        # A shared link or text: nothing Legday can read.
        flash("Nothing to import: share a FIT, GPX, TCX, .gz or .zip file with Legday.")
        return redirect("/upload", 303)
    db = get_session()
    if current_user.is_authenticated:
        return _page(import_files(db, current_user, files))
    return _keep_for_login(db, files)


def make_room(db, files: int, size: int) -> int:
    """Drop the oldest pending shares until `files` more files of `size` bytes in all fit the
    global bound (PENDING_SHARE_GLOBAL_FILES / _MB); returns how many were dropped (not
    committed)."""
    config = current_app.config
    max_files = int(config.get("PENDING_SHARE_GLOBAL_FILES", GLOBAL_PENDING_FILES))
    max_bytes = int(config.get("PENDING_SHARE_GLOBAL_MB", GLOBAL_PENDING_MB) * 1024 * 1024)
    rows = db.execute(
        select(PendingShare.id, func.length(PendingShare.content)).order_by(PendingShare.id.desc())
    ).all()
    kept_files, kept_bytes, drop = files, size, []
    for row_id, length in rows:  # newest first: keep while they fit
        if drop or kept_files + 1 > max_files or kept_bytes + (length or 0) > max_bytes:
            drop.append(row_id)
        else:
            kept_files, kept_bytes = kept_files + 1, kept_bytes + (length or 0)
    if drop:
        db.execute(delete(PendingShare).where(PendingShare.id.in_(drop)))
    return len(drop)


def _keep_for_login(db, files: list[tuple[str, bytes]]):
    max_bytes = int(current_app.config.get("PENDING_SHARE_MAX_MB", MAX_PENDING_MB) * 1024 * 1024)
    token = request.cookies.get(COOKIE) or secrets.token_urlsafe(32)
    token_hash = _hash(token)
    db.execute(delete(PendingShare).where(PendingShare.created_at < utcnow() - KEEP_FOR))
    waiting = db.scalar(
        select(func.count(PendingShare.id)).where(PendingShare.token_hash == token_hash)
    )
    if waiting + len(files) > MAX_PENDING_FILES or sum(len(d) for _, d in files) > max_bytes:
        db.rollback()
        abort(413, "Log in first to share this many files (or this much) with Legday.")
    make_room(db, len(files), sum(len(d) for _, d in files))
    for filename, data in files:
        db.add(PendingShare(token_hash=token_hash, filename=filename[:255], content=data))
    db.commit()
    names = ", ".join(name for name, _ in files)
    flash(f"Log in to import {names}. Legday keeps the file until you do.")
    response = redirect(url_for("auth.login", next=url_for("share.pending")), 303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(KEEP_FOR.total_seconds()),
        path="/share",
        secure=security.secure_cookies(),
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.route("/pending")
@login_required
def pending():
    """Files shared before the login are imported here; the service worker's files are sent
    from this page by static/js/pwa.js (through /upload), and desktop file handlers land here."""
    batch = None
    token = request.cookies.get(COOKIE)
    if token:
        db = get_session()
        rows = db.scalars(
            select(PendingShare)
            .where(PendingShare.token_hash == _hash(token))
            .where(PendingShare.created_at >= utcnow() - KEEP_FOR)
            .order_by(PendingShare.id)
        ).all()
        files = [(row.filename, row.content) for row in rows]
        ids = [row.id for row in rows]
        batch = import_files(db, current_user, files) if files else None
        db.execute(delete(PendingShare).where(PendingShare.id.in_(ids)))
        db.commit()
    response = current_app.make_response(_page(batch))
    if token:
        response.delete_cookie(COOKIE, path="/share")
    return response
