"""`legday state` and the stimulus keys of `legday inspect --json`, on files written here."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from engine.muscles import LEG_MUSCLES
from tests.importers.samples import START, fit_bytes, gpx_text, make_track
from webapp.cli import main
from webapp.commands.state import parse_as_of

FIELDS = {"concentric", "eccentric", "isometric", "total", "damage"}


@pytest.fixture
def files(tmp_path):
    hilly = make_track(seconds=1800, hill_m=60, hill_period_s=600)
    (tmp_path / "hilly.fit").write_bytes(fit_bytes(hilly))
    (tmp_path / "hilly.gpx").write_text(gpx_text(hilly))
    for day in (3, 5):
        flat = make_track(seconds=2400, start=START + timedelta(days=day))
        (tmp_path / f"flat{day}.fit").write_bytes(fit_bytes(flat))
    ride = make_track(seconds=1200, speed=8.0, start=START + timedelta(days=1))
    (tmp_path / "ride.fit").write_bytes(fit_bytes(ride, sport="cycling", sub_sport="road"))
    (tmp_path / "notes.fit").write_bytes(b"%PDF-1.7 not an activity" + bytes(40))
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_inspect_json_has_stimulus_for_runs_and_none_for_rides(files):
    result = invoke(
        "inspect", "--json", files / "hilly.fit", files / "hilly.gpx", files / "ride.fit"
    )
    assert result.exit_code == 0, result.output
    fit_rec, gpx_rec, ride_rec = (json.loads(line) for line in result.stdout.splitlines())
    for rec in (fit_rec, gpx_rec):
        assert set(rec["stimulus"]) == set(LEG_MUSCLES)
        assert all(set(m) == FIELDS for m in rec["stimulus"].values())
        assert rec["stimulus"]["glute_max"]["total"] > 0
        assert rec["systemic_load"] > 0
    fit_total = sum(m["total"] for m in fit_rec["stimulus"].values())
    gpx_total = sum(m["total"] for m in gpx_rec["stimulus"].values())
    assert gpx_total == pytest.approx(fit_total, rel=0.10)
    assert ride_rec["stimulus"] is None
    assert ride_rec["systemic_method"] == "trimp" and ride_rec["systemic_load"] > 0


def test_inspect_human_summary_names_the_most_loaded_muscles(files):
    result = invoke("inspect", files / "hilly.fit")
    assert result.exit_code == 0, result.output
    assert "legs" in result.output and "calves" in result.output
    assert "systemic" in result.output


def test_state_json_counts_the_gpx_copy_once(files):
    result = invoke(
        "state", "--json", "--as-of", "2024-05-07",
        files / "hilly.fit", files / "hilly.gpx", files / "flat3.fit", files / "flat5.fit",
        files / "ride.fit",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["activities"] == 4
    assert len(data["history"]) == 4 and len(data["duplicates"]) == 1
    assert data["as_of"].startswith("2024-05-07T23:59:59")
    quads = data["muscles"]["quadriceps"]
    assert {"acute", "chronic", "damage_normalised"} <= set(quads)
    assert quads["acute"] > quads["chronic"] > 0
    assert data["fitness"] > 0 and data["form"] == pytest.approx(data["fitness"] - data["fatigue"])


def test_state_as_of_before_the_runs_is_empty_and_damage_shows_after_the_hill(files):
    before = json.loads(
        invoke("state", "--json", "--as-of", "2024-04-01", files / "hilly.fit").stdout
    )
    assert before["activities"] == 0 and before["muscles"]["calves"]["acute"] == 0
    after = json.loads(
        invoke("state", "--json", "--as-of", "2024-05-02T12:00Z", files / "hilly.fit").stdout
    )
    assert after["muscles"]["quadriceps"]["damage_normalised"] > 0


def test_state_human_output(files):
    result = invoke("state", files / "flat3.fit", files / "hilly.fit")
    assert result.exit_code == 0, result.output
    assert "Quadriceps" in result.output and "Calves" in result.output
    assert "fitness" in result.output and "form" in result.output
    assert "2024-05-04" in result.output  # by default: the end of the latest activity's day


def test_state_reports_unreadable_files_and_exits_1(files):
    result = invoke("state", files / "notes.fit", files / "flat3.fit")
    assert result.exit_code == 1
    assert "notes.fit" in result.stderr and "Traceback" not in result.output
    assert "Quadriceps" in result.stdout
    nothing = invoke("state", files / "notes.fit", files / "missing.fit")
    assert nothing.exit_code == 1
    assert "no activity could be read" in nothing.stderr
    assert "missing.fit" in nothing.stderr


def test_state_refuses_a_bad_date_with_a_message(files):
    result = invoke("state", "--as-of", "next tuesday", files / "flat3.fit")
    assert result.exit_code == 2
    assert "not a date" in result.output and "Traceback" not in result.output


def test_parse_as_of():
    assert parse_as_of("2026-03-02") == datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=UTC)
    assert parse_as_of("2026-03-02T06:30") == datetime(2026, 3, 2, 6, 30, tzinfo=UTC)
    assert parse_as_of("2026-03-02T06:30+02:00").utcoffset() == timedelta(hours=2)
