"""The short fuzz run (issue 13): a few hundred mutated files, fixed seed, through the whole
path a file takes (parse, stimulus, state) in a sandboxed child. The long campaign is
`make fuzz` (scripts/fuzz.py); its figures are in docs/security.md.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importers.errors import CorruptFile, NoActivityData
from importers.isolated import Sandbox, load_isolated
from tests.fuzzing import HANG_S, MEMORY_MB, fix_fit_crc, mutate, seeds, target


@pytest.fixture(scope="module")
def box():
    # the wall-clock limit is loose (the machine is shared); the target's own time is checked
    with Sandbox(MEMORY_MB, timeout_s=30, warm=("tests.fuzzing",)) as sandbox:
        yield sandbox


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(which=st.integers(0, len(seeds()) - 1), rng=st.randoms(use_true_random=False))
def test_mutated_files_are_imported_or_refused_within_bounds(box, which, rng):
    name, data = seeds()[which]
    data = mutate(data, rng)
    outcome = box.call(target, data, name)
    assert outcome.status == "returned", (name, outcome.status, outcome.error)
    result = outcome.value
    assert result.outcome in ("imported", "refused"), (name, result.detail)
    assert result.seconds < HANG_S and result.peak_mb < MEMORY_MB


def test_every_seed_imports_unmutated(box):
    for name, data in seeds():
        outcome = box.call(target, data, name)
        assert outcome.value.outcome == "imported", (name, outcome.value.detail)


def test_the_fit_checksum_fix_lets_damage_reach_the_decoder():
    _, data = seeds()[0]
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0xFF
    assert fix_fit_crc(data) == data
    assert fix_fit_crc(bytes(damaged)) != bytes(damaged)  # the file checksum was rewritten


def test_the_sandbox_survives_what_kills_a_child():
    with Sandbox(memory_mb=50, timeout_s=30) as sandbox:
        big = sandbox.call(bytearray, 200 * 2**20)  # over its address-space cap
        assert big.status == "raised" and big.error.startswith("MemoryError")
        died = sandbox.call(os.abort)  # as a crash in C code would
        assert died.status == "died"
        assert sandbox.call(len, b"abc").value == 3  # a new child answers
    with Sandbox(timeout_s=0.5) as sandbox:
        assert sandbox.call(time.sleep, 3).status == "timeout"


def test_load_isolated_gives_activities_or_the_importers_error():
    name, data = seeds()[3]
    (activity,) = load_isolated(data, name)
    assert activity.distance_m > 100
    with pytest.raises(NoActivityData):
        load_isolated(b"", "empty.gpx")
    with Sandbox(memory_mb=250, timeout_s=0.5) as sandbox, pytest.raises(CorruptFile):
        load_isolated(data, name, box=_Slow(sandbox))


class _Slow:
    """A sandbox whose every call times out (as a file that hangs the parser would)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def call(self, fn, *args):
        return self.sandbox.call(time.sleep, 3)
