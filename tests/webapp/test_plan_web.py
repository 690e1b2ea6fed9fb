"""The plan for this runner on the web (issue 15): the profile form, the soreness check-in,
per-exercise logging, and the plan's minutes, how-to and "Why?" on the week page and the API."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine import catalogue
from tests.webapp.factories import add_account, bearer
from tests.webapp.files import recent_start, run_fit
from tests.webapp.test_pages import HX_PLAN, upload
from webapp import ingest, plans, weeks
from webapp.db import new_session
from webapp.models import RunnerProfile, SorenessCheckIn, StrengthLog, User, WeekPlan

PROFILE = {
    "goal": "speed_5k_10k",
    "experience": "regular",
    "body_mass_kg": "68.5",
    "minutes": "25",
    "sessions_per_week": "1",
    "equipment": ["dumbbells"],
}


def _runner_with_runs(auth, days=(1, 3, 6, 9, 13, 20, 27)):
    auth.register()
    for d in days:  # one file a request: small bodies, no spooled temporary files
        upload(auth, [(f"r{d}.fit", run_fit(recent_start(d), seconds=2400))])


def _rows(app, model):
    with app.app_context():
        session = new_session()
        try:
            return session.scalars(select(model)).all()
        finally:
            session.close()


def _plan(client) -> dict:
    """This week's plan as the week page's data (via the API's twin, weekly_context)."""
    with client.application.app_context():
        session = new_session()
        user = session.scalar(select(User))
        weeks.clear_cache()
        plan = weeks.weekly_context(session, user).plan
        session.close()
    return plan


def test_the_profile_form_starts_from_defaults_read_from_the_runs(client, auth):
    _runner_with_runs(auth)
    week = client.get("/week").get_data(as_text=True)
    assert 'href="/profile"' in week, "no profile yet: the week page asks for one"
    html = client.get("/profile").get_data(as_text=True)
    assert re.search(r'name="minutes" type="number"[^>]*value="40"', html)
    assert re.search(r'name="sessions_per_week" type="number"[^>]*value="2"', html)
    # Each inferred default says where it comes from, beside its field.
    assert "Up to 40 minutes a session unless you say." in html
    goal = re.search(r'<input type="radio" name="goal" value="(\w+)" checked', html).group(1)
    assert goal in {"speed_5k_10k", "half_marathon", "ultra_trail", "general"}
    assert re.search(r'id="p-goal-hint">[^<]*(long run|fast|climbed)', html)
    assert 'id="p-experience-hint"' in html


def test_a_wrong_profile_field_is_refused_beside_it_and_nothing_is_saved(app, client, auth):
    _runner_with_runs(auth, days=(1, 5))
    bad = {**PROFILE, "minutes": "5", "body_mass_kg": "12"}
    response = auth.post("/profile", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    minutes = re.search(r'id="p-minutes".*?</div>', html, re.S).group(0)
    assert "Minutes per session must be between 15 and 90." in minutes
    assert 'aria-invalid="true"' in minutes
    mass = re.search(r'id="p-body_mass_kg".*?</div>', html, re.S).group(0)
    assert "Body mass: give 30-250 kg" in mass
    assert 'value="5"' in minutes, "what the runner typed stays in the field"
    assert _rows(app, RunnerProfile) == []


def test_bodyweight_only_ticked_beside_dumbbells_keeps_the_dumbbells(app, client, auth):
    _runner_with_runs(auth, days=(1,))
    auth.post("/profile", data={**PROFILE, "equipment": ["none", "dumbbells"]})
    (user,) = _rows(app, User)
    assert user.equipment == ["dumbbells"]
    auth.post("/profile", data={**PROFILE, "equipment": []})
    (user,) = _rows(app, User)
    assert user.equipment == ["none"]


def test_the_profile_saved_makes_the_plan_fit_it(app, client, auth):
    _runner_with_runs(auth)
    response = auth.post("/profile", data=PROFILE)
    assert response.status_code == 302 and response.headers["Location"].endswith("/week#plan")
    (row,) = _rows(app, RunnerProfile)
    assert (row.profile_goal, row.profile_minutes) == ("speed_5k_10k", 25)
    # the load model reads the same body mass (engine.athlete through webapp.ingest)
    (user,) = _rows(app, User)
    assert user.mass_kg == 68.5 and ingest.athlete_for(user).mass_kg == 68.5
    plan = _plan(client)
    assert plan["profile"]["goal"] == "speed_5k_10k" and plan["profile"]["minutes"] == 25
    assert plan["profile"]["equipment"] == ["dumbbells"]
    assert len(plan["sessions"]) <= 1
    assert all(0 < s["minutes"] <= 25 for s in plan["sessions"])
    assert 'href="/profile"' not in client.get("/week").get_data(as_text=True)
    # Settings shows the answers read-only, with a link to change them on /profile: one form
    # a page, so no answer waits unsaved beside the settings form's Save button.
    settings = client.get("/settings").get_data(as_text=True)
    assert 'id="profile-form"' not in settings and 'name="minutes"' not in settings
    summary = re.search(r'<section class="card training-summary".*?</section>', settings, re.S)
    summary = re.sub(r"\s+", " ", summary.group(0))
    for shown in ("5 k / 10 k speed", "Regular (most weeks)", "68.5 kg", "<dd>25</dd>",
                  "<dd>1</dd>", "Dumbbells"):
        assert shown in summary, shown
    link = re.search(r'<a [^>]*href="(/profile\?back=settings)"[^>]*>Change your training answers<',
                     summary)
    assert link, summary
    page = client.get(link.group(1)).get_data(as_text=True)
    assert 'action="/profile?back=settings"' in page and "Back to Settings" in page
    assert '<button type="submit">Save</button>' in page, "it returns to Settings, not the plan"
    again = auth.post(link.group(1), data={**PROFILE, "minutes": "60"})
    assert again.status_code == 302 and again.headers["Location"].endswith("/settings#training-h")
    assert _rows(app, RunnerProfile)[0].profile_minutes == 60
    settings = client.get("/settings").get_data(as_text=True)
    assert "Your training answers are saved." in settings and "<dd>60</dd>" in settings


def _today_session_setup(app):
    """Lift today and every day: the check-in speaks for today and the next two days."""
    with app.app_context():
        session = new_session()
        user = session.scalar(select(User))
        user.available_days = list(range(7))
        session.commit()
        session.close()


def test_a_very_sore_check_in_takes_heavy_legs_out_of_the_next_days(app, client, auth):
    _runner_with_runs(auth, days=(2, 5, 9, 12, 16, 19, 23, 26, 30))
    _today_session_setup(app)
    plan = _plan(client)
    today = datetime.now(UTC).date()
    window = {(today + timedelta(days=d)).isoformat() for d in range(3)}
    before = {s["day"]: s["leg_block"] for s in plan["sessions"] if s["day"] in window}
    assert before and set(before.values()) & {"heavy", "moderate"}, before
    week = plan["week"]
    html = auth.post(
        f"/week/{week}/soreness", data={"level": "very_sore"}, headers=HX_PLAN
    ).get_data(as_text=True)
    assert "<html" not in html and "Legs today:" in html
    assert re.search(r'value="very_sore" class="[^"]*chosen[^"]*" aria-pressed="true"', html)
    after = {s["day"]: s["leg_block"] for s in _plan(client)["sessions"] if s["day"] in window}
    assert after and not set(after.values()) & {"heavy", "moderate"}, after
    # Every check-in is kept (calibration data); the latest of the day counts.
    auth.post(f"/week/{week}/soreness", data={"level": "fresh"}, headers=HX_PLAN)
    levels = [r.level for r in _rows(app, SorenessCheckIn)]
    assert levels == ["very_sore", "fresh"]
    refused = auth.post(f"/week/{week}/soreness", data={"level": "broken"}, headers=HX_PLAN)
    assert refused.status_code == 422 and len(_rows(app, SorenessCheckIn)) == 2


def test_an_undone_session_leaves_the_week_following_the_check_ins(app, client, auth):
    """Mark done keeps the week's plan as it was done; once it is undone and nothing of the
    week is done, the plan follows the legs again (a very sore check-in changes it)."""
    _runner_with_runs(auth, days=(2, 5, 9, 12, 16, 19, 23, 26, 30))
    _today_session_setup(app)
    plan = _plan(client)
    week = plan["week"]
    today = datetime.now(UTC).date()
    window = {(today + timedelta(days=d)).isoformat() for d in range(3)}
    names = [ex["name"] for ex in plan["sessions"][0]["exercises"]]
    auth.post(f"/week/{week}/sessions/0/done", data={"exercises": names}, headers=HX_PLAN)
    assert len(_rows(app, WeekPlan)) == 1
    auth.post(f"/week/{week}/sessions/0/undo", headers=HX_PLAN)
    assert _rows(app, WeekPlan) == [] and _rows(app, StrengthLog) == []
    auth.post(f"/week/{week}/soreness", data={"level": "very_sore"}, headers=HX_PLAN)
    after = {s["day"]: s["leg_block"] for s in _plan(client)["sessions"] if s["day"] in window}
    assert after and not set(after.values()) & {"heavy", "moderate"}, after


def test_the_week_page_shows_minutes_reasons_why_and_how_to(client, auth):
    _runner_with_runs(auth)
    plan = _plan(client)
    # this week by its label (an empty current week sends /week to the last run's week)
    html = client.get(f"/week/{plan['week']}").get_data(as_text=True)
    first = plan["sessions"][0]
    assert f"about {round(first['minutes'])} min" in html
    assert re.search(r"Short on time\? \d+-minute version", html)
    ex = first["exercises"][0]
    assert ex["reason"] in html.replace("&#39;", "'")
    assert re.search(r'<details class="why-more"><summary>Why\?', html)
    for step in ex["how_to"]["steps"]:
        assert step.replace("'", "&#39;") in html
    assert f'src="/static/{ex["drawing"]}"' in html
    assert f'alt="Line drawing: {ex["name"]}"' in html
    for note in plan["notes"]:
        assert html.count(note.replace("'", "&#39;")) == 1, "a plan note is said once"


def test_the_api_week_carries_minutes_and_how_to(app, client):
    account = add_account(app, "api@example.com")
    from tests.webapp.test_api import post_files

    post_files(client, account.token, [("a.fit", run_fit(recent_start(1)))])
    body = client.get("/api/v1/weeks/" + _label(recent_start(0)), headers=bearer(account.token))
    plan = body.get_json()["plan"]
    assert plan["sessions"]
    for session in plan["sessions"]:
        assert 0 < session["minutes"] <= 40 and session["short"]["minutes"] <= 15
        for ex in session["exercises"]:
            assert len(ex["how_to"]["steps"]) >= 3 and ex["how_to"]["cue"]
            assert ex["drawing"].startswith("img/exercises/") and ex["reason"]


def _label(moment: datetime) -> str:
    year, number, _ = moment.isocalendar()
    return f"{year}-W{number:02d}"


def test_what_was_done_per_exercise_is_logged_and_a_bad_number_saves_nothing(app, client, auth):
    _runner_with_runs(auth, days=(1, 4))
    plan = _plan(client)
    week, first = plan["week"], plan["sessions"][0]["exercises"]
    names = [ex["name"] for ex in first]
    bad = {"exercises": names, "log-0-sets": "99"}
    refused = auth.post(f"/week/{week}/sessions/0/done", data=bad, headers=HX_PLAN)
    assert refused.status_code == 422
    assert f"{names[0]}: Sets: give 1-20." in refused.get_data(as_text=True)
    assert _rows(app, StrengthLog) == []
    data = {"exercises": names, "log-0-sets": "2", "log-0-reps": "12", "log-0-load_kg": "7.5"}
    html = auth.post(f"/week/{week}/sessions/0/done", data=data, headers=HX_PLAN).get_data(
        as_text=True
    )
    (log,) = _rows(app, StrengthLog)
    dose = "seconds" if "seconds" in first[0] else "reps"
    assert log.details == {names[0]: {"sets": 2, dose: 12, "load_kg": 7.5}}
    assert "Logged: 2 × 12 · 7.5 kg" in html
    # The engine reads it as what was done (progression from the log).
    logged = plans.logged_exercises(log)
    assert logged[0] == {"name": names[0], "sets": 2, dose: 12, "load_kg": 7.5}
    assert logged[1:] == names[1:]


def test_a_pair_of_dumbbells_is_logged_per_hand_as_the_plan_says_it(app, client, auth):
    """The plan says "10 kg per hand"; the log asks kg per hand too and keeps the pair's total,
    so typing the 10 written on each dumbbell does not halve next week's weight."""
    _runner_with_runs(auth, days=(1, 4))
    auth.post("/profile", data=PROFILE)
    plan = _plan(client)
    week = plan["week"]
    i, k, ex = next(
        (i, k, ex)
        for i, session in enumerate(plan["sessions"])
        for k, ex in enumerate(session["exercises"])
        if ex.get("load_per_hand")
    )
    assert ex["load_words"] == f"{ex['load_kg'] / 2:g} kg per hand"
    page = client.get(f"/week/{week}").get_data(as_text=True)
    field = re.search(rf'<label>([^<]+)<input[^>]*name="log-{k}-load_kg" form="done-form-{i}"'
                      r'[^>]*placeholder="([^"]+)"', page)
    assert field and field.groups() == ("Kg per hand ", f"{ex['load_kg'] / 2:g}")
    names = [e["name"] for e in plan["sessions"][i]["exercises"]]
    data = {"exercises": names, f"log-{k}-load_kg": "12.5"}
    html = auth.post(f"/week/{week}/sessions/{i}/done", data=data, headers=HX_PLAN).get_data(
        as_text=True
    )
    (log,) = _rows(app, StrengthLog)
    assert log.details == {ex["name"]: {"load_kg": 25.0}}
    assert " · 12.5 kg per hand</p>" in html
    # A lift with one weight (a one-arm row, a goblet squat) asks for its kg; a bodyweight
    # exercise for the extra kg (a vest, a backpack).
    field = rf'<label>([^<]+)<input[^>]*name="log-(\d+)-load_kg" form="done-form-{i}"'
    labels = {int(k): label.strip() for label, k in re.findall(field, page)}
    for kk, other in enumerate(plan["sessions"][i]["exercises"]):
        if other.get("load_per_hand"):
            want = "Kg per hand"
        else:
            want = "Kg" if other.get("load_kg") else "Extra kg"
        assert labels[kk] == want, (other["name"], labels)


def test_each_exercise_on_the_page_has_its_own_log_fields(app, client, auth):
    """The log fields are named by the exercise's place in its session, as the form reads them:
    what is typed under the second exercise is logged for the second exercise."""
    _runner_with_runs(auth, days=(1, 4))
    plan = _plan(client)
    week, first = plan["week"], plan["sessions"][0]["exercises"]
    names = [ex["name"] for ex in first]
    page = client.get(f"/week/{week}").get_data(as_text=True)
    session_0 = page.split('id="session-1"')[0]
    ids = re.findall(r'<li class="exercise" id="(ex-0-\d+)"', session_0)
    assert ids == [f"ex-0-{k}" for k in range(len(names))]
    fields = re.findall(r'name="(log-\d+-sets)" form="done-form-0"', session_0)
    assert fields == [f"log-{k}-sets" for k in range(len(names))]
    data = {"exercises": names, fields[1]: "3"}
    auth.post(f"/week/{week}/sessions/0/done", data=data, headers=HX_PLAN)
    (log,) = _rows(app, StrengthLog)
    assert log.details == {names[1]: {"sets": 3}}


def test_the_short_version_marks_its_own_exercises_done(app, client, auth):
    _runner_with_runs(auth, days=(1, 4))
    plan = _plan(client)
    short = [ex["name"] for ex in plan["sessions"][0]["short"]["exercises"]]
    assert short
    auth.post(f"/week/{plan['week']}/sessions/0/done", data={"version": "short"}, headers=HX_PLAN)
    (log,) = _rows(app, StrengthLog)
    assert log.exercises == short and log.status == "done"


def test_a_swap_brings_the_new_exercises_how_to_and_drawing():
    original = next(e for e in catalogue.exercises() if catalogue.alternatives(e.name, ("gym",)))
    alternative = catalogue.alternatives(original.name, ("gym",))[0]
    ex = {
        "name": original.name,
        "muscles": list(original.muscles),
        "reps": 10,
        "how_to": original.how_to_card(),
        "drawing": original.drawing,
        "progress": "last time 3 x 8, this time 3 x 10",
    }
    plan = {"sessions": [{"exercises": [ex]}]}
    plans.apply_swaps(plan, {f"0:{original.name}": alternative.name}, ("gym",))
    assert ex["name"] == alternative.name and ex["swapped_from"] == original.name
    assert ex["how_to"] == alternative.how_to_card() and ex["how_to"] != original.how_to_card()
    assert ex["drawing"] == alternative.drawing
    assert ex["progress"] == "", "the old exercise's progress does not carry over"


@pytest.mark.parametrize(
    "to, kg, words, per_hand",
    [
        ("Goblet squat", 20.0, "20 kg", False),  # one weight held at the chest
        ("Split squat", 20.0, "10 kg per hand", True),
        ("Bodyweight squat", None, "", False),  # no weights to carry over
    ],
)
def test_a_swap_says_the_new_exercises_weight_and_the_session_follows_it(to, kg, words, per_hand):
    """A swapped-in exercise is loaded the way it is held, and the rest of the session (the
    pairing, the short version) names it instead of the exercise that went."""
    ex = {"name": "Bulgarian split squat", "reps": 6, "load_kg": 20.0,
          "load_words": "10 kg per hand", "load_per_hand": True}
    partner = {"name": "Tibialis raise", "reps": 15, "pair_with": "Bulgarian split squat"}
    short = {"exercises": [{"name": "Bulgarian split squat", "sets": 2}]}
    plan = {"sessions": [{"exercises": [ex, partner], "short": short}]}
    plans.apply_swaps(plan, {"0:Bulgarian split squat": to}, ("dumbbells",))
    assert ex["name"] == to
    assert (ex["load_kg"], ex["load_words"], ex["load_per_hand"]) == (kg, words, per_hand)
    assert partner["pair_with"] == to
    assert short["exercises"][0]["name"] == to


def test_the_check_in_needs_its_csrf_token(client, auth):
    _runner_with_runs(auth, days=(1,))
    week = _plan(client)["week"]
    response = client.post(f"/week/{week}/soreness", data={"level": "fresh"})
    assert response.status_code == 400
    with client.application.app_context():
        session = new_session()
        assert session.scalar(select(func.count(SorenessCheckIn.id))) == 0
        session.close()


def test_the_first_import_asks_for_the_profile_until_it_is_answered(client, auth):
    auth.register()
    first = upload(auth, [("a.fit", run_fit(recent_start(2)))]).get_data(as_text=True)
    assert 'href="/profile"' in first and "six quick answers" in first
    auth.post("/profile", data=PROFILE)
    later = upload(auth, [("b.fit", run_fit(recent_start(3)))]).get_data(as_text=True)
    assert "Imported" in later and 'href="/profile"' not in later


def test_settings_asks_the_goal_and_the_equipment_once(app, client, auth):
    """The goal and the equipment are the profile form's (on /profile, shown read-only in
    Settings); Settings has one form to save, and saving it keeps them."""
    from tests.webapp.test_settings import GOOD

    _runner_with_runs(auth, days=(1, 3))
    auth.post("/profile", data=PROFILE)
    html = client.get("/settings").get_data(as_text=True)
    assert "What do you want to be strong for?" not in html and "Equipment you have" not in html
    assert html.count("<dt>Goal</dt>") == 1 and html.count("<dt>Equipment</dt>") == 1
    assert 'name="equipment"' not in html and 'name="goal"' not in html
    auth.post("/settings", data=GOOD)
    assert _rows(app, RunnerProfile)[0].profile_goal == PROFILE["goal"]
    assert _plan(client)["profile"]["goal"] == PROFILE["goal"]


def test_mark_done_and_undo_speak_in_the_card_they_acted_on(app, client, auth):
    """The plan fragment comes back whole: the message goes in the session's own card, and the
    swap scrolls that card into view (not the top of the plan, 2,000 px away)."""
    _runner_with_runs(auth, days=(1, 4))
    week = _plan(client)["week"]
    page = client.get(f"/week/{week}").get_data(as_text=True)
    done_form = re.search(r'<form [^>]*id="done-form-0"[^>]*>', page).group(0)
    assert 'hx-swap="outerHTML show:#session-0:top"' in done_form
    html = auth.post(f"/week/{week}/sessions/0/done", data={"version": "short"}, headers=HX_PLAN)
    html = html.get_data(as_text=True)
    card = re.search(r'<article [^>]*id="session-0".*?</article>', html, re.S).group(0)
    assert "exercises logged." in card and 'role="status"' in card
    undo = re.search(r'<form [^>]*/sessions/0/undo"[^>]*>', card).group(0)
    assert 'hx-swap="outerHTML show:#session-0:top"' in undo
    assert "exercises logged." not in html.split('id="session-0"')[0], "not above the plan"
    again = auth.post(f"/week/{week}/sessions/0/undo", headers=HX_PLAN).get_data(as_text=True)
    card = re.search(r'<article [^>]*id="session-0".*?</article>', again, re.S).group(0)
    assert "open again" in card
    # Without JavaScript: back to the week page at that session.
    plain = auth.post(f"/week/{week}/sessions/0/done", data={"version": "short"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith("#session-0")


def test_a_past_week_says_that_week_not_this_week(client, auth):
    _runner_with_runs(auth, days=(1, 15))
    year, number, _ = (datetime.now(UTC).date() - timedelta(days=15)).isocalendar()
    past = client.get(f"/week/{year}-W{number:02d}").get_data(as_text=True)
    assert "Strength that week" in past and "Strength this week" not in past
    year, number, _ = datetime.now(UTC).date().isocalendar()
    this = client.get(f"/week/{year}-W{number:02d}").get_data(as_text=True)
    assert "Strength this week" in this and "Strength that week" not in this
