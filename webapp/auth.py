"""Accounts: register, log in, log out; the login manager and CSRF protection for the app.

Flask-Login keeps who is logged in (`current_user`, `login_required`; no remember-me cookie:
the session cookie alone). The session also holds the user's `session_version` at login; the
user loader refuses a session whose version is not the account's current one, so bumping the
version (`end_other_sessions`) logs out every device. Flask-WTF's CSRFProtect checks every
state-changing request: the form field `csrf_token`, or the `X-CSRF-Token` header that HTMX and
the offline queue send. The token has no time limit within a session (queued uploads replay
hours later with the token they were queued with).
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, logout_user
from flask_login import login_user as _login_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.db import get_session
from webapp.forms import (
    EMAIL_RE,
    MIN_PASSWORD,
    SHORT_PASSWORD,
    LoginForm,
    RegisterForm,
    normalise_email,
)
from webapp.models import User
from webapp.redirects import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")
csrf = CSRFProtect()
login_manager = LoginManager()

EXPIRED_FORM = "This form has expired. Reload the page and try again."
TAKEN = "An account with this email already exists. Log in instead?"


def create_user(db, email: str, password: str) -> User:
    """Add a user (caller commits); raises ValueError with a message for the person.

    The web form checks the same rules field by field; this is the one place that writes.
    """
    email = normalise_email(email)
    if not EMAIL_RE.match(email):
        raise ValueError("Please enter a valid email address.")
    if len(password) < MIN_PASSWORD:
        raise ValueError(SHORT_PASSWORD)
    if db.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise ValueError(TAKEN)
    user = User(email=email, password_hash=generate_password_hash(password))
    db.add(user)
    return user


def login_user(user: User) -> None:
    """Start a fresh login session for `user` (no remember-me cookie)."""
    session.clear()
    _login_user(user, remember=False)
    session["session_version"] = user.session_version
    session.permanent = True


def end_other_sessions(user: User) -> None:
    """Log out every device of `user` (caller commits); log this one in again to stay in."""
    user.session_version = (user.session_version or 0) + 1


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in account, or None (logged out) when the session's version is stale."""
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or session.get("session_version") != user.session_version:
        return None
    return user


@login_manager.unauthorized_handler
def send_to_login():
    """Anonymous visitors go to the login page, then back where they were going.

    `next` is the path as the browser asked for it (`/share/pending`, not `%2Fshare...`): the
    service worker and the pages match on it.
    """
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _csrf_error(error: CSRFError):
    from webapp.views import api

    if api.is_api_request():
        return api.error_response(400, EXPIRED_FORM)
    error.description = EXPIRED_FORM  # Flask-WTF's own words are about tokens
    return render_template("error.html", error=error, code=400), 400


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config.setdefault("WTF_CSRF_HEADERS", ["X-CSRF-Token", "X-CSRFToken"])
    csrf.init_app(app)
    login_manager.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)


@bp.route("/register", methods=("GET", "POST"))
def register():
    form = RegisterForm()
    error = None
    target = safe_next(request.args.get("next"))  # before anything is written
    if form.validate_on_submit():
        db = get_session()
        try:
            user = create_user(db, form.email.data, form.password.data)
            db.commit()
        except ValueError as exc:
            db.rollback()
            error = str(exc)
        except IntegrityError:
            # Two sign-ups with one address at the same moment: the second loses.
            db.rollback()
            error = TAKEN
        else:
            login_user(user)
            flash("Welcome to Legday! Upload a run to see what it did to your legs.")
            return redirect(target)
    error = error or next(iter(sum(form.errors.values(), [])), None)
    status = 422 if error else 200
    return render_template("auth/register.html", form=form, error=error), status


@bp.route("/login", methods=("GET", "POST"))
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = get_session().scalar(select(User).where(User.email == form.email.data))
        if user is None or not check_password_hash(user.password_hash, form.password.data or ""):
            error = "That email and password do not match an account."
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    status = 422 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=("POST",))
def logout():
    logout_user()
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("home.index"))  # Clear-Site-Data: webapp.views.pwa


__all__ = ["bp", "create_user", "csrf", "current_user", "login_manager", "login_user"]
