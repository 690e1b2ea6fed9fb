"""Messy files of the real world (issue 12), part 2: the reconciliation with the device's totals,
the plausibility pass, the one smoothed elevation series, multisport boundaries and treadmill
TCX. Every file is generated here."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import numpy as np
import pytest
from garmin_fit_sdk import Encoder

import importers
from importers.activity import Series
from importers.reconcile import even_pace_series
from importers.summary import summarise
from tests.importers.samples import (
    MESG,
    START,
    Track,
    fit_bytes,
    gpx_text,
    make_track,
    tcx_text,
)


def _close(value: float, want: float, rel: float = 0.01) -> bool:
    return abs(value - want) <= rel * want


def _gpx(points: list[dict], sport: str | None = "running") -> bytes:
    """A GPX of explicit points: t (s after START), lat, lon, optional ele and hr."""
    out = [
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk>'
    ]
    if sport:
        out.append(f"<type>{sport}</type>")
    out.append("<trkseg>")
    for p in points:
        t = START + timedelta(seconds=p["t"])
        pt = f'<trkpt lat="{p["lat"]:.7f}" lon="{p["lon"]:.7f}">'
        if p.get("ele") is not None:
            pt += f"<ele>{p['ele']:.1f}</ele>"
        pt += f"<time>{t:%Y-%m-%dT%H:%M:%SZ}</time>"
        if p.get("hr") is not None:
            pt += (
                "<extensions><gpxtpx:TrackPointExtension>"
                f"<gpxtpx:hr>{p['hr']}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
            )
        out.append(pt + "</trkpt>")
    out.append("</trkseg></trk></gpx>")
    return "".join(out).encode()


def _points(seconds: int, speed: float = 3.0, t0: float = 0.0) -> list[dict]:
    track = make_track(seconds, speed=speed)
    return [
        {"t": t0 + i, "lat": track.lat[i], "lon": track.lon[i], "ele": track.alt[i], "hr": 140}
        for i in range(len(track.times))
    ]


# --- 2. reconciliation with the device's totals ----------------------------------------------


def _manual_tcx(points: int) -> bytes:
    track = make_track(3600, speed=10000 / 3600)
    text = tcx_text(track, laps=1)
    body = re.findall(r"<Trackpoint>.*?</Trackpoint>", text)
    text = text.replace("\n".join(body), "\n".join(body[:points]))
    text = re.sub(r"<TotalTimeSeconds>[^<]*<", "<TotalTimeSeconds>3600<", text)
    text = re.sub(r"(</TotalTimeSeconds><DistanceMeters>)[^<]*<", r"\g<1>10000<", text)
    return text.encode()


@pytest.mark.parametrize("points", [0, 1])
def test_manual_tcx_takes_the_lap_totals(points):
    [act] = importers.load(_manual_tcx(points), "manual.tcx")
    assert _close(act.distance_m, 10000) and _close(act.moving_time_s, 3600, 0.02)
    assert (act.distance_source, act.time_source) == ("laps", "laps")
    assert act.is_run and act.avg_pace_s_per_km == 360.0


def test_tcx_laps_without_points_count_from_the_laps():
    track = make_track(1800)
    text = tcx_text(track, laps=10)
    first_track = text.index("<Track>")
    end = text.index("</Track>", first_track)
    text = text[: first_track + len("<Track>")] + text[end:]  # lap 1 keeps no points
    [act] = importers.load(text.encode(), "suunto.tcx")
    assert _close(act.distance_m, 1800 * 3.0) and act.distance_source == "laps"
    assert any("no recorded track points" in w for w in act.warnings)


def test_sparse_tcx_takes_the_lap_timer():
    track = make_track(1800)
    keep = list(range(0, len(track.times), 90))  # a point every 90 s, the timer running
    sparse = Track(
        [track.times[i] for i in keep],
        *(getattr(track, k)[keep] for k in ("lat", "lon", "alt", "dist", "hr", "cad")),
        track.timer,
    )
    [act] = importers.load(tcx_text(sparse, laps=1).encode(), "sparse.tcx")
    assert act.time_source == "laps" and _close(act.moving_time_s, 1800, 0.02)


def test_fit_speed_without_distance_is_integrated():
    data = fit_bytes(make_track(1800), with_gps=False, with_distance=False, sub_sport="treadmill")
    [act] = importers.load(data, "treadmill.fit")
    assert _close(act.distance_m, 5400) and act.distance_source == "samples"
    assert act.sport == "treadmill_running"
    assert act.avg_pace_s_per_km == pytest.approx(333.3, abs=1.0)
    assert any("integral" in w for w in act.warnings)


def test_fit_records_without_speed_are_not_standing_still():
    """A treadmill file whose records alternate: speed on one, heart rate only on the next."""
    enc = Encoder()
    enc.on_mesg(
        MESG["FILE_ID"],
        {"type": "activity", "manufacturer": "development", "product": 1, "time_created": START},
    )
    for s in range(1801):
        field = {"enhanced_speed": 3.0} if s % 2 == 0 else {"heart_rate": 140}
        enc.on_mesg(MESG["RECORD"], {"timestamp": START + timedelta(seconds=s)} | field)
    [act] = importers.load(enc.close(), "treadmill.fit")
    assert _close(act.distance_m, 5400.0) and _close(act.moving_time_s, 1800.0, 0.02)


def _fit_distance_in_laps_only(with_session: bool) -> bytes:
    """A foot-pod FIT: records with heart rate only, 3 laps of 600 s and 1,800 m each; the
    session (when written) has no distance."""
    enc = Encoder()
    enc.on_mesg(
        MESG["FILE_ID"],
        {"type": "activity", "manufacturer": "development", "product": 1, "time_created": START},
    )
    enc.on_mesg(MESG["EVENT"], {"timestamp": START, "event": "timer", "event_type": "start"})
    for s in range(1801):
        t = START + timedelta(seconds=s)
        enc.on_mesg(MESG["RECORD"], {"timestamp": t, "heart_rate": 140})
        if s and s % 600 == 0:
            lap = {"timestamp": t, "start_time": t - timedelta(seconds=600)}
            lap |= {"total_elapsed_time": 600.0, "total_timer_time": 600.0}
            enc.on_mesg(MESG["LAP"], lap | {"total_distance": 1800.0})
    end = START + timedelta(seconds=1800)
    enc.on_mesg(MESG["EVENT"], {"timestamp": end, "event": "timer", "event_type": "stop_all"})
    if with_session:
        session = {"timestamp": end, "start_time": START, "sport": "running"}
        session |= {"total_elapsed_time": 1800.0, "total_timer_time": 1800.0}
        enc.on_mesg(MESG["SESSION"], session)
    return enc.close()


@pytest.mark.parametrize("with_session", [False, True])
def test_fit_distance_only_in_the_laps_comes_from_the_laps(with_session):
    [act] = importers.load(_fit_distance_in_laps_only(with_session), "footpod.fit")
    assert _close(act.distance_m, 5400.0) and _close(act.moving_time_s, 1800.0, 0.02)
    assert act.avg_pace_s_per_km == pytest.approx(333.3, abs=1.0)


def test_fit_clock_jump_inside_the_timer_takes_the_session_timer():
    track = make_track(1800)
    jumped = [t if i < 900 else t + timedelta(days=20) for i, t in enumerate(track.times)]
    timer = [(track.times[0], "start"), (jumped[-1], "stop_all")]

    class Jumped(Track):
        moving_s = 1800.0  # the device's timer counter did not jump

    moved = Jumped(jumped, track.lat, track.lon, track.alt, track.dist, track.hr, track.cad, timer)
    data = fit_bytes(moved, session_elapsed_s=20 * 86400 + 1800.0)
    [act] = importers.load(data, "jump.fit")
    # the jump is taken out of the record times (the timer ran through it), so the samples,
    # the timer and the session agree on half an hour; 20 days is never a result
    assert 1700 < act.moving_time_s < 2000 and act.elapsed_time_s < 2000
    assert any("clock jumped" in w for w in act.warnings)


def test_even_pace_series_is_bounded():
    series = even_pace_series(10**9, 5000.0)
    assert len(series) == 2000 and series.distance_m[-1] == 5000.0


# --- 3. the plausibility pass ----------------------------------------------------------------


def test_zero_zero_fixes_are_dropped():
    pts = _points(1799)
    for i in (300, 301, 900):
        pts[i] |= {"lat": 0.0, "lon": 0.0}
    [act] = importers.load(_gpx(pts), "zeros.gpx")
    assert _close(act.distance_m, 1799 * 3.0)
    assert any("3 positions at 0,0" in w for w in act.warnings)


def test_gps_spikes_are_dropped_and_counted():
    pts = _points(1799)
    for i in (200, 700, 701, 1500):
        pts[i] = pts[i] | {"lat": pts[i]["lat"] + 0.01}  # 1.1 km off for a second
    [act] = importers.load(_gpx(pts), "spikes.gpx")
    assert _close(act.distance_m, 1799 * 3.0)
    assert any(w.startswith("4 GPS position spikes") for w in act.warnings)


def test_a_spike_on_the_first_fix_is_dropped():
    pts = _points(600)
    pts[0] = pts[0] | {"lat": pts[0]["lat"] + 0.02}
    [act] = importers.load(_gpx(pts), "first.gpx")
    assert _close(act.distance_m, 599 * 3.0)


def test_altitude_placeholders_are_dropped():
    pts = _points(1200)
    for i in range(5):
        pts[i]["ele"] = 0.0  # no altitude fix yet at the start
    pts[600]["ele"] = 900.0  # a one-second jump of 600 m
    [act] = importers.load(_gpx(pts), "alt.gpx")
    assert act.elevation_gain_m is not None and act.elevation_gain_m < 5
    assert any("altitude values" in w for w in act.warnings)


def test_gpx_gap_of_more_than_six_hours_splits():
    pts = _points(1200) + [p | {"t": p["t"] + 7 * 3600} for p in _points(900)]
    first, second = importers.load(_gpx(pts), "twice.gpx")
    assert _close(first.distance_m, 3600) and _close(second.distance_m, 2700)
    assert second.start_time - first.start_time >= timedelta(hours=7)


def test_a_stray_point_hours_away_is_left_out():
    pts = [_points(1)[0] | {"t": -2 * 86400}] + _points(1200)  # a stale first fix, 2 days old
    [act] = importers.load(_gpx(pts), "stale.gpx")
    assert _close(act.elapsed_time_s, 1200) and _close(act.distance_m, 3600)
    assert any("1 stray points" in w for w in act.warnings)


def test_gpx_clock_jumping_backwards_while_moving_is_removed():
    pts = _points(1200)
    for p in pts[600:]:
        p["t"] -= 3 * 3600  # the clock was set back by 3 h mid-run
    [act] = importers.load(_gpx(pts), "back.gpx")
    assert _close(act.elapsed_time_s, 1200) and _close(act.distance_m, 3600)
    assert any("jumped backwards" in w for w in act.warnings)


def test_gpx_clock_jumping_forward_years_while_moving_is_removed():
    pts = _points(1200)
    for p in pts[600:]:
        p["t"] += 1024 * 7 * 86400  # GPS week rollover
    [act] = importers.load(_gpx(pts), "rollover.gpx")
    assert _close(act.elapsed_time_s, 1200) and _close(act.distance_m, 3600)


def test_duplicate_timestamps_merge_position_and_heart_rate():
    pts = []
    for p in _points(900):
        pts.append(p | {"hr": None})  # position (and altitude) on one point,
        pts.append(p | {"ele": None, "hr": 150})  # heart rate on the next, same second
    [act] = importers.load(_gpx(pts), "dups.gpx")
    assert act.avg_heart_rate == 150.0 and len(act.series) == 901
    assert _close(act.distance_m, 2700)
    assert any("shared a timestamp" in w for w in act.warnings)


# --- 7. elevation, multisport, treadmill -----------------------------------------------------


def test_short_rises_on_a_ride_are_kept():
    ride = make_track(320, speed=10.0, hill_m=5.0, hill_period_s=40.0)
    [act] = importers.load(gpx_text(ride, sport="cycling").encode(), "ride.gpx")
    assert act.elevation_gain_m is not None and act.elevation_gain_m >= 32  # 8 rises of 5 m
    assert act.elevation_smoothed is not None
    assert act.elevation_smoothed.shape == (len(act.series),)
    assert act.elevation_smoothed_source == "barometric"


def test_short_rises_on_a_sparse_barometric_ride_are_kept():
    ride = make_track(600, speed=8.0, hill_m=2.5, hill_period_s=40.0)
    keep = list(range(0, 601, 5))  # smart recording: one point every 5 s
    sparse = Track(
        [ride.times[i] for i in keep],
        *(getattr(ride, k)[keep] for k in ("lat", "lon", "alt", "dist", "hr", "cad")),
        ride.timer,
    )
    [act] = importers.load(gpx_text(sparse, sport="cycling").encode(), "sparse-ride.gpx")
    assert act.elevation_smoothed_source == "barometric"
    assert act.elevation_gain_m is not None and act.elevation_gain_m >= 0.9 * 15 * 2.5


def test_smoothed_elevation_is_the_series_behind_the_climb():
    run = make_track(1200, hill_m=30, noise_m=2.0)
    [act] = importers.load(gpx_text(run).encode(), "hill.gpx")
    assert act.elevation_smoothed_source == "gps"
    sm = act.elevation_smoothed
    assert np.nanstd(np.diff(sm, 2)) < np.nanstd(np.diff(act.series.altitude_m, 2)) / 5
    assert 50 <= act.elevation_gain_m <= 70  # two 30 m hills


def test_multisport_leg_takes_the_step_across_the_boundary():
    track = make_track(1200, speed=4.0)
    keep = list(range(0, 1201, 5))  # smart recording: one record every 5 s
    sparse = Track(
        [track.times[i] for i in keep],
        *(getattr(track, k)[keep] for k in ("lat", "lon", "alt", "dist", "hr", "cad")),
        track.timer,
    )
    half = len(keep) // 2
    legs = [(0, half, "running", "generic"), (half, len(keep), "cycling", "generic")]
    data = fit_bytes(sparse, sessions=legs, session_elapsed_s=half * 5.0)
    run, ride = importers.load(data, "brick.fit")
    assert run.distance_m == pytest.approx(sparse.dist[half] - sparse.dist[0], abs=0.5)


def test_treadmill_tcx_is_treadmill_with_gap():
    track = make_track(1800)
    text = re.sub(r"<Position>.*?</Position>", "", tcx_text(track), flags=re.S)
    [act] = importers.load(text.encode(), "indoor.tcx")
    assert act.sport == "treadmill_running" and act.is_run
    assert act.gap_s_per_km == act.avg_pace_s_per_km is not None


def test_summarise_labels_samples_when_no_totals():
    t = np.arange(0, 601, dtype=float)
    series = Series(time_s=t, distance_m=t * 3.0)
    act = summarise(sport="running", start_time=START, series=series, source_format="gpx")
    assert (act.distance_source, act.time_source) == ("samples", "samples")
    assert math.isclose(act.distance_m, 1800.0) and act.elevation_smoothed is None
