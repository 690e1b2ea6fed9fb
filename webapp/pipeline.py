"""Where the stages meet: bytes -> importers -> Activity -> engine -> rows, and back out as a week.

`ingest` is the one way files get in (upload page, background job, JSON API, share target);
`weekly_context` is the one way a week comes out (week page, API, weekly email).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import logging
import math
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
from flask import current_app, has_app_context
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import importers
from engine import catalogue
from engine import plan as planner
from engine.athlete import Athlete
from engine.muscles import LABELS, LEG_MUSCLES
from engine.state import LoadRecord, compute_state, daily_series
from engine.stimulus import MODEL_VERSION, compute_stimulus
from importers.errors import ActivityFileError
from webapp.models import Activity, OriginalFile, PlanAdjustment, StrengthLog, User

log = logging.getLogger(__name__)

MAX_CHART_POINTS = 500
NOT_A_RUN = "Not a run: shown in your activities but not counted in your legs' load."
STORE_FAILED = "Something went wrong while saving this file; nothing of it was saved."
READ_FAILED = "We could not read this file. Nothing of it was saved."


@dataclass
class IngestResult:
    """What happened to one activity (or one member of an archive)."""

    source_name: str
    status: str  # imported | duplicate | skipped | refused
    message: str = ""
    activity_id: int | None = None
    sport: str | None = None
    start_time: str | None = None  # ISO 8601, UTC
    distance_m: float | None = None
    moving_time_s: float | None = None
    elevation_gain_m: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


ProgressCallback = Callable[[list[IngestResult]], None]


# --- ingest ---------------------------------------------------------------------------------


def ingest(
    session: Session,
    user: User,
    filename: str,
    data: bytes,
    *,
    progress: ProgressCallback | None = None,
) -> list[IngestResult]:
    """Import every activity in `data`; one committed transaction per file (per zip member).

    A file that fails leaves nothing behind (its transaction is rolled back); files before it
    in the same archive stay imported. `progress(results_so_far)` runs after each file.
    """
    results: list[IngestResult] = []
    archive = _open_zip(filename, data)
    athlete = athlete_for(user)
    try:
        for item in importers.iter_load(data, filename):
            results.extend(_ingest_item(session, user, item, filename, data, archive, athlete))
            if progress is not None:
                progress(results)
    except ActivityFileError as exc:
        session.rollback()
        results.append(IngestResult(exc.filename or filename, "refused", str(exc)))
    except Exception:
        # An importer bug must not become a 500 or a half-written file.
        log.exception("importing %r failed", filename)
        session.rollback()
        results.append(IngestResult(filename, "refused", READ_FAILED))
    if progress is not None:
        progress(results)
    return results


def is_archive(data: bytes) -> bool:
    """A zip (by its content, whatever the name says)."""
    return importers.detect(data) == "zip"


def _open_zip(filename: str, data: bytes) -> zipfile.ZipFile | None:
    if not is_archive(data):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None  # the importer says what is wrong with it


def _member_bytes(item, filename: str, data: bytes, archive: zipfile.ZipFile | None) -> bytes:
    """The bytes of this one file: a zip member's own bytes, else the whole upload."""
    if archive is not None and item.source_name and item.source_name != filename:
        try:
            return archive.read(item.source_name)
        except (KeyError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError):
            pass  # the whole archive is kept instead (once, by its hash)
    return data


def _ingest_item(session, user, item, filename, data, archive, athlete) -> list[IngestResult]:
    name = item.source_name or filename
    if item.error is not None:
        return [IngestResult(name, "refused", str(item.error))]
    if not item.activities:
        return [IngestResult(name, "skipped", item.skipped or "Nothing to import in this file.")]
    try:
        results = _store(
            session, user, name, _member_bytes(item, filename, data, archive), item, athlete
        )
        session.commit()
        return results
    except IntegrityError:
        # The same run arrived twice at once (two tabs, the share target and the API).
        session.rollback()
        return [
            IngestResult(name, "duplicate", "You already have this activity.", **_summary(a))
            for a in item.activities
        ]
    except Exception:
        log.exception("storing %r failed", name)
        session.rollback()
        return [IngestResult(name, "refused", STORE_FAILED)]


def _store(session, user, name, content, item, athlete) -> list[IngestResult]:
    results: list[IngestResult] = []
    original = None
    seen: set[str] = set()
    for activity in item.activities:
        fingerprint = activity.fingerprint
        existing = session.scalar(
            select(Activity.id).where(
                Activity.user_id == user.id, Activity.fingerprint == fingerprint
            )
        )
        if existing is not None or fingerprint in seen:
            results.append(
                IngestResult(
                    name,
                    "duplicate",
                    "You already have this activity.",
                    existing,
                    **_summary(activity),
                )
            )
            continue
        seen.add(fingerprint)
        if original is None:
            original = _original_file(session, user, name, content)
        row = activity_row(activity, user.id, athlete)
        row.original_file_id = original.id
        session.add(row)
        session.flush()
        status, message = ("imported", "") if activity.is_run else ("skipped", NOT_A_RUN)
        results.append(IngestResult(name, status, message, row.id, **_summary(activity)))
    return results


def _original_file(session: Session, user: User, name: str, content: bytes) -> OriginalFile:
    """The stored bytes, shared by every upload of the same file (deduplicated by SHA-256)."""
    digest = hashlib.sha256(content).hexdigest()
    found = session.scalar(
        select(OriginalFile).where(OriginalFile.user_id == user.id, OriginalFile.sha256 == digest)
    )
    if found is not None:
        return found
    original = OriginalFile(
        user_id=user.id, filename=name[-255:], sha256=digest, size=len(content), content=content
    )
    session.add(original)
    session.flush()
    return original


def _summary(activity) -> dict[str, Any]:
    return {
        "sport": activity.sport,
        "start_time": activity.start_time.astimezone(UTC).isoformat(),
        "distance_m": _finite(activity.distance_m),
        "moving_time_s": _finite(activity.moving_time_s),
        "elevation_gain_m": _finite(activity.elevation_gain_m),
    }


def _finite(value, digits: int | None = None):
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


# --- from the engine's dataclasses to rows ---------------------------------------------------


def athlete_for(user: User):
    """The engine's athlete from the user's heart-rate settings (engine defaults otherwise)."""
    kwargs = {}
    if user.hr_max:
        kwargs["hr_max"] = user.hr_max
    if user.hr_rest:
        kwargs["hr_rest"] = user.hr_rest
    if user.sex:
        kwargs["sex"] = user.sex
    return Athlete(**kwargs)


def activity_row(activity, user_id: int, athlete=None) -> Activity:
    """An Activity row: summary, splits, chart series and (for runs) the engine's stimulus."""
    stimulus: dict = {}
    systemic_load = None
    notes: list[str] = []
    model_version = None
    if activity.is_run:
        result = compute_stimulus(activity, athlete)
        stimulus = result.to_dict()
        systemic_load = _finite(result.systemic_load)
        notes = list(getattr(result, "notes", []) or [])
        model_version = _model_version(result)
    return Activity(
        user_id=user_id,
        index_in_file=activity.index,
        name=(activity.name or None) and activity.name[:255],
        source_format=activity.source_format,
        sport=activity.sport,
        sub_sport=activity.sub_sport,
        is_run=activity.is_run,
        start_time=activity.start_time,
        elapsed_time_s=_finite(activity.elapsed_time_s) or 0.0,
        moving_time_s=_finite(activity.moving_time_s) or 0.0,
        distance_m=_finite(activity.distance_m) or 0.0,
        elevation_gain_m=_finite(activity.elevation_gain_m),
        elevation_loss_m=_finite(activity.elevation_loss_m),
        elevation_source=activity.elevation_source,
        avg_pace_s_per_km=_finite(activity.avg_pace_s_per_km),
        gap_s_per_km=_finite(activity.gap_s_per_km),
        avg_heart_rate=_finite(activity.avg_heart_rate),
        max_heart_rate=_finite(activity.max_heart_rate),
        fingerprint=activity.fingerprint,
        summary={
            "splits": [_clean(dataclasses.asdict(s)) for s in activity.splits],
            "device_totals": _clean(dataclasses.asdict(activity.device_totals))
            if activity.device_totals
            else None,
            "device": activity.device,
            "distance_source": activity.distance_source,  # samples | laps | session
            "time_source": activity.time_source,
            "warnings": list(activity.warnings),
            "stimulus_notes": notes,
        },
        chart_series=chart_series(activity.series),
        stimulus=stimulus,
        systemic_load=systemic_load,
        model_version=model_version,
    )


def _model_version(result) -> str:
    return str(getattr(result, "model_version", None) or MODEL_VERSION)


def _clean(mapping: dict) -> dict:
    return {k: (_finite(v) if isinstance(v, float) else v) for k, v in mapping.items()}


def chart_series(series, max_points: int = MAX_CHART_POINTS) -> dict[str, list | None]:
    """At most `max_points` samples for the charts: time, distance, altitude, pace, HR, route."""
    n = len(series)
    if n == 0:
        return {}
    idx = np.unique(np.linspace(0, n - 1, min(n, max_points)).round().astype(int))

    def column(values, digits):
        if values is None:
            return None
        picked = np.asarray(values, dtype=float)[idx]
        if not np.isfinite(picked).any():
            return None
        return [round(float(v), digits) if math.isfinite(v) else None for v in picked]

    out = {
        "t": column(series.time_s, 0),
        "d": column(series.distance_m, 1),
        "alt": column(series.altitude_m, 1),
        "hr": column(series.heart_rate, 0),
        "lat": column(series.lat, 5),
        "lon": column(series.lon, 5),
        "pace": None,
    }
    out["pace"] = _pace_column(series, idx)
    return out


def _pace_column(series, idx: np.ndarray) -> list | None:
    """Seconds per km between neighbouring chart points (smoother than the raw speed)."""
    t = np.asarray(series.time_s, dtype=float)
    if series.distance_m is not None:
        d = np.asarray(series.distance_m, dtype=float)
    elif series.speed_mps is not None:
        return _pace_from_speed(np.asarray(series.speed_mps, dtype=float), idx)
    else:
        return None
    t, d = t[idx], d[idx]
    if len(idx) < 3:
        return None
    lo = np.concatenate(([0], np.arange(len(idx) - 1)))
    hi = np.concatenate((np.arange(1, len(idx)), [len(idx) - 1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = (d[hi] - d[lo]) / (t[hi] - t[lo])
    return _pace_from_speed(speed, None)


def _pace_from_speed(speed: np.ndarray, idx) -> list | None:
    if idx is not None:
        speed = speed[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(speed > 0.8, 1000.0 / speed, np.nan)  # slower than ~21 min/km: stopped
    if not np.isfinite(pace).any():
        return None
    return [round(float(v), 0) if math.isfinite(v) else None for v in pace]


# --- weeks ----------------------------------------------------------------------------------


def week_label(start: date) -> str:
    """The ISO label of a user week: the ISO week of its middle day (as engine.plan labels it)."""
    year, number, _ = (start + timedelta(days=3)).isocalendar()
    return f"{year}-W{number:02d}"


def week_start_for(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def parse_week(value: str | date | None, user: User, today: date) -> date:
    """The first day of the user's week given "YYYY-Www", any date in it, or None (this week)."""
    if value is None:
        anchor = today
    elif isinstance(value, date):
        anchor = value
    else:
        try:
            year, number = value.upper().split("-W")
            # The user week whose middle day falls in that ISO week holds its Thursday.
            anchor = date.fromisocalendar(int(year), int(number), 4)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a week like 2026-W48.") from exc
    return week_start_for(anchor, user.week_start or 0)


def user_zone(user: User):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_midnight_utc(day: date, zone) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


# --- what the week page shows -----------------------------------------------------------------


@dataclass
class RunRow:
    """A stored activity as the week page, the API and the email need it (no series)."""

    id: int
    name: str | None
    sport: str
    is_run: bool
    start_time: datetime  # UTC
    local_day: date
    distance_m: float
    moving_time_s: float
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_pace_s_per_km: float | None
    systemic_load: float | None
    gap_s_per_km: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["start_time"] = self.start_time.isoformat()
        out["local_day"] = self.local_day.isoformat()
        return out


@dataclass
class WeekView:
    week: str  # "YYYY-Www"
    start: date
    end: date  # last day (inclusive)
    as_of: datetime
    is_current: bool
    runs: list[RunRow]
    other: list[RunRow]  # not runs: shown, not counted
    totals: dict[str, float]
    state: Any  # engine.state.State
    muscles: list[dict]  # per muscle: key, label, acute, chronic, damage_normalised, level
    trend: dict  # {"days": [...], "muscles": {key: {"acute": [...], "chronic": [...]}}}
    plan: dict  # engine Plan.to_dict() with the runner's swaps applied
    logs: dict[int, dict] = field(default_factory=dict)  # session index -> status, exercises
    prev_week: str | None = None
    next_week: str | None = None
    trend_rows: list[dict] = field(default_factory=list)  # sparkline geometry for the page
    history_days: int = 0  # days from the first run to the end of the trend

    @property
    def trend_ready(self) -> bool:
        """Enough history for the 6-week line to mean something."""
        return self.history_days >= BASELINE_DAYS

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "runs": [r.to_dict() for r in self.runs],
            "other_activities": [r.to_dict() for r in self.other],
            "totals": self.totals,
            "state": self.state.to_dict() if hasattr(self.state, "to_dict") else self.state,
            "muscles": self.muscles,
            "trend": self.trend,
            "plan": self.plan,
            "logs": {str(k): v for k, v in self.logs.items()},
        }


def run_rows(rows: Iterable, zone) -> list[RunRow]:
    return [
        RunRow(
            id=r.id,
            name=r.name,
            sport=r.sport,
            is_run=r.is_run,
            start_time=_aware(r.start_time),
            local_day=_aware(r.start_time).astimezone(zone).date(),
            distance_m=r.distance_m,
            moving_time_s=r.moving_time_s,
            elevation_gain_m=r.elevation_gain_m,
            elevation_loss_m=r.elevation_loss_m,
            avg_pace_s_per_km=r.avg_pace_s_per_km,
            systemic_load=r.systemic_load,
            gap_s_per_km=r.gap_s_per_km,
        )
        for r in rows
    ]


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def delete_activity(session: Session, user: User, activity_id: int) -> bool:
    """Delete one of the user's activities (and its file when nothing else uses it)."""
    row = session.scalar(
        select(Activity).where(Activity.id == activity_id, Activity.user_id == user.id)
    )
    if row is None:
        return False
    file_id = row.original_file_id
    session.delete(row)
    session.flush()
    if file_id is not None:
        still_used = session.scalar(
            select(func.count(Activity.id)).where(Activity.original_file_id == file_id)
        )
        if not still_used:
            session.execute(delete(OriginalFile).where(OriginalFile.id == file_id))
    session.commit()
    return True


# --- weekly_context ---------------------------------------------------------------------------

WEEK_COLUMNS = (
    Activity.id,
    Activity.name,
    Activity.sport,
    Activity.is_run,
    Activity.start_time,
    Activity.elapsed_time_s,
    Activity.distance_m,
    Activity.moving_time_s,
    Activity.elevation_gain_m,
    Activity.elevation_loss_m,
    Activity.avg_pace_s_per_km,
    Activity.gap_s_per_km,
    Activity.systemic_load,
    Activity.stimulus,
)
TREND_DAYS = 42
TREND_HORIZON_DAYS = 180
LEVEL_WORDS = ("none", "light", "moderate", "high", "highest")
DAMAGE_FROM = (0.3, 0.6)  # Dn where the recommender starts easing the legs (model doc 2.5)
CACHE_SIZE = 256
AS_OF_STEP_S = 600  # the current week is recomputed at most every 10 minutes per user

RECORDS_CACHE_SIZE = 64

_cache_lock = threading.Lock()
_caches_outside_app: dict = {}


def _caches() -> tuple[OrderedDict, OrderedDict]:
    """(week views, load records): one pair per app, so two apps (or two test databases) in
    one process never see each other's users."""
    store = current_app.extensions if has_app_context() else _caches_outside_app
    with _cache_lock:
        pair = store.get("legday.week_cache")
        if pair is None:
            pair = store["legday.week_cache"] = (OrderedDict(), OrderedDict())
    return pair


def _data_key(session: Session, user: User, label: str) -> tuple:
    """Changes whenever anything the week depends on changes (uploads, deletes, logs, settings).

    One round trip to the database: this runs on every view of a week, cached or not.
    """

    def of_user(column, model):
        return select(column).where(model.user_id == user.id).scalar_subquery()

    row = session.execute(
        select(
            of_user(func.count(Activity.id), Activity),
            of_user(func.max(Activity.id), Activity),
            of_user(func.count(StrengthLog.id), StrengthLog),
            of_user(func.max(StrengthLog.id), StrengthLog),
            select(PlanAdjustment.data)
            .where(PlanAdjustment.user_id == user.id, PlanAdjustment.week == label)
            .scalar_subquery(),
        )
    ).one()
    activities, logs, adjustment = (row[0], row[1]), (row[2], row[3]), row[4]
    if not isinstance(adjustment, str):
        adjustment = json.dumps(adjustment, sort_keys=True)
    settings = (
        user.timezone,
        user.week_start,
        user.focus,
        tuple(user.equipment or ()),
        tuple(user.available_days or ()),
        user.long_run_day,
        user.race_date,
        user.units,
    )
    return (activities, logs, adjustment, settings)


def clear_cache() -> None:
    cache, records_cache = _caches()
    with _cache_lock:
        cache.clear()
        records_cache.clear()


def weekly_context(
    session: Session, user: User, week: str | date | None = None, *, now: datetime | None = None
) -> WeekView:
    """The runner's week: runs, totals, per-muscle state, trend and the strength plan.

    `week` is "YYYY-Www", any date inside the week, or None for this week (in the user's time
    zone and week start). Raises ValueError for a week label that does not parse.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    zone = user_zone(user)
    today = now.astimezone(zone).date()
    start = parse_week(week, user, today)
    label = week_label(start)
    current = week_start_for(today, user.week_start or 0)
    end_utc = local_midnight_utc(start + timedelta(days=7), zone)
    # The state at the end of a past week; "now" (in steps, so it can be cached) otherwise.
    stepped = datetime.fromtimestamp(now.timestamp() // AS_OF_STEP_S * AS_OF_STEP_S, UTC)
    as_of = min(stepped, end_utc) if start <= current else stepped
    data_key = _data_key(session, user, label)
    key = (user.id, label, as_of, data_key)
    _cache, _ = _caches()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    records = _load_records(session, user, data_key[0])
    view = _build_week(session, user, start, label, current, as_of, zone, today, records)
    with _cache_lock:
        _cache[key] = view
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return view


def load_record(start_time: datetime, duration_s: float, stimulus: dict) -> LoadRecord:
    """engine.state's LoadRecord straight from a stored stimulus dict (no Stimulus objects)."""
    muscles = {
        key: (float(m.get("total") or 0.0), float(m.get("damage") or 0.0))
        for key, m in (stimulus.get("muscles") or {}).items()
    }
    return LoadRecord(
        start_time=_aware(start_time),
        duration_s=float(duration_s or 0.0),
        muscles=muscles,
        systemic_load=float(stimulus.get("systemic_load") or 0.0),
    )


def _load_records(session: Session, user: User, activities_key: tuple) -> list[LoadRecord]:
    """Every run as a LoadRecord, cached per user while the user's activities do not change.

    `activities_key` is (count, max id) of the user's activities. After an upload only the new
    rows are read and added; after a delete everything is read again.
    """
    count, max_id = activities_key
    _, _records_cache = _caches()
    with _cache_lock:
        cached = _records_cache.get(user.id)
    if cached is not None and cached[0] == activities_key:
        return cached[1]
    query = select(
        Activity.id,
        Activity.is_run,
        Activity.start_time,
        Activity.elapsed_time_s,
        Activity.stimulus,
    ).where(Activity.user_id == user.id)
    records = None
    if cached is not None and cached[0][1] is not None and max_id is not None:
        (old_count, old_max), old_records = cached
        new_rows = session.execute(query.where(Activity.id > old_max)).all()
        if old_count + len(new_rows) == count:  # nothing was deleted meanwhile
            added = [_record_of(r) for r in new_rows if r.is_run and r.stimulus]
            records = sorted(old_records + added, key=lambda r: r.start_time)
    if records is None:
        rows = session.execute(query.where(Activity.is_run.is_(True))).all()
        records = sorted((_record_of(r) for r in rows if r.stimulus), key=lambda r: r.start_time)
    with _cache_lock:
        _records_cache[user.id] = (activities_key, records)
        _records_cache.move_to_end(user.id)
        while len(_records_cache) > RECORDS_CACHE_SIZE:
            _records_cache.popitem(last=False)
    return records


def _record_of(row) -> LoadRecord:
    return load_record(row.start_time, row.elapsed_time_s, row.stimulus)


def _build_week(session, user, start, label, current, as_of, zone, today, records) -> WeekView:
    end = start + timedelta(days=6)
    start_utc = local_midnight_utc(start, zone)
    end_utc = local_midnight_utc(end + timedelta(days=1), zone)
    plan_day = today if start == current else start
    since = local_midnight_utc(min(start, plan_day) - timedelta(days=TREND_DAYS), zone)
    rows = session.execute(
        select(*WEEK_COLUMNS)
        .where(
            Activity.user_id == user.id,
            Activity.start_time >= since,
            Activity.start_time < max(end_utc, as_of),
        )
        .order_by(Activity.start_time)
    ).all()
    records = [r for r in records if r.start_time < max(end_utc, as_of)]
    state = compute_state(records, as_of)
    in_week = [r for r in rows if start_utc <= _aware(r.start_time) < end_utc]
    week_rows = run_rows(in_week, zone)
    runs = [r for r in week_rows if r.is_run]
    totals = {
        "runs": len(runs),
        "distance_m": sum(r.distance_m or 0 for r in runs),
        "moving_time_s": sum(r.moving_time_s or 0 for r in runs),
        "elevation_gain_m": sum(r.elevation_gain_m or 0 for r in runs),
        "elevation_loss_m": sum(r.elevation_loss_m or 0 for r in runs),
        "systemic_load": sum(r.systemic_load or 0 for r in runs),
    }
    week_load = {k: 0.0 for k in LEG_MUSCLES}
    for r in in_week:
        if r.is_run and r.stimulus:
            for k, load in (r.stimulus.get("muscles") or {}).items():
                if k in week_load:
                    week_load[k] += float(load.get("total") or 0)
    top = max(week_load.values(), default=0.0)
    muscles = []
    for k in LEG_MUSCLES:
        ms = state.muscles.get(k)
        dn = ms.damage_normalised if ms else 0.0
        share = week_load[k] / top if top > 0 else 0.0
        level = 0 if share < 0.02 else 1 + min(3, int(share * 4 - 1e-9))
        damage_level = sum(dn >= t for t in DAMAGE_FROM)
        muscles.append(
            {
                "key": k,
                "label": LABELS.get(k, k),
                "week_load": week_load[k],
                "acute": (ms.acute if ms else 0.0) * 7,
                "chronic": (ms.chronic if ms else 0.0) * 7,
                "damage_normalised": dn,
                "level": level,
                "level_words": LEVEL_WORDS[level],
                "damage_level": damage_level,
                "damage_words": ("", "some damage: likely sore", "marked damage: recovering")[
                    damage_level
                ],
            }
        )
    trend_end = min(start + timedelta(days=6), today)
    trend_start = trend_end - timedelta(days=TREND_DAYS - 1)
    # Older runs weigh under 0.02 % in a 42-day average after 180 days: leave them out.
    horizon = local_midnight_utc(trend_start - timedelta(days=TREND_HORIZON_DAYS), zone)
    series = daily_series([r for r in records if r.start_time >= horizon], trend_start, trend_end)
    trend = {
        "days": [d.isoformat() for d in series.days],
        "muscles": {
            k: {
                "acute": [round(float(v) * 7, 1) for v in series.acute[k]],
                "chronic": [round(float(v) * 7, 1) for v in series.chronic[k]],
            }
            for k in LEG_MUSCLES
        },
    }
    history_days = _history_days(records, trend_end)
    plan, logs = _plan_for(session, user, start, label, current, today, zone, rows, records, state)
    return WeekView(
        week=label,
        start=start,
        end=end,
        as_of=as_of,
        is_current=start == current,
        runs=runs,
        other=[r for r in week_rows if not r.is_run],
        totals=totals,
        state=state,
        muscles=muscles,
        trend=trend,
        plan=plan,
        logs=logs,
        prev_week=week_label(start - timedelta(days=7)),
        next_week=week_label(start + timedelta(days=7)) if start < current else None,
        trend_rows=trend_rows(trend, LABELS, history_days),
        history_days=history_days,
    )


def _history_days(records, until: date) -> int:
    if not records:
        return 0
    first = min(r.start_time for r in records).date()
    return max(0, (until - first).days + 1)


def _plan_for(session, user, start, label, current, today, zone, rows, records, state):
    """engine.plan.recommend with the user's settings and logs, then the user's swaps."""
    plan_day = today if start == current else start
    if plan_day != today:
        state = compute_state(records, local_midnight_utc(plan_day, zone))
    since = local_midnight_utc(plan_day - timedelta(days=TREND_DAYS), zone)
    recent_rows = [
        SimpleNamespace(**{**r._asdict(), "start_time": _aware(r.start_time)})
        for r in rows
        if r.is_run and _aware(r.start_time) >= since
    ]
    all_logs = session.scalars(
        select(StrengthLog).where(StrengthLog.user_id == user.id).order_by(StrengthLog.day)
    ).all()
    # This week's own logs do not change this week's prescription (it would move under you).
    history = [
        planner.SessionLog(day=log.day, status=log.status, exercises=list(log.exercises or []))
        for log in all_logs
        if log.week != label and log.day < start
    ]
    ctx = planner.PlanContext(
        as_of=plan_day,
        state=state,
        recent=planner.summarise_runs(recent_rows, zone),
        race_date=user.race_date,
        focus=user.focus or "general",
        equipment=tuple(user.equipment or ("none",)),
        available_days=tuple(user.available_days or range(7)),
        long_run_day=user.long_run_day,
        week_start=user.week_start or 0,
        logs=history,
        units=user.units or "km",
    )
    result = planner.recommend(ctx)
    plan = result.to_dict()
    plan["phase"] = result.phase
    plan["notes"] = list(result.notes)
    for out, sess in zip(plan["sessions"], result.sessions, strict=True):
        out["note"] = " ".join(sess.notes)
    adjustment = session.scalar(
        select(PlanAdjustment.data).where(
            PlanAdjustment.user_id == user.id, PlanAdjustment.week == label
        )
    )
    apply_swaps(plan, (adjustment or {}).get("swaps", {}), ctx.equipment)
    logs = {
        log.session_index: {
            "status": log.status,
            "exercises": list(log.exercises or []),
            "day": log.day.isoformat(),
        }
        for log in all_logs
        if log.week == label
    }
    return plan, logs


def apply_swaps(plan: dict, swaps: dict[str, str], equipment) -> None:
    """Put the runner's swapped exercises in place and list each exercise's alternatives.

    An alternative already in the same session is not offered (no exercise twice), and a
    stored swap to one that the new plan already holds is ignored.
    """
    for index, sess in enumerate(plan.get("sessions", [])):
        planned = {ex["name"] for ex in sess["exercises"]}
        for ex in sess["exercises"]:
            original = ex["name"]
            target = swaps.get(f"{index}:{original}")
            replacement = catalogue.find(target) if target and target not in planned else None
            if replacement is not None:
                _swap_in(ex, replacement)
        in_session = {ex["name"] for ex in sess["exercises"]}
        for ex in sess["exercises"]:
            original = ex.get("original", ex["name"])
            offered = [a.name for a in _alternatives(original, equipment)]
            if original != ex["name"]:
                offered = [original] + offered
            ex["alternatives"] = [a for a in offered if a not in in_session]


def _swap_in(ex: dict, replacement) -> None:
    original = ex["name"]
    ex.update(
        original=original,
        swapped_from=original,
        name=replacement.name,
        muscles=list(replacement.muscles),
    )
    if replacement.dose == "seconds" and "seconds" not in ex:
        ex.pop("reps", None)
        ex["seconds"] = 30
    elif replacement.dose == "reps" and "reps" not in ex:
        ex.pop("seconds", None)
        ex["reps"] = 10


def _alternatives(name: str, equipment) -> list:
    try:
        return catalogue.alternatives(name, equipment)
    except KeyError:
        return []


def session_day(sess: dict) -> date:
    return date.fromisoformat(sess["day"])


BASELINE_DAYS = 21  # before three weeks of history the 6-week line means little


def trend_rows(
    trend: dict, labels: dict[str, str], history_days: int = TREND_DAYS, width=120, height=32
) -> list[dict]:
    """Sparkline points per muscle and a sentence that describes the trend without judging it."""
    out = []
    for key, lines in trend.get("muscles", {}).items():
        acute, chronic = lines["acute"], lines["chronic"]
        top = max(acute + chronic + [1e-9])
        n = max(len(acute) - 1, 1)

        def points(values, top=top, n=n):
            return " ".join(
                f"{i * width / n:.1f},{height - 2 - v / top * (height - 4):.1f}"
                for i, v in enumerate(values)
            )

        last_a, last_c = (acute[-1] if acute else 0), (chronic[-1] if chronic else 0)
        if last_c < 1 and last_a < 1:
            words = "No recent load."
        elif history_days < BASELINE_DAYS:
            words = f"Building your baseline: {history_days} days of runs so far."
        else:
            change = (last_a - last_c) / last_c if last_c else 0.0
            if abs(change) < 0.1:
                words = "Last 7 days about level with your 6-week average."
            else:
                direction = "above" if change > 0 else "below"
                words = f"Last 7 days {abs(change):.0%} {direction} your 6-week average."
        out.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "acute_points": points(acute),
                "chronic_points": points(chronic),
                "words": words,
            }
        )
    return out
