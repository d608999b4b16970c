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
