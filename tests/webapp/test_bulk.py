"""webapp.bulk: a zip's members parsed by real worker processes, in order, or here as a fallback."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from engine.athlete import Athlete
from tests.conftest import ROOT
from tests.webapp.files import recent_start, run_fit, zip_of
from webapp import bulk, ingest


def _members(count: int) -> dict[str, bytes]:
    members = {f"run{n:02d}.fit": run_fit(recent_start(n + 2), seconds=600) for n in range(count)}
    members["notes.txt"] = b"not a run"
    return members


def test_a_pool_of_processes_parses_the_members_in_order_as_in_process_parsing_would():
    archive = zip_of(_members(9))
    athlete = Athlete()
    items = bulk.parsed_files(archive, "export.zip", athlete, workers=2)
    first = next(items)
    # Worker processes (not threads of this one) are parsing while the writer takes results.
    workers = [p for p in multiprocessing.active_children() if p.pid != os.getpid()]
    assert len(workers) >= 2
    pooled = [first, *items]
    here = list(ingest.parse_in_process(archive, "export.zip", athlete))
    assert [i.position for i in pooled] == list(range(10))
    assert [(i.position, i.total, i.parsed, i.content) for i in pooled] == [
        (i.position, i.total, i.parsed, i.content) for i in here
    ]
    assert pooled[-1].parsed.skipped and pooled[0].parsed.rows[0]["is_run"]


def test_positions_already_done_are_skipped():
    archive = zip_of(_members(9))
    items = list(bulk.parsed_files(archive, "x.zip", Athlete(), skip=frozenset({0, 3}), workers=2))
    assert [i.position for i in items] == [1, 2, 4, 5, 6, 7, 8, 9]


def test_when_no_pool_can_start_the_members_are_parsed_here(monkeypatch, caplog):
    def no_forkserver(method=None):
        raise ValueError(f"cannot find context for {method!r}")

    monkeypatch.setattr(multiprocessing, "get_context", no_forkserver)
    archive = zip_of(_members(9))
    items = list(bulk.parsed_files(archive, "export.zip", Athlete(), workers=2))
    assert len(items) == 10 and all(i.parsed.error is None for i in items)
    assert "no process pool" in caplog.text


def test_a_damaged_archive_is_one_refused_file():
    items = list(bulk.parsed_files(b"PK\x03\x04 not really a zip", "bad.zip", Athlete(), workers=2))
    assert len(items) == 1 and "damaged" in items[0].parsed.error


def test_the_pool_workers_exit_when_the_process_that_started_them_is_killed():
    script = (
        "import sys, time\n"
        "from webapp import bulk\n"
        "pool = bulk.start_pool(2)\n"
        "print(*pool._processes, flush=True)\n"
        "time.sleep(300)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(60)
        parent.stdout.close()
    end = time.monotonic() + 60  # a wait for the processes, not a speed target
    while any(_alive(pid) for pid in workers) and time.monotonic() < end:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    """A running process (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_pool_opens_a_zip_inside_and_applies_the_export_index_as_iter_load_does():
    """A Garmin export (a zip inside the zip) and a Strava export's activities.csv (names)
    reach the pool's workers member by member and give what in-process parsing gives."""
    inner = zip_of({f"run{n}.fit": run_fit(recent_start(n + 2), seconds=600) for n in range(9)})
    named = run_fit(recent_start(20), seconds=600)
    index = "Activity ID,Activity Name,Activity Type,Filename\n1,Canal loop,Run,activities/1.fit\n"
    archive = zip_of(
        {
            "DI_CONNECT/Uploaded/UploadedFiles_0-_Part1.zip": inner,
            "activities.csv": index.encode(),
            "activities/1.fit": named,
        }
    )
    athlete = Athlete()
    pooled = list(bulk.parsed_files(archive, "export.zip", athlete, workers=2))
    here = list(ingest.parse_in_process(archive, "export.zip", athlete))
    assert [(i.position, i.parsed, i.content) for i in pooled] == [
        (i.position, i.parsed, i.content) for i in here
    ]
    runs = [i for i in pooled if i.parsed.rows]
    assert len(runs) == 10  # the 9 inside the inner zip, and the named one
    assert [i.parsed.rows[0]["name"] for i in runs if i.parsed.source_name.startswith("act")] == [
        "Canal loop"
    ]
    assert [i.parsed.skipped for i in pooled if i.parsed.source_name == "activities.csv"] == [
        "not an activity file"
    ]
