import hashlib
import re

from sqlalchemy import select

from tests.webapp.factories import bearer
from webapp.db import new_session
from webapp.models import ApiToken

HTMX = {"HX-Request": "true", "HX-Target": "api-tokens"}
TOKEN_RE = re.compile(r'id="new-token-value"[^>]*>(ld_[A-Za-z0-9_-]+)<')


def stored_tokens(app) -> list[ApiToken]:
    with app.app_context():
        session = new_session()
        rows = list(session.scalars(select(ApiToken).order_by(ApiToken.id)))
        session.close()
    return rows


def test_settings_create_shows_the_token_once_and_stores_only_its_digest(app, client, auth):
    auth.register()
    response = auth.post("/settings/tokens", data={"name": "iPhone Shortcut"}, headers=HTMX)
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="api-tokens"' in html
    assert "HX-Target" in response.headers["Vary"]
    token = TOKEN_RE.search(html).group(1)
    assert "iPhone Shortcut" in html

    (row,) = stored_tokens(app)
    assert row.name == "iPhone Shortcut"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash

    # Shown once: the settings fragment lists the token by name but never shows it again.
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert "iPhone Shortcut" in page and token not in page

    assert client.get("/api/v1/activities", headers=bearer(token)).status_code == 200


def test_create_without_javascript_renders_the_full_page(client, auth):
    auth.register()
    response = auth.post("/settings/tokens", data={"name": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html and TOKEN_RE.search(html)
    assert "API token" in html  # the default name


def test_revoke_stops_the_token(app, client, auth):
    auth.register()
    html = auth.post("/settings/tokens", data={"name": "old"}, headers=HTMX).get_data(as_text=True)
    token = TOKEN_RE.search(html).group(1)
    (row,) = stored_tokens(app)
    response = auth.post(f"/settings/tokens/{row.id}/revoke", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    assert "No tokens yet" in response.get_data(as_text=True)
    assert stored_tokens(app)[0].revoked_at is not None
    response = client.get("/api/v1/activities", headers=bearer(token))
    assert response.status_code == 401
    # Revoking twice, or without JavaScript: a 404, then a redirect back to the page.
    assert auth.post(f"/settings/tokens/{row.id}/revoke").status_code == 404


def test_revoke_without_javascript_redirects_to_the_tokens_page(app, auth):
    auth.register()
    auth.post("/settings/tokens", data={"name": "x"})
    (row,) = stored_tokens(app)
    response = auth.post(f"/settings/tokens/{row.id}/revoke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings/tokens"


def test_token_pages_need_a_login(client):
    response = client.get("/settings/tokens")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_token_create_command_prints_a_working_token(app, runner, client):
    runner.invoke(args=["user", "create", "ops@example.com"], input="long enough pw\n")
    result = runner.invoke(args=["token", "create", "OPS@example.com", "--name", "cron"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("ld_") and len(token) > 40
    (row,) = stored_tokens(app)
    assert row.name == "cron" and token not in row.token_hash
    assert client.get("/api/v1/activities", headers=bearer(token)).status_code == 200


def test_token_create_command_refuses_an_unknown_account(runner):
    result = runner.invoke(args=["token", "create", "nobody@example.com"])
    assert result.exit_code != 0
    assert "No account uses nobody@example.com" in result.output
