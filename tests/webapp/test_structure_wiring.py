"""Issue 14's model wired into the web app: structure -> the plan's hard days, walks and hikes
in the legs' load, the runner's athlete, and the structure strip on the activity page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.athlete import estimate_threshold
from tests.importers.samples import fit_bytes, make_track
from tests.webapp.files import WEDNESDAY, easy_fit, intervals_fit
from webapp import ingest, weeks
from webapp.models import Activity, RunnerProfile

NORDIC = "Nordic"


def _nordic_days(view) -> list[str]:
    return [
        s["day"]
        for s in view.plan["sessions"]
        if any(NORDIC.lower() in ex["name"].lower() for ex in s["exercises"])
    ]


def _week_after(db, user, data: bytes):
    weeks.clear_cache()
    user.available_days = [2, 3, 4]  # Wednesday to Friday
    user.long_run_day = None
    # a regular lifter: no lead-in, so only the run's structure can keep Nordic curls away
    db.merge(RunnerProfile(user_id=user.id, profile_experience="regular"))
    db.commit()
    results = ingest.ingest(db, user, "session.fit", data)
    assert [r.status for r in results] == ["imported"], results
    return weeks.weekly_context(db, user, None, now=WEDNESDAY + timedelta(hours=1))


def test_ten_by_200m_is_a_hard_day_with_no_nordics_for_48_hours(db, user):
    view = _week_after(db, user, intervals_fit(WEDNESDAY - timedelta(hours=4)))
    row = db.scalar(select(Activity))
    structure = row.stimulus["structure"]
    assert structure["run_type"] in {"intervals", "sprints"}
    assert 9 <= structure["reps"] <= 11 and structure["hard_day"]
    days = {s["day"] for s in view.plan["sessions"]}
    # The engine's window: the day before a session's day to two days after it, so the
    # Wednesday and Thursday sessions are within 48 h of the Wednesday intervals.
    window = {(WEDNESDAY + timedelta(days=k)).date().isoformat() for k in range(2)}
    assert WEDNESDAY.date().isoformat() in days, view.plan
    assert not set(_nordic_days(view)) & window, view.plan


def test_the_same_day_easy_gives_nordics(db, user):
    # The control: without the fast session the same week does prescribe Nordic curls, so the
    # test above fails if the structure stops reaching the plan.
    view = _week_after(db, user, easy_fit(WEDNESDAY - timedelta(hours=4)))
    row = db.scalar(select(Activity))
    assert row.stimulus["structure"]["run_type"] == "easy"
    assert WEDNESDAY.date().isoformat() in _nordic_days(view), view.plan


def test_a_hike_is_saved_loads_the_legs_and_is_not_a_run(db, user):
    weeks.clear_cache()
    start = WEDNESDAY - timedelta(hours=5)
    track = make_track(seconds=3600, speed=1.1, hill_m=300, hill_period_s=3600, start=start)
    [result] = ingest.ingest(db, user, "hike.fit", fit_bytes(track, sport="hiking"))
    assert result.status == "saved"
    assert result.message == "Hike — not a run, counts in your legs' load."
    row = db.scalar(select(Activity))
    assert not row.is_run and row.stimulus["on_foot"] and row.model_version
    view = weeks.weekly_context(db, user, None, now=WEDNESDAY)
    assert view.totals["runs"] == 0 and [r.sport for r in view.other] == ["hiking"]
    quads = next(m for m in view.muscles if m["key"] == "quadriceps")
    assert quads["week_load"] > 0 and view.state.muscles["quadriceps"].acute > 0


def test_the_hike_page_says_it_loads_the_legs(db, user, client, auth):
    track = make_track(seconds=1800, speed=1.1, hill_m=200, hill_period_s=1800, start=WEDNESDAY)
    [result] = ingest.ingest(db, user, "hike.fit", fit_bytes(track, sport="hiking"))
    auth.login()
    page = client.get(f"/activities/{result.activity_id}").get_data(as_text=True)
    assert "its load on your legs counts in your week" in page
    assert "not counted in your legs' load" not in page


def test_a_ride_is_saved_without_load(db, user):
    track = make_track(seconds=1200, speed=7.0, start=WEDNESDAY - timedelta(hours=5))
    [result] = ingest.ingest(db, user, "ride.fit", fit_bytes(track, sport="cycling"))
    assert result.status == "saved"
    assert db.scalar(select(Activity.stimulus)) == {}


def test_athlete_for_uses_settings_and_the_runners_history(db, user):
    plain = ingest.athlete_for(user)
    assert plain.mass_kg is None and plain.threshold_pace_s_per_km is None
    user.mass_kg, user.threshold_pace_s_per_km = 72.0, 250.0
    set_athlete = ingest.athlete_for(user)
    assert set_athlete.mass_kg == 72.0 and set_athlete.threshold_pace_s_per_km == 250.0
    user.threshold_pace_s_per_km = None
    history = [
        {
            "start_time": WEDNESDAY - timedelta(days=d),
            "is_run": True,
            "moving_time_s": 2400.0,
            "gap_s_per_km": 240.0,  # 40 min at 4:00/km: a threshold near 4:00/km
            "avg_heart_rate": 170.0,
            "max_heart_rate": 198.0,
        }
        for d in (1, 8, 15)
    ]
    estimated = ingest.athlete_for(user, history)
    expected = estimate_threshold(history)
    assert estimated.threshold_pace_s_per_km == expected.pace_s_per_km < 250
    assert estimated.threshold_hr == 170.0
    assert estimated.hr_max == 198.0  # above the default 190: the highest seen
    user.hr_max = 185
    assert ingest.athlete_for(user, history).hr_max == 185  # a set HR max wins


def test_the_activity_page_shows_the_structure_strip(db, user, client, auth):
    [result] = ingest.ingest(db, user, "reps.fit", intervals_fit(WEDNESDAY))
    auth.login()
    page = client.get(f"/activities/{result.activity_id}").get_data(as_text=True)
    assert 'id="structure-h"' in page
    strip = page.split('id="structure-h"')[1].split("</section>")[0]
    assert strip.count('class="st st-rep"') >= 9
    assert "Recovery" in strip and ("Intervals" in strip or "Sprints" in strip)
    assert "style=" not in strip and "<script" not in strip
