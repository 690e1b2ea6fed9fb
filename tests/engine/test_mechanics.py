"""The model's formulas against the literature values quoted in the model doc (2.1, 2.2, 2.6)."""

import numpy as np
import pytest

from engine import mechanics
from engine.mechanics import (
    cost_of_running,
    duty_factor,
    effective_grade,
    stride_frequency,
    support_index,
    swing_index,
)


def test_case_1_minetti_cost_of_running():
    assert cost_of_running(0.0) == pytest.approx(3.6)
    assert cost_of_running(0.10) == pytest.approx(5.97, abs=0.005)
    grades = np.linspace(-0.45, 0.45, 9001)
    cost = cost_of_running(grades)
    assert grades[np.argmin(cost)] == pytest.approx(-0.18, abs=0.01)
    assert cost.min() == pytest.approx(1.78, abs=0.01)
    # beyond the fitted range the grade is clipped, not extrapolated
    assert cost_of_running(0.80) == cost_of_running(0.45)
    assert cost_of_running(-0.90) == cost_of_running(-0.45)


def test_case_5_acceleration_is_an_effective_grade():
    assert effective_grade(0.0, 1.0) == pytest.approx(0.102, abs=0.0005)
    assert effective_grade(0.05, -0.981) == pytest.approx(-0.05)


def test_stride_frequency_passes_through_dorn_and_duty_factor_is_clipped():
    for v, sf in [(2.0, 1.30), (3.5, 1.40), (5.2, 1.54), (7.0, 1.73), (9.0, 2.16)]:
        assert stride_frequency(v) == pytest.approx(sf)
    assert stride_frequency(1.0) == pytest.approx(1.30)
    assert duty_factor(3.0) == pytest.approx(0.40)
    assert duty_factor(1.0) == pytest.approx(0.45)
    assert duty_factor(12.0) == pytest.approx(0.20)


def test_swing_and_support_are_scaled_to_3_mps():
    assert swing_index(3.0) == pytest.approx(1.0)
    assert swing_index(8.0) == pytest.approx(2.9, abs=0.05)
    assert support_index(3.0) == pytest.approx(1.0)


def test_shares_sum_to_one_at_every_grade():
    for table in (mechanics.CONCENTRIC_SHARES, mechanics.ECCENTRIC_SHARES):
        assert np.allclose(table.sum(axis=1), 1.0)
    for row in (
        mechanics.SWING_CONCENTRIC_SHARES,
        mechanics.SWING_ECCENTRIC_SHARES,
        mechanics.SUPPORT_SHARES,
    ):
        assert row.sum() == pytest.approx(1.0)


def test_bounce_vanishes_beyond_30_percent_and_damage_multiplier():
    steep = mechanics.work_per_metre(0.35, 3.0)
    assert float(steep.negative) == 0.0  # no bounce, no gravity work down
    assert mechanics.damage_multiplier(-0.10) == pytest.approx(2.0)
    assert mechanics.damage_multiplier(-0.30) == pytest.approx(3.0)
    assert mechanics.damage_multiplier(0.10) == pytest.approx(1.0)


def test_unit_is_1_km_flat_at_3_mps():
    work = mechanics.muscle_work(0.0, 3.0, 1000.0)
    total = (work.concentric + work.eccentric + work.isometric).sum() * mechanics.SCALE
    assert total == pytest.approx(100.0)
