"""`legday clock`: the Procfile's `clock` process, so a deployment needs no system cron.

A plain loop: the queued reprocessing passes (webapp.reprocess: a new model version, a moved
threshold), then one pass of `legday send-weekly`, at start-up and then every --interval minutes
(15 by default); between passes, every --reap-seconds (15), the import-job reaper
(webapp.jobs.reap) re-queues or fails jobs whose worker died. Each runner's send time is
checked against their own timezone on every pass, so an email goes out within one interval
of its hour. Passes never overlap (one thread), and running the clock beside a manual
`send-weekly`, or two clocks, sends nothing twice: every email is claimed in the database
before it is sent. SIGTERM or Ctrl-C lets the current email finish, then stops.
"""

from __future__ import annotations

import signal
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from webapp import jobs, reprocess
from webapp.commands.send_weekly import run, summary
from webapp.db import new_session
from webapp.mail import MailNotConfigured
from webapp.weekly.send import SmtpUnavailable


def tick(app) -> None:
    """One pass; errors are reported and the clock keeps going (the next pass retries)."""
    with app.app_context():
        reprocess_pending(app)
        try:
            report = run(None, dry_run=False)
        except (MailNotConfigured, SmtpUnavailable) as exc:
            click.echo(f"clock: not sending: {exc}", err=True)
            return
        except Exception:  # a broken pass must not stop the clock
            app.logger.exception("clock: the weekly email pass failed")
            return
        if report.sent or report.failed or report.unconfirmed:
            click.echo(f"clock: {summary(report, dry_run=False)}")


def reprocess_pending(app) -> None:
    """Recompute what is queued (a new model version, a moved threshold): webapp.reprocess."""
    db = new_session(app)
    try:
        report = reprocess.run_pending(db)
    except Exception:  # a broken pass must not stop the clock
        app.logger.exception("clock: the reprocessing pass failed")
        return
    finally:
        db.close()
    if report.runs:
        click.echo(f"clock: reprocessed {report.activities} activities in {report.seconds:.1f} s")


def reap(app) -> None:
    """One pass of the import-job reaper; its errors never stop the clock."""
    try:
        for job_id, status in jobs.reap(app).items():
            click.echo(f"clock: import job {job_id} had stopped: {status}")
    except Exception:
        app.logger.exception("clock: the import-job reaper failed")


@click.command("clock")
@click.option("--interval", default=15.0, show_default=True, help="Minutes between passes.")
@click.option(
    "--reap-seconds", default=15.0, show_default=True, help="Seconds between import-job checks."
)
@with_appcontext
def clock_command(interval: float, reap_seconds: float) -> None:
    """Send the weekly emails as they fall due and reap dead import jobs (runs until stopped)."""
    app = current_app._get_current_object()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"clock: sending weekly emails as they fall due, every {interval:g} minutes")
    next_pass = time.monotonic()
    while not stop.is_set():
        reap(app)
        if time.monotonic() >= next_pass:
            tick(app)
            next_pass = time.monotonic() + interval * 60
        stop.wait(max(0.0, min(reap_seconds, next_pass - time.monotonic())))
    click.echo("clock: stopped")
