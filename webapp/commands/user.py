"""`legday user create EMAIL`: accounts, for operators (the password on standard input)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from webapp import db


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
