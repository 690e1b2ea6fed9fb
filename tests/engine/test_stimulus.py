"""Per-activity stimulus on runs built from arrays: the model doc's table and test cases 2-5."""

import numpy as np
import pytest

from engine.muscles import LEG_MUSCLES
from engine.stimulus import MuscleLoad, Stimulus, compute_stimulus, per_km, steady_stimulus
from tests.engine.activities import make_activity, steady_run

# Model doc 2.3, "prototype output per km" (targets the doc sets, quadriceps eccentric apart).
PROTOTYPE = {
    (3.0, 0.0): (23.5, 8.8, 9.7, 12.4, 30.0, 3.3, 7.1, 5.2, 100, 14.1),
    (3.0, 0.08): (22.3, 20.0, 9.7, 17.8, 43.3, 2.4, 7.1, 7.8, 130, 10.1),
    (3.0, -0.10): (48.8, 12.2, 9.7, 12.5, 33.0, 8.2, 7.1, 6.4, 138, 41.8),
    (5.0, 0.0): (24.8, 10.3, 7.6, 18.6, 29.6, 3.3, 11.5, 5.2, 111, None),
    (8.0, 0.0): (27.9, 14.2, 8.3, 31.5, 29.7, 3.8, 20.6, 6.4, 143, None),
}


def km_of(speed, grade, **kw):
    return per_km(compute_stimulus(steady_run(speed, grade, km=2, **kw)))


@pytest.mark.parametrize(("speed", "grade"), list(PROTOTYPE))
def test_prototype_table_per_km(speed, grade):
    *muscles, total, quad_ecc = PROTOTYPE[(speed, grade)]
    got = km_of(speed, grade)
    for key, expected in zip(LEG_MUSCLES, muscles, strict=True):
        assert got[key].total == pytest.approx(expected, abs=0.15), key
    assert sum(m.total for m in got.values()) == pytest.approx(total, abs=0.7)
    if quad_ecc is not None:
        assert got["quadriceps"].eccentric == pytest.approx(quad_ecc, abs=0.15)


def test_case_2_uphill_loads_glute_max_and_calves_more_quads_eccentric_less():
    flat, up = km_of(3.0, 0.0), km_of(3.0, 0.08)
    assert up["glute_max"].total >= 1.5 * flat["glute_max"].total
    assert up["calves"].total > flat["calves"].total
    assert up["quadriceps"].eccentric < flat["quadriceps"].eccentric


def test_case_3_downhill_quads_eccentric_damage_ratio_and_tibialis():
    flat, down = km_of(3.0, 0.0), km_of(3.0, -0.10)
    assert down["quadriceps"].eccentric >= 2 * flat["quadriceps"].eccentric
    ratio = down["quadriceps"].damage / down["calves"].damage
    assert 1.5 <= ratio <= 3.0
    assert down["tibialis_anterior"].eccentric > flat["tibialis_anterior"].eccentric
    assert flat["quadriceps"].damage == pytest.approx(0.0, abs=0.05)


def test_case_4_fast_running_loads_hamstrings_and_hip_flexors():
    slow, fast = km_of(3.0, 0.0), km_of(8.0, 0.0)
    assert fast["hamstrings"].total >= 2 * slow["hamstrings"].total
    assert fast["hip_flexors"].total >= 2 * slow["hip_flexors"].total
    assert fast["calves"].total == pytest.approx(slow["calves"].total, rel=0.10)
    share = lambda k: k["calves"].total / sum(m.total for m in k.values())  # noqa: E731
    assert share(fast) < share(slow)
    assert fast["hamstrings"].damage > 0 and slow["hamstrings"].damage == pytest.approx(0)


def test_case_5_acceleration_counts_as_uphill():
    # 2 -> 7 m/s at 0.25 m/s^2 on the flat, between steady stretches
    speed = np.r_[np.full(120, 2.0), 2.0 + 0.25 * np.arange(1, 21), np.full(120, 7.0)]
    from engine.samples import prepare_samples

    samples = prepare_samples(make_activity(speed, 0.0))
    middle = samples.acceleration_mps2[(samples.time_s > 127) & (samples.time_s < 134)]
    assert np.allclose(middle, 0.25, atol=0.01)
    g_eff = middle / 9.81  # a quarter of test case 5's 1 m/s^2 = +10.2 %
    assert np.allclose(g_eff, 0.102 / 4, atol=0.001)


def test_treadmill_and_no_elevation_use_grade_zero_and_say_so():
    tread = compute_stimulus(steady_run(3.0, 0.1, km=2, sub_sport="treadmill"))
    flat = compute_stimulus(steady_run(3.0, 0.0, km=2))
    assert "treadmill: grade taken as 0" in tread.notes
    assert tread.total == pytest.approx(flat.total, rel=1e-6)
    bare = compute_stimulus(steady_run(3.0, 0.1, km=2, altitude=False))
    assert any("no elevation" in n for n in bare.notes)
    assert bare.total == pytest.approx(flat.total, rel=1e-6)


def test_non_runs_get_no_leg_stimulus():
    ride = compute_stimulus(steady_run(8.0, 0.02, km=5, sport="cycling", heart_rate=140.0))
    assert set(ride.muscles) == set(LEG_MUSCLES)
    assert all(m.total == 0 and m.damage == 0 for m in ride.muscles.values())
    assert any("not a run" in n for n in ride.notes)
    assert ride.systemic_method == "trimp" and ride.systemic_load > 0


def test_cadence_replaces_the_stride_frequency_model():
    plain = km_of(3.0, 0.0)
    quick = km_of(3.0, 0.0, cadence=190.0)
    assert quick["hip_flexors"].total > plain["hip_flexors"].total


def test_stride_cadence_is_recognised_and_doubled():
    steps = compute_stimulus(steady_run(3.0, 0.0, km=2, cadence=170.0))
    strides = compute_stimulus(steady_run(3.0, 0.0, km=2, cadence=85.0))
    assert any("doubled" in n for n in strides.notes)
    assert strides.total == pytest.approx(steps.total, rel=1e-6)


def test_pauses_add_nothing():
    run = steady_run(3.0, 0.05, km=2)
    s = run.series
    t = s.time_s.copy()
    half = t.shape[0] // 2
    t[half:] += 600.0  # the watch stopped for 10 minutes half way
    from dataclasses import replace

    paused = replace(run, series=replace(s, time_s=t))
    a, b = compute_stimulus(run), compute_stimulus(paused)
    assert b.total == pytest.approx(a.total, rel=0.01)
    assert b.moving_time_s == pytest.approx(a.moving_time_s, abs=2)


def test_to_dict_round_trip_is_json_safe():
    import json

    stim = compute_stimulus(steady_run(3.0, -0.1, km=1, heart_rate=150.0))
    data = json.loads(json.dumps(stim.to_dict()))
    back = Stimulus.from_dict(data)
    assert back == stim
    assert set(data["muscles"]["quadriceps"]) == {
        "concentric",
        "eccentric",
        "isometric",
        "total",
        "damage",
    }
    assert Stimulus.from_dict({}).muscles["calves"] == MuscleLoad(0, 0, 0, 0, 0)


def test_steady_stimulus_matches_a_recorded_steady_run():
    steady = steady_stimulus(3.0, -0.1, 1800)
    recorded = compute_stimulus(steady_run(3.0, -0.1, km=5.4))
    for key in LEG_MUSCLES:
        assert recorded.muscles[key].total == pytest.approx(steady.muscles[key].total, rel=0.01)
        assert recorded.muscles[key].damage == pytest.approx(
            steady.muscles[key].damage, rel=0.01, abs=1e-9
        )
