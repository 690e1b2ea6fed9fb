"""Steps the account browser tests share: check a page at phone size, open an emailed link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.conftest import axe_violations, has_horizontal_scroll, screenshot


def looks_right(page, name: str) -> None:
    """No sideways scroll, no axe violation; a screenshot `name` for a person to look at."""
    assert not has_horizontal_scroll(page), f"{name} scrolls sideways"
    assert axe_violations(page) == [], name
    screenshot(page, name)


def open_emailed_link(page, live_server: str, smtp_server, address: str, path: str) -> None:
    """Open the link (its path matching the regex `path`) of the one email sent to `address`,
    on the live server."""
    (message,) = smtp_server.to(address)
    link = re.search(rf"http\S+{path}\S+", message.get_content()).group(0)
    page.goto(live_server + urlsplit(link).path)
