"""The one way in: uploaded bytes -> importers -> engine stimulus -> stored rows.

In: a user, a file name and its bytes (FIT, GPX, TCX, .gz or a .zip of them), from the upload
page, the background job, the JSON API and the share target. Out: one IngestResult per
activity (or per refused/skipped file). Files are parsed (here, or in webapp.bulk's process
pool) into row values, then one Writer commits them in batches; a file's original bytes are
stored once per user (deduplicated by SHA-256) as an OriginalFile.
`delete_activity` is the inverse: it removes a row and its original once nothing uses it.
Errors never escape: a bad file becomes a "refused" result and leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator
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

NOT_A_RUN = "not a run, not counted in your legs' load."
ON_FOOT = "not a run, counts in your legs' load."
# What the upload results call a sport (the activity page's sport menu says the same).
SPORT_WORDS = {"cycling": "Ride", "swimming": "Swim", "walking": "Walk", "hiking": "Hike"}
STORE_FAILED = "Something went wrong while saving this file; nothing of it was saved."
READ_FAILED = "We could not read this file. Nothing of it was saved."


@dataclass
class IngestResult:
    """What happened to one activity (or one member of an archive)."""

    source_name: str
    status: str  # imported (a run) | saved (a non-run) | duplicate | skipped | refused
    message: str = ""
    activity_id: int | None = None
    sport: str | None = None
    start_time: str | None = None  # ISO 8601, UTC
    distance_m: float | None = None
    moving_time_s: float | None = None
    elevation_gain_m: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class ParsedFile:
    """One file (zip member) parsed and turned into Activity column values, ready for the
    Writer: small and picklable, so a process pool can hand it back (webapp.bulk)."""

    source_name: str
    rows: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # activity_values
    summaries: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # _summary
    error: str | None = None
    skipped: str | None = None


@dataclass
class FileItem:
    """A ParsedFile with its position in the upload (0-based), the upload's file count and
    the file's own bytes (stored once as its OriginalFile)."""

    position: int
    total: int
    parsed: ParsedFile
    content: bytes


# before_commit(files of this batch as (position, results), files in the upload): runs inside
# each batch's transaction, just before its commit (the job records its progress there).
BeforeCommit = Callable[[list[tuple[int, list[IngestResult]]], int], None]


def parse_imported(item: importers.Imported, filename: str, athlete: Athlete) -> ParsedFile:
    """An importer's result for one file as row values (the CPU-heavy part: stimulus, charts)."""
    name = item.source_name or filename
    if item.error is not None:
        return ParsedFile(name, error=str(item.error))
    if not item.activities:
        return ParsedFile(name, skipped=item.skipped or "Nothing to import in this file.")
    return ParsedFile(
        name,
        rows=[activity_values(a, athlete) for a in item.activities],
        summaries=[_summary(a) for a in item.activities],
    )


def parse_in_process(
    data: bytes, filename: str, athlete: Athlete, skip: frozenset[int] = frozenset()
) -> Iterator[FileItem]:
    """Each file of the upload parsed here, one at a time (iter_load reads the upload once)."""
    for position, item in enumerate(importers.iter_load(data, filename)):
        if position not in skip:
            yield FileItem(position, item.total, parse_imported(item, filename, athlete), item.data)


# --- ingest ---------------------------------------------------------------------------------


def ingest(
    session: Session,
    user: User,
    filename: str,
    data: bytes,
    *,
    files: Iterable[FileItem] | None = None,
    before_commit: BeforeCommit | None = None,
    batch_files: int = 1,
) -> list[IngestResult]:
    """Import every activity in `data` (FIT, GPX, TCX, .gz, .zip); returns one IngestResult
    per activity or per skipped/refused file.

    `files` are the upload's parsed files (default: parsed here, in order; webapp.bulk parses
    them in a process pool). Files are committed `batch_files` at a time by one Writer; a
    file that fails leaves nothing behind and the files around it stay imported.
    """
    writer = Writer(session, user, before_commit=before_commit, batch_files=batch_files)
    if files is None:
        athlete = athlete_for(user, reprocess.history_rows(session, user.id))
        files = parse_in_process(data, filename, athlete)
    try:
        for item in files:
            writer.add(item)
    except ActivityFileError as exc:
        writer.commit()
        writer.results.append(IngestResult(exc.filename or filename, "refused", str(exc)))
    except Exception:
        # An importer bug must not become a 500 or a half-written file.
        log.exception("importing %r failed", filename)
        writer.commit()
        writer.results.append(IngestResult(filename, "refused", READ_FAILED))
    writer.commit()
    _refresh_days(session, user)  # once per upload (each stored activity marked its day)
    if any(r.status == "imported" for r in writer.results):
        # A new best effort may move the threshold: the clock then recomputes the history.
        try:
            reprocess.request_if_threshold_moved(session, user)
        except Exception:
            log.exception("checking the threshold of user %s failed", user.id)
            session.rollback()
    return writer.results


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


class Writer:
    """The one writer of an import: takes each parsed file and commits them in batches of
    `batch_files` files (or once `batch_seconds` have passed), not a commit per file.

    A batch's rows are written only when it is committed, so the database's write lock (the
    whole file, on SQLite) is held for the few milliseconds of the inserts, never while a
    slow file is being parsed. When a file of the batch fails (the same run arriving twice at
    once, a store error) the batch is rolled back and written again one transaction per
    file, so only the file at fault is marked (duplicate, or refused) and nothing of it is
    half written.
    """

    def __init__(self, session, user, *, before_commit=None, batch_files=1, batch_seconds=2.0):
        self.session, self.user = session, user
        self.before_commit, self.batch_files = before_commit, max(1, batch_files)
        self.batch_seconds = batch_seconds
        self.results: list[IngestResult] = []
        self.commits = 0
        self._pending: list[FileItem] = []
        self._started = time.monotonic()
        self._total = 1

    def add(self, item: FileItem) -> None:
        self._total = item.total
        if not self._pending:
            self._started = time.monotonic()
        self._pending.append(item)
        if (
            len(self._pending) >= self.batch_files
            or time.monotonic() - self._started >= self.batch_seconds
        ):
            self.commit()

    def commit(self) -> None:
        """Write and commit the pending files (before_commit runs inside the transaction)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            self._commit([(item, self._stage(item)) for item in pending])
        except Exception as exc:
            if not isinstance(exc, IntegrityError):
                log.exception("a batch of %d files failed: writing them one by one", len(pending))
            self.session.rollback()
            if len(pending) == 1:  # the file at fault: marked, not tried a second time
                self._commit([(pending[0], self._failed(pending[0], exc))])
                return
            for item in pending:
                self._write_alone(item)

    def _commit(self, batch: list[tuple[FileItem, list[IngestResult]]]) -> None:
        if self.before_commit is not None:
            self.before_commit([(item.position, results) for item, results in batch], self._total)
        self.session.commit()
        self.commits += 1
        for _item, results in batch:
            self.results.extend(results)

    def _write_alone(self, item: FileItem) -> None:
        try:
            self._commit([(item, self._stage(item))])
        except Exception as exc:
            self.session.rollback()
            self._commit([(item, self._failed(item, exc))])

    @staticmethod
    def _failed(item: FileItem, exc: Exception) -> list[IngestResult]:
        name = item.parsed.source_name
        if isinstance(exc, IntegrityError):
            # The same run arrived twice at once (two tabs, the share target and the API).
            return [
                IngestResult(name, "duplicate", "You already have this activity.", **summary)
                for summary in item.parsed.summaries
            ]
        log.error("storing %r failed", name, exc_info=exc)
        return [IngestResult(name, "refused", STORE_FAILED)]

    def _stage(self, item: FileItem) -> list[IngestResult]:
        parsed = item.parsed
        if parsed.error is not None:
            return [IngestResult(parsed.source_name, "refused", parsed.error)]
        if parsed.skipped is not None:
            return [IngestResult(parsed.source_name, "skipped", parsed.skipped)]
        return _store(self.session, self.user, parsed, item.content)


def _store(session, user, parsed: ParsedFile, content: bytes) -> list[IngestResult]:
    results: list[IngestResult] = []
    name = parsed.source_name
    original = None
    seen: set[str] = set()
    for values, summary in zip(parsed.rows, parsed.summaries, strict=True):
        fingerprint = values["fingerprint"]
        existing = session.scalar(
            select(Activity.id).where(
                Activity.user_id == user.id, Activity.fingerprint == fingerprint
            )
        )
        if existing is not None or fingerprint in seen:
            results.append(
                IngestResult(
                    name, "duplicate", "You already have this activity.", existing, **summary
                )
            )
            continue
        seen.add(fingerprint)
        if original is None:
            original = _original_file(session, user, name, content)
        row = Activity(user_id=user.id, original_file_id=original.id, **values)
        session.add(row)
        session.flush()
        daily_loads.mark_stale(user, row.start_time)  # a non-run too: its day is cheap
        if row.is_run:
            status, message = "imported", ""
        else:
            # Saved, never "skipped": walks and hikes load the legs (the week's load) but are
            # not runs; a ride, a swim or a triathlon's transition is kept out of the load.
            status, message = "saved", saved_message(row.sport)
        results.append(IngestResult(name, status, message, row.id, **summary))
    return results


def saved_message(sport: str | None) -> str:
    """ "Swim — not a run, not counted in your legs' load." for a saved non-run."""
    sport = sport or "other"
    word = SPORT_WORDS.get(sport) or sport.replace("_", " ").capitalize()
    return f"{word} — {ON_FOOT if is_on_foot(sport) else NOT_A_RUN}"


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
    return Activity(user_id=user_id, **activity_values(activity, athlete))


def activity_values(activity, athlete=None) -> dict[str, Any]:
    """An Activity row's column values but its owner and file (plain data: picklable)."""
    engine_fields = stimulus_fields(activity, athlete)
    notes = engine_fields.pop("notes")
    return dict(
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
