"""The weekly email in the browser: its preview on the settings page, and the email itself."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import axe_violations, has_horizontal_scroll, inject_axe, screenshot
from tests.webapp.factories import PASSWORD, add_account, add_activity

pytestmark = pytest.mark.browser


def _log_in(page, live_server, email):
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_settings_shows_this_weeks_email_on_a_phone(app, live_server, page):
    account = add_account(app, "me@example.com")
    add_activity(app, account.id, name="Hill reps", start=datetime.now(UTC) - timedelta(days=7))
    _log_in(page, live_server, account.email)

    page.goto(live_server + "/settings")
    # The preview sits below the profile and the settings, several screens down; its frame loads
    # lazily (loading="lazy": no digest is built for a visit that never gets there), so the
    # runner scrolls to it, as here, and it loads.
    page.locator("#email-preview-title").scroll_into_view_if_needed()
    frame = page.frame_locator('iframe[title="Preview of this week\'s email"]')
    frame.locator("h1").wait_for()
    assert "Hill reps" in frame.locator("body").inner_text()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.locator("#email-preview-title").scroll_into_view_if_needed()
    screenshot(page, "settings-email-preview")


def test_the_email_itself_fits_a_phone_and_passes_axe(app, live_server, page):
    account = add_account(app, "me@example.com")
    add_activity(app, account.id, name="Hill reps", start=datetime.now(UTC) - timedelta(days=7))
    _log_in(page, live_server, account.email)
    page.goto(live_server + "/settings/email-preview")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Last week: 1 run")
    assert not has_horizontal_scroll(page)
    # WCAG rules only: the landmark rules (best practice) are for pages, and an email is shown
    # inside the mail client's own page, within its landmarks.
    assert wcag_violations(page) == []
    screenshot(page, "weekly-email")


def wcag_violations(page) -> list[dict]:
    inject_axe(page)
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']}))
            .violations.map(v => ({id: v.id, targets: v.nodes.map(n => n.target.join(' '))}))"""
    )
