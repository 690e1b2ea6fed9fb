"""The activity page from stored data: splits in the runner's units, the chart and the map for
FIT, GPX and TCX, and no position inside the privacy zone anywhere in the page."""

from __future__ import annotations

import json
import re

import pytest

from tests.importers.samples import fit_bytes, gpx_text, make_track, tcx_text
from tests.webapp.files import recent_start
from webapp import ingest
from webapp.privacy import distance_m
from webapp.splits import NO_CLIMB, NO_MILES, split_table

KM = {
    "index": 1,
    "distance_m": 1000.0,
    "pace_s_per_km": 300.0,
    "gap_s_per_km": 290.0,
    "elevation_gain_m": 12.0,
    "elevation_loss_m": 3.0,
    "avg_heart_rate": 150.4,
}


def test_miles_mode_reads_the_mile_splits_with_paces_per_mile():
    mile = dict(KM, distance_m=1609.344)
    last = dict(KM, index=2, distance_m=804.672)
    table = split_table({"splits": [KM], "splits_mi": [mile, last]}, "mi")
    assert table.unit == "mi" and [r.label for r in table.rows] == ["1", "2 (0.50)"]
    assert table.rows[0].pace_s == pytest.approx(300.0 * 1.609344)
    assert table.rows[0].heart_rate == 150 and table.notes == []


def test_an_activity_stored_before_mile_splits_says_so():
    table = split_table({"splits": [KM]}, "mi")
    assert table.unit == "km" and table.notes == [NO_MILES]


def test_columns_without_values_are_left_out_and_explained():
    bare = dict(
        KM, elevation_gain_m=None, elevation_loss_m=None, avg_heart_rate=None, gap_s_per_km=None
    )
    table = split_table({"splits": [bare, dict(bare, index=2)]}, "km")
    assert not table.has_climb and not table.has_heart_rate and not table.has_gap
    assert table.notes == [NO_CLIMB]
    assert split_table({"splits": []}, "km") is None


def _points(html: str, element_id: str):
    match = re.search(
        rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1)) if match else None


@pytest.mark.parametrize("kind", ["fit", "gpx", "tcx"])
def test_chart_and_map_come_from_the_stored_series(app, client, auth, db, user, kind):
    track = make_track(seconds=1500, speed=3.0, hill_m=60.0, start=recent_start(2))
    data = {
        "fit": lambda: fit_bytes(track),
        "gpx": lambda: gpx_text(track).encode(),
        "tcx": lambda: tcx_text(track).encode(),
    }[kind]()
    [result] = ingest.ingest(db, user, f"run.{kind}", data)
    db.commit()
    auth.login()
    html = client.get(f"/activities/{result.activity_id}").get_data(as_text=True)
    profile = _points(html, "profile-data")
    assert profile and len(profile["x"]) > 50  # the chart's series
    points = _points(html, "route-points")
    assert points and len(points) > 20
    start, finish = (45.0, 7.0), (float(track.lat[-1]), float(track.lon[-1]))
    assert all(distance_m(start, p) >= 200 and distance_m(finish, p) >= 200 for p in points)
    # No hidden position anywhere in the page: every longitude-like number (7.0xxxx, the run
    # goes east from 7 E) lies over 200 m (0.0025 degrees here) from both ends.
    lon_end = float(track.lon[-1])
    lons = [float(v) for v in re.findall(r"\b7\.0\d{3,}", html)]
    assert lons and all(7.0025 < v < lon_end - 0.0025 for v in lons)
    assert "Splits" in html and 'class="splits"' in html


def test_a_ride_splits_read_their_speed_and_have_no_gap():
    table = split_table({"splits": [dict(KM, pace_s_per_km=150.0)]}, "km", speed=True)
    assert table.speed and not table.has_gap
    assert table.rows[0].speed == pytest.approx(24.0)
    mile = dict(KM, distance_m=1609.344, pace_s_per_km=150.0)
    assert split_table({"splits_mi": [mile]}, "mi", speed=True).rows[0].speed == pytest.approx(
        24.0 / 1.609344
    )


def _shown(client, auth, db, user, track, sport: str, units: str) -> tuple[str, str]:
    """(the activity page, its stats card) for `track` imported as `sport`, in `units`."""
    [result] = ingest.ingest(db, user, f"{sport}.fit", fit_bytes(track, sport=sport))
    user.units = units
    db.commit()
    auth.login()
    html = client.get(f"/activities/{result.activity_id}").get_data(as_text=True)
    return html, html.split('<dl class="stats card">')[1].split("</dl>")[0]


@pytest.mark.parametrize("units, speed", [("km", "25.2 km/h"), ("mi", "15.7 mph")])
def test_a_ride_is_shown_with_its_speed_not_a_runners_pace(
    client, auth, db, user, units, speed
):
    track = make_track(seconds=1800, speed=7.0, hill_m=30.0, start=recent_start(2))
    html, stats = _shown(client, auth, db, user, track, "cycling", units)
    assert f"<dt>Speed</dt><dd>{speed}</dd>" in stats
    assert "Pace" not in stats and "GAP" not in stats and f"/{units}" not in stats
    splits = html.split('<table class="splits">')[1].split("</table>")[0]
    assert "Speed" in splits and "Pace" not in splits and "GAP" not in splits
    assert f"<tr><td>1</td><td>{speed.split()[0]}</td>" in splits
    profile = _points(html, "profile-data")
    line = next(s for s in profile["series"] if s["key"] == "speed")
    assert line["unit"] == speed.split()[1]
    assert not any(s["key"] == "pace" for s in profile["series"])
    assert 'id="pace-h"' not in html  # the fallback SVG draws no pace either


@pytest.mark.parametrize("units, pace", [("km", "1:15 /100 m"), ("mi", "1:09 /100 yd")])
def test_a_swim_is_shown_with_its_pace_per_100(client, auth, db, user, units, pace):
    """Swimmers read a pace per 100 m (100 yd), not km/h: 1.333 m/s is 1:15 per 100 m."""
    track = make_track(seconds=1200, speed=4 / 3, start=recent_start(2))
    _, stats = _shown(client, auth, db, user, track, "swimming", units)
    assert f"<dt>Pace</dt><dd>{pace}</dd>" in stats
    assert "Speed" not in stats and "GAP" not in stats


def test_a_run_and_a_walk_keep_their_pace(client, auth, db, user):
    ids = []
    for sport, pace in (("running", 3.0), ("walking", 1.4)):
        track = make_track(seconds=1200, speed=pace, start=recent_start(3))
        [result] = ingest.ingest(db, user, f"{sport}.fit", fit_bytes(track, sport=sport))
        ids.append(result.activity_id)
    db.commit()
    auth.login()
    for activity_id in ids:
        html = client.get(f"/activities/{activity_id}").get_data(as_text=True)
        assert "<dt>Pace</dt>" in html and "<dt>Speed</dt>" not in html and "km/h" not in html
