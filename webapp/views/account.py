"""The account parts of the settings: API tokens, export of everything, deleting the account.

The settings page includes `settings/_tokens.html` and `settings/_data.html`; the token
forms swap `#api-tokens` with HTMX and fall back to the full /settings/tokens page without it.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash

from webapp.db import get_session, new_session
from webapp.forms import DeleteAccountForm, TokenForm, normalise_email
from webapp.models import Activity, OriginalFile, User, utcnow
from webapp.records import activity_json, training_json
from webapp.tokens import create_token, live_tokens, revoke_token
from webapp.views.fragments import page_or_fragment, wants_fragment

bp = Blueprint("account", __name__, url_prefix="/settings")

TOKENS_ID = "api-tokens"


@bp.app_context_processor
def account_helpers() -> dict:
    # The fragments fetch their own rows, so any page can include them as they are.
    def user_api_tokens():
        if not current_user.is_authenticated:
            return []
        return live_tokens(get_session(), current_user)

    return {"user_api_tokens": user_api_tokens}


def _tokens_response(new_token: str | None = None, status: int = 200):
    """The tokens fragment for an HTMX swap, else the full tokens page."""
    response = page_or_fragment(
        "settings/tokens.html",
        "settings/_tokens.html",
        TOKENS_ID,
        status=status,
        new_token=new_token,
    )
    response.headers["Cache-Control"] = "no-store"  # a new token may be on it
    response.headers["X-Legday-Save"] = "no"  # nor in the service worker's saved pages
    return response


@bp.get("/tokens")
@login_required
def tokens():
    return _tokens_response()


@bp.post("/tokens")
@login_required
def create_api_token():
    db = get_session()
    form = TokenForm()  # free text: webapp.tokens trims the name and gives a default
    _row, plain = create_token(db, current_user, form.name.data or "")
    db.commit()
    return _tokens_response(new_token=plain, status=201 if request.htmx else 200)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    db = get_session()
    if not revoke_token(db, current_user, token_id):
        abort(404)
    db.commit()
    if wants_fragment(TOKENS_ID):
        return _tokens_response()
    flash("The token is revoked; apps using it can no longer reach your account.")
    return redirect(url_for(".tokens"))


# --- your data ----------------------------------------------------------------------------


class _ChunkSink:
    """A write-only file for zipfile that hands what was written to a generator."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _safe_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .") or "file"


def export_chunks(db, user: User) -> Iterator[bytes]:
    """The zip of `user`'s data, piece by piece: one original file in memory at a time."""
    sink = _ChunkSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        file_ids = db.scalars(
            select(OriginalFile.id).where(OriginalFile.user_id == user.id).order_by(OriginalFile.id)
        ).all()
        names = {}
        for file_id in file_ids:
            original = db.get(OriginalFile, file_id)
            names[file_id] = f"originals/{file_id}-{_safe_name(original.filename)}"
            info = zipfile.ZipInfo(names[file_id], original.uploaded_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, original.content)
            db.expunge(original)
            yield sink.take()
        with archive.open("activities.json", "w") as out:
            out.write(b'{"format": "legday-export-1", "exported_at": ')
            out.write(json.dumps(utcnow().isoformat()).encode())
            out.write(b', "email": ' + json.dumps(user.email).encode() + b', "activities": [')
            rows = db.scalars(
                select(Activity)
                .where(Activity.user_id == user.id)
                .order_by(Activity.start_time, Activity.id)
                .execution_options(yield_per=200)
            )
            for n, activity in enumerate(rows):
                record = activity_json(activity, detail=True)
                record["original_file"] = names.get(activity.original_file_id)
                out.write((b", " if n else b"") + json.dumps(record).encode())
                db.expunge(activity)
                if sink.offset > 1 << 20:
                    yield sink.take()
            out.write(b"]}")
        training = {"format": "legday-training-1", **training_json(db, user)}
        archive.writestr("training.json", json.dumps(training, indent=1))
    yield sink.take()


def _export_stream(app, user_id: int) -> Iterator[bytes]:
    # A session of its own: the request's is closed when the view returns, before streaming.
    db = new_session(app)
    try:
        yield from export_chunks(db, db.get(User, user_id))
    finally:
        db.close()


@bp.get("/export")
@login_required
def export():
    """Download every original file, a JSON of the summaries and one of the training (profile,
    check-ins, strength sessions), as one zip."""
    stamp = utcnow().strftime("%Y-%m-%d")
    response = Response(_export_stream(current_app._get_current_object(), current_user.id))
    response.mimetype = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="legday-export-{stamp}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete-account", methods=("GET", "POST"))
@login_required
def delete_account():
    """Delete the account and everything in it, once the person typed their email or password."""
    error = None
    form = DeleteAccountForm()
    if form.validate_on_submit():
        typed = form.confirm.data or ""
        user = current_user
        if normalise_email(typed) == user.email or (
            typed and check_password_hash(user.password_hash, typed)
        ):
            db = get_session()
            # The database cascades to every table that points at the user.
            db.execute(delete(User).where(User.id == user.id))
            db.commit()
            logout_user()
            session.clear()
            flash("Your account and all its data are deleted.")
            return redirect(url_for("home.index"))
        error = "That is neither your email nor your password; nothing was deleted."
    return render_template("settings/delete_account.html", error=error), 422 if error else 200
