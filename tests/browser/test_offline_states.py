"""Offline, one clear message per state: the offline page alone (no banner contradicting it),
a saved copy, a live page that lost its connection, and a form sent with no connection."""

from __future__ import annotations

import pytest

from tests.browser.test_journey import log_in, runner_data  # noqa: F401  (a fixture)
from tests.browser.test_pwa import (  # noqa: F401  (app_page, profile: fixtures)
    CONTROLLED,
    app_page,
    profile,
    register,
    until,
    wait_for_saved,
)

pytestmark = pytest.mark.browser
SAVED = "This is the copy saved on this phone"
LIVE = "links and buttons need the connection back"


def test_each_offline_state_says_one_thing(live_server, app_page, profile):  # noqa: F811
    register(app_page, live_server)
    app_page.evaluate("localStorage.setItem('legday-install-hint-dismissed', '1')")
    app_page.goto(live_server + "/week")
    until(app_page, CONTROLLED)
    app_page.reload()
    wait_for_saved(app_page, "/week")

    # Online page, then the connection drops: the page is current, its links wait.
    profile.set_offline(True)
    banner = app_page.locator("#offline-banner")
    banner.wait_for()
    assert LIVE in banner.inner_text() and SAVED not in banner.inner_text()

    # A page opened offline from the saved copy.
    app_page.goto(live_server + "/week")
    banner.wait_for()
    assert SAVED in banner.inner_text() and LIVE not in banner.inner_text()

    # A page never saved: the offline page says so, and no banner claims it is a saved copy.
    app_page.goto(live_server + "/settings")
    app_page.get_by_role("heading", name="You are offline").wait_for()
    app_page.wait_for_timeout(300)
    assert app_page.locator("#offline-banner").count() == 0
    assert "has not been saved" in app_page.inner_text("main")


def test_a_swap_tried_offline_says_it_needs_a_connection(
    app,
    live_server,
    page,
    runner_data,  # noqa: F811
):
    """As a runner does it: open the How to of the first exercise that has alternatives, lose
    the connection, tap one. The note under the swap says so; nothing was sent or changed."""
    log_in(page, live_server)
    names = page.locator("#plan .exercise-name")
    before = names.all_inner_texts()
    exercise = page.locator("#plan .exercise:has(details.how-to form.swap)").first
    how = exercise.locator("details.how-to")
    how.locator("summary").tap()
    swap = how.locator("form.swap")
    swap.wait_for()
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    page.context.set_offline(True)
    alternative = swap.locator("button[name=to]").first
    alternative.tap()
    note = how.locator("form.swap + .offline-note")
    note.wait_for()
    assert "You are offline: this needs a connection" in note.inner_text()
    assert note.get_attribute("role") == "alert"
    page.wait_for_timeout(300)  # a request htmx had sent would have shown by now
    assert posted == []
    assert names.all_inner_texts() == before, "the plan is unchanged"
    assert how.get_attribute("open") is not None, "not swapped out: the How to is still open"
    assert page.locator("#plan", has_text="Swapped in for").count() == 0
    page.context.set_offline(False)
