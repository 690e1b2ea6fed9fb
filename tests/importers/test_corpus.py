"""The real device files in ../shared: our numbers against what each watch wrote itself.

Targets (issue 3): on every real GPS running file, distance within 1 % of the device's session
total, moving time within 2 % of its timer time, ascent within 10 % (or 15 m) of the device's
total; the GPX and the FIT of one activity within 1.5 % on distance and 20 % on ascent.
"""

from __future__ import annotations

import csv
import functools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import importers
from importers.activity import Activity
from importers.summary import series_elevation

pytestmark = pytest.mark.shared

RUN_SPORTS = {"running"}


def _rows(root: Path, name: str) -> list[dict]:
    with open(root / name, newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _float(text: str) -> float | None:
    return float(text) if text else None


def _run_sessions(root: Path) -> list[tuple[str, dict]]:
    """(file, session row) for every running session of a FIT file that parses."""
    has_gps = {r["file"]: r["has_gps"] == "true" for r in _rows(root, "device_totals.tsv")}
    out = []
    for row in _rows(root, "device_sessions.tsv"):
        if row["file"].startswith("fit/") and row["sport"] in RUN_SPORTS:
            out.append((row["file"], row | {"has_gps": has_gps.get(row["file"], False)}))
    return out


@functools.cache
def _load(root: Path, rel: str) -> list[Activity]:
    return importers.load((root / rel).read_bytes(), Path(rel).name)


FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)


def _device_start(text: str) -> datetime:
    """A session's start_time as the TSV gives it: ISO 8601, or raw FIT seconds when the
    watch's clock was never set (seconds since the FIT epoch, 1989-12-31 UTC)."""
    if text.isdigit():
        return FIT_EPOCH + timedelta(seconds=int(text))
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_every_run_session_is_present(shared_activities):
    """Each running session the devices wrote is one run of ours: same start, its values."""
    sessions = _run_sessions(shared_activities)
    assert len(sessions) >= 12
    missing = []
    for rel, row in sessions:
        runs = [a for a in _load(shared_activities, rel) if a.is_run]
        start = _device_start(row["start_time"])
        found = [a for a in runs if abs((a.start_time - start).total_seconds()) <= 2]
        if len(found) != 1:
            missing.append(f"{rel} session {row['session']}: {len(found)} runs start at {start}")
            continue
        [act] = found
        assert act.sport.endswith("running"), (rel, act.sport)
        assert act.distance_m == pytest.approx(float(row["total_distance_m"]), rel=0.01), rel
        assert act.moving_time_s == pytest.approx(float(row["total_timer_time_s"]), rel=0.02), rel
    # each file holds as many runs as it has running sessions (no leg lost, none invented)
    per_file = Counter(rel for rel, _ in sessions)
    for rel, n in per_file.items():
        assert sum(a.is_run for a in _load(shared_activities, rel)) == n, rel
    assert not missing, missing


def _ours_ascent(act: Activity) -> float:
    # the activity reports the device's own total; check our own method on the series
    assert act.elevation_source == "device"
    ours = series_elevation(act.series)
    assert ours is not None
    return ours[0]


# kind: (device column, our value, allowed difference for a device value d)
TARGETS = {
    "distance": ("total_distance_m", lambda a: a.distance_m, lambda d: 0.01 * d),
    "timer": ("total_timer_time_s", lambda a: a.moving_time_s, lambda d: 0.02 * d),
    "ascent": ("total_ascent_m", _ours_ascent, lambda d: max(0.10 * d, 15.0)),
    # time-weighted, so that sparse "smart" recording does not skew it
    "heart_rate": ("avg_heart_rate", lambda a: a.avg_heart_rate, lambda d: 1.0),
}


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_device_totals(shared_activities, kind):
    column, ours, allowed = TARGETS[kind]
    failures = []
    checked = 0
    for rel, row in _run_sessions(shared_activities):
        device = _float(row[column])
        if not device or (kind == "ascent" and not row["has_gps"]):
            continue  # distance, timer and heart rate: the foot pod and treadmill runs too
        [act] = [a for a in _load(shared_activities, rel) if a.is_run]  # one run leg
        checked += 1
        value = ours(act)
        if abs(value - device) > allowed(device):
            failures.append(f"{rel}: {kind} {value:.1f} vs device {device:.1f}")
    assert checked >= 8
    assert not failures, failures


PAIRS = {
    "2067489619": (
        "fit/garmin-vivoactive-hr_run__2067489619.fit",
        "gpx/garmin-connect_vivoactive-hr_run_hr__2067489619.gpx",
    ),
    "6782987395": (
        "fit/garmin-fr945_run_14km__6782987395.fit",
        "gpx/garmin-connect_fr945_run_hr__6782987395.gpx",
    ),
}


@pytest.mark.parametrize("activity_id", sorted(PAIRS))
def test_gpx_and_fit_of_one_activity(shared_activities, activity_id):
    fit_path, gpx_path = PAIRS[activity_id]
    [f] = _load(shared_activities, fit_path)
    [g] = _load(shared_activities, gpx_path)
    assert g.fingerprint == f.fingerprint
    assert abs(g.elevation_gain_m - f.elevation_gain_m) <= 0.20 * f.elevation_gain_m
    assert g.moving_time_s == pytest.approx(f.moving_time_s, rel=0.02)
    assert g.is_run and f.is_run


@pytest.mark.parametrize(
    "activity_id",
    [
        "6782987395",
        pytest.param(
            "2067489619",
            marks=pytest.mark.xfail(
                strict=True,
                reason=(
                    "not in the GPX: the vivoactive HR's distance exceeds the straight line "
                    "between its recorded points by 3.5 % even where the path does not turn "
                    "(it counts its 1 Hz fixes, smart recording keeps one every ~5 s); the "
                    "Catmull-Rom path reaches -1.6 %"
                ),
            ),
        ),
    ],
)
def test_gpx_and_fit_distance(shared_activities, activity_id):
    fit_path, gpx_path = PAIRS[activity_id]
    [f] = _load(shared_activities, fit_path)
    [g] = _load(shared_activities, gpx_path)
    assert abs(g.distance_m - f.distance_m) <= 0.015 * f.distance_m


def test_treadmill_fit_and_tcx(shared_activities):
    [f] = _load(shared_activities, "fit/garmin-fr945_treadmill_no-gps__6860622783.fit")
    [t] = _load(shared_activities, "tcx/garmin-fr945_treadmill_no-position__6860622783.tcx")
    assert f.sport == "treadmill_running" and f.gap_s_per_km == f.avg_pace_s_per_km
    assert f.fingerprint == t.fingerprint
    assert t.distance_m == pytest.approx(f.distance_m, rel=0.001)


def test_gz_same_as_plain(shared_activities):
    [plain] = _load(shared_activities, "fit/garmin-vivoactive-hr_run__2067489619.fit")
    [gz] = _load(shared_activities, "fit/garmin-vivoactive-hr_run__2067489619.fit.gz")
    assert gz.fingerprint == plain.fingerprint and gz.distance_m == plain.distance_m


def test_multisport_files(shared_activities):
    for rel in (
        "fit/garmin-fr255_triathlon_multisport_summary-first__triathlon_summary_first.fit",
        "fit/garmin-fr920xt_triathlon_chained-4-headers__sample_mulitple_header.fit",
    ):
        acts = _load(shared_activities, rel)
        assert [a.sport for a in acts] == [
            "swimming",
            "transition",
            "cycling",
            "transition",
            "running",
        ]
        assert [a.is_run for a in acts].count(True) == 1


def test_non_runs_are_not_counted(shared_activities):
    for rel in (
        "fit/garmin-fr735xt_pool-swim__event_timestamp.fit",
        "fit/garmin-vivoactive-hr_indoor-rowing__20170518-191602-1740899583.fit",
        "fit/wahoo-elemnt_cycling_long-stops__2019-02-17-062644-ELEMNT-297E-195-0.fit",
        "tcx/garmin-vivoactive-hr_xc-ski_sport-other__cross-country-skiing_activity_1.tcx",
        "gpx/strava_ride_emoji-name__7555261629.gpx.gz",
    ):
        assert not any(a.is_run for a in _load(shared_activities, rel)), rel


def test_foot_pod_file(shared_activities):
    [act] = _load(
        shared_activities,
        "fit/garmin-fr70_run_footpod_compressed-ts_no-gps__compressed-speed-distance.fit",
    )
    assert act.is_run and act.series.lat is None
    assert act.distance_m == pytest.approx(10248.67, rel=0.001)
    # no opening timer-start event: the timer ran from the first record
    assert act.moving_time_s == pytest.approx(3772.75, abs=5)
    assert any("clock was not set" in w for w in act.warnings)


# --- bad/ ------------------------------------------------------------------------------------

BAD = {
    "mapstogpx-strava_run_bom_unbound-ns-prefix__6037744996.gpx": "never declares (gpxdata)",
    "strava-android_run_undefined-local-msg__strava-android-app-201.10-b1218918.fit": "refused",
    "unknown_header-datasize-zero__empty-activities.fit": "refused",
    "sigma_cycling_truncated_no-session__nick.fit": "cut off after 14,391 records",
    "nk_generic_timer-gt-elapsed__inverted-times.fit": "clock jumped",
    "wahoo-elemnt-bolt_devdata-no-app-id__elemnt-bolt-no-application-id-inside-developer-data-"
    "id.fit": "read",
}


def test_bad_folder_is_covered(shared_activities):
    assert {p.name for p in (shared_activities / "bad").iterdir()} == set(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files(shared_activities, name):
    expected = BAD[name]
    data = (shared_activities / "bad" / name).read_bytes()
    if expected == "refused":
        with pytest.raises(importers.CorruptFile) as info:
            importers.load(data, name)
        assert not getattr(info.value, "internal", False)
        return
    acts = importers.load(data, name)
    assert acts
    if expected != "read":
        assert any(expected in w for a in acts for w in a.warnings)
    if "nk_generic" in name:
        assert acts[0].elapsed_time_s < 4000  # not the 21,670 s of the raw timestamps


def test_strava_android_message_counts_records(shared_activities):
    name = "strava-android_run_undefined-local-msg__strava-android-app-201.10-b1218918.fit"
    with pytest.raises(importers.CorruptFile, match="after 473 records"):
        importers.load((shared_activities / "bad" / name).read_bytes(), name)


def test_cut_and_flipped_real_files(shared_activities):
    """Real files cut at many places and with flipped bits: a result or the family only."""
    rng = random.Random(7)
    for rel in (
        "fit/garmin-vivoactive-hr_run__2067489619.fit",
        "gpx/garmin-connect_vivoactive-hr_run_hr__2067489619.gpx",
        "tcx/suunto-spartan-ultra_run_32-laps__unknown_example.tcx",
    ):
        data = (shared_activities / rel).read_bytes()
        variants = [data[: int(len(data) * k / 8)] for k in range(8)]
        for _ in range(8):
            flipped = bytearray(data)
            for _ in range(20):
                pos = rng.randrange(len(flipped))
                flipped[pos] ^= 1 << rng.randrange(8)
            variants.append(bytes(flipped))
        for variant in variants:
            try:
                importers.load(variant, Path(rel).name)
            except importers.ActivityFileError as exc:
                assert not getattr(exc, "internal", False), (rel, repr(exc.__cause__))
