"""importers/ and engine/ stay plain Python: ruff's banned-api rule enforces it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    exe = Path(sys.executable).parent / "ruff"
    if exe.exists():
        return [str(exe)]
    if shutil.which("ruff"):
        return ["ruff"]
    pytest.skip("ruff is not installed")


@pytest.mark.parametrize("package", ["importers", "engine"])
@pytest.mark.parametrize("module", ["flask", "htmx_flask", "sqlalchemy"])
def test_ruff_refuses_framework_imports(package, module, tmp_path):
    bad = ROOT / package / "_layering_probe.py"
    bad.write_text(f"import {module}\n")
    try:
        result = subprocess.run(
            [*_ruff(), "check", "--no-cache", "--select", "TID251", str(bad)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        bad.unlink()
    assert result.returncode == 1
    assert "TID251" in result.stdout and module in result.stdout


def test_webapp_may_import_flask(tmp_path):
    probe = ROOT / "webapp" / "_layering_probe.py"
    probe.write_text("import flask\n\nflask.Flask\n")
    try:
        result = subprocess.run(
            [*_ruff(), "check", "--no-cache", "--select", "TID251", str(probe)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        probe.unlink()
    assert result.returncode == 0, result.stdout


def test_importers_and_engine_load_without_flask_or_sqlalchemy():
    code = (
        "import sys, importers, importers.activity, importers.errors, engine, engine.muscles\n"
        "bad = [m for m in ('flask', 'sqlalchemy', 'htmx_flask') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
