"""Sending email over SMTP, configured by SMTP_URL (smtp:// with STARTTLS, or smtps://)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class MailNotConfigured(RuntimeError):
    """No SMTP_URL is set: nothing can be sent."""


def smtp_connect(url: str | None, timeout: float = 30) -> smtplib.SMTP:
    """An open, authenticated SMTP connection for `url`.

    `smtp://user:pass@host:587` upgrades with STARTTLS when the server offers it;
    `smtps://host:465` uses implicit TLS; `?starttls=0` turns STARTTLS off (local sinks).
    """
    if not url:
        raise MailNotConfigured("SMTP_URL is not set, so no email can be sent.")
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=timeout, context=context
        )
    elif parts.scheme == "smtp":
        conn = smtplib.SMTP(host, parts.port or 587, timeout=timeout)
        conn.ehlo()
        if "starttls=0" not in parts.query and conn.has_extn("starttls"):
            conn.starttls(context=context)
            conn.ehlo()
    else:
        raise MailNotConfigured(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme}")
    if parts.username:
        conn.login(unquote(parts.username), unquote(parts.password or ""))
    return conn


def send(url: str | None, message: EmailMessage) -> None:
    """Send one message (opens and closes its own connection)."""
    with smtp_connect(url) as conn:
        conn.send_message(message)
