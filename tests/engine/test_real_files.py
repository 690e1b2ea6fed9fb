"""The model on real device files from ../shared (skipped when they are absent)."""

from __future__ import annotations

import pytest

import importers
from engine.muscles import LEG_MUSCLES
from engine.stimulus import compute_stimulus, per_km

pytestmark = pytest.mark.shared

TRAIL_CLIMBS = [  # big climbs: 2295 m, 1817 m and ~2700 m of ascent
    "fit/garmin-fr910xt_run_28km_2295m-ascent__garmin.fit",
    "fit/suunto9baro_trail-run_1817m-ascent__6910052863.fit",
    "gpx/mytrails_mountain-trail_41km_3384m-up_2-segments__6909258631.gpx",
]
FLAT_ROAD = [  # under 15 m of climb per km
    "fit/coros-apex-pro_run_power__6916663933.fit",
    "fit/garmin-fr920xt_run_long-pauses__mornindew-broken.fit",
    "tcx/polar-v800_run__polar.tcx.gz",
    "gpx/amazfit_hr__amazfit.gpx",
]
SAME_ACTIVITY = [
    (
        "fit/garmin-vivoactive-hr_run__2067489619.fit",
        "gpx/garmin-connect_vivoactive-hr_run_hr__2067489619.gpx",
    ),
    (
        "fit/garmin-fr945_run_14km__6782987395.fit",
        "gpx/garmin-connect_fr945_run_hr__6782987395.gpx",
    ),
    (
        "fit/garmin-fr945_treadmill_no-gps__6860622783.fit",
        "tcx/garmin-fr945_treadmill_no-position__6860622783.tcx",
    ),
]


def stimulus_of(root, name):
    (activity,) = [a for a in importers.load((root / name).read_bytes(), name) if a.is_run]
    return activity, compute_stimulus(activity)


def test_trail_climbs_load_glute_max_and_calves_more_per_km_than_flat_roads(shared_activities):
    trail = [per_km(stimulus_of(shared_activities, f)[1]) for f in TRAIL_CLIMBS]
    flat = [per_km(stimulus_of(shared_activities, f)[1]) for f in FLAT_ROAD]
    for muscle in ("glute_max", "calves"):
        assert min(k[muscle].total for k in trail) > max(k[muscle].total for k in flat), muscle
    for name in FLAT_ROAD:
        activity, _ = stimulus_of(shared_activities, name)
        assert activity.elevation_gain_m < 15 * activity.distance_m / 1000, name


@pytest.mark.parametrize(("first", "second"), SAME_ACTIVITY)
def test_two_files_of_one_activity_agree_within_10_percent(shared_activities, first, second):
    _, a = stimulus_of(shared_activities, first)
    _, b = stimulus_of(shared_activities, second)
    assert b.total == pytest.approx(a.total, rel=0.10)
    for muscle in LEG_MUSCLES:
        assert b.muscles[muscle].total == pytest.approx(a.muscles[muscle].total, rel=0.10)
    assert b.systemic_load == pytest.approx(a.systemic_load, rel=0.10)


def test_treadmill_and_no_elevation_files_say_grade_zero(shared_activities):
    _, tread = stimulus_of(shared_activities, SAME_ACTIVITY[2][0])
    assert "treadmill: grade taken as 0" in tread.notes
    _, bare = stimulus_of(
        shared_activities,
        "fit/garmin-fr70_run_footpod_compressed-ts_no-gps__compressed-speed-distance.fit",
    )
    assert "no elevation data: grade taken as 0" in bare.notes


def test_non_runs_in_a_multisport_file_get_no_leg_stimulus(shared_activities):
    name = "fit/garmin-fr255_triathlon_multisport_summary-first__triathlon_summary_first.fit"
    legs = importers.load((shared_activities / name).read_bytes(), name)
    for activity in legs:
        stim = compute_stimulus(activity)
        if activity.is_run:
            assert stim.total > 0
        else:
            assert stim.total == 0 and any("not a run" in n for n in stim.notes)
