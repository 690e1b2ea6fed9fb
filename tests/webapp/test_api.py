import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.webapp.factories import add_account, add_activity, bearer
from tests.webapp.files import recent_start, ride_fit, run_fit, run_gpx, zip_of
from webapp import weeks
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


# --- POST /api/v1/activities and GET /api/v1/weeks (through the real ingest and weeks) ----------


def post_files(client, token, files, field="file"):
    data = {field: [(io.BytesIO(content), name) for name, content in files]}
    return client.post(
        "/api/v1/activities", data=data, headers=bearer(token), content_type="multipart/form-data"
    )


def test_post_imports_files_then_marks_them_duplicates(app, client, account):
    fit, gpx = run_fit(recent_start(2)), run_gpx(recent_start(1))
    response = post_files(client, account.token, [("a.fit", fit), ("b.gpx", gpx)])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert [a["source_format"] for a in body["activities"]] == ["fit", "gpx"]
    assert all(a["status"] == "imported" and not a["duplicate"] for a in body["activities"])
    assert all(a["is_run"] and a["distance_m"] > 1000 for a in body["activities"])
    assert body["activities"][0]["stimulus"]["muscles"]
    assert [r["file"] for r in body["results"]] == ["a.fit", "b.gpx"]
    stored = client.get("/api/v1/activities", headers=bearer(account.token)).get_json()
    assert {a["id"] for a in stored["activities"]} == {a["id"] for a in body["activities"]}

    again = post_files(client, account.token, [("a-again.fit", fit)])
    assert again.status_code == 200
    (dup,) = again.get_json()["activities"]
    assert dup["duplicate"] is True and dup["status"] == "duplicate"
    assert dup["id"] == body["activities"][0]["id"]
    assert stored["total"] == 2
    assert client.get("/api/v1/activities", headers=bearer(account.token)).get_json()["total"] == 2


def test_post_a_zip_is_a_job_202_with_its_location_and_a_non_run_is_inline(
    client, account, monkeypatch
):
    archive = zip_of({"run.fit": run_fit(recent_start(3)), "notes.txt": b"hello"})
    response = post_files(
        client, account.token, [("export.zip", archive), ("ride.fit", ride_fit())]
    )
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    location = response.headers["Location"]
    assert location == body["jobs"][0]["url"] and location.startswith("/api/v1/jobs/")
    assert body["jobs"][0]["status"] in ("queued", "running", "done")
    assert {r["source_name"]: r["status"] for r in body["results"]} == {"ride.fit": "saved"}

    job = poll_job(client, account.token, location)
    assert job["status"] == "done", job
    assert (job["files_done"], job["files_total"]) == (2, 2)  # files, not activities
    statuses = {r["source_name"]: r["status"] for r in job["results"]}
    assert statuses == {"run.fit": "imported", "notes.txt": "skipped"}
    listed = client.get("/api/v1/activities", headers=bearer(account.token)).get_json()
    assert listed["total"] == 2  # the run from the job and the ride
    # Another account cannot see the job (404, as for activities).
    other = add_account(client.application, "other@example.com")
    assert_json_error(client.get(location, headers=bearer(other.token)), 404)


def test_a_large_single_file_is_a_job_too(app, client, account):
    app.config["INLINE_IMPORT_MAX_BYTES"] = 100
    response = post_files(client, account.token, [("big.gpx", run_gpx(recent_start(1)))])
    assert response.status_code == 202
    job = poll_job(client, account.token, response.headers["Location"])
    assert job["status"] == "done" and [r["status"] for r in job["results"]] == ["imported"]


def poll_job(client, token, location, deadline_s=60.0):
    """Follow the job URL until the job is over (a wait for the work, not a speed test)."""
    end = time.monotonic() + deadline_s
    while True:
        response = client.get(location, headers=bearer(token))
        assert response.status_code == 200
        job = response.get_json()["job"]
        if job["status"] in ("done", "failed") or time.monotonic() > end:
            return job
        time.sleep(0.05)


def test_post_refusals(client, account):
    response = post_files(client, account.token, [("notes.txt", b"just some text")])
    assert "notes.txt" in assert_json_error_with_results(response, 415)
    broken = b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg><trkpt lat="51" lon="0">'
    response = post_files(client, account.token, [("broken.gpx", broken)])
    assert "broken.gpx" in assert_json_error_with_results(response, 422)
    assert client.get("/api/v1/activities", headers=bearer(account.token)).get_json()["total"] == 0


def assert_json_error_with_results(response, status: int) -> str:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["error"] and all(r["status"] == "refused" for r in body["results"])
    return body["error"]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"data": {"file": "not a file"}, "content_type": "multipart/form-data"}, 400),
        ({"data": {}, "content_type": "multipart/form-data"}, 400),
        ({"json": {"file": "abc"}}, 415),
        ({"data": b"raw bytes", "content_type": "application/octet-stream"}, 415),
    ],
)
def test_post_without_a_file_field(client, account, kwargs, status):
    response = client.post("/api/v1/activities", headers=bearer(account.token), **kwargs)
    assert_json_error(response, status)


def test_post_too_large_is_413_json(app, client, account):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = post_files(client, account.token, [("big.gpx", b"<gpx>" + b" " * 20_000)])
    assert "too large" in assert_json_error(response, 413)


def test_week_has_muscle_state_and_plan(client, account):
    start = recent_start(1)
    post_files(client, account.token, [("a.fit", run_fit(start))])
    year, number, _ = start.isocalendar()
    week = f"{year}-W{number:02d}"
    response = client.get(f"/api/v1/weeks/{week}", headers=bearer(account.token))
    assert response.status_code == 200
    body = response.get_json()
    assert body["week"] == week
    assert [r["distance_m"] > 1000 for r in body["runs"]] == [True]
    assert body["muscles"] and all("damage_normalised" in m for m in body["muscles"])
    assert sum(m["week_load"] for m in body["muscles"]) > 0
    assert body["state"] and body["plan"]["sessions"]
    assert all(e["why"] for s in body["plan"]["sessions"] for e in s["exercises"])


@pytest.mark.parametrize("week", ["2026-48", "2026-W60", "2025-W53", "this-week"])
def test_a_bad_week_is_400(client, account, week):
    response = client.get(f"/api/v1/weeks/{week}", headers=bearer(account.token))
    assert "not a week" in assert_json_error(response, 400)


def test_an_unexpected_failure_is_still_json_without_a_traceback(client, account, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(weeks, "weekly_context", broken)
    response = client.get("/api/v1/weeks/2026-W48", headers=bearer(account.token))
    message = assert_json_error(response, 500)
    assert "nothing was half saved" in message and "secret" not in response.get_data(as_text=True)
