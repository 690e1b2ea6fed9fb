"""Safe redirects: `safe_next(value)` keeps a `?next=` target only when it is a path on this site.

An attacker's link `/auth/login?next=...` must not send the runner to another host after the
login (an open redirect), nor break the response (a 500). Browsers are lenient: they drop tabs
and newlines inside URLs and read a backslash as a slash, so `/%09/evil.example` and `/\\evil`
both become `//evil.example`, a link to another host. Hence the rules: the value must start
with one `/`, hold no control character (U+0000-U+001F, U+007F), no backslash, no scheme,
and no host once parsed; anything else gives the fallback (the home page by default).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import url_for

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_LENGTH = 2048


def is_safe_path(value: str | None) -> bool:
    """True for a same-origin relative path such as `/week/2026-W48?x=1#plan`."""
    if not value or len(value) > MAX_LENGTH:
        return False
    if _CONTROL.search(value) or "\\" in value:
        return False
    if not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next(value: str | None, fallback: str | None = None) -> str:
    """`value` when it is a safe same-site path (see `is_safe_path`), else `fallback` (or /)."""
    if is_safe_path(value):
        return value
    return fallback if fallback is not None else url_for("home.index")
