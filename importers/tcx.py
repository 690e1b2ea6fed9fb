"""TCX (Garmin Training Center, Polar and Suunto exports) read with defusedxml.

One Activity per <Activity>; laps are summed into the device totals (distance, timer time,
maximum heart rate; `source="laps"`), which the reconciliation step uses when the points are
missing or thin; a new <Track> inside a lap is a pause. An activity with fewer than two track
points (a manual entry) is made from the laps' totals at an even pace. A run with no position
at all is `treadmill_running`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_et
import numpy as np

from importers.activity import RUN_SPORTS, Activity, DeviceTotals, Series
from importers.devices import clean_creator
from importers.errors import CorruptFile, NoActivityData
from importers.limits import check_activity_count, prescan_xml
from importers.plausibility import CHANNELS, Track, clean
from importers.reconcile import distance_from_speed, even_pace_series
from importers.sports import counts_steps, word_sport
from importers.summary import cumulative_distance, moving_mask_from_gaps, summarise
from importers.xmlsafe import as_utf8, local, parse_time, strip_prolog, where

SPEED_GAP_S = 10.0


def parse(data: bytes, filename: str | None = None) -> list[Activity]:
    data = as_utf8(data)  # UTF-16, or UTF-8 declared as UTF-16
    prescan_xml(data, "TCX", filename)  # depth, size and DTD, before ElementTree builds a tree
    try:
        root = safe_et.fromstring(strip_prolog(data), forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise CorruptFile(
            "This TCX file declares a DTD or XML entities, which Legday does not accept for "
            "safety; export it again from your watch or app.",
            filename=filename,
        ) from exc
    except (ParseError, LookupError, ValueError) as exc:
        raise CorruptFile(
            f"This TCX file is not well-formed XML ({where(exc)}); it may be cut off or damaged.",
            filename=filename,
        ) from exc
    activities = []
    for el in root.iter():
        if local(el.tag) == "Activity":
            act = _activity(el, filename, len(activities))
            if act is not None:
                activities.append(act)
                check_activity_count(len(activities), "TCX", filename)
    if not activities:
        raise NoActivityData(
            "This TCX file holds no activity with recorded track points or lap totals (it may "
            "be a course or a workout plan).",
            filename=filename,
        )
    return activities


def _child(el: Element, name: str) -> Element | None:
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def _text(el: Element | None, *path: str) -> str | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    return el.text if el is not None else None


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _activity(act: Element, filename: str | None, index: int) -> Activity | None:
    ts: list[float] = []
    cols: dict[str, list] = {k: [] for k in CHANNELS}
    brk: list[bool] = []
    lap_dist = lap_time = 0.0
    max_hr: float | None = None
    have_laps = False
    empty_dist = 0.0  # distance of laps that hold no track points
    for lap in act:
        if local(lap.tag) != "Lap":
            continue
        have_laps = True
        this_dist = _num(_text(lap, "DistanceMeters")) or 0.0
        lap_dist += this_dist
        lap_time += _num(_text(lap, "TotalTimeSeconds")) or 0.0
        points_before = len(ts)
        m = _num(_text(lap, "MaximumHeartRateBpm", "Value"))
        if m is not None:
            max_hr = m if max_hr is None else max(max_hr, m)
        tracks_with_points = 0
        for track in lap:
            if local(track.tag) != "Track":
                continue
            # a second <Track> inside one lap follows a pause; a new lap is not a pause
            first = tracks_with_points > 0
            before = len(ts)
            for tp in track:
                if local(tp.tag) != "Trackpoint":
                    continue
                t = parse_time(_text(tp, "Time"))
                if t is None:
                    continue
                _point(tp, cols)
                ts.append(t)
                brk.append(first)
                first = False
            tracks_with_points += len(ts) > before
        if len(ts) == points_before:
            empty_dist += this_dist
    sport = word_sport(act.get("Sport")) or "other"
    totals = None
    if have_laps:
        totals = DeviceTotals(
            distance_m=lap_dist or None,
            timer_time_s=lap_time or None,
            max_heart_rate=max_hr,
            source="laps",
        )
    meta = {
        "device": clean_creator(_text(act, "Creator", "Name")),
        "index": index,
        "source_name": filename,
    }
    if len(ts) < 2:
        return _from_laps(act, ts, sport, totals, meta)
    track = Track(
        np.asarray(ts, dtype=float),
        {k: np.array([np.nan if v is None else v for v in cols[k]], dtype=float) for k in cols},
        np.asarray(brk, dtype=bool),
    )
    track.breaks[0] = False
    [track] = clean(track, running=sport in RUN_SPORTS, split=False)
    t = track.t

    col = track.channel

    breaks = track.breaks
    lat, lon = col("lat"), col("lon")
    dist = col("dist")
    speed = col("speed")
    moving = moving_mask_from_gaps(t, breaks)
    if dist is not None:
        known = ~np.isnan(dist)
        dist = np.interp(np.arange(t.shape[0]), np.flatnonzero(known), dist[known])
        dist = dist - dist[0]
    elif speed is not None and np.count_nonzero(~np.isnan(speed)) >= 0.9 * t.shape[0]:
        # no distance, but the device's own speed (Suunto): its integral is the device's
        # distance far better than the positions (+2 % against -10 % on the Spartan file).
        # Inside a gap longer than SPEED_GAP_S nobody knows the speed: the step between the
        # two fixes stands in for it when there are fixes.
        dist = distance_from_speed(t, speed, moving)
        if lat is not None and lon is not None:
            dt = np.diff(t)
            chord = np.diff(cumulative_distance(lat, lon))
            long_gap = (dt > SPEED_GAP_S) & ~np.isnan(lat[1:]) & ~np.isnan(lat[:-1])
            inc = np.diff(dist, prepend=0.0)
            inc[1:] = np.where(long_gap & moving[1:], chord, inc[1:])
            dist = np.cumsum(inc)
    elif lat is not None and lon is not None:
        dist = cumulative_distance(lat, lon, breaks, t)

    if lat is None and sport == "running":
        sport = "treadmill_running"  # a run without a single position was indoors
    cad = col("cad")
    if cad is not None and counts_steps(sport) and np.nanmedian(cad) < 130:
        cad = cad * 2.0  # TCX cadence / RunCadence are strides (one foot) per minute
    series = Series(
        time_s=t - t[0],
        lat=lat,
        lon=lon,
        altitude_m=col("alt"),
        distance_m=dist,
        speed_mps=speed,
        heart_rate=col("hr"),
        cadence_spm=cad,
        power_w=col("power"),
        moving=moving,
    )
    warnings = list(track.notes)
    if empty_dist > 0.01 * lap_dist:
        warnings.append(
            f"Laps covering {empty_dist / 1000:.2f} km have no recorded track points in this "
            "file; the distance and time come from the laps' totals."
        )
    return summarise(
        sport=sport,
        start_time=datetime.fromtimestamp(t[0], tz=UTC),
        series=series,
        source_format="tcx",
        device_totals=totals,
        warnings=warnings,
        **meta,
    )


def _from_laps(
    act: Element, ts: list[float], sport: str, totals: DeviceTotals | None, meta: dict
) -> Activity | None:
    """A manual activity (no or one track point): the laps' totals at an even pace."""
    if totals is None or totals.timer_time_s is None:
        return None
    start = ts[0] if ts else parse_time(_text(act, "Id"))
    if start is None:
        first_lap = _child(act, "Lap")
        start = parse_time(first_lap.get("StartTime")) if first_lap is not None else None
    if start is None:
        return None
    return summarise(
        sport=sport,
        start_time=datetime.fromtimestamp(start, tz=UTC),
        series=even_pace_series(totals.timer_time_s, totals.distance_m or 0.0),
        source_format="tcx",
        device_totals=totals,
        warnings=[
            "This activity has no recorded track (a manual entry?): its distance and time "
            "come from the laps' totals, at an even pace."
        ],
        even_pace=True,
        **meta,
    )


def _point(tp: Element, cols: dict[str, list]) -> None:
    lat = lon = alt = dist = hr = cad = watts = speed = None
    for c in tp:
        name = local(c.tag)
        if name == "Position":
            lat = _num(_text(c, "LatitudeDegrees"))
            lon = _num(_text(c, "LongitudeDegrees"))
        elif name == "AltitudeMeters":
            alt = _num(c.text)
        elif name == "DistanceMeters":
            dist = _num(c.text)
        elif name == "HeartRateBpm":
            hr = _num(_text(c, "Value"))
        elif name == "Cadence":
            cad = _num(c.text)
        elif name == "Extensions":
            for e in c.iter():
                en = local(e.tag)
                if en == "Speed":
                    speed = _num(e.text)
                elif en == "RunCadence" and cad is None:
                    cad = _num(e.text)
                elif en == "Watts":
                    watts = _num(e.text)
    cols["lat"].append(lat)
    cols["lon"].append(lon)
    cols["alt"].append(alt)
    cols["dist"].append(dist)
    cols["hr"].append(hr)
    cols["cad"].append(cad)
    cols["power"].append(watts)
    cols["speed"].append(speed)
