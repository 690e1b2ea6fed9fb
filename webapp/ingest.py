"""The one way in: uploaded bytes -> importers -> engine stimulus -> stored rows.

In: a user, a file name and its bytes (FIT, GPX, TCX, .gz or a .zip of them), from the upload
page, the background job, the JSON API and the share target. Out: one IngestResult per
activity (or per refused/skipped file); each file (zip member) is one committed transaction,
its original bytes stored once per user (deduplicated by SHA-256) as an OriginalFile.
`delete_activity` is the inverse: it removes a row and its original once nothing uses it.
Errors never escape: a bad file becomes a "refused" result and leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import importers
from engine.athlete import DEFAULT_HR_MAX, Athlete, estimate_threshold
from engine.gait import is_on_foot
from engine.stimulus import MODEL_VERSION, compute_stimulus
from importers.errors import ActivityFileError
from webapp import daily_loads, reprocess
from webapp.charts import chart_series
from webapp.models import Activity, OriginalFile, User

log = logging.getLogger(__name__)

NOT_A_RUN = "Not a run: shown in your activities but not counted in your legs' load."
ON_FOOT = (
    "Imported (not counted as a run): walks and hikes add to your legs' load, not to your runs."
)
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


# progress(results so far, files in the upload): called after each file and once at the end.
ProgressCallback = Callable[[list[IngestResult], int], None]


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
    in the same archive stay imported. `progress(results_so_far, total)` runs after each file,
    `total` being how many files the upload holds (an archive's members, else 1). The upload
    is read once: importers.iter_load hands over each member's own bytes with its activities.
    """
    results: list[IngestResult] = []
    total = 1
    athlete = athlete_for(user, reprocess.history_rows(session, user.id))
    try:
        for item in importers.iter_load(data, filename):
            total = item.total
            results.extend(_ingest_item(session, user, item, filename, athlete))
            if progress is not None:
                progress(results, total)
    except ActivityFileError as exc:
        session.rollback()
        results.append(IngestResult(exc.filename or filename, "refused", str(exc)))
    except Exception:
        # An importer bug must not become a 500 or a half-written file.
        log.exception("importing %r failed", filename)
        session.rollback()
        results.append(IngestResult(filename, "refused", READ_FAILED))
    _refresh_days(session, user)
    if any(r.status == "imported" for r in results):
        # A new best effort may move the threshold: the clock then recomputes the history.
        try:
            reprocess.request_if_threshold_moved(session, user)
        except Exception:
            log.exception("checking the threshold of user %s failed", user.id)
            session.rollback()
    if progress is not None:
        progress(results, total)
    return results


def _refresh_days(session: Session, user: User) -> None:
    """The runner's stored days (webapp.daily_loads) after an upload or a delete; a failure
    here loses nothing (the next read rebuilds them)."""
    try:
        daily_loads.refresh(session, user)
    except Exception:
        log.exception("rebuilding the days of user %s failed", user.id)
        session.rollback()


def is_archive(data: bytes) -> bool:
    """A zip (by its content, whatever the name says): the upload page sends these to a job."""
    return importers.detect(data) == "zip"


def _ingest_item(session, user, item, filename, athlete) -> list[IngestResult]:
    name = item.source_name or filename
    if item.error is not None:
        return [IngestResult(name, "refused", str(item.error))]
    if not item.activities:
        return [IngestResult(name, "skipped", item.skipped or "Nothing to import in this file.")]
    try:
        results = _store(session, user, name, item.data, item, athlete)
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
        daily_loads.mark_stale(user, activity.start_time)  # a non-run too: its day is cheap
        if activity.is_run:
            status, message = "imported", ""
        elif is_on_foot(activity.sport):
            # Walks and hikes load the legs (the week's load) but are not counted as runs.
            status, message = "imported", ON_FOOT
        else:
            status, message = "skipped", NOT_A_RUN
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


def athlete_for(user: User, rows: Iterable[Any] = ()) -> Athlete:
    """The engine's athlete from the user's settings, completed from their history.

    Heart rate, sex, body mass and threshold pace come from the settings when set; `rows`
    (stored activities as webapp.reprocess.history_rows reads them) give the estimated
    threshold pace and heart rate (engine.athlete.estimate_threshold) where they are not, and
    the highest heart rate seen stands for HR max when HR max is unset and it is above the
    engine's default (a recorded heart rate is a lower bound of HR max).
    """
    kwargs: dict[str, Any] = {}
    if user.hr_max:
        kwargs["hr_max"] = user.hr_max
    if user.hr_rest:
        kwargs["hr_rest"] = user.hr_rest
    if user.sex:
        kwargs["sex"] = user.sex
    if getattr(user, "mass_kg", None):
        kwargs["mass_kg"] = float(user.mass_kg)
    if getattr(user, "threshold_pace_s_per_km", None):
        kwargs["threshold_pace_s_per_km"] = float(user.threshold_pace_s_per_km)
    estimate = estimate_threshold(rows)
    seen = estimate.hr_max_seen if estimate is not None else None
    if not user.hr_max and seen and seen > DEFAULT_HR_MAX:
        kwargs["hr_max"] = seen
    return Athlete(**kwargs).with_estimate(estimate)


def stimulus_fields(activity, athlete=None) -> dict[str, Any]:
    """The engine's columns of an Activity row: stimulus, systemic_load, model_version, and the
    stimulus notes (for the summary); empty for what is not on foot (rides, swims)."""
    if not (activity.is_run or is_on_foot(activity.sport)):
        return {"stimulus": {}, "systemic_load": None, "model_version": None, "notes": []}
    result = compute_stimulus(activity, athlete)
    return {
        "stimulus": result.to_dict(),
        "systemic_load": _finite(result.systemic_load),
        "model_version": _model_version(result),
        "notes": list(getattr(result, "notes", []) or []),
    }


def activity_row(activity, user_id: int, athlete=None) -> Activity:
    """An Activity row: summary, splits, chart series and (for runs, walks and hikes: on foot)
    the engine's stimulus."""
    engine_fields = stimulus_fields(activity, athlete)
    notes = engine_fields.pop("notes")
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
            "splits_mi": [_clean(dataclasses.asdict(s)) for s in activity.splits_mi],
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
        **engine_fields,
    )


def _model_version(result) -> str:
    return str(getattr(result, "model_version", None) or MODEL_VERSION)


def _clean(mapping: dict) -> dict:
    return {k: (_finite(v) if isinstance(v, float) else v) for k, v in mapping.items()}


def delete_activity(session: Session, user: User, activity_id: int) -> bool:
    """Delete one of the user's activities (and its file when nothing else uses it)."""
    row = session.scalar(
        select(Activity).where(Activity.id == activity_id, Activity.user_id == user.id)
    )
    if row is None:
        return False
    file_id = row.original_file_id
    daily_loads.mark_stale(user, row.start_time)
    session.delete(row)
    session.flush()
    if file_id is not None:
        still_used = session.scalar(
            select(func.count(Activity.id)).where(Activity.original_file_id == file_id)
        )
        if not still_used:
            session.execute(delete(OriginalFile).where(OriginalFile.id == file_id))
    session.commit()
    _refresh_days(session, user)
    return True
