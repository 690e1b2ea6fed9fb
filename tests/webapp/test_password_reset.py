"""Password reset through a real SMTP server: ask, receive the email, follow its link."""

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import set_csrf

SENT = "If an account uses"
LINK_RE = re.compile(r"https?://\S+/password/reset/\S+")


def ask_for_reset(client, email: str):
    token = set_csrf(client)
    return client.post("/password/forgot", data={"email": email, "csrf_token": token})


def without_csrf_token(html: str) -> str:
    tokens = set(re.findall(r'"X-CSRF-Token": "([^"]+)"', html))
    assert len(tokens) == 1, "one CSRF token per page"
    return html.replace(tokens.pop(), "TOKEN")


def reset_link(smtp_server, email: str) -> str:
    (message,) = smtp_server.to(email)
    assert message["To"] == email
    assert message["Subject"] == "Reset your Legday password"
    return LINK_RE.search(message.get_content()).group(0)


def choose_password(client, link: str, password: str, confirm: str | None = None):
    token = set_csrf(client)
    return client.post(
        urlsplit(link).path,
        data={"password": password, "confirm": confirm or password, "csrf_token": token},
    )


@pytest.fixture
def registered(auth, client):
    auth.register("runner@example.com", "old password")
    auth.logout()
    client.get("/password/forgot")  # shows (and so clears) the "logged out" message


def test_login_page_links_to_the_form(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in html and "Forgot password?" in html
    assert client.get("/password/forgot").status_code == 200


def test_the_link_in_the_email_sets_a_new_password_once(app, client, auth, smtp_server, registered):
    response = ask_for_reset(client, "Runner@Example.com")
    assert response.status_code == 200 and SENT in response.get_data(as_text=True)
    link = reset_link(smtp_server, "runner@example.com")
    assert link.startswith(app.config["BASE_URL"] + "/password/reset/")
    assert smtp_server.envelopes[0].rcpt_tos == ["runner@example.com"]

    form = client.get(urlsplit(link).path)
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)
    response = choose_password(client, link, "new password")
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" in session  # logged in by the reset

    auth.logout()
    assert auth.login("runner@example.com", "old password").status_code == 422
    assert auth.login("runner@example.com", "new password").status_code == 302

    # Single use: the new password hash no longer matches the link's signature.
    auth.logout()
    again = client.get(urlsplit(link).path)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert choose_password(client, link, "third password").status_code == 400
    assert auth.login("runner@example.com", "new password").status_code == 302


def test_same_answer_for_an_unknown_address_and_no_email(client, smtp_server, registered):
    known = ask_for_reset(client, "runner@example.com")
    unknown = ask_for_reset(client, "stranger@example.com")
    assert unknown.status_code == known.status_code == 200
    # Flask-WTF signs the page's CSRF token with the second it was made: the same secret can
    # read differently from one second to the next, and says nothing about the address.
    as_text = [
        without_csrf_token(r.get_data(as_text=True)).replace(e, "")
        for r, e in ((known, "runner@example.com"), (unknown, "stranger@example.com"))
    ]
    assert as_text[0] == as_text[1]
    assert len(smtp_server.messages) == 1
    assert smtp_server.to("stranger@example.com") == []


def test_same_answer_when_the_mail_server_is_down(app, client, registered):
    app.config["SMTP_URL"] = None  # nothing can be sent; the page must not say so
    response = ask_for_reset(client, "runner@example.com")
    assert response.status_code == 200 and SENT in response.get_data(as_text=True)


def test_an_expired_link_is_refused(app, client, auth, smtp_server, registered):
    ask_for_reset(client, "runner@example.com")
    link = reset_link(smtp_server, "runner@example.com")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # every link is older than that
    response = choose_password(client, link, "new password")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert auth.login("runner@example.com", "old password").status_code == 302


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + "xx", lambda t: "nonsense", lambda t: t + "a"]
)
def test_a_tampered_link_is_refused(client, smtp_server, registered, mangle):
    ask_for_reset(client, "runner@example.com")
    token = reset_link(smtp_server, "runner@example.com").rsplit("/", 1)[1]
    response = client.get(f"/password/reset/{mangle(token)}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_a_link_dies_when_the_password_changes_otherwise(app, client, smtp_server, registered):
    ask_for_reset(client, "runner@example.com")
    first = reset_link(smtp_server, "runner@example.com")
    smtp_server.clear()
    ask_for_reset(client, "runner@example.com")
    second = reset_link(smtp_server, "runner@example.com")
    assert choose_password(client, second, "new password").status_code == 302
    assert client.get(urlsplit(first).path).status_code == 400


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [("short", "short", "at least 8"), ("long enough", "different one", "differ")],
)
def test_the_new_password_is_validated(
    client, auth, smtp_server, registered, password, confirm, message
):
    ask_for_reset(client, "runner@example.com")
    link = reset_link(smtp_server, "runner@example.com")
    response = choose_password(client, link, password, confirm)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert auth.login("runner@example.com", "old password").status_code == 302
