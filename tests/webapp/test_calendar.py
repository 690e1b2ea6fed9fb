"""The calendar of weeks, the home week for a runner with a history, the week picker, and the
plain wording of load changes (webapp.week_calendar, webapp.views.calendar, webapp.load_words)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.webapp.files import recent_start, run_fit
from webapp import ingest, week_calendar
from webapp.load_words import FLOOR_LOAD, change_words, quiet_words
from webapp.weeks import week_label

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def upload(auth, files):
    return auth.post("/upload", data={"files": files}, content_type="multipart/form-data")


def _files(*starts):
    return [(io.BytesIO(run_fit(s, seconds=900)), f"r{i}.fit") for i, s in enumerate(starts)]


# --- wording --------------------------------------------------------------------------------


def test_no_percentage_on_a_tiny_base():
    # A 41 km race after a quiet spell: 5.4 times the usual week reads as a multiple.
    assert change_words(438, 81).words == "About 5 times your usual week."
    assert change_words(438, 81).status == "hot"
    # Under the floor the usual week is too light to divide by.
    new = change_words(300, FLOOR_LOAD / 2)
    assert new.status == "new" and "%" not in new.words and new.short == "new"
    assert change_words(10, 5).words == "Light, like your usual week."
    assert change_words(0, 0).status == "none"


def test_moderate_changes_keep_a_percentage_and_level_reads_level():
    assert change_words(125, 100).words == "25 % more than your usual week."
    assert change_words(125, 100).short == "+25 %"
    assert change_words(60, 100).words == "40 % less than your usual week."
    assert change_words(60, 100).status == "neglected"
    assert change_words(105, 100).words == "About the same as your usual week."
    assert change_words(310, 100).short == "3 × usual"


def test_quiet_spell_words():
    assert quiet_words(5) == "Your first run in 5 weeks."
    assert quiet_words(1) == "" and quiet_words(None) == ""


# --- the calendar ---------------------------------------------------------------------------


def test_year_weeks_groups_runs_by_week_and_month(db, user):
    starts = [
        datetime(2024, 3, 4, 7, tzinfo=UTC),  # Mon
        datetime(2024, 3, 6, 7, tzinfo=UTC),  # Wed, same week
        datetime(2024, 5, 20, 7, tzinfo=UTC),
        datetime(2023, 1, 1, 7, tzinfo=UTC),  # a Sunday: the week of Mon 26 Dec 2022
    ]
    for i, start in enumerate(starts):
        [r] = ingest.ingest(db, user, f"r{i}.fit", run_fit(start, seconds=900))
        assert r.status == "imported"
    assert week_calendar.years_with_runs(db, user) == [(2024, 3), (2022, 1)]
    months = week_calendar.year_weeks(db, user, 2024)
    assert [m["month"] for m in months] == [date(2024, 5, 1), date(2024, 3, 1)]
    march = months[1]["weeks"]
    assert [w["week"] for w in march] == ["2024-W10"]
    assert march[0]["runs"] == 2 and march[0]["start"] == date(2024, 3, 4)
    assert march[0]["distance_m"] > 2 * months[0]["weeks"][0]["distance_m"] * 0.9
    assert march[0]["leg_load"] > months[0]["weeks"][0]["leg_load"] > 0
    assert march[0]["level"] == 4 and months[0]["weeks"][0]["level"] in (2, 3)
    assert week_calendar.year_weeks(db, user, 2023) == []


def test_week_heading_has_the_year_only_when_it_is_not_this_year():
    today = date(2026, 11, 30)
    assert week_calendar.week_heading(date(2025, 9, 8), today) == "Week of Mon 8 Sep 2025"
    assert week_calendar.week_heading(date(2026, 9, 7), today) == "Week of Mon 7 Sep"
    assert week_calendar.week_heading(date(2026, 11, 30), today, True) == "This week"


def test_home_shows_the_week_of_the_last_run_and_says_so(client, auth):
    auth.register()
    last = recent_start(40)
    upload(auth, _files(recent_start(60), last))
    html = client.get("/week").get_data(as_text=True)
    assert "No runs yet this week — here is the week of your last run, " in html
    assert f"{last.day} {last:%b %Y}" in html
    label = week_label(last.date() - timedelta(days=last.weekday()))
    assert f'href="/week/{label}"' in html or "Your legs that week" in html
    # The current week is one tap away and stays itself (no redirect to the old week).
    this_week = re.search(r'href="/week/(\d{4}-W\d{2})">This week.s plan', html)
    assert this_week, html
    current = client.get(f"/week/{this_week.group(1)}").get_data(as_text=True)
    assert "<h1>This week</h1>" in current and "No runs yet this week —" not in current
    assert "no runs" in current  # the body map's table: no "0 (none)" for an empty week


def test_home_after_months_without_runs_shows_this_weeks_plan_and_links_the_old_week(
    client, auth
):
    """A last run months ago (old files from a watch, a long break): home is this week's
    plan, saying when the last run was, with that run's week one tap away."""
    auth.register()
    last = recent_start(200)
    upload(auth, _files(recent_start(230), last))
    html = client.get("/week").get_data(as_text=True)
    assert "<h1>This week</h1>" in html and "No runs yet this week —" not in html
    assert f"Your last run was on {last.day} {last:%b %Y}" in html
    label = week_label(last.date() - timedelta(days=last.weekday()))
    assert re.search(rf'href="/week/{label}">Your last run.s week', html), html


def test_a_run_after_a_quiet_spell_says_so(client, auth):
    auth.register()
    upload(auth, _files(recent_start(50), recent_start(1)))
    html = client.get("/week").get_data(as_text=True)
    assert re.search(r"Your first run in \d+ weeks\.", html), html


def test_calendar_pages_fragments_and_picker(client, auth):
    auth.register()
    upload(auth, _files(datetime(2024, 3, 6, 7, tzinfo=UTC), datetime(2025, 6, 4, 7, tzinfo=UTC)))
    page = client.get("/weeks").get_data(as_text=True)
    assert "<h1>All your weeks</h1>" in page
    assert 'href="/week/2025-W23"' in page  # the newest year in full
    assert 'hx-get="/weeks/2024"' in page and 'hx-trigger="revealed"' in page  # older: lazy
    assert 'href="/week/2024-W10"' not in page
    fragment = client.get("/weeks/2024", headers={"HX-Request": "true", "HX-Target": "year-2024"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'id="year-2024"' in text and 'href="/week/2024-W10"' in text
    assert "<html" in client.get("/weeks/2024").get_data(as_text=True)
    assert client.get("/weeks/1066").status_code == 404
    go = client.get("/weeks/go?day=2024-03-09")
    assert go.status_code == 302 and go.headers["Location"].endswith("/week/2024-W10")
    for bad in ("day=yesterday", "day=0001-01-01", "week=2024-W99", ""):
        answer = client.get(f"/weeks/go?{bad}")
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/weeks"), bad
    assert "Choose a day" in client.get("/weeks").get_data(as_text=True)


def test_an_activity_links_to_its_week_and_old_weeks_carry_their_year(client, auth):
    auth.register()
    upload(auth, _files(datetime(2024, 3, 6, 7, tzinfo=UTC)))
    runs = client.get("/activities").get_data(as_text=True)
    activity = re.search(r'href="(/activities/\d+)"', runs).group(1)
    html = client.get(activity).get_data(as_text=True)
    assert '<a href="/week/2024-W10">Its week</a>' in html
    week = client.get("/week/2024-W10").get_data(as_text=True)
    assert "<h1>Week of Mon 4 Mar 2024</h1>" in week


def test_every_htmx_target_keeps_it_from_the_links_and_forms_inside():
    """A fragment target is not inherited: a boosted link inside it swaps the whole page."""
    for path in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<[a-z]+\s[^>]*hx-target=[^>]*>", path.read_text()):
            assert 'hx-disinherit="*"' in tag, f"{path.name}: {tag}"


def test_the_email_uses_the_same_words_and_no_alarm_for_every_muscle():
    from engine.muscles import LABELS, LEG_MUSCLES
    from webapp.weekly.digest import WeeklyDigest, muscle_picture

    muscles = [
        {"key": k, "label": LABELS[k], "week_load": 307.0, "chronic": 100.0} for k in LEG_MUSCLES
    ]
    lines = muscle_picture(muscles)
    assert {line.change for line in lines} == {"3 × usual"}
    assert all(line.status == "hot" for line in lines)
    fields = {name: "" for name in WeeklyDigest.__dataclass_fields__}
    digest = WeeklyDigest(
        **{
            **fields,
            "run_count": 1,
            "runs": [],
            "sessions": [],
            "muscles": lines,
            "hot": [line.label for line in lines],
            "neglected": [],
        }
    )
    assert digest.more_line == "Every leg muscle did more than in your usual week."
    assert digest.less_line == ""
