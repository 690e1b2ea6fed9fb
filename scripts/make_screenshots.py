"""Take the install-sheet screenshots of the manifest from the running app, with Chromium.

Starts Legday on a scratch SQLite database, signs up a demo runner, uploads a week of runs
through the upload page, and photographs "This week" at phone (390x844) and desktop
(1280x800) sizes into static/screenshots/. Run it after a visible change and commit the PNGs:

    /work/main/.venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.webapp.test_pwa import gpx_run  # noqa: E402  (the tests' hand-written GPX runs)
from webapp import create_app  # noqa: E402

OUT = ROOT / "static" / "screenshots"
CHROMIUM = os.environ.get("LEGDAY_CHROMIUM", "/usr/bin/chromium")
# (file, viewport, device scale): sizes the manifest declares, times the scale.
SHOTS = [
    ("week-narrow.png", {"width": 390, "height": 844}, 2),
    ("week-wide.png", {"width": 1280, "height": 800}, 1),
]
# A plausible week: easy run, hills, long run (minutes, days before today, name).
RUNS = [(35, 3, "Easy run"), (45, 2, "Hill repeats"), (95, 1, "Long run")]


def demo_runs(folder: Path) -> list[Path]:
    today = datetime.now(UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    paths = []
    for minutes, days_ago, name in RUNS:
        path = folder / f"{name.replace(' ', '_')}.gpx"
        path.write_bytes(gpx_run(today - timedelta(days=days_ago), minutes, name))
        paths.append(path)
    return paths


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        app = create_app(
            {
                "SECRET_KEY": "screenshots",
                "DATABASE_URL": f"sqlite:///{folder / 'legday.db'}",
                "INSTANCE_PATH": str(folder / "instance"),
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                context = browser.new_context(viewport=SHOTS[0][1], device_scale_factor=2)
                page = context.new_page()
                page.goto(base + "/auth/register")
                page.fill("#email", "runner@example.com")
                page.fill("#password", "correct horse")
                page.click("#auth-form button[type=submit]")
                page.wait_for_url(lambda url: "/auth/register" not in url)
                page.goto(base + "/upload")
                form = page.locator("form:has(input[type=file][name=files])").first
                form.locator("input[type=file][name=files]").set_input_files(
                    [str(p) for p in demo_runs(folder)]
                )
                with page.expect_response(lambda r: r.request.method == "POST"):
                    form.locator("[type=submit]").click()
                for name, viewport, scale in SHOTS:
                    shot = browser.new_context(
                        viewport=viewport,
                        device_scale_factor=scale,
                        storage_state=context.storage_state(),
                    ).new_page()
                    shot.goto(base + "/week")
                    shot.wait_for_load_state("networkidle")
                    shot.screenshot(path=str(OUT / name))
                    shot.context.close()
                    print(f"wrote static/screenshots/{name}")
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
