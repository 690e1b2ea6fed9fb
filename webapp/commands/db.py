"""`legday db upgrade|downgrade|current|revision`: the database schema (Alembic migrations)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from webapp import db


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    from alembic import command

    command.upgrade(db.alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION."""
    from alembic import command

    command.downgrade(db.alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_group.command("current")
def db_current() -> None:
    """Show the database's migration revision."""
    from alembic import command

    command.current(db.alembic_config(current_app.config["DATABASE_URL"]))


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    command.revision(
        db.alembic_config(current_app.config["DATABASE_URL"]),
        message=message,
        autogenerate=autogenerate,
    )
