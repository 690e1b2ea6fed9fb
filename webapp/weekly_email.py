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
3. talk to the SMTP server; then COMMIT "sent" (or "failed", attempts kept, retried next run).

A crash inside step 3 (after the claim, before "sent" is committed) leaves a "sending" row
whose delivery is unknown: the server may have accepted the message. Runs never resend those
automatically: for a weekly digest a rare missed email is better than a duplicate, and the
window is one SMTP conversation long. The command lists such rows with their Message-ID (to
look up in the mail log); `--resend-unconfirmed` sends them again with the same Message-ID,
which many mailbox providers use to drop the duplicate.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, render_template
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.muscles import LABELS, LEG_MUSCLES
from webapp.mail import MailNotConfigured, smtp_connect
from webapp.models import Activity, EmailSend, User

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
UNSUBSCRIBE_SALT = "legday-weekly-unsubscribe"
MAX_ATTEMPTS = 5  # a failing address is retried on the next runs, then left for a person
UNCONFIRMED_AFTER = timedelta(minutes=10)  # a live send never takes this long
HOT, NEGLECTED = 1.3, 0.8  # acute:chronic bounds of the usual "sweet spot" (shown as a trend)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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

    A runner's week is named after the ISO week that holds most of its days (its 4th day),
    so a Monday week is exactly the ISO week and a Sunday week starts the day before.
    """
    year, number = parse_week(label)
    earliest = date.fromisocalendar(year, number, 1) - timedelta(days=3)
    start = earliest + timedelta(days=(week_start - earliest.weekday()) % 7)
    return start, start + timedelta(days=7)


def week_label(day: date, week_start: int = 0) -> str:
    """The name of the runner's week that contains `day`."""
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    year, number, _ = (start + timedelta(days=3)).isocalendar()
    return f"{year}-W{number:02d}"


def user_zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def due_week(user: User, now: datetime) -> str | None:
    """The week that just ended, once the runner's send time has come; else None.

    The email goes out on the runner's weekday and hour (their timezone) during the week after
    the one it reports on, and stays due until that week is over (so a clock that was down
    at the hour catches up). Before the hour, nothing is due: the week before has had its turn.
    """
    zone = user_zone(user)
    local = now.astimezone(zone)
    start = week_span(week_label(local.date(), user.week_start), user.week_start)[0]
    send_day = start + timedelta(days=(user.email_weekday - user.week_start) % 7)
    if local < datetime.combine(send_day, time(hour=user.email_hour), tzinfo=zone):
        return None
    return week_label(start - timedelta(days=1), user.week_start)


def local_bounds(user: User, week: str) -> tuple[datetime, datetime]:
    """The week as UTC instants, from local midnight to local midnight."""
    zone = user_zone(user)
    start, end = week_span(week, user.week_start)
    return tuple(  # type: ignore[return-value]
        datetime.combine(day, time(), tzinfo=zone).astimezone(UTC) for day in (start, end)
    )


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
    exercises: list[ExerciseLine]


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
            return f"Week {self.week_number}: no runs logged, here is next week's strength session"
        runs = "1 run" if self.run_count == 1 else f"{self.run_count} runs"
        return (
            f"Your legs, week {self.week_number}: {runs}, {self.distance}, "
            f"{self.moving_time}, {self.elevation} up"
        )


# Number formatting in the runner's units. TODO(merge webapp): use webapp.units instead.
_MILE = 1609.344
_FOOT = 0.3048


def _duration(seconds: float) -> str:
    total = int(round(seconds or 0))
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _distance(metres: float, units: str) -> str:
    if units == "mi":
        return f"{(metres or 0) / _MILE:.1f} mi"
    return f"{(metres or 0) / 1000:.1f} km"


def _elevation(metres: float | None, units: str) -> str:
    if units == "mi":
        return f"{(metres or 0) / _FOOT:,.0f} ft"
    return f"{metres or 0:,.0f} m"


def _muscle_loads(stimulus: dict | None) -> dict[str, float]:
    """Per-muscle total load from a stored stimulus ({"muscles": {...}} or the bare dict)."""
    muscles = (stimulus or {}).get("muscles", stimulus or {})
    loads = {}
    for key in LEG_MUSCLES:
        value = muscles.get(key) if isinstance(muscles, dict) else None
        if isinstance(value, dict):
            loads[key] = float(value.get("total") or 0.0)
        elif isinstance(value, list | tuple) and value:
            loads[key] = float(value[0] or 0.0)
        elif isinstance(value, int | float):
            loads[key] = float(value)
    return loads


def _change(load: float, usual: float) -> tuple[str, str]:
    if usual <= 0:
        return ("new", "new") if load > 0 else ("steady", "0%")
    ratio = load / usual
    status = "hot" if ratio >= HOT else "neglected" if ratio <= NEGLECTED else "steady"
    return status, f"{round((ratio - 1) * 100):+d}%"


def muscle_picture(week_loads: dict[str, float], usual: dict[str, float]) -> list[MuscleLine]:
    """The leg muscles, biggest load first, with bar widths for the HTML table."""
    top = max([*week_loads.values(), *usual.values(), 0.0]) or 1.0
    lines = []
    for key in LEG_MUSCLES:
        load, avg = week_loads.get(key, 0.0), usual.get(key, 0.0)
        status, change = _change(load, avg)
        lines.append(
            MuscleLine(
                key=key,
                label=LABELS[key],
                load=load,
                usual=avg,
                status=status,
                change=change,
                bar_pct=round(100 * load / top),
                usual_pct=round(100 * avg / top),
            )
        )
    return sorted(lines, key=lambda line: (-line.load, line.key))


def _trend(week_total: float, usual_total: float) -> str:
    if usual_total <= 0:
        return "This is your first week on record, so there is no trend yet."
    pct = round((week_total / usual_total - 1) * 100)
    if abs(pct) < 5:
        return "Your legs did about as much as in an average week of the last six."
    word = "more" if pct > 0 else "less"
    return f"Your legs did {abs(pct)}% {word} than in an average week of the last six."


def _day(moment: date) -> str:
    return f"{WEEKDAYS[moment.weekday()][:3]} {moment.day} {moment:%b}"


def _period(start: date, end: date) -> str:
    last = end - timedelta(days=1)
    if start.month == last.month:
        return f"{start.day}–{last.day} {last:%B %Y}"
    return f"{start.day} {start:%B} – {last.day} {last:%B %Y}"


def has_uploaded(db: Session, user_id: int) -> bool:
    return bool(db.scalar(select(exists().where(Activity.user_id == user_id))))


def build_digest(
    db: Session, user: User, week: str, base_url: str, secret_key: str
) -> WeeklyDigest | None:
    """The email's content for `user` and `week`; None for a runner who never uploaded."""
    if not has_uploaded(db, user.id):
        return None
    zone = user_zone(user)
    start, end = local_bounds(user, week)
    history_start = start - timedelta(days=42)
    rows = db.scalars(
        select(Activity)
        .where(
            Activity.user_id == user.id,
            Activity.is_run.is_(True),
            Activity.start_time >= history_start,
            Activity.start_time < end,
        )
        .order_by(Activity.start_time)
    ).all()
    week_rows = [row for row in rows if as_utc(row.start_time) >= start]
    week_loads: dict[str, float] = {}
    usual: dict[str, float] = {}
    for row in rows:
        target = week_loads if as_utc(row.start_time) >= start else usual
        for key, value in _muscle_loads(row.stimulus).items():
            target[key] = target.get(key, 0.0) + value
    usual = {key: value / 6 for key, value in usual.items()}
    muscles = muscle_picture(week_loads, usual)
    units = user.units or "km"
    runs = [
        RunLine(
            day=_day(as_utc(row.start_time).astimezone(zone).date()),
            name=row.name or "Run",
            distance=_distance(row.distance_m, units),
            moving_time=_duration(row.moving_time_s),
            elevation=_elevation(row.elevation_gain_m, units),
        )
        for row in week_rows
    ]
    base = base_url.rstrip("/")
    first, after = week_span(week, user.week_start)
    return WeeklyDigest(
        to=user.email,
        week=week,
        period=_period(first, after),
        kind="report" if week_rows else "nudge",
        run_count=len(week_rows),
        distance=_distance(sum(row.distance_m or 0 for row in week_rows), units),
        moving_time=_duration(sum(row.moving_time_s or 0 for row in week_rows)),
        elevation=_elevation(sum(row.elevation_gain_m or 0 for row in week_rows), units),
        runs=runs,
        muscles=[m for m in muscles if m.load or m.usual] if week_rows else [],
        hot=[line.label for line in muscles if line.status == "hot"],
        neglected=[line.label for line in muscles if line.status == "neglected"],
        trend=_trend(sum(week_loads.values()), sum(usual.values())),
        sessions=[],
        plan_note="",
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


def _claim(db: Session, user_id: int, week: str, msg_id: str, now: datetime, resend: bool) -> bool:
    """Take this user's week for this run (committed); False when another run has it."""
    row = db.scalar(select(EmailSend).where(EmailSend.user_id == user_id, EmailSend.week == week))
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
    claimable = row.status == "failed" and row.attempts < MAX_ATTEMPTS
    stale = row.claimed_at is not None and as_utc(row.claimed_at) < now - UNCONFIRMED_AFTER
    if resend and row.status == "sending" and stale:
        claimable = True
    if not claimable:
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
            done = db.scalar(
                select(func.count())
                .select_from(EmailSend)
                .where(
                    EmailSend.user_id == user.id,
                    EmailSend.week == target,
                    EmailSend.status == "sent",
                )
            )
            if done:
                report.skipped += 1
                continue
            msg_id = message_id(target, user.id, mail_from)
            try:
                digest = build_digest(db, user, target, base_url, app.config["SECRET_KEY"])
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
