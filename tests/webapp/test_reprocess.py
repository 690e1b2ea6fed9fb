"""webapp.reprocess and `legday reprocess`: stored activities recomputed from their original
files once per model version; a week whose session was marked done keeps its plan."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.stimulus import MODEL_VERSION
from tests.webapp.files import WEDNESDAY, in_this_week, intervals_fit, run_fit
from webapp import ingest, reprocess, weeks
from webapp.models import Activity, ReprocessRun, User, WeekPlan

# What a load-1 row looked like: muscles and systemic load, no structure, no on-foot flag.
LOAD_1 = {
    "model_version": "load-1",
    "muscles": {
        "quadriceps": {
            "concentric": 9.0,
            "eccentric": 40.0,
            "isometric": 1.0,
            "damage": 3.0,
            "total": 50.0,
        },
        "hamstrings": {
            "concentric": 2.0,
            "eccentric": 2.0,
            "isometric": 0.0,
            "damage": 2.0,
            "total": 4.0,
        },
    },
    "systemic_load": 99.0,
    "notes": ["load-1"],
}


def _make_load_1(db) -> list[Activity]:
    rows = db.scalars(select(Activity).order_by(Activity.id)).all()
    for row in rows:
        row.model_version, row.stimulus, row.systemic_load = "load-1", dict(LOAD_1), 99.0
    for user in db.scalars(select(User)):
        user.loads_basis = None  # stimulus rewritten behind the app's back: rebuild the days
    db.commit()
    weeks.clear_cache()
    return rows


def test_reprocess_turns_load_1_rows_into_load_2(db, user):
    ingest.ingest(db, user, "reps.fit", intervals_fit(WEDNESDAY - timedelta(days=1)))
    ingest.ingest(db, user, "hills.fit", run_fit(WEDNESDAY - timedelta(days=3), hill_m=60))
    # The uploads moved the estimated threshold: their history was queued again; run that.
    reprocess.run_pending(db)
    fresh = {r.id: dict(r.stimulus) for r in db.scalars(select(Activity))}
    queued_before = len(db.scalars(select(ReprocessRun)).all())
    rows = _make_load_1(db)
    assert reprocess.request(db, reprocess.version_key())
    report = reprocess.run_pending(db)
    assert report.runs == 1 and report.activities == 2
    for row in rows:
        db.refresh(row)
        assert row.model_version == MODEL_VERSION == row.stimulus["model_version"]
        assert row.stimulus["structure"]["segments"] and row.stimulus["on_foot"] is True
        assert row.stimulus["muscles"] != LOAD_1["muscles"]
        assert row.systemic_load != 99.0
        assert row.stimulus["muscles"] == fresh[row.id]["muscles"]
        assert row.summary["stimulus_notes"] != ["load-1"]
    assert rows[0].stimulus["structure"]["run_type"] in {"intervals", "sprints"}
    run = db.scalar(select(ReprocessRun).where(ReprocessRun.key == reprocess.version_key()))
    assert run.status == "done" and run.activities == 2 and run.finished_at is not None
    assert len(db.scalars(select(ReprocessRun)).all()) == queued_before + 1


def test_a_model_version_is_reprocessed_once(app, db, user, runner):
    ingest.ingest(db, user, "run.fit", run_fit(WEDNESDAY - timedelta(days=2)))
    _make_load_1(db)
    first = runner.invoke(args=["reprocess"])
    assert first.exit_code == 0, first.output
    assert f"model {MODEL_VERSION} pass queued" in first.output
    assert "1 activities recomputed" in first.output
    # The same version again (a second release, a second process): nothing is redone.
    _make_load_1(db)
    second = runner.invoke(args=["reprocess", "--queue"])
    third = runner.invoke(args=["reprocess"])
    assert "already queued or done" in second.output and "0 activities" in third.output
    db.expire_all()
    assert db.scalar(select(Activity.model_version)) == "load-1"
    keys = db.scalars(select(ReprocessRun.key)).all()
    assert keys.count(reprocess.version_key()) == 1, keys


def test_queue_only_leaves_the_work_to_the_clock(app, db, user, runner):
    from webapp.commands.clock import reprocess_pending

    ingest.ingest(db, user, "run.fit", run_fit(WEDNESDAY - timedelta(days=2)))
    _make_load_1(db)
    queued = runner.invoke(args=["reprocess", "--queue"])
    assert queued.exit_code == 0 and "pass queued" in queued.output
    db.expire_all()
    assert db.scalar(select(Activity.model_version)) == "load-1"  # not in the release step
    reprocess_pending(app)
    db.expire_all()
    assert db.scalar(select(Activity.model_version)) == MODEL_VERSION


def test_a_moved_threshold_queues_the_runners_history(db, user):
    ingest.ingest(db, user, "easy.fit", run_fit(WEDNESDAY - timedelta(days=9), hill_m=0))
    row = db.scalar(select(Activity))
    structure = dict(row.stimulus["structure"])
    structure["threshold_speed_mps"] = 2.0  # as if computed with a much slower threshold
    row.stimulus = {**row.stimulus, "structure": structure}
    db.commit()
    assert reprocess.request_if_threshold_moved(db, user)
    assert not reprocess.request_if_threshold_moved(db, user)  # once per estimate
    reprocess.run_pending(db)
    db.refresh(row)
    assert row.stimulus["structure"]["threshold_speed_mps"] != 2.0
    user.threshold_pace_s_per_km = 240.0  # a set threshold: no estimate, nothing queued
    assert not reprocess.request_if_threshold_moved(db, user)


def test_a_done_week_keeps_its_plan_after_reprocessing(app, db, user, client, auth):
    ingest.ingest(db, user, "run.fit", run_fit(in_this_week(30), seconds=3000, hill_m=120))
    # The week as a load-1 model saw it: heavy quadriceps damage.
    _make_load_1(db)
    user_id = user.id
    before = weeks.weekly_context(db, user)
    assert before.plan["sessions"], before.plan
    auth.login()
    done = auth.post(f"/week/{before.week}/sessions/0/done", data={"exercises": []})
    assert done.status_code in (200, 302, 303)
    db.expire_all()
    stored = db.scalar(select(WeekPlan).where(WeekPlan.user_id == user_id))
    assert stored is not None and stored.week == before.week
    assert reprocess.request(db, reprocess.version_key())
    assert reprocess.run_pending(db).activities == 1
    weeks.clear_cache()
    user = db.get(User, user_id)
    after = weeks.weekly_context(db, user)
    blocks = [s["leg_block"] for s in after.plan["sessions"]]
    assert blocks == [s["leg_block"] for s in before.plan["sessions"]]
    assert [s["exercises"] for s in after.base_plan["sessions"]] == [
        s["exercises"] for s in before.base_plan["sessions"]
    ]
    # Without the stored plan the reprocessed history gives another plan: the test can fail.
    db.delete(stored)
    db.commit()
    weeks.clear_cache()
    fresh = weeks.weekly_context(db, db.get(User, user_id))
    assert fresh.base_plan != before.base_plan


def test_reprocess_one_runner_by_hand(app, db, user, runner):
    other = User(email="other@example.com", password_hash="x")
    db.add(other)
    db.commit()
    ingest.ingest(db, user, "mine.fit", run_fit(WEDNESDAY - timedelta(days=2)))
    ingest.ingest(db, other, "theirs.fit", run_fit(WEDNESDAY - timedelta(days=2), hill_m=10))
    reprocess.run_pending(db)
    _make_load_1(db)
    result = runner.invoke(args=["reprocess", "--user", str(user.id)])
    assert result.exit_code == 0 and "1 activities recomputed" in result.output, result.output
    db.expire_all()
    versions = dict(db.execute(select(Activity.user_id, Activity.model_version)).all())
    assert versions == {user.id: MODEL_VERSION, other.id: "load-1"}
