"""CSRF (Flask-WTF's CSRFProtect): forms and the X-CSRF-Token header, with no time limit."""

import re
import time

import itsdangerous
import pytest
from sqlalchemy import func, select

from webapp.db import new_session
from webapp.models import ApiToken

HOURS = 3600


def page_token(client, url="/settings") -> str:
    """The token a real page carries in <body hx-headers> (what HTMX and the queue send)."""
    html = client.get(url).get_data(as_text=True)
    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def token_count(app) -> int:
    with app.app_context():
        db = new_session()
        count = db.scalar(select(func.count(ApiToken.id)))
        db.close()
    return count


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/settings/tokens", {"name": "phone"}),
        ("/auth/logout", {}),
        ("/upload", {}),
        ("/settings", {"timezone": "UTC"}),
    ],
)
def test_a_form_post_without_a_token_is_refused_with_a_page(app, client, auth, url, data):
    auth.register()
    response = client.post(url, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This form has expired. Reload the page and try again." in html
    assert "<html" in html and "token is missing" not in html
    assert token_count(app) == 0
    assert client.get("/settings").status_code == 200, "still logged in: logout was refused"


def test_a_forged_or_foreign_token_is_refused(app, client, auth):
    auth.register()
    stranger = app.test_client()
    AuthActionsForStranger = type(auth)
    AuthActionsForStranger(stranger).register("other@example.com")
    for forged in ("test-csrf-token", page_token(stranger), page_token(client) + "x"):
        response = client.post(
            "/settings/tokens", data={"name": "x"}, headers={"X-CSRF-Token": forged}
        )
        assert response.status_code == 400
    assert token_count(app) == 0


@pytest.mark.parametrize("header", ["X-CSRF-Token", "X-CSRFToken"])
def test_the_htmx_header_token_from_the_page_is_accepted(app, client, auth, header):
    auth.register()
    response = client.post(
        "/settings/tokens",
        data={"name": "iPhone Shortcut"},
        headers={header: page_token(client), "HX-Request": "true", "HX-Target": "api-tokens"},
    )
    assert response.status_code == 201
    assert token_count(app) == 1


class _SignedLongAgo(itsdangerous.TimestampSigner):
    hours = 0.0

    def get_timestamp(self) -> int:
        return int(time.time() - self.hours * HOURS)


def _token_signed_hours_ago(app, client, hours: float) -> str:
    """The page's token as it was signed `hours` ago (the session's secret, Flask-WTF's salt)."""
    fresh = page_token(client)
    with client.session_transaction() as session:
        secret = session["csrf_token"]
    signer = type("Signer", (_SignedLongAgo,), {"hours": hours})
    old = itsdangerous.URLSafeTimedSerializer(
        app.secret_key, salt="wtf-csrf-token", signer=signer
    ).dumps(secret)
    assert old.split(".")[0] == fresh.split(".")[0], "same secret as the page's token"
    assert old != fresh, "signed at another time"
    return old


@pytest.mark.parametrize(
    ("time_limit", "status", "tokens"),
    [
        ("app's own", 200, 1),
        # The control: with a time limit the same token is refused, so it really is old.
        (3600, 400, 0),
    ],
)
def test_a_token_signed_30_hours_ago_is_still_accepted(
    app, client, auth, time_limit, status, tokens
):
    # The offline queue replays an upload hours later with the token it was queued with.
    if time_limit == "app's own":
        assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    else:
        app.config["WTF_CSRF_TIME_LIMIT"] = time_limit
    auth.register()
    old = _token_signed_hours_ago(app, client, hours=30)
    response = client.post(
        "/settings/tokens", data={"name": "later"}, headers={"X-CSRF-Token": old}
    )
    assert response.status_code == status
    assert token_count(app) == tokens
