"""The installable app: manifest, service worker, offline page, and the headers the worker reads.

The service worker (static/sw.js) is served from `/sw.js` so that its scope is the whole site.
Its cache version is a hash of the app-shell files, filled in here, so every deploy that changes
the shell installs a new worker and drops the old cache.

Pages are cached by the worker per user: a full HTML page of a logged-in user carries
`X-Legday-Cache-Key` (an HMAC of the user id, not the id), and the worker keeps it in a cache
named after that key. A page without a key (somebody logged out) makes it drop every page cache,
as does the logout request itself; the logout response also sends `Clear-Site-Data: "cache"`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    render_template,
    request,
)
from flask_login import AnonymousUserMixin, current_user

bp = Blueprint("pwa", __name__)

# The app shell: what the worker precaches so that any page it kept can be drawn offline
# (every stylesheet, script and icon; not the install-sheet screenshots).
SHELL_GLOBS = ("css/*.css", "js/*.js", "vendor/*.js", "vendor/*.css", "icons/*.png", "icons/*.svg")
SHELL_TEMPLATES = ("pwa/offline.html",)
OFFLINE_URL = "/offline"


def _root(app: Flask) -> Path:
    return Path(app.root_path).parent


@lru_cache(maxsize=8)
def _hash_files(files: tuple[tuple[str, str, float], ...]) -> str:
    digest = hashlib.sha256()
    for name, path, _mtime in files:
        digest.update(name.encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def shell_static(app: Flask) -> list[str]:
    """The shell's files, relative to the static folder, in a stable order."""
    static = Path(app.static_folder)
    found = {
        p.relative_to(static).as_posix() for pattern in SHELL_GLOBS for p in static.glob(pattern)
    }
    return sorted(found)


def shell_version(app: Flask) -> str:
    """A short hash of the shell files and the worker's own source: it changes on every deploy
    that changes any of them."""
    static = Path(app.static_folder)
    templates = Path(app.template_folder)
    files = [(name, static / name) for name in (*shell_static(app), "sw.js")]
    files += [(name, templates / name) for name in SHELL_TEMPLATES]
    return _hash_files(tuple((name, str(p), p.stat().st_mtime) for name, p in files))


def shell_urls(app: Flask) -> list[str]:
    prefix = app.static_url_path
    return [f"{prefix}/{name}" for name in shell_static(app)] + [OFFLINE_URL]


def cache_key(user_id: int) -> str:
    """The name a user's page cache gets in the browser: stable per user, says nothing of them."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"page-cache:{user_id}".encode(), hashlib.sha256).hexdigest()[:24]


@bp.route("/manifest.webmanifest")
def manifest():
    path = Path(current_app.static_folder) / "manifest.webmanifest"
    response = Response(path.read_bytes(), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask /favicon.ico whatever the page's <link rel="icon">: the 32 px icon."""
    path = Path(current_app.static_folder) / "icons" / "favicon-32.png"
    response = Response(path.read_bytes(), mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/sw.js")
def service_worker():
    app = current_app._get_current_object()
    source = (Path(app.static_folder) / "sw.js").read_text()
    source = source.replace('"__VERSION__"', json.dumps(shell_version(app)))
    source = source.replace('"__SHELL__"', json.dumps(shell_urls(app)))
    source = source.replace('"__OFFLINE_URL__"', json.dumps(OFFLINE_URL))
    response = Response(source, mimetype="text/javascript")
    # The browser must see a new version at once, and the worker controls the whole site.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route(OFFLINE_URL)
def offline():
    """The page the worker shows when there is no network and no saved copy.

    It is precached for everybody, so it is rendered without the session: no user, no token,
    and the flashed messages stay for the next real page.
    """
    return render_template(
        "pwa/offline.html",
        current_user=AnonymousUserMixin(),
        pwa_cache_key=None,
        csrf_token=lambda: "",
        get_flashed_messages=lambda **_: [],
    )


def _is_full_page(response: Response) -> bool:
    if response.status_code != 200 or response.mimetype != "text/html":
        return False
    if response.direct_passthrough or response.is_streamed:
        return False
    return response.get_data()[:64].lstrip().lower().startswith(b"<!doctype html")


# Requests the browser makes by itself, at any moment (worker install and update checks, the
# manifest, files): they must not write the session cookie. A permanent session is re-sent on
# every response, and one of these, sent with the cookie from before a login, could land after
# the login's answer and put the old session (without its CSRF token) back.
SESSIONLESS = frozenset({"pwa.manifest", "pwa.service_worker", "pwa.offline", "static"})


def init_app(app: Flask) -> None:
    base = type(app.session_interface)

    class SessionInterface(base):
        def should_set_cookie(self, app, session) -> bool:
            if request.endpoint in SESSIONLESS:
                return False
            return super().should_set_cookie(app, session)

    app.session_interface = SessionInterface()

    @app.context_processor
    def pwa_context():
        # Emails are rendered outside any request: nobody is logged in there.
        known = has_request_context() and current_user.is_authenticated
        return {"pwa_cache_key": cache_key(current_user.id) if known else None}

    @app.after_request
    def mark_pages(response: Response) -> Response:
        if request.endpoint == "auth.logout" and request.method == "POST":
            # Drop the HTTP cache for this site; the worker drops its page cache itself.
            response.headers["Clear-Site-Data"] = '"cache"'
        if (
            request.method == "GET"
            and request.endpoint != "pwa.offline"
            and _is_full_page(response)
        ):
            response.headers["X-Legday-Page"] = "full"
            if current_user.is_authenticated:
                response.headers["X-Legday-Cache-Key"] = cache_key(current_user.id)
        return response
