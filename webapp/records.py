"""Stored rows as JSON-safe dicts: the API's answers and the export's activities.json and
training.json."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from webapp.models import Activity, ImportJob, RunnerProfile, SorenessCheckIn, StrengthLog, User

SUMMARY_FIELDS = (
    "name",
    "source_format",
    "sport",
    "sub_sport",
    "is_run",
    "is_race",  # the runner's corrections (webapp.edits)
    "excluded",
    "elapsed_time_s",
    "moving_time_s",
    "distance_m",
    "elevation_gain_m",
    "elevation_loss_m",
    "elevation_source",
    "avg_pace_s_per_km",
    "gap_s_per_km",
    "avg_heart_rate",
    "max_heart_rate",
    "fingerprint",
    "systemic_load",
    "model_version",
)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def activity_json(activity: Activity, *, detail: bool = False) -> dict:
    """The summary of one activity; `detail` adds splits, device totals and the stimulus."""
    record = {"id": activity.id, "start_time": iso(activity.start_time)}
    record.update({name: getattr(activity, name) for name in SUMMARY_FIELDS})
    record["original_file_id"] = activity.original_file_id
    record["index_in_file"] = activity.index_in_file
    record["created_at"] = iso(activity.created_at)
    if detail:
        record["summary"] = activity.summary or {}
        record["stimulus"] = activity.stimulus or {}
    return record


def job_json(job: ImportJob) -> dict:
    """An import job: `status` queued|running|done|failed, `files_done` of `files_total`
    (files, not activities; the total is 0 until a worker opens the upload), `error` when
    failed, and each finished file's `results` once it is done or failed."""
    record = {
        "id": job.id,
        "filename": job.filename,
        "status": job.status,
        "files_done": job.done,
        "files_total": job.total,
        "error": job.error,
        "created_at": iso(job.created_at),
        "finished_at": iso(job.finished_at),
    }
    if job.status in ("done", "failed"):
        record["results"] = job.results
    return record


def training_json(db, user: User) -> dict:
    """What the runner told Legday about their training: the profile's answers (None: never
    given), every soreness check-in and every strength session marked done or skipped."""
    profile = db.get(RunnerProfile, user.id)
    checkins = db.scalars(
        select(SorenessCheckIn)
        .where(SorenessCheckIn.user_id == user.id)
        .order_by(SorenessCheckIn.day, SorenessCheckIn.id)
    )
    logs = db.scalars(
        select(StrengthLog)
        .where(StrengthLog.user_id == user.id)
        .order_by(StrengthLog.week, StrengthLog.session_index)
    )
    answers = None
    if profile is not None:  # equipment and body mass live on User
        answers = {**profile.given(), "body_mass_kg": user.mass_kg, "equipment": user.equipment}
        answers["updated_at"] = iso(profile.updated_at)
    return {
        "profile": answers,
        "soreness_checkins": [
            {"day": iso(c.day), "level": c.level, "created_at": iso(c.created_at)} for c in checkins
        ],
        "strength_logs": [
            {
                "week": log.week,
                "session_index": log.session_index,
                "day": iso(log.day),
                "status": log.status,
                "exercises": log.exercises,
                "details": log.details,
                "created_at": iso(log.created_at),
            }
            for log in logs
        ],
    }
