"""The PostgreSQL leg of `make test`: run the whole suite again on a real PostgreSQL.

Says plainly what is missing: no server answers (the leg is skipped; under CI=true it fails),
or the server answers without the admin database (it is created, then the leg runs).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests import pg


def main() -> int:
    state, why = pg.probe()
    if state == "no-database":
        name = pg.create_admin_database()
        print(f"PostgreSQL leg: {why}; created it ({name})", flush=True)  # noqa: T201
        state, why = pg.probe()
    if state != "ready":
        msg = f"PostgreSQL leg SKIPPED: no PostgreSQL server answers at {pg.ADMIN_URL} ({why})"
        if os.environ.get("CI"):
            print(msg + " (CI=true: this leg must run)", file=sys.stderr)  # noqa: T201
            return 1
        print(msg + " (set LEGDAY_TEST_PG to point at one)")  # noqa: T201
        return 0
    print(f"PostgreSQL leg: running the suite against {pg.ADMIN_URL}", flush=True)  # noqa: T201
    return subprocess.call([sys.executable, "-m", "pytest", "--db=postgresql", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
