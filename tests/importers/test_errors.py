"""Bad input gives the ActivityFileError family with a sentence for the runner, never anything
else: empty, truncated, bit-flipped and renamed files, hostile XML, archive limits."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

import pytest
from garmin_fit_sdk import Encoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import importers
from importers import archive
from importers.errors import (
    ActivityFileError,
    CorruptFile,
    FileTooLarge,
    NoActivityData,
    UnsupportedFormat,
)
from tests.importers.samples import fit_bytes, gpx_text, make_track, tcx_text

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


@pytest.fixture(scope="module")
def small_fit() -> bytes:
    return fit_bytes(make_track(seconds=240, hill_m=10))


@pytest.fixture(scope="module")
def small_gpx() -> bytes:
    return gpx_text(make_track(seconds=120)).encode()


@pytest.fixture(scope="module")
def small_tcx() -> bytes:
    return tcx_text(make_track(seconds=90), laps=2).encode()


def test_empty_file():
    with pytest.raises(NoActivityData, match="empty"):
        importers.load(b"", "run.fit")


def test_png_renamed_fit():
    with pytest.raises(UnsupportedFormat) as info:
        importers.load(PNG, "run.fit")
    assert (
        str(info.value)
        == "This file is named .fit but is not a FIT file: it looks like a PNG image."
    )


def test_oversized_file_is_refused_before_parsing(monkeypatch, small_gpx):
    monkeypatch.setitem(importers.MAX_BYTES, "gpx", 1000)
    with pytest.raises(FileTooLarge, match="up to 0 MB"):
        importers.load(small_gpx, "huge.gpx")


def test_random_text_is_unsupported():
    with pytest.raises(UnsupportedFormat, match="FIT, GPX, TCX"):
        importers.load(b"date,distance\n2024-01-01,5\n", "runs.csv")


def test_fit_cut_off_early_is_refused(small_fit):
    cut = small_fit[: len(small_fit) // 8]
    with pytest.raises(CorruptFile, match=r"cut off after \d+ records: was the upload interrupted"):
        importers.load(cut, "run.fit")


def test_fit_cut_off_late_keeps_records_with_warning(small_fit):
    cut = small_fit[: int(len(small_fit) * 0.8)]
    [act] = importers.load(cut, "run.fit")
    assert act.device_totals is None  # the session message was after the cut
    assert any("cut off after" in w for w in act.warnings)
    assert 100 < len(act.series) < 240


def test_fit_bad_checksum_keeps_records_that_decode_and_says_so(small_fit):
    """A closing checksum that differs (a tool rewrote the file, a flipped bit) is named in a
    warning and the run is read, as fitdecode's own default does; a header whose checksum
    differs leaves nothing to read and is refused."""
    (good,) = importers.load(small_fit, "run.fit")
    flipped = bytearray(small_fit)
    flipped[-1] ^= 0xFF  # the file CRC itself
    (kept,) = importers.load(bytes(flipped), "run.fit")
    assert kept.distance_m == good.distance_m and kept.moving_time_s == good.moving_time_s
    assert any("checksum does not match" in w for w in kept.warnings), kept.warnings
    header = bytearray(small_fit)
    header[12] ^= 0xFF  # the header's own CRC (bytes 12-13 of a 14-byte header)
    with pytest.raises(CorruptFile, match="checksum"):
        importers.load(bytes(header), "run.fit")


def test_fit_without_records():
    # a valid FIT file with no data at all (fitdecode yields no frames and raises nothing)
    empty = Encoder().close()
    assert empty[8:12] == b".FIT"
    with pytest.raises(NoActivityData, match="no recorded samples"):
        importers.load(empty, "empty.fit")


def test_fit_header_only():
    header = fit_bytes(make_track(seconds=5))[:14]
    with pytest.raises(ActivityFileError):
        importers.load(header, "run.fit")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx version="1.1">&b;</gpx>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<TrainingCenterDatabase>&x;</TrainingCenterDatabase>"
)


@pytest.mark.parametrize(("data", "name"), [(BILLION_LAUGHS, "bomb.gpx"), (XXE, "x.tcx")])
def test_xml_with_dtd_or_entities_is_refused(data, name):
    with pytest.raises(CorruptFile, match="DTD"):
        importers.load(data, name)


def test_gpx_made_to_stall_the_parser_is_refused_at_once():
    # gpxpy's namespace scan is quadratic in "xmlns" words with no "=" after them: 200,000 of
    # them would take it hours; refused before gpxpy sees them
    text = b'<gpx version="1.1">' + b" xmlns" * 200_000 + b"</gpx>"
    with pytest.raises(CorruptFile, match="namespace declaration without a value"):
        importers.load(text, "stall.gpx")


def test_gpx_route_without_times():
    route = (
        b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>'
        b'<rtept lat="45.0" lon="7.0"/><rtept lat="45.01" lon="7.0"/></rte></gpx>'
    )
    with pytest.raises(NoActivityData, match="route or a track without times"):
        importers.load(route, "route.gpx")


def test_gpx_cut_off(small_gpx):
    with pytest.raises(CorruptFile):
        importers.load(small_gpx[: len(small_gpx) // 2], "run.gpx")


def test_tcx_without_track():
    tcx = b"<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>"
    with pytest.raises(NoActivityData):
        importers.load(tcx, "empty.tcx")


# --- .gz and .zip ----------------------------------------------------------------------------


def test_gz_of_each_format(small_fit, small_gpx):
    tr = make_track(seconds=120)
    for raw, name in (
        (small_fit, "a.fit.gz"),
        (small_gpx, "a.gpx.gz"),
        (tcx_text(tr).encode(), "a.tcx.gz"),
    ):
        [act] = importers.load(gzip.compress(raw), name)
        assert act.source_name == name
        assert act.distance_m > 0


def test_zip_members_in_folders_and_skips(small_fit, small_gpx):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/activities/1.fit.gz", gzip.compress(small_fit))
        zf.writestr("export/activities/2.gpx", small_gpx)
        zf.writestr("export/activities.csv", "id,name\n1,run\n")
        zf.writestr("export/media/photo.jpg", b"\xff\xd8\xff" + bytes(50))
        zf.writestr("export/activities/3.fit", PNG)
    results = list(importers.iter_load(buf.getvalue(), "export.zip"))
    by_name = {r.source_name: r for r in results}
    assert len(by_name["export/activities/1.fit.gz"].activities) == 1
    assert len(by_name["export/activities/2.gpx"].activities) == 1
    assert by_name["export/activities.csv"].skipped == "not an activity file"
    assert by_name["export/media/photo.jpg"].skipped == "not an activity file"
    assert isinstance(by_name["export/activities/3.fit"].error, UnsupportedFormat)
    acts = importers.load(buf.getvalue(), "export.zip")
    assert [a.source_format for a in acts] == ["fit", "gpx"]
    assert acts[0].source_name == "export/activities/1.fit.gz"


def test_each_result_carries_its_files_own_bytes_and_the_uploads_file_count(small_fit, small_gpx):
    packed = gzip.compress(small_fit)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/", b"")  # a folder: not a file, not counted
        zf.writestr("export/1.fit.gz", packed)
        zf.writestr("export/2.gpx", small_gpx)
        zf.writestr("export/notes.txt", b"hello")
    results = list(importers.iter_load(buf.getvalue(), "export.zip"))
    assert [(r.source_name, r.data, r.total) for r in results] == [
        ("export/1.fit.gz", packed, 3),
        ("export/2.gpx", small_gpx, 3),
        ("export/notes.txt", b"", 3),  # not an activity file: skipped unread
    ]
    assert results[2].skipped == "not an activity file"
    upload = gzip.compress(small_gpx)
    [single] = importers.iter_load(upload, "run.gpx.gz")
    assert single.activities and (single.data, single.total) == (upload, 1)


def test_zip_member_count_limit(small_gpx):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(5):
            zf.writestr(f"{i}.gpx", small_gpx)
    limits = archive.Limits(max_members=4)
    with pytest.raises(FileTooLarge, match="5 files"):
        list(archive.iter_zip(buf.getvalue(), "many.zip", limits))
    [result] = importers.iter_load(buf.getvalue(), "many.zip", limits=limits)
    assert isinstance(result.error, FileTooLarge) and result.source_name == "many.zip"
    assert len(importers.load(buf.getvalue(), "many.zip")) == 5  # within the default limits


def test_zip_bomb_member_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.gpx", b"<gpx>" + b" " * 5_000_000 + b"</gpx>")
    [result] = importers.iter_load(buf.getvalue(), "bomb.zip")
    assert isinstance(result.error, FileTooLarge)
    assert "times its size" in str(result.error)


def test_gz_inside_gz_is_refused(small_gpx):
    twice = gzip.compress(gzip.compress(small_gpx))
    with pytest.raises(UnsupportedFormat, match="another .gz"):
        importers.load(twice, "run.gpx.gz.gz")
    [result] = importers.iter_load(twice, "run.gpx.gz.gz")
    assert isinstance(result.error, UnsupportedFormat)


def test_gz_bomb_is_refused():
    bomb = zlib.compress(bytes(20_000_000))
    gz = gzip.compress(bytes(20_000_000))
    assert len(gz) < 100_000 and bomb
    with pytest.raises(FileTooLarge):
        importers.load(gz, "bomb.gpx.gz")


def test_encrypted_zip_member(small_gpx):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("locked.gpx", small_gpx)
        zf.writestr("open.gpx", small_gpx)
    raw = bytearray(buf.getvalue())
    # set the "encrypted" flag of the first member in its local and central headers
    local_at = raw.index(b"PK\x03\x04")
    central_at = raw.index(b"PK\x01\x02")
    raw[local_at + 6] |= 0x1
    raw[central_at + 8] |= 0x1
    locked_result, open_result = importers.iter_load(bytes(raw), "export.zip")
    assert isinstance(locked_result.error, CorruptFile)
    assert "encrypted" in str(locked_result.error)
    assert len(open_result.activities) == 1


def test_damaged_zip():
    with pytest.raises(CorruptFile, match="zip"):
        importers.load(b"PK\x03\x04" + bytes(100), "export.zip")


# --- any byte mutation gives the family or a result, never another exception -----------------


def _load_or_family(data: bytes, name: str) -> None:
    try:
        importers.load(data, name)
    except ActivityFileError as exc:
        assert str(exc)
        # the safety net in importers._load_one must not be what caught it
        assert not getattr(exc, "internal", False), repr(exc.__cause__)


def _mutated(data: st.DataObject, original: bytes) -> bytes:
    """`original` with up to 8 bytes overwritten, then cut at a drawn length."""
    raw = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    return bytes(raw[: data.draw(st.integers(0, len(raw)))])


MUTATION_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@MUTATION_SETTINGS
@given(st.data())
def test_fit_mutations(small_fit, data):
    _load_or_family(_mutated(data, small_fit), "run.fit")


@MUTATION_SETTINGS
@given(st.data())
def test_gpx_mutations(small_gpx, data):
    _load_or_family(_mutated(data, small_gpx), "run.gpx")


@MUTATION_SETTINGS
@given(st.data())
def test_tcx_mutations(small_tcx, data):
    _load_or_family(_mutated(data, small_tcx), "run.tcx")


def test_iter_load_reports_instead_of_raising():
    [result] = importers.iter_load(PNG, "photo.fit")
    assert result.source_name == "photo.fit" and result.activities == []
    assert isinstance(result.error, UnsupportedFormat) and result.skipped is None
