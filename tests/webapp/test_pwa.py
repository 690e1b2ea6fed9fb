"""The installable app on the server side: manifest, service worker, offline page, share target."""

from __future__ import annotations

import json
import re
import shutil
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import ROOT, set_csrf
from webapp.db import new_session
from webapp.models import Activity, PendingShare, User

ACTIVITY_TYPES = {".fit", ".gpx", ".tcx", ".gz", ".zip", "application/octet-stream"}


def gpx_run(start: datetime | None = None, minutes: int = 12, name: str = "Lunch run") -> bytes:
    """A small hand-written GPX run: one point every 10 s heading north at ~3.3 m/s, uphill."""
    start = start or datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    points = []
    for i in range(minutes * 6 + 1):
        when = (start + timedelta(seconds=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 51.5 + i * 0.0003
        points.append(
            f'<trkpt lat="{lat:.6f}" lon="-0.120000"><ele>{20 + i * 0.5:.1f}</ele>'
            f"<time>{when}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Legday tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{name}</name><type>running</type><trkseg>{''.join(points)}</trkseg></trk>"
        "</gpx>"
    ).encode()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def head(client, url: str) -> tuple[int, str]:
    """Status and type of a GET; closes the file a static response holds open."""
    with client.get(url) as response:
        return response.status_code, response.mimetype


def activity_count(app, email: str | None = None) -> int:
    with new_session(app) as db:
        query = select(func.count(Activity.id))
        if email:
            query = query.join(User, Activity.user_id == User.id).where(User.email == email)
        return db.scalar(query)


def pending_shares(app) -> int:
    """Files kept on the server for a logged-out browser."""
    with new_session(app) as db:
        return db.scalar(select(func.count(PendingShare.id)))


def share_post(client, files: list[tuple[str, bytes]], **kwargs):
    """POST /share as the OS does for the manifest's share_target: multipart, no CSRF token."""
    from io import BytesIO

    manifest = json.loads((ROOT / "static" / "manifest.webmanifest").read_text())
    params = manifest["share_target"]["params"]
    data = {params["title"]: "Morning run", params["text"]: "Shared from Garmin Connect"}
    field = params["files"][0]["name"]
    data[field] = [(BytesIO(content), name, "application/octet-stream") for name, content in files]
    return client.post(
        manifest["share_target"]["action"], data=data, content_type="multipart/form-data", **kwargs
    )


# --- manifest -----------------------------------------------------------------------------------


def test_manifest_is_served_with_its_type_and_required_fields(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    for field in ("id", "name", "short_name", "start_url", "scope", "theme_color"):
        assert manifest[field], field
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/"
    assert manifest["start_url"].startswith("/week")
    assert manifest["theme_color"] == "#1f5f4a"
    assert {s["url"].split("?")[0] for s in manifest["shortcuts"]} == {"/upload", "/week"}


def test_favicon_ico_is_the_apps_icon_not_a_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_manifest_icons_exist_with_the_sizes_they_declare(client):
    manifest = json.loads(client.get("/manifest.webmanifest").data)
    seen = set()
    for icon in manifest["icons"]:
        assert head(client, icon["src"]) == (200, icon["type"])
        if icon["type"] == "image/png":
            width, height = png_size(ROOT / icon["src"].lstrip("/"))
            assert icon["sizes"] == f"{width}x{height}"
            seen.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= seen
    assert png_size(ROOT / "static" / "icons" / "apple-touch-icon.png") == (180, 180)


def test_manifest_screenshots_exist_for_narrow_and_wide(client):
    manifest = json.loads(client.get("/manifest.webmanifest").data)
    factors = set()
    for shot in manifest["screenshots"]:
        assert head(client, shot["src"]) == (200, "image/png")
        width, height = png_size(ROOT / shot["src"].lstrip("/"))
        assert shot["sizes"] == f"{width}x{height}"
        assert shot["label"]
        factors.add(shot["form_factor"])
        # Chromium's install sheet takes screenshots at most 2.3 times longer than wide.
        assert max(width, height) <= 2.3 * min(width, height)
    assert factors == {"narrow", "wide"}


def test_share_target_and_file_handlers_accept_activity_files(client):
    manifest = json.loads(client.get("/manifest.webmanifest").data)
    target = manifest["share_target"]
    assert (target["action"], target["method"], target["enctype"]) == (
        "/share",
        "POST",
        "multipart/form-data",
    )
    files = target["params"]["files"]
    assert files[0]["name"] == "files"
    assert ACTIVITY_TYPES <= set(files[0]["accept"])
    extensions = {
        ext
        for handler in manifest["file_handlers"]
        for e in handler["accept"].values()
        for ext in e
    }
    assert {".fit", ".gpx", ".tcx", ".gz", ".zip"} <= extensions


# --- service worker and offline page --------------------------------------------------------


def test_service_worker_is_served_from_the_root_with_its_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    assert "__VERSION__" not in source and "__SHELL__" not in source
    shell = json.loads(source.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/offline" in shell and "/static/css/app.css" in shell
    scripts = {f"/static/js/{p.name}" for p in (ROOT / "static" / "js").glob("*.js")}
    assert scripts <= set(shell), "every script of the pages works offline"
    assert not any("screenshots" in url for url in shell)
    for url in shell:
        assert head(client, url)[0] == 200, url


def _version(client) -> str:
    source = client.get("/sw.js").get_data(as_text=True)
    return json.loads(source.split("const VERSION = ", 1)[1].split(";", 1)[0])


def test_service_worker_version_changes_when_the_shell_changes(app, client, tmp_path):
    first = _version(client)
    assert len(first) == 12 and first == _version(client)
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    assert _version(client) == first, "same bytes, same version"
    with (static / "css" / "app.css").open("a") as css:
        css.write("\n/* a deploy */\n")
    assert _version(client) != first


def test_offline_page_holds_no_session_data(client, auth):
    anonymous = client.get("/offline").get_data()
    auth.register()
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You are offline" in html
    assert '"X-CSRF-Token": ""' in html and 'name="csrf_token"' not in html
    assert "runner@example.com" not in html and "Log out" not in html
    assert response.get_data() == anonymous, "the same page for everybody"
    assert "X-Legday-Cache-Key" not in response.headers


def test_what_the_browser_fetches_by_itself_never_rewrites_the_session_cookie(client, auth):
    auth.register()
    assert "Set-Cookie" in client.get("/week").headers, "pages keep the session fresh"
    for url in ("/sw.js", "/manifest.webmanifest", "/offline", "/static/css/app.css"):
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, url


def test_pages_carry_a_per_user_cache_key_and_logout_clears_the_cache(app, client, auth):
    anonymous = client.get("/")
    assert anonymous.headers["X-Legday-Page"] == "full"
    assert "X-Legday-Cache-Key" not in anonymous.headers

    auth.register("a@example.com")
    key_a = client.get("/week").headers["X-Legday-Cache-Key"]
    logout = auth.logout()
    assert logout.headers["Clear-Site-Data"] == '"cache"'
    auth.register("b@example.com")
    key_b = client.get("/week").headers["X-Legday-Cache-Key"]
    assert key_a != key_b
    assert len(key_a) == 24 and "1" != key_a
    # Fragments and non-HTML answers are not pages the worker should keep.
    assert "X-Legday-Page" not in client.get("/manifest.webmanifest").headers


# --- share target ---------------------------------------------------------------------------


def test_share_imports_a_file_posted_like_the_os_does(app, client, auth):
    auth.register()
    response = share_post(client, [("Morning_Run.gpx", gpx_run())])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Imported from your share" in html
    assert activity_count(app, "runner@example.com") == 1


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_share_refuses_a_post_made_by_another_site(app, client, auth, site):
    auth.register()
    response = share_post(client, [("Forged.gpx", gpx_run())], headers={"Sec-Fetch-Site": site})
    assert response.status_code == 403
    assert "share sheet" in response.get_data(as_text=True)
    assert activity_count(app) == 0


@pytest.mark.parametrize("site", ["none", "same-origin"])
def test_share_accepts_the_share_sheet_and_the_app_itself(app, client, auth, site):
    auth.register()
    response = share_post(
        client, [("Morning_Run.gpx", gpx_run())], headers={"Sec-Fetch-Site": site}
    )
    assert response.status_code == 200
    assert activity_count(app) == 1


def test_share_of_a_file_that_is_not_an_activity_says_so(app, client, auth):
    auth.register()
    response = share_post(client, [("notes.fit", b"this is not a FIT file")])
    assert response.status_code == 200
    assert "Traceback" not in response.get_data(as_text=True)
    assert activity_count(app) == 0


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded"]
)
def test_share_without_files_goes_to_the_upload_page(client, auth, content_type):
    auth.register()
    response = client.post(
        "/share", data={"text": "https://example.com/run"}, content_type=content_type
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/upload")


def test_shared_file_survives_the_login(app, client, auth):
    auth.register()
    auth.logout()
    response = share_post(client, [("Evening_Run.gpx", gpx_run())])
    assert response.status_code == 303
    assert "/auth/login?next=/share/pending" in response.headers["Location"]
    assert activity_count(app) == 0

    token = set_csrf(client)
    login = client.post(
        "/auth/login?next=/share/pending",
        data={"email": "runner@example.com", "password": "correct horse", "csrf_token": token},
    )
    assert login.headers["Location"] == "/share/pending"
    page = client.get("/share/pending")
    assert page.status_code == 200
    assert "Imported from your share" in page.get_data(as_text=True)
    assert activity_count(app, "runner@example.com") == 1
    # Imported once: the kept copy and the cookie are gone.
    assert "legday_share=;" in page.headers["Set-Cookie"]
    assert pending_shares(app) == 0
    assert "Imported from your share" not in client.get("/share/pending").get_data(as_text=True)


def test_a_kept_share_expires_after_a_day(app, client, auth):
    auth.register()
    auth.logout()
    share_post(client, [("Old_Run.gpx", gpx_run())])
    with new_session(app) as db:
        kept = db.scalar(select(PendingShare))
        kept.created_at = datetime.now(UTC) - timedelta(hours=25)
        db.commit()
    auth.login()
    page = client.get("/share/pending").get_data(as_text=True)
    assert "Imported from your share" not in page
    assert activity_count(app) == 0
    # The next share clears it away.
    auth.logout()
    share_post(client, [("New_Run.gpx", gpx_run(name="New"))])
    with new_session(app) as db:
        assert db.scalars(select(PendingShare.filename)).all() == ["New_Run.gpx"]


def test_a_kept_share_belongs_to_the_browser_that_shared_it(app, client, auth):
    share_post(client, [("Evening_Run.gpx", gpx_run())])
    other = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other).register("someone.else@example.com")
    assert other.get("/share/pending").status_code == 200
    assert activity_count(app) == 0, "another browser cannot claim the file"


def test_a_logged_out_share_has_limits(app, client):
    app.config["PENDING_SHARE_MAX_MB"] = 0.25
    response = share_post(client, [("huge.fit", b"\0" * (256 * 1024 + 1))])
    assert response.status_code == 413
    assert "Log in first" in response.get_data(as_text=True)
    assert pending_shares(app) == 0


def test_pending_page_needs_a_login(client):
    response = client.get("/share/pending")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_pages_have_the_install_basics_and_no_mixed_content(client, auth):
    auth.register()
    for path in ("/", "/week", "/upload", "/offline"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert '<meta name="theme-color" content="#1f5f4a">' in html, path
        assert 'name="viewport"' in html, path
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html, path
        assert 'rel="apple-touch-icon"' in html, path
        # Every asset from this origin: nothing an https page would block as mixed content.
        assert not re.search(r'(src|href|action)="http:', html), path
