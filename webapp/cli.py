"""The `legday` command: Flask's CLI for this app plus Legday's own commands.

Commands that read files and need no database (inspect, state, plan) run on plain click and
start lean: `legday inspect ...` imports neither Flask, SQLAlchemy nor Alembic. Any other
command line (`run`, `db`, `user`, `--help` ...) goes to Flask's group, built on first use, with
every command registered on `app.cli` by `register_commands`.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

# name -> "module:attribute" of the commands that need neither the app nor the database
LEAN_COMMANDS = {
    "inspect": "webapp.commands.inspect:inspect_command",
    "plan": "webapp.commands.plan:plan_command",
    "state": "webapp.commands.state:state_command",
}
HELP = "Legday: what your runs did to each leg muscle, and the strength session to balance it."


def _lean(name: str) -> click.Command:
    module, attribute = LEAN_COMMANDS[name].split(":")
    return getattr(importlib.import_module(module), attribute)


def _create_app():
    from webapp import create_app

    return create_app()


def flask_group() -> click.Group:
    """Flask's group for the app (imports Flask): every command, the lean ones included."""
    from flask.cli import FlaskGroup

    group = FlaskGroup(name="legday", help=HELP, create_app=_create_app)
    for name in LEAN_COMMANDS:
        group.add_command(_lean(name))
    return group


class LegdayGroup(click.Group):
    """Runs a lean command on plain click; hands any other command line to flask_group()."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _lean(cmd_name) if cmd_name in LEAN_COMMANDS else None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(LEAN_COMMANDS)

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if argv and argv[0] in LEAN_COMMANDS:
            return super().main(argv, prog_name=prog_name, **extra)
        return flask_group().main(argv, prog_name=prog_name, **extra)


main = LegdayGroup(name="legday", help=HELP)


def register_commands(app) -> None:
    """The commands that need the app and its database, on `app.cli`."""
    from webapp.commands.clock import clock_command
    from webapp.commands.db import db_group
    from webapp.commands.send_weekly import send_weekly_command
    from webapp.commands.token import token_group
    from webapp.commands.user import user_group

    for command in (db_group, user_group, token_group, send_weekly_command, clock_command):
        app.cli.add_command(command)
