"""Time to the first corridor on screen: the dashboard started as scripts/run.sh starts it (`streamlit run
corridors/serve/asgi.py`) and opened in headless Chromium (the internet blocked), the way a visitor meets
the map page. For `python -m corridors bench`.

Each visit is a fresh browser context. The first after the server starts pays the process's first script
run (imports, the atlas, the first map rendering); the rest find a warm server. Marks, by the page's own
clock (ms after navigation start): the page's HTML, the map's frame in the page, the first corridor line
in the frame.
"""

from __future__ import annotations

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


def _start(data_dir: Path | None, port: int) -> subprocess.Popen:
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


def _visit(browser, url: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    local = ("http://127.0.0.1", "http://localhost")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(MAP_FRAME, state="attached", timeout=60_000)
        frame_ms = page.evaluate("performance.now()")
        page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=60_000
        )
        wall = (time.perf_counter() - start) * 1000
        html_ms = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
        drawn_ms = page.evaluate("performance.now()")
        return {"html": html_ms, "frame": frame_ms, "corridor": drawn_ms, "wall": wall}
    finally:
        context.close()


def first_corridor_ms(data_dir: Path | None = None, visits: int = 4) -> dict[str, object] | None:
    """{"cold": marks of the first visit after a start, "warm": median marks of the next ones}; None without
    Playwright or Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start(data_dir, port)
    try:
        wait_healthy(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                marks = [_visit(browser, url) for _ in range(max(2, visits))]
            finally:
                browser.close()
    finally:
        stop(proc)
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


_FRAMES = """() => new Promise(done => {
  const times = []; let last = performance.now(), on = true;
  const tick = now => { times.push(now - last); last = now; if (on) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__stopFrames = () => { on = false; done(times); };
})"""


def _pan_frames(browser, url: str) -> dict[str, float]:
    """Drag the map across (a real mouse: press, 40 moves, release) three times, and time every frame the
    map's page paints meanwhile (requestAnimationFrame in its frame: the redraws after each drag included)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    local = ("http://127.0.0.1", "http://localhost")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(local) else r.abort())
    page = context.new_page()
    try:
        page.goto(url)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=120_000)
        body = frame.locator("body")
        paths = body.evaluate("() => document.querySelectorAll('path').length")
        box = page.locator(MAP_FRAME).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        body.evaluate("() => { window.__frames = (" + _FRAMES + ")(); }")
        for dx in (-300, 300, -300):
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + dx, y + dx / 3, steps=40)
            page.mouse.up()
        body.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        times = body.evaluate("() => { window.__stopFrames(); return window.__frames; }")
    finally:
        context.close()
    times = sorted(times[1:]) or [0.0]
    return {
        "paths": paths,
        "frames": len(times),
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
        "worst": times[-1],
    }


def pan_frame_ms(data_dir: Path | None = None) -> dict[str, float] | None:
    """Frame times while a user drags the map (`_pan_frames`) on the data in `data_dir`; None without
    Playwright or Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _start(data_dir, port)
    try:
        wait_healthy(url, proc, timeout=300)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                return _pan_frames(browser, url)
            finally:
                browser.close()
    finally:
        stop(proc)


def print_pan_frames(data_dir: Path | None = None) -> None:
    found = pan_frame_ms(data_dir)
    if found is None:
        print(f"  panning the map                        (skipped: Playwright or {CHROMIUM} missing)")
        return
    print(
        f"  panning the map (3 mouse drags, {found['paths']:,d} paths): frame {found['median']:.1f} ms median, "
        f"{found['p95']:.1f} ms p95, {found['worst']:.1f} ms worst over {found['frames']} frames"
    )
