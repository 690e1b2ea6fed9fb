"""`legday plan FILE...`: the plan from real files written in the test set-up."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner

from tests.importers.samples import fit_bytes, make_track
from webapp.cli import main

MONDAY = date(2026, 11, 23)
REQUIRED = {"core", "upper_push", "upper_pull", "balance", "antagonist"}


@pytest.fixture(scope="module")
def week_of_runs(tmp_path_factory):
    """Four flat runs in the week before MONDAY, as FIT files."""
    folder = tmp_path_factory.mktemp("runs")
    paths = []
    for back, minutes in ((6, 40), (4, 40), (2, 30), (1, 80)):
        day = MONDAY - timedelta(days=back)
        start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
        path = folder / f"run-{day.isoformat()}.fit"
        path.write_bytes(fit_bytes(make_track(seconds=minutes * 60, start=start)))
        paths.append(str(path))
    return paths


def invoke(*args):
    return CliRunner().invoke(main, ["plan", *args], catch_exceptions=False)


# Issue 15: a history of one week is "first weeks of data", which gets the lead-in dose unless
# the runner says they have strength experience; tests of the full dose say so.
SOME = ("--experience", "some")


def test_json_plan_from_files(week_of_runs):
    result = invoke(*week_of_runs, "--json", "--equipment", "dumbbells,band", *SOME)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["week"] == "2026-W48"  # the default plan starts the day after the last run
    # Not Monday, the day after Sunday's 80-minute long run.
    assert [s["day"] for s in plan["sessions"]] == ["2026-11-24", "2026-11-26"]
    for s in plan["sessions"]:
        assert REQUIRED <= {e["category"] for e in s["exercises"]}
        assert all(e["why"] for e in s["exercises"])
    assert plan["sessions"][0]["leg_block"] == "heavy"
    # Same files, same options: the same plan, byte for byte.
    again = invoke(*reversed(week_of_runs), "--json", "--equipment", "band,dumbbells", *SOME)
    assert again.stdout == result.stdout


def test_options_change_the_plan(week_of_runs):
    base = json.loads(invoke(*week_of_runs, "--json", "--as-of", "2026-11-23", *SOME).stdout)
    race = json.loads(
        invoke(*week_of_runs, "--json", "--as-of", "2026-11-23", "--race", "2026-11-28").stdout
    )
    assert len(race["sessions"]) == 1 and race["sessions"][0]["leg_block"] != "heavy"
    only = invoke(*week_of_runs, "--json", "--as-of", "2026-11-23", "--days", "wed,thu")
    assert [s["day"] for s in json.loads(only.stdout)["sessions"]] == ["2026-11-25"]
    speed = json.loads(invoke(*week_of_runs, "--json", "--focus", "speed", *SOME).stdout)
    plyo = [
        sum(
            e["sets"] * e["reps"]
            for e in p["sessions"][0]["exercises"]
            if e["category"] == "plyometric"
        )
        for p in (base, speed)
    ]
    assert plyo[1] > plyo[0]


def test_human_output_reads_as_a_plan(week_of_runs):
    result = invoke(*week_of_runs, "--as-of", "2026-11-23", *SOME)
    assert result.exit_code == 0
    assert "Strength plan for 2026-W48" in result.stdout
    assert "Tuesday 24 Nov 2026 - leg block: heavy" in result.stdout
    assert "Why: " in result.stdout and "From 4 runs" in result.stdout


def test_bad_options_get_a_clear_message(week_of_runs):
    result = invoke(*week_of_runs, "--equipment", "none,barbell")
    assert result.exit_code == 2 and "unknown equipment barbell" in result.output
    result = invoke(*week_of_runs, "--days", "funday")
    assert result.exit_code == 2 and "'funday' is not a weekday" in result.output
    result = invoke(*week_of_runs, "--race", "next week")
    assert result.exit_code == 2 and "not a date" in result.output


def test_unreadable_files_are_named_and_nothing_is_planned(tmp_path):
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"this is not a FIT file at all")
    result = invoke(str(bad), "--json")
    assert result.exit_code == 1
    assert "broken.fit" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.shared
def test_plan_from_a_real_device_file(shared_activities):
    fit = shared_activities / "fit" / "garmin-fr945_run_14km__6782987395.fit"
    result = invoke(str(fit), "--json", "--equipment", "none")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["sessions"]
    for s in plan["sessions"]:
        assert REQUIRED <= {e["category"] for e in s["exercises"]}


def test_json_sessions_fit_the_time_and_carry_the_how_to(week_of_runs):
    for extra in ((), ("--minutes", "25"), SOME, ("--goal", "speed_5k_10k", *SOME)):
        plan = json.loads(invoke(*week_of_runs, "--json", *extra).stdout)
        limit = 25 if "25" in extra else 40
        assert plan["profile"]["minutes"] == limit
        for s in plan["sessions"]:
            assert 0 < s["minutes"] <= s["available_minutes"] <= limit
            assert s["short"]["exercises"] and s["short"]["minutes"] <= 15
            for e in s["exercises"] + s["short"]["exercises"]:
                assert 3 <= len(e["how_to"]["steps"]) <= 4
                assert e["how_to"]["cue"] and e["how_to"]["fault"] and e["reason"]
                assert e["drawing"] == e["drawing"].lower() and e["drawing"].endswith(".svg")


def test_first_week_of_data_gets_the_lead_in_and_the_profile_is_inferred(week_of_runs):
    plan = json.loads(invoke(*week_of_runs, "--json", "--body-mass", "64").stdout)
    assert plan["profile"]["experience"] == "new" and "experience" in plan["profile"]["inferred"]
    assert (
        plan["profile"]["body_mass_kg"] == 64 and "body_mass_kg" not in plan["profile"]["inferred"]
    )
    assert plan["lead_in"] and all(s["leg_block"] != "heavy" for s in plan["sessions"])
    every = [e for s in plan["sessions"] for e in s["exercises"]]
    assert not [e for e in every if e["category"] == "plyometric"]
    sore = json.loads(invoke(*week_of_runs, "--json", "--sore", "very_sore", *SOME).stdout)
    assert sore["sessions"][0]["day"] >= "2026-11-26"  # moved past the sore days
    bad = invoke(*week_of_runs, "--minutes", "5")
    assert bad.exit_code == 2 and "15-90 minutes" in bad.output and "Traceback" not in bad.output
