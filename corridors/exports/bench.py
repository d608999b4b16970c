"""Export figures for `python -m corridors bench`: PNG per stop, HTML build time and size, time to first
corridor drawn when the exported file is opened (headless Chromium via Playwright, when installed)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from corridors.data.atlas import Atlas
from corridors.maps.mapdata import MapData
from corridors.timing import timed

CHROMIUM = "/usr/bin/chromium"


def first_draw_ms(html_path: Path, repeat: int = 3) -> tuple[float, float] | None:
    """Median (navigation start → first corridor added, by the page's clock; goto → first corridor path in the
    DOM, by the test's clock) over `repeat` fresh pages; None without Playwright or Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    page_ms, wall_ms = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                page = context.new_page()
                start = time.perf_counter()
                page.goto(html_path.as_uri(), wait_until="commit")
                page.wait_for_selector("path.leaflet-interactive", state="attached")
                wall_ms.append((time.perf_counter() - start) * 1000)
                page_ms.append(page.evaluate("window.atlasFirstDrawMs"))
                context.close()
        finally:
            browser.close()
    return statistics.median(page_ms), statistics.median(wall_ms)


def bench_exports(atlas: Atlas, repeat: int = 3, browser: bool = True) -> None:
    from corridors.exports import htmlfile, png

    data = MapData(atlas)
    atlas_ms, page = timed(lambda: htmlfile.atlas_html(atlas, data), repeat)
    print(f"  atlas HTML export (build)              {atlas_ms:9.1f} ms, {len(page):,d} bytes")
    png_ms, _ = timed(lambda: png.png_bytes(atlas, None, 0, data), max(1, repeat // 2))
    print(f"  atlas PNG (1920x1080)                  {png_ms:9.1f} ms")
    briefing = next(iter(atlas.briefings.values()), None)
    pages = {"atlas": page}
    if briefing is not None:
        b_ms, b_page = timed(lambda: htmlfile.briefing_html(atlas, briefing, data), repeat)
        pages["briefing"] = b_page
        print(f"  briefing HTML export ({len(briefing.stops)} stops)          {b_ms:9.1f} ms, {len(b_page):,d} bytes")
        stop_ms = [timed(lambda i=i: png.png_bytes(atlas, briefing, i, data), 1)[0] for i in range(len(briefing.stops))]
        print(
            f"  PNG per stop (median of {len(stop_ms)})             {statistics.median(stop_ms):9.1f} ms "
            f"(all stops {sum(stop_ms) / 1000:.1f} s)"
        )
    if not browser:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in pages.items():
            path = Path(tmp) / f"{name}.html"
            path.write_bytes(content)
            found = first_draw_ms(path, repeat)
            if found is None:
                print(f"  {name} HTML: first corridor drawn     (skipped: Playwright or {CHROMIUM} missing)")
            else:
                print(
                    f"  {name} HTML opened → first corridor   {found[0]:9.1f} ms by the page's clock "
                    f"({found[1]:.0f} ms from goto, headless Chromium)"
                )
