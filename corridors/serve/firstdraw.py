"""Time to the first corridor on screen: the dashboard started as scripts/run.sh starts it (`streamlit run
corridors/serve/asgi.py`) and opened in headless Chromium (the internet blocked), the way a visitor meets
the map page. For `python -m corridors bench`.

Each visit is a fresh browser context. The first after the server starts pays the process's first script
run (imports, the atlas, the first map rendering); the rest find a warm server. Marks, by the page's own
clock (ms after navigation start): the page's HTML, the map's frame (when its document starts), the first
corridor lines drawn in it (atlasmap.js marks that moment).

`pan_frames` measures the other half of a smooth map: the time between frames the browser paints while a
mouse drags the map about (requestAnimationFrame's clock in the map's frame), and the longest task, which
includes Leaflet redrawing every line once a drag ends.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [  # headless Chromium on this machine (the browser tests use the same)
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_FRAME = 'iframe[title^="Map of the"]'
ENTRY = Path(__file__).resolve().with_name("asgi.py")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(data_dir: Path | None, port: int) -> subprocess.Popen:
    """The dashboard as scripts/run.sh starts it, on 127.0.0.1:port (with CORRIDORS_DATA=data_dir if given)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if data_dir is not None:
        env["CORRIDORS_DATA"] = str(data_dir)
    command = [sys.executable, "-m", "streamlit", "run", str(ENTRY), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll Streamlit's health check until it answers (no fixed sleep); RuntimeError if the process ends first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start (exit code {proc.poll()})") from None
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started here: terminate, and kill it if it has not ended within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def running_app(data_dir: Path | None, timeout: float = 60.0):
    """The dashboard started (start_app) and answering its health check: yields its URL; stopped after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_app(data_dir, port)
    try:
        wait_healthy(url, proc, timeout=timeout)
        yield url
    finally:
        stop(proc)


def browser_available() -> bool:
    """Playwright installed and Debian's Chromium where the measures launch it."""
    return importlib.util.find_spec("playwright") is not None and Path(CHROMIUM).exists()


@contextlib.contextmanager
def chromium():
    """Headless Chromium as the browser tests launch it (sync Playwright); closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _context(browser):
    """A fresh browser context at 1600×1000 that reaches nothing but this machine."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    local = ("http://127.0.0.1", "http://localhost")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    return context


# The map frame's marks on the page's clock: its document's start, and atlasmap.js's mark of the first lines
# drawn (performance.mark, set when they are added to the map: exact, where polling for them lags by up to
# Playwright's retry interval).
_FRAME_MARKS = """(pageOrigin) => {
  const drawn = performance.getEntriesByName("atlas-map-drawn")[0];
  const offset = performance.timeOrigin - pageOrigin;
  return {frame: offset, corridor: drawn ? drawn.startTime + offset : null};
}"""


def _drawn(page, timeout: float):
    """The map's frame, once its first lines are drawn (atlasmap.js's mark: lines on a canvas are no elements)."""
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=timeout)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(
        "() => performance.getEntriesByName('atlas-map-drawn').length > 0", timeout=timeout, polling=50
    )
    return frame


def _visit(browser, url: str) -> dict[str, float]:
    context = _context(browser)
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        frame = _drawn(page, 60_000)
        wall = (time.perf_counter() - start) * 1000
        html_ms = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
        marks = frame.evaluate(_FRAME_MARKS, page.evaluate("performance.timeOrigin"))
        drawn_ms = marks["corridor"] if marks["corridor"] is not None else page.evaluate("performance.now()")
        return {"html": html_ms, "frame": marks["frame"], "corridor": drawn_ms, "wall": wall}
    finally:
        context.close()


def _open(browser, url: str):
    """A fresh context (the internet blocked) on the map page, with its first corridor drawn: (context, page)."""
    context = _context(browser)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    _drawn(page, 120_000)
    return context, page


_RECORD = """() => {
  const rec = {frames: [], tasks: [], on: true};
  window.__panRecord = rec;
  const tick = (t) => { rec.frames.push(t); if (rec.on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  try {
    rec.observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => rec.tasks.push(e.duration)));
    rec.observer.observe({entryTypes: ["longtask"]});
  } catch (e) {}
}"""
# Two frames after the last drag's moveend: Leaflet has redrawn the lines by then.
_SETTLE = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const rec = window.__panRecord; rec.on = false; if (rec.observer) rec.observer.disconnect();
  done({frames: rec.frames, tasks: rec.tasks, paths: document.querySelectorAll("path.leaflet-interactive").length,
        canvas: document.querySelectorAll(".leaflet-overlay-pane canvas").length});
})))"""


def pan_frames(data_dir: Path | None = None, drags: int = 4, steps: int = 40) -> dict[str, float] | None:
    """Frame times while the mouse drags the map (`drags` drags of `steps` moves, each there and back): the
    median and 95th percentile time between painted frames, the longest, the longest task, and the lines
    in the page. None without Playwright or Chromium."""
    if not browser_available():
        return None
    with running_app(data_dir, timeout=180) as url, chromium() as browser:
        context, page = _open(browser, url)
        frame = page.locator(MAP_FRAME).element_handle().content_frame()
        box = page.locator(MAP_FRAME).bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        frame.evaluate(_RECORD)
        for k in range(drags):
            sign = 1 if k % 2 == 0 else -1
            page.mouse.move(cx, cy)
            page.mouse.down()
            page.mouse.move(cx + sign * 240, cy + sign * 120, steps=steps)
            page.mouse.up()
        found = frame.evaluate(_SETTLE)
        context.close()
    frames = found["frames"]
    gaps = sorted(b - a for a, b in zip(frames, frames[1:])) or [0.0]
    return {
        "median": statistics.median(gaps),
        "p95": gaps[min(len(gaps) - 1, int(0.95 * len(gaps)))],
        "longest": gaps[-1],
        "task": max(found["tasks"], default=0.0),
        "frames": len(frames),
        "paths": found["paths"],
        "canvas": found["canvas"],
    }


def print_pan_frames(data_dir: Path | None = None) -> None:
    found = pan_frames(data_dir)
    if found is None:
        print(f"  map page: frame time while panning      (skipped: Playwright or {CHROMIUM} missing)")
        return
    print(
        f"  frame time while panning the map (Chromium)  median {found['median']:6.1f} ms, "
        f"95th percentile {found['p95']:6.1f} ms, longest {found['longest']:6.1f} ms "
        f"({found['frames']} frames; {found['paths']:,d} SVG paths{' and the lines on a canvas' if found['canvas'] else ''}; "
        f"longest task {found['task']:.0f} ms)"
    )


def first_corridor_ms(data_dir: Path | None = None, visits: int = 4) -> dict[str, object] | None:
    """{"cold": marks of the first visit after a start, "warm": median marks of the next ones}; None without
    Playwright or Chromium."""
    if not browser_available():
        return None
    with running_app(data_dir) as url, chromium() as browser:
        marks = [_visit(browser, url) for _ in range(max(2, visits))]
    warm = {k: statistics.median(m[k] for m in marks[1:]) for k in marks[0]}
    return {"cold": marks[0], "warm": warm}


def print_first_corridor(data_dir: Path | None = None, visits: int = 4) -> None:
    found = first_corridor_ms(data_dir, visits)
    if found is None:
        print(f"  map page: first corridor drawn          (skipped: Playwright or {CHROMIUM} missing)")
        return
    for name in ("cold", "warm"):
        m = found[name]
        label = "first visit after a start" if name == "cold" else f"next visits (median of {visits - 1})"
        print(
            f"  map page opened → first corridor      {m['corridor']:9.1f} ms ({label}; HTML {m['html']:.0f} ms, "
            f"map frame {m['frame']:.0f} ms)"
        )
