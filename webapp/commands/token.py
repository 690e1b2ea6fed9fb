"""`legday token create EMAIL [--name]`: make a personal API token and print it once."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp import db
from webapp.auth import normalise_email
from webapp.models import User
from webapp.tokens import create_token


@click.group("token", cls=AppGroup)
def token_group() -> None:
    """Personal API tokens, for operators."""


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (shown in settings).")
def token_create(email: str, name: str) -> None:
    """Create an API token for EMAIL's account; the token is printed once, never stored."""
    session = db.new_session()
    try:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise click.ClickException(f"No account uses {email}.")
        row, plain = create_token(session, user, name or "Created on the command line")
        session.commit()
        click.echo(f"Token {row.name!r} for {user.email}; it is shown only this once:", err=True)
        click.echo(plain)
    finally:
        session.close()
