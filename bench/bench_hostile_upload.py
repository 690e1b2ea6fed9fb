"""The shared hostile files through the upload API of one app process (issue 13).

    .venv/bin/python bench/bench_hostile_upload.py [FOLDER]   (default ../shared/fixtures/hostile)

For each file: the status, CPU seconds, the growth of the process's peak RSS, whether the API
still answers a GET, and the message. Target: a 4xx, growth under 250 MB, the GET answers.
Skips (exit 0) when the folder is absent. Uses a throw-away SQLite database in a temp folder.
"""

from __future__ import annotations

import io
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.webapp.factories import add_account, bearer  # noqa: E402
from webapp import create_app, db  # noqa: E402

LIMIT_MB = 250


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/fixtures/hostile"
    if not folder.is_dir():
        print(f"skipped: no {folder}")
        return 0
    tmp = tempfile.mkdtemp(prefix="legday-hostile-")
    url = f"sqlite:///{tmp}/x.db"
    db.upgrade(url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "AUTO_MIGRATE": False,
            "INSTANCE_PATH": f"{tmp}/instance",
            "REDIS_URL": None,
            "SMTP_URL": None,
        }
    )
    account = add_account(app)
    client = app.test_client()
    client.get("/api/v1/activities", headers=bearer(account.token))
    base = peak_mb()
    failed = 0
    for path in sorted(folder.iterdir()):
        t0 = time.process_time()
        response = client.post(
            "/api/v1/activities",
            data={"file": [(io.BytesIO(path.read_bytes()), path.name)]},
            headers=bearer(account.token),
            content_type="multipart/form-data",
        )
        cpu = time.process_time() - t0
        answers = client.get("/api/v1/activities", headers=bearer(account.token)).status_code
        grew = peak_mb() - base
        ok = 400 <= response.status_code < 500 and grew < LIMIT_MB and answers == 200
        failed += not ok
        message = (response.get_json() or {}).get("error", "")
        print(
            f"{'ok  ' if ok else 'FAIL'} {path.name[:44]:44} {response.status_code} "
            f"{cpu:.2f} s CPU, peak +{grew:.0f} MB, GET {answers}: {message[:80]}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
