"""FIT files (Garmin, COROS, Suunto, Wahoo, Polar, Stryd...) decoded with fitdecode.

One Activity per session message (a multisport file gives one per leg). Moving time comes from
the timer start/stop events, distance from the records' own cumulative `distance`, and the
session's totals are kept as `device_totals`.

Damaged files: an undefined message or a broken header (or its checksum) is refused
(`CorruptFile`); a file whose records all decode but whose closing checksum differs is read,
with a warning; a file cut off in the middle (an interrupted write or upload) keeps the records
before the cut when there are at least `MIN_KEPT_RECORDS` of them, with a warning that says so,
and is refused otherwise. Bytes after the file's closing checksum that are not another FIT file
(zero padding) are ignored; other such bytes are named in a warning.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime
from functools import partial

import fitdecode
import numpy as np

from importers.activity import RUN_SPORTS, Activity, DeviceTotals, Series
from importers.devices import fit_device_name
from importers.errors import ActivityFileError, CorruptFile, NoActivityData
from importers.fit_timer import moving_mask, remove_clock_jumps, timer_periods
from importers.fit_totals import (
    FIT_CRC_BYTES,
    FIT_EPOCH_S,
    LAP_FIELDS,
    fit_seconds,
    from_sessions,
    header_says_empty,
    lap_totals,
    session_totals,
)
from importers.limits import (
    DISTANCE_SLACK_M,
    MAX_AVG_SPEED_MPS,
    MAX_DURATION_S,
    check_activity_count,
    check_samples,
)
from importers.plausibility import clean_altitude, clean_positions
from importers.reconcile import distance_from_speed
from importers.sports import counts_steps, fit_sport
from importers.summary import cumulative_distance, finite_or_none, summarise

SEMICIRCLE_DEG = 180.0 / 2**31
RELATIVE_TIME_LIMIT = 0x10000000  # FIT times below this count from a device event, not a date
MIN_KEPT_RECORDS = 60
BOUNDARY_SLACK_S = 1.5  # a leg's last record this long before its end: take the next one too
TIMER_STOPS = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})
_RECORD_FIELDS = frozenset(
    {
        "timestamp",
        "position_lat",
        "position_long",
        "altitude",
        "enhanced_altitude",
        "distance",
        "speed",
        "enhanced_speed",
        "heart_rate",
        "cadence",
        "fractional_cadence",
        "power",
    }
)
_SESSION_FIELDS = (
    "start_time",
    "timestamp",
    "total_elapsed_time",
    "total_timer_time",
    "total_distance",
    "total_ascent",
    "total_descent",
    "avg_heart_rate",
    "max_heart_rate",
    "sport",
    "sub_sport",
)


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


class _Decoded:
    """Everything read from the file, column by column."""

    def __init__(self) -> None:
        self.ts: list[float] = []
        self.lat: list = []
        self.lon: list = []
        self.alt: list = []
        self.dist: list = []
        self.speed: list = []
        self.hr: list = []
        self.cad: list = []
        self.power: list = []
        self.sessions: list[dict] = []
        self.laps: list[dict] = []
        self.timer: list[tuple[float, bool]] = []  # (time, running after this event)
        self.sport: dict = {}
        self.sport_names: list[tuple[object, str]] = []  # (FIT sport, name) of each sport msg
        self.device: str | None = None
        self.relative_clock = False
        self.dev_fields_seen = False

    def add_record(self, fields: list) -> None:
        rec: dict = {}
        for fd in fields:
            name = fd.name
            if name in _RECORD_FIELDS:
                if fd.field_def is not None and fd.field_def.is_dev:
                    continue
                value = fd.value
                kind = type(value)
                if kind is int or kind is float:  # anything else is a damaged field
                    rec[name] = value
        ts = rec.get("timestamp")
        if ts is None:
            return
        if ts < RELATIVE_TIME_LIMIT:
            self.relative_clock = True
        t = FIT_EPOCH_S + float(ts)
        self.ts.append(t)
        self.lat.append(rec.get("position_lat"))
        self.lon.append(rec.get("position_long"))
        alt = rec.get("enhanced_altitude")
        self.alt.append(alt if alt is not None else rec.get("altitude"))
        self.dist.append(rec.get("distance"))
        spd = rec.get("enhanced_speed")
        self.speed.append(spd if spd is not None else rec.get("speed"))
        self.hr.append(rec.get("heart_rate"))
        cad = rec.get("cadence")
        if cad is not None:
            frac = rec.get("fractional_cadence")
            if isinstance(frac, int | float):
                cad = cad + frac
        self.cad.append(cad)
        self.power.append(rec.get("power"))


def _decode(data: bytes, filename: str | None) -> tuple[_Decoded, str | None]:
    """Read every frame; returns the columns and a warning if the file was cut off."""
    out = _Decoded()
    warning = None
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        # no data processor: times stay raw FIT seconds (converted in bulk here), which
        # saves a quarter of the decoding time; enum values are still names
        processor=None,
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    data_message = fitdecode.FitDataMessage
    ended = False  # a whole FIT file (its closing checksum) was read: more would be chained
    end = 0  # where the FIT files read so far end
    try:
        for frame in reader:
            if type(frame) is not data_message:
                ended = type(frame) is fitdecode.FitCRC
                if type(frame) is fitdecode.FitHeader:
                    end += frame.header_size + frame.body_size + FIT_CRC_BYTES
                continue
            name = frame.name
            if name == "record":
                out.add_record(frame.fields)
                check_samples(len(out.ts), "FIT", filename)
            elif name == "event":
                _add_event(out, frame)
                check_samples(len(out.timer), "FIT", filename)
            elif name == "lap":
                out.laps.append({f: _get(frame, f) for f in LAP_FIELDS})
                check_samples(len(out.laps), "FIT", filename)
            elif name == "session":
                out.sessions.append({f: _get(frame, f) for f in _SESSION_FIELDS})
                check_activity_count(len(out.sessions), "FIT", filename)
            elif name == "sport":
                out.sport = {f: _get(frame, f) for f in ("sport", "sub_sport", "name")}
                if isinstance(out.sport["name"], str):
                    out.sport_names.append((out.sport["sport"], out.sport["name"]))
            elif name == "file_id" and out.device is None:
                maker, product = _get(frame, "manufacturer"), _get(frame, "product_name")
                model = _get(frame, "garmin_product") or _get(frame, "product")
                out.device = fit_device_name(maker, model, product)
    except fitdecode.FitEOFError as exc:
        n = len(out.ts)
        if n < MIN_KEPT_RECORDS:
            raise CorruptFile(
                f"This FIT file is cut off after {n:,} records: was the upload interrupted?",
                filename=filename,
            ) from exc
        warning = (
            f"This FIT file is cut off after {n:,} records (the end of the file is missing); "
            "the activity is shown up to the cut."
        )
    except fitdecode.FitCRCError as exc:
        if not out.ts:  # the header's checksum: nothing could be read
            raise CorruptFile(
                "This FIT file is damaged: its checksum does not match its contents. "
                "Export it again from your watch or app.",
                filename=filename,
            ) from exc
        # The closing checksum is checked after every record was read: records that decoded
        # are kept (a tool that rewrote the file and not its checksum, a flipped bit), as
        # fitdecode's own default does; the plausibility pass still cleans what they hold.
        warning = (
            "This FIT file's checksum does not match its contents: it was changed after the "
            "watch wrote it, or damaged on the way. Legday read it; check its numbers."
        )
    except fitdecode.FitHeaderError as exc:
        if ended and out.ts:
            # bytes after the end that are not another FIT file: the zero padding some devices
            # and transfer tools leave says nothing; anything else is named
            if not data[end:].strip(b"\x00"):
                return out, None
            return out, (
                f"This FIT file ends with {len(data) - end:,} bytes that are not FIT data; "
                "they were left out."
            )
        raise CorruptFile(
            "This FIT file has a damaged header and cannot be read. "
            "Export it again from your watch or app.",
            filename=filename,
        ) from exc
    except fitdecode.FitParseError as exc:
        n = len(out.ts)
        if n < MIN_KEPT_RECORDS or out.sessions:
            # damage before the session's totals were read is the file's lost end; damage in
            # the middle (the totals read, records missing) would give numbers that disagree
            raise CorruptFile(
                f"This FIT file is damaged after {n:,} records and cannot be read "
                "reliably; export it again from your watch or app.",
                filename=filename,
            ) from exc
        # what a watch that lost power while writing leaves: good records, then bytes that
        # are no records (erased flash) and no session; the records before them are kept, as
        # for a cut-off
        warning = (
            f"This FIT file is damaged after {n:,} records and the rest cannot be read; the "
            "activity is shown up to the damage."
        )
    except ActivityFileError:
        raise
    except Exception as exc:  # anything else fitdecode trips over is a damaged file too
        raise CorruptFile(
            f"This FIT file is damaged after {len(out.ts):,} records and cannot be read; "
            "export it again from your watch or app.",
            filename=filename,
        ) from exc
    finally:
        reader.close()
    return out, warning


def _get(frame: fitdecode.FitDataMessage, name: str) -> object:
    try:
        return frame.get_value(name, fallback=None)
    except Exception:  # fitdecode raises on some malformed fields; treat them as absent
        return None


def _add_event(out: _Decoded, frame: fitdecode.FitDataMessage) -> None:
    if _get(frame, "event") != "timer":
        return
    t = fit_seconds(_get(frame, "timestamp"))
    kind = _get(frame, "event_type")
    if t is None or not isinstance(kind, str):
        return
    if kind == "start":
        out.timer.append((t, True))
    elif kind in TIMER_STOPS:
        out.timer.append((t, False))


def parse(data: bytes, filename: str | None = None) -> list[Activity]:
    """Every session of a FIT file (chained files included) as an Activity."""
    if header_says_empty(data):
        raise CorruptFile(
            "This FIT file's header says it holds no data (data size 0): the watch did not "
            "finish writing it, so its records cannot be read reliably.",
            filename=filename,
        )
    dec, cut_warning = _decode(data, filename)
    if not dec.ts:
        meta = {"device": dec.device, "source_name": filename}
        acts = from_sessions(sorted(dec.sessions, key=_start_key), partial(_sport, dec), meta)
        if acts:
            return acts
        raise NoActivityData(
            "This FIT file holds no recorded samples (it may be a course, a workout or a "
            "settings file rather than an activity).",
            filename=filename,
        )
    ts = np.asarray(dec.ts)
    order, undated_warning = _dated_records(dec, ts)  # None: every record
    if order is not None:
        ts = ts[order]
    if np.any(np.diff(ts) < 0):
        by_time = np.argsort(ts, kind="stable")
        order = by_time if order is None else order[by_time]
        ts = ts[by_time]
    ts, jump_warning = remove_clock_jumps(dec, ts)
    running = all(_sport(dec, s) in RUN_SPORTS for s in dec.sessions or [{}])
    lat, lon, notes = clean_positions(
        ts,
        _column(dec.lat, order, SEMICIRCLE_DEG),
        _column(dec.lon, order, SEMICIRCLE_DEG),
        running,
    )
    alt, alt_notes = clean_altitude(ts, _column(dec.alt, order))
    columns = {
        "lat": lat,
        "lon": lon,
        "alt": alt,
        "dist": _column(dec.dist, order),
        "speed": _column(dec.speed, order),
        "hr": _column(dec.hr, order),
        "cad": _column(dec.cad, order),
        "power": _column(dec.power, order),
    }
    legs = _legs(dec, ts)
    all_periods = timer_periods(dec.timer, float(ts[0]), float(ts[-1]))
    activities = []
    for i, (session, lo, hi) in enumerate(legs):
        warnings = [
            w for w in (cut_warning, undated_warning, jump_warning, *notes, *alt_notes) if w
        ]
        if dec.relative_clock:
            warnings.append(
                "The watch's clock was not set when this was recorded, so the date is unknown."
            )
        activities.append(
            _activity(dec, ts, columns, all_periods, session, lo, hi, i, filename, warnings)
        )
    if not activities:
        raise NoActivityData("This FIT file holds no activity samples.", filename=filename)
    return activities


# a few records dated over MAX_DURATION_S away from all the others are damage (bytes of a
# half-written end read as records), not a second outing: at most this share of the records
STRAY_SHARE = 0.01


def _dated_records(dec: _Decoded, ts: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """The records to keep, and a warning, when the times of a file dated by the clock
    include some that are not dates (below RELATIVE_TIME_LIMIT: a tail zero-filled by a watch
    that lost power, records from before its clock was set) or a few dated years away from
    all the others (damage); (None, None) when every record is kept."""
    keep = np.ones(ts.shape[0], dtype=bool)
    if dec.relative_clock:
        dated = ts >= FIT_EPOCH_S + RELATIVE_TIME_LIMIT
        if dated.any():  # else the clock was never set: every time counts from power-on
            dec.relative_clock = False
            keep = dated
    keep &= ~_stray(ts, keep)
    if keep.all():
        return None, None
    left_out = int(keep.size - keep.sum())
    return np.flatnonzero(keep), (
        f"{left_out:,} records without a real time (damaged, or written before the watch's "
        "clock was set) were left out."
    )


def _stray(ts: np.ndarray, among: np.ndarray) -> np.ndarray:
    """The records of `among` that lie over MAX_DURATION_S (in time) from the biggest group of
    records, when they are at most STRAY_SHARE of them (a handful, not a second outing)."""
    stray = np.zeros(ts.shape[0], dtype=bool)
    t = np.sort(ts[among])
    breaks = np.flatnonzero(np.diff(t) > MAX_DURATION_S)
    if not breaks.size:
        return stray
    edges = np.concatenate(([0], breaks + 1, [t.size]))
    main = int(np.argmax(np.diff(edges)))
    first, last = t[edges[main]], t[edges[main + 1] - 1]
    outside = among & ((ts < first) | (ts > last))
    if outside.sum() <= max(1.0, STRAY_SHARE * t.size):
        stray = outside
    return stray


def _without_leaps(t: np.ndarray, dist: np.ndarray, passes: int = 8) -> tuple[np.ndarray, int]:
    """The device's cumulative distance without the values that leap ahead of every earlier
    one faster than MAX_AVG_SPEED_MPS (+ DISTANCE_SLACK_M): bytes of a damaged record read as
    a distance. Each pass takes the first value of each run of such leaps; returns (distance,
    how many were taken out)."""
    taken = 0
    for _ in range(passes):
        known = np.flatnonzero(~np.isnan(dist))
        if known.size < 2:
            break
        d = dist[known]
        ahead = d[1:] - np.maximum.accumulate(d)[:-1]
        leap = ahead > MAX_AVG_SPEED_MPS * np.diff(t[known]) + DISTANCE_SLACK_M
        if not leap.any():
            break
        dist = dist.copy()
        dist[known[1:][leap]] = np.nan
        taken += int(leap.sum())
    return dist, taken


def _with_lap_distance(session: DeviceTotals, laps: DeviceTotals | None) -> DeviceTotals:
    """The session's totals, with the laps' distance when the session has none."""
    if session.distance_m is not None or laps is None or laps.distance_m is None:
        return session
    return dataclasses.replace(session, distance_m=laps.distance_m)


def _leg_name(dec: _Decoded, info: dict) -> str | None:
    """The sport message's name ("Trail Run") for this session: in a multisport file only the
    name given to this leg's sport, so that the swim and the bike are not called "Run"."""
    if len(dec.sessions) <= 1:
        name = dec.sport.get("name")
        return name if isinstance(name, str) else None
    for sport, name in dec.sport_names:
        if sport == info.get("sport"):
            return name
    return None


def _sport(dec: _Decoded, info: dict) -> str:
    """Legday's sport of a session (the file's sport message fills what the session lacks)."""
    return fit_sport(
        info.get("sport") or dec.sport.get("sport"),
        info.get("sub_sport") or dec.sport.get("sub_sport"),
    )


def _start_key(info: dict) -> float:
    return fit_seconds(info.get("start_time")) or 0.0


def _column(values: list, order: np.ndarray | None, scale: float = 1.0) -> np.ndarray | None:
    arr = np.array(values, dtype=float) if values else np.zeros(0)
    if arr.dtype != float:
        arr = arr.astype(float)
    if arr.size == 0 or np.isnan(arr).all():
        return None
    if order is not None:
        arr = arr[order]
    if scale != 1.0:
        arr *= scale
    return arr


def _legs(dec: _Decoded, ts: np.ndarray) -> list[tuple[dict | None, int, int]]:
    """(session, first index, end index) per session; sessions without samples are dropped."""
    sessions = []
    for s in dec.sessions:
        start = fit_seconds(s.get("start_time"))
        elapsed = finite_or_none(s.get("total_elapsed_time"))
        if start is None:
            continue
        end = start + elapsed if elapsed is not None else fit_seconds(s.get("timestamp"))
        if end is None or end < start:
            end = start
        sessions.append((start, end, s))
    sessions.sort(key=lambda x: x[0])
    if not sessions:
        return [(None, 0, ts.shape[0])]
    if len(sessions) == 1:
        return [(sessions[0][2], 0, ts.shape[0])]
    legs = []
    for k, (start, end, s) in enumerate(sessions):
        next_start = sessions[k + 1][0] if k + 1 < len(sessions) else np.inf
        lo = int(np.searchsorted(ts, start, side="left"))
        hi = int(np.searchsorted(ts, min(end + 1.0, next_start), side="left"))
        if k + 1 == len(sessions):
            hi = max(hi, int(np.searchsorted(ts, end + 1.0, side="right")))
        elif 0 < hi < ts.shape[0] and end - ts[hi - 1] > BOUNDARY_SLACK_S:
            hi += 1  # sparse recording: the step across the boundary belongs to this leg
        if hi - lo >= 2:
            legs.append((s, lo, hi))
    return legs


def _activity(
    dec: _Decoded,
    ts: np.ndarray,
    cols: dict,
    all_periods: list[tuple[float, float]] | None,
    session: dict | None,
    lo: int,
    hi: int,
    index: int,
    filename: str | None,
    warnings: list[str],
) -> Activity:
    sl = slice(lo, hi)

    def cut(key: str) -> np.ndarray | None:
        arr = cols[key]
        if arr is None:
            return None
        part = arr[sl]
        return None if np.isnan(part).all() else part

    t_abs = ts[sl]
    t0 = t_abs[0]
    info = session or {}
    sub_name = info.get("sub_sport") or dec.sport.get("sub_sport")
    sport = _sport(dec, info)

    lat, lon = cut("lat"), cut("lon")
    dist = cut("dist")
    if dist is not None:
        dist, leaps = _without_leaps(t_abs, dist)
        if leaps:
            warnings.append(
                f"{leaps:,} distance values that leapt ahead faster than anyone moves "
                "(damaged records) were left out."
            )
        # bridge gaps in the device's own distance; a leg's distance starts at zero
        dist = np.fmax.accumulate(np.nan_to_num(dist, nan=-np.inf))
        dist[np.isinf(dist)] = np.nan
        first = dist[~np.isnan(dist)][0] if (~np.isnan(dist)).any() else 0.0
        dist = np.nan_to_num(dist - first, nan=0.0)
    t_end = t_abs[-1]
    periods = None
    if all_periods is not None:
        periods = [(max(a, t0), min(b, t_end)) for a, b in all_periods if b > t0 and a < t_end]
    moving = moving_mask(t_abs, periods) if periods is not None else None
    moving_time = sum(b - a for a, b in periods) if periods is not None else None
    if dist is None and lat is not None and lon is not None:
        dist = cumulative_distance(lat, lon)
    elif dist is None and cut("speed") is not None:
        # a treadmill or foot pod that writes speed only: its integral is the distance
        dist = distance_from_speed(t_abs, cut("speed"), moving)
        warnings.append("The records carry speed but no distance: the distance is its integral.")

    cad = cut("cad")
    if cad is not None and counts_steps(sport):
        cad = cad * 2.0
    series = Series(
        time_s=t_abs - t0,
        lat=lat,
        lon=lon,
        altitude_m=cut("alt"),
        distance_m=dist,
        speed_mps=cut("speed"),
        heart_rate=cut("hr"),
        cadence_spm=cad,
        power_w=cut("power"),
        moving=moving,
    )
    totals = lap_totals(dec.laps, t0, t_end)  # a file cut off before its session has laps
    if session is not None:
        totals = _with_lap_distance(session_totals(info), totals)
        if (
            totals.timer_time_s is not None
            and totals.elapsed_time_s is not None
            and totals.timer_time_s > totals.elapsed_time_s + 1
        ):
            warnings.append(
                "The device's own totals contradict each other (timer longer than elapsed "
                "time); Legday's numbers come from the recorded samples."
            )
    start_time = datetime.fromtimestamp(t0, tz=UTC)
    return summarise(
        sport=sport,
        sub_sport=sub_name if isinstance(sub_name, str) else None,
        start_time=start_time,
        series=series,
        source_format="fit",
        device_totals=totals,
        name=_leg_name(dec, info),
        device=dec.device,
        index=index,
        source_name=filename,
        warnings=warnings,
        moving_time_s=moving_time,
    )
