"""engine.days: the state and the trend from per-day sums equal engine.state's from the runs."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from engine.days import build_days, carry_into, series_from_days, state_from_days
from engine.muscles import ALL_MUSCLES, LEG_MUSCLES
from engine.state import LoadRecord, compute_state, daily_series

FIRST = datetime(2024, 1, 1, tzinfo=UTC)


def history(seed: int = 7, n_days: int = 600) -> list[LoadRecord]:
    """About 400 runs: some days twice, some runs across midnight, loads of every leg muscle."""
    rng = random.Random(seed)
    records = []
    for day in range(n_days):
        if rng.random() < 0.35:
            continue
        starts = [rng.uniform(5, 21)]
        if rng.random() < 0.15:
            starts.append(starts[0] + rng.uniform(3, 6) if starts[0] < 14 else starts[0] - 4)
        if rng.random() < 0.03:
            starts = [23.4]  # a run across midnight
        for hour in starts:
            duration = rng.uniform(1200, 9000)
            muscles = {
                k: (rng.uniform(5, 150), rng.uniform(0, 40) if rng.random() < 0.5 else 0.0)
                for k in LEG_MUSCLES
            }
            start = FIRST + timedelta(days=day, hours=hour)
            records.append(LoadRecord(start, duration, muscles, rng.uniform(20, 250)))
    return records


def partly_ended(records: list[LoadRecord], moment: datetime, zone) -> bool:
    """True when some local day has one run ended by `moment` and another not."""
    days: dict[date, set[bool]] = {}
    for r in records:
        days.setdefault(r.start_time.astimezone(zone).date(), set()).add(r.end_time <= moment)
    return any(len(ended) == 2 for ended in days.values())


def moments(records, zone, count=40, seed=3):
    rng = random.Random(seed)
    span = (records[-1].end_time - FIRST).total_seconds()
    out = []
    while len(out) < count:
        moment = FIRST + timedelta(seconds=rng.uniform(0, span + 86400 * 3))
        if not partly_ended(records, moment, zone):
            out.append(moment)
    return out


def assert_same_state(a, b):
    assert a.activities == b.activities
    for k in ALL_MUSCLES:
        x, y = a.muscles[k].to_dict(), b.muscles[k].to_dict()
        for field in ("acute", "chronic", "fatigue", "damage", "damage_normalised", "protection"):
            assert x[field] == pytest.approx(y[field], rel=1e-9, abs=1e-9), (k, field)
    for field in ("fitness", "fatigue", "form"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-9, abs=1e-9)


def test_a_utc_runners_days_give_the_state_of_the_runs():
    records = history()
    days = build_days(records, UTC)
    assert sum(d.runs for d in days) == len(records)
    assert len(days) < len(records)
    checked = 0
    for moment in moments(records, UTC):
        expected = compute_state(records, moment)
        assert_same_state(state_from_days(days, moment, UTC), expected)
        checked += expected.muscles["quadriceps"].damage > 0
    assert checked > 10  # damage was alive at most of the moments compared


def test_a_utc_runners_days_give_the_daily_series_of_the_runs():
    records = history(seed=11, n_days=200)
    days = build_days(records, UTC)
    start, end = date(2024, 4, 1), date(2024, 6, 10)
    expected = daily_series(records, start, end)
    got = series_from_days(days, start, end, UTC)
    assert got.days == expected.days
    for k in LEG_MUSCLES:
        for name in ("acute", "chronic"):
            np.testing.assert_allclose(getattr(got, name)[k], getattr(expected, name)[k], 1e-9)
    np.testing.assert_allclose(got.fitness, expected.fitness, rtol=1e-9)
    np.testing.assert_allclose(got.fatigue, expected.fatigue, rtol=1e-9)
    # Damage at each day's end: equal except on a day whose runs straddle its midnight.
    crossing = {r.start_time.date() for r in records if r.end_time.date() != r.start_time.date()}
    same = [i for i, d in enumerate(got.days) if d not in crossing]
    assert len(same) > 50
    for k in LEG_MUSCLES:
        np.testing.assert_allclose(
            got.damage_normalised[k][same], expected.damage_normalised[k][same], 1e-7, 1e-12
        )


def test_days_follow_the_runners_own_calendar():
    """A fixed -05:00 runner: the days path equals the per-run path on local wall-clock time."""
    zone = timezone(timedelta(hours=-5))
    records = history(seed=5, n_days=300)
    shift = timedelta(hours=-5)
    local = [
        LoadRecord(r.start_time + shift, r.duration_s, r.muscles, r.systemic_load) for r in records
    ]
    days = build_days(records, zone)
    late = [r for r in records if r.start_time.hour >= 19]  # the next UTC day, the same local day
    assert late and all(any(d.date == (r.start_time + shift).date() for d in days) for r in late)
    for moment in moments(records, zone, count=25):
        assert_same_state(state_from_days(days, moment, zone), compute_state(local, moment + shift))


def test_days_built_in_two_parts_equal_days_built_at_once():
    """Rebuilding from a day on (after an upload or a delete) keeps the earlier protection."""
    zone = ZoneInfo("Europe/Paris")
    records = history(seed=9, n_days=240)
    whole = build_days(records, zone)
    cut = whole[len(whole) // 2].day
    head = [d for d in whole if d.day < cut]
    later = [
        r
        for r in records
        if any(d.day >= cut and d.date == r.start_time.astimezone(zone).date() for d in whole)
    ]
    tail = build_days(later, zone, before=head)
    assert [d.day for d in head + tail] == [d.day for d in whole]
    for a, b in zip(head + tail, whole, strict=True):
        assert a.runs == b.runs and a.anchor == b.anchor
        for k, values in b.muscles.items():
            np.testing.assert_allclose(a.muscles[k], values, rtol=1e-10)
    # without the earlier days, the doses after the cut would be larger (less protection)
    alone = build_days(later, zone)
    assert alone[0].muscles["quadriceps"][3] >= tail[0].muscles["quadriceps"][3]
    assert sum(d.muscles["quadriceps"][3] for d in alone) > sum(
        d.muscles["quadriceps"][3] for d in tail
    )


def test_a_carry_replaces_the_days_before_it():
    """Incremental state: the days from a checkpoint on and what the earlier ones carry into it
    give the state of the whole history, and rebuild later days with the same doses."""
    zone = ZoneInfo("America/New_York")
    records = history(seed=13, n_days=500)
    whole = build_days(records, zone)
    cut = whole[120]
    carry = carry_into(whole, cut.day, cut.anchor)
    recent = [d for d in whole if d.day >= cut.day]
    assert carry.runs == sum(d.runs for d in whole if d.day < cut.day) > 80
    checked = 0
    for moment in moments(records, zone, count=60, seed=4):
        if moment.timestamp() / 86400 < cut.anchor + 0.5:
            continue
        expected = state_from_days(whole, moment, zone)
        assert_same_state(state_from_days(recent, moment, zone, carry), expected)
        assert state_from_days(recent, moment, zone).activities < expected.activities
        checked += 1
    assert checked > 10
    later = [r for r in records if r.start_time.astimezone(zone).date() >= cut.date]
    rebuilt = build_days(later, zone, carry=carry)
    for a, b in zip(rebuilt, recent, strict=True):
        np.testing.assert_allclose(a.muscles["quadriceps"], b.muscles["quadriceps"], rtol=1e-9)
