from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.webapp.factories import add_account, add_activity, bearer
from webapp.db import new_session
from webapp.models import Activity, ApiToken, OriginalFile


@pytest.fixture
def account(app):
    return add_account(app)


def assert_json_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer ld_wrong"},
        {"Authorization": "x"},
    ],
)
def test_requests_without_a_valid_token_get_401_json(client, account, headers):
    response = client.get("/api/v1/activities", headers=headers)
    assert "Bearer" in assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_is_not_enough(client, auth):
    auth.register()
    assert_json_error(client.get("/api/v1/activities"), 401)
    # ...nor for a DELETE, which would otherwise need a CSRF token: still JSON, still 401.
    assert_json_error(client.delete("/api/v1/activities/1"), 401)


def test_a_token_is_marked_as_used(app, client, account):
    client.get("/api/v1/activities", headers=bearer(account.token))
    with app.app_context():
        session = new_session()
        assert session.scalar(select(ApiToken.last_used_at)) is not None
        session.close()


def test_list_is_paged_newest_first(app, client, account):
    start = datetime(2026, 10, 1, 7, tzinfo=UTC)
    ids = [add_activity(app, account.id, f"Run {n}", start + timedelta(days=n)) for n in range(5)]
    response = client.get("/api/v1/activities?per_page=2", headers=bearer(account.token))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 5 and body["page"] == 1 and body["per_page"] == 2
    assert [a["id"] for a in body["activities"]] == [ids[4], ids[3]]
    assert body["activities"][0]["name"] == "Run 4"
    assert body["activities"][0]["start_time"].startswith("2026-10-05T07:00:00")
    assert "stimulus" not in body["activities"][0]

    seen = [a["id"] for a in body["activities"]]
    while body["next"]:
        body = client.get(body["next"], headers=bearer(account.token)).get_json()
        seen += [a["id"] for a in body["activities"]]
    assert seen == ids[::-1]


def test_list_filters_by_sport(app, client, account):
    add_activity(app, account.id, "Run")
    ride = add_activity(app, account.id, "Ride", sport="cycling", is_run=False)
    body = client.get("/api/v1/activities?sport=cycling", headers=bearer(account.token)).get_json()
    assert [a["id"] for a in body["activities"]] == [ride] and body["total"] == 1


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=0", "per_page=101"])
def test_bad_paging_is_a_400_that_says_why(client, account, query):
    response = client.get(f"/api/v1/activities?{query}", headers=bearer(account.token))
    assert "must be" in assert_json_error(response, 400)


def test_get_one_activity_has_summary_and_stimulus(app, client, account):
    activity_id = add_activity(app, account.id, "Hill reps", elevation_gain_m=88.0)
    response = client.get(f"/api/v1/activities/{activity_id}", headers=bearer(account.token))
    assert response.status_code == 200
    activity = response.get_json()["activity"]
    assert activity["id"] == activity_id and activity["name"] == "Hill reps"
    assert activity["elevation_gain_m"] == 88.0 and activity["distance_m"] == 120.0
    assert activity["stimulus"]["muscles"]["quadriceps"]["eccentric"] == 0.5
    assert activity["summary"]["splits"][0]["moving_time_s"] == 40.0


def test_delete_removes_the_activity_and_its_orphaned_file(app, client, account):
    activity_id = add_activity(app, account.id)
    url = f"/api/v1/activities/{activity_id}"
    response = client.delete(url, headers=bearer(account.token))
    assert response.status_code == 204 and response.data == b""
    assert_json_error(client.get(url, headers=bearer(account.token)), 404)
    assert_json_error(client.delete(url, headers=bearer(account.token)), 404)
    with app.app_context():
        session = new_session()
        assert session.scalar(select(Activity.id)) is None
        assert session.scalar(select(OriginalFile.id)) is None
        session.close()


def test_another_users_activity_is_404_and_stays(app, client, account):
    other = add_account(app, "other@example.com")
    theirs = add_activity(app, other.id, "Theirs")
    for method in (client.get, client.delete):
        response = method(f"/api/v1/activities/{theirs}", headers=bearer(account.token))
        assert assert_json_error(response, 404) == "No activity with that id."
    response = client.get(f"/api/v1/activities/{theirs}", headers=bearer(other.token))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/nothing-here", 404),
        ("get", "/api/v1/activities/999999", 404),
        ("get", "/api/v1/activities/not-a-number", 404),
        ("put", "/api/v1/activities", 405),
        ("patch", "/api/v1/activities/1", 405),
    ],
)
def test_errors_are_json_never_html(client, account, method, path, status):
    response = getattr(client, method)(path, headers=bearer(account.token))
    assert_json_error(response, status)
