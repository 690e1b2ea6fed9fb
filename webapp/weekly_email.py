"""The weekly email: what last week's runs did to each leg muscle, and next week's session.

Building: `build_digest(db, user, week)` gathers the week's numbers into a `WeeklyDigest`
(already formatted in the runner's units); `render(digest)` fills the ONE pair of templates
`templates/email/weekly.{txt,html}` (the settings page preview renders the same);
`build_message()` makes the multipart/alternative message with the RFC 8058 headers.

Sending: `send_weekly()` walks the opted-in users. Each user's EmailSend row (unique on
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

import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import Flask, render_template
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.plan import week_days, week_label
from webapp.mail import MailNotConfigured, smtp_connect
from webapp.models import Activity, EmailSend, User
from webapp.pipeline import WeekView, local_midnight_utc, user_zone, weekly_context
from webapp.units import format_day, format_distance, format_duration, format_elevation

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
UNSUBSCRIBE_SALT = "legday-weekly-unsubscribe"
MAX_ATTEMPTS = 5  # a failing address is retried on the next runs, then left for a person
UNCONFIRMED_AFTER = timedelta(minutes=10)  # a live send never takes this long
HOT, NEGLECTED = 1.3, 0.8  # acute:chronic bounds of the usual "sweet spot" (shown as a trend)
BLOCK_TITLES = {
    "heavy": "Heavy legs",
    "moderate": "Moderate legs",
    "isometric": "Legs: holds only",
    "none": "No leg block",
}

# --- weeks ---------------------------------------------------------------------------------


def parse_week(label: str) -> tuple[int, int]:
    """("2026-W47") -> (2026, 47); ValueError with a readable message otherwise."""
    match = WEEK_RE.match(label or "")
    if not match:
        raise ValueError(f"{label!r} is not a week: write it as YYYY-Www, e.g. 2026-W47.")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {number}.") from None
    return year, number


def week_span(label: str, week_start: int = 0) -> tuple[date, date]:
    """The runner's week called `label`: its first day and the day after its last.

    A runner's week is named after the ISO week of its middle day (engine.plan.week_label),
    so a Monday week is exactly the ISO week and a Sunday week starts the day before.
    """
    year, number = parse_week(label)
    start = week_days(date.fromisocalendar(year, number, 4), week_start)[0]
    return start, start + timedelta(days=7)


def due_week(user: User, now: datetime) -> str | None:
    """The week that just ended, once the runner's send time has come; else None.

    The email goes out on the runner's weekday and hour (their timezone) during the week after
    the one it reports on, and stays due until that week is over (so a clock that was down
    at the hour catches up). Before the hour, nothing is due: the week before has had its turn.
    """
    zone = user_zone(user)
    local = now.astimezone(zone)
    start = week_days(local.date(), user.week_start)[0]
    send_day = start + timedelta(days=(user.email_weekday - user.week_start) % 7)
    if local < datetime.combine(send_day, time(hour=user.email_hour), tzinfo=zone):
        return None
    return week_label(start - timedelta(days=1), user.week_start)


def local_bounds(user: User, week: str) -> tuple[datetime, datetime]:
    """The week as UTC instants, from local midnight to local midnight."""
    start, end = week_span(week, user.week_start)
    zone = user_zone(user)
    return local_midnight_utc(start, zone), local_midnight_utc(end, zone)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- unsubscribe tokens --------------------------------------------------------------------


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(secret_key: str, user_id: int) -> str:
    """A signed token naming the user; it does not expire (old emails keep working)."""
    return _serializer(secret_key).dumps({"u": user_id})


def user_id_from_token(secret_key: str, token: str) -> int | None:
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


# --- the digest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunLine:
    day: str
    name: str
    distance: str
    moving_time: str
    elevation: str


@dataclass(frozen=True)
class MuscleLine:
    """One leg muscle: last week's load against the usual (chronic) weekly load."""

    key: str
    label: str
    load: float
    usual: float
    status: str  # hot | neglected | steady | new
    change: str  # "+35%", "-40%", "new"
    bar_pct: int  # bar widths, relative to the largest number in the table
    usual_pct: int
    note: str = ""  # "some damage: likely sore"


@dataclass(frozen=True)
class ExerciseLine:
    name: str
    dose: str  # "3 × 8", "3 × 30 s"
    load: str
    why: str


@dataclass(frozen=True)
class SessionLine:
    day: str
    title: str
    note: str
    exercises: list[ExerciseLine]
    same_as: str = ""  # "Tuesday": the same exercises as that day's session


@dataclass(frozen=True)
class WeeklyDigest:
    """Everything the templates show, as text in the runner's units."""

    to: str
    week: str
    period: str
    kind: str  # "report" (runs last week) | "nudge" (none)
    run_count: int
    distance: str
    moving_time: str
    elevation: str
    runs: list[RunLine]
    muscles: list[MuscleLine]
    trend: str
    sessions: list[SessionLine]
    plan_note: str
    app_url: str
    settings_url: str
    unsubscribe_url: str
    hot: list[str] = field(default_factory=list)
    neglected: list[str] = field(default_factory=list)

    @property
    def week_number(self) -> int:
        return parse_week(self.week)[1]

    @property
    def subject(self) -> str:
        if self.kind == "nudge":
            what = (
                "is next week's session" if len(self.sessions) <= 1 else "are next week's sessions"
            )
            return f"Week {self.week_number}: no runs logged, here {what}"
        runs = "1 run" if self.run_count == 1 else f"{self.run_count} runs"
        return (
            f"Your legs, week {self.week_number}: {runs}, {self.distance}, "
            f"{self.moving_time}, {self.elevation} up"
        )


def _change(load: float, usual: float) -> tuple[str, str]:
    if usual <= 1e-9:
        return ("new", "new") if load > 0 else ("steady", "0%")
    ratio = load / usual
    status = "hot" if ratio >= HOT else "neglected" if ratio <= NEGLECTED else "steady"
    return status, f"{round((ratio - 1) * 100):+d}%"


def muscle_picture(muscles: list[dict]) -> list[MuscleLine]:
    """weekly_context's per-muscle dicts as table lines, biggest load first.

    "Usual" is the chronic load as a weekly figure (the engine's 42-day average), so the
    change is the week against the runner's own normal: a trend, not a risk score.
    """
    top = max([m["week_load"] for m in muscles] + [m["chronic"] for m in muscles] + [0.0])
    top = top or 1.0
    lines = []
    for m in muscles:
        load, usual = float(m["week_load"]), float(m["chronic"])
        if load <= 0 and usual <= 0:
            continue
        status, change = _change(load, usual)
        lines.append(
            MuscleLine(
                key=m["key"],
                label=m["label"],
                load=load,
                usual=usual,
                status=status,
                change=change,
                bar_pct=round(100 * load / top),
                usual_pct=round(100 * usual / top),
                note=m.get("damage_words") or "",
            )
        )
    return sorted(lines, key=lambda line: (-line.load, line.key))


def _trend(lines: list[MuscleLine]) -> str:
    load, usual = sum(m.load for m in lines), sum(m.usual for m in lines)
    if usual <= 1e-9:
        return "This is your first week on record, so there is no trend yet."
    pct = round((load / usual - 1) * 100)
    if abs(pct) < 5:
        return "Your legs did about as much as in your usual week (the six-week average)."
    word = "more" if pct > 0 else "less"
    return f"Your legs did {abs(pct)}% {word} than in your usual week (the six-week average)."


def _period(start: date, last: date) -> str:
    if start.month == last.month:
        return f"{start.day}–{last.day} {last:%B %Y}"
    return f"{start.day} {start:%B} – {last.day} {last:%B %Y}"


def _dose(exercise: dict) -> str:
    if exercise.get("seconds"):
        return f"{exercise['sets']} × {exercise['seconds']} s"
    return f"{exercise['sets']} × {exercise.get('reps', '')}"


def sessions_of(view: WeekView) -> list[SessionLine]:
    """The week's strength sessions from its plan (with the runner's swaps).

    A session that repeats an earlier one says so instead of listing it all again.
    """
    lines: list[SessionLine] = []
    for s in view.plan.get("sessions", []):
        day = date.fromisoformat(s["day"])
        exercises = [
            ExerciseLine(e["name"], _dose(e), e.get("load") or "", e.get("why") or "")
            for e in s["exercises"]
        ]
        title = BLOCK_TITLES.get(s["leg_block"], s["leg_block"])
        twin = next((x for x in lines if x.exercises == exercises and x.title == title), None)
        lines.append(
            SessionLine(
                day=f"{day:%A} {day.day} {day:%B}",
                title=title,
                note=s.get("note") or "",
                exercises=exercises,
                same_as=twin.day.split()[0] if twin else "",
            )
        )
    return lines


def has_uploaded(db: Session, user_id: int) -> bool:
    return bool(db.scalar(select(exists().where(Activity.user_id == user_id))))


def build_digest(
    db: Session,
    user: User,
    week: str,
    base_url: str,
    secret_key: str,
    now: datetime | None = None,
) -> WeeklyDigest | None:
    """The email's content for `user` and `week`; None for a runner who never uploaded.

    The week's runs, totals and muscles come from webapp.pipeline.weekly_context (the same
    numbers as the week page); the sessions from the plan of the week after it.
    """
    if not has_uploaded(db, user.id):
        return None
    view = weekly_context(db, user, week, now=now)
    following = weekly_context(db, user, view.start + timedelta(days=7), now=now)
    units = user.units or "km"
    totals = view.totals
    muscles = muscle_picture(view.muscles) if view.runs else []
    base = base_url.rstrip("/")
    return WeeklyDigest(
        to=user.email,
        week=view.week,
        period=_period(view.start, view.end),
        kind="report" if view.runs else "nudge",
        run_count=len(view.runs),
        distance=format_distance(totals["distance_m"], units, 1),
        moving_time=format_duration(totals["moving_time_s"]),
        elevation=format_elevation(totals["elevation_gain_m"], units),
        runs=[
            RunLine(
                day=format_day(run.local_day),
                name=run.name or "Run",
                distance=format_distance(run.distance_m, units, 1),
                moving_time=format_duration(run.moving_time_s),
                elevation=format_elevation(run.elevation_gain_m or 0, units),
            )
            for run in view.runs
        ],
        muscles=muscles,
        hot=[line.label for line in muscles if line.status == "hot"],
        neglected=[line.label for line in muscles if line.status == "neglected"],
        trend=_trend(muscles),
        sessions=sessions_of(following),
        plan_note=" ".join(following.plan.get("notes", [])),
        app_url=f"{base}/week",
        settings_url=f"{base}/settings",
        unsubscribe_url=f"{base}/unsubscribe/{unsubscribe_token(secret_key, user.id)}",
    )


def render(digest: WeeklyDigest) -> tuple[str, str]:
    """(text, html) from templates/email/weekly.{txt,html}; needs an app context."""
    return (
        render_template("email/weekly.txt", d=digest),
        render_template("email/weekly.html", d=digest),
    )


def message_id(week: str, user_id: int, mail_from: str) -> str:
    """The same Message-ID whenever this user's email for this week is (re)sent."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "legday.invalid"
    return f"<weekly.{week}.{user_id}@{domain}>"


def build_message(
    digest: WeeklyDigest, mail_from: str, msg_id: str, now: datetime | None = None
) -> EmailMessage:
    """multipart/alternative (text, then HTML) with the one-click unsubscribe headers."""
    text, html = render(digest)
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = digest.to
    message["Subject"] = digest.subject
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = msg_id
    message["List-Unsubscribe"] = f"<{digest.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


# --- sending -----------------------------------------------------------------------------------


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
