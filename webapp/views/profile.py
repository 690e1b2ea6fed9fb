"""The runner profile ("Your training"): its own page (first run, and "Change your training
answers" from Settings, which shows the answers read-only: one form a page, so no answer waits
unsaved beside another form's Save button).

GET /profile: the form, each field prefilled with the stored answer or the default read from
the runs, with the sentence saying where that default comes from. POST /profile: saved, then
back to Settings when the runner came from there (?back=settings), else to the week page; a
wrong field gets its message beside it and nothing is saved (422).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import profiles, weeks
from webapp.db import get_session
from webapp.forms import EQUIPMENT, EXPERIENCE_CHOICES, GOAL_CHOICES, ProfileForm

bp = Blueprint("profile", __name__, url_prefix="/profile")


@bp.app_template_global("needs_profile")
def needs_profile() -> bool:
    """True while the logged-in runner has not answered the profile (pages then ask)."""
    return (
        current_user.is_authenticated
        and profiles.stored_profile(get_session(), current_user) is None
    )


def profile_form_context(form: ProfileForm | None = None) -> dict:
    """What templates/profile/_form.html needs; `form` None = prefilled from the profile."""
    zone = weeks.user_zone(current_user)
    today = datetime.now(UTC).astimezone(zone).date()
    values, evidence = profiles.profile_form_defaults(get_session(), current_user, today, zone)
    if form is None:
        shown = {**values, "body_mass_kg": values["body_mass_kg"] or ""}
        errors = {}
    else:
        shown = form.shown()
        errors = {name: messages[0] for name, messages in form.errors.items()}
    return {
        "profile_shown": shown,
        "profile_errors": errors,
        "profile_evidence": evidence,
        "profile_first_run": profiles.stored_profile(get_session(), current_user) is None,
        "goal_choices": GOAL_CHOICES,
        "experience_choices": EXPERIENCE_CHOICES,
        "profile_equipment": EQUIPMENT,
    }


def training_summary() -> dict:
    """Settings' read-only "Your training": each answer as words (stored, else inferred)."""
    zone = weeks.user_zone(current_user)
    today = datetime.now(UTC).astimezone(zone).date()
    values, _ = profiles.profile_form_defaults(get_session(), current_user, today, zone)
    goal = dict(GOAL_CHOICES).get(values["goal"], values["goal"] or "not given")
    equipment = dict(EQUIPMENT)
    mass = values["body_mass_kg"]
    return {
        "first_run": profiles.stored_profile(get_session(), current_user) is None,
        "goal": goal[:1].upper() + goal[1:],
        "experience": dict(EXPERIENCE_CHOICES).get(values["experience"], "not given"),
        "body_mass": f"{mass:g} kg" if mass else "not given",
        "minutes": values["minutes"],
        "sessions_per_week": values["sessions_per_week"],
        "equipment": ", ".join(equipment.get(e, e) for e in values["equipment"] or ["none"]),
    }


def _back() -> str | None:
    """Where the runner came from, when it is a page to return to after saving."""
    return "settings" if request.args.get("back") == "settings" else None


def _render(form=None, status=200):
    return (
        render_template("profile/index.html", profile_back=_back(), **profile_form_context(form)),
        status,
    )


@bp.route("", methods=("GET",))
@login_required
def index():
    return _render()


@bp.route("", methods=("POST",))
@login_required
def save():
    form = ProfileForm()
    if not form.validate():
        return _render(form, status=422)
    profiles.save_answers(get_session(), current_user, form.answers())
    if _back() == "settings":
        flash("Your training answers are saved. This week's plan now follows them.")
        return redirect(url_for("settings.index") + "#training-h")
    return redirect(url_for("week.index") + "#plan")
