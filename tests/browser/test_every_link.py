"""One rule for HTMX targets: a boosted link or form swaps its named fragment or the whole page.

Logged in with runs, every link and every form of every page is followed (a link) or submitted
(a form, then every link its answer brought), and afterwards the page still has one site header,
one main navigation, one <main> and one <h1>: nothing landed a whole page inside a fragment.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.runners import runner_with
from tests.browser.test_every_page import page_urls
from tests.browser.test_weeks_journey import page_shape
from tests.webapp.files import recent_start, run_fit

pytestmark = pytest.mark.browser

ONE_PAGE = {"header": 1, "nav": 1, "main": 1, "h1": 1}
# Forms that end the test's session or delete what the other pages need; each has its own tests.
LEAVES_NOTHING = ("/auth/logout", "/delete", "/revoke")
# Links that are not pages (files and downloads) or leave the session.
NOT_FOLLOWED = ("/account/export", "/static/", "/manifest", "/sw.js")

SUBMIT = "[type=submit]:visible, button:not([type]):visible"
MARK = "() => document.querySelectorAll('a').forEach(a => { a.dataset.wasHere = '1'; })"
LINKS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(a => !a.closest('svg') && a.offsetParent !== null)
  .map(a => a.getAttribute('href'))"""


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def follow_links(page, base: str, start: str, hrefs: list[str], seen: set, redo=None) -> int:
    """Click each new same-site link of `hrefs` from page `start` (after `redo()`, if given)."""
    followed = 0
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc or href.startswith("#") or href.startswith("mailto:"):
            continue
        # A link is followed once, wherever it is; the links a form's answer brought, each time.
        key = (start, href) if redo else href
        if any(part in parts.path for part in NOT_FOLLOWED) or key in seen:
            continue
        seen.add(key)
        page.goto(base + start)
        settle(page)
        if redo and redo() is False:
            continue
        fresh = ":not([data-was-here])" if redo else ""
        link = page.locator(f'a[href="{href}"]{fresh}:visible').first
        if link.count() == 0:
            continue
        link.click()
        settle(page)
        assert page_shape(page) == ONE_PAGE, f"{start}: the link {href} -> {page.url}"
        followed += 1
    return followed


def test_every_link_and_form_leaves_one_page(app, live_server, page):
    files = [
        ("hill.fit", run_fit(recent_start(), hill_m=50)),
        ("old.fit", run_fit(recent_start(9))),
    ]
    user_id, ids = runner_with(app, "links@example.com", "correct horse battery", files)
    urls = [url for _, url in page_urls(app, ids["hill.fit"][0], user_id)]

    page.set_default_timeout(8000)
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill("links@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/week")

    seen: set = set()
    links = forms = 0
    common_done = False
    for url in urls:
        response = page.goto(live_server + url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        settle(page)
        if page_shape(page)["h1"] != 1:
            continue  # the API's and email's pages are not app pages
        hrefs = sorted(set(page.evaluate(LINKS, "body a[href]")))
        # The links of the header and footer are the same on every page: follow them once.
        common = set(page.evaluate(LINKS, "header.site-header a[href]")) | set(
            page.evaluate(LINKS, "footer a[href]")
        )
        links += follow_links(page, live_server, url, [h for h in hrefs if h not in common], seen)
        if not common_done:
            links += follow_links(page, live_server, url, sorted(common), seen)
            common_done = True
        page.goto(live_server + url)
        settle(page)
        count = page.locator("main form").count()
        for index in range(count):
            page.goto(live_server + url)
            settle(page)
            form = page.locator("main form").nth(index)
            action = form.get_attribute("action") or url
            buttons = form.locator(SUBMIT)
            if any(word in action for word in LEAVES_NOTHING) or buttons.count() == 0:
                continue
            if ("form", action) in seen:
                continue
            seen.add(("form", action))

            def submit(form_index=index):
                target = page.locator("main form").nth(form_index)
                if target.count() == 0 or target.locator(SUBMIT).count() == 0:
                    return False
                page.evaluate(MARK)
                for field in target.locator("input[required]:visible").all():
                    if not field.input_value():
                        kind = field.get_attribute("type") or "text"
                        field.fill("2025-03-12" if kind == "date" else "legday")
                target.locator(SUBMIT).first.click()
                settle(page)
                return True

            submit()
            forms += 1
            assert page_shape(page) == ONE_PAGE, f"{url}: the form {action} -> {page.url}"
            brought = sorted(set(page.evaluate(LINKS, "main a[href]:not([data-was-here])")))
            if page.url.rstrip("/") == (live_server + url).rstrip("/"):
                links += follow_links(page, live_server, url, brought, seen, redo=submit)
    assert links >= 25, links
    assert forms >= 5, forms
