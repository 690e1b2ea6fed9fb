"""A real RQ worker process for the job tests: `python -m tests.webapp.rq_worker QUEUE`.

It runs `rq.Worker` (a work-horse forked per job) with the app built from its environment, as
the Procfile's worker does, except that parsing a member named `slow.fit` sleeps (so a test
can kill -9 the work-horse mid-job) and parsing `killer.fit` kills the work-horse itself, as a
file that exhausts memory would.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from redis import Redis
from rq import Worker

from webapp import ingest

_parse = ingest.parse_imported


def _deadly(item, filename, athlete):
    name = item.source_name or ""
    if name.endswith("killer.fit"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.endswith("slow.fit"):
        time.sleep(300)
    return _parse(item, filename, athlete)


def main(queue: str) -> None:
    ingest.parse_imported = _deadly
    connection = Redis.from_url(os.environ["REDIS_URL"])
    Worker([queue], connection=connection).work(burst=False, with_scheduler=False)


if __name__ == "__main__":
    main(sys.argv[1])


def explode(job_id: int) -> None:
    """An RQ job that fails by raising (for the `on_failure` test)."""
    raise RuntimeError(f"import job {job_id} blew up")
