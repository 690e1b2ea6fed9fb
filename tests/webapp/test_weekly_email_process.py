"""The real `legday send-weekly` and `legday clock` processes: killed half-way, run again, stopped.

The database is the test's file SQLite or PostgreSQL; the SMTP server is aiosmtpd in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import ROOT
from tests.webapp.weekly_helpers import (
    Run,
    add_runner,
    picky_server,
    send_rows,
)
from webapp.weekly.schedule import week_label

WEEK = "2026-W47"
RUNS = [Run(datetime(2026, 11, 18, 7, 0, tzinfo=UTC), 10, 50, 100)]
WAIT = 60  # seconds a process may take before the test gives up on it (not a speed target)


@pytest.fixture
def picky_smtp(app):
    with picky_server(app) as sink:
        yield sink


def legday(app, tmp_path, sink, *args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SMTP_URL": sink.url,
        "LEGDAY_INSTANCE": str(tmp_path / "process-instance"),
        "LEGDAY_AUTO_MIGRATE": "0",
        "BASE_URL": "https://legday.example",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "webapp", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_killed_half_way_then_run_again_delivers_each_runner_exactly_once(
    app, tmp_path, picky_smtp
):
    emails = [f"r{n}@example.com" for n in range(5)]
    for email in emails:
        add_runner(app, email, RUNS)
    process = legday(app, tmp_path, picky_smtp, "send-weekly", "--week", WEEK)

    def kill_on_first(sink):
        # Inside the server's DATA handler: the message is accepted, the sender never hears
        # the 250, so its row is left "sending" (the crash between accept and commit).
        if len(sink.messages) == 1:
            os.kill(process.pid, signal.SIGKILL)

    picky_smtp.on_message = kill_on_first
    process.communicate(timeout=WAIT)
    assert process.returncode == -signal.SIGKILL
    assert len(picky_smtp.messages) == 1
    first = picky_smtp.messages[0]["To"]
    assert send_rows(app) == {first: ("sending", 1)}

    picky_smtp.on_message = None
    again = legday(app, tmp_path, picky_smtp, "send-weekly", "--week", WEEK)
    output, _ = again.communicate(timeout=WAIT)
    assert again.returncode == 0, output
    assert "Sent 4, failed 0" in output
    assert sorted(m["To"] for m in picky_smtp.messages) == emails  # each exactly once
    rows = send_rows(app)
    assert rows.pop(first) == ("sending", 1)  # unconfirmed: not resent automatically
    assert set(rows.values()) == {("sent", 1)}


def test_two_processes_at_once_send_each_email_once(app, tmp_path, picky_smtp):
    # The clock's pass and a manual `legday send-weekly` started at the same moment.
    emails = [f"r{n:02d}@example.com" for n in range(10)]
    for email in emails:
        add_runner(app, email, RUNS)
    both = [legday(app, tmp_path, picky_smtp, "send-weekly", "--week", WEEK) for _ in range(2)]
    outputs = [process.communicate(timeout=WAIT)[0] for process in both]
    assert [process.returncode for process in both] == [0, 0], outputs
    assert sorted(m["To"] for m in picky_smtp.messages) == emails
    assert set(send_rows(app).values()) == {("sent", 1)}


def test_a_server_failing_mid_list_is_retried_on_the_next_run(app, tmp_path, picky_smtp):
    emails = [f"r{n}@example.com" for n in range(4)]
    for email in emails:
        add_runner(app, email, RUNS)
    picky_smtp.refuse = {"r1@example.com", "r2@example.com"}
    first = legday(app, tmp_path, picky_smtp, "send-weekly", "--week", WEEK)
    output, _ = first.communicate(timeout=WAIT)
    assert first.returncode == 1
    assert "Sent 2, failed 2" in output

    picky_smtp.refuse = set()
    second = legday(app, tmp_path, picky_smtp, "send-weekly", "--week", WEEK)
    output, _ = second.communicate(timeout=WAIT)
    assert second.returncode == 0, output
    assert sorted(m["To"] for m in picky_smtp.messages) == emails
    assert send_rows(app)["r2@example.com"] == ("sent", 2)


def test_the_clock_sends_what_is_due_and_stops_on_sigterm(app, tmp_path, picky_smtp):
    # Due now whatever today is: the email hour is midnight on the first day of the week.
    last_week = datetime.now(UTC) - timedelta(days=7)
    add_runner(app, "due@example.com", [Run(last_week, 8, 40, 30)], email_hour=0)
    add_runner(app, "never@example.com", email_hour=0)
    clock = legday(app, tmp_path, picky_smtp, "clock", "--interval", "15")
    deadline = time.monotonic() + WAIT
    while not picky_smtp.messages and time.monotonic() < deadline and clock.poll() is None:
        time.sleep(0.1)
    clock.send_signal(signal.SIGTERM)
    output, _ = clock.communicate(timeout=WAIT)
    assert clock.returncode == 0, output
    assert "clock: stopped" in output
    assert [m["To"] for m in picky_smtp.messages] == ["due@example.com"]
    week = week_label(last_week.date(), 0)
    assert send_rows(app) == {"due@example.com": ("sent", 1)}
    assert f"week {int(week[-2:])}" in picky_smtp.messages[0]["Subject"]
