"""Correcting an activity: sport, "this was a race", "leave this out of my load"; the week,
its muscles and the plan recompute (the cached week views included)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_from_html
from tests.webapp.files import WEDNESDAY, ride_fit, run_fit
from tests.webapp.test_pages import upload
from webapp.db import new_session
from webapp.models import Activity, OriginalFile, User
from webapp.weeks import weekly_context

MONDAY_RUN = datetime(2025, 3, 10, 7, 0, tzinfo=UTC)
TUESDAY_RUN = datetime(2025, 3, 11, 7, 0, tzinfo=UTC)


def _ids(app) -> dict[datetime, int]:
    with app.app_context():
        session = new_session()
        rows = session.execute(select(Activity.start_time, Activity.id)).all()
        session.close()
    return {start.replace(tzinfo=UTC): id_ for start, id_ in rows}


def _week(app, now=WEDNESDAY):
    """The runner's week holding `now`, through the app's (cached) weekly_context."""
    with app.app_context():
        session = new_session()
        user = session.scalar(select(User))
        view = weekly_context(session, user, None, now=now)
        session.close()
    return view


def _quads(view) -> float:
    return next(m["week_load"] for m in view.muscles if m["key"] == "quadriceps")


def edit(client, activity_id: int, **values):
    """Post the activity page's own form (its CSRF token), with `values` for its fields."""
    html = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from_html(html), "sport": "running", **values}
    return client.post(f"/activities/{activity_id}/edit", data=data)


@pytest.fixture
def two_runs(app, client, auth):
    """A runner with a Monday and a Tuesday run in the week of WEDNESDAY; their ids."""
    auth.register()
    response = upload(
        auth, [("mon.fit", run_fit(MONDAY_RUN)), ("tue.fit", run_fit(TUESDAY_RUN, hill_m=80))]
    )
    assert response.status_code == 200
    ids = _ids(app)
    return ids[MONDAY_RUN], ids[TUESDAY_RUN]


def test_a_week_whose_only_load_is_a_walk_colours_the_body_map(app, client, two_runs):
    """Both runs edited to walks: no run that week, yet the walks load the legs, so the body
    map shows their load instead of "No runs that week, so no muscle is coloured"."""
    for activity_id in two_runs:
        assert edit(client, activity_id, sport="walking").status_code == 302
    year, number, _ = WEDNESDAY.isocalendar()
    page = client.get(f"/week/{year}-W{number:02d}").get_data(as_text=True)
    assert "so no muscle is coloured" not in page
    table = page.split('class="muscle-table"')[1]
    assert "no runs" not in table.split("</table>")[0]


def test_the_activity_page_has_the_edit_form(client, two_runs):
    html = client.get(f"/activities/{two_runs[1]}").get_data(as_text=True)
    assert f'action="/activities/{two_runs[1]}/edit"' in html
    assert '<option value="running" selected>Run</option>' in html
    assert 'name="is_race"' in html and 'name="excluded"' in html


def test_a_run_edited_to_a_walk_leaves_the_weeks_run_count(app, client, two_runs):
    monday, tuesday = two_runs
    before = _week(app)  # cached from here on
    assert before.totals["runs"] == 2
    assert edit(client, tuesday, sport="walking").status_code == 302

    after = _week(app)
    assert after.totals["runs"] == 1
    assert [r.id for r in after.runs] == [monday]
    assert [r.id for r in after.other] == [tuesday]
    with app.app_context():
        session = new_session()
        row = session.get(Activity, tuesday)
        assert (row.sport, row.is_run) == ("walking", False)
        # A walk is on foot: it keeps a leg load (walking gait), no longer a run's.
        walk_quads = row.stimulus["muscles"]["quadriceps"]["total"]
        assert walk_quads > 0 and row.systemic_load is not None
        assert row.stimulus["structure"]["run_type"] == "walk"
        session.close()
    # The file's cadence says running: the legs did the same work, only the run count changes.
    assert _quads(after) == pytest.approx(_quads(before), rel=0.01)
    page = client.get(f"/activities/{tuesday}").get_data(as_text=True)
    assert "This walk is not counted as a run: its load on your legs counts" in page
    # A ride is not on foot: its leg load goes.
    assert edit(client, tuesday, sport="cycling").status_code == 302
    with app.app_context():
        session = new_session()
        row = session.get(Activity, tuesday)
        assert (row.sport, row.stimulus, row.systemic_load) == ("cycling", {}, None)
        session.close()
    assert _quads(_week(app)) < _quads(after)


def test_leaving_a_run_out_removes_its_load_from_the_weeks_muscles(app, client, two_runs):
    monday, tuesday = two_runs
    both = _week(app)
    edit(client, monday, excluded="y")  # only Tuesday counts now
    only_tuesday = _week(app)
    assert only_tuesday.totals["runs"] == 1
    assert [r.id for r in only_tuesday.other] == [monday]
    assert only_tuesday.other[0].excluded and only_tuesday.other[0].is_run
    assert 0 < _quads(only_tuesday) < _quads(both)
    # The state too: the excluded run's load is in no muscle's acute load.
    acute = only_tuesday.state.muscles["quadriceps"].acute
    assert acute < both.state.muscles["quadriceps"].acute
    assert "left out of your load" in client.get("/week/2025-W11").get_data(as_text=True)

    edit(client, monday)  # counted again
    again = _week(app)
    assert again.totals["runs"] == 2
    assert _quads(again) == pytest.approx(_quads(both))
    page = client.get("/week/2025-W11").get_data(as_text=True)
    assert "left out of your load" not in page


def test_a_ride_edited_to_a_run_gets_its_load_from_the_original_file(app, client, auth):
    auth.register()
    upload(auth, [("ride.fit", ride_fit(TUESDAY_RUN))])
    (ride_id,) = _ids(app).values()
    assert _week(app).totals["runs"] == 0
    assert edit(client, ride_id, sport="running").status_code == 302
    view = _week(app)
    assert view.totals["runs"] == 1
    assert _quads(view) > 0
    with app.app_context():
        session = new_session()
        row = session.get(Activity, ride_id)
        assert row.is_run and row.systemic_load and row.model_version
        # Without the original file, a change to a run is refused and nothing changes.
        row.sport, row.is_run, row.stimulus = "cycling", False, {}
        session.execute(OriginalFile.__table__.update().values(content=b"not a file"))
        session.commit()
        session.close()
    refused = edit(client, ride_id, sport="trail_running")
    assert refused.status_code == 422
    assert "could not be read again" in refused.get_data(as_text=True)
    with app.app_context():
        session = new_session()
        assert session.get(Activity, ride_id).sport == "cycling"
        session.close()


def test_a_race_flag_gives_the_plan_its_days_after_a_race(app, client, auth):
    auth.register()
    sunday = datetime(2025, 3, 9, 8, 0, tzinfo=UTC)
    upload(auth, [("race.fit", run_fit(sunday, seconds=1500, hill_m=10))])
    (race_id,) = _ids(app).values()
    monday = sunday + timedelta(days=1)  # sessions on Tuesday and Thursday (the defaults)

    plain = _week(app, now=monday).plan["sessions"]
    # a lead-in for the first weeks of data caps it below heavy; never holds-only before a race
    assert plain[0]["day"] == "2025-03-11" and plain[0]["leg_block"] in ("heavy", "moderate")
    assert edit(client, race_id, is_race="y").status_code == 302

    raced = _week(app, now=monday).plan["sessions"]
    assert raced[0]["day"] == "2025-03-11"
    assert raced[0]["leg_block"] == "isometric"
    assert "Your race was 2 days ago" in raced[0]["note"] + str(raced[0]["exercises"])
    assert raced[-1]["leg_block"] == plain[-1]["leg_block"]  # Thursday: 4 days after
    page = client.get(f"/activities/{race_id}").get_data(as_text=True)
    assert "A race: your plan keeps the following days light." in page


def test_another_runners_activity_and_a_forged_form_are_refused(app, client, auth, two_runs):
    monday, _ = two_runs
    auth.logout()
    auth.register("other@example.com")
    assert edit_without_page(client, monday, auth).status_code == 404
    auth.logout()
    auth.login()
    no_token = client.post(f"/activities/{monday}/edit", data={"sport": "walking"})
    assert no_token.status_code == 400
    bad_sport = edit(client, monday, sport="flying")
    assert bad_sport.status_code == 422
    with app.app_context():
        session = new_session()
        assert session.get(Activity, monday).sport == "running"
        session.close()


def edit_without_page(client, activity_id, auth):
    return auth.post(f"/activities/{activity_id}/edit", data={"sport": "walking"})


def _badges(html: str, activity_id: int) -> list[str]:
    """The badges on the runs list's row of `activity_id`."""
    row = re.search(rf'href="/activities/{activity_id}">.*?</a>', html, re.S).group(0)
    return re.findall(r'<span class="badge [\w-]+">([^<]+)</span>', row)


def test_the_runs_list_badges_say_what_the_activity_page_says(app, client, auth, two_runs):
    """A run edited to a hike still loads the legs (on foot), a run left out and a race say so,
    and only a ride or a swim is "not counted"."""
    monday, tuesday = two_runs
    sunday = MONDAY_RUN - timedelta(days=1)
    upload(auth, [("race.fit", run_fit(sunday)), ("ride.fit", ride_fit(WEDNESDAY))])
    ids = _ids(app)
    race, ride = ids[sunday], ids[WEDNESDAY]
    assert edit(client, tuesday, sport="hiking").status_code == 302
    assert edit(client, monday, excluded="y").status_code == 302
    assert edit(client, race, is_race="y").status_code == 302
    assert "its load on your legs counts" in client.get(f"/activities/{tuesday}").get_data(
        as_text=True
    )
    html = client.get("/activities").get_data(as_text=True)
    assert _badges(html, tuesday) == ["hike · counts in your load"]
    assert _badges(html, monday) == ["left out of your load"]
    assert _badges(html, race) == ["race"]
    assert _badges(html, ride) == ["not counted"]
    # The week page's list says the same.
    week = client.get("/week/2025-W11").get_data(as_text=True)
    for activity_id, words in ((tuesday, "hike · counts in your load"), (ride, "not counted")):
        row = re.search(rf'href="/activities/{activity_id}">.*?</li>', week, re.S).group(0)
        assert f"· {words}" in row and "not counted" not in row.replace(f"· {words}", ""), row
