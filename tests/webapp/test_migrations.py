"""The migrations form one line and build exactly the schema the models describe."""

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from webapp import db
from webapp.models import Base


def test_migrations_have_a_single_head():
    script = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_migrated_schema_matches_the_models(app):
    engine = app.extensions["legday.engine"]
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_to_nothing_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    db.upgrade(url)
    from alembic import command

    command.downgrade(db.alembic_config(url), "base")
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() is not None
    finally:
        engine.dispose()


@pytest.fixture
def fresh_url(request, tmp_path):
    """An empty database of the leg's kind (SQLite file, or a new PostgreSQL database)."""
    if request.config.getoption("--db") != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    from tests import pg

    url, name = pg.create_database()
    yield url
    pg.drop_database(name)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite text, PG parsed


def test_job_uploads_migration_carries_payload_and_results_both_ways(fresh_url):
    """0007 moves a job's upload to import_uploads and its results to import_job_files, and
    back on downgrade (nothing of an old job is lost either way)."""
    from alembic import command
    from sqlalchemy import text

    url = fresh_url
    db.upgrade(url, "0006_activity_edits")
    engine = db.make_engine(url)
    results = [{"source_name": "a.fit", "status": "imported"}]
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (email, password_hash, created_at, units, timezone, "
                    "week_start, focus, equipment, available_days, weekly_email, "
                    "email_weekday, email_hour) VALUES ('j@example.com', 'x', '2026-01-01', "
                    "'km', 'UTC', 0, 'general', '[]', '[]', false, 0, 7)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO import_jobs (user_id, filename, status, total, done, payload, "
                    "results, created_at) SELECT id, 'all.zip', 'done', 1, 1, :payload, "
                    ":results, '2026-01-01' FROM users"
                ),
                {"payload": b"PK\x03\x04zip", "results": json.dumps(results)},
            )
        db.upgrade(url)
        with engine.begin() as conn:
            upload = conn.execute(text("SELECT size, content FROM import_uploads")).one()
            assert (upload.size, bytes(upload.content)) == (7, b"PK\x03\x04zip")
            (kept,) = conn.execute(text("SELECT results FROM import_job_files")).scalars()
            assert _json(kept) == results
            assert conn.execute(text("SELECT attempts FROM import_jobs")).scalar() == 0
        command.downgrade(db.alembic_config(url), "0006_activity_edits")
        with engine.begin() as conn:
            row = conn.execute(text("SELECT payload, results FROM import_jobs")).one()
            assert bytes(row.payload) == b"PK\x03\x04zip"
            assert _json(row.results) == results
    finally:
        engine.dispose()


def test_one_body_mass_migration_keeps_the_profiles_answer_both_ways(fresh_url):
    """0011 keeps one body mass (users.mass_kg): a profile's answer reaches a user without one,
    a user's own value stays, and a downgrade gives the profile rows their copy back."""
    from alembic import command
    from sqlalchemy import text

    url = fresh_url
    db.upgrade(url, "0010_activity_edited_index")
    engine = db.make_engine(url)
    try:
        with engine.begin() as conn:
            for email, mass in (("a@example.com", None), ("b@example.com", 80.0)):
                conn.execute(
                    text(
                        "INSERT INTO users (email, password_hash, created_at, units, timezone, "
                        "week_start, focus, equipment, available_days, weekly_email, "
                        "email_weekday, email_hour, mass_kg) VALUES (:email, 'x', '2026-01-01', "
                        "'km', 'UTC', 0, 'general', '[]', '[]', false, 0, 7, :mass)"
                    ),
                    {"email": email, "mass": mass},
                )
            conn.execute(
                text(
                    "INSERT INTO runner_profiles (user_id, profile_body_mass_kg, updated_at) "
                    "SELECT id, 61.5, '2026-01-01' FROM users"
                )
            )
        db.upgrade(url)
        with engine.begin() as conn:
            masses = conn.execute(text("SELECT email, mass_kg FROM users ORDER BY email")).all()
            assert [tuple(r) for r in masses] == [("a@example.com", 61.5), ("b@example.com", 80.0)]
            columns = conn.execute(text("SELECT * FROM runner_profiles")).keys()
            assert "profile_body_mass_kg" not in columns
        command.downgrade(db.alembic_config(url), "0010_activity_edited_index")
        with engine.begin() as conn:
            back = conn.execute(
                text(
                    "SELECT u.email, p.profile_body_mass_kg FROM runner_profiles p "
                    "JOIN users u ON u.id = p.user_id ORDER BY u.email"
                )
            ).all()
            assert [tuple(r) for r in back] == [("a@example.com", 61.5), ("b@example.com", 80.0)]
    finally:
        engine.dispose()
