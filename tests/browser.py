"""Helpers for browser tests: a Streamlit server per data folder, and Chromium with the internet blocked."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from corridors.serve.firstdraw import ARGS as CHROMIUM_ARGS  # noqa: F401 (re-exported: the tests launch with these)
from corridors.serve.firstdraw import CHROMIUM, free_port, stop, wait_healthy  # noqa: F401 (CHROMIUM re-exported)

ROOT = Path(__file__).resolve().parent.parent

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@contextmanager
def streamlit_server(data_dir: Path | None = None, timeout: float = 60.0):
    """Start the dashboard as scripts/run.sh does (`streamlit run corridors/serve/asgi.py`, which runs app.py) on a
    free port; yield its base URL once it answers its health check."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if data_dir is not None:
        env["CORRIDORS_DATA"] = str(data_dir)
    log = (
        open(ROOT / "test-artifacts" / f"streamlit-{port}.log", "w")
        if (ROOT / "test-artifacts").is_dir()
        else subprocess.DEVNULL
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "corridors" / "serve" / "asgi.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout)
        yield url
    finally:
        stop(proc)


def block_internet(context, blocked: list[str]) -> None:
    """Abort every request to a host other than this machine, and remember it."""

    def handle(route):
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", handle)
