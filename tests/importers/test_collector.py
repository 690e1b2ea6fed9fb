"""The cyclic garbage collector is held off while a file is parsed, and restored after."""

from __future__ import annotations

import gc
import threading

import pytest

import importers
from importers import collector
from tests.importers.samples import gpx_text, make_track


@pytest.fixture
def collections():
    """How many collections the cyclic collector started, of any generation."""
    count = {"n": 0}

    def seen(phase, info):
        if phase == "start":
            count["n"] += 1

    gc.callbacks.append(seen)
    yield count
    gc.callbacks.remove(seen)


def test_a_gpx_parse_runs_no_collection_and_the_collector_comes_back(collections):
    data = gpx_text(make_track(seconds=1800, speed=3.0)).encode()
    assert gc.isenabled()
    collections["n"] = 0
    (activity,) = importers.load(data, "run.gpx")
    # One may start as the collector comes back (the parse's allocations are counted); without
    # the pause a 30-minute GPX starts about 40.
    assert collections["n"] <= 1
    assert len(activity.series) > 1000
    assert gc.isenabled()


def test_a_failed_parse_switches_the_collector_back_on():
    with pytest.raises(importers.ActivityFileError):
        importers.load(b"<gpx><trk><trkseg><trkpt lat='x'", "broken.gpx")
    assert gc.isenabled()


def test_nested_and_overlapping_pauses_end_with_the_last():
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    inside, release = threading.Event(), threading.Event()

    def other_parse():
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_parse)
    thread.start()
    inside.wait(5)
    with collector.paused():
        pass
    assert not gc.isenabled()  # the other thread's parse is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
