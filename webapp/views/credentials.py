"""The login parts of Settings: log out other devices, change the password, change the email.

Each one that touches the login bumps `users.session_version` (webapp.auth.end_other_sessions)
and logs this device in again, so a copied session cookie dies and this device stays in.
A new email is confirmed by a signed link sent to the new address (through webapp.mail, the
app's SMTP_URL) that expires after EMAIL_CHANGE_MAX_AGE seconds (default a day); the address
changes only when the link is opened and confirmed, and the old address is told. The link is
signed with the account's current email and password hash, so it works once, and a password
change kills it. The rate limits are in webapp.ratelimit's LIMITS.
"""

from __future__ import annotations

from email.message import EmailMessage

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp import mail
from webapp.auth import end_other_sessions, login_user
from webapp.bounds import MAX_ID
from webapp.db import get_session
from webapp.forms import ButtonForm, ChangeEmailForm, ChangePasswordForm
from webapp.models import User

bp = Blueprint("credentials", __name__, url_prefix="/settings")

EMAIL_CHANGE_MAX_AGE_S = 24 * 3600
WRONG_PASSWORD = "That is not your current password; nothing was changed."
SEND_FAILED = "The email could not be sent just now; nothing was changed. Please try again later."


def _first_error(form) -> str | None:
    return next((messages[0] for messages in form.errors.values()), None)


def _password_ok(form) -> bool:
    return check_password_hash(current_user.password_hash, form.current.data or "")


def _stay_logged_in(message: str):
    """Bump the session version (every other device is out), log this one in again."""
    user = current_user._get_current_object()
    end_other_sessions(user)
    get_session().commit()
    login_user(user)
    flash(message)
    return redirect(url_for("settings.index") + "#account")


@bp.post("/sessions/end-others")
@login_required
def end_others():
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("settings.index"))
    return _stay_logged_in("Every other device is logged out. This one stays logged in.")


@bp.route("/password", methods=("GET", "POST"))
@login_required
def change_password():
    form = ChangePasswordForm()
    error = None
    if form.validate_on_submit():
        if _password_ok(form):
            current_user.password_hash = generate_password_hash(form.password.data)
            return _stay_logged_in(
                "Your password is changed. Every other device is logged out; this one stays in."
            )
        error = WRONG_PASSWORD
    error = error or _first_error(form)
    page = render_template("settings/password.html", form=form, error=error)
    return page, 422 if error else 200


# --- change of email ----------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"])


def _salt(user: User) -> str:
    # The address and the password hash of the moment: a used link (the address changed) or
    # a password change kills it.
    return f"email-change:{user.email}:{user.password_hash}"


def make_email_token(user: User, new_email: str) -> str:
    return _serializer().dumps({"user": user.id, "email": new_email}, salt=_salt(user))


class InvalidEmailLink(ValueError):
    """A link that is forged, expired or used; the message is for the person."""


def read_email_token(token: str) -> tuple[User, str]:
    """(account, new address) of a valid link; InvalidEmailLink otherwise."""
    serializer = _serializer()
    _, payload = serializer.loads_unsafe(token)
    user_id = payload.get("user") if isinstance(payload, dict) else None
    # The payload is not yet verified: only an id in range reaches the database.
    in_range = isinstance(user_id, int) and 0 < user_id <= MAX_ID
    user = get_session().get(User, user_id) if in_range else None
    max_age = current_app.config.get("EMAIL_CHANGE_MAX_AGE", EMAIL_CHANGE_MAX_AGE_S)
    try:
        if user is None:
            raise BadSignature("unknown account")
        data = serializer.loads(token, salt=_salt(user), max_age=max_age)
    except SignatureExpired:
        raise InvalidEmailLink(
            "This link has expired. Ask for a new one in Settings → Change email."
        ) from None
    except BadSignature:
        raise InvalidEmailLink(
            "This link is not valid or has already been used. Nothing was changed."
        ) from None
    return user, data["email"]


def _message(to: str, subject: str, template: str, **context) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(render_template(template, **context))
    return msg


def _email_taken(email: str, user: User) -> bool:
    found = get_session().scalar(select(User.id).where(func.lower(User.email) == email))
    return found is not None and found != user.id


@bp.route("/email", methods=("GET", "POST"))
@login_required
def change_email():
    """Ask for a new address: a confirmation link goes to it; nothing changes yet."""
    form = ChangeEmailForm()
    error = None
    if form.validate_on_submit():
        new_email = form.email.data
        if not _password_ok(form):
            error = WRONG_PASSWORD
        elif new_email == current_user.email:
            error = "That is already your email."
        elif _email_taken(new_email, current_user):
            error = "Another account uses that email."
        else:
            path = url_for(".confirm_email", token=make_email_token(current_user, new_email))
            link = current_app.config["BASE_URL"].rstrip("/") + path
            hours = current_app.config.get("EMAIL_CHANGE_MAX_AGE", EMAIL_CHANGE_MAX_AGE_S) // 3600
            message = _message(
                new_email,
                "Confirm your new Legday email",
                "settings/email_confirm.txt",
                link=link,
                hours=hours,
                old=current_user.email,
            )
            try:
                mail.send(current_app.config["SMTP_URL"], message)
            except (OSError, mail.MailNotConfigured) as exc:
                current_app.logger.error("email change link for user %s: %s", current_user.id, exc)
                error = SEND_FAILED
            else:
                return render_template("settings/email_sent.html", email=new_email)
    error = error or _first_error(form)
    page = render_template("settings/email.html", form=form, error=error)
    return page, 422 if error else 200


@bp.route("/email/confirm/<token>", methods=("GET", "POST"))
def confirm_email(token: str):
    """The link from the email: one button confirms the new address (a link scanner's GET
    changes nothing); the old address is told."""
    try:
        user, new_email = read_email_token(token)
    except InvalidEmailLink as exc:
        return render_template("settings/email_confirm.html", error=str(exc)), 400
    form = ButtonForm()
    if not form.validate_on_submit():
        return render_template("settings/email_confirm.html", email=new_email, form=form)
    if _email_taken(new_email, user):
        error = "Another account took that email meanwhile; nothing was changed."
        return render_template("settings/email_confirm.html", error=error), 409
    old_email, user.email = user.email, new_email
    try:
        get_session().commit()
    except IntegrityError:
        get_session().rollback()
        error = "Another account took that email meanwhile; nothing was changed."
        return render_template("settings/email_confirm.html", error=error), 409
    notice = _message(
        old_email,
        "Your Legday email was changed",
        "settings/email_changed.txt",
        new=new_email,
        base_url=current_app.config["BASE_URL"].rstrip("/"),
    )
    try:
        mail.send(current_app.config["SMTP_URL"], notice)
    except (OSError, mail.MailNotConfigured) as exc:
        current_app.logger.error("email change notice for user %s: %s", user.id, exc)
    flash(f"Your email is now {new_email}. Log in with it from now on.")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("settings.index") + "#account")
    return redirect(url_for("auth.login"))
