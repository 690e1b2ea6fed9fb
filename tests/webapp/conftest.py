"""Fixtures of the webapp tests: a database session in an app context and a stored runner."""

from __future__ import annotations

import uuid

import pytest

from webapp.auth import create_user
from webapp.db import new_session


@pytest.fixture
def db(app):
    with app.app_context():
        session = new_session()
        yield session
        session.close()


@pytest.fixture
def user(db):
    u = create_user(db, "runner@example.com", "correct horse")
    db.commit()
    return u


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_queue(app):
    """An RQ queue of its own on the local Redis, set as the app's queue; emptied after."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    name = f"legday-test-{uuid.uuid4().hex[:12]}"
    app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=name)
    from rq import Queue

    queue = Queue(name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)
    connection.close()
