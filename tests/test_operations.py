"""How Legday is run: the Procfile's processes, `make run PORT=...`, migrate-on-start."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_migrations_run_once_per_release_not_in_each_web_process():
    processes = _procfile()
    assert processes["release"] == "legday db upgrade"
    assert "upgrade" not in processes["web"] and "${PORT" in processes["web"]


def test_the_worker_listens_on_the_configured_queue(monkeypatch, tmp_path):
    from webapp.config import load_config

    worker = _procfile()["worker"]
    [variable] = re.findall(r"\$\{(LEGDAY_[A-Z_]+):-legday\}", worker)
    monkeypatch.setenv(variable, "imports-eu")
    assert load_config(str(tmp_path))["RQ_QUEUE"] == "imports-eu"
    shell = shutil.which("sh")
    echoed = subprocess.run(
        [shell, "-c", "echo " + worker.split("rq worker", 1)[1]],
        env={**os.environ, variable: "imports-eu", "REDIS_URL": "redis://r"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert echoed == ["--url", "redis://r", "imports-eu"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_honours_port():
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "legday run --host 127.0.0.1 --port 8123" in out


@pytest.mark.parametrize(
    ("url", "setting", "migrates"),
    [
        (None, None, True),  # SQLite in the instance folder: development, one process
        ("postgresql://u@db/legday", None, False),
        ("postgresql://u@db/legday", "1", True),
        (None, "0", False),
    ],
)
def test_the_app_migrates_on_start_only_on_sqlite(monkeypatch, tmp_path, url, setting, migrates):
    from webapp.config import load_config

    for name, value in (("DATABASE_URL", url), ("LEGDAY_AUTO_MIGRATE", setting)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert load_config(str(tmp_path))["AUTO_MIGRATE"] is migrates
