"""A new runner on a phone: register, upload a FIT and a GPX, open a run, this week's session,
mark it done, swap an exercise, change a setting. Screenshots of each page for people to see."""

from __future__ import annotations

import pytest

from tests.conftest import axe_violations, has_horizontal_scroll, screenshot
from tests.webapp.files import in_this_week, recent_start, run_fit, run_gpx, zip_of

pytestmark = pytest.mark.browser


def check(page, name: str) -> None:
    """Every page: no horizontal scroll at 390 px, axe-core clean, a screenshot saved."""
    assert not has_horizontal_scroll(page), f"{name} scrolls sideways"
    assert axe_violations(page) == [], name
    screenshot(page, name)


def register(page, live_server: str, email: str) -> None:
    """Sign up through the form; a new runner lands on this week's page."""
    page.goto(live_server + "/auth/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/week")


def nav(page, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()


def test_a_new_runner_walks_through_on_a_phone(live_server, page):
    # The FIT run is this week's; the GPX run, eight days ago, gives the week a history.
    fit = run_fit(in_this_week(20), seconds=2700, hill_m=60)
    gpx = run_gpx(recent_start(8), seconds=1800)

    # Register: the new runner lands on this week's page.
    register(page, live_server, "phone@example.com")
    assert page.get_by_role("heading", level=1).inner_text() == "This week"
    check(page, "week-new-runner")

    # Upload a FIT and a GPX: results are swapped in (no page load) with a progress bar.
    nav(page, "Upload")
    page.wait_for_url("**/upload")
    check(page, "upload")
    page.evaluate("() => { window.stillHere = true; }")
    page.set_input_files(
        "#files",
        [
            {"name": "hills.fit", "mimeType": "application/octet-stream", "buffer": fit},
            {"name": "easy.gpx", "mimeType": "application/gpx+xml", "buffer": gpx},
        ],
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.locator(".result").nth(1).wait_for()
    assert page.evaluate("() => window.stillHere") is True, "results came by HTMX swap"
    assert page.locator(".badge-imported").count() == 2
    assert page.locator("#upload-status").is_visible()
    assert page.locator("#upload-progress").evaluate("el => el.value") == 100
    assert "Uploaded: 2 files. What became of them is below." == page.locator(
        "#upload-progress-text"
    ).inner_text()
    assert "8.10 km" in page.locator("#upload-results").inner_text()
    check(page, "upload-results")

    # The activity page: summary, route, profiles, splits, per-muscle stimulus.
    page.get_by_role("link", name="Open the run from hills.fit").click()
    page.wait_for_url("**/activities/*")
    assert page.locator("svg.route").is_visible()
    assert page.get_by_role("heading", name="What it did to each muscle").is_visible()
    assert page.locator("table.splits tbody tr").count() == 9
    check(page, "activity")

    nav(page, "Runs")
    page.wait_for_url("**/activities")
    assert page.locator(".activity-row").count() == 2
    check(page, "activities")

    # This week: body map, runs, the session with a reason for each exercise.
    nav(page, "This week")
    page.wait_for_url("**/week")
    assert page.locator("#bodymap svg").is_visible()
    assert page.locator("#bodymap path.muscle.lvl-4").count() >= 1
    assert page.locator(".week-runs li").count() == 1
    session = page.locator("#session-0")
    assert session.locator(".exercise").count() >= 4
    assert session.locator(".why").first.inner_text().strip()
    check(page, "week")

    # Swap the first exercise for another with the same purpose.
    page.evaluate("() => { window.stillHere = true; }")
    first = session.locator(".exercise").first
    before = first.locator(".exercise-name").inner_text()
    first.locator("details.how-to summary").click()  # the swap is under How to
    alternative = first.locator(".alternatives button").first
    chosen = alternative.inner_text()
    alternative.click()
    page.get_by_text(f"Swapped in for {before}").wait_for()
    assert session.locator(".exercise-name").first.inner_text() == chosen
    assert page.evaluate("() => window.stillHere") is True

    # Mark it done, leaving the last exercise unticked.
    boxes = session.locator("input[name=exercises]")
    total = boxes.count()
    boxes.nth(total - 1).uncheck()
    session.get_by_role("button", name="Mark done").click()
    page.get_by_text(f"{total - 1} of {total} exercises").first.wait_for()
    assert session.locator(".badge-imported").inner_text() == "Done"
    assert page.evaluate("() => window.stillHere") is True
    check(page, "week-session-done")

    # Change a setting: miles everywhere, and the plan follows the new days.
    nav(page, "Settings")
    page.wait_for_url("**/settings")
    check(page, "settings")
    page.get_by_label("Miles").check()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Saved. This week's plan now follows your settings.").wait_for()
    check(page, "settings-saved")
    nav(page, "This week")
    page.wait_for_url("**/week")
    assert " mi" in page.locator(".totals").inner_text()


def test_every_step_works_without_javascript(live_server, browser):
    """Plain forms and links: register, upload, see the results page, log a session."""
    from tests.conftest import PHONE

    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        register(page, live_server, "nojs@example.com")

        page.goto(live_server + "/upload")
        page.set_input_files(
            "#files",
            {"name": "run.fit", "mimeType": "application/octet-stream", "buffer": run_fit()},
        )
        page.get_by_role("button", name="Upload", exact=True).click()
        page.wait_for_load_state()
        assert page.locator(".badge-imported").count() == 1
        assert not has_horizontal_scroll(page)
        screenshot(page, "upload-results-no-js")  # axe needs JavaScript: checked above

        page.goto(live_server + "/week")
        session = page.locator("#session-0")
        session.get_by_role("button", name="Mark done").click()
        page.wait_for_load_state()
        assert "/week/" in page.url
        assert session.locator(".badge-imported").inner_text() == "Done"
    finally:
        context.close()


def test_an_export_zip_is_imported_in_the_background_with_a_progress_bar(live_server, page):
    archive = zip_of(
        {
            "export/2025-01-01.fit": run_fit(recent_start(30)),
            "export/2025-01-03.gpx": run_gpx(recent_start(28)),
            "export/readme.txt": b"exported by a watch app",
        }
    )
    register(page, live_server, "zip@example.com")
    nav(page, "Upload")
    page.wait_for_url("**/upload")
    page.set_input_files(
        "#files", {"name": "export.zip", "mimeType": "application/zip", "buffer": archive}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    job = page.locator(".job")
    job.wait_for()
    assert job.locator("progress").count() == 1
    # The fragment polls itself until the job is done, then stops.
    page.get_by_text(
        "Done: 3 files: 2 activities. 2 runs imported, 0 other activities saved, "
        "0 already there; 1 file skipped."
    ).wait_for()
    assert job.get_by_role("link", name="See your week").is_visible()
    assert job.locator("progress").evaluate("el => el.value === el.max")
    assert job.get_attribute("hx-get") is None
    assert page.locator(".job .badge-imported").count() == 2
    check(page, "upload-job")


def test_settings_errors_are_shown_next_to_their_fields(live_server, page):
    register(page, live_server, "typo@example.com")
    nav(page, "Settings")
    page.wait_for_url("**/settings")
    # What a browser without form validation (or a hand-made request) would send.
    page.evaluate("() => document.getElementById('settings-form').noValidate = true")
    page.get_by_label("Maximum (bpm)").fill("400")
    for box in page.locator("input[name=available_days]").all():
        box.uncheck()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Maximum heart rate must be between 120 and 230.").wait_for()
    assert page.get_by_text("Pick at least one day").is_visible()
    assert page.get_by_label("Maximum (bpm)").get_attribute("aria-invalid") == "true"
    check(page, "settings-errors")
