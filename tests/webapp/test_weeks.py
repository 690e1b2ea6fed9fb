"""webapp.weeks.weekly_context: runs, state, trend, plan, swaps, logs, caches (real database)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from engine.muscles import LEG_MUSCLES
from tests.webapp.files import WEDNESDAY, run_fit
from webapp import ingest, weeks
from webapp.models import PlanAdjustment, StrengthLog


def test_weekly_context_has_the_weeks_runs_state_trend_and_plan(db, user):
    weeks.clear_cache()
    now = WEDNESDAY
    start = now - timedelta(hours=2)
    ingest.ingest(db, user, "today.fit", run_fit(start, seconds=3600, hill_m=60))
    ingest.ingest(db, user, "old.fit", run_fit(now - timedelta(days=20)))
    view = weeks.weekly_context(db, user, None, now=now)
    assert view.is_current
    assert view.start <= start.date() <= view.end
    assert [r.local_day for r in view.runs] == [start.date()]
    assert view.totals["runs"] == 1
    assert view.totals["distance_m"] == pytest.approx(10800, rel=0.02)
    by_key = {m["key"]: m for m in view.muscles}
    assert set(by_key) == set(LEG_MUSCLES)
    assert max(m["level"] for m in view.muscles) == 4
    assert by_key["calves"]["week_load"] > by_key["tibialis_anterior"]["week_load"]
    assert len(view.trend["days"]) == weeks.CHART_DAYS == 84  # the 12-week chart
    assert view.trend["muscles"]["calves"]["acute"][-1] > 0
    assert view.trend_ready
    calves = next(t for t in view.trend_rows if t["key"] == "calves")
    # A 1-hour run after a single 30-minute one three weeks before: several times the 6-week
    # average, said as a multiple rather than a percentage on a small base.
    assert calves["status"] == "hot"
    assert re.fullmatch(r"Last 7 days: about \d+ times your 6-week average\.", calves["words"])
    assert view.plan["sessions"], view.plan
    for session in view.plan["sessions"]:
        for exercise in session["exercises"]:
            assert exercise["why"]
    assert view.to_dict()["week"] == view.week


def test_a_new_runners_trend_waits_for_a_baseline(db, user):
    weeks.clear_cache()
    now = WEDNESDAY
    ingest.ingest(db, user, "today.fit", run_fit(now - timedelta(hours=3)))
    view = weeks.weekly_context(db, user, None, now=now)
    assert not view.trend_ready and view.history_days == 1
    assert all(t["words"].startswith("Building your baseline") for t in view.trend_rows)


def before_and_after(*views):
    return [session for view in views for session in view.plan["sessions"]]


def test_a_swap_and_a_log_change_the_week(db, user):
    weeks.clear_cache()
    now = WEDNESDAY
    ingest.ingest(db, user, "today.fit", run_fit(now - timedelta(hours=3)))
    view = weeks.weekly_context(db, user, None, now=now)
    first = view.plan["sessions"][0]["exercises"][0]
    assert first["alternatives"], first
    alt = first["alternatives"][0]
    swaps = {f"0:{first['name']}": alt}
    db.add(PlanAdjustment(user_id=user.id, week=view.week, data={"swaps": swaps}))
    db.add(
        StrengthLog(
            user_id=user.id,
            week=view.week,
            session_index=0,
            day=now.date(),
            status="done",
            exercises=[alt],
        )
    )
    db.commit()
    after = weeks.weekly_context(db, user, None, now=now)
    for session in before_and_after(view, after):
        names = [ex["name"] for ex in session["exercises"]]
        assert len(names) == len(set(names)), "no exercise twice in a session"
        for ex in session["exercises"]:
            assert not set(ex["alternatives"]) & set(names), ex
    swapped = after.plan["sessions"][0]["exercises"][0]
    assert swapped["name"] == alt and swapped["swapped_from"] == first["name"]
    assert first["name"] in swapped["alternatives"]
    assert after.logs[0]["exercises"] == [alt]


def test_a_settings_change_changes_the_plan(db, user):
    weeks.clear_cache()
    now = WEDNESDAY
    ingest.ingest(db, user, "today.fit", run_fit(now - timedelta(hours=3)))
    before = weeks.weekly_context(db, user, None, now=now)
    user.available_days = [6]
    user.long_run_day = None
    db.commit()
    after = weeks.weekly_context(db, user, None, now=now)
    assert before.plan != after.plan


def test_week_labels_follow_the_users_week_start(db, user):
    user.week_start = 6
    db.commit()
    view = weeks.weekly_context(db, user, "2026-W10", now=WEDNESDAY)
    assert view.start.weekday() == 6
    assert view.week == "2026-W10"
    with pytest.raises(ValueError):
        weeks.weekly_context(db, user, "last week")


def test_the_cached_week_follows_uploads_and_deletes(db, user):
    weeks.clear_cache()
    now = WEDNESDAY
    [first] = ingest.ingest(db, user, "a.fit", run_fit(now - timedelta(days=1)))
    before = weeks.weekly_context(db, user, None, now=now)
    assert before.state.activities == 1
    [second] = ingest.ingest(db, user, "b.fit", run_fit(now - timedelta(days=2)))
    after_upload = weeks.weekly_context(db, user, None, now=now)
    assert after_upload.state.activities == 2
    assert after_upload.totals["runs"] == 2
    calves = "calves"
    assert after_upload.state.muscles[calves].acute > before.state.muscles[calves].acute
    ingest.delete_activity(db, user, first.activity_id)
    after_delete = weeks.weekly_context(db, user, None, now=now)
    assert after_delete.state.activities == 1
    assert [r.id for r in after_delete.runs] == [second.activity_id]


def test_a_past_weeks_table_and_chart_give_the_same_last_7_days(db, user):
    """The table's "last 7 days" and "usual week" are the chart's values for the week's last
    day (the state at the end of Sunday, not after the step into Monday)."""
    weeks.clear_cache()
    for days in (3, 5, 9, 12, 16, 19):
        ingest.ingest(db, user, f"r{days}.fit", run_fit(WEDNESDAY - timedelta(days=days)))
    past = weeks.weekly_context(db, user, (WEDNESDAY - timedelta(days=7)).date(), now=WEDNESDAY)
    assert not past.is_current and past.trend["days"][-1] == past.end.isoformat()
    for m in past.muscles:
        chart = past.trend["muscles"][m["key"]]
        assert m["acute"] == pytest.approx(chart["acute"][-1], abs=0.6), m["key"]
        assert m["chronic"] == pytest.approx(chart["chronic"][-1], abs=0.6), m["key"]
    assert max(m["acute"] for m in past.muscles) > 0


def test_a_muscle_the_table_calls_none_is_not_coloured_on_the_map(db, user):
    """A tiny run (100 m): a muscle with under 1 unit that week reads "none" in the table and
    is uncoloured on the map, even when it is half the week's most loaded muscle."""
    weeks.clear_cache()
    now = WEDNESDAY
    ingest.ingest(db, user, "tiny.fit", run_fit(now - timedelta(hours=2), seconds=33, hill_m=0))
    view = weeks.weekly_context(db, user, None, now=now)
    tiny = [m for m in view.muscles if m["week_load"] < 1.0]
    assert tiny, [(m["key"], m["week_load"]) for m in view.muscles]
    assert all(m["level"] == 0 and m["level_words"] == "none" for m in tiny), tiny
