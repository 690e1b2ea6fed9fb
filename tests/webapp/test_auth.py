import pytest
from sqlalchemy import select

from webapp.db import new_session
from webapp.models import User


def test_register_logs_in_and_hashes_the_password(app, client, auth):
    response = auth.register("Runner@Example.com", "correct horse")
    assert response.status_code == 302
    with app.app_context():
        session = new_session()
        user = session.scalar(select(User))
        session.close()
    assert user.email == "runner@example.com"
    assert "correct horse" not in user.password_hash
    with client.session_transaction() as s:
        assert s["_user_id"] == str(user.id)


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", "correct horse", "valid email"),
        ("a@b.co", "short", "at least 8"),
    ],
)
def test_register_validates(auth, email, password, message):
    response = auth.register(email, password)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_register_twice_is_refused(auth):
    auth.register()
    auth.logout()
    response = auth.register()
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_login_and_logout(client, auth):
    auth.register()
    auth.logout()
    assert auth.login(password="wrong password").status_code == 422
    assert auth.login().status_code == 302
    auth.logout()
    with client.session_transaction() as s:
        assert "_user_id" not in s


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/auth/register", data={"email": "a@b.co", "password": "x" * 10})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_login_redirect_stays_on_this_site(auth, client):
    auth.register()
    auth.logout()
    from tests.conftest import set_csrf

    token = set_csrf(client)
    response = client.post(
        "/auth/login?next=//evil.example/",
        data={"email": "runner@example.com", "password": "correct horse", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_user_create_command_reads_password_from_stdin(runner, app):
    result = runner.invoke(args=["user", "create", "ops@example.com"], input="long enough pw\n")
    assert result.exit_code == 0, result.output
    assert "Created user ops@example.com" in result.output
    result = runner.invoke(args=["user", "create", "ops@example.com"], input="long enough pw\n")
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_sign_up_says_how_long_the_password_must_be_before_it_is_refused(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'aria-describedby="password-hint"' in page
    assert '<p class="small muted" id="password-hint">At least 8 characters.</p>' in page
    assert "password-hint" not in client.get("/auth/login").get_data(as_text=True)
