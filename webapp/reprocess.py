"""Reprocessing: stored activities recomputed from their stored files by the current model.

In: the ReprocessRun rows (webapp.models), each claimed once by its unique key:
"version:<MODEL_VERSION>" recomputes every on-foot activity not yet at that model version
(queued once per version by `legday reprocess --queue` in the Procfile's `release`), and
"user:<id>:<used>><estimate>" recomputes one runner's history when the threshold estimated from
their runs moved by THRESHOLD_CHANGE or more (queued after an upload, see webapp.ingest).
Out: Activity rows whose stimulus, systemic load, notes and model_version are the current
model's; one transaction per original file, so a history is never left half of one version
and half of another for longer than the pass takes. The work runs in the `clock` process or an
RQ job (`run_pending`), never in a web request. Weeks whose sessions were marked done keep
their stored plan (webapp.models.WeekPlan), so recomputing never rewrites what was done.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import importers
from engine.athlete import HISTORY_DAYS, estimate_threshold
from engine.gait import ON_FOOT_SPORTS
from engine.stimulus import MODEL_VERSION
from webapp.models import Activity, OriginalFile, ReprocessRun, User

log = logging.getLogger(__name__)

# The estimated threshold speed must move by this share before a history is recomputed [A].
THRESHOLD_CHANGE = 0.03
HISTORY_COLUMNS = (
    Activity.start_time,
    Activity.is_run,
    Activity.moving_time_s,
    Activity.gap_s_per_km,
    Activity.avg_pace_s_per_km,
    Activity.avg_heart_rate,
    Activity.max_heart_rate,
    Activity.stimulus,
)


@dataclass
class Report:
    runs: int = 0  # ReprocessRun rows worked through
    activities: int = 0  # activities recomputed
    seconds: float = 0.0


def version_key(version: str = MODEL_VERSION) -> str:
    return f"version:{version}"


def user_key(user_id: int, used_mps: float, estimate_mps: float) -> str:
    """One runner's pass for a move of the threshold speed from `used_mps` to `estimate_mps`."""
    return f"user:{user_id}:{used_mps:.2f}>{estimate_mps:.2f}"


def request(session: Session, key: str) -> bool:
    """Queue the run `key` unless it was queued before (ever); True when it is new."""
    if session.scalar(select(ReprocessRun.id).where(ReprocessRun.key == key)) is not None:
        return False
    session.add(ReprocessRun(key=key[:64], status="queued"))
    try:
        session.commit()
    except IntegrityError:  # another process queued it at the same moment
        session.rollback()
        return False
    return True


def history_rows(session: Session, user_id: int) -> list:
    """The user's activities of the HISTORY_DAYS before their latest, as estimate_threshold
    reads them (start time, pace, heart rate, stimulus)."""
    latest = session.scalar(
        select(func.max(Activity.start_time)).where(Activity.user_id == user_id)
    )
    if latest is None:
        return []
    return session.execute(
        select(*HISTORY_COLUMNS).where(
            Activity.user_id == user_id,
            Activity.start_time >= latest - timedelta(days=HISTORY_DAYS),
        )
    ).all()


def threshold_used(rows) -> float | None:
    """The threshold speed (m/s) the newest stored structure was computed with, if any."""
    dated = [(r.start_time, (r.stimulus or {}).get("structure") or {}) for r in rows if r.stimulus]
    for _, structure in sorted(dated, key=lambda x: x[0], reverse=True):
        speed = structure.get("threshold_speed_mps")
        if speed:
            return float(speed)
    return None


def request_if_threshold_moved(session: Session, user: User) -> bool:
    """Queue a recomputation of `user`'s history when their estimated threshold has moved by
    THRESHOLD_CHANGE or more from the one their newest stored run was computed with; a
    threshold set in the settings wins over the estimate, so then nothing is queued."""
    if getattr(user, "threshold_pace_s_per_km", None):
        return False
    rows = history_rows(session, user.id)
    estimate = estimate_threshold(rows)
    used = threshold_used(rows)
    if estimate is None or used is None:
        return False
    if abs(estimate.speed_mps - used) < THRESHOLD_CHANGE * used:
        return False
    return request(session, user_key(user.id, used, estimate.speed_mps))


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S")


def enqueue(app) -> bool:
    """Hand the queued passes to the RQ worker when REDIS_URL is set; True when it was.

    Without Redis (or when it does not answer) `legday clock` runs them on its next tick."""
    if not app.config.get("REDIS_URL"):
        return False
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    from webapp.jobs import queue_name

    try:
        queue = Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))
        queue.enqueue(
            "webapp.reprocess.run_pending_job",
            app.config["DATABASE_URL"],
            job_timeout=6 * 3600,
            result_ttl=600,
        )
    except RedisError:
        log.warning("Redis is unavailable: the clock will reprocess on its next tick")
        return False
    return True


def run_pending_job(database_url: str) -> int:
    """The RQ entry point: run the queued passes against the database at `database_url`."""
    from webapp.jobs import _sessionmaker_for

    with _sessionmaker_for(database_url)() as session:
        return run_pending(session).activities


def run_pending(session: Session) -> Report:
    """Work through every queued ReprocessRun, each claimed by exactly one process."""
    report = Report()
    started = time.perf_counter()
    queued = session.scalars(
        select(ReprocessRun.id).where(ReprocessRun.status == "queued").order_by(ReprocessRun.id)
    ).all()
    for run_id in queued:
        claimed = session.execute(
            update(ReprocessRun)
            .where(ReprocessRun.id == run_id, ReprocessRun.status == "queued")
            .values(status="running")
        )
        session.commit()
        if claimed.rowcount != 1:
            continue  # another process took it
        run = session.get(ReprocessRun, run_id)
        try:
            count = _work(session, run.key)
        except Exception as exc:
            log.exception("reprocess %s failed", run.key)
            session.rollback()
            run.status, run.error = "failed", str(exc)[:1000]
        else:
            run.status, run.activities = "done", count
            report.activities += count
        run.finished_at = datetime.now(UTC)
        session.commit()
        report.runs += 1
    report.seconds = time.perf_counter() - started
    return report


def _work(session: Session, key: str) -> int:
    kind, _, rest = key.partition(":")
    if kind == "version":
        stale = or_(Activity.model_version.is_(None), Activity.model_version != MODEL_VERSION)
        user_ids = session.scalars(
            select(Activity.user_id).where(_on_foot(), stale).distinct()
        ).all()
        return sum(_recompute_user(session, uid, only_stale=True) for uid in user_ids)
    if kind == "user":  # "user:<id>:<used>><estimate>" or "user:<id>:manual:<stamp>"
        return _recompute_user(session, int(rest.split(":")[0]), only_stale=False)
    raise ValueError(f"unknown reprocess key {key!r}")


def _on_foot():
    return or_(Activity.is_run.is_(True), Activity.sport.in_(sorted(ON_FOOT_SPORTS)))


def _recompute_user(session: Session, user_id: int, *, only_stale: bool) -> int:
    """Recompute the user's on-foot activities (only those not at MODEL_VERSION when
    `only_stale`) from their original files, one transaction per file; returns the count."""
    from webapp.ingest import athlete_for, stimulus_fields

    user = session.get(User, user_id)
    if user is None:
        return 0
    athlete = athlete_for(user, history_rows(session, user_id))
    query = select(Activity).where(
        Activity.user_id == user_id, Activity.original_file_id.is_not(None), _on_foot()
    )
    if only_stale:
        query = query.where(
            or_(Activity.model_version.is_(None), Activity.model_version != MODEL_VERSION)
        )
    rows = session.scalars(query.order_by(Activity.original_file_id, Activity.id)).all()
    by_file: dict[int, list[Activity]] = {}
    for row in rows:
        by_file.setdefault(row.original_file_id, []).append(row)
    done = 0
    for file_id, file_rows in by_file.items():
        original = session.get(OriginalFile, file_id)
        try:
            parsed = importers.load(original.content, original.filename)
        except Exception:  # a file that no longer reads keeps its stored stimulus
            log.warning("reprocess: %s (file %s) no longer reads", original.filename, file_id)
            continue
        by_print = {a.fingerprint: a for a in parsed}
        for row in file_rows:
            activity = by_print.get(row.fingerprint)
            if activity is None:
                continue
            fields = stimulus_fields(activity, athlete)
            summary = dict(row.summary or {})
            summary["stimulus_notes"] = fields.pop("notes")
            row.summary = summary
            for name, value in fields.items():
                setattr(row, name, value)
            done += 1
        session.commit()
    return done
