"""PostgreSQL for the test suite: a throwaway database of its own, created and dropped."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

ADMIN_URL = os.environ.get("LEGDAY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _psycopg_url(url: str, dbname: str | None = None) -> str:
    parts = urlsplit(url)
    path = f"/{dbname}" if dbname else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def available(timeout: int = 3) -> bool:
    import psycopg

    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=timeout):
            return True
    except psycopg.Error:
        return False


def probe(url: str | None = None, timeout: int = 3) -> tuple[str, str]:
    """What answers at `url` (default ADMIN_URL): ("ready", ""), ("no-database", why) when the
    server answers but that database does not exist, ("no-server", why) when no server
    answers there (or it refuses these credentials)."""
    import psycopg

    url = url or ADMIN_URL
    try:
        with psycopg.connect(url, connect_timeout=timeout):
            return "ready", ""
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for maintenance in ("postgres", "template1"):
        try:
            with psycopg.connect(_psycopg_url(url, maintenance), connect_timeout=timeout) as conn:
                name = urlsplit(url).path.lstrip("/")
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
                ).fetchone()
                if exists is None:
                    return "no-database", f'the server answers, database "{name}" is missing'
                return "no-server", f"the server answers but refuses {name!r}: {first}"
        except psycopg.Error:
            continue
    return "no-server", first


def create_admin_database(url: str | None = None) -> str:
    """Create the database `url` names (through the server's `postgres` database); its name."""
    import psycopg

    url = url or ADMIN_URL
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_psycopg_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def create_database() -> tuple[str, str]:
    """Create `legday_test_<random>`; return (its SQLAlchemy URL, its name)."""
    import psycopg

    name = f"legday_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _psycopg_url(ADMIN_URL, name).replace("postgresql://", "postgresql+psycopg://", 1)
    return url, name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
