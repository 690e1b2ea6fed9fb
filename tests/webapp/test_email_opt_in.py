"""The weekly email is an opt-in: off for a new account, offered once after the first import
with one tap; the migration leaves existing accounts' choice alone."""

from __future__ import annotations

from flask import render_template
from flask_login import login_user
from sqlalchemy import select, text

from tests.conftest import csrf_from_html
from tests.webapp.files import recent_start, run_fit
from tests.webapp.test_pages import upload
from tests.webapp.weekly_helpers import weekly_email_on
from webapp import db as legday_db
from webapp.db import get_session
from webapp.ingest import IngestResult
from webapp.models import Activity, ImportJob, ImportJobFile, User
from webapp.views.settings import offer_weekly_email

OFFER = "Send me this every Monday"


def _user_id(app, email="runner@example.com") -> int:
    engine = app.extensions["legday.engine"]
    with engine.connect() as conn:
        return conn.execute(text("SELECT id FROM users WHERE email = :e"), {"e": email}).scalar()


def test_a_new_account_has_the_weekly_email_off(app, auth):
    auth.register()
    assert not weekly_email_on(app, _user_id(app))


def test_the_first_import_offers_it_and_one_tap_turns_it_on(app, client, auth):
    auth.register()
    first = upload(auth, [("first.fit", run_fit(recent_start(2)))])
    html = first.get_data(as_text=True)
    assert OFFER in html and 'hx-post="/settings/weekly-email"' in html
    token = csrf_from_html(html)

    # The button as HTMX sends it: the offer swaps itself for the confirmation.
    tapped = client.post(
        "/settings/weekly-email",
        data={"csrf_token": token},
        headers={"HX-Request": "true", "HX-Target": "email-offer"},
    )
    assert tapped.status_code == 200
    fragment = tapped.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="email-offer"')
    assert "every Monday at 07:00" in fragment and "<header" not in fragment
    assert weekly_email_on(app, _user_id(app))
    settings = client.get("/settings").get_data(as_text=True)
    assert 'name="weekly_email" checked' in settings


def test_the_offer_is_not_repeated_after_later_imports(app, client, auth):
    auth.register()
    upload(auth, [("first.fit", run_fit(recent_start(3)))])
    second = upload(auth, [("second.fit", run_fit(recent_start(1)))])
    assert second.status_code == 200 and OFFER not in second.get_data(as_text=True)


def test_the_tap_needs_the_csrf_token_and_without_htmx_lands_on_settings(app, client, auth):
    auth.register()
    refused = client.post("/settings/weekly-email")
    assert refused.status_code == 400
    assert not weekly_email_on(app, _user_id(app))
    html = client.get("/settings").get_data(as_text=True)
    plain = client.post("/settings/weekly-email", data={"csrf_token": csrf_from_html(html)})
    assert plain.status_code == 302 and plain.headers["Location"] == "/settings"
    assert weekly_email_on(app, _user_id(app))


def test_a_finished_background_import_offers_it_too(app, client, auth):
    auth.register()
    upload(auth, [("first.fit", run_fit(recent_start(2)))])
    user_id = _user_id(app)
    with app.test_request_context("/upload"):
        session = get_session()
        login_user(session.get(User, user_id))
        (activity_id,) = session.scalars(select(Activity.id)).all()
        as_json = [IngestResult("a.fit", "imported", activity_id=activity_id).to_dict()]
        assert offer_weekly_email(as_json)
        assert not offer_weekly_email([{"status": "refused", "activity_id": None}])
        assert not offer_weekly_email([{"status": "imported", "activity_id": activity_id + 1}])
        job = ImportJob(id=1, user_id=user_id, filename="all.zip", status="done")
        job.files = [ImportJobFile(position=0, results=as_json)]
        assert OFFER in render_template("upload/_job.html", job=job)
        job.status = "running"
        assert OFFER not in render_template("upload/_job.html", job=job)


def test_the_migration_keeps_existing_accounts_choice(tmp_path):
    url = f"sqlite:///{tmp_path / 'optin.db'}"
    legday_db.upgrade(url, "0004")
    engine = legday_db.make_engine(url)
    insert = text(
        "INSERT INTO users (email, password_hash, created_at, units, timezone, week_start, "
        "focus, equipment, available_days, weekly_email, email_weekday, email_hour) VALUES "
        "(:email, 'x', '2026-01-01', 'km', 'UTC', 0, 'general', '[]', '[]', :on, 0, 7)"
    )
    try:
        with engine.begin() as conn:
            conn.execute(insert, {"email": "had-it@example.com", "on": True})
            conn.execute(insert, {"email": "turned-off@example.com", "on": False})
        legday_db.upgrade(url)
        with engine.begin() as conn:
            rows = dict(conn.execute(text("SELECT email, weekly_email FROM users")).all())
            assert rows == {"had-it@example.com": True, "turned-off@example.com": False}
            # A row written without the column (outside the app) gets the new default: off.
            conn.execute(
                text(
                    "INSERT INTO users (email, password_hash, created_at, units, timezone, "
                    "week_start, focus, equipment, available_days, email_weekday, email_hour) "
                    "VALUES ('new@example.com', 'x', '2026-12-01', 'km', 'UTC', 0, 'general', "
                    "'[]', '[]', 0, 7)"
                )
            )
            new = conn.execute(
                text("SELECT weekly_email FROM users WHERE email = 'new@example.com'")
            ).scalar()
            assert not new
    finally:
        engine.dispose()
