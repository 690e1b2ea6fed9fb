"""Reprocessing the real device files: run type per file and the time of one pass.

Imports every file of a folder (default ../shared/fixtures/activities, its fit/gpx/tcx
folders) for one runner in a fresh SQLite database, prints the run type, reps and hard day
the structure gives each on-foot activity, then marks every row as computed by an older
model and times `webapp.reprocess.run_pending` (what `legday reprocess` runs). No target:
the figure is for the deployment notes (one pass per model version, in the background).

    python bench/bench_reprocess.py [FOLDER]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FOLDER = ROOT.parent / "shared" / "fixtures" / "activities"


def main(folder: Path) -> int:
    from sqlalchemy import select

    from webapp import create_app, ingest, reprocess
    from webapp.auth import create_user
    from webapp.db import new_session
    from webapp.models import Activity, OriginalFile

    files = sorted(
        p for sub in ("fit", "gpx", "tcx") for p in (folder / sub).glob("*") if p.is_file()
    )
    if not files:
        print(f"no files under {folder}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "bench",
                "REDIS_URL": None,
                "SMTP_URL": None,
                "INSTANCE_PATH": tmp,
            }
        )
        with app.app_context():
            db = new_session()
            user = create_user(db, "bench@example.com", "correct horse battery")
            db.commit()
            started = time.perf_counter()
            for path in files:
                ingest.ingest(db, user, path.name, path.read_bytes())
            imported = time.perf_counter() - started
            reprocess.run_pending(db)  # the threshold moves queued by the uploads
            rows = db.scalars(select(Activity).order_by(Activity.start_time)).all()
            print(f"{'file':<58} {'sport':<10} {'km':>6} {'type':<10} reps hard")
            for row in rows:
                s = (row.stimulus or {}).get("structure") or {}
                if not s:
                    continue
                name = db.get(OriginalFile, row.original_file_id).filename
                print(
                    f"{name[:58]:<58} {row.sport[:10]:<10} {row.distance_m / 1000:6.1f} "
                    f"{s.get('run_type', ''):<10} {s.get('reps', 0):>4} {s.get('hard_day')}"
                )
            on_foot = [r for r in rows if r.model_version]
            for row in on_foot:
                row.model_version = "old"
            db.commit()
            reprocess.request(db, reprocess.version_key())
            report = reprocess.run_pending(db)
            print(
                f"imported {len(files)} files in {imported:.1f} s; reprocessed "
                f"{report.activities} on-foot activities in {report.seconds:.1f} s"
            )
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER))
