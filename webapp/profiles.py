"""The runner profile as stored and as the plan uses it (engine.plan.Profile).

In: the user, their RunnerProfile answers (a NULL answer is inferred from the runs each time),
User.equipment, the recent runs and strength logs. Out: `runner_profile` (the Profile the plan
uses), `profile_form_defaults` (what the first-run form and Settings prefill, with the evidence
sentence of each inferred default), `save_answers` (the form's answers into the database).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import plan as planner
from engine.plan.profile import FOCUS_GOAL
from webapp.db import aware
from webapp.models import Activity, RunnerProfile, StrengthLog, User, utcnow

# What engine.plan.summarise_runs reads of a run.
RUN_COLUMNS = tuple(
    getattr(Activity, name)
    for name in "is_run start_time distance_m moving_time_s elevation_gain_m elevation_loss_m"
    " avg_pace_s_per_km gap_s_per_km".split()
)
PROFILE_DAYS = 84  # the runs and logs infer_profile reads: 12 weeks (it looks back 6 and 12)


def stored_profile(session: Session, user: User) -> RunnerProfile | None:
    """The runner's saved profile answers, None before the first-run form."""
    return session.get(RunnerProfile, user.id)


def given_profile(user: User, stored: RunnerProfile | None) -> dict:
    """infer_profile's `given`: the stored answers, the body mass and equipment (on User), and
    before any goal answer the older Settings focus (speed / endurance) as the goal."""
    given = stored.given() if stored is not None else {}
    given["body_mass_kg"] = user.mass_kg
    if not given.get("goal") and user.focus in FOCUS_GOAL:
        given["goal"] = FOCUS_GOAL[user.focus]
    given["equipment"] = tuple(user.equipment or ("none",))
    return given


def runner_profile(session: Session, user: User, runs, day: date, logs=()) -> planner.Profile:
    """The runner's Profile on `day`: their answers, the rest inferred from `runs` (RunSummary)
    and `logs` (SessionLog). A stored answer the engine now refuses counts as not given."""
    given = given_profile(user, stored_profile(session, user))
    try:
        return planner.infer_profile(runs, day, logs=logs, given=given)
    except ValueError:
        return planner.infer_profile(runs, day, logs=logs)


def _history(session: Session, user: User, day: date, zone):
    """The runs (RunSummary) and strength logs (SessionLog) of the PROFILE_DAYS before `day`."""
    since = day - timedelta(days=PROFILE_DAYS)
    rows = session.execute(
        select(*RUN_COLUMNS).where(
            Activity.user_id == user.id,
            Activity.is_run.is_(True),
            Activity.start_time >= datetime.combine(since, time(0), tzinfo=UTC),
        )
    ).all()
    runs = planner.summarise_runs(
        [SimpleNamespace(**{**r._asdict(), "start_time": aware(r.start_time)}) for r in rows],
        zone,
    )
    logs = [
        planner.SessionLog(day=log.day, status=log.status, exercises=list(log.exercises or []))
        for log in session.scalars(
            select(StrengthLog).where(StrengthLog.user_id == user.id, StrengthLog.day >= since)
        )
    ]
    return [r for r in runs if r.day < day + timedelta(days=1)], logs


def profile_form_defaults(session: Session, user: User, day: date, zone) -> tuple[dict, dict]:
    """(values, evidence) the profile form starts from.

    values: the stored answers, else the inferred defaults (Profile fields); evidence: per
    field, the sentence saying where the inferred default comes from (shown under the field).
    """
    runs, logs = _history(session, user, day, zone)
    guessed = planner.infer_profile(runs, day, logs=logs)
    current = runner_profile(session, user, runs, day, logs)
    values = current.to_dict()
    evidence = dict(guessed.evidence)
    if values["goal"] != guessed.goal:
        evidence["goal"] = f"Your choice. From your runs we would say: {guessed.evidence['goal']}"
    evidence.pop("equipment", None)
    return values, evidence


def save_answers(session: Session, user: User, answers: dict) -> None:
    """Store the profile form's answers (RunnerProfile columns; `equipment` and `body_mass_kg`
    on User, where the load model reads the mass too: webapp.ingest.athlete_for)."""
    answers = dict(answers)
    user.equipment = answers.pop("equipment", None) or ["none"]
    user.mass_kg = answers.pop("body_mass_kg", None)
    row = stored_profile(session, user)
    if row is None:
        row = RunnerProfile(user_id=user.id)
        session.add(row)
    for name, value in answers.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    goal = answers.get("profile_goal")
    if goal:
        user.focus = planner.Profile(goal=goal).focus  # the older Settings focus follows
    session.commit()
