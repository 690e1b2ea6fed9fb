"""webapp.daily_loads: the stored days (and their carry) give the state of every stored run;
they follow uploads of old runs, deletes and a change of time zone (real database)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.days import state_from_days
from engine.muscles import ALL_MUSCLES, LEG_MUSCLES
from engine.state import compute_state
from tests.webapp.files import run_fit
from webapp import daily_loads, ingest, weeks
from webapp.loads import load_record
from webapp.models import Activity, DailyLoad

NOW = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)


def stimulus(rng: random.Random) -> dict:
    muscles = {k: {"total": rng.uniform(5, 150), "damage": rng.uniform(0, 30)} for k in LEG_MUSCLES}
    return {"muscles": muscles, "systemic_load": rng.uniform(20, 200)}


def add_runs(db, user, days: int, seed: int = 1, end: datetime = NOW, skip=0.3) -> list[Activity]:
    """About one run a day for `days` days before `end` (stored rows, as an import leaves them)."""
    rng = random.Random(seed)
    rows = []
    for day in range(days, 0, -1):
        if rng.random() < skip:
            continue
        start = end - timedelta(days=day) + timedelta(hours=rng.uniform(-6, 8))
        rows.append(
            Activity(
                user_id=user.id,
                source_format="fit",
                sport="running",
                is_run=True,
                start_time=start,
                elapsed_time_s=rng.uniform(1200, 7200),
                moving_time_s=1800.0,
                distance_m=8000.0,
                fingerprint=f"gen-{seed}-{day}",
                stimulus=stimulus(rng),
            )
        )
    db.add_all(rows)
    db.commit()
    return rows


def per_run_state(db, user, as_of):
    rows = db.execute(
        select(Activity.start_time, Activity.elapsed_time_s, Activity.stimulus).where(
            Activity.user_id == user.id, Activity.is_run.is_(True)
        )
    ).all()
    return compute_state([load_record(*r) for r in rows if r[2]], as_of)


def stored_state(db, user, as_of, needed_from):
    days, carry = daily_loads.days_for(
        db, user, daily_loads.activities_key(db, user), needed_from.date()
    )
    return state_from_days(days, as_of, weeks.user_zone(user), carry), carry


def assert_same(a, b):
    assert a.activities == b.activities
    for k in ALL_MUSCLES:
        for field in ("acute", "chronic", "fatigue", "damage", "protection"):
            got, expected = getattr(a.muscles[k], field), getattr(b.muscles[k], field)
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), (k, field)
    assert a.fitness == pytest.approx(b.fitness, rel=1e-9)
    assert a.fatigue == pytest.approx(b.fatigue, rel=1e-9)


def test_stored_days_and_carry_give_the_state_of_every_run(db, user):
    weeks.clear_cache()
    add_runs(db, user, days=700)
    as_of = NOW
    state, carry = stored_state(db, user, as_of, NOW - timedelta(days=100))
    assert carry is not None and carry.runs > 200  # the older days were read as one carry
    assert_same(state, per_run_state(db, user, as_of))
    stored = db.scalar(select(func.count()).select_from(DailyLoad))
    assert stored > 400 * (len(LEG_MUSCLES) + 1) * 0.9
    # an old week reads every day (before the checkpoint), with the same result
    old = NOW - timedelta(days=500)
    state, carry = stored_state(db, user, old, old - timedelta(days=222))
    assert carry is None
    assert_same(state, per_run_state(db, user, old))


def test_an_old_upload_a_delete_and_a_new_zone_rebuild_the_days(db, user):
    weeks.clear_cache()
    runs = add_runs(db, user, days=500, seed=2)
    stored_state(db, user, NOW, NOW - timedelta(days=60))
    # an upload of an old run (through ingest's marker): only the days from it on are rebuilt
    old = add_runs(db, user, days=1, seed=3, end=NOW - timedelta(days=300), skip=0)
    daily_loads.mark_stale(user, old[0].start_time)
    assert daily_loads.refresh(db, user)
    state, _ = stored_state(db, user, NOW, NOW - timedelta(days=60))
    assert_same(state, per_run_state(db, user, NOW))
    # a delete through ingest
    assert ingest.delete_activity(db, user, runs[-3].id)
    assert user.loads_stale_from is None
    state, _ = stored_state(db, user, NOW, NOW - timedelta(days=60))
    assert_same(state, per_run_state(db, user, NOW))
    # a new time zone: every day rebuilt on the runner's new calendar
    user.timezone = "Pacific/Auckland"
    db.commit()
    state, _ = stored_state(db, user, NOW, NOW - timedelta(days=60))
    assert state.activities == per_run_state(db, user, NOW).activities
    first_local = min(r.start_time for r in runs + old).astimezone(weeks.user_zone(user)).date()
    assert db.scalar(select(func.min(DailyLoad.day))) == first_local
    assert json.loads(user.loads_basis)[0][0] == "Pacific/Auckland"


def test_rows_written_some_other_way_are_noticed(db, user):
    weeks.clear_cache()
    add_runs(db, user, days=30, seed=4)
    stored_state(db, user, NOW, NOW - timedelta(days=30))
    add_runs(db, user, days=3, seed=5)  # not through ingest: no marker
    state, _ = stored_state(db, user, NOW, NOW - timedelta(days=30))
    assert_same(state, per_run_state(db, user, NOW))


def test_an_import_stores_its_days_at_once(db, user):
    weeks.clear_cache()
    user.timezone = "America/New_York"
    db.commit()
    start = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)  # 18:30 in New York: that day
    [result] = ingest.ingest(db, user, "evening.fit", run_fit(start, seconds=1800))
    assert result.status == "imported"
    assert user.loads_stale_from is None
    days = db.scalars(select(DailyLoad.day).where(DailyLoad.user_id == user.id)).all()
    assert set(days) == {start.date()}  # the local day (the 25th in UTC would be wrong)
    assert len(days) == len(LEG_MUSCLES) + 1  # each leg muscle and the systemic row
    # 01:30 UTC on the 25th is still the 24th in New York: the same day, two runs
    ingest.ingest(db, user, "late.fit", run_fit(start + timedelta(hours=2)))
    runs = db.execute(select(DailyLoad.day, DailyLoad.runs).where(DailyLoad.user_id == user.id))
    assert set(runs) == {(start.date(), 2)}


def test_this_weeks_page_reads_only_the_days_after_the_checkpoint(db, user):
    """The current week's chart and trend start after the checkpoint, so the cold week reads
    the recent days and a carry; a checkpoint left too recent (or too old) is moved on read."""
    weeks.clear_cache()
    add_runs(db, user, days=900, seed=5)
    weeks.weekly_context(db, user)
    checkpoint, carry = daily_loads._carry(user)
    assert carry is not None and carry.runs > 300
    today = NOW.date()
    assert (today - checkpoint).days >= daily_loads.CARRY_BACK_DAYS
    cached = daily_loads.cache.lru(daily_loads.DAYS_CACHE)
    assert [k for k in cached if k == (user.id, True)], "the week read from the checkpoint"
    assert not [k for k in cached if k == (user.id, False)], "and not every stored day"
    # A checkpoint stored too recent (as by an older CARRY_BACK_DAYS) is moved back on read.
    user.loads_carry = {**user.loads_carry, "day": (today - timedelta(days=200)).isoformat()}
    db.commit()
    weeks.clear_cache()
    view = weeks.weekly_context(db, user)
    moved, _ = daily_loads._carry(user)
    assert moved == checkpoint
    assert_same(view.state, per_run_state(db, user, view.as_of))
