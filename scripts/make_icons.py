"""Rasterise static/icons/icon.svg into the PNG icons the manifest and iOS ask for.

Chromium (through Playwright) draws the SVG, so the PNGs match what a browser shows.
Run it after editing the SVG and commit the PNGs:

    /work/main/.venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "static" / "icons"
CHROMIUM = os.environ.get("LEGDAY_CHROMIUM", "/usr/bin/chromium")

# (file name, size in px, rounded corners?). "any" icons get rounded corners with transparent
# outside; maskable and Apple icons stay full-bleed squares (the platform applies its own mask,
# and iOS fills transparency with black).
OUTPUTS = [
    ("icon-192.png", 192, True),
    ("icon-512.png", 512, True),
    ("icon-maskable-512.png", 512, False),
    ("icon-maskable-192.png", 192, False),
    ("apple-touch-icon.png", 180, False),
    ("favicon-32.png", 32, True),
]

PAGE = """<!doctype html><html><head><style>
html, body {{ margin: 0; background: transparent; }}
img {{ display: block; width: {size}px; height: {size}px; border-radius: {radius}px; }}
</style></head><body><img alt="" src="data:image/svg+xml;base64,{svg}"></body></html>"""


def render(svg: bytes, outputs=OUTPUTS, out_dir: Path = ICONS) -> list[Path]:
    """Draw `svg` at each size with Chromium and write the PNGs; returns their paths."""
    encoded = base64.b64encode(svg).decode("ascii")
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name, size, rounded in outputs:
                page = browser.new_page(viewport={"width": size, "height": size})
                radius = round(size * 0.22) if rounded else 0
                page.set_content(PAGE.format(size=size, radius=radius, svg=encoded))
                page.wait_for_function("document.images[0].complete")
                path = out_dir / name
                page.screenshot(path=str(path), omit_background=True)
                page.close()
                written.append(path)
        finally:
            browser.close()
    return written


def main() -> int:
    for path in render((ICONS / "icon.svg").read_bytes()):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
