"""webapp.ingest (bytes in, rows stored, files refused, deletes) against a real database."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from engine.muscles import LEG_MUSCLES
from tests.webapp.factories import count
from tests.webapp.files import recent_start, ride_fit, run_fit, run_gpx, zip_of
from webapp import charts, ingest
from webapp.models import Activity, OriginalFile


def test_a_fit_run_is_stored_with_its_file_summary_series_and_stimulus(db, user):
    data = run_fit(seconds=2400)
    [result] = ingest.ingest(db, user, "morning.fit", data)
    assert result.status == "imported", result
    assert result.distance_m == pytest.approx(7200, rel=0.02)
    row = db.get(Activity, result.activity_id)
    assert row.user_id == user.id and row.is_run and row.source_format == "fit"
    original = db.get(OriginalFile, row.original_file_id)
    assert original.content == data
    assert original.sha256 == hashlib.sha256(data).hexdigest()
    assert set(row.stimulus["muscles"]) >= set(LEG_MUSCLES)
    assert row.stimulus["muscles"]["calves"]["total"] > 0
    assert row.systemic_load and row.systemic_load > 0
    assert row.model_version
    series = row.chart_series
    assert 100 < len(series["t"]) <= charts.MAX_CHART_POINTS
    assert len(series["lat"]) == len(series["alt"]) == len(series["pace"]) == len(series["t"])
    # 3 m/s is 5:33 per km; the chart's pace agrees away from the ends.
    middle = [p for p in series["pace"][10:-10] if p]
    assert middle and all(abs(p - 333) < 15 for p in middle)
    assert len(row.summary["splits"]) == 8


def test_the_same_file_twice_is_a_duplicate_and_stores_nothing_new(db, user):
    data = run_fit()
    ingest.ingest(db, user, "a.fit", data)
    [again] = ingest.ingest(db, user, "a-copy.fit", data)
    assert again.status == "duplicate"
    assert again.activity_id is not None
    assert count(db, Activity) == 1 and count(db, OriginalFile) == 1


def test_the_gpx_of_a_run_already_imported_as_fit_is_a_duplicate(db, user):
    start = recent_start(3)
    ingest.ingest(db, user, "run.fit", run_fit(start))
    [result] = ingest.ingest(db, user, "run.gpx", run_gpx(start))
    assert result.status == "duplicate"
    assert count(db, Activity) == 1 and count(db, OriginalFile) == 1


def test_a_ride_is_saved_as_not_a_run_never_called_skipped(db, user):
    [result] = ingest.ingest(db, user, "ride.fit", ride_fit())
    assert result.status == "saved"
    assert result.message == "Ride — not a run, not counted in your legs' load."
    row = db.get(Activity, result.activity_id)
    assert row.sport == "cycling" and not row.is_run
    assert row.stimulus == {} and row.systemic_load is None


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("photo.fit", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "it looks like a PNG image"),
        ("empty.gpx", b"", "This file is empty"),
        (
            "broken.gpx",
            b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt lat='1'",
            "not well-formed XML",
        ),
    ],
)
def test_refused_files_leave_nothing_behind(db, user, name, data, words):
    [result] = ingest.ingest(db, user, name, data)
    assert result.status == "refused"
    assert words in result.message
    assert result.message and "Traceback" not in result.message
    assert count(db, Activity) == 0 and count(db, OriginalFile) == 0


def test_a_zip_reports_each_member_and_stores_each_members_own_bytes(db, user):
    good = run_fit(recent_start(4))
    archive = zip_of(
        {
            "export/run.fit": good,
            "export/broken.gpx": b"<gpx><trk><trkseg><trkpt lat='1' lon='2'>",
            "export/readme.txt": b"hello",
            "export/ride.fit": ride_fit(recent_start(5)),
        }
    )
    results = ingest.ingest(db, user, "export.zip", archive)
    by_name = {r.source_name: r.status for r in results}
    assert by_name == {
        "export/run.fit": "imported",
        "export/broken.gpx": "refused",
        "export/readme.txt": "skipped",
        "export/ride.fit": "saved",
    }
    assert count(db, Activity) == 2
    shas = set(db.scalars(select(OriginalFile.sha256)))
    assert hashlib.sha256(good).hexdigest() in shas
    assert hashlib.sha256(archive).hexdigest() not in shas


def test_progress_is_reported_after_each_file(db, user):
    archive = zip_of({"a.fit": run_fit(recent_start(4)), "b.fit": run_fit(recent_start(6))})
    seen = []

    def before_commit(batch, total):
        seen.append(([position for position, _ in batch], total))

    ingest.ingest(db, user, "two.zip", archive, before_commit=before_commit)
    assert seen == [([0], 2), ([1], 2)]


def test_files_are_committed_in_batches_and_rows_appear_per_batch(app, db, user):
    """Five files, batches of two: three commits, and another connection sees the rows of a
    batch only once it is committed (the first two files, then four, then five)."""
    names = [f"{n}.fit" for n in range(5)]
    archive = zip_of({name: run_fit(recent_start(n + 2)) for n, name in enumerate(names)})
    visible, batches = [], []

    def before_commit(batch, total):
        batches.append([position for position, _ in batch])
        with app.extensions["legday.sessionmaker"]() as other:  # what a reader sees now
            visible.append(count(other, Activity))

    results = ingest.ingest(
        db, user, "five.zip", archive, before_commit=before_commit, batch_files=2
    )
    assert [r.status for r in results] == ["imported"] * 5
    assert batches == [[0, 1], [2, 3], [4]]
    assert visible == [0, 2, 4]  # each batch's rows are not there before its own commit
    assert count(db, Activity) == 5


def test_a_duplicate_inside_a_batch_rolls_back_only_that_file(db, user):
    """The second copy of a run in one batch is told apart by the writer itself; a unique-key
    clash at commit time rewrites the batch file by file, nothing lost or doubled."""
    same = run_fit(recent_start(3))
    archive = zip_of({"a.fit": same, "b.fit": run_fit(recent_start(5)), "c/a.fit": same})
    results = ingest.ingest(db, user, "dups.zip", archive, batch_files=10)
    assert [r.status for r in results] == ["imported", "imported", "duplicate"]
    assert count(db, Activity) == 2 and count(db, OriginalFile) == 2


def test_a_zip_is_opened_once_and_each_member_parsed_once(db, user, monkeypatch):
    import zipfile

    import importers

    archive = zip_of({"a.fit": run_fit(recent_start(4)), "b.fit": run_fit(recent_start(6))})
    opened, parsed = [], []
    real_init, real_parse = zipfile.ZipFile.__init__, importers.fit.parse

    def counting_init(self, *args, **kwargs):
        opened.append(args[0] if args else kwargs.get("file"))
        real_init(self, *args, **kwargs)

    def counting_parse(data, filename):
        parsed.append(filename)
        return real_parse(data, filename)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    monkeypatch.setattr(importers.fit, "parse", counting_parse)
    results = ingest.ingest(db, user, "two.zip", archive)
    assert [r.status for r in results] == ["imported", "imported"]
    assert len(opened) == 1
    assert parsed == ["a.fit", "b.fit"]


def test_delete_removes_the_activity_and_its_unshared_file(db, user):
    [result] = ingest.ingest(db, user, "a.fit", run_fit())
    assert ingest.delete_activity(db, user, result.activity_id)
    assert count(db, Activity) == 0 and count(db, OriginalFile) == 0
    assert not ingest.delete_activity(db, user, result.activity_id)


def test_a_file_that_fails_half_way_leaves_nothing_behind(db, user):
    """A two-leg FIT file whose second row the database refuses: neither leg nor the file stays."""
    from sqlalchemy import event

    from tests.importers.samples import fit_bytes, make_track

    track = make_track(seconds=1200, speed=3.0, start=recent_start(2))
    legs = [(0, 600, "cycling", "road"), (600, 1201, "running", "generic")]
    data = fit_bytes(track, sessions=legs)
    inserted = []

    def refuse_the_second(_mapper, _connection, target):
        inserted.append(target.sport)
        if len(inserted) == 2:
            raise RuntimeError("disk full")

    event.listen(Activity, "before_insert", refuse_the_second)
    try:
        results = ingest.ingest(db, user, "brick.fit", data)
    finally:
        event.remove(Activity, "before_insert", refuse_the_second)
    assert inserted == ["cycling", "running"]
    assert [r.status for r in results] == ["refused"]
    assert results[0].message == ingest.STORE_FAILED
    assert count(db, Activity) == 0 and count(db, OriginalFile) == 0
    # The same file goes in whole once the database takes it.
    assert [r.status for r in ingest.ingest(db, user, "brick.fit", data)] == [
        "saved",
        "imported",
    ]


def test_a_store_error_in_a_batch_marks_only_its_file_and_keeps_the_others(db, user):
    """Three files in one batch; the database refuses the second one's row every time: the
    batch is rolled back and written file by file, so the first and third are kept."""
    from sqlalchemy import event

    starts = [recent_start(n) for n in (2, 3, 4)]
    archive = zip_of({f"{n}.fit": run_fit(start) for n, start in enumerate(starts)})

    def refuse_the_second(_mapper, _connection, target):
        if target.start_time == starts[1]:
            raise RuntimeError("disk full")

    event.listen(Activity, "before_insert", refuse_the_second)
    try:
        results = ingest.ingest(db, user, "three.zip", archive, batch_files=10)
    finally:
        event.remove(Activity, "before_insert", refuse_the_second)
    assert [(r.source_name, r.status) for r in results] == [
        ("0.fit", "imported"),
        ("1.fit", "refused"),
        ("2.fit", "imported"),
    ]
    assert results[1].message == ingest.STORE_FAILED
    assert count(db, Activity) == 2 and count(db, OriginalFile) == 2
