"""The plain helpers behind the journey's pages: chart JSON, the body map's regions, session
mode's steps, the route map's context, and the pages that use them (privacy, session mode)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from engine.muscles import ALL_MUSCLES, LABELS, LEG_MUSCLES
from webapp import bodymap, chart_data, route_map, session_mode
from webapp.privacy import distance_m


def test_activity_chart_in_miles_converts_every_unit():
    series = {
        "d": [0.0, 1609.344, None, 3218.688],
        "alt": [100.0, 110.0, 120.0, None],
        "pace": [300.0, 300.0, 310.0, 320.0],
        "hr": [120, 130, 140, 150],
    }
    out = chart_data.activity_chart(series, "mi")
    assert out["x"] == [0.0, 1.0, 2.0] and out["x_unit"] == "mi"  # the sample without x goes
    by_key = {s["key"]: s for s in out["series"]}
    assert by_key["elevation"]["unit"] == "ft"
    assert by_key["elevation"]["values"][1] == pytest.approx(360.9, abs=0.1)
    assert by_key["pace"]["unit"] == "/mi"
    assert by_key["pace"]["values"][0] == pytest.approx(482.8, abs=0.1)  # 5:00/km = 8:03/mi
    assert by_key["hr"]["values"] == [120, 130, 150]


def test_activity_chart_falls_back_to_minutes_and_to_nothing():
    out = chart_data.activity_chart({"t": [0, 60, 120], "hr": [100, 110, 120]}, "km")
    assert out["x"] == [0, 1, 2] and out["x_unit"] == "min"
    assert chart_data.activity_chart({}, "km") is None
    assert chart_data.activity_chart({"d": [0, 10], "alt": [None, None]}, "km") is None


def test_pace_outliers_are_clamped_not_dropped():
    paces = [300.0] * 20 + [3000.0]  # a stop at a crossing
    out = chart_data.activity_chart({"d": list(range(21)), "pace": paces}, "km")
    values = out["series"][0]["values"]
    assert len(values) == 21 and max(values) == 300.0


def test_load_chart_keeps_every_muscle_with_its_label():
    trend = {
        "days": ["2026-11-01", "2026-11-02"],
        "muscles": {"calves": {"acute": [1.0, 2.0], "chronic": [0.5, 0.6]}},
    }
    out = chart_data.load_chart(trend, LABELS)
    assert out["days"] == trend["days"]
    assert out["muscles"] == [
        {"key": "calves", "label": "Calves", "acute": [1.0, 2.0], "chronic": [0.5, 0.6]}
    ]
    assert chart_data.load_chart({"days": ["2026-11-01"], "muscles": {}}, LABELS) is None


def _week(plan_sessions):
    muscles = [
        {
            "key": k,
            "label": LABELS[k],
            "week_load": 10.0 * i,
            "acute": 5.0,
            "chronic": 4.0,
            "level": i % 5,
            "level_words": "x",
            "damage_level": 1 if k == "calves" else 0,
            "damage_words": "some damage: likely sore" if k == "calves" else "",
        }
        for i, k in enumerate(LEG_MUSCLES)
    ]
    return SimpleNamespace(muscles=muscles, plan={"sessions": plan_sessions})


def test_bodymap_regions_cover_every_muscle_and_list_the_exercises():
    sessions = [
        {
            "day": "2026-12-01",
            "exercises": [
                {"name": "Step-up", "muscles": ["quadriceps", "glute_max"], "sets": 3, "reps": 8},
                {"name": "Plank", "muscles": ["core"], "sets": 2, "seconds": 30},
            ],
        }
    ]
    regions = bodymap.regions(_week(sessions))
    assert list(regions) == list(ALL_MUSCLES)
    assert regions["quadriceps"]["is_leg"] and regions["quadriceps"]["week_load"] == 0.0
    assert regions["calves"]["damage_level"] == 1
    assert regions["core"]["is_leg"] is False and regions["core"]["week_load"] is None
    assert regions["core"]["exercises"] == [
        {"name": "Plank", "dose": "2 × 30 s", "day": "2026-12-01", "session": 0}
    ]
    assert [e["name"] for e in regions["glute_max"]["exercises"]] == ["Step-up"]
    assert regions["arms"]["exercises"] == []


@pytest.mark.parametrize(
    ("load", "seconds"),
    [
        ("moderate: RPE 7, 3 reps in reserve; rest 90 s", 90),
        ("heavy: RPE 8; rest 2 min", 120),
        ("heavy; rest 2.5 min", 150),
        ("bodyweight", session_mode.DEFAULT_REST_S),
        (None, session_mode.DEFAULT_REST_S),
    ],
)
def test_rest_is_read_from_the_prescription(load, seconds):
    assert session_mode.rest_seconds(load) == seconds


def test_session_steps():
    steps = session_mode.steps(
        {
            "exercises": [
                {
                    "name": "Split squat",
                    "sets": 3,
                    "reps": 5,
                    "load": "heavy; rest 3 min",
                    "load_words": "10 kg per hand",
                    "how_to": {"steps": ["Stand", "Lower", "Rise"], "cue": "Tall"},
                },
                {"name": "Plank", "sets": 0, "seconds": 40, "pair_with": "Split squat"},
            ]
        }
    )
    assert steps[0]["amount"] == "5 reps" and steps[0]["rest_s"] == 180
    assert steps[0]["weight"] == "10 kg per hand" and steps[0]["how_to"]["cue"] == "Tall"
    assert steps[1] == {
        "name": "Plank",
        "sets": 1,
        "amount": "40 s",
        "seconds": 40,
        "load": "",
        "weight": "",
        "pair_with": "Split squat",
        "how_to": {},
        "rest_s": session_mode.DEFAULT_REST_S,
        "why": "",
    }


def _line(n=300):
    return {"lat": [45.0 + i * 0.0001 for i in range(n)], "lon": [7.0] * n}


def test_route_map_context_draws_only_the_visible_points():
    config = {"PRIVACY_ZONE_M": 200, "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png"}
    shown = route_map.visible(_line(), config)
    ctx = route_map.route_map(shown, config)
    first = (45.0, 7.0)
    assert all(distance_m(first, p) >= 200 for p in ctx["points"])
    assert ctx["attribution_url"] == route_map.OSM_COPYRIGHT and ctx["zone_m"] == 200
    assert ctx["svg"]["path"].startswith("M")
    off = {"PRIVACY_ZONE_M": 0, "TILE_URL": ""}
    whole = route_map.route_map(route_map.visible(_line(), off), off)
    assert len(whole["points"]) == 300 and whole["tile_url"] == ""
    assert route_map.route_map({}, off) is None


def test_privacy_page_is_public_and_says_what_is_kept(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    url = client.application.config["DATABASE_URL"]
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"  # the one in use
    for words in ("heart rate", "positions", database, "first and last 200 m", "Export"):
        assert words in text


def test_session_mode_page_and_its_missing_sessions(client, auth):
    auth.register()
    week = client.get("/week")
    assert b"/sessions/0" in week.data, "the week page links to session mode"
    from webapp.weeks import week_label

    label = week_label(datetime.now(UTC).date())
    page = client.get(f"/week/{label}/sessions/0")
    assert page.status_code == 200 and b"data-session-mode" in page.data
    html = page.get_data(as_text=True)
    assert html.count('<details class="how-to">') == html.count('class="session-step"') > 0
    assert f'action="/week/{label}/sessions/0/done"'.encode() in page.data
    assert client.get(f"/week/{label}/sessions/99").status_code == 404
    assert client.get("/week/not-a-week/sessions/0").status_code == 404
