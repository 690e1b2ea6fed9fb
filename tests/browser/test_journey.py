"""The runner's journey blocks at 390 x 844: the body map, session mode, the route map over
tiles from a local folder (and its SVG fallback), the uPlot charts, and the privacy page.
Screenshots go to docs/screenshots/ for the README and for people to look at."""

from __future__ import annotations

import json
import struct
import threading
import zlib
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser.runners import runner_with
from tests.conftest import ROOT, axe_violations, has_horizontal_scroll
from tests.webapp.files import in_this_week, recent_start, run_fit

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "screenshots"
EMAIL, PASSWORD = "journey@example.com", "correct horse battery"


def png(size: int = 256, rgb: tuple[int, int, int] = (170, 211, 223)) -> bytes:
    """A plain-coloured PNG tile, made here (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


class _Tiles(SimpleHTTPRequestHandler):
    """Serves the folder's tile.png for every /{z}/{x}/{y}.png asked for, and counts them."""

    asked: list[str] = []

    def translate_path(self, path):
        self.asked.append(path)
        return str(Path(self.directory) / "tile.png")

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server(tmp_path):
    """A tile server on 127.0.0.1 serving a PNG generated into a local folder."""
    folder = tmp_path / "tiles"
    folder.mkdir()
    (folder / "tile.png").write_bytes(png())
    handler = type("Tiles", (_Tiles,), {"asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler.asked
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def runner_data(app):
    """A runner with a hilly run this week and four older ones (a trend to draw)."""
    files = [(f"old{days}.fit", run_fit(recent_start(days))) for days in (8, 15, 22, 29)]
    files.append(("hill.fit", run_fit(in_this_week(20), seconds=2700, hill_m=80)))
    user_id, ids = runner_with(app, EMAIL, PASSWORD, files)
    return {"user_id": user_id, "activity_id": ids["hill.fit"][0]}


def log_in(page, live_server, email: str = EMAIL):
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/week")


def check(page, name: str, top: str | None = None) -> None:
    """No sideways scroll, axe-clean, and a screenshot of the phone's screen (390 x 844 CSS
    pixels, `top` scrolled to the top of it) under docs/screenshots/."""
    assert not has_horizontal_scroll(page), f"{name} scrolls sideways"
    assert axe_violations(page) == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    if top:
        page.locator(top).first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SHOTS / f"{name}.png"), scale="css")


def small_targets(page, selector: str) -> list[str]:
    """The visible elements matching `selector` smaller than 44 x 44 px."""
    return page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel))
            .filter((el) => el.getClientRects().length)
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
            .map(([el, r]) => el.outerHTML.slice(0, 80) + ' ' + Math.round(r.width)
                              + 'x' + Math.round(r.height))""",
        selector,
    )


def test_tapping_a_muscle_shows_its_numbers_and_exercises(app, live_server, page, runner_data):
    from webapp.db import new_session
    from webapp.models import User
    from webapp.weeks import weekly_context

    log_in(page, live_server)
    with app.app_context():
        session = new_session()
        week = weekly_context(session, session.get(User, runner_data["user_id"]))
        session.close()
    quads = next(m for m in week.muscles if m["key"] == "quadriceps")
    assert quads["week_load"] > 0

    panel = page.locator("#muscle-quadriceps")
    assert not panel.is_visible(), "no panel until a muscle is chosen"
    page.locator(".view-front a[data-muscle=quadriceps] path.muscle").first.tap()
    panel.wait_for(state="visible")
    assert f"{round(quads['week_load'])}" in panel.inner_text()
    assert "Last 7 days" in panel.text_content() and "Usual week" in panel.text_content()
    assert page.locator("#muscle-hamstrings").is_hidden(), "one panel at a time"
    assert page.locator(".muscle-chips a[data-muscle=quadriceps]").get_attribute("aria-current")
    # Each muscle is a labelled link that the keyboard reaches.
    names = page.locator(".bodymap a.muscle-link:not([tabindex='-1'])").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('aria-label'))"
    )
    assert len(names) == 12 and all(": " in n for n in names), names
    # Core trains in the plan, not in running: its panel lists this week's exercises for it.
    page.locator(".muscle-chips a[data-muscle=core]").tap()
    core = page.locator("#muscle-core")
    core.wait_for(state="visible")
    planned = [
        ex["name"]
        for s in week.plan["sessions"]
        for ex in s["exercises"]
        if "core" in ex.get("muscles", [])
    ]
    assert planned and all(name in core.inner_text() for name in planned)
    assert small_targets(page, ".muscle-chips a, .muscle-exercises a, .week-runs a") == []
    page.locator(".view-back a[data-muscle=hamstrings] path.muscle").first.tap()
    page.locator("#muscle-hamstrings").wait_for(state="visible")
    check(page, "week-bodymap", top="#map-h")


BROKEN_WORDS = """(sel) => {
  // Every word of the cells under `sel` that the browser split over two lines.
  const broken = [];
  for (const cell of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


def test_the_body_map_table_breaks_no_word_on_a_phone(live_server, page, runner_data):
    """At 390 px each header and cell keeps its words whole ("Quadriceps", not "Quadric/eps");
    a table wider than the screen scrolls sideways inside its box and says so."""
    log_in(page, live_server)
    table = page.locator(".muscle-table table")
    table.scroll_into_view_if_needed()
    assert table.locator("tbody tr").count() >= 6
    broken = page.evaluate(BROKEN_WORDS, ".muscle-table th, .muscle-table td")
    assert broken == [], broken
    scroller = page.locator(".muscle-table .table-scroll")
    wider = scroller.evaluate("(el) => el.scrollWidth > el.clientWidth + 1")
    hint = page.locator("#muscle-table-hint")
    assert hint.is_visible() == wider, "the swipe hint shows exactly when the table is cut"
    check(page, "week-bodymap-table", top="#muscle-table-h")


def test_the_body_map_works_without_javascript(browser, live_server, runner_data):
    from tests.conftest import PHONE

    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server)
        page.locator(".muscle-chips a[data-muscle=calves]").click()
        assert page.locator("#muscle-calves").is_visible()
        assert "Last 7 days" in page.locator("#muscle-calves").text_content()
    finally:
        context.close()


def test_session_mode_ticks_sets_rests_and_logs_done(app, live_server, page, runner_data):
    from sqlalchemy import select

    from webapp.db import new_session
    from webapp.models import StrengthLog

    log_in(page, live_server)
    page.locator("#session-0").get_by_role("link", name="Start").click()
    page.wait_for_url("**/sessions/0")
    assert page.locator(".site-header").is_hidden(), "session mode fills the screen"
    boxes = page.locator("[data-set]")
    total = boxes.count()
    assert total >= 2
    timer = page.locator("[data-timer]")
    assert timer.is_hidden()
    boxes.nth(0).check()
    timer.wait_for(state="visible")
    assert page.locator("[data-progress]").inner_text() == f"1 of {total} sets done"
    left = page.locator("[data-timer-left]").inner_text()
    assert ":" in left and left != "0:00", left
    check(page, "session-mode")
    page.get_by_role("button", name="Skip rest").click()
    assert timer.is_hidden()
    first_name = page.locator(".session-step h2").first.inner_text()
    page.get_by_role("button", name="Done").click()
    page.wait_for_url("**/week/*")
    page.locator("#session-0 .badge", has_text="Done").wait_for()
    assert "1 of " in page.locator("#session-0").inner_text()
    with app.app_context():
        session = new_session()
        log = session.scalar(select(StrengthLog).where(StrengthLog.session_index == 0))
        session.close()
    assert log is not None and log.status == "done" and log.exercises == [first_name]


def test_session_mode_keeps_ticks_over_a_reload_and_counts_down_a_hold(
    live_server, page, runner_data
):
    page.clock.install()  # the hold and the rest run on the page's clock, moved by the test
    log_in(page, live_server)
    page.locator("#session-0").get_by_role("link", name="Start").click()
    page.wait_for_url("**/sessions/0")
    session_url = page.url
    mode = page.locator("[data-session-mode]")
    key = mode.get_attribute("data-session-key")
    boxes = page.locator("[data-set]")
    total = boxes.count()
    boxes.nth(0).check()
    boxes.nth(total - 1).check()
    page.reload()
    assert boxes.nth(0).is_checked() and boxes.nth(total - 1).is_checked()
    assert [boxes.nth(i).is_checked() for i in range(1, total - 1)] == [False] * (total - 2)
    assert page.locator("[data-progress]").inner_text() == f"2 of {total} sets done"

    step = page.locator(".session-step[data-hold]").first
    seconds = int(step.get_attribute("data-hold"))
    start = step.get_by_role("button", name=f"Start {seconds} s hold")
    start.click()
    holding = page.locator("[data-hold-timer]")
    holding.wait_for(state="visible")
    assert page.locator("[data-hold-left]").inner_text() == f"0:{seconds:02d}"
    assert not step.locator("[data-set]").first.is_checked()
    page.clock.run_for((seconds - 10) * 1000)
    assert page.locator("[data-hold-left]").inner_text() == "0:10"
    page.clock.run_for(11_000)
    holding.wait_for(state="hidden")
    assert step.locator("[data-set]").first.is_checked(), "the hold ticked its set"
    assert page.locator("[data-timer]").is_visible(), "and the rest began"
    assert page.locator("[data-progress]").inner_text() == f"3 of {total} sets done"
    check(page, "session-mode-hold")

    page.get_by_role("button", name="Done").click()
    page.wait_for_url("**/week/*")
    assert page.evaluate("(key) => localStorage.getItem(key)", key) is None
    page.goto(session_url)
    assert page.locator("[data-progress]").inner_text() == f"0 of {total} sets done"


def test_route_map_over_local_tiles_hides_the_ends(
    app, live_server, page, runner_data, tile_server
):
    from webapp.privacy import distance_m

    base, asked = tile_server
    app.config["TILE_URL"] = base + "/{z}/{x}/{y}.png"
    app.config["TILE_ATTRIBUTION"] = "Test tiles"
    log_in(page, live_server)
    page.goto(f"{live_server}/activities/{runner_data['activity_id']}")
    route = page.locator("[data-route-map]")
    page.wait_for_selector("[data-route-map][data-state=live]", timeout=10000)
    assert asked, "tiles came from the local tile server"
    assert page.locator(".leaflet-tile-loaded").count() > 0
    assert route.locator("svg.route").is_hidden()
    assert "Test tiles" in page.locator(".leaflet-control-attribution").inner_text()
    # The privacy zone: no point within 200 m of the start or the finish reaches the page.
    points = json.loads(page.locator("#route-points").text_content())
    start = (45.0, 7.0)  # where make_track starts; it runs east at 3 m/s for 2700 s
    finish = (45.0, 7.0 + (2700 * 3.0) / (6_371_008.8 * 0.7071068) * 57.29578)
    assert all(distance_m(start, p) >= 200 and distance_m(finish, p) >= 200 for p in points)
    assert "Privacy zone: the first and last 200 m" in page.content()
    assert small_targets(page, ".leaflet-control-zoom a") == []

    # The chart: tap to read the values at that point.
    chart = page.locator("[data-chart=activity]")
    page.wait_for_selector("[data-chart=activity].chart-drawn")
    assert chart.locator("canvas").count() == 3  # elevation, pace, heart rate
    over = chart.locator(".u-over").first
    box = over.bounding_box()
    over.tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    readout = page.locator("#profile-readout").inner_text()
    assert " km: Elevation " in readout and "Heart rate " in readout, readout
    check(page, "activity-map", top="#route-h")
    check(page, "activity-chart", top="#profile-h")


def test_route_map_falls_back_to_the_svg(app, live_server, page, runner_data):
    log_in(page, live_server)
    # No tile server configured: the SVG route, no Leaflet.
    app.config["TILE_URL"] = ""
    page.goto(f"{live_server}/activities/{runner_data['activity_id']}")
    page.wait_for_selector("[data-route-map][data-state=fallback]")
    assert page.locator("[data-route-map] svg.route").is_visible()
    assert page.locator(".leaflet-container").count() == 0
    # A tile server that does not answer (as offline): the SVG again.
    app.config["TILE_URL"] = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    page.goto(f"{live_server}/activities/{runner_data['activity_id']}")
    page.wait_for_selector("[data-route-map][data-state=fallback]", timeout=15000)
    assert page.locator("[data-route-map] svg.route").is_visible()
    assert page.locator(".leaflet-container").count() == 0


def test_load_chart_reads_a_muscle(live_server, page, runner_data):
    log_in(page, live_server)
    page.wait_for_selector("[data-chart=load].chart-drawn")
    readout = page.locator("#load-readout")
    assert readout.inner_text().startswith("Quadriceps, ")
    page.get_by_label("Muscle", exact=True).select_option(label="Calves")
    assert readout.inner_text().startswith("Calves, ")
    assert "last 7 days" in readout.inner_text()
    check(page, "week-load-chart", top="#trend-h")


def test_privacy_page_says_what_is_stored(live_server, page):
    page.goto(live_server + "/privacy")
    text = page.locator("main").inner_text()
    for words in ("heart rate", "positions", "Export everything", "Delete your account"):
        assert words in text
    page.get_by_role("contentinfo").get_by_role("link", name="Your data and privacy").wait_for()
    check(page, "privacy")


def test_widgets_come_back_after_boosted_navigation(live_server, page, runner_data):
    """hx-boost swaps the page without a load: the charts, map and body map set up again."""
    log_in(page, live_server)
    page.wait_for_selector("[data-chart=load].chart-drawn")
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator(".week-runs a").last.click()
    page.wait_for_url("**/activities/*")
    page.wait_for_selector("[data-chart=activity].chart-drawn")
    page.wait_for_selector("[data-route-map][data-state]")
    assert page.evaluate("() => window.notReloaded") is True, "navigation was an HTMX swap"
    page.wait_for_function(
        "() => Array.from(document.styleSheets).some((s) => /uPlot/.test(s.href))"
    )
    assert not has_horizontal_scroll(page), "the activity page scrolls sideways"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="This week").click()
    page.wait_for_url("**/week")
    page.wait_for_selector("[data-chart=load].chart-drawn")
    assert page.evaluate("() => window.notReloaded") is True, "navigation was an HTMX swap"
    page.locator(".muscle-chips a[data-muscle=calves]").click()
    assert page.locator("#muscle-calves").is_visible()
    assert page.locator("[data-chart=load] canvas").count() == 1, "drawn once, not twice"
