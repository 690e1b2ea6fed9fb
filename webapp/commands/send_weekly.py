"""`legday send-weekly [--week YYYY-Www] [--dry-run]`: send the weekly emails that are due.

Exit status: 0 when every due email went out (or none was due); 1 when SMTP_URL is not set
(nothing is sent: a deployment without mail should notice), when the SMTP server cannot be
reached, or when some addresses failed (they are retried on the next run); 2 for a bad --week.
Safe to run at any time and alongside `legday clock`: see webapp/weekly/send.py.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp.db import new_session
from webapp.mail import MailNotConfigured
from webapp.weekly.schedule import parse_week, week_span
from webapp.weekly.send import SendReport, SmtpUnavailable, send_weekly


def run(week: str | None, dry_run: bool, resend_unconfirmed: bool = False) -> SendReport:
    """One pass over the users; raises MailNotConfigured / SmtpUnavailable."""
    app = current_app._get_current_object()
    db = new_session(app)
    try:
        return send_weekly(
            app,
            db,
            week=week,
            dry_run=dry_run,
            resend_unconfirmed=resend_unconfirmed,
            log=click.echo,
        )
    finally:
        db.close()


def summary(report: SendReport, dry_run: bool) -> str:
    if dry_run:
        return f"Dry run: {len(report.would_send)} email(s) would be sent; nothing was sent."
    line = (
        f"Sent {len(report.sent)}, failed {len(report.failed)}, "
        f"skipped {report.skipped} (sent before, or held by another run)."
    )
    for email, week, msg_id in report.unconfirmed:
        line += (
            f"\nUnconfirmed: {email} {week} {msg_id}: a run stopped while talking to the SMTP"
            " server, so it may have arrived. Not resent; check the mail log, then use"
            f" --week {week} --resend-unconfirmed to send it again."
        )
    return line


def _check_week(_ctx, _param, value: str | None) -> str | None:
    if value is not None:
        try:
            parse_week(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        if week_span(value)[0] > datetime.now(UTC).date():
            raise click.BadParameter(f"{value} has not started yet: there is nothing to report.")
    return value


@click.command("send-weekly")
@click.option("--week", callback=_check_week, help="Send this week (YYYY-Www) to everyone.")
@click.option("--dry-run", is_flag=True, help="Show who would get what; send nothing.")
@click.option(
    "--resend-unconfirmed",
    is_flag=True,
    help="Also resend emails whose delivery is unknown after a crash (same Message-ID).",
)
@with_appcontext
def send_weekly_command(week: str | None, dry_run: bool, resend_unconfirmed: bool) -> None:
    """Send the weekly email to every runner whose send time has passed.

    Without --week, each runner gets the week that just ended once their chosen weekday and
    hour (their timezone) has come. Each runner gets each week at most once.
    """
    if not current_app.config["BASE_URL"].startswith("https://"):
        click.echo(
            "Warning: BASE_URL is not https://, so mail providers will not offer the one-click"
            " unsubscribe (RFC 8058 needs an HTTPS link).",
            err=True,
        )
    try:
        report = run(week, dry_run, resend_unconfirmed)
    except (MailNotConfigured, SmtpUnavailable) as exc:
        click.echo(f"Not sending: {exc}", err=True)
        sys.exit(1)
    click.echo(summary(report, dry_run))
    if not report.ok:
        sys.exit(1)
