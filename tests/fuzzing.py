"""The fuzz target, its seeds and its mutations: shared by tests/test_fuzz.py (a short run) and
scripts/fuzz.py (the long campaign, `make fuzz`).

- seeds: small FIT, GPX and TCX files generated with tests/importers/samples.py (a run with a
  hill, pauses, heart rate, cadence; a multisport FIT; a Suunto-style TCX);
- `mutate(data, rng)`: bit flips, interesting bytes and numbers, chunks deleted, duplicated or
  spliced, cut-offs, deep nesting, far-apart times; a FIT file's checksums are recomputed most
  of the time so that the damage reaches the decoder rather than the checksum test;
- `target(data, name)`: the whole path a file takes (importers.iter_load, then for every
  activity compute_stimulus, a LoadRecord and compute_state), timed, with the traced memory
  peak (tracemalloc). Returns a `Result`; any exception escaping it is a finding.

Run it in an `importers.isolated.Sandbox` so that a runaway input costs one child process.
"""

from __future__ import annotations

import random
import re
import struct
import time
import tracemalloc
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from fitdecode.utils import compute_crc

import importers
from engine.state import LoadRecord, compute_state
from engine.stimulus import compute_stimulus
from tests.importers.samples import fit_bytes, gpx_text, make_track, tcx_text

HANG_S = 5.0  # CPU seconds per input
WALL_S = 60.0  # wall-clock seconds before the sandbox kills the child (a starved child is slow)
MEMORY_MB = 250.0


@dataclass(frozen=True, slots=True)
class Result:
    """One input's fate. outcome: imported | refused | internal (the importers' safety net
    caught an unexpected exception: a gap to fix, not a crash). `seconds` is CPU time (the
    machine is shared: wall time measures the neighbours too)."""

    outcome: str
    seconds: float
    peak_mb: float
    detail: str = ""


@cache
def seeds() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of the seed files: small, varied, generated in code."""
    hilly = make_track(seconds=90, speed=3.2, hill_m=25, hill_period_s=60, pauses=((40, 30),))
    flat = make_track(seconds=70, speed=2.8, noise_m=1.0, seed=3)
    three = len(flat.times) // 3
    return (
        ("run.fit", fit_bytes(hilly)),
        ("multisport.fit", fit_bytes(flat, sessions=[(0, three, "running", "generic"),
                                                     (three, len(flat.times), "cycling", "road")])),
        ("nosession.fit", fit_bytes(flat, with_session=False, with_gps=False)),
        ("run.gpx", gpx_text(hilly, segments=[(0, 50), (50, len(hilly.times))]).encode()),
        ("old.gpx", gpx_text(flat, version="1.0", sport=None).encode()),
        ("run.tcx", tcx_text(hilly, laps=3).encode()),
        ("suunto.tcx", tcx_text(flat, with_distance=False, with_speed=True).encode()),
    )


_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_ELEMENT = re.compile(rb"<(trkpt|Trackpoint)\b.*?</\1>", re.S)
_INTERESTING_NUMBERS = (
    b"0", b"-1", b"1e9", b"-1e9", b"1e308", b"nan", b"inf", b"4294967295", b"0.000001", b"",
    b"99999999999999999999", b"-0",
)
_INTERESTING_BYTES = (0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE)
_INTERESTING_U32 = (0, 0xFFFFFFFF, 0x7FFFFFFF, 0x10000000, 0x0FFFFFFF, 1, 0x80000000)


def _far_time(rng: random.Random) -> bytes:
    base = datetime(2024, 5, 1, tzinfo=UTC)
    years = rng.choice((-30, -1, 0, 1, 20, 70))
    when = base + timedelta(days=365 * years, seconds=rng.choice((0, 1, 86_400 * 8, 3_600)))
    return when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def _sub_one(pattern: re.Pattern, data: bytes, rng: random.Random, make) -> bytes:
    found = list(pattern.finditer(data, 0, 200_000))
    if not found:
        return data
    m = rng.choice(found)
    return data[: m.start()] + make(m) + data[m.end() :]


def _xml_mutation(data: bytes, rng: random.Random) -> bytes:
    op = rng.randrange(6)
    if op == 0:
        return _sub_one(_NUMBER, data, rng, lambda m: rng.choice(_INTERESTING_NUMBERS))
    if op == 1:
        return _sub_one(_TIME, data, rng, lambda m: _far_time(rng))
    if op == 2:  # repeat one track point
        return _sub_one(_ELEMENT, data, rng, lambda m: m.group(0) * rng.choice((2, 10, 200)))
    if op == 3:  # nest: sometimes past the depth limit
        depth = rng.choice((5, 99, 101, 500))
        at = data.find(b"</trkpt>") if b"</trkpt>" in data else data.find(b"</Trackpoint>")
        if at < 0:
            return data
        return data[:at] + b"<x>" * depth + b"</x>" * depth + data[at:]
    if op == 4:  # drop a closing tag or an attribute quote
        return _sub_one(re.compile(rb"</[A-Za-z:]+>|\""), data, rng, lambda m: b"")
    return _sub_one(_ELEMENT, data, rng, lambda m: b"")  # drop a point


def fix_fit_crc(data: bytes) -> bytes:
    """The file with its header size field and both checksums made right again."""
    if len(data) < 14 or data[8:12] != b".FIT":
        return data
    size = data[0]
    if size not in (12, 14) or len(data) < size + 2:
        return data
    body_end = len(data) - 2
    head = bytearray(data[:size])
    head[4:8] = struct.pack("<I", body_end - size)
    if size == 14:
        head[12:14] = struct.pack("<H", compute_crc(bytes(head[:12])))
    out = bytes(head) + data[size:body_end]
    return out + struct.pack("<H", compute_crc(out))


def _byte_mutation(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    n = len(buf)
    if n < 2:
        return bytes(buf) + bytes([rng.randrange(256)])
    op = rng.randrange(7)
    if op == 0:
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(n)] ^= 1 << rng.randrange(8)
    elif op == 1:
        buf[rng.randrange(n)] = rng.choice(_INTERESTING_BYTES)
    elif op == 2 and n > 8:
        at = rng.randrange(n - 4)
        buf[at : at + 4] = struct.pack("<I", rng.choice(_INTERESTING_U32))
    elif op == 3:
        a = rng.randrange(n)
        del buf[a : a + rng.randint(1, 64)]
    elif op == 4:
        a = rng.randrange(n)
        chunk = buf[a : a + rng.randint(1, 256)]
        b = rng.randrange(n)
        buf[b:b] = chunk * rng.choice((1, 2, 16))
    elif op == 5:
        del buf[rng.randrange(1, n) :]
    else:
        name, other = rng.choice(seeds())
        a, b = rng.randrange(n), rng.randrange(len(other))
        buf = buf[:a] + bytearray(other[b:])
    return bytes(buf)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three mutations of `data`; FIT checksums are fixed again four times in five."""
    out = data
    for _ in range(rng.choice((1, 1, 2, 3))):
        if out[:1] == b"<" or out[:5] == b"<?xml":
            out = _xml_mutation(out, rng) if rng.random() < 0.6 else _byte_mutation(out, rng)
        else:
            out = _byte_mutation(out, rng)
    if out[8:12] == b".FIT" and rng.random() < 0.8:
        out = fix_fit_crc(out)
    return out


def make_input(index: int, seed: int = 0) -> tuple[str, bytes]:
    """The input number `index` of the campaign with `seed`: the same every run."""
    rng = random.Random(seed * 1_000_003 + index)
    name, data = rng.choice(seeds())
    return name, mutate(data, rng)


def target(data: bytes, name: str, trace: bool = True) -> Result:
    """The whole path: parse, stimulus, state. Exceptions escape (they are the findings).
    With `trace`, the peak of traced memory is measured (tracemalloc: about twice as slow)."""
    if trace:
        tracemalloc.start()
    t0 = time.process_time()
    outcome, detail = "refused", ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy's overflow warnings are not failures
            records = []
            for item in importers.iter_load(data, name):
                if item.error is not None:
                    if getattr(item.error, "internal", False):
                        cause = item.error.__cause__
                        if isinstance(cause, MemoryError):
                            raise cause
                        outcome, detail = "internal", f"{type(cause).__name__}: {cause}"
                    elif outcome != "internal":
                        detail = str(item.error)
                    continue
                for activity in item.activities:
                    stim = compute_stimulus(activity)
                    records.append(
                        LoadRecord.from_stimulus(
                            activity.start_time, activity.elapsed_time_s, stim
                        )
                    )
            if records:
                if outcome != "internal":
                    outcome = "imported"
                as_of = max(r.end_time for r in records) + timedelta(days=1)
                compute_state(records, as_of)
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
    finally:
        if trace:
            tracemalloc.stop()
    return Result(outcome, time.process_time() - t0, peak, detail[:200])
