"""Back after logging out on a shared phone: the runner's week must not come back from the
browser's cache (their runs, plan and weights); the login page does."""

from __future__ import annotations

import pytest

from tests.browser.test_journey import log_in, runner_data  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


def test_back_after_logging_out_does_not_show_the_week(live_server, page, runner_data):  # noqa: F811
    log_in(page, live_server)
    page.locator("#plan").wait_for()
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You are logged out.").wait_for()
    page.go_back()
    page.get_by_label("Password").wait_for()  # the server asks who it is
    assert page.locator("#plan").count() == 0, "the week came back from a cache"
    assert "Strength" not in page.inner_text("body")
