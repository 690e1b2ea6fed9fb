"""Splits per kilometre and per mile: climb from the one smoothed series (adding up to the
total shown above them), no split of "0.00", no climb where the file has no altitude."""

from __future__ import annotations

import numpy as np
import pytest

import importers
from importers.elevation import hysteresis_steps, spread_steps
from importers.summary import MILE_M

from .samples import fit_bytes, gpx_text, make_track


def _one(data: bytes, name: str):
    [act] = importers.load(data, name)
    return act


def _climb(splits) -> tuple[float, float]:
    return (
        sum(s.elevation_gain_m or 0.0 for s in splits),
        sum(s.elevation_loss_m or 0.0 for s in splits),
    )


def test_spread_steps_keep_the_totals_and_credit_the_climb_where_it_happens():
    alt = np.concatenate([np.linspace(100, 400, 301), np.linspace(400, 150, 251)])
    steps = hysteresis_steps(alt)
    spread = spread_steps(alt, steps)
    assert spread[spread > 0].sum() == pytest.approx(300.0)
    assert -spread[spread < 0].sum() == pytest.approx(250.0)
    # the climb is spread over the way up, not booked at the summit
    assert spread[:151].sum() == pytest.approx(150.0)  # samples 1..150 rise 1 m each
    assert spread.max() == pytest.approx(1.0)


def test_a_long_climb_counts_in_every_kilometre_of_it():
    # 7.2 km climbing 600 m all the way (half a sine period), written without a device total
    track = make_track(seconds=2400, speed=3.0, hill_m=600.0, hill_period_s=4800.0)
    act = _one(gpx_text(track).encode(), "climb.gpx")
    gains = [s.elevation_gain_m for s in act.splits]
    assert len(gains) == 8
    assert sum(g > 20 for g in gains) >= 6  # not "0 m on every split but one"
    assert max(gains) < 0.25 * act.elevation_gain_m
    assert _climb(act.splits)[0] == pytest.approx(act.elevation_gain_m, rel=0.01)
    assert _climb(act.splits_mi)[0] == pytest.approx(act.elevation_gain_m, rel=0.01)


def test_split_climb_adds_up_to_the_watch_total():
    track = make_track(seconds=2400, speed=3.0, hill_m=300.0, hill_period_s=800.0)
    act = _one(fit_bytes(track, device_ascent=1000.0), "hills.fit")
    assert act.elevation_source == "device" and act.elevation_gain_m == 1000.0
    assert _climb(act.splits)[0] == pytest.approx(1000.0, rel=0.01)
    assert _climb(act.splits_mi)[0] == pytest.approx(1000.0, rel=0.01)


def test_the_last_short_split_only_holds_its_own_descent():
    # up 400 m and down again; the last 250 m descends about 250 * 0.05 m at most
    track = make_track(seconds=3417, speed=3.0, hill_m=400.0, hill_period_s=3417.0)
    act = _one(gpx_text(track).encode(), "hill.gpx")
    last = act.splits[-1]
    assert 200 < last.distance_m < 300
    assert last.elevation_loss_m < 20
    assert _climb(act.splits)[1] == pytest.approx(act.elevation_loss_m, rel=0.01)


def test_no_split_of_a_few_metres():
    track = make_track(seconds=4668, speed=3.0)  # 14,004 m
    act = _one(fit_bytes(track), "14k.fit")
    assert [s.index for s in act.splits] == list(range(1, 15))
    assert act.splits[-1].distance_m == pytest.approx(1004.0, abs=2.0)
    assert sum(s.distance_m for s in act.splits) == pytest.approx(14004.0, abs=2.0)


def test_miles_are_split_per_mile_with_paces_per_kilometre():
    track = make_track(seconds=4668, speed=3.0)
    act = _one(fit_bytes(track), "14k.fit")
    assert len(act.splits_mi) == 9  # 8 full miles and 1.13 mi
    assert all(s.distance_m == pytest.approx(MILE_M, abs=0.1) for s in act.splits_mi[:-1])
    assert act.splits_mi[-1].distance_m == pytest.approx(14004.0 - 8 * MILE_M, abs=2.0)
    first = act.splits_mi[0]
    assert first.moving_time_s == pytest.approx(MILE_M / 3.0, abs=2.0)
    assert first.pace_s_per_km == pytest.approx(1000 / 3.0, abs=1.0)


def test_a_treadmill_run_without_altitude_has_no_split_climb():
    track = make_track(seconds=1500, speed=3.0)
    data = fit_bytes(track, sub_sport="treadmill", with_gps=False, with_altitude=False)
    act = _one(data, "treadmill.fit")
    assert act.sport == "treadmill_running"
    assert act.splits and all(s.elevation_gain_m is None for s in act.splits)
    assert all(s.pace_s_per_km for s in act.splits)


@pytest.mark.shared
def test_real_suunto_climb_splits_add_up(shared_activities):
    path = shared_activities / "fit/suunto9baro_trail-run_1817m-ascent__6910052863.fit"
    act = _one(path.read_bytes(), path.name)
    assert act.elevation_gain_m == 1817.0
    gains = [s.elevation_gain_m for s in act.splits]
    assert sum(gains) == pytest.approx(1817.0, rel=0.01)
    assert sum(g > 100 for g in gains) >= 5 and max(gains) < 1000
    assert _climb(act.splits_mi)[0] == pytest.approx(1817.0, rel=0.01)


@pytest.mark.shared
def test_real_long_trail_run_ends_without_a_cliff(shared_activities):
    path = (
        shared_activities / "gpx/mytrails_mountain-trail_41km_3384m-up_2-segments__6909258631.gpx"
    )
    act = _one(path.read_bytes(), path.name)
    assert act.splits[-1].distance_m < 300
    assert act.splits[-1].elevation_loss_m < 60
    assert _climb(act.splits)[1] == pytest.approx(act.elevation_loss_m, rel=0.01)


@pytest.mark.shared
def test_real_14_km_run_has_14_splits(shared_activities):
    path = shared_activities / "fit/garmin-fr945_run_14km__6782987395.fit"
    act = _one(path.read_bytes(), path.name)
    assert len(act.splits) == 14 and act.splits[-1].distance_m > 990
    assert _climb(act.splits)[0] == pytest.approx(act.elevation_gain_m, rel=0.01)
