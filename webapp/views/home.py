"""The front page: what Legday is, for a visitor; the way in, for a runner."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("week.index"))
    return render_template("home/index.html")
