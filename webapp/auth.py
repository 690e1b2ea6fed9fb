"""Accounts: register, log in, log out, and `login_required` for everything that is not public."""

from __future__ import annotations

import functools
import re

from flask import (
    Blueprint,
    Flask,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.db import get_session
from webapp.models import User
from webapp.redirects import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(db, email: str, password: str) -> User:
    """Add a user (caller commits); raises ValueError with a message for the person."""
    email = normalise_email(email)
    if not EMAIL_RE.match(email):
        raise ValueError("Please enter a valid email address.")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Please choose a password of at least {MIN_PASSWORD} characters.")
    if db.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise ValueError("An account with this email already exists. Log in instead?")
    user = User(email=email, password_hash=generate_password_hash(password))
    db.add(user)
    return user


def login_user(user: User) -> None:
    session.clear()
    session["user_id"] = user.id
    session.permanent = True


def login_required(view):
    """Send anonymous visitors to the login page, then back where they were going."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def init_app(app: Flask) -> None:
    @app.before_request
    def load_logged_in_user():
        user_id = session.get("user_id")
        g.user = get_session().get(User, user_id) if user_id is not None else None


@bp.route("/register", methods=("GET", "POST"))
def register():
    error = None
    target = safe_next(request.args.get("next"))  # before anything is written
    if request.method == "POST":
        db = get_session()
        try:
            user = create_user(db, request.form.get("email", ""), request.form.get("password", ""))
            db.commit()
        except ValueError as exc:
            db.rollback()
            error = str(exc)
        except IntegrityError:
            # Two sign-ups with one address at the same moment: the second loses.
            db.rollback()
            error = "An account with this email already exists. Log in instead?"
        else:
            login_user(user)
            flash("Welcome to Legday! Upload a run to see what it did to your legs.")
            return redirect(target)
    status = 422 if error else 200
    return render_template("auth/register.html", error=error), status


@bp.route("/login", methods=("GET", "POST"))
def login():
    error = None
    if request.method == "POST":
        db = get_session()
        email = normalise_email(request.form.get("email", ""))
        user = db.scalar(select(User).where(User.email == email))
        if user is None or not check_password_hash(
            user.password_hash, request.form.get("password", "")
        ):
            error = "That email and password do not match an account."
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
    status = 422 if error else 200
    return render_template("auth/login.html", error=error), status


@bp.route("/logout", methods=("POST",))
def logout():
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("home.index"))
