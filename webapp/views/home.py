"""The front page (what Legday is, for a visitor; the way in, for a runner) and the privacy page."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("week.index"))
    return render_template("home/index.html")


@bp.route("/privacy")
def privacy():
    """What Legday stores, where, and how to export or delete it; public, like the front page."""
    config = current_app.config
    return render_template(
        "privacy/index.html",
        database="PostgreSQL" if config["DATABASE_URL"].startswith("postgresql") else "SQLite",
        tile_url=config.get("TILE_URL") or "",
        zone_m=config.get("PRIVACY_ZONE_M") or 0,
    )
