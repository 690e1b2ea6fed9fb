"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 at a free port, keeping what arrives.

`smtp_server` (a pytest fixture, loaded by tests/conftest.py through `pytest_plugins`) starts
the server, points the app's SMTP_URL at it when the test also uses `app`, and gives the test
an `SmtpSink` whose `.messages` are the parsed messages in arrival order.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A port nobody listens on right now (the OS picks it for a socket bound to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class Envelope:
    """What the SMTP conversation said, beside the message's own headers."""

    mail_from: str
    rcpt_tos: list[str]


@dataclass
class SmtpSink:
    """The aiosmtpd handler: every accepted message is parsed and kept."""

    host: str = HOST
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The SMTP_URL for webapp/mail.py (plain SMTP, no STARTTLS: a local sink)."""
        return f"smtp://{self.host}:{self.port}?starttls=0"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope recipients include `address`."""
        return [
            msg
            for msg, env in zip(self.messages, self.envelopes, strict=True)
            if address in env.rcpt_tos
        ]

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        # Appended before the 250 reply, so the message is here when smtplib's send returns.
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append(Envelope(envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(request):
    """A running SMTP server; with the `app` fixture in the same test, SMTP_URL points at it."""
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["SMTP_URL"] = sink.url
    try:
        yield sink
    finally:
        controller.stop()
