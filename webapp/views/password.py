"""Password reset by email: a signed link that expires and works once.

The link's signature is salted with the account's current password hash, so setting a new
password (through the link or otherwise) kills every link sent before.
"""

from __future__ import annotations

from email.message import EmailMessage

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from webapp import mail
from webapp.auth import end_other_sessions, login_user
from webapp.bounds import MAX_ID
from webapp.db import get_session
from webapp.forms import ForgotPasswordForm, ResetPasswordForm
from webapp.models import User

bp = Blueprint("password", __name__, url_prefix="/password")

MAX_AGE_S = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"])


def _salt(user: User) -> str:
    return "password-reset:" + user.password_hash


def make_reset_token(user: User) -> str:
    return _serializer().dumps(user.id, salt=_salt(user))


class InvalidResetLink(ValueError):
    """A reset link that is forged, expired or already used; the message is for the person."""


def user_for_reset_token(token: str) -> User:
    """The account a reset link is for; InvalidResetLink when it is not (or no longer) valid."""
    serializer = _serializer()
    # The payload names the account whose hash salts the signature; it is trusted only
    # after the signature checks out against that hash.
    _, user_id = serializer.loads_unsafe(token)
    in_range = isinstance(user_id, int) and 0 < user_id <= MAX_ID  # not verified yet
    user = get_session().get(User, user_id) if in_range else None
    max_age = current_app.config.get("PASSWORD_RESET_MAX_AGE", MAX_AGE_S)
    try:
        if user is None:
            raise BadSignature("unknown account")
        serializer.loads(token, salt=_salt(user), max_age=max_age)
    except SignatureExpired:
        raise InvalidResetLink("This reset link has expired. Ask for a new one below.") from None
    except BadSignature:
        raise InvalidResetLink(
            "This reset link is not valid or has already been used. Ask for a new one below."
        ) from None
    return user


def reset_message(user: User, link: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = user.email
    msg["Subject"] = "Reset your Legday password"
    minutes = current_app.config.get("PASSWORD_RESET_MAX_AGE", MAX_AGE_S) // 60
    msg.set_content(render_template("password/email.txt", link=link, minutes=minutes))
    return msg


@bp.route("/forgot", methods=("GET", "POST"))
def forgot():
    """Ask for a reset link; the answer is the same whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = form.email.data
        user = get_session().scalar(select(User).where(User.email == email)) if email else None
        if user is not None:
            # An absolute link from BASE_URL, never from the request's Host header.
            path = url_for("password.reset", token=make_reset_token(user))
            link = current_app.config["BASE_URL"].rstrip("/") + path
            try:
                mail.send(current_app.config["SMTP_URL"], reset_message(user, link))
            except (OSError, mail.MailNotConfigured) as exc:
                # Saying so would tell a stranger that the address has an account.
                current_app.logger.error("password reset email to user %s failed: %s", user.id, exc)
        return render_template("password/sent.html", email=email)
    return render_template("password/forgot.html")


@bp.route("/reset/<token>", methods=("GET", "POST"))
def reset(token: str):
    """The link from the email: choose a new password."""
    try:
        user = user_for_reset_token(token)
    except InvalidResetLink as exc:
        return render_template("password/forgot.html", error=str(exc)), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user.password_hash = generate_password_hash(form.password.data)
        end_other_sessions(user)  # a stolen session cookie dies with the old password
        get_session().commit()
        login_user(user)
        flash("Your password is changed and you are logged in.")
        return redirect(url_for("home.index"))
    # One message at a time, the first wrong field's (as the page always showed it).
    error = next((messages[0] for messages in form.errors.values()), None)
    return render_template("password/reset.html", form=form, error=error), 422 if error else 200
