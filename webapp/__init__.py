"""The Legday web app: `create_app()` is the factory gunicorn and the `legday` command use.

The package itself imports nothing heavy: `webapp.create_app` loads Flask, SQLAlchemy and the
views (webapp.app) on first use, so that `legday inspect`, `state` and `plan`, which read files
and need no database, start without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from webapp.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from webapp.app import create_app

        return create_app
    raise AttributeError(f"module 'webapp' has no attribute {name!r}")
