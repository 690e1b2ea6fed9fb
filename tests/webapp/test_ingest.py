"""pipeline.ingest and weekly_context against a real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.muscles import LEG_MUSCLES
from tests.webapp.files import WEDNESDAY, recent_start, ride_fit, run_fit, run_gpx, zip_of
from webapp import pipeline
from webapp.auth import create_user
from webapp.db import new_session
from webapp.models import Activity, OriginalFile, PlanAdjustment, StrengthLog


@pytest.fixture
def db(app):
    with app.app_context():
        session = new_session()
        yield session
        session.close()


@pytest.fixture
def user(db):
    u = create_user(db, "runner@example.com", "correct horse")
    db.commit()
    return u


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_a_fit_run_is_stored_with_its_file_summary_series_and_stimulus(db, user):
    data = run_fit(seconds=2400)
    [result] = pipeline.ingest(db, user, "morning.fit", data)
    assert result.status == "imported", result
    assert result.distance_m == pytest.approx(7200, rel=0.02)
    row = db.get(Activity, result.activity_id)
    assert row.user_id == user.id and row.is_run and row.source_format == "fit"
    original = db.get(OriginalFile, row.original_file_id)
    assert original.content == data
    assert original.sha256 == hashlib.sha256(data).hexdigest()
    assert set(row.stimulus["muscles"]) >= set(LEG_MUSCLES)
    assert row.stimulus["muscles"]["calves"]["total"] > 0
    assert row.systemic_load and row.systemic_load > 0
    assert row.model_version
    series = row.chart_series
    assert 100 < len(series["t"]) <= pipeline.MAX_CHART_POINTS
    assert len(series["lat"]) == len(series["alt"]) == len(series["pace"]) == len(series["t"])
    # 3 m/s is 5:33 per km; the chart's pace agrees away from the ends.
    middle = [p for p in series["pace"][10:-10] if p]
    assert middle and all(abs(p - 333) < 15 for p in middle)
    assert len(row.summary["splits"]) == 8


def test_the_same_file_twice_is_a_duplicate_and_stores_nothing_new(db, user):
    data = run_fit()
    pipeline.ingest(db, user, "a.fit", data)
    [again] = pipeline.ingest(db, user, "a-copy.fit", data)
    assert again.status == "duplicate"
    assert again.activity_id is not None
    assert count(db, Activity) == 1 and count(db, OriginalFile) == 1


def test_the_gpx_of_a_run_already_imported_as_fit_is_a_duplicate(db, user):
    start = recent_start(3)
    pipeline.ingest(db, user, "run.fit", run_fit(start))
    [result] = pipeline.ingest(db, user, "run.gpx", run_gpx(start))
    assert result.status == "duplicate"
    assert count(db, Activity) == 1 and count(db, OriginalFile) == 1


def test_a_ride_is_stored_but_skipped_as_not_a_run(db, user):
    [result] = pipeline.ingest(db, user, "ride.fit", ride_fit())
    assert result.status == "skipped"
    assert "not a run" in result.message.lower()
    row = db.get(Activity, result.activity_id)
    assert row.sport == "cycling" and not row.is_run
    assert row.stimulus == {} and row.systemic_load is None


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("photo.fit", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "PNG"),
        ("empty.gpx", b"", "empty"),
        ("broken.gpx", b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt lat='1'", ""),
    ],
)
def test_refused_files_leave_nothing_behind(db, user, name, data, words):
    [result] = pipeline.ingest(db, user, name, data)
    assert result.status == "refused"
    assert words in result.message
    assert result.message and "Traceback" not in result.message
    assert count(db, Activity) == 0 and count(db, OriginalFile) == 0


def test_a_zip_reports_each_member_and_stores_each_members_own_bytes(db, user):
    good = run_fit(recent_start(4))
    archive = zip_of(
        {
            "export/run.fit": good,
            "export/broken.gpx": b"<gpx><trk><trkseg><trkpt lat='1' lon='2'>",
            "export/readme.txt": b"hello",
            "export/ride.fit": ride_fit(recent_start(5)),
        }
    )
    results = pipeline.ingest(db, user, "export.zip", archive)
    by_name = {r.source_name: r.status for r in results}
    assert by_name == {
        "export/run.fit": "imported",
        "export/broken.gpx": "refused",
        "export/readme.txt": "skipped",
        "export/ride.fit": "skipped",
    }
    assert count(db, Activity) == 2
    shas = set(db.scalars(select(OriginalFile.sha256)))
    assert hashlib.sha256(good).hexdigest() in shas
    assert hashlib.sha256(archive).hexdigest() not in shas


def test_progress_is_reported_after_each_file(db, user):
    archive = zip_of({"a.fit": run_fit(recent_start(4)), "b.fit": run_fit(recent_start(6))})
    seen = []
    pipeline.ingest(db, user, "two.zip", archive, progress=lambda rs: seen.append(len(rs)))
    assert seen[:2] == [1, 2]


def test_delete_removes_the_activity_and_its_unshared_file(db, user):
    [result] = pipeline.ingest(db, user, "a.fit", run_fit())
    assert pipeline.delete_activity(db, user, result.activity_id)
    assert count(db, Activity) == 0 and count(db, OriginalFile) == 0
    assert not pipeline.delete_activity(db, user, result.activity_id)


def test_weekly_context_has_the_weeks_runs_state_trend_and_plan(db, user):
    pipeline.clear_cache()
    now = WEDNESDAY
    start = now - timedelta(hours=2)
    pipeline.ingest(db, user, "today.fit", run_fit(start, seconds=3600, hill_m=60))
    pipeline.ingest(db, user, "old.fit", run_fit(now - timedelta(days=20)))
    view = pipeline.weekly_context(db, user, None, now=now)
    assert view.is_current
    assert view.start <= start.date() <= view.end
    assert [r.local_day for r in view.runs] == [start.date()]
    assert view.totals["runs"] == 1
    assert view.totals["distance_m"] == pytest.approx(10800, rel=0.02)
    by_key = {m["key"]: m for m in view.muscles}
    assert set(by_key) == set(LEG_MUSCLES)
    assert max(m["level"] for m in view.muscles) == 4
    assert by_key["calves"]["week_load"] > by_key["tibialis_anterior"]["week_load"]
    assert len(view.trend["days"]) == pipeline.TREND_DAYS
    assert view.trend["muscles"]["calves"]["acute"][-1] > 0
    assert view.trend_ready
    calves = next(t for t in view.trend_rows if t["key"] == "calves")
    assert "above your 6-week average" in calves["words"]
    assert len(calves["acute_points"].split()) == pipeline.TREND_DAYS
    assert view.plan["sessions"], view.plan
    for session in view.plan["sessions"]:
        for exercise in session["exercises"]:
            assert exercise["why"]
    assert view.to_dict()["week"] == view.week


def test_a_new_runners_trend_waits_for_a_baseline(db, user):
    pipeline.clear_cache()
    now = WEDNESDAY
    pipeline.ingest(db, user, "today.fit", run_fit(now - timedelta(hours=3)))
    view = pipeline.weekly_context(db, user, None, now=now)
    assert not view.trend_ready and view.history_days == 1
    assert all(t["words"].startswith("Building your baseline") for t in view.trend_rows)


def before_and_after(*views):
    return [session for view in views for session in view.plan["sessions"]]


def test_a_swap_and_a_log_change_the_week(db, user):
    pipeline.clear_cache()
    now = WEDNESDAY
    pipeline.ingest(db, user, "today.fit", run_fit(now - timedelta(hours=3)))
    view = pipeline.weekly_context(db, user, None, now=now)
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
    after = pipeline.weekly_context(db, user, None, now=now)
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
    pipeline.clear_cache()
    now = WEDNESDAY
    pipeline.ingest(db, user, "today.fit", run_fit(now - timedelta(hours=3)))
    before = pipeline.weekly_context(db, user, None, now=now)
    user.available_days = [6]
    user.long_run_day = None
    db.commit()
    after = pipeline.weekly_context(db, user, None, now=now)
    assert before.plan != after.plan


def test_week_labels_follow_the_users_week_start(db, user):
    user.week_start = 6
    db.commit()
    view = pipeline.weekly_context(db, user, "2026-W10", now=WEDNESDAY)
    assert view.start.weekday() == 6
    assert view.week == "2026-W10"
    with pytest.raises(ValueError):
        pipeline.weekly_context(db, user, "last week")


def test_the_cached_week_follows_uploads_and_deletes(db, user):
    pipeline.clear_cache()
    now = WEDNESDAY
    [first] = pipeline.ingest(db, user, "a.fit", run_fit(now - timedelta(days=1)))
    before = pipeline.weekly_context(db, user, None, now=now)
    assert before.state.activities == 1
    [second] = pipeline.ingest(db, user, "b.fit", run_fit(now - timedelta(days=2)))
    after_upload = pipeline.weekly_context(db, user, None, now=now)
    assert after_upload.state.activities == 2
    assert after_upload.totals["runs"] == 2
    calves = "calves"
    assert after_upload.state.muscles[calves].acute > before.state.muscles[calves].acute
    pipeline.delete_activity(db, user, first.activity_id)
    after_delete = pipeline.weekly_context(db, user, None, now=now)
    assert after_delete.state.activities == 1
    assert [r.id for r in after_delete.runs] == [second.activity_id]


def test_a_file_that_fails_half_way_leaves_nothing_behind(db, user):
    """A two-leg FIT file whose second row the database refuses: neither leg nor the file stays."""
    from sqlalchemy import event

    from tests.importers.samples import fit_bytes, make_track

    track = make_track(seconds=1200, speed=3.0, start=recent_start(2))
    legs = [(0, 600, "cycling", "road"), (600, 1201, "running", "generic")]
    data = fit_bytes(track, sessions=legs)
    inserted = []

    def refuse_the_second(_mapper, _connection, target):
        inserted.append(target.sport)
        if len(inserted) == 2:
            raise RuntimeError("disk full")

    event.listen(Activity, "before_insert", refuse_the_second)
    try:
        results = pipeline.ingest(db, user, "brick.fit", data)
    finally:
        event.remove(Activity, "before_insert", refuse_the_second)
    assert inserted == ["cycling", "running"]
    assert [r.status for r in results] == ["refused"]
    assert results[0].message == pipeline.STORE_FAILED
    assert count(db, Activity) == 0 and count(db, OriginalFile) == 0
    # The same file goes in whole once the database takes it.
    assert [r.status for r in pipeline.ingest(db, user, "brick.fit", data)] == [
        "skipped",
        "imported",
    ]
