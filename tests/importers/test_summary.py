"""The shared summary methods on small hand-made series."""

from __future__ import annotations

import numpy as np
import pytest

from importers.summary import effort_factor, hysteresis_steps, smooth_altitude


@pytest.mark.parametrize(
    ("grade", "expected"),
    # the figures of Strava's curve quoted in load-model.md 1.1 / peers.md 7
    [(0.0, 1.0), (0.05, 1.21), (0.10, 1.52), (0.20, 2.36), (-0.05, 0.89), (-0.10, 0.88)],
)
def test_effort_factor_follows_the_published_curve(grade, expected):
    assert effort_factor(np.array([grade]))[0] == pytest.approx(expected, abs=0.01)


def test_effort_factor_is_cheapest_near_minus_eight_percent():
    grades = np.linspace(-0.3, 0.3, 601)
    cheapest = grades[np.argmin(effort_factor(grades))]
    assert cheapest == pytest.approx(-0.08, abs=0.01)


def test_wiggles_below_the_threshold_count_nothing():
    alt = 100 + 1.9 * np.tile([0.0, 1.0], 50)  # 50 wiggles of 1.9 m
    steps = hysteresis_steps(alt)
    assert steps.sum() == 0 and np.abs(steps).sum() == 0


def test_climbs_count_in_full_once_confirmed():
    # up 10 m, down 2.5 m, up 0.5 m (too little to confirm a turn), down 6 m
    alt = np.array([100, 105, 110, 109, 107.5, 108, 104, 102])
    steps = hysteresis_steps(alt)
    assert steps[steps > 0].sum() == pytest.approx(10.0)
    assert -steps[steps < 0].sum() == pytest.approx(8.0)
    assert steps[2] == pytest.approx(10.0)  # credited at the summit


def test_missing_altitudes_are_skipped():
    alt = np.array([100, np.nan, 103, np.nan, 106])
    assert hysteresis_steps(alt).sum() == pytest.approx(6.0)


def test_smoothing_is_a_centred_time_window_mean():
    t = np.arange(0.0, 61.0)
    alt = np.where(t == 30, 130.0, 100.0)  # one 30 m spike
    smooth = smooth_altitude(t, alt, window_s=30.0)
    assert smooth[30] == pytest.approx(100 + 30 / 31)  # 31 samples in [15, 45]
    assert smooth[0] == 100.0 and smooth[60] == 100.0
