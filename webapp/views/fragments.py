"""Full page or fragment from one URL: the fragment is the same partial the page includes."""

from __future__ import annotations

from flask import make_response, render_template
from htmx_flask import request


def wants_fragment(target_id: str) -> bool:
    """True when HTMX asked for `target_id` itself (a boosted navigation gets the full page)."""
    return bool(request.htmx) and request.htmx.target == target_id


def page_or_fragment(
    page_template: str,
    fragment_template: str,
    target_id: str,
    *,
    status: int = 200,
    headers=None,
    **context,
):
    """Render the page, or only the fragment when HTMX targets `target_id`; both vary on it."""
    template = fragment_template if wants_fragment(target_id) else page_template
    response = make_response(render_template(template, **context), status)
    response.vary.update(("HX-Request", "HX-Target"))
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
