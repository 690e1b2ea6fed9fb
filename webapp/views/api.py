"""The JSON API for phone automations and other apps, under /api/v1.

Every request carries `Authorization: Bearer TOKEN` (a personal API token from the settings
page or `legday token create`); the session cookie is ignored, so CSRF does not apply. Every
answer is JSON, errors included: `{"error": "..."}` with a 4xx status.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request, url_for
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

import importers
from webapp import bounds, ingest, jobs, weeks
from webapp.auth import csrf
from webapp.db import get_session
from webapp.models import Activity, ImportJob
from webapp.records import activity_json, job_json
from webapp.tokens import user_for_token
from webapp.views.upload import needs_background

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, not the session cookie

PER_PAGE = 20
MAX_PER_PAGE = 100

MESSAGES = {
    400: "The request is not valid.",
    401: "Send a valid API token as 'Authorization: Bearer TOKEN'.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "That upload is too large.",
    415: "Send the files as multipart/form-data in a field named 'file'.",
    422: "The request could not be processed.",
    500: "Something went wrong on our side; nothing was half saved.",
}


class ApiError(HTTPException):
    """An error answered as `{"error": description}` with `code`."""

    def __init__(self, code: int, description: str | None = None):
        self.code = code
        super().__init__(description or MESSAGES.get(code, "Error."))


def error_response(code: int, description: str | None = None):
    """The JSON body and status for an error; used by the blueprint and the app's handler."""
    response = jsonify(error=description or MESSAGES.get(code, "Error."))
    response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="legday"'
    return response


def is_api_request() -> bool:
    return request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/")


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(get_session(), token.strip())
    if user is None:
        raise ApiError(401)
    g.api_user = user


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """JSON for an HTTP error; the app's error pages hand /api paths here too."""
    # Werkzeug's descriptions are written for HTML pages; ours say what to do.
    description = error.description if isinstance(error, ApiError) else None
    return error_response(getattr(error, "code", None) or 500, description)


@bp.errorhandler(Exception)
def unexpected_error(error: Exception):
    current_app.logger.exception("API error on %s %s", request.method, request.path)
    get_session().rollback()
    return error_response(500)


def _int_arg(name: str, default: int, lowest: int, highest: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"'{name}' must be a whole number.") from None
    if value < lowest or (highest is not None and value > highest):
        limit = f"between {lowest} and {highest}" if highest is not None else f"at least {lowest}"
        raise ApiError(400, f"'{name}' must be {limit}.")
    return value


def own_activity(activity_id: int) -> Activity:
    """The user's activity, or 404 (never 403: another user's ids are not confirmed)."""
    activity = get_session().get(Activity, activity_id)
    if activity is None or activity.user_id != g.api_user.id:
        raise ApiError(404, "No activity with that id.")
    return activity


@bp.get("/activities")
def list_activities():
    """The user's activities, newest first, paged (`page`, `per_page`, optional `sport`)."""
    page = _int_arg("page", 1, 1, bounds.MAX_PAGE)
    per_page = _int_arg("per_page", PER_PAGE, 1, MAX_PER_PAGE)
    where = [Activity.user_id == g.api_user.id]
    sport = request.args.get("sport")
    if sport:
        where.append(Activity.sport == sport)
    session = get_session()
    total = session.scalar(select(func.count(Activity.id)).where(*where))
    rows = session.scalars(
        select(Activity)
        .where(*where)
        .order_by(Activity.start_time.desc(), Activity.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    more = page * per_page < total
    args = {"per_page": per_page, **({"sport": sport} if sport else {})}
    return jsonify(
        activities=[activity_json(a) for a in rows],
        page=page,
        per_page=per_page,
        total=total,
        next=url_for(".list_activities", page=page + 1, **args) if more else None,
    )


@bp.get("/activities/<int:activity_id>")
def get_activity(activity_id: int):
    """One activity: its summary, splits and per-muscle stimulus."""
    return jsonify(activity=activity_json(own_activity(activity_id), detail=True))


@bp.delete("/activities/<int:activity_id>")
def delete_activity(activity_id: int):
    """Delete an activity, and its original file when no other activity came from it."""
    if not ingest.delete_activity(get_session(), g.api_user, activity_id):
        raise ApiError(404, "No activity with that id.")
    return "", 204


@bp.post("/activities")
def upload_activities():
    """Import one or more files (multipart field `file`): FIT, GPX, TCX, .gz or a .zip export.

    Small single files are imported now: 201 when something new was stored; 200 when
    everything was already there (each marked `"duplicate": true`); 415 when no file is an
    activity format; 422 when none could be read. A .zip or a file over the inline limit
    goes to a background job, as on the upload page: 202 with the job's URL in `Location`
    (the first job's, when several) and `jobs` in the body, beside the inline files' results.
    """
    if request.mimetype != "multipart/form-data":
        raise ApiError(415)
    uploads = [f for f in request.files.getlist("file") if f.filename or f.content_length]
    if not uploads:
        raise ApiError(400, "Send one or more files in the multipart field 'file'.")
    session = get_session()
    results, unknown, started = [], 0, []
    for upload in uploads:
        data = upload.read()
        filename = upload.filename or "upload"
        if needs_background(data):
            started.append(jobs.start_import(current_app, session, g.api_user, filename, data))
            continue
        unknown += importers.detect(data) is None
        for result in ingest.ingest(session, g.api_user, filename, data):
            results.append({"file": filename, **result.to_dict()})

    activities = []
    for result in results:
        if result["activity_id"] is not None:
            activity = session.get(Activity, result["activity_id"])
            record = activity_json(activity, detail=True)
            record |= {"status": result["status"], "duplicate": result["status"] == "duplicate"}
            activities.append(record)
    body = {"activities": activities, "results": results}
    if started:
        body["jobs"] = [job_json(job) | {"url": _job_url(job)} for job in started]
        return jsonify(body), 202, {"Location": _job_url(started[0])}
    if any(r["status"] != "duplicate" for r in activities):
        return jsonify(body), 201
    refused = [r for r in results if r["status"] == "refused"]
    if not refused:
        return jsonify(body), 200
    body["error"] = "; ".join(f"{r['source_name']}: {r['message']}" for r in refused)
    return jsonify(body), 415 if unknown == len(uploads) else 422


def _job_url(job: ImportJob) -> str:
    return url_for(".get_job", job_id=job.id)


@bp.get("/jobs/<int:job_id>")
def get_job(job_id: int):
    """An import job's progress (files done of the upload's files) and, once over, results."""
    job = get_session().get(ImportJob, job_id)
    if job is None or job.user_id != g.api_user.id:
        raise ApiError(404, "No import job with that id.")
    return jsonify(job=job_json(job))


@bp.get("/weeks/<week>")
def get_week(week: str):
    """A week ("YYYY-Www"): its runs and totals, the per-muscle state and the strength plan."""
    if not bounds.week_is_valid(week):
        raise ApiError(400, f"'{week}' is not a week like 2026-W48 (years 1970 to 2100).")
    try:
        view = weeks.weekly_context(get_session(), g.api_user, week)
    except ValueError:
        raise ApiError(400, f"'{week}' is not a week like 2026-W48.") from None
    return jsonify(view.to_dict() | {"muscles": view.muscles})
