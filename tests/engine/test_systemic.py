"""Systemic load: Banister's TRIMP and the pace-based fallback (model doc 1.4, test case 11)."""

import numpy as np
import pytest

from engine.athlete import Athlete
from engine.mechanics import cost_of_running, cost_of_walking
from engine.stimulus import compute_stimulus
from engine.systemic import pace_load, trimp
from tests.engine.activities import make_activity, steady_run


def test_case_11_trimp_45_min_at_hrr_0692_male():
    hr_rest, hr_max = 60.0, 190.0
    hr = hr_rest + 0.692 * (hr_max - hr_rest)
    assert trimp(np.full(45 * 60, hr), np.ones(45 * 60), hr_max, hr_rest, "male") == (
        pytest.approx(75.4, abs=0.3)
    )


def test_trimp_weighs_women_differently_and_unknown_sex_in_between():
    hr = np.full(3600, 160.0)
    sec = np.ones(3600)
    men, women, unknown = (trimp(hr, sec, 190, 60, s) for s in ("male", "female", None))
    assert men != women
    assert min(men, women) < unknown < max(men, women)


def test_stimulus_uses_trimp_with_heart_rate_and_says_which_defaults():
    run = steady_run(3.0, 0.0, km=5, heart_rate=150.0)
    stim = compute_stimulus(run, Athlete(sex="male"))
    assert stim.systemic_method == "trimp"
    minutes = stim.moving_time_s / 60
    hrr = (150 - 60) / (190 - 60)
    assert stim.systemic_load == pytest.approx(minutes * hrr * 0.64 * np.exp(1.92 * hrr), 0.01)
    assert any("190" in n for n in stim.notes) and any("60" in n for n in stim.notes)
    told = compute_stimulus(run, Athlete(hr_max=200, hr_rest=50, sex="male"))
    assert not any("assumed" in n and "HR" in n for n in told.notes)
    assert told.systemic_load < stim.systemic_load


def test_without_heart_rate_the_load_comes_from_grade_adjusted_pace():
    flat = compute_stimulus(steady_run(3.0, 0.0, km=5))
    uphill = compute_stimulus(steady_run(3.0, 0.08, km=5))
    assert flat.systemic_method == "pace"
    # an hour at threshold pace is 100
    assert pace_load(10 / 3, 0.0, 3600, 10 / 3) == pytest.approx(100.0)
    assert uphill.systemic_load > 1.5 * flat.systemic_load
    assert any("no heart rate" in n for n in flat.notes)


def test_sparse_heart_rate_falls_back_to_pace():
    hr = np.full(1200, np.nan)
    hr[:200] = 150
    stim = compute_stimulus(make_activity(np.full(1200, 3.0), heart_rate=hr))
    assert stim.systemic_method == "pace"


def test_heart_rate_without_movement_still_gives_a_trimp():
    from dataclasses import replace

    row = steady_run(3.0, 0.0, km=2, sport="rowing", heart_rate=140.0)
    still = replace(row, series=replace(row.series, distance_m=None, speed_mps=None), distance_m=0)
    stim = compute_stimulus(still)
    assert stim.systemic_method == "trimp" and stim.systemic_load > 0
    assert stim.total == 0


def test_steep_slow_climbing_is_costed_as_walking():
    run = compute_stimulus(steady_run(2.5, 0.20, km=1))
    hike = compute_stimulus(steady_run(1.2, 0.20, km=1))
    assert run.energy_j_per_kg == pytest.approx(float(cost_of_running(0.20)) * 1000, rel=0.02)
    assert hike.energy_j_per_kg == pytest.approx(float(cost_of_walking(0.20)) * 1000, rel=0.02)
