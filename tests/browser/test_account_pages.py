"""The account pages on a phone: forgot password by email, API tokens, export, delete account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.browser.steps import looks_right, open_emailed_link
from tests.conftest import ARTIFACTS
from tests.webapp.factories import add_account, bearer
from tests.webapp.files import recent_start, run_fit

pytestmark = pytest.mark.browser


def test_reset_password_tokens_export_and_delete_on_a_phone(app, live_server, smtp_server, page):
    account = add_account(app, "phone@example.com", token_name="Made by the operator")
    data = {"file": [(io.BytesIO(run_fit(recent_start(1))), "hills.fit")]}
    response = app.test_client().post(
        "/api/v1/activities",
        data=data,
        headers=bearer(account.token),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201

    # Forgot password: the link arrives by email and sets a new password.
    page.goto(live_server + "/auth/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.wait_for_url("**/password/forgot")
    looks_right(page, "password-forgot")
    page.get_by_label("Email").fill("phone@example.com")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    looks_right(page, "password-sent")
    open_emailed_link(page, live_server, smtp_server, "phone@example.com", "/password/reset/")
    looks_right(page, "password-reset")
    page.get_by_label("New password").fill("a brand new password")
    page.get_by_label("The same password again").fill("a brand new password")
    page.get_by_role("button", name="Save the new password").click()
    page.get_by_text("Your password is changed and you are logged in.").wait_for()

    # API tokens in the settings: create (shown once) and revoke, swapped in by HTMX.
    page.goto(live_server + "/settings")
    page.evaluate("() => { window.stillHere = true; }")
    tokens = page.locator("#api-tokens")
    tokens.get_by_label("What is it for?").fill("iPhone Shortcut")
    tokens.get_by_role("button", name="Create a token").click()
    page.locator("#new-token-value").wait_for()
    token = page.locator("#new-token-value").input_value()
    assert token.startswith("ld_")
    assert page.evaluate("() => window.stillHere") is True, "the token came by HTMX swap"
    assert app.test_client().get("/api/v1/activities", headers=bearer(token)).status_code == 200
    looks_right(page, "settings-token-created")
    tokens.screenshot(path=str(ARTIFACTS / "screenshots" / "settings-tokens-part.png"))

    page.on("dialog", lambda dialog: dialog.accept())
    tokens.get_by_role("button", name="Revoke Made by the operator").click()
    tokens.get_by_role("button", name="Revoke Made by the operator").wait_for(state="detached")
    assert tokens.locator(".token-list li").count() == 1
    assert (
        app.test_client().get("/api/v1/activities", headers=bearer(account.token)).status_code
        == 401
    )

    # Export: a zip with the original file and the summaries.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export everything (.zip)").click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert any(name.endswith("hills.fit") for name in archive.namelist())
    assert len(json.loads(archive.read("activities.json"))["activities"]) == 1

    # Delete the account: a wrong confirmation first, then the email.
    page.get_by_label("Type your email or password to confirm").fill("not me")
    page.get_by_role("button", name="Delete my account and data").click()
    page.get_by_text("nothing was deleted").wait_for()
    looks_right(page, "delete-account-refused")
    page.get_by_label("Type your email or password to confirm").fill("phone@example.com")
    page.get_by_role("button", name="Delete my account and data").click()
    page.get_by_text("Your account and all its data are deleted.").wait_for()
    looks_right(page, "account-deleted")
    assert app.test_client().get("/api/v1/activities", headers=bearer(token)).status_code == 401
