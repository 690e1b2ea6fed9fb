"""FIT, GPX and TCX read into one Activity model, on files made in the test set-up."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import numpy as np
import pytest

import importers
from importers.activity import Activity
from tests.importers.samples import START, fit_bytes, gpx_text, make_track, tcx_text


@pytest.fixture(scope="module")
def track():
    # 40 min moving at 3 m/s (7.2 km) with a 30 m hill every 10 min and two pauses
    return make_track(seconds=2400, speed=3.0, hill_m=30.0, pauses=((600, 120), (1500, 45)))


def test_fit_run_summary(track):
    [act] = importers.load(fit_bytes(track, device_ascent=120), "run.fit")
    assert isinstance(act, Activity)
    assert act.sport == "running" and act.is_run
    assert act.source_format == "fit"
    assert act.start_time == START
    assert act.distance_m == pytest.approx(7200.0, abs=0.5)
    # the timer was stopped for 165 s: elapsed includes the pauses, moving time does not
    assert act.elapsed_time_s == pytest.approx(2400 + 165)
    assert act.moving_time_s == pytest.approx(track.moving_s, abs=1.0)
    assert act.avg_pace_s_per_km == pytest.approx(2400 / 7.2, rel=0.002)
    assert act.elevation_source == "device" and act.elevation_gain_m == 120
    assert act.device_totals.distance_m == pytest.approx(7200.0)
    assert act.max_heart_rate == 150
    assert 130 < act.avg_heart_rate < 150
    # 7 full kilometres and a 200 m remainder, each ~333 s/km
    assert [round(s.distance_m) for s in act.splits] == [1000] * 7 + [200]
    assert all(s.pace_s_per_km == pytest.approx(333.3, abs=2) for s in act.splits)
    assert act.series.cadence_spm[5] == 170  # strides doubled to steps
    assert act.series.lat[0] == pytest.approx(45.0, abs=1e-6)


def test_fit_elevation_from_series_without_device_total(track):
    [act] = importers.load(fit_bytes(track), "run.fit")
    # four full 30 m hills in 40 min of moving time: 120 m of climb
    assert act.elevation_source in ("barometric", "gps")
    assert act.elevation_gain_m == pytest.approx(120, rel=0.08)
    assert act.elevation_loss_m == pytest.approx(act.elevation_gain_m, abs=31)
    # hills: grade-adjusted pace is faster than the raw pace (uphill costs more than
    # downhill gives back)
    assert act.gap_s_per_km < act.avg_pace_s_per_km


def test_noisy_altitude_is_not_inflated():
    flat = make_track(seconds=1800, hill_m=0.0, noise_m=1.5, seed=3)
    [act] = importers.load(fit_bytes(flat), "flat.fit")
    # raw sum of positive steps over 1,800 noisy samples would be hundreds of metres
    raw = float(np.clip(np.diff(flat.alt), 0, None).sum())
    assert raw > 500
    assert act.elevation_gain_m < 15


@pytest.mark.parametrize(
    ("sub_sport", "expected"),
    [("treadmill", "treadmill_running"), ("trail", "trail_running"), ("generic", "running")],
)
def test_fit_sub_sports(sub_sport, expected):
    tr = make_track(seconds=300)
    [act] = importers.load(fit_bytes(tr, sub_sport=sub_sport), "x.fit")
    assert act.sport == expected and act.is_run


def test_fit_non_run_is_not_counted():
    tr = make_track(seconds=300, speed=8.0)
    [act] = importers.load(fit_bytes(tr, sport="cycling", sub_sport="road"), "ride.fit")
    assert act.sport == "cycling" and not act.is_run


def test_fit_foot_pod_without_gps():
    tr = make_track(seconds=900)
    [act] = importers.load(fit_bytes(tr, with_gps=False, with_altitude=False), "pod.fit")
    assert act.series.lat is None
    assert act.distance_m == pytest.approx(2700.0, abs=0.5)
    assert act.elevation_source == "none" and act.elevation_gain_m is None


def test_multisport_gives_one_activity_per_leg():
    tr = make_track(seconds=1200, speed=3.0)
    legs = [(0, 600, "cycling", "road"), (600, 1201, "running", "generic")]
    acts = importers.load(fit_bytes(tr, sessions=legs), "tri.fit")
    assert [a.sport for a in acts] == ["cycling", "running"]
    assert [a.is_run for a in acts] == [False, True]
    assert [a.index for a in acts] == [0, 1]
    assert acts[1].start_time == START + timedelta(seconds=600)
    assert acts[1].distance_m == pytest.approx(1800.0, abs=3.5)


def test_fit_without_session_keeps_records():
    tr = make_track(seconds=600)
    [act] = importers.load(fit_bytes(tr, with_session=False), "nosession.fit")
    assert act.device_totals is None
    assert act.distance_m == pytest.approx(1800.0, abs=0.5)


def test_developer_fields_are_ignored():
    tr = make_track(seconds=300)
    [act] = importers.load(fit_bytes(tr, developer_heart_rate=250), "dev.fit")
    assert act.max_heart_rate == 150  # the real heart rate, not the developer field's 250


def test_chained_fit_files():
    first = make_track(seconds=600)
    second = make_track(seconds=900, start=START + timedelta(hours=2), seed=2)
    acts = importers.load(fit_bytes(first) + fit_bytes(second), "chained.fit")
    assert [round(a.distance_m) for a in acts] == [1800, 2700]
    assert acts[1].start_time == START + timedelta(hours=2)
    assert acts[0].fingerprint != acts[1].fingerprint


def test_clock_jump_is_taken_out():
    tr = make_track(seconds=1200)
    # the watch clock jumps 5 hours forward after 10 minutes; the session's elapsed time and
    # the distance run on as if nothing happened
    jump = timedelta(hours=5)
    tr.times = [t + jump if i >= 600 else t for i, t in enumerate(tr.times)]
    tr.timer = [(tr.times[0], "start"), (tr.times[-1], "stop_all")]
    data = fit_bytes(tr, session_elapsed_s=1200.0)
    [act] = importers.load(data, "jump.fit")
    assert act.elapsed_time_s < 1300
    assert any("clock jumped by 300 minutes" in w for w in act.warnings)


def test_gpx_matches_fit(track):
    segs = [(0, 600), (600, 1500), (1500, len(track.times))]  # a segment per pause
    [g] = importers.load(gpx_text(track, segments=segs).encode(), "run.gpx")
    [f] = importers.load(fit_bytes(track), "run.fit")
    assert g.source_format == "gpx" and g.sport == "running"
    # 2-D geodesic steps reproduce the true distance; no distance across the pauses
    assert g.distance_m == pytest.approx(7200.0, rel=0.001)
    assert g.moving_time_s == pytest.approx(f.moving_time_s, abs=2)
    assert g.series.heart_rate is not None and g.max_heart_rate == 150
    assert g.series.cadence_spm[10] == 170
    assert g.elevation_gain_m == pytest.approx(f.elevation_gain_m, rel=0.05)
    assert g.fingerprint == f.fingerprint


def test_gpx_sparse_points_follow_the_curve():
    # a 400 m running track (a circle of radius 63.66 m) with a point every 15 s at 3 m/s:
    # straight chords between points cut the corners by ~2 %, the curve recovers it
    radius = 400 / (2 * math.pi)
    times = np.arange(0, 810, 15.0)
    angle = times * 3.0 / radius
    lat = 45.0 + np.degrees(radius * np.sin(angle) / 6_371_008.8)
    lon = 7.0 + np.degrees(
        radius * (1 - np.cos(angle)) / (6_371_008.8 * math.cos(math.radians(45)))
    )
    pts = "".join(
        f'<trkpt lat="{la:.8f}" lon="{lo:.8f}"><time>'
        f"{(START + timedelta(seconds=float(t))):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        for la, lo, t in zip(lat, lon, times, strict=True)
    )
    gpx = f'<gpx version="1.1"><trk><type>running</type><trkseg>{pts}</trkseg></trk></gpx>'
    [act] = importers.load(gpx.encode(), "track.gpx")
    true_length = 3.0 * times[-1]
    chords = 2 * radius * math.sin(3.0 * 15.0 / radius / 2) * (len(times) - 1)
    assert chords < 0.985 * true_length
    assert act.distance_m == pytest.approx(true_length, rel=0.005)


def test_gpx_mostly_without_times_is_refused():
    points = gpx_text(make_track(seconds=60)).split("\n")
    kept = 0
    for i, line in enumerate(points):
        if "<time>" in line:
            kept += 1
            if kept > 3:  # only the first three points keep their time
                points[i] = re.sub(r"<time>[^<]*</time>", "", line)
    with pytest.raises(importers.NoActivityData, match="without times"):
        importers.load("\n".join(points).encode(), "mostly-untimed.gpx")


def test_gpx_with_undeclared_prefix_is_read_with_a_warning():
    tr = make_track(seconds=120)
    text = gpx_text(tr, with_ext=False).replace(
        "</time>", "</time><extensions><gpxdata:cadence>86</gpxdata:cadence></extensions>"
    )
    [act] = importers.load(b"\xef\xbb\xbf" + text.encode(), "mapstogpx.gpx")
    assert act.series.cadence_spm[5] == 172
    assert act.warnings == (
        "This GPX file uses namespace prefixes it never declares (gpxdata); Legday read it anyway.",
    )


def test_gpx_10_bom_and_no_elevation():
    tr = make_track(seconds=600)
    text = gpx_text(tr, version="1.0", with_ele=False, sport=None)
    [act] = importers.load(b"\xef\xbb\xbf" + text.encode(), "old.gpx")
    assert act.elevation_source == "none" and act.gap_s_per_km is None
    assert act.distance_m == pytest.approx(1800.0, rel=0.001)
    assert act.sport == "running"  # from the pace, with a warning saying so
    assert any("does not say which sport" in w for w in act.warnings)


@pytest.mark.parametrize(
    "stamps",
    [
        ["2024-05-01T07:00:00Z", "2024-05-01T07:00:01.5Z", "2024-05-01T07:00:02.123456789Z"],
        ["2024-05-01T09:00:00+02:00", "2024-05-01T02:00:01-05:00", "2024-05-01T07:00:02+0000"],
        ["2024-05-01T07:00:00", "2024-05-01T07:00:01.000001"],  # no zone: UTC
        ["2024-05-01T07:00:00Z", "2024-05-01T07:00:01"],  # mixed: one at a time
        ["2300-05-01T07:00:00Z", "2300-05-01T07:00:01.7Z"],  # past 2**53 microseconds
        ["1969-12-31T23:59:59.9Z", "1970-01-01T00:00:00.1Z"],
    ],
)
def test_gpx_times_are_the_same_unix_seconds_point_by_point(stamps):
    # _unix_times computes on numpy columns; it must give _unix's figures to the bit
    from gpxpy.gpxfield import parse_time

    from importers import gpx

    times = [parse_time(s) for s in stamps]
    expected = np.array([gpx._unix(t) for t in times])
    assert gpx._unix_times(times).tobytes() == expected.tobytes()


def test_tcx_laps_are_device_totals(track):
    [act] = importers.load(tcx_text(track, laps=3).encode(), "run.tcx")
    assert act.source_format == "tcx" and act.is_run
    assert act.distance_m == pytest.approx(7200.0, abs=1.0)
    assert act.device_totals.distance_m == pytest.approx(7200.0, abs=10.0)
    assert act.device_totals.max_heart_rate == 150
    assert act.series.cadence_spm[3] == 170


def test_tcx_speed_without_distance_and_laps_are_not_pauses(track):
    # Suunto style: no per-point distance, the device's speed instead; 4 laps, one track each
    text = tcx_text(track, laps=4, with_distance=False, with_speed=True)
    [act] = importers.load(text.encode(), "suunto.tcx")
    assert act.distance_m == pytest.approx(7200.0, abs=10)  # nothing counted inside pauses
    # the 120 s pause is a gap over 60 s; the 45 s one is not (no timer events in TCX)
    assert act.moving_time_s == pytest.approx(2400 + 45, abs=2)


def test_tcx_second_track_in_a_lap_is_a_pause():
    tr = make_track(seconds=600)
    text = tcx_text(tr, laps=1)
    # split the lap's one track in two at the 300th point (a pause the watch marked)
    marker = f"<Trackpoint><Time>{tr.times[300]:%Y-%m-%dT%H:%M:%SZ}</Time>"
    text = text.replace(marker, "</Track><Track>" + marker)
    [act] = importers.load(text.encode(), "paused.tcx")
    assert act.moving_time_s == pytest.approx(599.0)
    [plain] = importers.load(tcx_text(tr, laps=1).encode(), "plain.tcx")
    assert plain.moving_time_s == pytest.approx(600.0)


def test_tcx_sport_other_is_not_a_run():
    tr = make_track(seconds=300)
    [act] = importers.load(tcx_text(tr, sport="Other", laps=1).encode(), "ski.tcx")
    assert act.sport == "other" and not act.is_run


def test_format_comes_from_content_not_name(track):
    data = fit_bytes(track)
    [act] = importers.load(data, "activity.gpx")
    assert act.source_format == "fit"
    assert importers.detect(gpx_text(track).encode()) == "gpx"
    assert importers.detect(tcx_text(track).encode()) == "tcx"


def test_geodesic_distance_of_one_degree():
    from importers.summary import haversine_steps

    step = haversine_steps(np.array([0.0, 1.0]), np.array([0.0, 0.0]))[0]
    assert step == pytest.approx(math.radians(1.0) * 6_371_008.8)
