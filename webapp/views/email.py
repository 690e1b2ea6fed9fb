"""The weekly email's pages: signed unsubscribe links (no login) and the settings preview.

`/unsubscribe/<token>`: GET asks to confirm (mail scanners follow links, so a GET changes
nothing); POST turns the email off. The POST is also the RFC 8058 one-click target that mail
clients call with `List-Unsubscribe=One-Click`: it needs no session and no CSRF token, the
signed token is the authority.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required

from webapp.auth import csrf
from webapp.db import get_session
from webapp.models import User
from webapp.weekly.digest import build_digest
from webapp.weekly.render import render
from webapp.weekly.schedule import week_label
from webapp.weekly.unsubscribe import user_id_from_token
from webapp.weeks import user_zone

bp = Blueprint("email", __name__)

BAD_LINK = (
    "This unsubscribe link is not valid (it may have been cut short by your mail program). "
    "Log in and turn the weekly email off in Settings instead."
)


def _user_for(token: str) -> User | None:
    user_id = user_id_from_token(current_app.config["SECRET_KEY"], token)
    if user_id is None:
        abort(400, BAD_LINK)
    return get_session().get(User, user_id)


@bp.route("/unsubscribe/<token>", methods=("GET",))
def unsubscribe(token: str):
    user = _user_for(token)
    return render_template("unsubscribe/page.html", user=user, token=token, done=False)


@bp.route("/unsubscribe/<token>", methods=("POST",))
@csrf.exempt
def unsubscribe_post(token: str):
    user = _user_for(token)
    if user is not None and user.weekly_email:
        user.weekly_email = False
        get_session().commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return Response("Unsubscribed from the Legday weekly email.\n", mimetype="text/plain")
    return render_template("unsubscribe/page.html", user=user, token=token, done=True)


@bp.route("/settings/email-preview")
@login_required
def preview():
    """This week's email (the one about the week that just ended), from the same templates."""
    user = current_user
    today = datetime.now(UTC).astimezone(user_zone(user)).date()
    week = week_label(today - timedelta(days=7), user.week_start)
    config = current_app.config
    digest = build_digest(get_session(), user, week, config["BASE_URL"], config["SECRET_KEY"])
    if digest is None:
        text = "Nothing to preview yet: the weekly email starts once you have uploaded a run.\n"
        return Response(text, mimetype="text/plain")
    text, html = render(digest)
    if request.args.get("part") == "text":
        return Response(text, mimetype="text/plain")
    return Response(html, mimetype="text/html")
