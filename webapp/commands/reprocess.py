"""`legday reprocess [--queue] [--user ID]`: recompute stored activities with the current model.

Without options: queue the current model version's pass (once per version: a second call is a
no-op) and work through every queued pass now (webapp.reprocess.run_pending), printing what was
recomputed and how long it took. `--queue`: only queue the pass and hand it to the RQ worker
when REDIS_URL is set (else `legday clock` runs it on its next tick); this is what the
Procfile's `release` runs, so each deployment queues at most one pass per model version.
`--user ID`: queue a recomputation of one runner's whole history (with the threshold their
runs give now) and run it.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from engine.stimulus import MODEL_VERSION
from webapp import reprocess
from webapp.db import new_session


@click.command("reprocess")
@click.option("--queue", "queue_only", is_flag=True, help="Queue the pass; do not run it here.")
@click.option("--user", "user_id", type=int, help="Recompute one runner's whole history.")
@with_appcontext
def reprocess_command(queue_only: bool, user_id: int | None) -> None:
    """Recompute stored activities with the current load model (once per model version)."""
    app = current_app._get_current_object()
    db = new_session(app)
    try:
        if user_id is not None:
            key = f"user:{user_id}:manual:{reprocess.utc_stamp()}"
        else:
            key = reprocess.version_key()
        queued = reprocess.request(db, key)
        if user_id is None:
            state = "queued" if queued else "already queued or done"
            click.echo(f"reprocess: model {MODEL_VERSION} pass {state}")
        if queue_only:
            if queued:
                reprocess.enqueue(app)
            return
        report = reprocess.run_pending(db)
    finally:
        db.close()
    click.echo(
        f"reprocess: {report.runs} pass(es), {report.activities} activities recomputed "
        f"in {report.seconds:.1f} s"
    )
