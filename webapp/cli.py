"""The `legday` command: Flask's CLI for this app plus Legday's own commands.

Commands that read files and need no database (inspect, state, plan) are added to `main`
with `@main.command(with_appcontext=False)` so that they never build the app; commands that
need the database go on `app.cli` in `register_commands`.
"""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup

from webapp import db
from webapp.commands.clock import clock_command
from webapp.commands.inspect import inspect_command
from webapp.commands.plan import plan_command
from webapp.commands.reprocess import reprocess_command
from webapp.commands.send_weekly import send_weekly_command
from webapp.commands.state import state_command
from webapp.commands.token import token_group


def _create_app() -> Flask:
    from webapp import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Legday: what your runs did to each leg muscle, and the strength session to balance it."""


main.add_command(inspect_command)
main.add_command(plan_command)
main.add_command(state_command)


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


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Accounts, for operators."""


@user_group.command("create")
@click.argument("email")
def user_create(email: str) -> None:
    """Create an account; the password is read from standard input."""
    from webapp.auth import create_user

    password = (
        sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty()
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    session = db.new_session()
    try:
        user = create_user(session, email, password)
        session.commit()
    except ValueError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    finally:
        session.close()
    click.echo(f"Created user {user.email} (id {user.id}).")


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(user_group)
    app.cli.add_command(token_group)
    app.cli.add_command(send_weekly_command)
    app.cli.add_command(clock_command)
    app.cli.add_command(reprocess_command)
