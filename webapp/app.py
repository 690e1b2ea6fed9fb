"""The app factory: `create_app()` builds the Flask app (gunicorn and `legday` use it through
`webapp.create_app`)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, render_template
from htmx_flask import Htmx

from webapp import auth, bounds, db, ratelimit, security, timing, units
from webapp.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; `test_config` overrides the environment-derived settings."""
    test_config = dict(test_config) if test_config is not None else None
    instance_path = (test_config or {}).pop("INSTANCE_PATH", None) or os.environ.get(
        "LEGDAY_INSTANCE"
    )
    app = Flask(
        "webapp",  # the package: its logger, root and instance paths, as before the move
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    bounds.init_app(app)  # first: the bounded `int` converter must precede every route
    Htmx(app)
    timing.init_app(app)
    db.init_app(app)
    auth.init_app(app)
    units.init_app(app)

    from webapp.views import (
        account,
        activities,
        api,
        calendar,
        credentials,
        email,
        home,
        password,
        profile,
        pwa,
        settings,
        share,
        upload,
        week,
    )

    for module in (
        *(home, auth, upload, activities, week, calendar, settings, profile),
        *(password, account, credentials, api, email, pwa, share),
    ):
        app.register_blueprint(module.bp)
    pwa.init_app(app)
    security.init_app(app)  # after pwa: both extend the session interface
    ratelimit.init_app(app)  # after the blueprints: it wraps their views

    from webapp.cli import register_commands

    register_commands(app)
    _register_error_pages(app)
    if app.config.get("JOB_REAP_ON_START", True):
        from webapp import jobs

        jobs.reap_on_start(app)
    return app


def _register_error_pages(app: Flask) -> None:
    """Every error is a page a person can read (or JSON for the API); never a traceback."""

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    @app.errorhandler(413)
    @app.errorhandler(429)
    @app.errorhandler(500)
    def error_page(error):
        code = getattr(error, "code", 500) or 500
        if code == 500:
            # Undo what the failed request wrote; the session stays open so that the page
            # (its header shows the logged-in user) can still read.
            session = g.get("db_session")
            if session is not None:
                try:
                    session.rollback()
                except Exception:  # a dead connection: read nothing more from it
                    g.pop("db_session").close()
                    g._login_user = auth.login_manager.anonymous_user()
        from webapp.views import api

        if api.is_api_request():
            # Errors raised before the API blueprint's own handlers (no route, 405, 413).
            return api.http_error(error)
        try:
            return render_template("error.html", error=error, code=code), code
        except Exception:
            # The page itself needs the database (the user in its header): show it logged out.
            app.logger.exception("error page for %s failed; shown without the user", code)
            g._login_user = auth.login_manager.anonymous_user()
            return render_template("error.html", error=error, code=code), code
