"""The runner profile ("Your training"): the first-run page and the same form in Settings.

GET /profile: the form, each field prefilled with the stored answer or the default read from
the runs, with the sentence saying where that default comes from. POST /profile: saved, then
back to the week page (or, from Settings via HTMX, the form again with "Saved"); a wrong field
gets its message beside it and nothing is saved (422).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, redirect, url_for
from flask_login import current_user, login_required

from webapp import profiles, weeks
from webapp.db import get_session
from webapp.forms import EQUIPMENT, EXPERIENCE_CHOICES, GOAL_CHOICES, ProfileForm
from webapp.views.fragments import page_or_fragment, wants_fragment

bp = Blueprint("profile", __name__, url_prefix="/profile")


@bp.app_template_global("needs_profile")
def needs_profile() -> bool:
    """True while the logged-in runner has not answered the profile (pages then ask)."""
    return (
        current_user.is_authenticated
        and profiles.stored_profile(get_session(), current_user) is None
    )


def profile_form_context(
    form: ProfileForm | None = None, saved: bool = False, inline: bool = True
) -> dict:
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
        "profile_saved": saved,
        "profile_inline": inline,  # in Settings: HTMX posts and gets the form back
        "profile_first_run": profiles.stored_profile(get_session(), current_user) is None,
        "goal_choices": GOAL_CHOICES,
        "experience_choices": EXPERIENCE_CHOICES,
        "profile_equipment": EQUIPMENT,
    }


def _render(form=None, saved=False, status=200):
    headers = {"HX-Trigger": "plan-changed"} if saved else None
    inline = wants_fragment("profile-form")
    return page_or_fragment(
        "profile/index.html",
        "profile/_form.html",
        "profile-form",
        status=status,
        headers=headers,
        **profile_form_context(form, saved, inline),
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
    if wants_fragment("profile-form"):
        return _render(saved=True)
    return redirect(url_for("week.index") + "#plan")
