"""On a phone (390x844): the weekly-email offer after the first upload, Settings' account section
(log out other devices, change password, change email by link) and an activity's edit form.
Each page axe-clean, no CSP refusal, no sideways scroll; screenshots for people to look at."""

from __future__ import annotations

import re

import pytest

from tests.browser.steps import looks_right, open_emailed_link
from tests.conftest import ARTIFACTS, csp_violations
from tests.webapp.factories import add_account
from tests.webapp.files import recent_start, run_fit

pytestmark = pytest.mark.browser


def part(locator, name: str) -> None:
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(ARTIFACTS / "screenshots" / f"{name}.png"))


def test_account_section_email_offer_and_activity_edit_on_a_phone(
    app, live_server, smtp_server, page, tmp_path
):
    refused = csp_violations(page)
    add_account(app, "phone@example.com")
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill("phone@example.com")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/week**")

    # The first upload offers the weekly email; one tap turns it on (an HTMX swap).
    run = tmp_path / "first-run.fit"
    run.write_bytes(run_fit(recent_start(1)))
    page.goto(live_server + "/upload")
    page.set_input_files("#files", str(run))
    page.get_by_role("button", name="Upload").click()
    offer = page.locator("#email-offer")
    offer.get_by_role("button", name="Send me this every Monday").wait_for()
    looks_right(page, "upload-email-offer")
    part(offer, "upload-email-offer-part")
    offer.get_by_role("button", name="Send me this every Monday").click()
    page.get_by_text("the weekly email comes every Monday").wait_for()
    part(page.locator("#email-offer"), "upload-email-offer-taken")

    # The activity's edit form: a walk that was a race, left out of the load.
    page.get_by_role("link", name=re.compile("Open the run")).click()
    page.wait_for_url("**/activities/*")
    form = page.locator("#edit-activity")
    form.scroll_into_view_if_needed()
    looks_right(page, "activity-edit-form")
    part(form, "activity-edit-form-part")
    form.get_by_label("Sport").select_option("walking")
    form.get_by_label("This was a race").check()
    form.get_by_label("Leave this out of my load").check()
    form.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. Your week and this week's plan now follow the change.").wait_for()
    assert page.locator("#sport").input_value() == "walking"
    # Left out of the load: the page says so (not that its load counts, as a walk's would).
    walk_note = "You left this walk out of your load"
    assert page.get_by_text(walk_note).is_visible()
    assert page.get_by_text("its load on your legs counts").count() == 0
    looks_right(page, "activity-edited")

    # Settings → Account and devices.
    page.goto(live_server + "/settings")
    account = page.locator("#account")
    account.scroll_into_view_if_needed()
    looks_right(page, "settings-account")
    part(account, "settings-account-part")
    account.get_by_role("button", name="Log out other devices").click()
    page.get_by_text("Every other device is logged out. This one stays logged in.").wait_for()

    page.locator("#account").get_by_role("link", name="Change password").click()
    page.wait_for_url("**/settings/password")
    page.get_by_label("Current password").fill("correct horse")
    page.get_by_label("New password", exact=True).fill("a longer new password")
    page.get_by_label("The new password again").fill("a longer new password")
    looks_right(page, "settings-change-password")
    page.get_by_role("button", name="Change the password").click()
    page.get_by_text("Your password is changed.").wait_for()

    page.locator("#account").get_by_role("link", name="Change email").click()
    page.wait_for_url("**/settings/email")
    page.get_by_label("New email").fill("new-phone@example.com")
    page.get_by_label("Current password").fill("a longer new password")
    looks_right(page, "settings-change-email")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your new email").wait_for()
    looks_right(page, "settings-email-sent")
    open_emailed_link(
        page, live_server, smtp_server, "new-phone@example.com", "/settings/email/confirm/"
    )
    looks_right(page, "settings-email-confirm")
    page.get_by_role("button", name="Use this email").click()
    page.get_by_text("Your email is now new-phone@example.com.").wait_for()
    assert page.locator("#account").get_by_text("new-phone@example.com").is_visible()
    (notice,) = smtp_server.to("phone@example.com")
    assert notice["Subject"] == "Your Legday email was changed"
    assert refused == [], refused
