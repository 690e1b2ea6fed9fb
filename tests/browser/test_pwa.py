"""The installed app in Chromium: installability, service worker, offline, queue, share target.

A persistent profile is needed: Chromium reports every incognito context as not installable.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    ROOT,
    axe_violations,
    has_horizontal_scroll,
    screenshot,
)
from tests.webapp.test_pwa import activity_count, gpx_run, pending_shares

pytestmark = pytest.mark.browser

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
CONTROLLED = "() => navigator.serviceWorker.controller?.state === 'activated'"
LOGGED_OUT = "() => !document.querySelector('#legday-session[data-user]')"


@pytest.fixture
def profile(playwright_instance, tmp_path):
    """A phone-sized Chromium with a profile on disk, as an installed app would have."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS, **PHONE
    )
    yield context
    context.close()


@pytest.fixture
def app_page(profile):
    page = profile.pages[0] if profile.pages else profile.new_page()
    yield page


def register(page, base: str, email: str = "runner@example.com") -> None:
    page.goto(base + "/auth/register")
    page.fill("#email", email)
    page.fill("#password", "correct horse")
    page.click("#auth-form button[type=submit]")
    page.wait_for_url(lambda url: "/auth/register" not in url)


def log_in(page, email: str = "runner@example.com") -> None:
    page.fill("#email", email)
    page.fill("#password", "correct horse")
    page.click("#auth-form button[type=submit]")


def until(page, predicate: str, arg=None, seconds: float = 30.0) -> None:
    """Poll an async page predicate until it holds (wait_for_function does not await one, and
    evaluates its predicate with eval, which the app's Content-Security-Policy refuses). The
    limit is wall time: a worker installing its shell on a busy machine can take over 10 s."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(predicate, arg):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true within {seconds:.0f} s: {predicate}")


def saved_pages(page) -> dict[str, list[str]]:
    """The worker's page caches: {cache name: [paths]}."""
    return page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                if (!name.startsWith('legday-pages-')) continue;
                const keys = await (await caches.open(name)).keys();
                out[name] = keys.map((r) => new URL(r.url).pathname);
            }
            return out;
        }"""
    )


def wait_for_saved(page, path: str) -> None:
    until(
        page,
        """async (path) => {
            for (const name of await caches.keys()) {
                if (!name.startsWith('legday-pages-')) continue;
                const keys = await (await caches.open(name)).keys();
                if (keys.some((r) => new URL(r.url).pathname === path)) return true;
            }
            return false;
        }""",
        path,
    )


def test_chromium_finds_the_app_installable(live_server, app_page, profile):
    response = app_page.goto(live_server + "/")
    assert response.status == 200
    until(app_page, CONTROLLED)
    cdp = profile.new_cdp_session(app_page)
    installability = cdp.send("Page.getInstallabilityErrors")
    assert installability["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == live_server + "/manifest.webmanifest"
    assert manifest["errors"] == []
    assert '"share_target"' in manifest["data"]
    scope = app_page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert scope == live_server + "/sw.js"


def test_offline_the_shell_and_the_last_week_page_are_still_there(
    live_server, app_page, profile, tmp_path
):
    run = tmp_path / "Tempo.gpx"
    run.write_bytes(gpx_run(datetime.now(UTC) - timedelta(minutes=20), name="Tempo"))
    register(app_page, live_server)
    app_page.goto(live_server + "/upload")
    app_page.set_input_files("#upload-form input[name=files]", str(run))
    app_page.click("#upload-form [type=submit]")
    app_page.locator(".result-imported").wait_for()
    # Compare the week itself, without the install offer (Chromium makes it only when online).
    app_page.evaluate("localStorage.setItem('legday-install-hint-dismissed', '1')")
    app_page.goto(live_server + "/week?source=pwa")
    until(app_page, CONTROLLED)
    # The first load installed the worker; this one goes through it and is saved.
    app_page.reload()
    wait_for_saved(app_page, "/week")
    online = app_page.inner_text("main")
    assert "Tempo" in online

    # A page that may show a new API token is never kept on the phone (every logged-in page is
    # no-store for the browser's cache; the worker keeps pages unless they say X-Legday-Save: no).
    app_page.goto(live_server + "/activities")
    wait_for_saved(app_page, "/activities")
    app_page.goto(live_server + "/settings/tokens")
    app_page.wait_for_timeout(500)
    kept = app_page.evaluate(
        """async () => {
            const paths = [];
            for (const name of await caches.keys()) {
                if (!name.startsWith('legday-pages-')) continue;
                for (const r of await (await caches.open(name)).keys()) {
                    paths.push(new URL(r.url).pathname);
                }
            }
            return paths;
        }"""
    )
    assert "/activities" in kept and "/settings/tokens" not in kept

    profile.set_offline(True)
    response = app_page.goto(live_server + "/week?source=pwa")
    assert response.ok
    app_page.locator("#offline-banner").wait_for()
    offline = app_page.inner_text("main").replace(app_page.inner_text("#offline-banner"), "")
    assert offline.strip() == online.strip(), "the same week, read from the saved copy"
    # The stylesheet came from the shell cache: the header is still green.
    header = app_page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(31, 95, 74)"
    assert app_page.locator("#offline-banner").is_visible()
    assert not has_horizontal_scroll(app_page)
    screenshot(app_page, "pwa-offline-week")

    # A page never opened on this phone: the offline page, not an error.
    app_page.goto(live_server + "/settings")
    assert app_page.get_by_role("heading", level=1).inner_text() == "You are offline"
    assert axe_violations(app_page) == []
    assert not has_horizontal_scroll(app_page)
    screenshot(app_page, "pwa-offline-page")


def test_offline_the_app_links_still_lead_somewhere(live_server, app_page, profile):
    register(app_page, live_server)
    app_page.goto(live_server + "/week")
    until(app_page, CONTROLLED)
    app_page.reload()
    # Boosted (htmx) navigations are saved too.
    app_page.get_by_role("link", name="Upload", exact=True).click()
    app_page.get_by_role("heading", name="Upload runs").wait_for()
    wait_for_saved(app_page, "/upload")
    wait_for_saved(app_page, "/week")

    profile.set_offline(True)
    app_page.get_by_role("link", name="This week").click()
    app_page.get_by_role("heading", name="This week", level=1).wait_for()
    app_page.get_by_role("link", name="Upload", exact=True).click()
    app_page.get_by_role("heading", name="Upload runs").wait_for()
    app_page.get_by_role("link", name="Settings").click()
    app_page.get_by_role("heading", name="You are offline").wait_for()


def test_logout_drops_the_saved_pages_and_the_next_user_sees_none(live_server, app_page, profile):
    register(app_page, live_server, "first@example.com")
    app_page.goto(live_server + "/week")
    until(app_page, CONTROLLED)
    app_page.reload()
    wait_for_saved(app_page, "/week")
    first = list(saved_pages(app_page))
    assert len(first) == 1

    app_page.get_by_role("button", name="Log out").click()
    until(app_page, LOGGED_OUT)
    assert saved_pages(app_page) == {}
    profile.set_offline(True)
    app_page.goto(live_server + "/week")
    assert app_page.get_by_role("heading", level=1).inner_text() == "You are offline"
    profile.set_offline(False)

    register(app_page, live_server, "second@example.com")
    app_page.goto(live_server + "/week")
    wait_for_saved(app_page, "/week")
    second = list(saved_pages(app_page))
    assert len(second) == 1 and second != first


def test_an_upload_chosen_offline_is_sent_when_the_phone_is_back_online(
    live_server, app, app_page, profile, tmp_path
):
    run = tmp_path / "Offline_Run.gpx"
    run.write_bytes(gpx_run())
    register(app_page, live_server)
    app_page.goto(live_server + "/upload")
    until(app_page, CONTROLLED)

    profile.set_offline(True)
    form = app_page.locator("form:has(input[type=file][name=files])").first
    form.locator("input[type=file][name=files]").set_input_files(str(run))
    form.locator("[type=submit]").click()
    item = app_page.locator("#offline-queue .queue-item")
    item.wait_for()
    assert "Offline_Run.gpx" in item.inner_text()
    assert item.get_attribute("data-state") == "queued"
    assert activity_count(app) == 0
    assert not has_horizontal_scroll(app_page)
    screenshot(app_page, "pwa-upload-queued")

    profile.set_offline(False)
    app_page.locator('#offline-queue .queue-item[data-state="sent"]').wait_for()
    assert activity_count(app, "runner@example.com") == 1
    # Sent: no longer under "Waiting to upload", but under "Done" with a link to it.
    assert app_page.locator("#offline-queue .queue-list .queue-item").count() == 0
    assert app_page.locator("#offline-queue .queue-waiting").is_hidden()
    assert "Offline_Run.gpx" in app_page.locator("#offline-queue .queue-done").inner_text()
    assert axe_violations(app_page) == []
    screenshot(app_page, "pwa-upload-sent")


SHARE_LIKE_THE_OS = """(args) => {
    // What Chromium does for a share_target: a top-level multipart POST to the action.
    const form = document.createElement('form');
    form.method = 'post';
    form.action = args.action;
    form.enctype = 'multipart/form-data';
    form.id = 'os-share';
    form.innerHTML = '<input name="title" value="Morning run"><input type="file" name="files">';
    document.body.append(form);
}"""


def share_from_the_os(page, path) -> None:
    manifest = json.loads((ROOT / "static" / "manifest.webmanifest").read_text())
    page.evaluate(SHARE_LIKE_THE_OS, {"action": manifest["share_target"]["action"]})
    page.set_input_files("#os-share input[type=file]", str(path))
    page.evaluate("document.getElementById('os-share').submit()")


def test_a_file_shared_while_logged_out_is_imported_after_login(
    live_server, app, app_page, tmp_path
):
    run = tmp_path / "Shared_Run.gpx"
    run.write_bytes(gpx_run())
    register(app_page, live_server)
    app_page.get_by_role("button", name="Log out").click()
    until(app_page, LOGGED_OUT)
    until(app_page, CONTROLLED)

    share_from_the_os(app_page, run)
    app_page.wait_for_url("**/auth/login?next=/share/pending")
    # The worker kept the file on the phone; nothing reached the server yet.
    assert pending_shares(app) == 0
    assert activity_count(app) == 0
    log_in(app_page)
    app_page.wait_for_url("**/upload")
    until(app_page, "() => !document.querySelector('#share-upload')")
    assert activity_count(app, "runner@example.com") == 1
    assert not has_horizontal_scroll(app_page)
    screenshot(app_page, "pwa-share-imported")
    # Sent once: the copy kept on the phone is dropped.
    until(app_page, "async () => !(await LegdayQueue.list()).some((i) => i.source === 'share')")


def test_a_file_shared_with_no_signal_is_sent_when_it_comes_back(
    live_server, app, app_page, profile, tmp_path
):
    run = tmp_path / "Trail.gpx"
    run.write_bytes(gpx_run(name="Trail"))
    register(app_page, live_server)
    app_page.goto(live_server + "/share/pending")
    until(app_page, CONTROLLED)
    app_page.reload()
    wait_for_saved(app_page, "/share/pending")

    profile.set_offline(True)
    share_from_the_os(app_page, run)
    status = app_page.locator("#share-status")
    status.filter(has_text="You are offline").wait_for()
    assert "1 shared file will upload when you are back online" in status.inner_text()
    assert activity_count(app) == 0

    profile.set_offline(False)
    until(app_page, "async () => (await LegdayQueue.list()).some((i) => i.state === 'sent')")
    assert activity_count(app, "runner@example.com") == 1


def test_without_the_worker_the_server_keeps_the_share_until_login(
    playwright_instance, live_server, app, tmp_path
):
    run = tmp_path / "Shared_Run.gpx"
    run.write_bytes(gpx_run())
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        service_workers="block",
        **PHONE,
    )
    try:
        page = context.pages[0]
        register(page, live_server)
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(live_server + "/")
        share_from_the_os(page, run)
        page.wait_for_url("**/auth/login?next=/share/pending")
        assert pending_shares(app) == 1
        assert "Shared_Run.gpx" in page.locator(".flashes").inner_text()
        log_in(page)
        page.wait_for_url("**/share/pending")
        page.get_by_role("heading", name="Imported from your share").wait_for()
        assert activity_count(app, "runner@example.com") == 1
        assert pending_shares(app) == 0
        assert axe_violations(page) == []
        assert not has_horizontal_scroll(page)
        screenshot(page, "pwa-share-pending")
    finally:
        context.close()


def test_ios_safari_gets_the_add_to_home_screen_hint(live_server, browser):
    context = browser.new_context(**PHONE, user_agent=IPHONE_SAFARI)
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        assert page.locator("#install-hint").count() == 0, "not for a first-time visitor"
        register(page, live_server)
        page.goto(live_server + "/week")
        hint = page.locator("#install-hint")
        hint.wait_for()
        assert "Add to Home Screen" in hint.inner_text()
        assert not page.get_by_role("button", name="Install").is_visible()
        assert axe_violations(page) == []
        assert not has_horizontal_scroll(page)
        screenshot(page, "pwa-ios-hint")
        page.get_by_role("button", name="Not now").click()
        assert hint.count() == 0
        page.reload()
        page.wait_for_load_state("load")
        assert page.locator("#install-hint").count() == 0, "dismissed stays dismissed"
    finally:
        context.close()


def test_other_browsers_get_no_ios_hint(live_server, page):
    page.goto(live_server + "/")
    page.wait_for_load_state("load")
    assert page.locator("#install-hint").count() == 0


def test_a_deploy_installs_a_new_worker_and_drops_the_old_shell(
    live_server, app, app_page, tmp_path
):
    app_page.goto(live_server + "/")
    until(app_page, CONTROLLED)
    shells = "async () => (await caches.keys()).filter((n) => n.startsWith('legday-shell-'))"
    before = app_page.evaluate(shells)
    assert len(before) == 1

    # A deploy: the same app with a changed stylesheet.
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    with (static / "css" / "app.css").open("a") as css:
        css.write("\n.deployed { color: red; }\n")
    app.static_folder = str(static)
    app_page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    until(
        app_page,
        "async (old) => { const k = await caches.keys();"
        " return !k.includes(old) && k.some((n) => n.startsWith('legday-shell-')); }",
        before[0],
    )
    after = app_page.evaluate(shells)
    assert len(after) == 1 and after != before
    css = app_page.evaluate(
        f"async () => (await (await caches.open('{after[0]}')).match('/static/css/app.css')).text()"
    )
    assert ".deployed" in css
