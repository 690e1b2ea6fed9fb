"""importers/ and engine/ stay plain Python: ruff's banned-api rule and a fresh interpreter that
imports every one of their modules both enforce it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What importers/ and engine/ may never load: HTTP, the database, HTMX glue.
FRAMEWORKS = ["flask", "htmx_flask", "sqlalchemy", "werkzeug"]


def _ruff() -> list[str]:
    exe = Path(sys.executable).parent / "ruff"
    if exe.exists():
        return [str(exe)]
    if shutil.which("ruff"):
        return ["ruff"]
    pytest.skip("ruff is not installed")


def _ruff_on(probe: Path, source: str) -> subprocess.CompletedProcess:
    """ruff's TID251 rule on a throwaway module `probe` holding `source` (removed after)."""
    probe.write_text(source)
    try:
        return subprocess.run(
            [*_ruff(), "check", "--no-cache", "--select", "TID251", str(probe)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        probe.unlink()


@pytest.mark.parametrize("package", ["importers", "engine"])
@pytest.mark.parametrize("module", FRAMEWORKS)
def test_ruff_refuses_framework_imports(package, module, tmp_path):
    result = _ruff_on(ROOT / package / "_layering_probe.py", f"import {module}\n")
    assert result.returncode == 1
    assert "TID251" in result.stdout and module in result.stdout


def test_webapp_may_import_flask(tmp_path):
    result = _ruff_on(ROOT / "webapp" / "_layering_probe.py", "import flask\n\nflask.Flask\n")
    assert result.returncode == 0, result.stdout


# Imports every module of the package in a fresh interpreter and prints, as JSON, the modules
# it walked and the banned top-level packages that ended up in sys.modules.
PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
walked = [package.__name__]
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
    walked.append(info.name)
banned = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))
print(json.dumps({"walked": walked, "banned": banned}))
"""


@pytest.mark.parametrize("package", ["importers", "engine"])
def test_every_module_loads_without_a_framework(package):
    """Every module of the package, imported in a fresh interpreter, loads none of FRAMEWORKS."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, package, *FRAMEWORKS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    on_disk = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / package).rglob("*.py")
    }
    assert set(report["walked"]) == on_disk, "a module was not imported"
    assert report["banned"] == [], f"{package} loads {report['banned']}"
