"""Python's cyclic garbage collector held off while one file is parsed.

A parse allocates a few hundred thousand small objects (ElementTree elements, gpxpy points,
fitdecode fields) that form no reference cycles and are freed by reference counting as soon as
the parse lets go of them. The cyclic collector would still walk them about once per 700
allocations, and walk the whole heap now and then: about 15 % of a GPX parse (a 4-hour GPX,
0.33 s -> 0.28 s CPU in process, measured with bench/run.py's files). Memory is unaffected
except for cycles made during the parse, which the collector frees on its next run.

    with paused():
        activities = parse(...)

Threads share one collector: it is switched off by the first parse to start and on again when
the last one ends, and never switched on if it was off before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_parses = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Keep the cyclic collector off for the body; nests and is shared by threads."""
    global _parses, _was_enabled
    with _lock:
        if _parses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _parses += 1
    try:
        yield
    finally:
        with _lock:
            _parses -= 1
            if _parses == 0 and _was_enabled:
                gc.enable()
