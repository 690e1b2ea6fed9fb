"""Settings, read from the environment with defaults that need no service."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors"


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _flag(value: str | None) -> bool | None:
    """ "1"/"0" (also true/false, yes/no, on/off) -> True/False; unset or empty -> None."""
    if value is None or not value.strip():
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosts hand out; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(instance_path: str) -> dict:
    """Defaults: SQLite in the instance folder unless DATABASE_URL says otherwise."""
    sqlite_path = Path(instance_path) / "legday.db"
    database_url = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{sqlite_path}")
    )
    auto_migrate = _flag(os.environ.get("LEGDAY_AUTO_MIGRATE"))
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": database_url,
        # The app migrates on start only on SQLite (one process, development); a server database
        # is migrated once per release (`legday db upgrade`, the Procfile's `release`), never
        # by several web processes at once. LEGDAY_AUTO_MIGRATE=1/0 overrides.
        "AUTO_MIGRATE": database_url.startswith("sqlite") if auto_migrate is None else auto_migrate,
        # Proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (ProxyFix):
        # the client's address for rate limits, HTTPS for Secure cookies.
        "TRUSTED_PROXIES": int(os.environ.get("LEGDAY_TRUSTED_PROXIES", "0")),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "SERVER_TIMING": os.environ.get("LEGDAY_SERVER_TIMING", "0") == "1",
        "RQ_QUEUE": os.environ.get("LEGDAY_RQ_QUEUE", "legday"),
        # Bigger uploads (and every .zip) are imported in the background.
        # Import jobs: a running job's heartbeat, and when the reaper deems its process dead.
        "JOB_HEARTBEAT_SECONDS": float(os.environ.get("LEGDAY_JOB_HEARTBEAT_SECONDS", "10")),
        "JOB_STALE_SECONDS": float(os.environ.get("LEGDAY_JOB_STALE_SECONDS", "45")),
        # Processes that parse a bulk import (unset: one per core; 0 or 1: in the job's own).
        "IMPORT_WORKERS": _int_or_none(os.environ.get("LEGDAY_IMPORT_WORKERS")),
        "INLINE_IMPORT_MAX_BYTES": int(os.environ.get("LEGDAY_INLINE_IMPORT_KB", "2048")) * 1024,
        "SMTP_URL": os.environ.get("SMTP_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Legday <legday@localhost>"),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # A 4-hour run is ~0.4 MB of FIT; a bulk export zip can be large.
        "MAX_CONTENT_LENGTH": int(os.environ.get("LEGDAY_MAX_UPLOAD_MB", "512")) * 1024 * 1024,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        # Unset: Secure whenever the request is HTTPS; "0" turns it off, "1" forces it on.
        "SECURE_COOKIES": _flag(os.environ.get("LEGDAY_SECURE_COOKIES")),
        # The route map's basemap (the CSP's img-src is built from it): OpenStreetMap's public
        # tiles unless set (empty: no basemap, the SVG route only). Heavy use needs a tile
        # server of your own (OSM's usage policy).
        "TILE_URL": os.environ.get("LEGDAY_TILE_URL", DEFAULT_TILE_URL),
        "TILE_ATTRIBUTION": os.environ.get("LEGDAY_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        # Metres hidden at each end of every route on the page (0: off).
        "PRIVACY_ZONE_M": float(os.environ.get("LEGDAY_PRIVACY_ZONE_M", "200")),
    }
