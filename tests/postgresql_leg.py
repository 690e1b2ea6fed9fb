"""The PostgreSQL leg of `make test`: run the whole suite again on a real PostgreSQL.

Says plainly when it skips (no server answers). Under CI (CI=true) a missing server fails.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests import pg


def main() -> int:
    if not pg.available():
        msg = f"PostgreSQL leg SKIPPED: no PostgreSQL server answers at {pg.ADMIN_URL}"
        if os.environ.get("CI"):
            print(msg + " (CI=true: this leg must run)", file=sys.stderr)  # noqa: T201
            return 1
        print(msg + " (set LEGDAY_TEST_PG to point at one)")  # noqa: T201
        return 0
    print(f"PostgreSQL leg: running the suite against {pg.ADMIN_URL}", flush=True)  # noqa: T201
    return subprocess.call([sys.executable, "-m", "pytest", "--db=postgresql", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
