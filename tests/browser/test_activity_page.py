"""One activity's page at 390 x 844 for a runner who counts in miles: splits per mile that
fit the phone (or say they scroll), a treadmill run that explains its missing climb,
multisport legs named by their sport, and text links big enough to tap. The screenshots go
to docs/screenshots/ for the README."""

from __future__ import annotations

import pytest

from tests.browser.runners import runner_with
from tests.browser.test_journey import check, small_targets, tile_server  # noqa: F401
from tests.browser.test_journey import log_in as journey_log_in
from tests.importers.samples import fit_bytes, make_track
from tests.webapp.files import in_this_week, recent_start, track_of_speeds

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "miles@example.com", "correct horse battery"
# Text links (not buttons) a runner taps on these pages.
TEXT_LINKS = "main a:not(.button):not(.leaflet-control-zoom-in):not(.leaflet-control-zoom-out)"


@pytest.fixture
def miles_runner(app):
    """A runner in miles with a hilly 14 km run, a treadmill run and a triathlon."""
    hilly = make_track(
        seconds=4668, speed=3.0, hill_m=120.0, hill_period_s=1200.0, start=in_this_week(20)
    )
    treadmill = make_track(seconds=1500, speed=3.0, start=recent_start(3))
    tri = make_track(seconds=3000, speed=3.0, start=recent_start(5))
    # Running and walking in turns: paces from 7:40 to 20:38 per mile ("20:00" on the axis).
    stop_start = track_of_speeds(([3.5] * 120 + [1.3] * 120) * 8, start=recent_start(7))
    legs = [
        (0, 600, "swimming", "open_water"),
        (600, 700, "transition", "generic"),
        (700, 2200, "cycling", "road"),
        (2200, 2300, "transition", "generic"),
        (2300, 3001, "running", "generic"),
    ]
    files = [
        ("hilly.fit", fit_bytes(hilly, device_ascent=480.0)),
        (
            "treadmill.fit",
            fit_bytes(treadmill, sub_sport="treadmill", with_gps=False, with_altitude=False),
        ),
        ("tri.fit", fit_bytes(tri, sessions=legs)),
        ("stop-start.fit", fit_bytes(stop_start)),
    ]
    _, ids = runner_with(app, EMAIL, PASSWORD, files, units="mi")
    return ids


def test_splits_per_mile_fit_the_phone(app, live_server, page, miles_runner, tile_server):  # noqa: F811
    base, asked = tile_server
    app.config["TILE_URL"] = base + "/{z}/{x}/{y}.png"
    app.config["TILE_ATTRIBUTION"] = "Test tiles"
    journey_log_in(page, live_server, EMAIL)
    [activity_id] = miles_runner["hilly.fit"]
    page.goto(f"{live_server}/activities/{activity_id}")
    page.wait_for_selector("[data-route-map][data-state=live]", timeout=10000)
    page.wait_for_selector("[data-chart=activity].chart-drawn")
    assert asked, "the basemap came from the local tile server"
    table = page.locator("table.splits")
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert heads[0] == "mi" and heads[1].replace("\n", " ") == "Pace /mi", heads
    assert heads[-1] == "HR"
    rows = table.locator("tbody tr")
    assert rows.count() == 9  # 14.0 km: 8 miles and 0.70 mi
    assert rows.last.locator("td").first.inner_text() == "9 (0.70)"
    # 3 m/s is 8:56 per mile
    assert rows.first.locator("td").nth(1).inner_text() == "8:56"
    ups = [int(t.replace(",", "")) for t in rows.locator("td:nth-child(4)").all_inner_texts()]
    assert sum(u > 0 for u in ups) >= 7  # the climb is where it was, not on one split
    assert abs(sum(ups) - 480 * 3.2808) < 0.02 * 480 * 3.2808  # feet, adds up to the total
    # The heart-rate column is on the screen, or the page says the table scrolls.
    right = table.locator("thead th").last.bounding_box()
    hint = page.locator("#splits-hint")
    assert right["x"] + right["width"] <= 390 or hint.is_visible()
    assert small_targets(page, TEXT_LINKS) == []
    page.locator(".site-header").evaluate("(el) => el.scrollIntoView()")
    check(page, "activity-top")
    check(page, "activity-miles-map-chart", top="#route-h")
    check(page, "activity-splits-miles", top="#splits-h")


def test_a_treadmill_run_says_why_it_has_no_climb(live_server, page, miles_runner):
    journey_log_in(page, live_server, EMAIL)
    [activity_id] = miles_runner["treadmill.fit"]
    page.goto(f"{live_server}/activities/{activity_id}")
    heads = page.locator("table.splits thead th").all_inner_texts()
    assert not any(h.startswith(("Up", "Down")) for h in heads), heads
    assert "this file has no elevation" in page.locator("#splits-h + *").locator("..").inner_text()


def test_triathlon_legs_are_titled_by_their_sport(live_server, page, miles_runner):
    journey_log_in(page, live_server, EMAIL)
    titles = []
    for activity_id in miles_runner["tri.fit"]:
        page.goto(f"{live_server}/activities/{activity_id}")
        titles.append(page.get_by_role("heading", level=1).inner_text())
    assert [t.split()[-1] for t in titles] == ["swim", "transition", "ride", "transition", "run"]
    page.goto(f"{live_server}/activities/{miles_runner['tri.fit'][0]}")
    assert "This swim is not a run" in page.locator("main").inner_text()


# Inked pixels in the leftmost 2 px of each chart's canvas: a y-axis label wider than its
# axis is drawn from left of the canvas and cut there ("l2:30" for "12:30").
INK_AT_LEFT_EDGE = """(root) => [...root.querySelectorAll('.uplot canvas')].map((c) => {
  const width = Math.ceil(2 * (window.devicePixelRatio || 1));
  const data = c.getContext('2d').getImageData(0, 0, width, c.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) ink += data[i] > 0 ? 1 : 0;
  return ink;
})"""


def test_chart_axis_labels_are_not_cut_at_the_left_edge(live_server, page, miles_runner):
    journey_log_in(page, live_server, EMAIL)
    [run] = miles_runner["stop-start.fit"]
    ride = miles_runner["tri.fit"][2]
    for activity_id, titles in (
        (run, ["Elevation (ft)", "Pace (per mi), faster is higher", "Heart rate (bpm)"]),
        (ride, ["Elevation (ft)", "Speed (mph)", "Heart rate (bpm)"]),
    ):
        page.goto(f"{live_server}/activities/{activity_id}")
        chart = page.locator("[data-chart=activity].chart-drawn")
        chart.wait_for()
        assert chart.locator("[data-plots] .chart-title").all_inner_texts() == titles
        assert chart.evaluate(INK_AT_LEFT_EDGE) == [0, 0, 0]
    chart.scroll_into_view_if_needed()
    check(page, "activity-ride-speed-chart", top="#profile-h")
    page.goto(f"{live_server}/week")
    load = page.locator("[data-chart=load].chart-drawn")
    load.wait_for()
    assert load.evaluate(INK_AT_LEFT_EDGE) == [0]


def test_text_links_on_the_upload_page_are_big_enough(live_server, page, miles_runner):
    journey_log_in(page, live_server, EMAIL)
    page.goto(live_server + "/upload")
    assert small_targets(page, TEXT_LINKS) == []
