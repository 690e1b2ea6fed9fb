"""CSRF protection for every state-changing request made with the session cookie.

The token lives in the session; forms send it as `csrf_token`, HTMX requests as the
`X-CSRF-Token` header (set once on <body hx-headers>). Views that authenticate by other
means (API bearer tokens, signed unsubscribe links) are marked with `@exempt`.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def token() -> str:
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def exempt(view):
    view._csrf_exempt = True
    return view


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = token

    @app.before_request
    def check_csrf():
        if request.method in SAFE_METHODS or app.config.get("CSRF_DISABLED"):
            return
        view = app.view_functions.get(request.endpoint or "")
        if view is None or getattr(view, "_csrf_exempt", False):
            return
        sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
        expected = session.get("csrf_token", "")
        if not expected or not hmac.compare_digest(sent, expected):
            abort(400, "This form has expired. Reload the page and try again.")
