"""The production layout for tests: `python -m corridors serve` with two Streamlit processes behind nginx."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from corridors.serve import nginx

ROOT = Path(__file__).resolve().parent.parent


def free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def ports(count_after: int) -> int:
    """A public port P with P+100 .. P+100+count_after-1 free too."""
    for _ in range(200):
        p = int.from_bytes(os.urandom(2), "big") % 20000 + 21000
        if free(p) and all(free(p + 100 + i) for i in range(count_after)):
            return p
    raise RuntimeError("no free ports")


@pytest.fixture(scope="module")
def serve_layout(tmp_path_factory):
    """Yields url, port, run_dir, proc and the lines it printed; stopped with SIGTERM at the end."""
    if not nginx.nginx_binary():
        pytest.skip("nginx is not installed (scripts/serve.sh installs it)")
    port, run_dir = ports(2), tmp_path_factory.mktemp("serve")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corridors",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--host",
            "127.0.0.1",
            "--run-dir",
            str(run_dir),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in proc.stdout:  # until it says it is serving (or exits)
        lines.append(line)
        if "serving on" in line:
            break
    if proc.poll() is not None:
        pytest.fail("serve did not start:\n" + "".join(lines))
    threading.Thread(target=lambda: [lines.append(x) for x in proc.stdout], daemon=True).start()
    yield {"url": f"http://127.0.0.1:{port}", "port": port, "run_dir": run_dir, "proc": proc, "lines": lines}
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
