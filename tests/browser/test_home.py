"""The first browser test: the home page on a phone."""

from tests.conftest import axe_violations, has_horizontal_scroll, screenshot


def test_home_page_on_a_phone(live_server, page):
    response = page.goto(live_server + "/")
    assert response.status == 200
    assert page.viewport_size == {"width": 390, "height": 844}
    assert page.get_by_role("heading", level=1).inner_text().startswith("Running builds")
    assert not has_horizontal_scroll(page)
    assert page.evaluate("() => typeof htmx") == "object", "htmx is served from static/"
    assert axe_violations(page) == []
    screenshot(page, "home")
