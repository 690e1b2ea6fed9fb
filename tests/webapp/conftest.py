"""Fixtures of the webapp tests: a database session in an app context and a stored runner."""

from __future__ import annotations

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
