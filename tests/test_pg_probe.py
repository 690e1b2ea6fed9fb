"""The PostgreSQL leg tells a missing server from a missing database, and makes the database."""

from __future__ import annotations

import socket
import uuid

import pytest

from tests import pg


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_is_said_plainly():
    state, why = pg.probe(f"postgresql://postgres@127.0.0.1:{_free_port()}/test", timeout=2)
    assert state == "no-server" and why


def test_a_missing_database_is_told_apart_and_created():
    if pg.probe()[0] != "ready":
        pytest.skip(f"no PostgreSQL at {pg.ADMIN_URL}")
    name = f"legday_probe_{uuid.uuid4().hex[:8]}"
    url = pg._psycopg_url(pg.ADMIN_URL, name)
    state, why = pg.probe(url)
    assert state == "no-database" and name in why
    try:
        assert pg.create_admin_database(url) == name
        assert pg.probe(url) == ("ready", "")
    finally:
        pg.drop_database(name)
