"""`legday inspect`, `state` and `plan` start lean: no Flask, SQLAlchemy or Alembic is imported
(checked in a fresh interpreter, as the installed `legday` script runs them); commands that need
the database still get them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.importers.samples import fit_bytes, gpx_text, make_track

HEAVY = ("flask", "sqlalchemy", "alembic", "werkzeug", "flask_login", "flask_wtf", "psycopg")

PROBE = """
import json, sys
sys.argv = ["legday", *json.loads(sys.argv[1])]
from webapp.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
loaded = sorted({m.split(".")[0] for m in sys.modules})
print("\\nMODULES " + json.dumps({"code": code, "loaded": loaded}))
"""


def run_legday(*args: str) -> tuple[int, set[str], str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    head, _, tail = out.stdout.rpartition("\nMODULES ")
    assert tail, out.stderr
    report = json.loads(tail)
    return report["code"], set(report["loaded"]), head


@pytest.fixture
def files(tmp_path):
    track = make_track(seconds=900, hill_m=10)
    (tmp_path / "run.fit").write_bytes(fit_bytes(track))
    (tmp_path / "run.gpx").write_text(gpx_text(track))
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("inspect", "--help"),
        ("inspect", "{fit}", "--json"),
        ("inspect", "{gpx}"),
        ("state", "{fit}", "--json"),
        ("plan", "{fit}", "--json"),
        ("state", "--help"),
    ],
)
def test_file_commands_load_no_web_or_database_library(files, args):
    argv = [a.format(fit=files / "run.fit", gpx=files / "run.gpx") for a in args]
    code, loaded, output = run_legday(*argv)
    assert code in (0, None), output
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "importers" in loaded and "click" in loaded
    if "--json" in argv:
        first = json.loads(output.strip().splitlines()[0])
        assert "error" not in first, first


def test_inspect_json_prints_the_activity(files):
    code, _, output = run_legday("inspect", str(files / "run.fit"), "--json")
    record = json.loads(output.strip().splitlines()[0])
    assert code in (0, None)
    assert record["is_run"] and record["distance_m"] > 1000


def test_the_other_commands_still_reach_flask(files):
    code, loaded, output = run_legday("--help")
    assert code in (0, None), output
    assert "flask" in loaded
    for name in ("db", "user", "inspect", "state", "plan", "run"):
        assert f"  {name} " in output, output
