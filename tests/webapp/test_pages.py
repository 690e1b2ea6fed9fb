"""The runner's pages through the test client: full pages, their HTMX fragments, the forms."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.webapp.files import in_this_week, recent_start, ride_fit, run_fit, run_gpx, zip_of
from webapp.db import new_session
from webapp.models import Activity, PlanAdjustment, StrengthLog

HX_RESULTS = {"HX-Request": "true", "HX-Target": "upload-results"}
HX_PLAN = {"HX-Request": "true", "HX-Target": "plan"}


def upload(auth, files, headers=None):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return auth.post(
        "/upload", data=data, headers=headers or {}, content_type="multipart/form-data"
    )


def count_activities(app) -> int:
    with app.app_context():
        session = new_session()
        try:
            return session.scalar(select(func.count(Activity.id)))
        finally:
            session.close()


@pytest.mark.parametrize("path", ["/week", "/upload", "/activities", "/activities/1", "/settings"])
def test_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_a_new_runner_is_asked_for_runs_before_the_general_plan(client, auth):
    """No runs yet: the upload prompt comes first, then the general session (not four screens
    down, under it)."""
    auth.register()
    page = client.get("/week").get_data(as_text=True)
    start, plan = page.find("Start with your runs"), page.find('id="plan"')
    assert 0 < start < plan, (start, plan)
    assert "the session below is a general one" in page


def test_home_sends_a_logged_in_runner_to_this_week(client, auth):
    auth.register()
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/week")


def test_upload_page_accepts_many_files_of_every_kind(client, auth):
    auth.register()
    html = client.get("/upload").get_data(as_text=True)
    assert 'name="files"' in html and " multiple" in html
    accept = re.search(r'accept="([^"]+)"', html).group(1)
    for kind in (".fit", ".gpx", ".tcx", ".gz", ".zip", "application/gpx+xml"):
        assert kind in accept
    assert 'enctype="multipart/form-data"' in html
    assert 'id="upload-progress"' in html


def test_plain_upload_renders_a_result_per_file(app, client, auth):
    auth.register()
    start = recent_start(2)
    response = upload(
        auth,
        [
            ("run.fit", run_fit(start)),
            ("run.gpx", run_gpx(start)),
            ("ride.fit", ride_fit()),
            ("cat.gpx", b"\x89PNG\r\n\x1a\n0000"),
        ],
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html
    assert [m for m in re.findall(r"badge-(\w+)\">", html)] == [
        "imported",
        "duplicate",
        "saved",
        "refused",
    ]
    assert "5.40 km" in html  # 30 min at 3 m/s
    assert "not a GPX file" in html
    assert count_activities(app) == 2


def test_htmx_upload_returns_only_the_results_fragment(client, auth):
    auth.register()
    response = upload(auth, [("run.fit", run_fit())], headers=HX_RESULTS)
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<div class="upload-batch">')
    assert "badge-imported" in html
    assert {"HX-Request", "HX-Target"} <= set(response.vary)


def test_an_empty_upload_is_answered_with_a_message(client, auth):
    auth.register()
    response = upload(auth, [], headers=HX_RESULTS)
    assert response.status_code == 422
    assert "Choose one or more files first" in response.get_data(as_text=True)


def test_a_zip_goes_to_the_background_and_its_job_page_polls_until_done(app, client, auth):
    auth.register()
    archive = zip_of({"a.fit": run_fit(recent_start(2)), "b.fit": run_fit(recent_start(4))})
    response = upload(auth, [("export.zip", archive)], headers=HX_RESULTS)
    html = response.get_data(as_text=True)
    job_id = int(re.search(r'id="job-(\d+)"', html).group(1))
    from tests.webapp.test_jobs import _wait_for

    assert _wait_for(app, job_id).status == "done"
    part = client.get(
        f"/upload/jobs/{job_id}", headers={"HX-Request": "true", "HX-Target": f"job-{job_id}"}
    ).get_data(as_text=True)
    assert "<html" not in part and "hx-trigger" not in part, "a finished job stops polling"
    assert "2 runs imported" in part
    full = client.get(f"/upload/jobs/{job_id}").get_data(as_text=True)
    assert "<html" in full and "2 runs imported" in full


def _running_job(app, total: int, done: int) -> int:
    from webapp.models import ImportJob

    with app.app_context():
        session = new_session()
        job = ImportJob(user_id=1, filename="big.zip", status="running", total=total, done=done)
        session.add(job)
        session.commit()
        job_id = job.id
        session.close()
    return job_id


def test_a_running_job_fragment_polls_itself(app, client, auth):
    auth.register()
    job_id = _running_job(app, total=10, done=3)
    part = client.get(
        f"/upload/jobs/{job_id}", headers={"HX-Request": "true", "HX-Target": f"job-{job_id}"}
    ).get_data(as_text=True)
    assert 'hx-trigger="load delay:1s"' in part
    assert '<progress max="10" value="3"' in part
    assert "3 of 10 files done" in part


def test_a_running_jobs_link_to_its_own_page_is_not_shown_on_that_page(app, client, auth):
    auth.register()
    job_id = _running_job(app, total=10, done=3)
    link = f'<a href="/upload/jobs/{job_id}">Follow its progress</a>'
    polled = {"HX-Request": "true", "HX-Target": f"job-{job_id}"}
    from_upload = client.get(
        f"/upload/jobs/{job_id}", headers={**polled, "HX-Current-URL": "http://localhost/upload"}
    ).get_data(as_text=True)
    assert link in from_upload
    own_page = client.get(f"/upload/jobs/{job_id}").get_data(as_text=True)
    polled_there = client.get(
        f"/upload/jobs/{job_id}",
        headers={**polled, "HX-Current-URL": f"http://localhost/upload/jobs/{job_id}"},
    ).get_data(as_text=True)
    assert "3 of 10 files done" in own_page and link not in own_page
    assert link not in polled_there


def test_a_job_that_has_not_counted_its_files_yet_says_it_is_opening_the_zip(app, client, auth):
    auth.register()
    job_id = _running_job(app, total=0, done=0)
    part = client.get(f"/upload/jobs/{job_id}").get_data(as_text=True)
    assert "Opening your zip" in part
    assert "0 of 0" not in part


def test_a_finished_zip_lists_saved_non_runs_counts_files_and_activities_and_links_the_week(
    app, client, auth
):
    from tests.webapp.test_jobs import _wait_for
    from webapp.week_calendar import week_of

    auth.register()
    run_start = recent_start(40)
    archive = zip_of(
        {
            "run.fit": run_fit(run_start),
            "ride.fit": ride_fit(recent_start(41)),
            "notes.txt": b"not an activity",
        }
    )
    html = upload(auth, [("watch.zip", archive)], headers=HX_RESULTS).get_data(as_text=True)
    job_id = int(re.search(r'id="job-(\d+)"', html).group(1))
    assert _wait_for(app, job_id).status == "done"
    page = client.get(f"/upload/jobs/{job_id}").get_data(as_text=True)
    assert re.findall(r"badge-(\w+)\">", page) == ["imported", "saved", "skipped"]
    ride = page.split('result-saved">')[1].split("</li>")[0]
    assert "Saved" in ride and "Skipped" not in ride
    assert "Ride — not a run, not counted in your legs&#39; load." in ride
    assert (
        "Done: 3 files: 2 activities. 1 run imported, 1 other activity saved, 0 already there;"
        " 1 file skipped." in " ".join(page.split())
    )
    with app.app_context():
        from webapp.models import User

        session = new_session()
        week = week_of(run_start, session.get(User, 1))
        session.close()
    see = re.search(r'<a class="button" href="([^"]+)">See your week</a>', page)
    assert see and see.group(1) == f"/week/{week}"
    assert page.index("See your week") < page.index("Upload more")


def test_a_long_import_sums_up_files_and_activities_and_old_skipped_rides_read_saved(
    app, client, auth
):
    from webapp.models import ImportJob, ImportJobFile

    auth.register()
    ride = {
        "source_name": "tri.fit",
        "status": "skipped",  # how a job finished before "saved" stored a triathlon's swim
        "message": "Not a run",
        "activity_id": 7,
        "sport": "swimming",
        "start_time": None,
        "distance_m": None,
        "moving_time_s": None,
        "elevation_gain_m": None,
    }
    run = ride | {"source_name": "run.fit", "status": "imported", "activity_id": 8}
    with app.app_context():
        session = new_session()
        job = ImportJob(user_id=1, filename="watch.zip", status="done", total=4, done=4)
        session.add(job)
        session.flush()
        files = [[ride, ride, ride], [run, run], [run, run], [run, run]]
        for position, results in enumerate(files):
            session.add(ImportJobFile(job_id=job.id, position=position, results=results))
        session.commit()
        job_id = job.id
        session.close()
    page = " ".join(client.get(f"/upload/jobs/{job_id}").get_data(as_text=True).split())
    assert "Done: 4 files: 9 activities." in page  # said once, in the status line
    assert "<summary>The 4 files one by one</summary>" in page
    assert "Every file" not in page
    assert "6 runs imported, 3 other activities saved" in page
    assert page.count("badge-saved") == 3 and "badge-skipped" not in page
    assert "Skipped" not in page


def test_another_runners_job_is_404_and_cannot_be_tried_again(app, client, auth):
    from webapp.models import ImportJob

    auth.register()
    with app.app_context():
        session = new_session()
        job = ImportJob(user_id=1, filename="big.zip", status="failed", error="stopped")
        session.add(job)
        session.commit()
        job_id = job.id
        session.close()
    assert client.get(f"/upload/jobs/{job_id}").status_code == 200
    auth.logout()
    auth.register(email="someone-else@example.com")
    assert client.get(f"/upload/jobs/{job_id}").status_code == 404
    assert auth.post(f"/upload/jobs/{job_id}/retry").status_code == 404
    with app.app_context():
        session = new_session()
        assert session.get(ImportJob, job_id).status == "failed"  # left as it was
        session.close()

def test_activities_list_pages_with_more_and_filters_by_sport(app, client, auth):
    auth.register()
    now = recent_start(0)
    files = [(f"r{i}.fit", run_fit(now - timedelta(days=i + 1), seconds=600)) for i in range(21)]
    files.append(("ride.fit", ride_fit(now - timedelta(hours=1))))
    upload(auth, files)
    first = client.get("/activities").get_data(as_text=True)
    assert first.count('class="activity-row') == 20
    assert 'id="more-rows"' in first
    assert first.index("Cycling") < first.index("Running"), "newest first"
    more = client.get(
        "/activities?page=2", headers={"HX-Request": "true", "HX-Target": "more-rows"}
    ).get_data(as_text=True)
    assert "<html" not in more
    assert more.count('class="activity-row') == 2 and "more-rows" not in more
    rides = client.get("/activities?sport=cycling").get_data(as_text=True)
    assert rides.count('class="activity-row') == 1


def test_activity_page_shows_summary_route_profiles_splits_and_stimulus(client, auth):
    auth.register()
    upload(auth, [("hill.fit", run_fit(seconds=2400, hill_m=80))])
    html = client.get("/activities/1").get_data(as_text=True)
    assert "7.20 km" in html and "40:00" in html and "5:33 /km" in html
    assert "from the barometer" in html or "from the device" in html
    assert 'class="route"' in html and re.search(r'<path d="M[\d.]+,[\d.]+ L', html)
    assert 'id="elevation-h"' in html and 'id="pace-h"' in html
    assert html.count("<tr><td>") == 8
    assert "What it did to each muscle" in html and "Calves" in html


def test_activity_page_names_the_laps_when_figures_come_from_them(client, auth):
    auth.register()
    start = recent_start(1).strftime("%Y-%m-%dT%H:%M:%SZ")
    manual = (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        f'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>{start}</Id>'
        f'<Lap StartTime="{start}"><TotalTimeSeconds>3600</TotalTimeSeconds>'
        "<DistanceMeters>10000</DistanceMeters></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    )
    upload(auth, [("manual.tcx", manual.encode())])
    html = client.get("/activities/1").get_data(as_text=True)
    assert "10.00 km" in html and "1:00:00" in html
    assert html.count('<span class="stat-note">from the laps&#39; totals</span>') == 2
    upload(auth, [("hill.fit", run_fit(seconds=600))])
    assert "totals</span>" not in client.get("/activities/2").get_data(as_text=True)


def test_units_in_miles_show_everywhere(app, client, auth):
    auth.register()
    upload(auth, [("run.fit", run_fit(in_this_week(3), seconds=2400))])
    with app.app_context():
        session = new_session()
        from webapp.models import User

        session.get(User, 1).units = "mi"
        session.commit()
        session.close()
    html = client.get("/activities/1").get_data(as_text=True)
    assert "4.47 mi" in html and "8:56 /mi" in html
    assert "4.47 mi" in client.get("/activities").get_data(as_text=True)
    assert "4.5 mi" in client.get("/week").get_data(as_text=True)


def test_deleting_an_activity(app, client, auth):
    auth.register()
    upload(auth, [("run.fit", run_fit())])
    response = auth.post("/activities/1/delete")
    assert response.status_code == 302
    assert count_activities(app) == 0
    assert client.get("/activities/1").status_code == 404


def test_week_page_and_plan_fragment_pair(client, auth):
    auth.register()
    upload(auth, [("run.fit", run_fit(in_this_week(2)))])
    full = client.get("/week")
    html = full.get_data(as_text=True)
    assert "<html" in html
    assert 'id="bodymap"' in html and "Front" in html and "Back" in html
    assert "The body map as a table" in html
    assert 'id="plan"' in html and "Mark done" in html
    assert "Load trend" in html and "6-week" in html
    part = client.get("/week", headers=HX_PLAN)
    fragment = part.get_data(as_text=True)
    assert "<html" not in fragment
    assert '<section id="plan"' in fragment and 'id="bodymap"' not in fragment
    for response in (full, part):
        assert {"HX-Request", "HX-Target"} <= set(response.vary)


def _first_session(client):
    html = client.get("/week").get_data(as_text=True)
    week = re.search(r"/week/(\d{4}-W\d\d)/sessions/0/done", html).group(1)
    names = re.findall(r'name="exercises" value="([^"]+)" form="done-form-0"', html)
    return week, names, html


def test_mark_a_session_done_with_the_exercises_done_then_undo(app, client, auth):
    auth.register()
    upload(auth, [("run.fit", run_fit(recent_start(1)))])
    week, names, _ = _first_session(client)
    assert len(names) >= 4
    done = names[:-1]
    response = auth.post(f"/week/{week}/sessions/0/done", data={"exercises": done}, headers=HX_PLAN)
    html = response.get_data(as_text=True)
    assert "<html" not in html and '<section id="plan"' in html
    assert f"{len(done)} of {len(names)} exercises" in html
    with app.app_context():
        session = new_session()
        log = session.scalar(select(StrengthLog))
        assert (log.week, log.session_index, log.status, log.exercises) == (week, 0, "done", done)
        session.close()
    undone = auth.post(f"/week/{week}/sessions/0/undo", headers=HX_PLAN).get_data(as_text=True)
    assert "open again" in undone
    with app.app_context():
        session = new_session()
        assert session.scalar(select(func.count(StrengthLog.id))) == 0
        session.close()


def test_mark_done_without_javascript_redirects_back_to_the_week(client, auth):
    auth.register()
    upload(auth, [("run.fit", run_fit(recent_start(1)))])
    week, names, _ = _first_session(client)
    response = auth.post(f"/week/{week}/sessions/0/done", data={"exercises": names})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/week/{week}#session-0"), "at the session"
    assert 'badge-imported">Done' in client.get(f"/week/{week}").get_data(as_text=True)


def test_swap_an_exercise_for_one_with_the_same_purpose(app, client, auth):
    auth.register()
    upload(auth, [("run.fit", run_fit(recent_start(1)))])
    week, names, html = _first_session(client)
    original = names[0]
    alternative = re.search(
        r'name="exercise" value="' + re.escape(original) + r'">.*?name="to" value="([^"]+)"',
        html,
        re.S,
    ).group(1)
    response = auth.post(
        f"/week/{week}/sessions/0/swap",
        data={"exercise": original, "to": alternative},
        headers=HX_PLAN,
    )
    fragment = response.get_data(as_text=True)
    assert f"Swapped in for {original}" in fragment
    assert f'value="{alternative}" form="done-form-0"' in fragment
    with app.app_context():
        session = new_session()
        data = session.scalar(select(PlanAdjustment.data))
        assert data == {"swaps": {f"0:{original}": alternative}}
        session.close()
    refused = auth.post(
        f"/week/{week}/sessions/0/swap", data={"exercise": original, "to": "Juggling"}
    )
    assert refused.status_code == 400


def test_an_unknown_week_or_session_is_a_404(client, auth):
    auth.register()
    assert client.get("/week/next-tuesday").status_code == 404
    week, _, _ = _first_session(client)
    assert auth.post(f"/week/{week}/sessions/9/done").status_code == 404
