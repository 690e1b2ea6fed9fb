"""One test per bound of importers/limits.py, each with a tiny file made here (issue 13).

Limits are lowered with monkeypatch where the real one needs a large file; each test also
shows the same file passing just under the limit, so that the bound (not something else)
is what refuses it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import importers
from engine.samples import prepare_samples
from engine.stimulus import compute_stimulus
from importers import limits
from importers.errors import CorruptFile, FileTooLarge
from tests.importers.samples import fit_bytes, gpx_text, make_track, tcx_text

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t" '
    'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
)
GPX_TAIL = "</trkseg></trk></gpx>"


def gpx_points(*points: tuple[float, float, str], inner: str = "") -> bytes:
    body = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><time>{t}</time>{inner}</trkpt>' for lat, lon, t in points
    )
    return (GPX_HEAD + body + GPX_TAIL).encode()


def nested(depth: int) -> str:
    return "<extensions>" + "<a>" * depth + "</a>" * depth + "</extensions>"


def test_xml_nesting_over_the_limit_is_refused_before_a_tree_is_built():
    pts = [(46.0, 7.0, "2025-02-01T07:00:00Z"), (46.001, 7.0, "2025-02-01T07:00:10Z")]
    deep = gpx_points(*pts, inner=nested(limits.MAX_XML_DEPTH))  # gpx/trk/trkseg/trkpt/ext
    with pytest.raises(FileTooLarge, match=f"more than {limits.MAX_XML_DEPTH} deep"):
        importers.load(deep, "deep.gpx")
    ok = gpx_points(*pts, inner=nested(limits.MAX_XML_DEPTH - 6))
    assert importers.load(ok, "ok.gpx")[0].distance_m > 100


def test_tcx_nesting_is_refused_too():
    track = make_track(seconds=30)
    text = tcx_text(track).replace("</Trackpoint>", nested(200) + "</Trackpoint>", 1)
    with pytest.raises(FileTooLarge, match="nests its elements"):
        importers.load(text.encode(), "deep.tcx")


def test_a_dtd_is_refused_by_the_prescan(monkeypatch):
    text = tcx_text(make_track(seconds=30))
    doctype = '<!DOCTYPE t [<!ENTITY a "aaaa">]>'
    evil = text.replace("<TrainingCenterDatabase", doctype + "<TrainingCenterDatabase", 1)
    with pytest.raises(CorruptFile, match="DTD"):
        limits.prescan_xml(evil.encode(), "TCX", "evil.tcx")


def test_xml_element_count_is_bounded(monkeypatch):
    data = gpx_text(make_track(seconds=60)).encode()
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 200)
    with pytest.raises(FileTooLarge, match="over 200 XML elements"):
        importers.load(data, "many.gpx")
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 2000)
    assert importers.load(data, "many.gpx")


@pytest.mark.parametrize("fmt", ["gpx", "tcx", "fit"])
def test_sample_count_is_bounded_in_every_format(monkeypatch, fmt):
    track = make_track(seconds=120)
    data = {
        "gpx": lambda: gpx_text(track).encode(),
        "tcx": lambda: tcx_text(track).encode(),
        "fit": lambda: fit_bytes(track),
    }[fmt]()
    monkeypatch.setattr(limits, "MAX_SAMPLES", 100)
    with pytest.raises(FileTooLarge, match="over 100 samples"):
        importers.load(data, f"long.{fmt}")
    monkeypatch.setattr(limits, "MAX_SAMPLES", 121)
    assert len(importers.load(data, f"long.{fmt}")[0].series) == 121


def test_gpx_points_have_their_own_lower_bound(monkeypatch):
    data = gpx_text(make_track(seconds=120)).encode()
    monkeypatch.setattr(limits, "MAX_GPX_POINTS", 100)
    with pytest.raises(FileTooLarge, match="over 100 samples"):
        importers.load(data, "long.gpx")
    assert len(importers.load(tcx_text(make_track(seconds=120)).encode(), "t.tcx")[0].series)


def test_a_span_over_seven_days_is_refused_with_its_length():
    years = gpx_points((46.0, 7.0, "2000-01-01T00:00:00Z"), (46.01, 7.0, "2020-01-01T00:00:00Z"))
    with pytest.raises(CorruptFile, match="lasts 20 years.*up to 7 days"):
        importers.load(years, "years.gpx")
    week = gpx_points((46.0, 7.0, "2025-01-01T00:00:00Z"), (46.01, 7.0, "2025-01-07T23:00:00Z"))
    (act,) = importers.load(week, "week.gpx")
    assert act.elapsed_time_s == pytest.approx(limits.MAX_DURATION_S - 3600)


def test_a_distance_no_one_covers_in_the_time_is_refused():
    track = make_track(seconds=2)
    text = tcx_text(track, laps=1)
    last = text.rfind("<DistanceMeters>")
    end = text.find("</DistanceMeters>", last)
    hostile = text[:last] + "<DistanceMeters>1000000000" + text[end:]
    with pytest.raises(CorruptFile, match="1,000,000 km in 2 s"):
        importers.load(hostile.encode(), "far.tcx")
    assert importers.load(text.encode(), "near.tcx")[0].distance_m == pytest.approx(6.0)


def test_activities_per_file_are_bounded(monkeypatch):
    text = tcx_text(make_track(seconds=20))
    one = text[text.index("<Activity ") : text.index("</Activities>")]
    many = text.replace(one, one * 3)
    monkeypatch.setattr(limits, "MAX_ACTIVITIES_PER_FILE", 2)
    with pytest.raises(FileTooLarge, match="over 2 activities"):
        importers.load(many.encode(), "many.tcx")
    monkeypatch.setattr(limits, "MAX_ACTIVITIES_PER_FILE", 3)
    assert len(importers.load(many.encode(), "many.tcx")) == 3


def test_fit_sessions_per_file_are_bounded(monkeypatch):
    track = make_track(seconds=90)
    legs = [
        (0, 30, "running", "generic"),
        (30, 60, "running", "generic"),
        (60, 91, "running", "generic"),
    ]
    data = fit_bytes(track, sessions=legs)
    monkeypatch.setattr(limits, "MAX_ACTIVITIES_PER_FILE", 2)
    with pytest.raises(FileTooLarge, match="over 2 activities"):
        importers.load(data, "legs.fit")


def test_splits_are_capped_by_lengthening_them(monkeypatch):
    track = make_track(seconds=1000, speed=5.0)  # 5 km
    data = gpx_text(track).encode()
    assert len(importers.load(data, "r.gpx")[0].splits) == 5
    monkeypatch.setattr(limits, "MAX_SPLITS", 2)
    splits = importers.load(data, "r.gpx")[0].splits
    assert len(splits) == 2
    assert [s.distance_m for s in splits] == pytest.approx([3000.0, 2000.0], abs=2.0)
    assert sum(s.moving_time_s for s in splits) == pytest.approx(1000.0, abs=1.0)


def test_split_and_grid_helpers_bound_their_counts():
    assert limits.split_length_m(5_000.0) == 1000.0
    huge = 10_000_000.0
    assert huge / limits.split_length_m(huge) <= limits.MAX_SPLITS
    assert limits.grid_step_s(3600.0) == 1.0
    week = limits.MAX_DURATION_S
    assert week / limits.grid_step_s(week) + 1 <= limits.MAX_GRID_POINTS + 1e-6


def test_the_engine_grid_is_decimated_past_its_cap(monkeypatch):
    track = make_track(seconds=600, speed=3.0, hill_m=10)
    (act,) = importers.load(gpx_text(track).encode(), "r.gpx")
    full = prepare_samples(act)
    assert len(full) == int(full.time_s[-1]) + 1 > 500  # one per second
    monkeypatch.setattr(limits, "MAX_GRID_POINTS", 100)
    coarse = prepare_samples(act)
    assert len(coarse) == 100
    assert coarse.time_s[-1] == pytest.approx(full.time_s[-1])
    assert coarse.distance_m[-1] == pytest.approx(full.distance_m[-1], rel=1e-3)
    assert any("grid" in n for n in coarse.notes)
    stim_full = compute_stimulus(act)  # the load is about the same on the coarser grid
    monkeypatch.undo()
    assert compute_stimulus(act).total == pytest.approx(stim_full.total, rel=0.1)


def test_the_even_pace_fallback_is_bounded(monkeypatch):
    # no distance channel: the engine spreads the summary distance over the moving time
    (act,) = importers.load(fit_bytes(make_track(seconds=600), with_gps=False), "nogps.fit")
    bare = dataclasses.replace(act.series, distance_m=None, speed_mps=None, lat=None, lon=None)
    week = dataclasses.replace(act, series=bare, moving_time_s=limits.MAX_DURATION_S)
    assert len(prepare_samples(dataclasses.replace(act, series=bare))) == 601  # 1 s grid
    monkeypatch.setattr(limits, "MAX_GRID_POINTS", 1000)
    samples = prepare_samples(week)
    assert len(samples) == 1000
    assert samples.time_s[-1] == pytest.approx(limits.MAX_DURATION_S)
    assert samples.distance_m[-1] == pytest.approx(act.distance_m)
    assert np.isfinite(samples.speed_mps).all()


def _prescan_outcome(doc: str, exact: bool, monkeypatch) -> str | None:
    with monkeypatch.context() as m:
        if exact:
            m.setattr(limits, "_within_limits", lambda *_a: False)
        try:
            limits.prescan_xml(doc, "GPX", "f.gpx")
        except (CorruptFile, FileTooLarge) as exc:
            return f"{type(exc).__name__}: {exc}"
    return None


@pytest.mark.parametrize(
    "doc",
    [
        # end tags inside a comment, a CDATA section or an instruction close nothing
        "<r><!--" + "</a>" * 10 + "-->" + "<a>" * 5 + "</a>" * 5 + "</r>",
        "<r><![CDATA[" + "</a>" * 10 + "]]>" + "<a>" * 5 + "</a>" * 5 + "</r>",
        "<r><?pi " + "</a>" * 10 + "?>" + "<a>" * 5 + "</a>" * 5 + "</r>",
        "<r><!-- <![CDATA[ -->" + "<a>" * 5 + "</a>" * 5 + "<!-- ]]> --></r>",
        # empty elements: one deeper while they last, closed after
        "<r>" + "<a/>" * 20 + "<a><a><a><a/></a></a></a></r>",
        "<r>" + "<a/>" * 20 + "<a><a><a><a><a/></a></a></a></a></r>",
        "<r>" + "<a x='/>'>" * 5 + "</a>" * 5 + "</r>",
        '<r><a x="1>2"/><a/><a/><a/><a/><a/></r>',
        # points: prefixed, overlapping names, end tags
        "<r>" + "<g:trkpt/>" * 4 + "</r>",
        "<r>" + "<trkptrkpt></trkptrkpt>" * 4 + "</r>",
        "<r>" + "<trkpt></trkpt>" * 3 + "<b>trkpt trkpt</b></r>",
        # damaged documents: the same error either way
        "<r>" + "<a>" * 6,
        "<r><!-- never closed <a><a><a><a><a><a></r>",
        "<r><!DOCTYPE r><a/></r>",
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>',
        "<r><a></b></r><",
    ],
)
def test_counting_bounds_give_the_exact_scans_verdict(doc, monkeypatch):
    # the counting shortcut of prescan_xml must refuse exactly what the expat count refuses
    monkeypatch.setattr(limits, "MAX_XML_DEPTH", 5)
    monkeypatch.setattr(limits, "MAX_XML_ELEMENTS", 30)
    monkeypatch.setattr(limits, "MAX_GPX_POINTS", 3)
    fast = _prescan_outcome(doc, exact=False, monkeypatch=monkeypatch)
    assert fast == _prescan_outcome(doc, exact=True, monkeypatch=monkeypatch)
    if limits._within_limits(doc, 3):
        assert fast is None or "FileTooLarge" not in fast


def test_a_real_gpx_is_bounded_by_counting_alone():
    text = gpx_text(make_track(seconds=600))
    assert limits._within_limits(text, limits.MAX_GPX_POINTS)
    assert not limits._within_limits(text.replace("<trk>", "<!DOCTYPE x><trk>"), 10**6)


def test_end_tags_gpxpy_would_delete_cannot_hide_nesting():
    # gpxpy deletes the first ` xmlns="..."` before parsing: here it holds 200 end tags, so
    # the text after it would nest 200 deeper in gpxpy's tree than in the file. The file is
    # malformed (those end tags close nothing), and the prescan refuses it as such.
    pts = [(46.0, 7.0, "2025-02-01T07:00:00Z"), (46.001, 7.0, "2025-02-01T07:00:10Z")]
    n = 2 * limits.MAX_XML_DEPTH
    inner = '<extensions> xmlns="' + "</a>" * n + '"' + "<a>" * n + "</a>" * n + "</extensions>"
    data = gpx_points(*pts, inner=inner).replace(b' xmlns="http://www.topografix.com/GPX/1/1"', b"")
    assert limits._within_limits(data.decode(), limits.MAX_GPX_POINTS)  # counting alone passes
    with pytest.raises(CorruptFile, match="not well-formed"):
        importers.load(data, "hidden.gpx")
