"""Sending the weekly emails: each due runner once, claimed in the database, over SMTP.

In: the app (SMTP_URL, MAIL_FROM, BASE_URL, SECRET_KEY), a database session, optionally a
week. Out: a SendReport (sent, failed, would send, unconfirmed, skipped). Raises
MailNotConfigured or SmtpUnavailable (see `send_weekly`).

`send_weekly()` walks the opted-in users. Each user's EmailSend row (unique on
user_id + week) is the claim and the record, committed on its own:

1. build the message (no row yet: a crash here leaves nothing behind, the next run builds again);
2. claim: INSERT status "sending" (or flip a "failed" row to "sending" with a conditional
   UPDATE) and COMMIT. The unique constraint / the conditional UPDATE means only one of two
   concurrent runs (the clock and a manual `legday send-weekly`) wins; the loser skips the user;
3. talk to the SMTP server; then COMMIT "sent", or "failed" with the error (retried by the
   next runs, up to MAX_ATTEMPTS in all; a failing address never stops the others).

A crash inside step 3 (after the claim, before "sent" is committed) leaves a "sending" row
whose delivery is unknown: the server may have accepted the message. Runs never resend those
automatically: for a weekly digest a rare missed email is better than a duplicate, and the
window is one SMTP conversation long. The command lists such rows with their Message-ID (to
look up in the mail log); `--resend-unconfirmed` sends them again with the same Message-ID,
so that a copy that did arrive can be recognised as the same message.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from flask import Flask
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.mail import MailNotConfigured, smtp_connect
from webapp.models import EmailSend, User
from webapp.weekly.digest import build_digest
from webapp.weekly.render import build_message, message_id
from webapp.weekly.schedule import due_week, parse_week

MAX_ATTEMPTS = 5  # a failing address is retried on the next runs, then left for a person
UNCONFIRMED_AFTER = timedelta(minutes=10)  # a live send never takes this long


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class SendReport:
    """What a run did, for the command's output (addresses are the runners')."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    would_send: list[tuple[str, str]] = field(default_factory=list)
    unconfirmed: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def _open_to_send(row: EmailSend | None, now: datetime, resend: bool) -> bool:
    """May this run send the week that `row` records? (Re-checked atomically by _claim.)"""
    if row is None:
        return True
    if row.status == "failed":
        return row.attempts < MAX_ATTEMPTS
    if row.status == "sending" and resend:
        return row.claimed_at is None or as_utc(row.claimed_at) < now - UNCONFIRMED_AFTER
    return False  # sent, or being sent by a live run, or unconfirmed


def _record(db: Session, user_id: int, week: str) -> EmailSend | None:
    return db.scalar(select(EmailSend).where(EmailSend.user_id == user_id, EmailSend.week == week))


def _claim(db: Session, user_id: int, week: str, msg_id: str, now: datetime, resend: bool) -> bool:
    """Take this user's week for this run (committed); False when another run has it."""
    row = _record(db, user_id, week)
    if row is None:
        try:
            db.execute(
                insert(EmailSend).values(
                    user_id=user_id,
                    week=week,
                    status="sending",
                    attempts=1,
                    claimed_at=now,
                    message_id=msg_id,
                )
            )
            db.commit()
            return True
        except IntegrityError:  # another run inserted it first
            db.rollback()
            return False
    if not _open_to_send(row, now, resend):
        return False
    # Conditional on what we read: of two runs racing for the same row, one updates it.
    result = db.execute(
        update(EmailSend)
        .where(
            EmailSend.id == row.id,
            EmailSend.status == row.status,
            EmailSend.attempts == row.attempts,
        )
        .values(status="sending", attempts=row.attempts + 1, claimed_at=now, message_id=msg_id)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return result.rowcount == 1


def _finish(db: Session, user_id: int, week: str, error: str | None, now: datetime) -> None:
    values = (
        {"status": "sent", "sent_at": now, "last_error": None}
        if error is None
        else {"status": "failed", "last_error": error[:1000]}
    )
    db.execute(
        update(EmailSend)
        .where(EmailSend.user_id == user_id, EmailSend.week == week)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.commit()


def unconfirmed_sends(db: Session, now: datetime) -> list[tuple[str, str, str]]:
    """(email, week, Message-ID) of claims left in "sending" by a run that stopped."""
    rows = db.execute(
        select(User.email, EmailSend.week, EmailSend.message_id, EmailSend.claimed_at)
        .join(User, User.id == EmailSend.user_id)
        .where(EmailSend.status == "sending")
        .order_by(EmailSend.week, User.email)
    ).all()
    return [
        (email, week, msg_id or "")
        for email, week, msg_id, claimed in rows
        if claimed is None or as_utc(claimed) < now - UNCONFIRMED_AFTER
    ]


class SmtpUnavailable(RuntimeError):
    """The SMTP server could not be reached or refused the login: the run stops."""


class _Connection:
    """One SMTP connection for the run, opened on first use and reopened after a drop."""

    def __init__(self, url: str):
        self.url, self.conn = url, None

    def open(self) -> None:
        """Connect (before anything is claimed, so an unreachable server costs no attempt)."""
        if self.conn is None:
            try:
                self.conn = smtp_connect(self.url)
            except (smtplib.SMTPException, OSError) as exc:
                raise SmtpUnavailable(f"Could not connect to the SMTP server: {exc}") from exc

    def send(self, message: EmailMessage) -> None:
        try:
            self.conn.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None


def send_weekly(
    app: Flask,
    db: Session,
    week: str | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
    resend_unconfirmed: bool = False,
    log: Callable[[str], None] = lambda line: None,
) -> SendReport:
    """Send every due weekly email once; see the module docstring for the claim protocol.

    Without `week`, each opted-in runner's due week (their weekday and hour, their timezone);
    with it, that week for everyone opted in. Raises MailNotConfigured (before touching
    anything) when SMTP_URL is missing and this is not a dry run, SmtpUnavailable when the
    server cannot be reached (nothing is claimed for the runner it was about to send to).
    """
    if week is not None:
        parse_week(week)
    smtp_url = app.config.get("SMTP_URL")
    if not smtp_url and not dry_run:
        raise MailNotConfigured(
            "SMTP_URL is not set, so no email was sent. Set it to smtp://user:pass@host:587 "
            "(STARTTLS) or smtps://user:pass@host:465 (implicit TLS)."
        )
    now = now or datetime.now(UTC)
    mail_from, base_url = app.config["MAIL_FROM"], app.config["BASE_URL"]
    report = SendReport()
    query = select(User).where(User.weekly_email.is_(True)).order_by(User.id)
    connection = _Connection(smtp_url) if smtp_url else None
    try:
        for user in db.scalars(query).all():
            target = week or due_week(user, now)
            if target is None:
                continue  # their hour has not come yet this week
            if not _open_to_send(_record(db, user.id, target), now, resend_unconfirmed):
                report.skipped += 1  # sent already, or left for a person (see the docstring)
                continue
            msg_id = message_id(target, user.id, mail_from)
            try:
                digest = build_digest(db, user, target, base_url, app.config["SECRET_KEY"], now)
                message = digest and build_message(digest, mail_from, msg_id, now)
            except Exception as exc:  # one runner's bad data must not stop the others
                db.rollback()
                app.logger.exception("weekly email for user %s, %s", user.id, target)
                report.failed.append((user.email, f"could not build the email: {exc}"))
                continue
            db.commit()  # end the read transaction before claiming
            if digest is None:
                continue  # never uploaded: nothing to say
            if dry_run:
                report.would_send.append((user.email, digest.subject))
                log(f"would send to {user.email} ({target}, {digest.kind}): {digest.subject}")
                continue
            connection.open()
            if not _claim(db, user.id, target, msg_id, now, resend_unconfirmed):
                report.skipped += 1
                continue
            try:
                connection.send(message)
            except (smtplib.SMTPException, OSError) as exc:
                _finish(db, user.id, target, f"{type(exc).__name__}: {exc}", now)
                report.failed.append((user.email, str(exc)))
                log(f"FAILED {user.email} ({target}): {exc} (retried on the next run)")
                continue
            _finish(db, user.id, target, None, now)
            report.sent.append(user.email)
            log(f"sent to {user.email} ({target}, {digest.kind})")
    finally:
        if connection is not None:
            connection.close()
    report.unconfirmed = unconfirmed_sends(db, now)
    return report
