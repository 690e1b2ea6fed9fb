"""The weekly email as a message: the templates filled, the headers set.

In: a WeeklyDigest. Out: `render` -> (text, html) from the ONE pair of templates
`templates/email/weekly.{txt,html}` (needs an app context; the settings page preview renders
the same); `build_message` -> a multipart/alternative EmailMessage with the RFC 8058
one-click unsubscribe headers; `message_id` -> the stable Message-ID of a user's week.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import render_template

from webapp.weekly.digest import WeeklyDigest


def render(digest: WeeklyDigest) -> tuple[str, str]:
    """(text, html) from templates/email/weekly.{txt,html}; needs an app context."""
    return (
        render_template("email/weekly.txt", d=digest),
        render_template("email/weekly.html", d=digest),
    )


def message_id(week: str, user_id: int, mail_from: str) -> str:
    """The same Message-ID whenever this user's email for this week is (re)sent."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "legday.invalid"
    return f"<weekly.{week}.{user_id}@{domain}>"


def build_message(
    digest: WeeklyDigest, mail_from: str, msg_id: str, now: datetime | None = None
) -> EmailMessage:
    """multipart/alternative (text, then HTML) with the one-click unsubscribe headers."""
    text, html = render(digest)
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = digest.to
    message["Subject"] = digest.subject
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = msg_id
    message["List-Unsubscribe"] = f"<{digest.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
