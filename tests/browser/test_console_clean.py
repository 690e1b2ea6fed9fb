"""No JavaScript errors: the console and uncaught exceptions stay clean on an activity page with
its route map (over tiles from a local folder, and without tiles), and on a settings save (an
HTMX swap: no inline <style> for the Content-Security-Policy to refuse)."""

from __future__ import annotations

import pytest

from tests.browser.test_journey import log_in, runner_data, tile_server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def errors(page):
    """Every console error and uncaught exception of `page`, as text."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"pageerror: {e}"))
    return seen


def test_an_activity_page_with_its_map_logs_no_error(
    app, live_server, page, runner_data, tile_server, errors  # noqa: F811
):
    base, asked = tile_server
    app.config["TILE_URL"] = base + "/{z}/{x}/{y}.png"
    log_in(page, live_server)
    page.goto(f"{live_server}/activities/{runner_data['activity_id']}")
    page.wait_for_selector("[data-route-map][data-state=live]", timeout=10000)
    page.wait_for_selector("[data-chart=activity].chart-drawn")
    page.wait_for_timeout(1500)  # the map's zoom and fade animations end
    assert asked and page.locator(".leaflet-tile-loaded").count() > 0
    # A boosted navigation away and back: the map is built again in the new page.
    page.locator(".breadcrumb a", has_text="Its week").click()
    page.wait_for_url("**/week/*")
    page.go_back()
    page.wait_for_selector("[data-route-map][data-state=live]", timeout=10000)
    page.wait_for_timeout(1500)
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("tile_url", ["", "http://127.0.0.1:9/{z}/{x}/{y}.png"])
def test_an_activity_page_whose_tiles_fail_logs_no_error(
    app, live_server, page, runner_data, errors, tile_url  # noqa: F811
):
    """No tile server, or one that does not answer (offline): the SVG route, and no error
    (Leaflet's map was removed inside its tile layer's "load" event: _fadeAnimated of null)."""
    app.config["TILE_URL"] = tile_url
    log_in(page, live_server)
    page.goto(f"{live_server}/activities/{runner_data['activity_id']}")
    page.wait_for_selector("[data-route-map][data-state=fallback]", timeout=15000)
    page.wait_for_timeout(1000)
    assert page.locator("[data-route-map] svg.route").is_visible()
    # The browser's own line for each tile the dead server did not give is expected; no other.
    errors = [e for e in errors if not (tile_url and "Failed to load resource: net::" in e)]
    assert errors == [], "\n".join(errors)


def test_a_settings_save_logs_no_error(live_server, page, runner_data, errors):  # noqa: F811
    log_in(page, live_server)
    page.goto(live_server + "/settings")
    page.get_by_label("Long-run day").select_option(label="Sunday")
    page.get_by_role("button", name="Save settings").click()
    page.locator("#settings-form .flash").wait_for()
    assert "Saved." in page.locator("#settings-form .flash").inner_text()
    page.wait_for_timeout(300)
    assert errors == [], "\n".join(errors)
