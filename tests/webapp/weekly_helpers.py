"""Runners, runs and a stricter SMTP server for the weekly email tests."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.smtp import SmtpSink, free_port
from tests.webapp.factories import add_account, add_activity
from webapp.db import new_session
from webapp.models import EmailSend, User


def stimulus(quadriceps: float, calves: float = 20.0, hamstrings: float = 15.0) -> dict:
    """A stored stimulus: per muscle {concentric, eccentric, isometric, total, damage}."""
    muscles = {}
    for key, total in (("quadriceps", quadriceps), ("calves", calves), ("hamstrings", hamstrings)):
        muscles[key] = {
            "concentric": total * 0.5,
            "eccentric": total * 0.4,
            "isometric": total * 0.1,
            "total": total,
            "damage": total / 100,
        }
    return {"muscles": muscles, "systemic_load": 50.0, "notes": []}


@dataclass
class Run:
    start: datetime
    km: float
    minutes: float
    climb_m: float
    quadriceps: float = 30.0


def add_runner(app, email: str, runs: list[Run] = (), **settings) -> int:
    """An account with stored runs and the given User settings; returns the user id.

    The runner opted in to the weekly email (new accounts have it off) unless `settings`
    say `weekly_email=False`.
    """
    settings = {"weekly_email": True, **settings}
    user_id = add_account(app, email).id
    for number, run in enumerate(runs, 1):
        add_activity(
            app,
            user_id,
            name=f"Run {number}",
            start=run.start,
            distance_m=run.km * 1000,
            moving_time_s=run.minutes * 60,
            elapsed_time_s=run.minutes * 60 + 30,
            elevation_gain_m=run.climb_m,
            stimulus=stimulus(run.quadriceps),
        )
    if settings:
        with app.app_context():
            session = new_session()
            user = session.get(User, user_id)
            for name, value in settings.items():
                setattr(user, name, value)
            session.commit()
            session.close()
    return user_id


def send_rows(app) -> dict[str, tuple[str, int]]:
    """{email: (status, attempts)} of every EmailSend row."""
    with app.app_context():
        session = new_session()
        rows = session.execute(
            select(User.email, EmailSend.status, EmailSend.attempts).join(
                User, User.id == EmailSend.user_id
            )
        ).all()
        session.close()
    return {email: (status, attempts) for email, status, attempts in rows}


def weekly_email_on(app, user_id: int) -> bool:
    with app.app_context():
        session = new_session()
        on = session.get(User, user_id).weekly_email
        session.close()
    return on


@dataclass
class PickySink(SmtpSink):
    """The test SMTP server, which can refuse some recipients or run a hook on each message."""

    refuse: set[str] = field(default_factory=set)
    on_message: object = None

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if self.on_message is not None:
            self.on_message(self)
        return reply


@contextmanager
def picky_server(app):
    """Run a PickySink on a free port and point the app's SMTP_URL at it."""
    sink = PickySink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    app.config["SMTP_URL"] = sink.url
    try:
        yield sink
    finally:
        controller.stop()


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def mail_safety_problems(html: str) -> list[str]:
    """What a mail client would strip or block: scripts, SVG, external CSS, images without alt."""
    parser = TagCollector()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag in {"script", "svg", "iframe", "object", "embed", "form"}:
            problems.append(f"<{tag}>")
        if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
            problems.append("external stylesheet")
        if tag == "img" and not (attrs.get("alt") or "").strip():
            problems.append(f"img without alt: {attrs.get('src')}")
        for name, value in attrs.items():
            if name.startswith("on") or "javascript:" in (value or ""):
                problems.append(f"script in {tag}[{name}]")
    if "@import" in html or "url(" in html:
        problems.append("CSS that loads something")
    return problems
