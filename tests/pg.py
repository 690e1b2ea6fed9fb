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
