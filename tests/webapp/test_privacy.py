"""The privacy zone: the first and last few hundred metres of a route never reach the page."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.privacy import distance_m, hide_ends, kept_range, trim_route

# One degree of latitude is about 111.2 km: a point every 0.0001 degree is about 11.1 m apart.
STEP = 0.0001
M_PER_STEP = distance_m((45.0, 7.0), (45.0 + STEP, 7.0))


def straight(n: int, lat0: float = 45.0, lon0: float = 7.0) -> list[tuple[float, float]]:
    """A straight run north, one fix every ~11 m."""
    return [(lat0 + i * STEP, lon0) for i in range(n)]


def test_distance_is_haversine():
    # One degree of latitude along a meridian: 111.2 km on the mean sphere.
    assert distance_m((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111_195, rel=1e-4)
    assert distance_m((51.5, -0.1), (51.5, -0.1)) == 0.0


def test_a_straight_route_loses_200_m_at_each_end():
    route = straight(200)  # ~2.2 km
    kept = trim_route(route, 200)
    assert kept[0] == route[math.ceil(200 / M_PER_STEP)]
    assert kept[-1] == route[-1 - math.ceil(200 / M_PER_STEP)]
    assert distance_m(route[0], kept[0]) >= 200
    assert distance_m(route[-1], kept[-1]) >= 200
    # Nothing in the middle is lost.
    assert len(kept) == len(route) - 2 * math.ceil(200 / M_PER_STEP)


def test_a_route_that_lingers_near_home_stays_hidden_until_it_leaves():
    # 400 m of laps around the block within ~60 m of the start, then off north.
    home = (45.0, 7.0)
    laps = [(45.0 + 0.0005 * math.sin(i / 3), 7.0 + 0.0005 * math.cos(i / 3)) for i in range(60)]
    away = straight(100, lat0=45.0006)
    route = [home] + laps + away
    kept = trim_route(route, 200)
    assert kept, "the far part of the route is shown"
    assert distance_m(home, kept[0]) >= 200
    assert not any(p in kept for p in laps), "points within 200 m of the start are hidden"


def test_a_short_route_shows_nothing():
    assert trim_route(straight(30), 200) == []  # ~330 m: both ends overlap
    assert trim_route([], 200) == []
    assert trim_route([None, None], 200) == []


def test_zero_metres_keeps_every_fix():
    route = straight(10)
    assert trim_route(route, 0) == route
    assert trim_route([None, *route, None], 0) == route


def test_missing_fixes_count_for_nothing_and_stay_missing():
    route = straight(100)
    gappy = [None if i % 7 == 3 else p for i, p in enumerate(route)]
    kept = trim_route(gappy, 200)
    assert None not in kept
    assert all(distance_m(route[0], p) >= 200 and distance_m(route[-1], p) >= 200 for p in kept)


def test_hide_ends_blanks_positions_but_keeps_the_other_columns():
    route = straight(100)
    series = {
        "lat": [p[0] for p in route],
        "lon": [p[1] for p in route],
        "alt": list(range(100)),
        "hr": [140] * 100,
    }
    hidden = hide_ends(series, 200)
    assert hidden["alt"] == series["alt"] and hidden["hr"] == series["hr"]
    assert len(hidden["lat"]) == len(hidden["lon"]) == 100
    n = math.ceil(200 / M_PER_STEP)
    assert hidden["lat"][:n] == [None] * n and hidden["lon"][-n:] == [None] * n
    assert hidden["lat"][n] == series["lat"][n]
    assert series["lat"][0] is not None, "the stored series is not changed"
    assert hide_ends({"alt": [1, 2]}, 200) == {"alt": [1, 2]}


@settings(deadline=None)  # a shared, busy machine: no per-example time limit
@given(
    st.lists(
        st.tuples(st.floats(-60, 60), st.floats(-170, 170)).map(
            lambda p: (round(p[0], 4), round(p[1], 4))
        ),
        max_size=40,
    ),
    st.floats(0, 5000),
)
def test_no_kept_point_is_near_either_end(points, metres):
    shown = trim_route(points, metres)
    assert len(kept_range(points, metres)) == len(shown)
    if metres > 0 and shown:
        assert distance_m(points[0], shown[0]) >= metres
        assert distance_m(points[-1], shown[-1]) >= metres
    assert len(shown) <= len(points)
