"""Settings → Account: log out other devices, change password, change email (by a link sent
through the real local SMTP server); what each does to this device and to a copied cookie."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from_html, set_csrf
from tests.webapp.test_password_reset import ask_for_reset, choose_password, reset_link
from webapp.db import new_session
from webapp.models import User

EMAIL_LINK = re.compile(r"https?://\S+/settings/email/confirm/\S+")


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    assert other.get("/settings").status_code == 200, "the copied cookie works at first"
    return other


def post_page_form(client, path: str, **data):
    """Post the form of the page at `path` with its own CSRF token."""
    html = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_from_html(html), **data})


def stored_email(app) -> str:
    with app.app_context():
        session = new_session()
        email = session.scalar(select(User.email))
        session.close()
    return email


def end_others(client):
    return client.post("/settings/sessions/end-others", data={"csrf_token": set_csrf(client)})


def change_password(client, current="correct horse", new="a new password", confirm=None):
    return post_page_form(
        client, "/settings/password", current=current, password=new, confirm=confirm or new
    )


def reset_by_email(client, auth, smtp_server):
    ask_for_reset(client, "runner@example.com")
    return choose_password(client, reset_link(smtp_server, "runner@example.com"), "a new password")


@pytest.mark.parametrize("how", ["log out other devices", "change password", "password reset"])
def test_a_copied_cookie_is_refused_and_this_device_stays_in(app, client, auth, smtp_server, how):
    auth.register()
    thief = copy_of(app, client)
    if how == "log out other devices":
        response = end_others(client)
    elif how == "change password":
        response = change_password(client)
    else:
        response = reset_by_email(client, auth, smtp_server)
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200, "this device stays logged in"
    refused = thief.get("/settings")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/auth/login")
    assert thief.get("/api/v1/activities").status_code == 401


def test_a_plain_logout_ends_this_devices_session_only(app, client, auth):
    auth.register()
    laptop = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(laptop).login()
    assert laptop.get("/settings").status_code == 200
    auth.logout()
    assert client.get("/settings").status_code == 302
    assert laptop.get("/settings").status_code == 200, "the other device is still logged in"


def test_settings_show_the_account_section(client, auth):
    auth.register()
    html = client.get("/settings").get_data(as_text=True)
    assert 'id="account"' in html and "runner@example.com" in html
    for text in ("Log out other devices", 'href="/settings/password"', 'href="/settings/email"'):
        assert text in html
    assert client.get("/settings/password").status_code == 200
    assert client.get("/settings/email").status_code == 200


def test_change_password_needs_the_current_one(app, client, auth):
    auth.register()
    thief = copy_of(app, client)
    wrong = change_password(client, current="not my password")
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    differ = change_password(client, confirm="something else")
    assert differ.status_code == 422 and "passwords differ" in differ.get_data(as_text=True)
    short = change_password(client, new="short")
    assert short.status_code == 422
    assert thief.get("/settings").status_code == 200, "nothing changed: no one logged out"

    assert change_password(client).status_code == 302
    auth.logout()
    assert auth.login(password="correct horse").status_code == 422
    assert auth.login(password="a new password").status_code == 302


def test_wrong_current_passwords_are_throttled_per_account(client, auth):
    auth.register()
    codes = [change_password(client, current=f"guess {n}").status_code for n in range(7)]
    assert codes[:5] == [422] * 5 and codes[5:] == [429, 429]


def test_an_email_change_takes_effect_when_the_link_is_opened(app, client, auth, smtp_server):
    auth.register()
    thief = copy_of(app, client)
    sent = post_page_form(
        client, "/settings/email", email="New@Example.com", current="correct horse"
    )
    assert sent.status_code == 200 and "Check your new email" in sent.get_data(as_text=True)
    (message,) = smtp_server.to("new@example.com")
    assert smtp_server.envelopes[0].rcpt_tos == ["new@example.com"]
    assert message["Subject"] == "Confirm your new Legday email"
    link = EMAIL_LINK.search(message.get_content()).group(0)
    assert link.startswith(app.config["BASE_URL"] + "/settings/email/confirm/")
    assert stored_email(app) == "runner@example.com", "nothing changes before the link"

    # Opened on another device (logged out): a GET shows the button and changes nothing.
    phone = app.test_client()
    path = urlsplit(link).path
    page = phone.get(path)
    assert page.status_code == 200 and "new@example.com" in page.get_data(as_text=True)
    assert stored_email(app) == "runner@example.com"
    confirmed = post_page_form(phone, path)
    assert confirmed.status_code == 302
    assert stored_email(app) == "new@example.com"

    (notice,) = smtp_server.to("runner@example.com")
    assert notice["Subject"] == "Your Legday email was changed"
    assert "new@example.com" in notice.get_content()
    assert thief.get("/settings").status_code == 200, "an email change logs no one out"
    auth.logout()
    assert auth.login("runner@example.com").status_code == 422
    assert auth.login("new@example.com").status_code == 302
    # The link worked once: the address it was signed with is gone.
    assert phone.get(path).status_code == 400


def test_an_email_change_is_refused_without_the_password_or_for_a_taken_address(
    app, client, auth, smtp_server
):
    auth.register("taken@example.com")
    auth.logout()
    auth.register()
    wrong = post_page_form(client, "/settings/email", email="new@example.com", current="nope")
    assert wrong.status_code == 422
    taken = post_page_form(
        client, "/settings/email", email="taken@example.com", current="correct horse"
    )
    assert taken.status_code == 422 and "Another account" in taken.get_data(as_text=True)
    invalid = post_page_form(client, "/settings/email", email="nope", current="correct horse")
    assert invalid.status_code == 422
    assert smtp_server.messages == []


def test_an_email_link_dies_with_time_and_with_a_password_change(app, client, auth, smtp_server):
    auth.register()
    post_page_form(client, "/settings/email", email="new@example.com", current="correct horse")
    path = urlsplit(EMAIL_LINK.search(smtp_server.messages[0].get_content()).group(0)).path
    app.config["EMAIL_CHANGE_MAX_AGE"] = -1
    expired = client.get(path)
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)
    app.config["EMAIL_CHANGE_MAX_AGE"] = 3600
    assert client.get(path).status_code == 200
    change_password(client)
    assert client.get(path).status_code == 400
    assert client.post(path, data={"csrf_token": set_csrf(client)}).status_code == 400
    assert stored_email(app) == "runner@example.com"


def test_the_email_change_says_so_when_mail_cannot_be_sent(app, client, auth):
    auth.register()  # SMTP_URL is not set in the tests' app
    failed = post_page_form(
        client, "/settings/email", email="new@example.com", current="correct horse"
    )
    assert failed.status_code == 422
    assert "could not be sent" in failed.get_data(as_text=True)
    assert stored_email(app) == "runner@example.com"


def test_a_forged_email_link_with_a_huge_id_is_a_400(app, client):
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("not the key").dumps({"user": 2**70, "email": "x@example.com"})
    for token in (forged, "garbage", "a.b.c"):
        assert client.get(f"/settings/email/confirm/{token}").status_code == 400
    # The reset link reads its payload the same way.
    reset = URLSafeTimedSerializer("not the key").dumps(2**70)
    assert client.get(f"/password/reset/{reset}").status_code == 400
