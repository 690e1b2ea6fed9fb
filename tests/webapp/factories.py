"""Rows for webapp tests: accounts, tokens and stored activities written straight to the database.

The activity rows carry a real (small, hand-written) GPX file as their original, so an export
or a re-import has genuine bytes to work with.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from webapp.auth import create_user
from webapp.db import new_session
from webapp.models import Activity, OriginalFile
from webapp.tokens import create_token

PASSWORD = "correct horse"


def gpx_text(name: str, start: datetime, points: int = 5) -> str:
    """A tiny GPX track: `points` fixes 10 s and about 30 m apart, heading north."""
    fixes = "\n".join(
        f'<trkpt lat="{51.5 + i * 0.00027:.5f}" lon="-0.12"><ele>{20 + i}</ele>'
        f"<time>{(start + timedelta(seconds=10 * i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="legday-tests" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>{name}</name><type>running</type><trkseg>\n{fixes}\n</trkseg></trk></gpx>\n"
    )


@dataclass
class Account:
    id: int
    email: str
    password: str
    token: str


def add_account(app, email: str = "runner@example.com", token_name: str = "tests") -> Account:
    """A user with one live API token."""
    with app.app_context():
        session = new_session()
        user = create_user(session, email, PASSWORD)
        session.flush()
        _row, plain = create_token(session, user, token_name)
        session.commit()
        account = Account(user.id, user.email, PASSWORD, plain)
        session.close()
    return account


def add_activity(
    app, user_id: int, name: str = "Morning run", start: datetime | None = None, **fields
) -> int:
    """A stored run (original GPX file + activity row with a stimulus); returns its id."""
    start = start or datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    content = gpx_text(name, start).encode()
    digest = hashlib.sha256(content).hexdigest()
    with app.app_context():
        session = new_session()
        original = OriginalFile(
            user_id=user_id,
            filename=f"{name.lower().replace(' ', '-')}.gpx",
            sha256=digest,
            size=len(content),
            content=content,
        )
        session.add(original)
        session.flush()
        values = {
            "name": name,
            "source_format": "gpx",
            "sport": "running",
            "is_run": True,
            "start_time": start,
            "elapsed_time_s": 40.0,
            "moving_time_s": 40.0,
            "distance_m": 120.0,
            "elevation_gain_m": 4.0,
            "elevation_loss_m": 0.0,
            "elevation_source": "gps",
            "avg_pace_s_per_km": 333.0,
            "fingerprint": digest[:32],
            "summary": {"splits": [{"distance_m": 120.0, "moving_time_s": 40.0}]},
            "stimulus": {
                "muscles": {"quadriceps": {"concentric": 1.5, "eccentric": 0.5, "total": 2.0}},
                "systemic_load": 3.0,
                "notes": [],
            },
            "systemic_load": 3.0,
        }
        values.update(fields)
        activity = Activity(user_id=user_id, original_file_id=original.id, **values)
        session.add(activity)
        session.commit()
        activity_id = activity.id
        session.close()
    return activity_id


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def count(session, model) -> int:
    """How many rows `model`'s table holds."""
    return session.scalar(select(func.count()).select_from(model))
