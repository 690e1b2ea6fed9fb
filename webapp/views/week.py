"""This week: the body map, the runs, the load trend and the strength session(s) to do."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import delete, select

from engine.muscles import LABELS
from webapp import bodymap, chart_data, plans, profiles, week_calendar, weeks
from webapp.db import get_session
from webapp.forms import SORENESS_CHOICES, SessionDoneForm, SorenessForm, SwapForm, exercise_logs
from webapp.models import PlanAdjustment, SorenessCheckIn, StrengthLog, WeekPlan
from webapp.session_mode import steps as session_mode_steps
from webapp.views.fragments import page_or_fragment, wants_fragment

bp = Blueprint("week", __name__, url_prefix="/week")

# Home shows the week of the last run when this week has none and that run is at most this
# many days before this week began; a runner back after longer gets this week's plan.
LAST_RUN_WEEK_DAYS = 56
bp.add_app_template_global(bodymap.regions, "bodymap_regions")
bp.add_app_template_global(
    lambda view: chart_data.load_chart(view.trend, LABELS), "load_chart_data"
)


class _Fields(dict):
    """A plan item as the templates read it: `ex['reason']` is None when the item has no reason
    (a subscript costs the template no call; the plan page reads ~25 fields per exercise)."""

    def __missing__(self, key):
        return None


@bp.app_template_filter("fields")
def fields(item) -> _Fields:
    """`{% set ex = ex|fields %}`: the item's keys, with None for any it lacks."""
    return _Fields(item or {})


def _week_view(week: str | None):
    if week is not None:
        try:
            weeks.parse_week(week, current_user, datetime.now(UTC).date())
        except ValueError:
            abort(404)
    return weeks.weekly_context(get_session(), current_user, week)


def _render(view, message=None, status=200, notice=None, acted=None):
    """The week page, or its plan fragment; `acted`: the session a post acted on (its card
    carries `message`, and HTMX scrolls it into view)."""
    db = get_session()
    gap = None
    if view.runs:
        gap = week_calendar.weeks_since_previous_run(db, current_user, view.start)
    today = datetime.now(UTC).astimezone(weeks.user_zone(current_user)).date()
    soreness = plans.latest_soreness(db, current_user, today) if view.is_current else None
    return page_or_fragment(
        "week/index.html",
        "week/_plan.html",
        "plan",
        status=status,
        week=view,
        message=message,
        acted=acted,
        notice=notice,
        quiet_weeks=gap,
        # Today's check-in ("fresh" | "a_bit_sore" | "very_sore"), None when not said today.
        soreness=soreness.level if soreness is not None and soreness.day == today else None,
        soreness_choices=SORENESS_CHOICES,
        profile_missing=profiles.stored_profile(db, current_user) is None,
    )


@bp.route("")
@bp.route("/<week>")
@login_required
def index(week: str | None = None):
    notice = None
    if week is None:
        # Home for a runner with a history but nothing this week: the week of the last run
        # (one indexed query decides, so the empty week is never built first).
        db, this_week = get_session(), _this_week_start()
        latest = week_calendar.latest_run_start(db, current_user, runs_only=False)
        starts = weeks.local_midnight_utc(this_week, weeks.user_zone(current_user))
        empty = latest is not None and latest < starts
        last = week_calendar.latest_run_start(db, current_user) if empty else None
        if last is not None:
            local = last.astimezone(weeks.user_zone(current_user)).date()
            that_week = week_calendar.week_of(last, current_user)
            if (this_week - local).days <= LAST_RUN_WEEK_DAYS:
                week = that_week
                notice = {"last_run": local, "this_week": weeks.week_label(this_week)}
            else:  # months ago: this week's plan (a gentle restart), the old week a tap away
                notice = {"last_run": local, "that_week": that_week}
    return _render(_week_view(week), notice=notice)


def _this_week_start():
    today = week_calendar.today_for(current_user)
    return weeks.week_start_for(today, current_user.week_start or 0)


def _session(view, index: int) -> dict:
    sessions = view.plan.get("sessions", [])
    if not 0 <= index < len(sessions):
        abort(404)
    return sessions[index]


@bp.route("/<week>/sessions/<int:index>")
@login_required
def session_mode(week: str, index: int):
    """One session full screen: tick the sets, rest between them, "done" posts to `done`."""
    view = _week_view(week)
    session = _session(view, index)
    log = view.logs.get(index)
    return render_template(
        "week/session.html",
        week=view,
        index=index,
        session=session,
        steps=session_mode_steps(session),
        log=log,
        # When it was marked done (on the week page too): ticks kept from before are dropped.
        done_at=(log or {}).get("at"),
    )


def _after_change(view_week: str, message: str, acted: int | None = None):
    """The plan fragment for HTMX; for a plain form, back to the week page (post/redirect/get),
    at the session acted on."""
    if wants_fragment("plan"):
        return _render(_week_view(view_week), message=message, acted=acted)
    anchor = "#plan" if acted is None else f"#session-{acted}"
    return redirect(url_for("week.index", week=view_week) + anchor)


def _delete_log(db, week: str, index: int) -> None:
    """Forget what the runner logged for session `index` of `week`."""
    db.execute(
        delete(StrengthLog).where(
            StrengthLog.user_id == current_user.id,
            StrengthLog.week == week,
            StrengthLog.session_index == index,
        )
    )


@bp.route("/<week>/sessions/<int:index>/done", methods=("POST",))
@login_required
def done(week: str, index: int):
    view = _week_view(week)
    session = _session(view, index)
    form = SessionDoneForm()
    if form.version.data == "short":  # the 15-minute version, done as prescribed
        exercises = (session.get("short") or {}).get("exercises") or session["exercises"]
        names = [ex["name"] for ex in exercises]
        chosen, details, problems = names, {}, []
    else:
        names = [ex["name"] for ex in session["exercises"]]
        chosen = form.chosen(names)
        details, problems = exercise_logs(request.form, session["exercises"])
    if problems:
        return _render(
            view, message="Not saved: " + " ".join(problems), status=422, acted=index
        )
    db = get_session()
    # Replace (delete + insert) so that the log's id changes and cached weeks see it.
    _delete_log(db, view.week, index)
    db.add(
        StrengthLog(
            user_id=current_user.id,
            week=view.week,
            session_index=index,
            day=plans.session_day(session),
            status="done",
            exercises=chosen,
            details={name: detail for name, detail in details.items() if name in chosen},
        )
    )
    # The week keeps the plan that was done, whatever a later reprocessing recomputes.
    if (
        db.scalar(
            select(WeekPlan.id).where(
                WeekPlan.user_id == current_user.id, WeekPlan.week == view.week
            )
        )
        is None
    ):
        db.add(WeekPlan(user_id=current_user.id, week=view.week, plan=view.base_plan))
    db.commit()
    return _after_change(
        view.week, f"Nice work: {len(chosen)} of {len(names)} exercises logged.", acted=index
    )


@bp.route("/<week>/soreness", methods=("POST",))
@login_required
def soreness(week: str):
    """Today's check-in: "Legs today: fresh / a bit sore / very sore". Kept as data (every one,
    for calibration); the plan of today and the two days after follows the latest."""
    view = _week_view(week)
    form = SorenessForm()
    if not form.validate():
        return _render(view, message="Pick how your legs feel today.", status=422)
    today = datetime.now(UTC).astimezone(weeks.user_zone(current_user)).date()
    db = get_session()
    db.add(SorenessCheckIn(user_id=current_user.id, day=today, level=form.level.data))
    db.commit()
    said = dict(SORENESS_CHOICES)[form.level.data].lower()
    return _after_change(view.week, f"Thanks: legs {said} today. The plan below follows it.")


@bp.route("/<week>/sessions/<int:index>/undo", methods=("POST",))
@login_required
def undo(week: str, index: int):
    view = _week_view(week)
    _session(view, index)
    db = get_session()
    _delete_log(db, view.week, index)
    left = db.scalar(
        select(StrengthLog.id).where(
            StrengthLog.user_id == current_user.id, StrengthLog.week == view.week
        )
    )
    if left is None:  # nothing done that week any more: its plan follows the legs again
        db.execute(
            delete(WeekPlan).where(
                WeekPlan.user_id == current_user.id, WeekPlan.week == view.week
            )
        )
    db.commit()
    return _after_change(view.week, "The session is open again.", acted=index)


@bp.route("/<week>/sessions/<int:index>/swap", methods=("POST",))
@login_required
def swap(week: str, index: int):
    view = _week_view(week)
    session = _session(view, index)
    form = SwapForm()
    original, target = form.exercise.data or "", form.to.data or ""
    exercise = next(
        (ex for ex in session["exercises"] if ex.get("original", ex["name"]) == original), None
    )
    if exercise is None or target not in (exercise.get("alternatives") or []):
        abort(400, "That exercise cannot be swapped for that one. Reload the page and try again.")
    db = get_session()
    adjustment = db.scalar(
        select(PlanAdjustment).where(
            PlanAdjustment.user_id == current_user.id, PlanAdjustment.week == view.week
        )
    )
    if adjustment is None:
        adjustment = PlanAdjustment(user_id=current_user.id, week=view.week, data={})
        db.add(adjustment)
    swaps = dict((adjustment.data or {}).get("swaps", {}))
    key = f"{index}:{original}"
    if target == original:
        swaps.pop(key, None)
    else:
        swaps[key] = target
    adjustment.data = {**(adjustment.data or {}), "swaps": swaps}
    db.commit()
    return _after_change(
        view.week, f"Swapped: {target} instead of {exercise['name']}.", acted=index
    )
