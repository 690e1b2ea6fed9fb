"""Activities: the list (newest first, by sport, "more" via HTMX), one activity's page, and the
runner's corrections of it (sport, race, left out of the load: webapp.edits)."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.muscles import LABELS
from webapp import bounds, chart_data, charts, edits, ingest, loads, route_map, splits
from webapp.db import get_session
from webapp.forms import ActivityEditForm, sport_name
from webapp.models import Activity
from webapp.run_structure import structure_strip
from webapp.units import shows_pace
from webapp.views.fragments import page_or_fragment
from webapp.weeks import user_zone

bp = Blueprint("activities", __name__, url_prefix="/activities")

PAGE_SIZE = 20
LIST_COLUMNS = (
    Activity.id,
    Activity.name,
    Activity.sport,
    Activity.is_run,
    Activity.start_time,
    Activity.distance_m,
    Activity.moving_time_s,
    Activity.elevation_gain_m,
    Activity.avg_pace_s_per_km,
    Activity.is_race,
    Activity.excluded,
    Activity.stimulus,  # its on-foot flag: a walk or hike counts in the legs' load
)


sport_label = sport_name


@bp.app_template_filter("sport")
def _sport_filter(sport: str) -> str:
    return sport_label(sport or "")


NOUNS = {
    "running": "run",
    "trail_running": "trail run",
    "treadmill_running": "treadmill run",
    "cycling": "ride",
    "walking": "walk",
    "hiking": "hike",
    "swimming": "swim",
}


@bp.app_template_filter("noun")
def noun(sport: str | None) -> str:
    """ "swim", "ride", "transition": what the runner calls an activity of that sport."""
    return NOUNS.get(sport or "", sport_label(sport or "activity").lower())


@bp.app_template_filter("title_of")
def title_of(activity) -> str:
    """The activity's own name, else "Morning run", "Evening ride"... in the runner's time."""
    if activity.name:
        return activity.name
    start = activity.start_time
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    hour = start.astimezone(user_zone(current_user)).hour
    part = (
        "Night"
        if hour < 5
        else "Morning"
        if hour < 12
        else "Afternoon"
        if hour < 17
        else "Evening"
        if hour < 22
        else "Night"
    )
    return f"{part} {noun(activity.sport)}"


@bp.app_template_filter("load_badges")
def load_badges(row) -> list[tuple[str, str]]:
    """The badges saying whether an activity counts in the legs' load, as its page says:
    (words, badge class). `row` is an Activity, a list row or a weeks.RunRow."""
    on_foot = row.on_foot if hasattr(row, "on_foot") else loads.loads_legs(row)
    badges = []
    if row.is_race:
        badges.append(("race", "badge-duplicate"))
    if row.excluded:
        badges.append(("left out of your load", "badge-skipped"))
    elif not row.is_run and on_foot:
        badges.append((f"{noun(row.sport)} · counts in your load", "badge-imported"))
    elif not row.is_run:
        badges.append(("not counted", "badge-skipped"))
    return badges


@bp.route("")
@login_required
def index():
    db = get_session()
    sport = request.args.get("sport", "")
    page = bounds.page_arg()
    query = select(*LIST_COLUMNS).where(Activity.user_id == current_user.id)
    if sport:
        query = query.where(Activity.sport == sport)
    rows = db.execute(
        query.order_by(Activity.start_time.desc(), Activity.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    sports = db.scalars(
        select(Activity.sport).where(Activity.user_id == current_user.id).distinct()
    ).all()
    return page_or_fragment(
        "activities/index.html",
        "activities/_rows.html",
        "more-rows",
        rows=rows[:PAGE_SIZE],
        has_more=len(rows) > PAGE_SIZE,
        page=page,
        sport=sport,
        sports=sorted(sports),
    )


def _own_activity(activity_id: int) -> Activity:
    found = get_session().scalar(
        select(Activity).where(Activity.id == activity_id, Activity.user_id == current_user.id)
    )
    if found is None:
        abort(404)
    return found


def _edit_form(activity: Activity, formdata=None) -> ActivityEditForm:
    form = ActivityEditForm(formdata=formdata, obj=activity)
    form.offer_sport(activity.sport)
    return form


def _show(activity: Activity, form: ActivityEditForm, edit_error=None, status=200):
    # Positions inside the privacy zone never reach the page, as a map or as the SVG route.
    series = route_map.visible(activity.chart_series)
    speed = not shows_pace(activity.sport)  # a ride is read in km/h, not min/km
    return render_template(
        "activities/show.html",
        activity=activity,
        charts=charts.activity_charts(series, current_user.units),
        profile=chart_data.activity_chart(series, current_user.units, speed),
        route=route_map.route_map(series),
        bars=charts.stimulus_bars(activity.stimulus, LABELS),
        strip=structure_strip(activity.stimulus),
        summary=activity.summary or {},
        splits=splits.split_table(activity.summary or {}, current_user.units, speed),
        form=form,
        edit_error=edit_error,
    ), status


@bp.route("/<int:activity_id>")
@login_required
def show(activity_id: int):
    activity = _own_activity(activity_id)
    return _show(activity, _edit_form(activity, formdata=None))


@bp.route("/<int:activity_id>/edit", methods=("POST",))
@login_required
def edit(activity_id: int):
    """Save the sport, race and excluded flags; the week and plan recompute (webapp.edits)."""
    activity = _own_activity(activity_id)
    form = _edit_form(activity, formdata=request.form)
    db = get_session()
    if not form.validate():
        error = next(iter(sum(form.errors.values(), [])), None)
        return _show(activity, form, error, 422)
    try:
        edits.edit_activity(
            db,
            current_user,
            activity,
            sport=form.sport.data,
            is_race=form.is_race.data,
            excluded=form.excluded.data,
        )
    except edits.EditRefused as exc:
        db.rollback()  # nothing was changed; the page shows the row as stored
        return _show(activity, form, str(exc), 422)
    db.commit()
    flash("Saved. Your week and this week's plan now follow the change.")
    return redirect(url_for("activities.show", activity_id=activity_id))


@bp.route("/<int:activity_id>/delete", methods=("POST",))
@login_required
def delete(activity_id: int):
    _own_activity(activity_id)
    ingest.delete_activity(get_session(), current_user, activity_id)
    flash("The activity and its file are deleted.")
    return redirect(url_for("activities.index"))
