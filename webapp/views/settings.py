"""Settings: units, time, strength days, long run, race, heart rate, weekly email (the goal and
equipment are the profile's, shown read-only here and changed on /profile); and
the one-tap weekly-email offer shown after a runner's first import (the email is an opt-in).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.db import get_session
from webapp.forms import UNITS, WEEKDAYS, ButtonForm, SettingsForm, timezones
from webapp.models import Activity
from webapp.units import forget_viewer_settings
from webapp.views.fragments import page_or_fragment, wants_fragment
from webapp.views.profile import training_summary

bp = Blueprint("settings", __name__, url_prefix="/settings")
OFFER_ID = "email-offer"


def _result_value(result, name: str):
    # Upload results are IngestResults inline and dicts (their JSON) from a background job.
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def offer_weekly_email(results) -> bool:
    """Whether to offer the weekly email under these upload results: the runner has it off and
    this upload brought their first runs (no activity of theirs is older than its runs)."""
    if not current_user.is_authenticated or current_user.weekly_email:
        return False
    ids = [
        _result_value(r, "activity_id")
        for r in results or ()
        if _result_value(r, "status") == "imported"
    ]
    ids = [i for i in ids if isinstance(i, int)]
    if not ids:
        return False
    older = get_session().scalar(
        select(Activity.id)
        .where(Activity.user_id == current_user.id, Activity.id < min(ids))
        .limit(1)
    )
    return older is None


@bp.app_context_processor
def offer_helpers() -> dict:
    return {"offer_weekly_email": offer_weekly_email}


def _render(form: SettingsForm, saved=False, status=200):
    headers = {"HX-Trigger": "plan-changed"} if saved else None
    return page_or_fragment(
        "settings/index.html",
        "settings/_form.html",
        "settings-form",
        status=status,
        headers=headers,
        user=current_user,
        # The first message of each wrong field, shown beside it.
        errors={name: messages[0] for name, messages in form.errors.items()},
        saved=saved,
        shown=form.shown(),
        weekdays=WEEKDAYS,
        unit_choices=UNITS,
        timezones=timezones(),
        training=training_summary(),
    )


@bp.route("", methods=("GET", "POST"))
@login_required
def index():
    if request.method == "GET":
        return _render(SettingsForm(obj=current_user))
    form = SettingsForm()
    if not form.validate():
        return _render(form, status=422)
    values = form.values()
    for name, value in values.items():
        setattr(current_user, name, value)
    get_session().commit()
    forget_viewer_settings()
    if wants_fragment("settings-form"):
        return _render(form, saved=True)
    flash("Settings saved. This week's plan now follows them.")
    return redirect(url_for("settings.index"))


@bp.post("/weekly-email")
@login_required
def weekly_email_on():
    """The offer's one tap: the weekly email on, on Mondays (the hour stays as set)."""
    if ButtonForm().validate_on_submit():
        current_user.weekly_email = True
        current_user.email_weekday = 0
        get_session().commit()
    if wants_fragment(OFFER_ID):
        return render_template("settings/_email_offer.html", offer_taken=current_user.weekly_email)
    flash("The weekly email is on: every Monday. Change its day and hour here.")
    return redirect(url_for("settings.index"))
