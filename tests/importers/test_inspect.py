"""`legday inspect`: human summary, the --json contract, failures on stderr and exit 1."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from tests.importers.samples import fit_bytes, gpx_text, make_track
from webapp.cli import main
from webapp.commands.inspect import activity_record

CONTRACT = {
    "file": str,
    "index": int,
    "sport": str,
    "is_run": bool,
    "start_time": str,
    "elapsed_time_s": float,
    "moving_time_s": float,
    "distance_m": float,
    "elevation_gain_m": (float, type(None)),
    "elevation_loss_m": (float, type(None)),
    "elevation_source": str,
    "avg_pace_s_per_km": (float, type(None)),
    "gap_s_per_km": (float, type(None)),
    "avg_heart_rate": (float, type(None)),
    "max_heart_rate": (float, type(None)),
    "samples": int,
    "fingerprint": str,
    "device_totals": (dict, type(None)),
}


@pytest.fixture
def files(tmp_path):
    track = make_track(seconds=1200, hill_m=20)
    (tmp_path / "run.fit").write_bytes(fit_bytes(track, device_ascent=42))
    (tmp_path / "run.gpx").write_text(gpx_text(track))
    (tmp_path / "photo.fit").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return tmp_path


def test_json_contract(files):
    result = CliRunner().invoke(
        main, ["inspect", "--json", str(files / "run.fit"), str(files / "run.gpx")]
    )
    assert result.exit_code == 0, result.output
    fit_rec, gpx_rec = (json.loads(line) for line in result.stdout.splitlines())
    for rec in (fit_rec, gpx_rec):
        for key, kind in CONTRACT.items():
            assert isinstance(rec[key], kind), key
        assert rec["elevation_source"] in ("device", "barometric", "gps", "none")
        assert datetime.fromisoformat(rec["start_time"]).utcoffset().total_seconds() == 0
    assert fit_rec["file"].endswith("run.fit") and fit_rec["index"] == 0
    assert fit_rec["sport"] == "running" and fit_rec["is_run"] is True
    assert fit_rec["distance_m"] == pytest.approx(3600.0, abs=0.5)
    assert fit_rec["elevation_source"] == "device" and fit_rec["elevation_gain_m"] == 42.0
    assert set(fit_rec["device_totals"]) >= {"distance_m", "elevation_gain_m", "timer_time_s"}
    assert fit_rec["device_totals"]["elevation_gain_m"] == 42.0
    assert gpx_rec["device_totals"] is None
    assert fit_rec["fingerprint"] == gpx_rec["fingerprint"]
    assert fit_rec["samples"] == 1201


def test_failed_file_prints_error_object_and_exits_1(files):
    result = CliRunner().invoke(
        main, ["inspect", "--json", str(files / "photo.fit"), str(files / "run.fit")]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {
        "file": str(files / "photo.fit"),
        "error": "This file is named .fit but is not a FIT file: it looks like a PNG image.",
    }
    assert lines[1]["sport"] == "running"
    assert result.stderr.count("\n") == 1 and "photo.fit" in result.stderr


def test_human_summary(files):
    result = CliRunner().invoke(main, ["inspect", str(files / "run.fit")])
    assert result.exit_code == 0
    assert "3.60 km" in result.stdout and "+42 m" in result.stdout and "(device)" in result.stdout


def test_activity_record_is_pure(files):
    import importers

    [act] = importers.load((files / "run.fit").read_bytes(), "run.fit")
    rec = activity_record(act, "x.fit", 3)
    assert rec["file"] == "x.fit" and rec["index"] == 3
    json.dumps(rec, allow_nan=False)
