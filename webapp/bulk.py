"""Bulk import: a zip's members parsed in a process pool, handed back in order to one writer.

Parsing a file and computing its stimulus and chart series is CPU-bound Python, so threads
would not help: a `concurrent.futures.ProcessPoolExecutor` with the 'forkserver' start method
(safe in a process that runs threads: the web process, the job's heartbeat) and one worker
per core (`IMPORT_WORKERS`, 0 or 1 = parse here) parses members while the caller's single
`ingest.Writer` commits them in batches.

Memory stays bounded: the upload is opened once (importers.iter_members reads one member
at a time, a zip inside it in its place), at most `WINDOW_PER_WORKER` members per worker are
in flight, and each worker holds only the member it parses. A worker sends back row values
(ingest.ParsedFile), never the parsed series. Uploads that are not a plain zip (one file, a
.gz), archives of fewer than `POOL_MIN_FILES` files, and machines where a pool cannot start
are parsed in-process; a pool that breaks (a worker killed) finishes the job in-process,
and workers exit by themselves when the job's process dies (kill -9, out of memory).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import BinaryIO

from engine.athlete import Athlete
from importers import IndexEntry, archive, iter_members, load_member
from importers.errors import ActivityFileError
from webapp.ingest import FileItem, ParsedFile, parse_imported, parse_in_process

log = logging.getLogger(__name__)

WINDOW_PER_WORKER = 4
POOL_MIN_FILES = 8
PARENT_CHECK_SECONDS = 1.0


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parse_member(
    member: archive.Member, entry: IndexEntry | None, filename: str, athlete: Athlete
) -> ParsedFile:
    """The pool's task: one zip member (and its export-index entry) -> row values (runs in a
    worker process)."""
    return parse_imported(load_member(member, entry), filename, athlete)


def parsed_files(
    upload: bytes | BinaryIO,
    filename: str,
    athlete: Athlete,
    *,
    skip: frozenset[int] = frozenset(),
    workers: int | None = None,
) -> Iterator[FileItem]:
    """Each file of the upload as a FileItem, in the upload's order, skipping the positions in
    `skip` (files a previous attempt committed). `upload`: its bytes, or a seekable file (a
    zip is then read from it member by member, never whole). `workers`: pool size (None =
    the cores)."""
    workers = default_workers() if workers is None else workers
    head = upload[:4] if isinstance(upload, bytes) else upload.read(4)
    if not isinstance(upload, bytes):
        upload.seek(0)
    if not archive.is_zip(head):
        data = upload if isinstance(upload, bytes) else upload.read()
        yield from parse_in_process(data, filename, athlete, skip)
        return
    yield from _from_zip(upload, filename, athlete, skip, workers)


def _from_zip(data, filename, athlete, skip, workers) -> Iterator[FileItem]:
    pool: ProcessPoolExecutor | None = None
    window: deque[tuple[archive.Member, IndexEntry | None, int, Future | None]] = deque()
    position = -1
    try:
        for position, (member, entry) in enumerate(iter_members(data, filename)):
            if position in skip:
                continue
            if workers > 1 and pool is None and member.total >= POOL_MIN_FILES:
                pool = start_pool(workers)
                workers = workers if pool is not None else 0
            future = None
            if pool is not None and member.error is None and member.skipped is None:
                future, pool = _submit(pool, member, entry, filename, athlete)
            window.append((member, entry, position, future))
            while len(window) > workers * WINDOW_PER_WORKER:
                yield _take(window.popleft(), filename, athlete)
        while window:
            yield _take(window.popleft(), filename, athlete)
    except ActivityFileError as exc:  # the archive itself: unreadable, or over its limits
        while window:
            yield _take(window.popleft(), filename, athlete)
        total = max(position + 1, 1)
        yield FileItem(position + 1, total, ParsedFile(filename, error=str(exc)), b"")
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def start_pool(workers: int) -> ProcessPoolExecutor | None:
    """A warmed-up pool of `workers` processes, or None when one cannot start here."""
    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["webapp.bulk"])
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_follow_parent,
            initargs=(os.getpid(),),
        )
        pool.submit(os.getpid).result(timeout=60)
        return pool
    except Exception as exc:  # no /dev/shm, a sandbox without fork, a start-up timeout...
        log.warning("no process pool (%r): parsing in this process", exc)
        return None


def _follow_parent(parent: int) -> None:
    """In each worker: exit once the process that started the pool is gone (a kill -9 of the
    job's process must not leave its workers waiting for work forever)."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process
                os._exit(1)

    threading.Thread(target=watch, name="legday-follow-parent", daemon=True).start()


def _submit(pool, member, entry, filename, athlete):
    try:
        return pool.submit(parse_member, member, entry, filename, athlete), pool
    except (BrokenProcessPool, RuntimeError):
        return None, pool


def _take(entry, filename: str, athlete: Athlete) -> FileItem:
    member, index_entry, position, future = entry
    parsed = None
    if future is not None:
        try:
            parsed = future.result()
        except BrokenProcessPool:
            log.warning("a parsing process died on %r: parsing it here", member.name)
    if parsed is None:
        parsed = parse_member(member, index_entry, filename, athlete)
    return FileItem(position, member.total, parsed, member.data or b"")
