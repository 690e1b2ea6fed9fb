"""Run a function in a child process capped in memory and time, so a fault costs one child.

    with Sandbox(memory_mb=250, timeout_s=5) as box:
        outcome = box.call(importers.load, data, "run.fit")   # -> Outcome

The child is a fresh interpreter (the "spawn" start method: no lock or thread of the parent is
inherited) that lowers its own address-space limit (RLIMIT_AS) to its size at start plus
`memory_mb`, then serves calls one after another. A call that runs past `timeout_s` has its child
killed (outcome "timeout"); a child that dies (a signal, a crash in C code) gives "died"; an
allocation over the cap raises MemoryError inside the child (outcome "raised"). In every case
the next call gets a new child. Arguments and results cross by pickle (an Activity does).

`load_isolated(data, filename)` is the importer through a sandbox: the parse-in-a-child option
of issue 13, kept small so that a job can call it. Costs measured on the 2-core test machine
are in docs/security.md ("Hostile files").
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from importers.errors import ActivityFileError, CorruptFile

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one call did. status: returned | raised | timeout | died."""

    status: str
    value: Any = None  # the return value, or the exception raised (when it pickles)
    error: str = ""  # the exception's type and message, a traceback, or how the child ended
    seconds: float = 0.0


def _address_space() -> int:
    """This process's current address-space size, bytes (Linux /proc)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * _PAGE


def _serve(conn, memory_bytes: int | None, warm: tuple[str, ...]) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash ends at once, with no core dump
    for name in warm:  # import the heavy modules before the limit is taken
        __import__(name)
    if memory_bytes is not None:
        cap = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    conn.send(("ready", None, ""))
    while True:
        try:
            job = conn.recv_bytes()
        except EOFError:
            return
        try:
            fn, args, kwargs = pickle.loads(job)  # may import fn's module: inside the limits
            value = fn(*args, **kwargs)
        except BaseException as exc:  # every failure goes to the parent
            text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
            try:
                conn.send(("raised", exc, text))
            except Exception:  # the exception does not pickle: its text is enough
                conn.send(("raised", None, text))
        else:
            try:
                conn.send(("returned", value, ""))
            except Exception as exc:
                conn.send(("raised", None, f"result does not pickle: {exc!r}"))


class Sandbox:
    """A child process serving calls under `memory_mb` of extra address space and `timeout_s`."""

    def __init__(
        self,
        memory_mb: float | None = 250,
        timeout_s: float = 5.0,
        warm: tuple[str, ...] = ("numpy", "importers", "engine.stimulus"),
        recycle_after: int = 0,
    ) -> None:
        self.memory_bytes = None if memory_mb is None else int(memory_mb * 2**20)
        self.timeout_s = timeout_s
        self.warm = warm
        self.recycle_after = recycle_after  # restart the child every N calls (0: never)
        self._ctx = multiprocessing.get_context("spawn")
        self._proc = None
        self._conn = None
        self._calls = 0

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_serve, args=(child, self.memory_bytes, self.warm), daemon=True
        )
        proc.start()
        child.close()
        if not parent.poll(120):
            proc.kill()
            raise RuntimeError("the sandbox child did not start")
        parent.recv()
        self._proc, self._conn, self._calls = proc, parent, 0

    def close(self) -> None:
        if self._proc is not None:
            self._conn.close()
            self._proc.kill()
            self._proc.join()
        self._proc = self._conn = None

    def call(self, fn: Callable, *args: Any, **kwargs: Any) -> Outcome:
        """fn(*args, **kwargs) in the child; `fn` must be importable by name (a module's)."""
        if self._proc is None or (self.recycle_after and self._calls >= self.recycle_after):
            self.close()
            self._start()
        self._calls += 1
        t0 = time.monotonic()
        ended = False  # the pipe closed: the child is gone (or going)
        try:
            self._conn.send((fn, args, kwargs))
            if self._conn.poll(self.timeout_s):
                status, value, error = self._conn.recv()
                return Outcome(status, value, error, time.monotonic() - t0)
        except (EOFError, OSError):
            ended = True
        took = time.monotonic() - t0
        if ended:
            self._proc.join(5)  # reap it, for its exit code
        code = self._proc.exitcode
        self.close()
        if not ended:
            return Outcome("timeout", error=f"over {self.timeout_s:g} s", seconds=took)
        return Outcome("died", error=f"child exit code {code}", seconds=took)


def load_isolated(data: bytes, filename: str, box: Sandbox | None = None) -> list:
    """importers.load(data, filename) in a sandbox; raises ActivityFileError as load does, and
    CorruptFile when the child runs out of memory or time or dies."""
    import importers

    own = box is None
    box = box or Sandbox()
    try:
        out = box.call(importers.load, data, filename)
    finally:
        if own:
            box.close()
    if out.status == "returned":
        return out.value
    if out.status == "raised" and isinstance(out.value, ActivityFileError):
        raise out.value
    raise CorruptFile(
        "This file takes more memory or time to read than any activity should; Legday "
        "stopped reading it. Export it again from your watch or app.",
        filename=filename,
    )
