"""A runner for a browser test: a user whose files went through the app's own import
(webapp.ingest), as the upload page would bring them in."""

from __future__ import annotations


def runner_with(app, email: str, password: str, files, **settings) -> tuple[int, dict]:
    """Create the user (with `settings` such as units="mi") and import `files`, a list of
    (name, bytes); returns (user id, {name: [activity ids]})."""
    from webapp import ingest
    from webapp.auth import create_user
    from webapp.db import new_session

    with app.app_context():
        session = new_session()
        try:
            user = create_user(session, email, password)
            for name, value in settings.items():
                setattr(user, name, value)
            session.commit()
            ids = {}
            for name, data in files:
                results = ingest.ingest(session, user, name, data)
                ids[name] = [r.activity_id for r in results if r.activity_id]
            session.commit()
            return user.id, ids
        finally:
            session.close()
