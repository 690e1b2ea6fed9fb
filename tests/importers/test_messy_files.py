"""Messy files of the real world (issue 12), part 1: parsers' leniency, file structure, archives,
activities.csv and the sport from physiology. Every file is generated here; the right values
are those of ../shared/fixtures/reported/EXPECTED.md for the same kinds of file."""

from __future__ import annotations

import gzip
import json
import math
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from garmin_fit_sdk import Encoder

import importers
from importers.archive import Limits
from importers.sports import guess_sport, max_run_speed
from tests.fuzzing import fix_fit_crc
from tests.importers.samples import MESG, START, fit_bytes, gpx_text, make_track, tcx_text
from tests.webapp.files import zip_of as _zip
from webapp.cli import main

RUN_M = 1799 * 3.0  # make_track(1799): 1,799 s at 3 m/s


def _close(value: float, want: float, rel: float = 0.01) -> bool:
    return abs(value - want) <= rel * want


# --- 1. parsers stricter than format detection ------------------------------------------------


@pytest.mark.parametrize("kind", ["gpx", "tcx"])
@pytest.mark.parametrize("prefix", [b"          ", b"\xef\xbb\xbf  \n", b"\n\t \xef\xbb\xbf"])
def test_whitespace_or_bom_before_xml_declaration(kind, prefix):
    track = make_track(1799)
    text = gpx_text(track) if kind == "gpx" else tcx_text(track)
    data = prefix + text.encode()
    for blob, name in (
        (data, f"1001.{kind}"),
        (gzip.compress(data), f"1001.{kind}.gz"),
        (_zip({f"activities/1001.{kind}.gz": gzip.compress(data)}), "export.zip"),
    ):
        [act] = importers.load(blob, name)
        assert _close(act.distance_m, RUN_M) and _close(act.moving_time_s, 1799, 0.02)


@pytest.mark.parametrize("kind", ["gpx", "tcx"])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8"])
def test_utf16_documents_and_utf8_declared_as_utf16(kind, codec):
    """Windows tools write UTF-16 (with or without a byte-order mark); a .NET StringWriter
    writes UTF-8 under a declaration that says UTF-16."""
    track = make_track(1799)
    text = gpx_text(track) if kind == "gpx" else tcx_text(track)
    data = text.replace('encoding="UTF-8"', 'encoding="utf-16"').encode(codec)
    for blob, name in ((data, f"1001.{kind}"), (_zip({f"1001.{kind}": data}), "export.zip")):
        [act] = importers.load(blob, name)
        assert _close(act.distance_m, RUN_M) and _close(act.moving_time_s, 1799, 0.02)


def test_gpx_points_without_position_are_skipped_with_a_note():
    track = make_track(600)
    text = gpx_text(track)
    first = text.index("<trkpt")
    end = text.index("</trkpt>", first) + len("</trkpt>")
    # two pre-fix points: time and elevation only, before the first fix
    pre = "".join(
        f"<trkpt><ele>300</ele><time>{(START - timedelta(seconds=s)):%Y-%m-%dT%H:%M:%SZ}</time>"
        "</trkpt>"
        for s in (2, 1)
    )
    text = text[:first] + pre + text[first:end] + text[end:]
    [act] = importers.load(text.encode(), "prefix.gpx")
    assert _close(act.distance_m, 1800.0)
    assert any("2 track points without a position" in w for w in act.warnings)


def test_gpx_numbers_with_a_decimal_comma_or_unreadable_are_repaired_not_refused():
    track = make_track(1799)
    text = gpx_text(track)
    comma = re.sub(r'(lat|lon)="(-?\d+)\.(\d+)"', r'\1="\2,\3"', text)
    comma = re.sub(r"<ele>(\d+)\.(\d)</ele>", r"<ele>\1,\2</ele>", comma)
    [act] = importers.load(comma.encode(), "locale.gpx")
    assert _close(act.distance_m, RUN_M) and act.series.altitude_m is not None
    assert any("decimal comma" in w for w in act.warnings)
    points = re.findall(r"<trkpt.*?</trkpt>", text)
    odd = points[500].replace('lat="', 'lat="n/a', 1)
    junk = points[900].replace("<ele>", "<ele>?").replace("<time>", "<hdop>-</hdop><time>")
    text = text.replace(points[500], odd).replace(points[900], junk)
    [act] = importers.load(text.encode(), "junk.gpx")
    assert _close(act.distance_m, RUN_M) and _close(act.moving_time_s, 1799, 0.02)
    assert any("1 track points without a position" in w for w in act.warnings)
    assert any("2 unreadable values" in w for w in act.warnings)


@pytest.mark.parametrize(
    "pattern", ["<time>\n    {}Z\n  </time>", "<time> {}Z </time>", "<time>{}z</time>"]
)
def test_gpx_times_with_spaces_around_or_a_lower_case_z_are_read(pattern):
    text = re.sub(
        r"<time>([^<]*)Z</time>", lambda m: pattern.format(m.group(1)), gpx_text(make_track(1799))
    )
    [act] = importers.load(text.encode(), "pretty.gpx")
    assert _close(act.distance_m, RUN_M) and _close(act.moving_time_s, 1799, 0.02)
    assert act.start_time == START and not act.warnings


def _fit_without_record_times(distance_m: float, timer_s: float) -> bytes:
    """A FIT whose records carry no timestamp (all invalid) but whose session has totals."""
    enc = Encoder()
    enc.on_mesg(
        MESG["FILE_ID"],
        {"type": "activity", "manufacturer": "development", "product": 1, "time_created": START},
    )
    for _ in range(30):
        enc.on_mesg(MESG["RECORD"], {"heart_rate": 140, "enhanced_speed": 3.0})
    enc.on_mesg(
        MESG["SESSION"],
        {
            "timestamp": START + timedelta(seconds=timer_s),
            "start_time": START,
            "total_elapsed_time": timer_s,
            "total_timer_time": timer_s,
            "total_distance": distance_m,
            "sport": "running",
            "sub_sport": "generic",
        },
    )
    return enc.close()


def test_fit_with_invalid_record_times_comes_from_the_session():
    [act] = importers.load(_fit_without_record_times(8000.0, 2400.0), "notimes.fit")
    assert act.is_run and act.start_time == START
    assert _close(act.distance_m, 8000.0) and _close(act.moving_time_s, 2400.0)
    assert act.distance_source == "session" and act.time_source == "session"
    assert any("session's totals at an even pace" in w for w in act.warnings)


def test_fit_header_with_data_size_zero_says_so():
    data = bytearray(fit_bytes(make_track(300)))
    data[4:8] = bytes(4)
    with pytest.raises(importers.CorruptFile, match="data size 0") as info:
        importers.load(bytes(data), "unfinished.fit")
    assert "checksum" not in str(info.value)


@pytest.mark.parametrize("tail", [bytes(3), bytes(512), b"\xff" * 37])
def test_fit_with_padding_after_its_end_is_read(tail):
    data = fit_bytes(make_track(1799))
    [act] = importers.load(data + tail, "padded.fit")
    assert _close(act.distance_m, RUN_M) and _close(act.moving_time_s, 1799, 0.02)
    assert act.device_totals is not None
    said = [w for w in act.warnings if "bytes that are not FIT data" in w]
    named = f"This FIT file ends with {len(tail)} bytes that are not FIT data; they were left out."
    assert said == ([named] if tail.strip(b"\x00") else [])  # zero padding says nothing


@pytest.mark.parametrize("fill", [b"\x00", b"\xff"])
@pytest.mark.parametrize("kept", [0.5, 0.8, 0.95])
def test_fit_whose_end_was_never_written_keeps_the_records_before_it(fill, kept):
    """A watch that lost power while writing: good records, then erased flash (zeros or 0xFF)
    and no session. The records before it are read (zeros decode as records dated 1989, 0xFF
    as records dated a century on: those are left out), with a warning; never refused."""
    data = fit_bytes(make_track(1799), with_session=False)
    cut = int(len(data) * kept)
    damaged = fix_fit_crc(data[:cut] + fill * (len(data) - cut - 2) + data[-2:])
    [act] = importers.load(damaged, "power-lost.fit")
    assert 0.9 * kept * RUN_M < act.distance_m < 1.02 * kept * RUN_M
    assert act.elapsed_time_s < 1800
    assert any("damaged after" in w or "cut off after" in w for w in act.warnings), act.warnings


# --- 4. channels lost by the library --------------------------------------------------------


def test_gpx_10_with_trackpointextension_keeps_heart_rate_and_cadence():
    track = make_track(600)
    text = gpx_text(track).replace('version="1.1"', 'version="1.0"', 1)
    assert '<gpx version="1.0"' in text and "gpxtpx:hr" in text
    [act] = importers.load(text.encode(), "v10.gpx")
    assert act.avg_heart_rate is not None and 130 <= act.avg_heart_rate <= 150
    assert act.series.cadence_spm is not None and act.series.cadence_spm[5] == 170.0


# --- 5. file structure -----------------------------------------------------------------------


def _two_tracks(gap: timedelta) -> str:
    first = make_track(1799)
    second = make_track(2399, speed=3.2, start=first.times[-1] + gap)
    a, b = gpx_text(first), gpx_text(second)
    body_b = b[b.index("<trk>") : b.index("</gpx>")]
    return a.replace("</gpx>", body_b + "</gpx>")


def test_two_trk_days_apart_are_two_activities():
    acts = importers.load(_two_tracks(timedelta(days=3)).encode(), "two.gpx")
    assert len(acts) == 2
    assert _close(acts[0].distance_m, RUN_M) and _close(acts[0].moving_time_s, 1799, 0.02)
    assert _close(acts[1].distance_m, 2399 * 3.2) and _close(acts[1].moving_time_s, 2399, 0.02)
    assert acts[1].start_time - acts[0].start_time > timedelta(days=3)


def _as_route(gpx: str) -> str:
    """The GPX with every <trk> written as a <rte> (its points, times included, as <rtept>)."""
    gpx = re.sub(r"</?trkseg>", "", gpx)
    return gpx.replace("trkpt", "rtept").replace("<trk>", "<rte>").replace("</trk>", "</rte>")


def test_a_recording_written_as_routes_with_times_is_read():
    [act] = importers.load(_as_route(gpx_text(make_track(1799))).encode(), "route.gpx")
    assert _close(act.distance_m, RUN_M) and _close(act.moving_time_s, 1799, 0.02)
    assert act.avg_heart_rate is not None and act.sport == "running"
    assert any("route with times" in w for w in act.warnings)
    two = importers.load(_as_route(_two_tracks(timedelta(days=3))).encode(), "routes.gpx")
    assert _close(two[0].distance_m, RUN_M) and _close(two[1].distance_m, 2399 * 3.2)


def test_one_outing_split_into_tracks_stays_one():
    [act] = importers.load(_two_tracks(timedelta(minutes=20)).encode(), "paused.gpx")
    assert _close(act.distance_m, RUN_M + 2399 * 3.2)
    assert _close(act.moving_time_s, 1799 + 2399, 0.02)


def test_garmin_export_with_a_zip_inside_a_zip():
    runs = [fit_bytes(make_track(1199, seed=k, start=START + timedelta(days=k))) for k in (1, 2)]
    inner = _zip({f"run{k}.fit": data for k, data in enumerate(runs)})
    outer = _zip(
        {
            "DI_CONNECT/DI-Connect-Fitness/someone_0_summarizedActivities.json": b"[]",
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner,
        }
    )
    acts = importers.load(outer, "export.zip")
    assert len(acts) == 2
    assert all(_close(a.distance_m, 1199 * 3.0) and _close(a.moving_time_s, 1199) for a in acts)
    deeper = _zip({"a.zip": _zip({"b.zip": inner})})
    results = list(importers.iter_load(deeper, "deep.zip"))
    assert [r.skipped for r in results] == ["a zip nested more than one level deep (not opened)"]


def test_non_activity_members_are_skipped_before_any_size_limit():
    limits = Limits(max_member_bytes=250_000)
    health = b"<HealthData>" + b" " * 400_000 + b"</HealthData>"  # over the member limit
    data = _zip(
        {
            "apple_health_export/export.xml": health,
            "activities.csv": b"Activity ID,Filename\n",
            "photo.jpg": b"\xff\xd8\xff" + bytes(300_000),
            "run.gpx": gpx_text(make_track(600)).encode(),
        }
    )
    results = list(importers.iter_load(data, "export.zip", limits=limits))
    skipped = {r.source_name: r.skipped for r in results if r.skipped}
    assert skipped == dict.fromkeys(
        ["apple_health_export/export.xml", "activities.csv", "photo.jpg"], "not an activity file"
    )
    assert [len(r.activities) for r in results if not r.skipped] == [1]
    assert not any(r.error for r in results)


def test_macos_resource_forks_in_a_zip_are_skipped_not_errors():
    fork = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(200)
    data = _zip(
        {
            "runs/1001.fit": fit_bytes(make_track(600)),
            "__MACOSX/runs/._1001.fit": fork,
            "runs/._1002.GPX": fork,
            "runs/1002.GPX": gpx_text(make_track(600)).encode(),
        }
    )
    results = list(importers.iter_load(data, "Archive.zip"))
    assert not [r.source_name for r in results if r.error]
    assert sorted(r.source_name for r in results if r.skipped) == [
        "__MACOSX/runs/._1001.fit",
        "runs/._1002.GPX",
    ]
    assert len(importers.load(data, "Archive.zip")) == 2


def test_inspect_json_prints_one_object_per_skipped_member(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(
        _zip({"activities.csv": b"x\n", "run.gpx": gpx_text(make_track(600)).encode()})
    )
    result = CliRunner().invoke(main, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    objs = [json.loads(line) for line in result.output.splitlines()]
    assert {
        "file": str(path),
        "member": "activities.csv",
        "skipped": "not an activity file",
    } in objs
    assert [o["distance_m"] for o in objs if "distance_m" in o] == [1800.0]


def test_strava_activities_csv_gives_type_and_name():
    fast = make_track(1800, speed=8.0)  # would be guessed as cycling
    csv = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        '1,"Nov 22, 2026, 8:00:00 AM",Tempo intervals,Run,activities/1.gpx\n'
        '2,"Nov 23, 2026, 8:00:00 AM",Commute,Ride,activities/2.gpx.gz\n'
        '3,"Nov 24, 2026, 8:00:00 AM",Named run,Ride,activities/3.gpx\n'
    )
    data = _zip(
        {
            "activities.csv": csv.encode(),
            "activities/1.gpx": gpx_text(fast, sport=None).encode(),
            "activities/2.gpx.gz": gzip.compress(gpx_text(make_track(900), sport=None).encode()),
            "activities/3.gpx": gpx_text(make_track(900), sport="running").encode(),
        }
    )
    one, two, three = importers.load(data, "export.zip")
    assert (one.sport, one.sport_from, one.name) == ("running", "csv", "Tempo intervals")
    assert not any("does not say" in w for w in one.warnings)
    assert (two.sport, two.sport_from, two.name) == ("cycling", "csv", "Commute")
    assert (three.sport, three.sport_from, three.name) == ("running", "file", "Named run")


# --- 6. sport from physiology ----------------------------------------------------------------


def test_running_speed_bound_comes_from_world_records():
    assert math.isclose(max_run_speed(3451.0), 21097.5 / 3451.0)
    assert 6.1 < max_run_speed(3300.0) < 6.2  # 55 minutes
    assert max_run_speed(1800.0) > 6.2 > max_run_speed(7235.0)


@pytest.mark.parametrize(
    ("speed", "seconds", "sport"),
    [
        (24 / 3.6, 3300, "cycling"),
        (6.3, 1200, "running"),
        (6.5, 7200, "cycling"),
        (1.2, 3600, "walking"),
    ],
)
def test_sport_guess_from_speed_and_duration(speed, seconds, sport):
    track = make_track(seconds, speed=speed)
    [act] = importers.load(gpx_text(track, sport=None).encode(), "untyped.gpx")
    assert act.sport == sport and act.sport_from == "guess"
    import numpy as np

    t = np.arange(seconds + 1, dtype=float)
    assert guess_sport(t, t * speed, np.ones(seconds + 1, dtype=bool)) == sport
