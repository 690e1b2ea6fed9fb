"""A runner who imports three years of runs, on a phone (390x844): home lands on a week with
runs, and any week of the history is two taps away (All weeks -> the week)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.test_journey import check
from tests.conftest import axe_violations, has_horizontal_scroll, screenshot
from tests.webapp.files import run_fit, zip_of
from webapp.weeks import week_label

pytestmark = pytest.mark.browser

RUNS = 30
SPACING_DAYS = 36  # 30 runs, one every 36 days: about three years of history


def history_zip() -> tuple[bytes, list[datetime]]:
    """30 FIT runs spread over three years, none in the current week, as one zip."""
    now = datetime.now(UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    monday = now - timedelta(days=now.weekday())
    starts = [monday - timedelta(days=3 + i * SPACING_DAYS) for i in range(RUNS)]
    members = {
        f"run-{i:02d}.fit": run_fit(start, seconds=900 + (i % 4) * 450, hill_m=20 + (i % 3) * 30)
        for i, start in enumerate(starts)
    }
    return zip_of(members), starts


def page_shape(page) -> dict:
    """How many site headers, main navigations, <main> and <h1> the page has."""
    return page.evaluate(
        """() => ({header: document.querySelectorAll('header.site-header').length,
                   nav: document.querySelectorAll('nav[aria-label="Main"]').length,
                   main: document.querySelectorAll('main').length,
                   h1: document.querySelectorAll('h1').length})"""
    )


def assert_one_page(page, where: str) -> None:
    assert page_shape(page) == {"header": 1, "nav": 1, "main": 1, "h1": 1}, where


def test_an_imported_history_lands_on_a_week_with_runs_and_any_week_is_two_taps_away(
    live_server, page
):
    data, starts = history_zip()
    page.goto(live_server + "/auth/register")
    page.get_by_label("Email").fill("history@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/week")

    # Import the history through the upload page, as a runner would.
    page.goto(live_server + "/upload")
    page.set_input_files(
        "#files", [{"name": "export.zip", "mimeType": "application/zip", "buffer": data}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    done = rf"Done: {RUNS} files: {RUNS} activities\. {RUNS} runs imported"
    page.get_by_text(re.compile(done)).wait_for(timeout=240_000)

    # Home: this week is empty, so the week of the last run, saying so.
    page.get_by_role("link", name="Legday home").click()
    page.wait_for_url("**/week")
    assert_one_page(page, "home")
    notice = page.locator(".week-notice").inner_text()
    last = starts[0]
    assert f"No runs yet this week — here is the week of your last run, {last.day} " in notice
    assert f"{last:%b %Y}" in notice
    assert page.locator(".week-runs li").count() == 1
    assert page.locator("#map-h").inner_text() == "Your legs that week"
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == [], "home with a history"
    screenshot(page, "weeks-home-history")
    check(page, "home-history")

    # Tap 1: All weeks. The newest year is there; older years load as they scroll into view.
    page.get_by_role("link", name="All weeks").click()
    page.wait_for_url("**/weeks")
    assert_one_page(page, "calendar")
    check(page, "calendar")
    years = sorted({(s - timedelta(days=s.weekday())).year for s in starts}, reverse=True)
    assert len(years) >= 3
    for year in years:
        page.locator(f"#year-{year}").scroll_into_view_if_needed()
        page.locator(f"#year-{year} .cal-week").first.wait_for()
    assert page.locator(".cal-week").count() == RUNS  # one run per week, every week listed
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == [], "calendar"
    screenshot(page, "weeks-calendar")
    assert_one_page(page, "calendar with every year loaded")

    # Tap 2: the oldest week opens, with its year in the heading and its run listed.
    oldest = starts[-1]
    page.locator(".cal-week").last.click()
    page.wait_for_url(re.compile(r".*/week/\d{4}-W\d{2}$"))
    assert_one_page(page, "oldest week")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Week of ") and heading.endswith(str(oldest.year)), heading
    assert page.locator(".week-runs li").count() == 1
    assert f"{oldest.day} {oldest:%b}" in page.locator(".week-runs").inner_text()
    check(page, "week-past", top="#trend-h")

    # The activity links back to its week; the picker on All weeks opens any week from a date.
    page.locator(".week-runs a").first.click()
    page.wait_for_url("**/activities/*")
    page.get_by_role("link", name="Its week").click()
    page.wait_for_url(re.compile(r".*/week/\d{4}-W\d{2}$"))
    assert page.get_by_role("heading", level=1).inner_text() == heading
    page.get_by_role("link", name="All weeks").click()
    page.wait_for_url("**/weeks")
    middle = starts[RUNS // 2]
    page.get_by_label("Week of", exact=True).fill(middle.date().isoformat())
    page.get_by_role("button", name="Open", exact=True).click()
    page.wait_for_url(f"**/week/{week_label(middle.date() - timedelta(days=middle.weekday()))}")
    assert_one_page(page, "picked week")
    assert f"{middle.day} {middle:%b}" in page.locator(".week-runs").inner_text()
