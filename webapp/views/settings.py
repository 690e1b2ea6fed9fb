"""Settings: units, time, training focus, equipment, days, race, heart rate, weekly email."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import profiles
from webapp.db import get_session
from webapp.forms import EQUIPMENT, FOCUSES, UNITS, WEEKDAYS, SettingsForm, timezones
from webapp.views.fragments import page_or_fragment, wants_fragment
from webapp.views.profile import profile_form_context

bp = Blueprint("settings", __name__, url_prefix="/settings")


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
        focuses=FOCUSES,
        equipment_choices=EQUIPMENT,
        unit_choices=UNITS,
        timezones=timezones(),
        **profile_form_context(),
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
    if values.get("focus") != current_user.focus:
        # The older "focus" setting and the profile's goal say the same thing: keep them equal.
        profiles.follow_focus(get_session(), current_user, values["focus"])
    for name, value in values.items():
        setattr(current_user, name, value)
    get_session().commit()
    if wants_fragment("settings-form"):
        return _render(form, saved=True)
    flash("Settings saved. This week's plan now follows them.")
    return redirect(url_for("settings.index"))
