"""`legday clock`: the Procfile's `clock` process, so a deployment needs no system cron.

Every --interval minutes (15 by default) it runs the same pass as `legday send-weekly`. Each
runner's send time is checked against their own timezone on every pass, so an email goes out
within one interval of its hour. Running it beside a manual `send-weekly`, or two clocks at
once, sends nothing twice: every email is claimed in the database before it is sent.
"""

from __future__ import annotations

import signal

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import with_appcontext

from webapp.commands.send_weekly import run, summary
from webapp.mail import MailNotConfigured


def tick(app) -> None:
    """One pass; errors are logged and the clock keeps going (the next pass retries)."""
    with app.app_context():
        try:
            report = run(None, dry_run=False)
        except MailNotConfigured as exc:
            click.echo(f"clock: {exc}", err=True)
            return
        except Exception:  # a broken pass must not stop the clock
            app.logger.exception("clock: the weekly email pass failed")
            return
        if report.sent or report.failed or report.unconfirmed:
            click.echo(f"clock: {summary(report, dry_run=False)}")


@click.command("clock")
@click.option("--interval", default=15.0, show_default=True, help="Minutes between passes.")
@with_appcontext
def clock_command(interval: float) -> None:
    """Send the weekly emails as they fall due (runs until stopped)."""
    app = current_app._get_current_object()
    scheduler = BlockingScheduler(timezone="UTC")
    # max_instances=1 and coalesce: a slow pass is never overlapped by the next one.
    scheduler.add_job(
        tick,
        "interval",
        args=[app],
        minutes=interval,
        max_instances=1,
        coalesce=True,
        id="send-weekly",
    )
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    click.echo(f"clock: sending weekly emails as they fall due, every {interval:g} minutes")
    tick(app)  # at start-up too, so a restart does not wait a whole interval
    scheduler.start()
    click.echo("clock: stopped")
