"""The weekly email through a real SMTP server: what arrives, once, and how to stop it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.webapp.weekly_helpers import (
    Run,
    add_runner,
    mail_safety_problems,
    picky_server,
    send_rows,
    weekly_email_on,
)
from webapp.db import new_session
from webapp.weekly.schedule import week_label
from webapp.weekly.send import send_weekly

WEEK = "2026-W47"  # Monday 16 to Sunday 22 November 2026
BASE = "https://legday.example"

# Three runs in week 47 (43 km, 3:47:00, 500 m up) and one each in the two weeks before.
WEEK_RUNS = [
    Run(datetime(2026, 11, 17, 6, 30, tzinfo=UTC), 10, 50, 120, quadriceps=60),
    Run(datetime(2026, 11, 19, 17, 0, tzinfo=UTC), 12, 62, 80, quadriceps=60),
    Run(datetime(2026, 11, 22, 8, 0, tzinfo=UTC), 21, 115, 300, quadriceps=90),
]
HISTORY = [
    Run(datetime(2026, 11, 3, 7, 0, tzinfo=UTC), 8, 45, 40),
    Run(datetime(2026, 11, 10, 7, 0, tzinfo=UTC), 8, 45, 40),
]


@pytest.fixture(autouse=True)
def base_url(app):
    app.config["BASE_URL"] = BASE


@pytest.fixture
def picky_smtp(app):
    with picky_server(app) as sink:
        yield sink


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return text, html


def test_the_email_arrives_multipart_with_the_weeks_numbers(app, runner, smtp_server):
    add_runner(app, "km@example.com", WEEK_RUNS + HISTORY)
    add_runner(app, "mi@example.com", WEEK_RUNS, units="mi")

    result = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert result.exit_code == 0, result.output
    assert "Sent 2, failed 0" in result.output

    (message,) = smtp_server.to("km@example.com")
    assert message["To"] == "km@example.com"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == "Your legs, week 47: 3 runs, 43.0 km, 3:47:00, 500 m up"
    text, html = parts(message)
    for part in (text, html):
        assert "16–22 November 2026" in part
        assert "43.0 km" in part and "3:47:00" in part and "500 m" in part
        assert "Tue 17 Nov: Run 1, 10.0 km, 50:00, 120 m up" in part
        assert "Sun 22 Nov: Run 3, 21.0 km, 1:55:00, 300 m up" in part
        assert "Quadriceps" in part and "Ran hot" in part
        assert f"{BASE}/week" in part

    # The same runs in miles and feet for the runner who counts in miles.
    (miles,) = smtp_server.to("mi@example.com")
    text, html = parts(miles)
    assert f"{43000 / 1609.344:.1f} mi" in miles["Subject"]
    assert f"{500 / 0.3048:,.0f} ft" in text and f"{500 / 0.3048:,.0f} ft" in html
    assert f"Tue 17 Nov: Run 1, {10000 / 1609.344:.1f} mi, 50:00, {120 / 0.3048:,.0f} ft up" in text


def next_weeks_plan(app, email: str, week: str) -> dict:
    """What the week page's plan says for the week after `week` (weekly_context)."""
    from datetime import date

    from webapp.models import User
    from webapp.weeks import weekly_context

    year, number = int(week[:4]), int(week[-2:])
    with app.app_context():
        session = new_session()
        user = session.query(User).filter_by(email=email).one()
        day = date.fromisocalendar(year, number, 1) + timedelta(days=7)
        plan = weekly_context(session, user, day).plan  # "now", as the command used
        session.close()
    return plan


def assert_has_plan(part: str, plan: dict) -> None:
    assert plan["sessions"], "the engine planned no session"
    for session in plan["sessions"]:
        day = datetime.fromisoformat(session["day"])
        assert f"{day:%A} {day.day} {day:%B}:" in part
    for exercise in plan["sessions"][0]["exercises"]:
        assert exercise["name"] in part
        amount = f"{exercise['seconds']} s" if exercise.get("seconds") else exercise["reps"]
        assert f"{exercise['sets']} × {amount}" in part
        assert f"Why: {exercise['why']}" in part.replace("&#39;", "'").replace("&amp;", "&")


def test_next_weeks_sessions_are_in_both_parts(app, runner, smtp_server):
    add_runner(app, "a@example.com", WEEK_RUNS + HISTORY)
    runner.invoke(args=["send-weekly", "--week", WEEK])
    text, html = parts(smtp_server.messages[0])
    plan = next_weeks_plan(app, "a@example.com", WEEK)
    assert_has_plan(text, plan)
    assert_has_plan(html, plan)


def test_one_click_unsubscribe_headers_and_post_without_a_session(app, smtp_server):
    user_id = add_runner(app, "runner@example.com", WEEK_RUNS)
    app.test_cli_runner().invoke(args=["send-weekly", "--week", WEEK])
    (message,) = smtp_server.messages

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith(f"{BASE}/unsubscribe/")
    text, html = parts(message)
    assert link in text and link in html

    # A mail client's one-click POST: a fresh client, no cookie, no CSRF token.
    fresh = app.test_client()
    response = fresh.post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not weekly_email_on(app, user_id)

    # ... and the next week's run leaves this runner out.
    smtp_server.clear()
    app.test_cli_runner().invoke(args=["send-weekly", "--week", "2026-W48"])
    assert smtp_server.messages == []


def test_the_settings_toggle_shows_the_one_click_unsubscribe(app, client, auth, smtp_server):
    auth.register("me@example.com")
    user_id = add_runner(app, "other@example.com", WEEK_RUNS)  # someone else's link is refused
    from webapp.models import User

    with app.app_context():
        session = new_session()
        me = session.query(User).filter_by(email="me@example.com").one()
        me.weekly_email = True  # opted in (a new account has it off)
        session.commit()
        session.close()
    from tests.webapp.factories import add_activity

    add_activity(app, me.id, start=datetime(2026, 11, 18, 7, tzinfo=UTC))
    app.test_cli_runner().invoke(args=["send-weekly", "--week", WEEK])
    (mine,) = smtp_server.to("me@example.com")
    checkbox = 'name="weekly_email" checked'
    assert checkbox in client.get("/settings").get_data(as_text=True)

    link = mine["List-Unsubscribe"].strip().strip("<>")
    app.test_client().post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
    page = client.get("/settings").get_data(as_text=True)
    assert 'name="weekly_email"' in page and checkbox not in page
    assert weekly_email_on(app, user_id)  # only the link's own runner is unsubscribed


def test_the_unsubscribe_link_asks_first_then_stops_the_email(app, client, smtp_server):
    user_id = add_runner(app, "runner@example.com", WEEK_RUNS)
    app.test_cli_runner().invoke(args=["send-weekly", "--week", WEEK])
    path = urlsplit(smtp_server.messages[0]["List-Unsubscribe"].strip().strip("<>")).path

    page = client.get(path)  # link scanners follow links: a GET changes nothing
    assert page.status_code == 200
    assert "Stop the weekly email?" in page.get_data(as_text=True)
    assert weekly_email_on(app, user_id)

    done = client.post(path)  # the confirmation form, without a CSRF token or a login
    assert done.status_code == 200
    assert "You are unsubscribed" in done.get_data(as_text=True)
    assert not weekly_email_on(app, user_id)


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ.forged-signature"])
def test_a_bad_unsubscribe_link_gets_a_readable_page(client, token):
    for response in (client.get(f"/unsubscribe/{token}"), client.post(f"/unsubscribe/{token}")):
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)


def test_running_twice_delivers_once(app, runner, smtp_server):
    add_runner(app, "a@example.com", WEEK_RUNS)
    add_runner(app, "b@example.com", WEEK_RUNS)
    first = runner.invoke(args=["send-weekly", "--week", WEEK])
    second = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert first.exit_code == second.exit_code == 0
    assert "Sent 0, failed 0, skipped 2" in second.output
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@example.com", "b@example.com"]
    assert send_rows(app) == {"a@example.com": ("sent", 1), "b@example.com": ("sent", 1)}


def test_a_refused_address_does_not_stop_the_others_and_is_retried(app, runner, picky_smtp):
    for name in ("a", "b", "c"):
        add_runner(app, f"{name}@example.com", WEEK_RUNS)
    picky_smtp.refuse = {"b@example.com"}

    result = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert result.exit_code == 1
    assert "FAILED b@example.com" in result.output
    assert sorted(m["To"] for m in picky_smtp.messages) == ["a@example.com", "c@example.com"]
    assert send_rows(app)["b@example.com"] == ("failed", 1)

    picky_smtp.refuse = set()  # the mailbox is back
    retry = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert retry.exit_code == 0, retry.output
    assert [m["To"] for m in picky_smtp.messages].count("b@example.com") == 1
    assert len(picky_smtp.messages) == 3
    assert send_rows(app) == {
        "a@example.com": ("sent", 1),
        "b@example.com": ("sent", 2),
        "c@example.com": ("sent", 1),
    }


def test_an_unconfirmed_send_is_reported_and_resent_only_on_request(app, runner, smtp_server):
    user_id = add_runner(app, "a@example.com", WEEK_RUNS)
    # What a run killed during the SMTP conversation leaves behind, 11 minutes ago.
    with app.app_context():
        from webapp.models import EmailSend

        session = new_session()
        claimed = datetime.now(UTC) - timedelta(minutes=11)
        session.add(
            EmailSend(
                user_id=user_id,
                week=WEEK,
                status="sending",
                attempts=1,
                claimed_at=claimed,
                message_id="<weekly.2026-W47.1@localhost>",
            )
        )
        session.commit()
        session.close()

    plain = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert plain.exit_code == 0
    assert smtp_server.messages == []
    assert "Unconfirmed: a@example.com 2026-W47 <weekly.2026-W47.1@localhost>" in plain.output

    resend = runner.invoke(args=["send-weekly", "--week", WEEK, "--resend-unconfirmed"])
    assert resend.exit_code == 0, resend.output
    (message,) = smtp_server.messages
    assert message["Message-ID"] == f"<weekly.2026-W47.{user_id}@localhost>"
    assert send_rows(app) == {"a@example.com": ("sent", 2)}
    runner.invoke(args=["send-weekly", "--week", WEEK, "--resend-unconfirmed"])
    assert len(smtp_server.messages) == 1


def test_a_runner_without_runs_that_week_gets_a_short_nudge(app, runner, smtp_server):
    add_runner(app, "resting@example.com", HISTORY)
    runner.invoke(args=["send-weekly", "--week", WEEK])
    (message,) = smtp_server.messages
    assert message["Subject"].startswith("Week 47: no runs logged")
    text, html = parts(message)
    for part in (text, html):
        assert "No runs logged last week" in part or "NO RUNS LOGGED LAST WEEK" in part
        assert "strength session" in part.lower()
        assert "Ran hot" not in part and "Quadriceps" not in part
        assert_has_plan(part, next_weeks_plan(app, "resting@example.com", WEEK))


def test_a_runner_who_never_uploaded_gets_nothing(app, runner, smtp_server):
    add_runner(app, "new@example.com")
    result = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert result.exit_code == 0
    assert smtp_server.messages == []
    assert send_rows(app) == {}


def test_dry_run_sends_nothing_and_records_nothing(app, runner, smtp_server):
    add_runner(app, "a@example.com", WEEK_RUNS)
    add_runner(app, "never@example.com")
    result = runner.invoke(args=["send-weekly", "--week", WEEK, "--dry-run"])
    assert result.exit_code == 0
    assert "would send to a@example.com (2026-W47, report): Your legs, week 47" in result.output
    assert "never@example.com" not in result.output
    assert "Warning" not in result.output
    assert smtp_server.messages == []
    assert send_rows(app) == {}

    app.config["BASE_URL"] = "http://legday.example"
    result = runner.invoke(args=["send-weekly", "--week", WEEK, "--dry-run"])
    assert "Warning: BASE_URL is not https://" in result.output


def test_without_smtp_the_command_says_so_and_sends_nothing(app, runner):
    add_runner(app, "a@example.com", WEEK_RUNS)
    assert app.config["SMTP_URL"] is None
    result = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert result.exit_code == 1
    assert "SMTP_URL is not set, so no email was sent" in result.output
    assert send_rows(app) == {}


def test_an_unreachable_server_claims_nothing(app, runner):
    add_runner(app, "a@example.com", WEEK_RUNS)
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9?starttls=0"  # discard port: nobody listens
    result = runner.invoke(args=["send-weekly", "--week", WEEK])
    assert result.exit_code == 1
    assert "Could not connect to the SMTP server" in result.output
    assert send_rows(app) == {}


def test_a_bad_week_is_a_usage_error(runner):
    result = runner.invoke(args=["send-weekly", "--week", "2026-47"])
    assert result.exit_code == 2
    assert "YYYY-Www" in result.output
    future = week_label(datetime.now(UTC).date() + timedelta(days=14), 0)
    result = runner.invoke(args=["send-weekly", "--week", future])
    assert result.exit_code == 2
    assert "has not started yet" in result.output


def test_the_html_is_safe_for_mail_clients(app, runner, smtp_server):
    add_runner(app, "a@example.com", WEEK_RUNS + HISTORY)
    add_runner(app, "b@example.com", HISTORY)  # the nudge
    runner.invoke(args=["send-weekly", "--week", WEEK])
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        html = parts(message)[1]
        assert mail_safety_problems(html) == []
        assert "<img" not in html  # no images at all: nothing to block, nothing to describe


def test_the_checker_catches_what_mail_clients_strip():
    bad = (
        '<link rel="stylesheet" href="x.css"><script>1</script><svg></svg>'
        '<img src="a.png"><a href="javascript:alert(1)">x</a>'
    )
    assert len(mail_safety_problems(bad)) == 5


def test_scheduled_sends_follow_each_runners_hour_and_timezone(app, smtp_server):
    add_runner(app, "utc@example.com", WEEK_RUNS)
    add_runner(app, "la@example.com", WEEK_RUNS, timezone="America/Los_Angeles")
    add_runner(app, "wed@example.com", WEEK_RUNS, email_weekday=2, email_hour=18)
    add_runner(app, "off@example.com", WEEK_RUNS, weekly_email=False)

    def run(now):
        with app.app_context():
            session = new_session()
            report = send_weekly(app, session, now=now)
            session.close()
        return sorted(report.sent)

    # Sunday 22:59 in Los Angeles: their week-46 email is still due (it is their week 47 now).
    assert run(datetime(2026, 11, 23, 6, 59, tzinfo=UTC)) == ["la@example.com"]
    assert smtp_server.messages[-1]["Subject"].startswith("Week 46: no runs logged")
    assert run(datetime(2026, 11, 23, 7, 0, tzinfo=UTC)) == ["utc@example.com"]
    assert run(datetime(2026, 11, 23, 14, 59, tzinfo=UTC)) == []
    assert run(datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) == ["la@example.com"]
    assert run(datetime(2026, 11, 25, 17, 59, tzinfo=UTC)) == []
    assert run(datetime(2026, 11, 25, 18, 0, tzinfo=UTC)) == ["wed@example.com"]
    assert run(datetime(2026, 11, 29, 23, 0, tzinfo=UTC)) == []
    week47 = [m["To"] for m in smtp_server.messages if "week 47" in m["Subject"]]
    assert sorted(week47) == ["la@example.com", "utc@example.com", "wed@example.com"]


def test_a_run_late_on_sunday_in_utc_is_mondays_run_in_berlin(app, runner, smtp_server):
    late = Run(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), 5, 30, 10)
    add_runner(app, "utc@example.com", [*WEEK_RUNS, late])
    add_runner(app, "berlin@example.com", [*WEEK_RUNS, late], timezone="Europe/Berlin")
    runner.invoke(args=["send-weekly", "--week", WEEK])
    assert smtp_server.to("utc@example.com")[0]["Subject"].startswith("Your legs, week 47: 4 runs")
    assert smtp_server.to("berlin@example.com")[0]["Subject"].startswith(
        "Your legs, week 47: 3 runs"
    )


def test_two_concurrent_runs_never_send_twice(app, smtp_server):
    emails = [f"r{n}@example.com" for n in range(8)]
    for email in emails:
        add_runner(app, email, WEEK_RUNS)
    reports, start = [], threading.Barrier(2)

    def one_run():
        with app.app_context():
            session = new_session()
            start.wait()
            reports.append(send_weekly(app, session, week=WEEK))
            session.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["To"] for m in smtp_server.messages) == emails
    assert sorted(email for report in reports for email in report.sent) == emails
    assert all(report.ok for report in reports)


def test_the_settings_preview_is_the_email(app, client, auth, smtp_server):
    auth.register("me@example.com")
    last_week_day = datetime.now(UTC) - timedelta(days=7)
    with app.app_context():
        from webapp.models import User

        session = new_session()
        me = session.query(User).filter_by(email="me@example.com").one()
        me.weekly_email = True  # opted in (a new account has it off)
        session.commit()
        user_id = me.id
        session.close()
    from tests.webapp.factories import add_activity

    add_activity(app, user_id, name="Preview run", start=last_week_day, distance_m=9000.0)
    week = week_label(last_week_day.date(), 0)

    html = client.get("/settings/email-preview")
    text = client.get("/settings/email-preview?part=text")
    assert html.status_code == text.status_code == 200
    assert html.mimetype == "text/html" and text.mimetype == "text/plain"

    app.test_cli_runner().invoke(args=["send-weekly", "--week", week])
    sent_text, sent_html = parts(smtp_server.messages[0])
    assert html.get_data(as_text=True).strip() == sent_html.strip()
    assert text.get_data(as_text=True).strip() == sent_text.strip()
    assert "Preview run, 9.0 km" in sent_text


def test_the_preview_needs_a_login_and_says_when_there_is_nothing(client, auth):
    assert client.get("/settings/email-preview").status_code == 302
    auth.register("me@example.com")
    response = client.get("/settings/email-preview")
    assert "Nothing to preview yet" in response.get_data(as_text=True)


def test_the_settings_fragment_frames_the_preview(app):
    from flask import render_template

    with app.test_request_context("/settings"):
        html = render_template("settings/_email_preview.html")
    assert 'src="/settings/email-preview"' in html
    assert 'title="Preview of this week' in html
    assert "/settings/email-preview?part=text" in html
