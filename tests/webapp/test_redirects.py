"""`?next=` after login and sign-up: a path on this site only, never another host or a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import set_csrf
from webapp.db import new_session
from webapp.models import User
from webapp.redirects import is_safe_path, safe_next

# What browsers turn into another host (tab/newline dropped, backslash read as slash), schemes,
# and values that cannot be put in a Location header at all.
HOSTILE = [
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    " /week",
    "/\x00week",
    "/" + "a" * 5000,
    "",
]
HOSTILE_QUERY = [
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D%0ALocation:%20//evil.example",
    "//evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https:evil.example",
    "http://evil.example",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_targets_are_refused(value):
    assert not is_safe_path(value)


@pytest.mark.parametrize("value", ["/", "/week", "/week/2026-W48?x=1#plan", "/share/pending"])
def test_paths_on_this_site_are_kept(app, value):
    assert is_safe_path(value)
    with app.test_request_context():
        assert safe_next(value) == value
        assert safe_next("//evil.example") == "/"
        assert safe_next(None, fallback="/week") == "/week"


def _post(client, path, query, email):
    token = set_csrf(client)
    return client.post(
        f"{path}?next={query}",
        data={"email": email, "password": "correct horse", "csrf_token": token},
    )


def _location_is_on_this_site(response) -> None:
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert "evil" not in location and "\\" not in location, location


@pytest.mark.parametrize("query", HOSTILE_QUERY)
def test_login_never_redirects_off_site(client, auth, query):
    auth.register()
    auth.logout()
    response = _post(client, "/auth/login", query, "runner@example.com")
    assert response.status_code == 302
    _location_is_on_this_site(response)


@pytest.mark.parametrize("query", HOSTILE_QUERY)
def test_register_never_redirects_off_site_and_creates_one_account(app, client, query):
    response = _post(client, "/auth/register", query, "new@example.com")
    assert response.status_code == 302
    _location_is_on_this_site(response)
    session = new_session(app)
    try:
        assert session.scalar(select(func.count(User.id))) == 1
    finally:
        session.close()


def test_a_safe_next_is_followed(client, auth):
    auth.register()
    auth.logout()
    response = _post(client, "/auth/login", "/week/2026-W48", "runner@example.com")
    assert response.headers["Location"] == "/week/2026-W48"
