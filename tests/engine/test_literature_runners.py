"""Literature cases of issue 14 on simulated runners (tests/engine/scenarios.py).

Flat marathon damage (Takayama 2017), noisy-altitude invariance, interval detection, hiking
descents, repeated-bout protection only from comparable doses (Byrnes 1985; Nosaka 2001),
threshold from the runner's own best efforts, body mass in kJ.
"""

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from engine.athlete import Athlete, estimate_threshold, hour_equivalent
from engine.samples import prepare_samples, slope_series
from engine.stimulus import MODEL_VERSION, compute_stimulus, steady_stimulus
from importers.summary import summarise
from tests.engine import scenarios as sc
from tests.engine.activities import START, make_activity, steady_run

# --- 1. long and fast flat running damages muscle -----------------------------------------


def test_flat_marathon_damages_the_quadriceps_the_next_day():
    default = [sc.record(sc.marathon())]
    assert 0.5 <= sc.dn_after(default, 24) <= 1.5
    # a runner whose threshold is 3:50/km runs the marathon at 90 % of it: still >= 0.5
    fit = [sc.record(sc.marathon(), Athlete(threshold_pace_s_per_km=230))]
    assert sc.dn_after(fit, 24) >= 0.5
    # knee extensors most, knee flexors and plantar flexors less (Takayama 2017)
    q = sc.dn_after(fit, 24)
    assert sc.dn_after(fit, 24, "hamstrings") < q / 2
    assert sc.dn_after(fit, 24, "calves") < q / 2


def test_short_and_easy_flat_runs_stay_free_of_damage():
    hour = [sc.record(steady_run(3.0, 0.0, km=10.8))]  # 60 min easy
    assert sc.peak_dn(hour) < 0.01
    long_easy = [sc.record(steady_run(3.0, 0.0, km=19.8))]  # 110 min easy
    assert 0.0 < sc.peak_dn(long_easy) < 0.1
    faster = [sc.record(steady_run(3.6, 0.0, km=23.8))]  # same time, faster
    assert sc.peak_dn(faster) > sc.peak_dn(long_easy)


def test_steady_stimulus_carries_the_same_endurance_damage():
    recorded = compute_stimulus(sc.marathon())
    steady = steady_stimulus(3.9, 0.0, sc.MARATHON_M / 3.9)
    q = recorded.muscles["quadriceps"].damage
    assert steady.muscles["quadriceps"].damage == pytest.approx(q, rel=0.02)
    assert recorded.endurance_damage > 0


# --- 2. noisy GPS altitude creates no damage -----------------------------------------------


@pytest.mark.parametrize("kind", ["jitter", "drift"])
def test_noisy_altitude_gives_the_clean_files_damage_and_leg_block(kind):
    clean = sc.noisy_flat("clean")
    noisy = sc.noisy_flat(kind)
    assert noisy.elevation_source == "gps" and clean.elevation_source == "barometric"
    for km, speed in ((10.0, 3.0), (30.0, 3.6)):  # also a long run with endurance damage
        a = [sc.record(sc.noisy_flat("clean", km=km, speed=speed))]
        b = [sc.record(sc.noisy_flat(kind, km=km, speed=speed))]
        for muscle in ("quadriceps", "calves", "glute_max"):
            assert sc.dn_after(b, 24, muscle) == pytest.approx(sc.dn_after(a, 24, muscle), abs=0.05)
        blocks = [sc.leg_block(sc.dn_after(r, 24), sc.dn_after(r, 24, "glute_max")) for r in (a, b)]
        assert blocks[0] == blocks[1]
    stim = compute_stimulus(noisy)
    assert any("GPS-only altitude" in n for n in stim.notes)


def test_a_real_descent_on_gps_altitude_still_counts_discounted():
    baro = steady_run(3.0, -0.10, km=3)
    s = baro.series
    rng = np.random.default_rng(3)
    gps_series = type(s)(
        time_s=s.time_s,
        altitude_m=s.altitude_m + rng.normal(0, 1.5, len(s)),
        distance_m=s.distance_m,
        speed_mps=s.speed_mps,
    )
    gps = summarise(sport="running", start_time=START, series=gps_series, source_format="gpx")
    assert gps.elevation_source == "gps"
    q_baro = compute_stimulus(baro).muscles["quadriceps"].damage
    q_gps = compute_stimulus(gps).muscles["quadriceps"].damage
    assert 0.55 * q_baro <= q_gps <= 0.8 * q_baro


def test_the_importers_smoothed_series_is_used_when_present():
    run = steady_run(3.0, 0.0, km=2)
    slope = np.linspace(0.0, -100.0, len(run.series))  # 100 m down over the 2 km
    act = replace(run, elevation_smoothed=slope, elevation_smoothed_source="barometric")
    got = slope_series(act)
    assert got.source == "smoothed" and got.damage_factor == 1.0
    grade = prepare_samples(act).grade
    assert np.median(grade) == pytest.approx(-0.05, abs=0.002)
    from_gps = slope_series(replace(act, elevation_smoothed_source="gps"))
    assert from_gps.source == "gps" and from_gps.damage_factor < 1.0


# --- 3. run structure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "reps", "types"),
    [(sc.reps_200, 10, {"sprints", "intervals"}), (sc.reps_1k, 6, {"intervals"})],
)
def test_interval_sessions_are_detected_and_hard(build, reps, types):
    stim = compute_stimulus(build())
    st = stim.structure
    assert abs(st["reps"] - reps) <= 1
    assert stim.hard_day and stim.run_type in types
    kinds = [g["kind"] for g in st["segments"]]
    assert kinds[0] == "warm-up" and kinds[-1] == "cool-down"
    assert kinds.count("recovery") == reps - 1


def test_easy_runs_tempo_strides_and_walk_breaks():
    easy = compute_stimulus(steady_run(3.0, 0.0, km=8))
    assert (easy.run_type, easy.hard_day, easy.structure["reps"]) == ("easy", False, 0)
    tempo = make_activity(
        sc.session([sc.block(3.0, 2000), sc.block(4.0, 5000), sc.block(3.0, 2000)])
    )
    assert compute_stimulus(tempo).run_type == "tempo"
    strides = [sc.block(3.0, 6000)]
    for _ in range(5):
        strides += [sc.block(6.0, 100), sc.block(1.5, 60)]
    st = compute_stimulus(make_activity(sc.session(strides)))
    assert (st.run_type, st.hard_day, st.structure["strides"]) == ("easy", False, 5)
    breaks = []
    for _ in range(5):
        breaks += [sc.block(3.0, 1500), sc.block(1.4, 150)]
    walky = compute_stimulus(make_activity(sc.session(breaks)))
    assert [g["kind"] for g in walky.structure["segments"]].count("walk") == 5
    assert walky.walked_m == pytest.approx(750, rel=0.1)
    assert compute_stimulus(steady_run(3.0, 0.0, km=20)).run_type == "long"


def test_hill_repeats_are_reps_by_effort_not_speed():
    stim = compute_stimulus(sc.hill_repeats())
    assert (stim.run_type, stim.hard_day, stim.structure["reps"]) == ("hills", True, 6)
    ups = [g for g in stim.structure["segments"] if g["kind"] == "rep"]
    assert all(g["grade"] > 0.05 for g in ups)


def _climbs(lengths_m, grade=0.08):
    """A steady 3 m/s run over climbs of the given lengths, each followed by as long a descent."""
    parts, grades = [sc.block(3.0, 1500)], [0.0]
    for metres in lengths_m:
        parts += [sc.block(2.6, metres), sc.block(3.2, metres), sc.block(3.0, 800)]
        grades += [grade, -grade, 0.0]
    per_second = [np.full(len(parts[0]), grades[0])]
    for part, g in zip(parts[1:], grades[1:], strict=True):
        per_second.append(np.full(len(part) + 3, g))
    return make_activity(sc.session(parts), np.concatenate(per_second))


def test_unlike_climbs_of_a_hilly_run_are_not_hill_repeats():
    """Repeats are alike; a hilly run's climbs of 100 to 1,500 m are not a hard session."""
    hilly = compute_stimulus(_climbs([120, 1500, 300, 90, 900, 200]))
    assert not hilly.hard_day and hilly.run_type != "intervals"
    repeats = compute_stimulus(_climbs([300] * 6))
    assert (repeats.run_type, repeats.hard_day) == ("hills", True)


def test_unlike_fast_blocks_on_the_flat_are_a_fartlek():
    """Varied fast blocks (300 m to 2.6 km at 3.6-3.9 m/s, a third of the run) are a hard tempo
    session, not intervals (they are not alike) and not an easy run."""
    parts = [sc.block(2.8, 2000)]
    for metres in (800, 300, 1200, 2600, 400):
        parts += [sc.block(3.8, metres), sc.block(2.8, 600)]
    stim = compute_stimulus(make_activity(sc.session(parts)))
    assert (stim.run_type, stim.hard_day) == ("tempo", True)
    assert abs(stim.structure["reps"] - 5) <= 1


def test_warm_up_and_cool_down_belong_to_a_session_of_reps():
    """One surge in a steady run has no warm-up or cool-down around it, and a long fast
    second half is not a cool-down; a session of reps keeps its short warm-up and cool-down."""
    surge = compute_stimulus(
        make_activity(sc.session([sc.block(3.0, 4000), sc.block(4.2, 800), sc.block(3.0, 4000)]))
    )
    kinds = {g["kind"] for g in surge.structure["segments"]}
    assert "rep" in kinds and not kinds & {"warm-up", "cool-down"}
    parts = [sc.block(3.0, 2000)]
    for _ in range(3):
        parts += [sc.block(4.2, 1000), sc.block(2.8, 400)]
    parts.append(sc.block(3.0, 9000))  # 50 min after the last rep: more of the run than a cool-down
    late = compute_stimulus(make_activity(sc.session(parts)))
    kinds = [g["kind"] for g in late.structure["segments"]]
    assert kinds[0] == "warm-up" and kinds[-1] == "steady"
    reps = compute_stimulus(sc.reps_1k()).structure["segments"]
    assert (reps[0]["kind"], reps[-1]["kind"]) == ("warm-up", "cool-down")


def test_a_race_needs_a_known_threshold():
    fit = Athlete(threshold_pace_s_per_km=240)  # the marathon at 94 % of threshold speed
    assert compute_stimulus(sc.marathon(), fit).run_type == "race"
    assert compute_stimulus(sc.marathon(), fit).hard_day
    assert compute_stimulus(sc.marathon()).run_type == "long"  # default threshold: not a race


# --- 4. walking ----------------------------------------------------------------------------


def test_a_hiking_descent_loads_the_quadriceps_eccentrically():
    stim = compute_stimulus(sc.hike_descent())
    assert not stim.is_run and stim.on_foot and stim.to_dict()["on_foot"] is True
    assert stim.muscles["quadriceps"].eccentric > 0
    hike = [sc.record(sc.hike_descent())]
    assert sc.dn_after(hike, 24) >= 0.3  # no heavy legs the next day
    ran = [sc.record(sc.hike_descent(speed=3.0, sport="running"))]
    assert sc.dn_after(hike, 24) < sc.dn_after(ran, 24)  # walking forces are lower
    assert stim.run_type == "hike" and not stim.hard_day


def test_walking_costs_less_than_running_the_same_distance():
    walk = compute_stimulus(steady_run(1.4, 0.0, km=2)).total
    run = compute_stimulus(steady_run(3.0, 0.0, km=2)).total
    assert 0.4 <= walk / run <= 0.7
    cycling = compute_stimulus(steady_run(6.0, 0.0, km=5, sport="cycling"))
    assert cycling.total == 0 and not cycling.on_foot


# --- 5. repeated-bout protection only from comparable doses -------------------------------


def test_rolling_runs_do_not_protect_against_a_big_descent():
    alone = [sc.record(sc.big_descent())]
    week = [sc.record(sc.rolling_run(d)) for d in range(7)] + alone
    assert sc.peak_dn(week) >= 0.85 * sc.peak_dn(alone)
    # a comparable descent two weeks before does protect
    twice = [sc.record(sc.big_descent(day=1)), sc.record(sc.big_descent(day=15))]
    later = [sc.record(sc.big_descent(day=15))]
    assert sc.peak_dn(twice) < 0.6 * sc.peak_dn(later)


# --- 6. threshold and body mass -----------------------------------------------------------


def history_of(runs):
    return [
        {
            "start_time": a.start_time,
            "is_run": a.is_run,
            "moving_time_s": a.moving_time_s,
            "avg_pace_s_per_km": a.avg_pace_s_per_km,
            "avg_heart_rate": hr,
            "max_heart_rate": hr + 10,
        }
        for a, hr in runs
    ]


def test_threshold_from_the_best_sustained_effort():
    easy = [
        (steady_run(3.0, 0.0, km=8, start_time=START - timedelta(days=d)), 140) for d in (2, 5, 9)
    ]
    race = (steady_run(4.2, 0.0, km=10, start_time=START - timedelta(days=20)), 172)
    est = estimate_threshold(history_of([*easy, race]), now=START)
    assert est.speed_mps == pytest.approx(hour_equivalent(4.2, 10_000 / 4.2), rel=0.01)
    assert est.heart_rate == 172 and est.hr_max_seen == 182
    only_easy = estimate_threshold(history_of(easy), now=START)
    assert only_easy.speed_mps == pytest.approx(1.15 * 3.0, rel=0.02)
    old = estimate_threshold(history_of([race]), now=START + timedelta(days=200))
    assert old is None and estimate_threshold([]) is None
    athlete = Athlete().with_estimate(est)
    assert athlete.threshold_pace_s_per_km == pytest.approx(1000 / est.speed_mps)
    assert Athlete(threshold_pace_s_per_km=250).with_estimate(est).threshold_pace_s_per_km == 250


def test_threshold_from_an_interval_sessions_best_window():
    stim = compute_stimulus(sc.reps_1k()).to_dict()
    row = {"start_time": START, "is_run": True, "moving_time_s": 600.0, "stimulus": stim}
    est = estimate_threshold([row])
    assert est is not None and est.speed_mps > 3.5  # the 10-min window holds two reps


def test_body_mass_gives_absolute_work_in_kj():
    plain = compute_stimulus(steady_run(3.0, 0.0, km=10))
    heavy = compute_stimulus(steady_run(3.0, 0.0, km=10), Athlete(mass_kg=70))
    assert plain.work_kj is None and plain.energy_kj is None
    assert heavy.energy_kj == pytest.approx(3.6 * 70 * 10, rel=0.02)  # Minetti's Cr(0)
    assert heavy.work_kj == pytest.approx(plain.total / 100 * 1.70 * 70, rel=0.02)
    assert heavy.to_dict()["work_kj"] == pytest.approx(heavy.work_kj)
    assert heavy.to_dict()["model_version"] == MODEL_VERSION
