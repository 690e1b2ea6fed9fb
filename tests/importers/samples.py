"""Small activity files made in the test set-up: FIT written with garmin-fit-sdk's Encoder,
GPX and TCX written as text, all from one synthetic run so that formats can be compared.

The run goes east from 45 N 7 E at a steady speed, over a sine-shaped hill, with optional
pauses (the timer stops: no records are written while paused, as a watch with auto-pause does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from garmin_fit_sdk import Encoder, Profile

START = datetime(2024, 5, 1, 7, 0, 0, tzinfo=UTC)
EARTH_RADIUS_M = 6_371_008.8
MESG = Profile["mesg_num"]


@dataclass
class Track:
    """Per-second samples of a synthetic run (absolute times, true positions and altitude)."""

    times: list[datetime]
    lat: np.ndarray
    lon: np.ndarray
    alt: np.ndarray
    dist: np.ndarray  # true cumulative distance along the ground
    hr: np.ndarray
    cad: np.ndarray  # strides per minute (one foot), as FIT and Garmin GPX store it
    timer: list[tuple[datetime, str]] = field(default_factory=list)  # (time, start|stop_all)
    speed: float = 3.0

    @property
    def moving_s(self) -> float:
        total, since = 0.0, None
        for t, kind in self.timer:
            if kind == "start":
                since = t
            elif since is not None:
                total += (t - since).total_seconds()
                since = None
        return total


def make_track(
    seconds: int = 1800,
    speed: float = 3.0,
    hill_m: float = 0.0,
    hill_period_s: float = 600.0,
    pauses: tuple[tuple[int, int], ...] = (),
    noise_m: float = 0.0,
    start: datetime = START,
    seed: int = 1,
) -> Track:
    """A run of `seconds` of moving time; each pause (at_moving_s, length_s) stops the timer."""
    rng = np.random.default_rng(seed)
    times, moving_t = [], []
    timer = [(start, "start")]
    offset = 0
    pause_at = dict(pauses)
    for s in range(seconds + 1):
        if s in pause_at:
            timer.append((start + timedelta(seconds=s + offset), "stop_all"))
            offset += pause_at[s]
            timer.append((start + timedelta(seconds=s + offset), "start"))
        times.append(start + timedelta(seconds=s + offset))
        moving_t.append(s)
    timer.append((times[-1], "stop_all"))
    mt = np.asarray(moving_t, dtype=float)
    dist = mt * speed
    lat0 = math.radians(45.0)
    lon = 7.0 + np.degrees(dist / (EARTH_RADIUS_M * math.cos(lat0)))
    lat = np.full_like(lon, 45.0)
    alt = 300.0 + hill_m / 2 * (1 - np.cos(2 * math.pi * mt / hill_period_s))
    if noise_m:
        alt = alt + rng.normal(0.0, noise_m, alt.shape)
    hr = 130 + 20 * (mt / max(seconds, 1))
    cad = np.full_like(mt, 85.0)
    return Track(times, lat, lon, alt, dist, np.round(hr), cad, timer, speed)


def _semi(deg: float) -> int:
    return int(round(deg / 180.0 * 2**31))


def fit_bytes(
    track: Track,
    sport: str = "running",
    sub_sport: str = "generic",
    with_session: bool = True,
    with_gps: bool = True,
    with_altitude: bool = True,
    device_ascent: float | None = None,
    sessions: list[tuple[int, int, str, str]] | None = None,
    developer_heart_rate: int | None = None,
    session_elapsed_s: float | None = None,
    with_distance: bool = True,
) -> bytes:
    """A FIT activity file of `track`. `sessions` = [(first, end, sport, sub_sport)] record
    index ranges for a multisport file (one session message each). `developer_heart_rate`
    adds a developer field named "heart_rate" with that value to every record (as a
    third-party app could), which readers must not take for the real heart rate."""
    enc = Encoder()
    t0 = track.times[0]
    enc.on_mesg(
        MESG["FILE_ID"],
        {
            "type": "activity",
            "manufacturer": "development",
            "product": 1,
            "serial_number": 1234,
            "time_created": t0,
        },
    )
    if developer_heart_rate is not None:
        dev_id = {"developer_data_index": 0, "application_id": [7] * 16}
        desc = {
            "developer_data_index": 0,
            "field_definition_number": 0,
            "fit_base_type_id": 2,  # uint8
            "field_name": "heart_rate",
            "units": "bpm",
            "native_mesg_num": MESG["RECORD"],
        }
        enc.on_mesg(MESG["DEVELOPER_DATA_ID"], dev_id)
        enc.on_mesg(MESG["FIELD_DESCRIPTION"], desc)
        enc.add_developer_field(0, dev_id, desc)
    timer = list(track.timer)
    k = 0
    for i, t in enumerate(track.times):
        while k < len(timer) and timer[k][0] <= t:
            enc.on_mesg(
                MESG["EVENT"],
                {"timestamp": timer[k][0], "event": "timer", "event_type": timer[k][1]},
            )
            k += 1
        rec = {
            "timestamp": t,
            "enhanced_speed": 3.0,
            "heart_rate": int(track.hr[i]),
            "cadence": int(track.cad[i]),
        }
        if with_distance:
            rec["distance"] = float(track.dist[i])
        if with_gps:
            rec["position_lat"] = _semi(float(track.lat[i]))
            rec["position_long"] = _semi(float(track.lon[i]))
        if with_altitude:
            rec["enhanced_altitude"] = float(track.alt[i])
        if developer_heart_rate is not None:
            rec["developer_fields"] = {0: developer_heart_rate}
        enc.on_mesg(MESG["RECORD"], rec)
    for t, kind in timer[k:]:
        enc.on_mesg(MESG["EVENT"], {"timestamp": t, "event": "timer", "event_type": kind})
    if with_session:
        legs = sessions or [(0, len(track.times), sport, sub_sport)]
        for first, end, leg_sport, leg_sub in legs:
            a, b = track.times[first], track.times[end - 1]
            msg = {
                "timestamp": b,
                "start_time": a,
                "total_elapsed_time": session_elapsed_s or (b - a).total_seconds(),
                "total_timer_time": track.moving_s if len(legs) == 1 else (b - a).total_seconds(),
                "total_distance": float(track.dist[end - 1] - track.dist[first]),
                "sport": leg_sport,
                "sub_sport": leg_sub,
                "avg_heart_rate": int(np.mean(track.hr[first:end])),
                "max_heart_rate": int(np.max(track.hr[first:end])),
            }
            if device_ascent is not None:
                msg["total_ascent"] = int(device_ascent)
            enc.on_mesg(MESG["SESSION"], msg)
    return enc.close()


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_text(
    track: Track,
    version: str = "1.1",
    sport: str | None = "running",
    segments: list[tuple[int, int]] | None = None,
    with_ext: bool = True,
    with_ele: bool = True,
) -> str:
    """GPX of `track`; `segments` = [(first, end)] splits it into <trkseg>s."""
    ns = f"http://www.topografix.com/GPX/{version.replace('.', '/')}"
    ext_ns = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="{version}" creator="Legday tests" xmlns="{ns}" xmlns:gpxtpx="{ext_ns}">',
        "<trk><name>Morning run</name>",
    ]
    if sport:
        out.append(f"<type>{sport}</type>")
    for first, end in segments or [(0, len(track.times))]:
        out.append("<trkseg>")
        for i in range(first, end):
            pt = f'<trkpt lat="{track.lat[i]:.7f}" lon="{track.lon[i]:.7f}">'
            if with_ele:
                pt += f"<ele>{track.alt[i]:.1f}</ele>"
            pt += f"<time>{_iso(track.times[i])}</time>"
            if with_ext and version == "1.1":
                pt += (
                    "<extensions><gpxtpx:TrackPointExtension>"
                    f"<gpxtpx:hr>{int(track.hr[i])}</gpxtpx:hr>"
                    f"<gpxtpx:cad>{int(track.cad[i])}</gpxtpx:cad>"
                    "</gpxtpx:TrackPointExtension></extensions>"
                )
            out.append(pt + "</trkpt>")
        out.append("</trkseg>")
    out.append("</trk></gpx>")
    return "\n".join(out)


def tcx_text(
    track: Track,
    sport: str = "Running",
    laps: int = 2,
    with_distance: bool = True,
    with_speed: bool = False,
) -> str:
    """TCX of `track` in `laps` equal laps, each lap's totals written as a watch does; without
    per-point distance and with the speed extension, as Suunto writes it."""
    n = len(track.times)
    bounds = [round(k * n / laps) for k in range(laps + 1)]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2">',
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(track.times[0])}</Id>',
    ]
    for a, b in zip(bounds, bounds[1:], strict=False):
        secs = (track.times[b - 1] - track.times[a]).total_seconds()
        out.append(
            f'<Lap StartTime="{_iso(track.times[a])}"><TotalTimeSeconds>{secs}</TotalTimeSeconds>'
            f"<DistanceMeters>{track.dist[b - 1] - track.dist[a]:.1f}</DistanceMeters>"
            f"<MaximumHeartRateBpm><Value>{int(track.hr[a:b].max())}</Value>"
            "</MaximumHeartRateBpm><Track>"
        )
        for i in range(a, b):
            out.append(
                f"<Trackpoint><Time>{_iso(track.times[i])}</Time><Position>"
                f"<LatitudeDegrees>{track.lat[i]:.7f}</LatitudeDegrees>"
                f"<LongitudeDegrees>{track.lon[i]:.7f}</LongitudeDegrees></Position>"
                f"<AltitudeMeters>{track.alt[i]:.1f}</AltitudeMeters>"
                + (f"<DistanceMeters>{track.dist[i]:.1f}</DistanceMeters>" if with_distance else "")
                + f"<HeartRateBpm><Value>{int(track.hr[i])}</Value></HeartRateBpm>"
                f"<Cadence>{int(track.cad[i])}</Cadence>"
                + (
                    '<Extensions><TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/'
                    f'v2"><Speed>{track.speed:.2f}</Speed></TPX></Extensions>'
                    if with_speed
                    else ""
                )
                + "</Trackpoint>"
            )
        out.append("</Track></Lap>")
    out.append("</Activity></Activities></TrainingCenterDatabase>")
    return "\n".join(out)
