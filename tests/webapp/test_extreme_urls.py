"""Every route of the URL map, with extreme values in each of its parts and in `?page=`,
logged out and logged in: never a 5xx. And the error page itself renders for a logged-in user."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.conftest import AuthActions
from webapp.db import get_session

EXTREMES = [
    "0001-W01",
    "9999-W52",
    "2026-W00",
    "2026-W54",
    str(2**63),
    str(2**64),
    str(2**64 + 1),
    "9" * 400,
    "-1",
    "0",
    "abc",
    "%0A",
    "..%2F..%2Fetc%2Fpasswd",
]
PAGES = ["0", "-1", str(2**64), "9" * 400, "abc"]
ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def _requests(app):
    """(method, url) for each route x extreme value (every argument at once) x `?page=`."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for value in EXTREMES:
            url = ARGUMENT.sub(value, rule.rule)
            out += [(method, url) for method in methods]
            if not rule.arguments:
                break
        base = ARGUMENT.sub("1", rule.rule)
        out += [("GET", f"{base}?page={p}&per_page={p}") for p in PAGES if "GET" in methods]
    # Logging out (and deleting the account) last, so that everything else runs logged in.
    return sorted(out, key=lambda request: request[1].startswith(("/auth/logout", "/settings/d")))


def _sweep(client, auth, requests) -> list[tuple[str, str, int]]:
    failures = []
    for method, url in requests:
        if method == "GET":
            response = client.get(url)
        else:
            response = auth.post(url) if method == "POST" else client.open(url, method=method)
        response.close()
        if response.status_code >= 500:
            failures.append((method, url, response.status_code))
    return failures


def test_no_route_answers_5xx_to_extreme_values(app, client, auth):
    requests = _requests(app)
    assert len(requests) > 300
    assert _sweep(client, auth, requests) == [], "logged out"
    auth.register()
    last = [r for r in requests if r[1].startswith(("/auth/logout", "/settings/d"))]
    assert _sweep(client, auth, requests[: -len(last)]) == [], "logged in"
    # Still logged in: the sweep did run with the user.
    assert client.get("/week").status_code == 200
    assert _sweep(client, auth, last) == []


@pytest.mark.parametrize(
    "url", ["/week/0001-W01", "/week/9999-W52", "/activities/18446744073709551616"]
)
def test_extreme_pages_are_404_for_the_runner(client, auth, url):
    auth.register()
    response = client.get(url)
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)
    assert auth.post(url.replace("/week/", "/week/", 1) + "/sessions/0/done").status_code == 404


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52"])
def test_extreme_weeks_are_400_on_the_api(client, week):
    from tests.webapp.factories import add_account

    account = add_account(client.application)
    response = client.get(
        f"/api/v1/weeks/{week}", headers={"Authorization": f"Bearer {account.token}"}
    )
    assert response.status_code == 400 and "not a week" in response.get_json()["error"]


def test_an_extreme_page_number_shows_an_empty_page(client, auth):
    auth.register()
    assert client.get(f"/activities?page={2**64}").status_code == 200


@pytest.mark.parametrize("race", ["0001-01-01", "9999-12-31"])
def test_a_race_date_out_of_range_is_refused_and_the_week_page_stands(client, auth, race):
    auth.register()
    response = auth.post("/settings", data={"race_date": race, "units": "metric"})
    assert response.status_code == 422
    assert "between 1970 and 2100" in response.get_data(as_text=True)
    assert client.get("/week").status_code == 200


def test_the_error_page_renders_for_a_logged_in_runner(app_config):
    from webapp import create_app

    app = create_app(dict(app_config, PROPAGATE_EXCEPTIONS=False))

    @app.route("/broken")
    def broken():
        # A failed statement (on PostgreSQL the transaction is then aborted), then a crash.
        try:
            get_session().execute(text("SELECT * FROM no_such_table"))
        except Exception:
            pass
        raise RuntimeError("secret internals")

    client = app.test_client()
    AuthActions(client).register()
    response = client.get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "secret internals" not in html
    assert "Log out" in html  # the page knows who is logged in
    assert "Content-Security-Policy" in response.headers
