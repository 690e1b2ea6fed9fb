"""Stored rows as JSON-safe dicts: the API's answers and the export's activities.json."""

from __future__ import annotations

from datetime import date, datetime

from webapp.models import Activity, ImportJob

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
