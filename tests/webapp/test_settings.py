"""Settings: the form saves every field, refuses bad values with a message, and answers HTMX."""

from datetime import date

from sqlalchemy import select

from webapp.db import new_session
from webapp.models import User

GOOD = {
    "units": "mi",
    "timezone": "Europe/Paris",
    "week_start": "6",
    "available_days": ["1", "4"],
    "long_run_day": "5",
    "race_date": "2027-04-11",
    "hr_max": "188",
    "hr_rest": "48",
    "sex": "female",
    "weekly_email": "on",
    "email_weekday": "6",
    "email_hour": "18",
}


def _user(app):
    with app.app_context():
        session = new_session()
        try:
            return session.scalar(select(User))
        finally:
            session.close()


def test_settings_page_needs_login(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_settings_page_shows_the_form_with_placeholders_for_other_parts(client, auth):
    auth.register()
    html = client.get("/settings").get_data(as_text=True)
    assert '<form id="settings-form"' in html
    assert 'name="timezone"' in html and "Europe/Paris" in html
    assert html.count('name="available_days"') == 7


def test_saving_settings_stores_every_field(app, client, auth):
    auth.register()
    response = auth.post("/settings", data=GOOD)
    assert response.status_code == 302
    user = _user(app)
    assert user.units == "mi"
    assert user.timezone == "Europe/Paris"
    assert user.week_start == 6
    assert user.available_days == [1, 4]
    assert user.long_run_day == 5
    assert user.race_date == date(2027, 4, 11)
    assert (user.hr_max, user.hr_rest, user.sex) == (188, 48, "female")
    assert (user.weekly_email, user.email_weekday, user.email_hour) == (True, 6, 18)
    page = client.get("/settings").get_data(as_text=True)
    assert "Settings saved" in page
    assert 'value="mi" checked' in page


def test_unticking_the_weekly_email_turns_it_off(app, client, auth):
    auth.register()
    auth.post("/settings", data={**GOOD, "weekly_email": ""})
    assert _user(app).weekly_email is False


def test_bad_values_are_refused_with_messages_and_nothing_saved(app, client, auth):
    auth.register()
    bad = {**GOOD, "timezone": "Mars/Olympus", "hr_max": "400", "available_days": []}
    response = auth.post("/settings", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please pick a time zone from the list." in html
    assert "Maximum heart rate must be between 120 and 230." in html
    assert "Pick at least one day" in html
    assert 'value="400"' in html, "the form keeps what was typed"
    user = _user(app)
    assert user.timezone == "UTC" and user.hr_max is None and user.units == "km"


def test_htmx_save_returns_the_form_fragment_and_announces_the_plan_change(app, client, auth):
    auth.register()
    response = auth.post(
        "/settings",
        data=GOOD,
        headers={"HX-Request": "true", "HX-Target": "settings-form"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert html.lstrip().startswith('<form id="settings-form"')
    assert "Saved." in html
    assert response.headers["HX-Trigger"] == "plan-changed"
    assert "HX-Target" in response.headers["Vary"]
    assert _user(app).units == "mi"


def test_full_page_and_fragment_pair(client, auth):
    auth.register()
    full = client.get("/settings")
    part = client.get("/settings", headers={"HX-Request": "true", "HX-Target": "settings-form"})
    assert "<html" in full.get_data(as_text=True)
    assert "<html" not in part.get_data(as_text=True)
    assert 'id="settings-form"' in part.get_data(as_text=True)
    for response in (full, part):
        assert {"HX-Request", "HX-Target"} <= set(response.vary)


def test_settings_post_without_csrf_is_refused(client, auth):
    auth.register()
    response = client.post("/settings", data=GOOD)
    assert response.status_code == 400


def test_an_empty_post_is_a_422_with_the_fields_marked(client, auth):
    auth.register()
    response = auth.post("/settings")  # no fields at all (a crawler, a broken client)
    assert response.status_code == 422
    assert "Pick at least one day" in response.get_data(as_text=True)
