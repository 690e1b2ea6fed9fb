"""Saving Settings on a phone logs no Content-Security-Policy refusal."""

from __future__ import annotations

import re

import pytest

from tests.browser.runners import runner_with
from tests.browser.test_journey import log_in
from tests.conftest import PHONE, csp_violations
from tests.webapp.files import recent_start, run_fit

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "csp@example.com", "correct horse battery"


@pytest.fixture
def berlin_page(browser):
    """A phone whose clock is in Berlin (the account is in UTC: Settings offers the device's
    zone)."""
    context = browser.new_context(**PHONE, timezone_id="Europe/Berlin")
    yield context.new_page()
    context.close()


def test_saving_settings_with_units_zone_and_email_logs_no_csp_refusal(
    app, live_server, berlin_page
):
    page = berlin_page
    runner_with(app, EMAIL, PASSWORD, [("a.fit", run_fit(recent_start(2)))])
    refused = csp_violations(page)
    log_in(page, live_server, EMAIL)
    page.goto(live_server + "/settings")
    page.get_by_role("button", name=re.compile("Use this device")).click()
    page.get_by_label("Miles").check()
    page.get_by_label(re.compile("Send me last week")).check()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Saved").first.wait_for()
    page.wait_for_timeout(500)
    assert refused == [], refused
