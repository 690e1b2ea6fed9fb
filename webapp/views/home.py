"""The front page: what Legday is, for a visitor; the way in, for a runner."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if g.user is not None:
        return redirect(url_for("week.index"))
    return render_template("home/index.html")
