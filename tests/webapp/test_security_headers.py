"""Security headers on every response; the email preview's own policy; Secure cookies on HTTPS."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from_html
from tests.webapp.factories import add_account, add_activity
from tests.webapp.test_pwa import gpx_run, share_post
from webapp.security import page_policy, tile_origin


def _directives(header: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def _assert_headers(response, url):
    csp = _directives(response.headers.get("Content-Security-Policy", ""))
    assert csp.get("frame-ancestors") == ["'self'"], url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url
    return csp


def _get_urls(app, activity_id: int) -> list[str]:
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {
                "activity_id": activity_id,
                "week": "2026-W48",
                "token": "x",
                "job_id": 1,
                "index": 0,
                "year": 2026,
            }
            urls.append(url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
    return urls


def test_every_get_route_carries_the_headers_logged_out_and_in(app, client, auth):
    app.config["TILE_URL"] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # the default
    auth.register()
    activity_id = add_activity(app, 1, name="Hill reps")
    urls = _get_urls(app, activity_id) + ["/static/css/app.css", "/no-such-page"]
    seen_pages = 0
    for logged_in in (True, False):
        for url in urls:
            response = client.get(url)
            response.close()  # static files and the export are streamed
            csp = _assert_headers(response, url)
            if response.mimetype == "text/html" and not url.endswith("email-preview"):
                seen_pages += 1
                assert csp["script-src"] == ["'self'"], url
                assert csp["style-src"] == ["'self'"], url
                assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
                assert "https://tile.openstreetmap.org" in csp["img-src"], url
                if logged_in:  # Back after logging out must not show the runner's pages
                    assert "no-store" in response.headers.get("Cache-Control", ""), url
        if logged_in:
            auth.logout()
    assert seen_pages >= 20


def test_logging_out_clears_the_browsers_cache_of_the_runners_pages(client, auth):
    auth.register()
    week = client.get("/week")
    assert week.status_code == 200 and week.headers["Cache-Control"] == "no-store"
    assert auth.logout().headers.get("Clear-Site-Data") == "\"cache\""
    static = client.get("/static/css/app.css")
    static.close()
    assert static.headers.get("Cache-Control") != "no-store"  # files anyone may cache


def test_the_email_preview_is_inline_styled_and_runs_nothing(app, client, auth):
    auth.register()
    add_activity(app, 1, name="Hill reps")
    response = client.get("/settings/email-preview")
    assert response.mimetype == "text/html" and 'style="' in response.get_data(as_text=True)
    csp = _assert_headers(response, "/settings/email-preview")
    assert csp["default-src"] == ["'none'"] and csp["style-src"] == ["'unsafe-inline'"]
    assert "script-src" not in csp  # so default-src 'none': no script at all


def test_api_responses_carry_the_headers(client):
    response = client.get("/api/v1/activities")
    assert response.status_code == 401
    _assert_headers(response, "/api/v1/activities")


def test_the_tile_server_builds_img_src():
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert tile_origin("javascript:alert(1)") == ""
    policy = _directives(page_policy("https://maps.example.net/{z}/{x}/{y}.png"))
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://maps.example.net"]


def test_a_configured_tile_server_is_the_one_allowed(app_config):
    from webapp import create_app

    app = create_app(dict(app_config, TILE_URL="https://maps.example.net/{z}/{x}/{y}.png"))
    csp = app.test_client().get("/auth/login").headers["Content-Security-Policy"]
    assert "https://maps.example.net" in csp and "openstreetmap" not in csp
    assert app.config["TILE_ATTRIBUTION"]


def _cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


@pytest.mark.parametrize(
    ("base", "secure"), [("https://legday.example", True), ("http://localhost", False)]
)
def test_cookies_are_secure_whenever_the_request_is_https(app, base, secure):
    client = app.test_client()
    page = client.get("/auth/login", base_url=base)  # sets the session (CSRF token)
    account = add_account(app, "me@example.com")
    response = client.post(
        "/auth/login",
        base_url=base,
        headers={"Referer": f"{base}/auth/login"},  # a browser sends it; HTTPS CSRF checks it
        data={
            "email": account.email,
            "password": account.password,
            "csrf_token": csrf_from_html(page.text),
        },
    )
    [session_cookie] = [c for c in _cookies(response) if c.startswith("session=")]
    assert ("; Secure" in session_cookie) is secure
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    shared = share_post(app.test_client(), [("run.gpx", gpx_run())], base_url=base)
    [share_cookie] = [c for c in _cookies(shared) if c.startswith("legday_share=")]
    assert ("; Secure" in share_cookie) is secure


def test_secure_cookies_can_be_turned_off_or_forced(app):
    app.config["SECURE_COOKIES"] = False
    response = app.test_client().get("/auth/login", base_url="https://legday.example")
    assert "Secure" not in " ".join(_cookies(response))
    app.config["SECURE_COOKIES"] = True
    response = app.test_client().get("/auth/login", base_url="http://localhost")
    assert "; Secure" in " ".join(_cookies(response))


def test_the_environment_switch(monkeypatch, tmp_path):
    from webapp.config import load_config

    monkeypatch.delenv("LEGDAY_SECURE_COOKIES", raising=False)
    assert load_config(str(tmp_path))["SECURE_COOKIES"] is None
    monkeypatch.setenv("LEGDAY_SECURE_COOKIES", "0")
    assert load_config(str(tmp_path))["SECURE_COOKIES"] is False
    monkeypatch.setenv("LEGDAY_SECURE_COOKIES", "1")
    assert load_config(str(tmp_path))["SECURE_COOKIES"] is True


def test_behind_a_trusted_proxy_https_is_seen(app_config):
    from webapp import create_app

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = create_app(app_config).test_client().get("/auth/login", headers=forwarded)
    assert "; Secure" not in " ".join(_cookies(direct))  # an untrusted header changes nothing
    app = create_app(dict(app_config, TRUSTED_PROXIES=1))
    response = app.test_client().get("/auth/login", headers=forwarded)
    assert "; Secure" in " ".join(_cookies(response))
