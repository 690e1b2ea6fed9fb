"""A week's strength plan: engine.plan.recommend with the runner's settings, logs and swaps.

In: the user (equipment, days, race date, units), their RunnerProfile answers (the others are
inferred from the runs: engine.plan.infer_profile), the latest soreness check-in, the engine
state on the plan's day, the recent runs and the stored StrengthLog and PlanAdjustment rows.
Out: `plan_for` gives (plan dict as Plan.to_dict() with phase, notes and each session's note,
the runner's swaps applied and each exercise's alternatives listed; {session index: logged
status, exercises, details, day}). `apply_swaps` and `session_day` serve the swap and log forms.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import catalogue
from engine import plan as planner
from webapp.models import PlanAdjustment, SorenessCheckIn, StrengthLog, User
from webapp.profiles import runner_profile

SORENESS_DAYS = 3  # a check-in speaks for its day and the two after it (engine.plan.Soreness)


def latest_soreness(session: Session, user: User, day: date) -> planner.Soreness | None:
    """The latest check-in still speaking for `day` (its day or the two before), or None."""
    row = session.scalars(
        select(SorenessCheckIn)
        .where(
            SorenessCheckIn.user_id == user.id,
            SorenessCheckIn.day <= day,
            SorenessCheckIn.day > day - timedelta(days=SORENESS_DAYS),
        )
        .order_by(SorenessCheckIn.day.desc(), SorenessCheckIn.id.desc())
        .limit(1)
    ).first()
    return planner.Soreness(row.day, row.level) if row is not None else None


def logged_exercises(log: StrengthLog) -> list:
    """A StrengthLog's exercises for engine.plan.SessionLog: names, or dicts with what was done."""
    details = log.details or {}
    return [
        {"name": name, **details[name]} if isinstance(details.get(name), dict) else name
        for name in (log.exercises or [])
    ]


def plan_for(
    session: Session,
    user: User,
    start: date,
    label: str,
    plan_day: date,
    state,
    recent,
    zone,
    *,
    frozen: dict | None = None,
) -> tuple[dict, dict[int, dict], dict]:
    """The plan of the week starting `start` (called `label`), as of `plan_day`.

    `state` is the engine state on `plan_day`; `recent` the runs before it (rows with
    start_time, distance_m, moving_time_s, elevation_gain_m...), summarised in `zone`.
    `frozen`, the plan stored when a session of the week was marked done (WeekPlan), is used
    instead of a new recommendation. Returns (plan with swaps, logs, plan before swaps).
    """
    all_logs = session.scalars(
        select(StrengthLog).where(StrengthLog.user_id == user.id).order_by(StrengthLog.day)
    ).all()
    # This week's own logs do not change this week's prescription (it would move under you).
    history = [
        planner.SessionLog(day=log.day, status=log.status, exercises=logged_exercises(log))
        for log in all_logs
        if log.week != label and log.day < start
    ]
    runs = planner.summarise_runs(recent, zone)
    profile = runner_profile(session, user, runs, plan_day, history)
    if frozen:
        base = copy.deepcopy(frozen)
    else:
        ctx = planner.PlanContext(
            as_of=plan_day,
            state=state,
            recent=runs,
            race_date=user.race_date,
            profile=profile,
            soreness=latest_soreness(session, user, plan_day),
            focus=profile.focus,
            equipment=profile.equipment,
            available_days=tuple(user.available_days or range(7)),
            long_run_day=user.long_run_day,
            week_start=user.week_start or 0,
            logs=history,
            units=user.units or "km",
        )
        result = planner.recommend(ctx)
        base = result.to_dict()
        base["phase"] = result.phase
        base["notes"] = list(result.notes)
        for out, sess in zip(base["sessions"], result.sessions, strict=True):
            out["note"] = " ".join(sess.notes)
    plan = copy.deepcopy(base)
    adjustment = session.scalar(
        select(PlanAdjustment.data).where(
            PlanAdjustment.user_id == user.id, PlanAdjustment.week == label
        )
    )
    apply_swaps(plan, (adjustment or {}).get("swaps", {}), profile.equipment)
    logs = {
        log.session_index: {
            "status": log.status,
            "exercises": list(log.exercises or []),
            "details": dict(log.details or {}),
            "day": log.day.isoformat(),
            # When it was logged (UTC seconds): session mode drops the ticks kept from before.
            "at": _epoch(log.created_at),
        }
        for log in all_logs
        if log.week == label
    }
    return plan, logs, base


def _epoch(moment) -> int | None:
    if moment is None:
        return None
    return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp())


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
                _swap_in(ex, replacement, frozenset(equipment or ()))
                _follow_swap(sess, original, replacement.name)
        in_session = {ex["name"] for ex in sess["exercises"]}
        for ex in sess["exercises"]:
            original = ex.get("original", ex["name"])
            offered = [a.name for a in _alternatives(original, equipment)]
            if original != ex["name"]:
                offered = [original] + offered
            ex["alternatives"] = [a for a in offered if a not in in_session]


def _swap_in(ex: dict, replacement, equipment: frozenset[str]) -> None:
    """`ex` becomes `replacement`: its name, muscles, how-to and drawing, and its load in the
    weights owned, said the way it is held (a goblet squat's one weight, not "per hand")."""
    original = ex["name"]
    kg, words, per_hand = planner.swapped_load(replacement, ex.get("load_kg"), equipment)
    ex.update(load_kg=kg, load_words=words, load_per_hand=per_hand)
    ex.update(
        original=original,
        swapped_from=original,
        name=replacement.name,
        muscles=list(replacement.muscles),
        how_to=replacement.how_to_card(),
        drawing=replacement.drawing,
        progress="",
    )
    if replacement.dose == "seconds" and "seconds" not in ex:
        ex.pop("reps", None)
        ex["seconds"] = 30
    elif replacement.dose == "reps" and "reps" not in ex:
        ex.pop("seconds", None)
        ex["reps"] = 10


def _follow_swap(sess: dict, original: str, new: str) -> None:
    """The rest of the session names the swapped-in exercise: "do it in the rests of" and
    the short version."""
    for other in sess["exercises"]:
        if other.get("pair_with") == original:
            other["pair_with"] = new
    for short in (sess.get("short") or {}).get("exercises", []):
        if short.get("name") == original:
            short["name"] = new


def _alternatives(name: str, equipment) -> list:
    try:
        return catalogue.alternatives(name, equipment)
    except KeyError:
        return []


def session_day(sess: dict) -> date:
    """The day a planned session (a plan dict's session) falls on."""
    return date.fromisoformat(sess["day"])
