"""Properties of the stimulus that must hold for any run (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.mechanics import ENDURANCE_DAMAGE_SHARES
from engine.muscles import LEG_MUSCLES
from engine.stimulus import compute_stimulus
from tests.engine.activities import make_activity

segment = st.tuples(
    st.integers(min_value=60, max_value=400),  # seconds
    st.floats(min_value=1.5, max_value=7.0),  # m/s
    st.floats(min_value=-0.25, max_value=0.25),  # grade
)
tracks = st.lists(segment, min_size=2, max_size=6)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def profile(track, laps: int = 1):
    """Per-second speed and grade; speed ramps over 4 s between segments as runners do.

    Each lap ends as it began (the first segment closes it), so laps join without a jump.
    """
    track = [*track, track[0]]
    speed = np.concatenate([np.full(n, v) for n, v, _ in track] * laps)
    grade = np.concatenate([np.full(n, g) for n, _, g in track] * laps)
    kernel = np.ones(5) / 5
    return np.convolve(np.pad(speed, 2, mode="edge"), kernel, "valid"), grade


def values(stim):
    return np.array(
        [
            [m.concentric, m.eccentric, m.isometric, m.total, m.damage]
            for m in (stim.muscles[k] for k in LEG_MUSCLES)
        ]
    )


def per_stride_damage(stim):
    return values(stim)[:, 4] - stim.endurance_damage * ENDURANCE_DAMAGE_SHARES


@SETTINGS
@given(tracks)
def test_never_negative(track):
    speed, grade = profile(track)
    stim = compute_stimulus(make_activity(speed, grade))
    assert (values(stim) >= 0).all()
    assert stim.systemic_load >= 0
    # Minutes of running at 1.5 m/s or more load the legs: an engine of zeros must fail here.
    for muscle in ("calves", "quadriceps"):
        assert stim.muscles[muscle].total > 0, muscle
    assert stim.total > 0


@SETTINGS
@given(tracks, st.integers(min_value=2, max_value=3))
def test_linear_in_repeating_the_same_track(track, laps):
    one_stim = compute_stimulus(make_activity(*profile(track)))
    many_stim = compute_stimulus(make_activity(*profile(track, laps)))
    one, many = values(one_stim), values(many_stim)
    totals = many[:, 3]
    assert np.allclose(totals, laps * one[:, 3], rtol=0.03, atol=0.5)
    # Damage per stride is linear; the damage of long running (engine.endurance) grows faster
    # than the time run, so it is compared apart.
    slope_one, slope_many = per_stride_damage(one_stim), per_stride_damage(many_stim)
    assert np.allclose(slope_many, laps * slope_one, rtol=0.05, atol=0.5)
    assert many_stim.endurance_damage >= laps * one_stim.endurance_damage - 1e-9


@SETTINGS
@given(tracks)
def test_independent_of_the_sampling_rate(track):
    speed, grade = profile(track)
    every_second = compute_stimulus(make_activity(speed, grade, hz=1.0))
    every_5_s = compute_stimulus(make_activity(speed, grade, hz=0.2))
    assert abs(every_5_s.total - every_second.total) <= 0.05 * every_second.total
    a, b = values(every_second), values(every_5_s)
    assert np.allclose(b[:, 3], a[:, 3], rtol=0.05, atol=0.5)
