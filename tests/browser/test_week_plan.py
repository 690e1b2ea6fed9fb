"""The week's strength plan on a phone (390 x 844): the first session, its minutes and "Mark
done" within two screens; How to and Why? open; the check-in and the profile form; axe-clean.
Screenshots go to docs/screenshots/ (week-plan.png, week-plan-how-to.png, profile.png)."""

from __future__ import annotations

import pytest

from tests.browser.runners import runner_with
from tests.browser.test_journey import EMAIL, PASSWORD, check, log_in
from tests.webapp.files import in_this_week, recent_start, run_fit

pytestmark = pytest.mark.browser

TWO_SCREENS_PX = 2 * 844


@pytest.fixture
def plan_runner(app):
    """A runner with five weeks of runs (one hilly this week) and no profile yet."""
    days = (3, 6, 10, 13, 17, 20, 24, 27, 31)
    files = [(f"r{d}.fit", run_fit(recent_start(d), seconds=2700)) for d in days]
    files.append(("hill.fit", run_fit(in_this_week(20), seconds=2700, hill_m=80)))
    runner_with(app, EMAIL, PASSWORD, files)


def _bottom_of(page, selector: str) -> float:
    """The bottom edge of the first `selector`, in CSS px from the top of the page."""
    return page.locator(selector).first.evaluate(
        "(el) => el.getBoundingClientRect().bottom + window.scrollY"
    )


def test_the_first_session_and_mark_done_fit_in_two_phone_screens(live_server, page, plan_runner):
    log_in(page, live_server)
    session = page.locator("#session-0")
    session.wait_for()
    assert "min" in session.locator(".badge.minutes").inner_text()
    mark_done = session.locator("button.mark-done")
    assert mark_done.is_visible()
    assert _bottom_of(page, "#session-0") <= TWO_SCREENS_PX, "the whole first session"
    assert _bottom_of(page, "#session-0 button.mark-done") <= TWO_SCREENS_PX
    check(page, "week-plan", top="#plan")
    # How to opens under the exercise: steps, a cue, a fault and the drawing (loaded).
    first = page.locator("#session-0 .exercise").first
    first.locator("details.how-to summary").tap()
    how = first.locator("details.how-to")
    assert how.locator(".steps li").count() >= 3
    assert "Think:" in how.inner_text() and "Watch for:" in how.inner_text()
    drawn = how.locator("img.drawing").evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert drawn, "the drawing is served from static/"
    first.locator("details.why-more summary").tap()
    assert first.locator("details.why-more p").inner_text().strip()
    check(page, "week-plan-how-to", top="#session-0 .exercise")


def test_the_check_in_and_the_profile_form_are_usable_on_a_phone(live_server, page, plan_runner):
    log_in(page, live_server)
    page.get_by_role("button", name="Very sore").tap()
    page.locator(".checkin button[aria-pressed=true]").wait_for()
    assert page.locator(".checkin button[aria-pressed=true]").inner_text() == "Very sore"
    assert "legs very sore today" in page.locator("#plan .flash").inner_text()
    page.get_by_role("link", name="Answer them").tap()
    page.wait_for_url("**/profile")
    assert page.get_by_label("Minutes per session").input_value() == "40"
    page.get_by_label("Minutes per session").fill("200")
    page.get_by_role("button", name="Save and see my plan").tap()
    error = page.locator("#p-minutes-error")
    error.wait_for()
    assert "between 15 and 90" in error.inner_text()
    check(page, "profile")
    page.get_by_label("Minutes per session").fill("30")
    page.get_by_role("button", name="Save and see my plan").tap()
    page.wait_for_url("**/week")
    assert int(page.locator("#session-0 .badge.minutes").inner_text().split()[1]) <= 30


def _in_view(page, selector: str) -> bool:
    """Whether the top of `selector` is on the phone's screen."""
    top = page.locator(selector).evaluate("(el) => el.getBoundingClientRect().top")
    return 0 <= top < 844


def test_mark_done_undo_and_the_short_version_keep_the_session_on_screen(
    live_server, page, plan_runner
):
    """The plan fragment is swapped whole: the runner still sees the session they acted on,
    with what happened, not a screen 2,000 px away."""
    log_in(page, live_server)
    last = page.locator("#plan .session").count() - 1
    card = f"#session-{last}"
    page.locator(f"{card} button.mark-done").scroll_into_view_if_needed()
    page.locator(f"{card} button.mark-done").tap()
    page.locator(f"{card}.done").wait_for()
    page.wait_for_timeout(300)  # htmx's settle and any scrolling after the swap
    assert _in_view(page, card), "after Mark done"
    assert "Marked done" in page.locator(card).inner_text()
    assert "exercises logged" in page.locator(card).inner_text(), "the message beside it"
    page.locator(card).get_by_role("button", name="Undo").tap()
    page.locator(f"{card}:not(.done)").wait_for()
    page.wait_for_timeout(300)
    assert _in_view(page, card), "after Undo"
    assert "open again" in page.locator(card).inner_text()
    short = page.locator(f"{card} details.short-version")
    assert short.count() == 1
    short.locator("summary").tap()
    short.get_by_role("button", name="Mark the short version done").tap()
    page.locator(f"{card}.done").wait_for()
    page.wait_for_timeout(300)
    assert _in_view(page, card), "after the short version done"
