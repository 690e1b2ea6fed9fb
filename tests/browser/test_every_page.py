"""Every HTML page of the app, found in its URL map, at phone size: axe-core clean, no
horizontal scroll, every tap target 44 x 44 px or spaced as much (tap_targets.js). Routes
added later are covered without touching this test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import axe_violations, csp_violations, has_horizontal_scroll, screenshot
from tests.webapp.files import recent_start, run_fit

pytestmark = pytest.mark.browser

# Not pages: files, JSON and downloads. Each has tests of its own.
NOT_PAGES = {
    "static",
    "pwa.manifest",
    "pwa.service_worker",
    "pwa.favicon",
    "account.export",
    "upload.job",  # a job's progress fragment; the walkthrough shows it inside the upload page
    # The email itself (no page landmarks in an email): test_weekly_email_preview checks it
    # with axe's WCAG rules.
    "email.preview",
}


TAP_TARGETS = Path(__file__).with_name("tap_targets.js")


def small_tap_targets(page) -> list[str]:
    """The tap targets of the page below 44 x 44 px without the spacing that makes up for it."""
    return page.evaluate(TAP_TARGETS.read_text(encoding="utf-8"))


def page_urls(app, activity_id: int, user_id: int) -> list[tuple[str, str]]:
    """(endpoint, url) for every GET route that renders a page, with its arguments filled."""
    from webapp.db import new_session
    from webapp.models import User
    from webapp.views.credentials import make_email_token
    from webapp.views.password import make_reset_token
    from webapp.weekly.unsubscribe import unsubscribe_token
    from webapp.weeks import week_label

    with app.app_context():
        session = new_session()
        user = session.get(User, user_id)
        tokens = {
            "password.reset": make_reset_token(user),
            "email.unsubscribe": unsubscribe_token(app.config["SECRET_KEY"], user_id),
            "credentials.confirm_email": make_email_token(user, "new-pages@example.com"),
        }
        session.close()
    week = week_label(recent_start().date())
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            if rule.endpoint.startswith("api."):
                continue
            values = {}
            for arg in rule.arguments:
                if arg == "activity_id":
                    values[arg] = activity_id
                elif arg == "week":
                    values[arg] = week
                elif arg == "index":
                    values[arg] = 0
                elif arg == "year":
                    values[arg] = recent_start().year
                elif arg == "token":
                    values[arg] = tokens[rule.endpoint]
                else:
                    pytest.fail(f"{rule.rule}: teach this test how to fill <{arg}>")
            urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return sorted(set(urls))


def test_every_page_passes_axe_on_a_phone(app, live_server, page):
    from webapp import ingest
    from webapp.auth import create_user
    from webapp.db import new_session

    with app.app_context():
        session = new_session()
        user = create_user(session, "pages@example.com", "correct horse battery")
        session.commit()
        [result] = ingest.ingest(session, user, "hill.fit", run_fit(recent_start(), hill_m=50))
        user_id = user.id
        session.close()
    assert result.status == "imported", result

    urls = page_urls(app, result.activity_id, user_id)
    assert len(urls) >= 15, urls

    checked = []
    small: list[str] = []
    refused = csp_violations(page)  # every page runs under the app's Content-Security-Policy
    # Logged out first (the public pages, and the login page the others send you to) ...
    for _endpoint, url in urls + [("missing", "/no-such-page")]:
        page.goto(live_server + url)
        assert not has_horizontal_scroll(page), f"{url} scrolls sideways (logged out)"
        assert axe_violations(page) == [], f"{url} (logged out)"
        small.extend(f"{url} (logged out): {t}" for t in small_tap_targets(page))
        assert refused == [], f"{url} (logged out) breaks the Content-Security-Policy"
    # ... then logged in, every page.
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill("pages@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/week")
    for endpoint, url in urls + [("missing", "/activities/999999")]:
        response = page.goto(live_server + url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert not has_horizontal_scroll(page), f"{url} scrolls sideways"
        assert axe_violations(page) == [], url
        small.extend(f"{url}: {t}" for t in small_tap_targets(page))
        page.wait_for_load_state("networkidle")
        assert refused == [], f"{url} breaks the Content-Security-Policy"
        screenshot(page, f"page-{endpoint.replace('.', '-')}")
        checked.append(url)
    assert small == [], "tap targets under 44 px:\n" + "\n".join(small)
    assert f"/activities/{result.activity_id}" in checked
    assert "/settings" in checked and "/week" in checked and "/upload" in checked
    # The policy was there to be broken: every page carried it.
    response = page.goto(live_server + "/settings")
    assert "script-src 'self'" in response.headers["content-security-policy"]
