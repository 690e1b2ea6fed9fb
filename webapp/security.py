"""Security headers on every response, and Secure cookies whenever the request came over HTTPS.

Every response gets:
- `Content-Security-Policy`: scripts and styles from this origin only (no 'unsafe-inline': the
  templates hold no inline <script>, no event handler attribute and no style attribute; htmx is
  told not to inject its indicator <style> by the `htmx-config` meta tag in base.html); images
  from this origin, `data:` and the map tile server (`TILE_URL`); nothing may frame a page but the
  app itself (`frame-ancestors 'self'`: Settings frames its email preview).
- `Cache-Control: no-store` on every page of a logged-in runner (their runs, heart rate and
  plan): after logging out, Back must not show them from the browser's cache (the app's own
  offline copies are the service worker's, kept apart and cleared at logout); logging out also
  sends `Clear-Site-Data: "cache"` (webapp.views.pwa).
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin` (tile
  servers such as OpenStreetMap's refuse requests that carry no referrer), and for old browsers
  `X-Frame-Options: SAMEORIGIN`.

The weekly email previewed in Settings is the email's own inline-styled HTML: that one route
(`INLINE_STYLED`) gets a policy of its own that runs no script at all and allows inline styles.

Cookies: `SESSION_COOKIE_SECURE` (and the other cookies this app sets) is decided per request:
Secure when the request is HTTPS, unless `LEGDAY_SECURE_COOKIES=0` turns it off
(`LEGDAY_SECURE_COOKIES=1` forces it on for every request). Behind a TLS-terminating proxy,
set `LEGDAY_TRUSTED_PROXIES=1` (Werkzeug's ProxyFix) so that `request.is_secure` is true.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

# The email preview: an inline-styled document, shown sandboxed in an <iframe> on Settings.
INLINE_STYLED = {"email.preview"}


def tile_origin(tile_url: str) -> str:
    """`https://tile.openstreetmap.org/{z}/{x}/{y}.png` -> `https://tile.openstreetmap.org`;
    a `{s}` subdomain template becomes a wildcard (`https://*.tile.example.org`)."""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def _join(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


@functools.lru_cache(maxsize=8)
def page_policy(tile_url: str) -> str:
    """The policy of every page: what may run, load, connect and frame (built from the tile
    server in force, so a changed `TILE_URL` is allowed at once)."""
    tiles = tile_origin(tile_url)
    return _join(
        {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": " ".join(filter(None, ("'self'", "data:", "blob:", tiles))),
            "font-src": "'self'",
            "connect-src": "'self'",
            "manifest-src": "'self'",
            "worker-src": "'self'",
            "frame-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'self'",
            "form-action": "'self'",
            "frame-ancestors": "'self'",
        }
    )


# The emailed HTML: inline styles (as email clients need), images from here, no script at all.
EMAIL_POLICY = _join(
    {
        "default-src": "'none'",
        "style-src": "'unsafe-inline'",
        "img-src": "'self' data:",
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'self'",
    }
)


def secure_cookies() -> bool:
    """Whether cookies set in this request get the Secure flag (see the module docstring)."""
    setting = current_app.config.get("SECURE_COOKIES")
    if setting is not None:
        return bool(setting)
    return request.is_secure


def add_headers(response: Response) -> Response:
    policy = page_policy(current_app.config.get("TILE_URL") or "")
    if request.endpoint in INLINE_STYLED:
        policy = EMAIL_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Call after every other extension that replaces `app.session_interface`."""
    base = type(app.session_interface)

    class SessionInterface(base):
        def get_cookie_secure(self, app) -> bool:
            return secure_cookies()

    app.session_interface = SessionInterface()
    app.after_request(add_headers)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
