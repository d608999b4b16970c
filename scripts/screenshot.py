"""Take the README's screenshot of the map page (docs/screenshot.png, 1366×768, a laptop screen).

    .venv/bin/python scripts/screenshot.py                       # starts the app on port 8599, then stops it
    .venv/bin/python scripts/screenshot.py --url http://localhost:8501 --out /tmp/map.png   # a running app

Debian's Chromium (/usr/bin/chromium) through Playwright, headless, every request to another host than this
machine blocked. It waits for the map's first corridor and its names to be drawn (no fixed sleeps), and
reduces the PNG to 256 colours when it is over 300 KB.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
CHROMIUM_ARGS += ["--disable-sync", "--no-first-run"]
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}
MAX_BYTES = 300_000


@contextmanager
def app(port: int):
    """`streamlit run app.py` on PORT until it answers its health check; stopped on leaving."""
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, deadline = f"http://localhost:{port}", time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"screenshot: the app did not start on port {port}")
                time.sleep(0.3)  # polling the health check, not waiting for the page
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _local_only(route) -> None:
    """Let requests to this machine through; abort every other (nothing may come from the web)."""
    url = route.request.url
    if url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOCAL:
        route.continue_()
    else:
        route.abort()


def shoot(url: str, out: Path) -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.route("**/*", _local_only)
        page = context.new_page()
        page.goto(url)
        frame = page.frame_locator('iframe[title^="Map of the"]')
        expect(frame.locator("path.leaflet-interactive").first).to_be_attached(timeout=90_000)
        expect(frame.locator(".atlas-label").first).to_be_visible(timeout=30_000)  # names on the map placed
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)  # the script has settled
        png = page.screenshot()
        browser.close()
    if len(png) > MAX_BYTES:
        buf = io.BytesIO()
        Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256).save(buf, "PNG", optimize=True)
        png = buf.getvalue()
    out.write_bytes(png)
    return len(png)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running dashboard (default: start one on --port)")
    ap.add_argument("--port", type=int, default=8599)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = ap.parse_args()
    if args.url:
        size = shoot(args.url, args.out)
    else:
        with app(args.port) as url:
            size = shoot(url, args.out)
    print(f"{args.out}: {size / 1000:.0f} KB")


if __name__ == "__main__":
    main()
