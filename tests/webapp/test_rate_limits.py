"""Flask-Limiter on the doors a stranger can knock on: wrong passwords, sign-ups, reset mails,
emailed tokens. Each test has an app (and so counters) of its own."""

from __future__ import annotations

import uuid

import pytest
from redis import Redis
from redis.exceptions import RedisError

from tests.conftest import set_csrf
from webapp import create_app, ratelimit


def _wrong_login(client, email="runner@example.com", address="203.0.113.7"):
    token = set_csrf(client)
    return client.post(
        "/auth/login",
        data={"email": email, "password": "not my password", "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_fifty_wrong_passwords_are_throttled_with_a_page_and_retry_after(client, auth):
    auth.register()
    auth.logout()
    statuses = [_wrong_login(client).status_code for _ in range(50)]
    assert statuses[:10] == [422] * 10  # a person who mistypes is told so ...
    assert set(statuses[10:]) == {429}  # ... a script guessing is not
    response = _wrong_login(client)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    html = response.get_data(as_text=True)
    assert "Too many attempts" in html and "<html" in html and "Traceback" not in html


def test_the_right_password_is_not_counted_and_other_addresses_are_not_throttled(client, auth):
    auth.register()
    auth.logout()
    for _ in range(12):
        assert auth.login().status_code == 302
        auth.logout()
    for _ in range(10):
        _wrong_login(client)
    assert _wrong_login(client).status_code == 429
    assert _wrong_login(client, address="198.51.100.1").status_code == 422


def test_one_account_is_protected_from_many_addresses(client, auth):
    auth.register()
    auth.logout()
    statuses = [
        _wrong_login(client, address=f"198.51.100.{i}").status_code for i in range(1, 23)
    ]
    assert statuses[:20] == [422] * 20 and statuses[20:] == [429, 429]
    # Another account from those addresses is still answered.
    other = _wrong_login(client, email="other@example.com", address="198.51.100.2")
    assert other.status_code == 422


def test_sign_ups_and_reset_mails_are_throttled(client):
    statuses = [
        client.post(
            "/auth/register",
            data={
                "email": f"r{i}@example.com",
                "password": "correct horse",
                "csrf_token": set_csrf(client),
            },
        ).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]
    client.post("/auth/logout", data={"csrf_token": set_csrf(client)})
    forgot = [
        client.post(
            "/password/forgot",
            data={"email": "r0@example.com", "csrf_token": set_csrf(client)},
        ).status_code
        for _ in range(6)
    ]
    assert 429 not in forgot[:5] and forgot[5] == 429


def test_guessing_emailed_tokens_is_throttled(client):
    statuses = [client.get(f"/password/reset/guess-{i}").status_code for i in range(12)]
    assert 429 not in statuses[:10] and statuses[10:] == [429, 429]
    unsubscribe = [client.get(f"/unsubscribe/guess-{i}").status_code for i in range(21)]
    assert 429 not in unsubscribe[:20] and unsubscribe[20] == 429


def test_creating_api_tokens_is_throttled(client, auth):
    auth.register()
    for _ in range(10):
        auth.post("/settings/tokens", data={"name": "phone"})
    response = auth.post("/settings/tokens", data={"name": "phone"})
    assert response.status_code == 429


def test_a_new_app_starts_with_fresh_counters(app_config, client, auth):
    for _ in range(11):
        _wrong_login(client)
    assert _wrong_login(client).status_code == 429
    other = create_app(dict(app_config, RATELIMIT_KEY_PREFIX="another-app"))
    assert _wrong_login(other.test_client()).status_code == 422


def test_every_limited_endpoint_exists(app):
    for rule in ratelimit.LIMITS:
        assert rule.endpoint in app.view_functions, rule.endpoint


def test_redis_counts_across_apps_and_its_absence_does_not_break_login(app_config):
    """Two web processes share the counters in Redis; with Redis gone, logins still answer."""
    try:
        Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    shared = dict(
        app_config, REDIS_URL="redis://127.0.0.1:6379/0", RATELIMIT_KEY_PREFIX=uuid.uuid4().hex
    )
    first, second = create_app(shared).test_client(), create_app(shared).test_client()
    for _ in range(5):
        _wrong_login(first)
        _wrong_login(second)
    assert _wrong_login(first).status_code == 429
    gone = create_app(dict(app_config, REDIS_URL="redis://127.0.0.1:1/0"))
    assert _wrong_login(gone.test_client()).status_code == 422


def test_limits_switched_off_still_let_the_limited_views_answer(app_config):
    """RATELIMIT_ENABLED off (a load test, a trusted network): Flask-Limiter then keeps no
    reference to the limiter, so the app must, or a collected limiter turns a login into a 500."""
    import gc

    app = create_app({**app_config, "RATELIMIT_ENABLED": False})
    gc.collect()
    client = app.test_client()
    for _ in range(15):
        assert _wrong_login(client).status_code == 422
    app.extensions["legday.engine"].dispose()
