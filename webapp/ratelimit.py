"""Rate limits (Flask-Limiter) on the doors a stranger can knock on: log in, register, password
reset, the emailed-token pages, API-token creation and logged-out `/share`; and on the login
details of Settings (log out other devices, change password, change email), where a borrowed
session could guess the current password or send mail.

One table, `LIMITS`, says what is limited where; `init_app` wraps those views. Counters live in
Redis when REDIS_URL is set (shared by every web process), in memory otherwise (one process).
A throttled request gets 429 with a `Retry-After` header and the app's error page (JSON on /api).
Clients are told apart by their address (`request.remote_addr`: behind a proxy, set
LEGDAY_TRUSTED_PROXIES so that it is the client's). Config: RATELIMIT_ENABLED (default on),
RATELIMIT_KEY_PREFIX (default "legday"; tests give each app its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

# Logged-out /share, per address and day (the global bound is in views/share.py).
SHARE_FILES_PER_DAY = 60
SHARE_MB_PER_DAY = 128


def _failed(response) -> bool:
    """Only failures count towards a login limit: a runner who logs in is not slowed down."""
    return response.status_code >= 400


def _login_email() -> str:
    return "login-email:" + request.form.get("email", "").strip().lower()[:254]


def _account() -> str:
    """The logged-in account (per account, whichever address it comes from)."""
    from flask_login import current_user

    return f"account:{current_user.get_id()}"


def _logged_in() -> bool:
    return current_user.is_authenticated


def _shared_files() -> int:
    return max(1, len(request.files.getlist("files")))


def _shared_mb() -> int:
    return max(1, -(-(request.content_length or 0) // (1024 * 1024)))


@dataclass(frozen=True)
class Rule:
    endpoint: str
    limit: str
    methods: tuple[str, ...] | None = ("POST",)
    key_func: object = None
    deduct_when: object = None
    exempt_when: object = None
    cost: object = 1


LIMITS = (
    # 50 wrong passwords from one address within the hour: the 11th of a minute is refused.
    Rule("auth.login", "10 per minute;50 per hour", deduct_when=_failed),
    # Per account too (a slow guess from many addresses); a success does not count.
    Rule("auth.login", "20 per hour", key_func=_login_email, deduct_when=_failed),
    Rule("auth.register", "5 per minute;30 per hour"),
    Rule("password.forgot", "5 per minute;20 per hour"),
    Rule("password.reset", "10 per minute;60 per hour", methods=None),
    Rule("email.unsubscribe", "20 per minute", methods=None),
    Rule("email.unsubscribe_post", "20 per minute", methods=None),
    Rule("account.create_api_token", "10 per minute;50 per day"),
    Rule("credentials.end_others", "10 per minute;50 per day"),
    # Wrong current passwords, per account: a borrowed session cannot guess on.
    Rule(
        "credentials.change_password",
        "5 per minute;20 per hour",
        key_func=_account,
        deduct_when=_failed,
    ),
    Rule("credentials.change_email", "5 per minute;20 per day", key_func=_account),
    Rule("credentials.confirm_email", "10 per minute;60 per hour", methods=None),
    Rule(
        "share.receive",
        f"{SHARE_FILES_PER_DAY} per day",
        exempt_when=_logged_in,
        cost=_shared_files,
    ),
    Rule(
        "share.receive",
        f"{SHARE_MB_PER_DAY} per day",
        exempt_when=_logged_in,
        cost=_shared_mb,
        key_func=lambda: "share-mb:" + get_remote_address(),
    ),
)


def init_app(app: Flask) -> Limiter:
    """Attach a limiter of this app's own (tests build many apps) and wrap the `LIMITS` views."""
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "legday")
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    # Redis down: count in this process's memory rather than fail the login page.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter = Limiter(get_remote_address, app=app, key_prefix=app.config["RATELIMIT_KEY_PREFIX"])
    for rule in LIMITS:
        view = app.view_functions[rule.endpoint]
        app.view_functions[rule.endpoint] = limiter.limit(
            rule.limit,
            key_func=rule.key_func,
            methods=list(rule.methods) if rule.methods else None,
            deduct_when=rule.deduct_when,
            exempt_when=rule.exempt_when,
            cost=rule.cost,
            error_message="Too many attempts. Please wait a little and try again.",
        )(view)
    # The wrapped views hold the limiter weakly, and Flask-Limiter keeps none of its own when
    # RATELIMIT_ENABLED is off: the app holds it, or the first wrapped request fails.
    app.extensions["legday.limiter"] = limiter
    return limiter
