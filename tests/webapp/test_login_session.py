"""The login session (Flask-Login): session version, password reset, no remember-me cookie."""

from sqlalchemy import select

from tests.conftest import AuthActions, set_csrf
from webapp.db import new_session
from webapp.models import User


def _bump_session_version(app, email="runner@example.com") -> None:
    with app.app_context():
        db = new_session()
        user = db.scalar(select(User).where(User.email == email))
        user.session_version += 1
        db.commit()
        db.close()


def test_a_session_of_an_older_version_is_logged_out(app, client, auth):
    auth.register()
    assert client.get("/settings").status_code == 200
    _bump_session_version(app)
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    # Logging in again starts a session of the new version.
    assert auth.login().status_code == 302
    assert client.get("/settings").status_code == 200


def test_a_password_reset_logs_out_a_copied_session_cookie(app, client, auth):
    auth.register()
    other_device = app.test_client()
    other_device.set_cookie("session", client.get_cookie("session").value)
    assert other_device.get("/settings").status_code == 200, "the copied cookie works at first"

    from webapp.views.password import make_reset_token

    with app.test_request_context():
        db = new_session()
        reset_token = make_reset_token(db.scalar(select(User)))
        db.close()
    response = client.post(
        f"/password/reset/{reset_token}",
        data={
            "password": "new password",
            "confirm": "new password",
            "csrf_token": set_csrf(client),
        },
    )
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200, "the device that reset stays logged in"
    assert other_device.get("/settings").status_code == 302


def test_login_sets_no_remember_me_cookie(client, auth):
    auth.register()
    auth.logout()
    response = auth.login()
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("session=") for c in cookies)
    assert not any(c.startswith("remember_token=") for c in cookies)


def test_logout_ends_the_session(client, auth):
    auth.register()
    assert client.get("/settings").status_code == 200
    AuthActions(client).logout()
    assert client.get("/settings").status_code == 302
