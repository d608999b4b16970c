"""Start and watch the production layout: N Streamlit processes on local ports, nginx in front.

`python -m corridors serve` (what `scripts/serve.sh` runs). One Streamlit process per core (a Python
process uses one core), each with the serving settings below, on 127.0.0.1 only; nginx listens on
the public port and spreads browsers over them (sticky, see nginx.conf.in). A process that dies is
started again; Ctrl-C or SIGTERM stops nginx, then the Streamlit processes, and waits for them.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from corridors.serve import nginx

APP_DIR = Path(__file__).resolve().parents[2]
HEALTH_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0


def cores() -> int:
    """The cores this process may use (what `nproc` prints)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def streamlit_flags(port: int, post_script_gc: bool, ws_compression: bool = True) -> list[str]:
    """Serving settings: no file watcher (nothing is edited in production; it costs ~12% per new
    session), post-run GC off unless asked (about half the CPU of a session, see docs/serving.md), websocket
    compression on (the map's message: 248 KB -> 57 KB on a room's Wi-Fi, ~6 ms of CPU), no usage
    statistics, headless, and only reachable through nginx."""
    return [
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--server.enableWebsocketCompression",
        "true" if ws_compression else "false",
        "--runner.postScriptGC",
        "true" if post_script_gc else "false",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def _in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _warm(port: int) -> str | None:
    """One session against a fresh process: loads the atlas and renders the default map once, so the
    first visitors do not wait for it. Returns a problem or None."""
    from corridors.serve.protocol import Session

    async def go():
        async with Session(f"http://127.0.0.1:{port}", timeout=60) as s:
            result = await s.run()
        return None if result.map else "no map in the first session"

    try:
        return asyncio.run(go())
    except Exception as exc:  # noqa: BLE001 - report, keep serving
        return f"{type(exc).__name__}: {exc}"


class Layout:
    def __init__(
        self,
        *,
        port: int,
        workers: int,
        run_dir: Path,
        post_script_gc: bool,
        host: str = "0.0.0.0",
        ws_compression: bool = True,
    ):
        self.port, self.workers, self.run_dir, self.host = port, workers, run_dir, host
        self.post_script_gc, self.ws_compression = post_script_gc, ws_compression
        self.backends = [port + 100 + i for i in range(workers)]
        self.procs: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)  # same for all
        # Two malloc arenas per process: the script threads of a burst otherwise each get one, and the
        # memory they leave behind is not given back (after 50 at once: +5% of idle instead of +13–18%).
        self.env = {"MALLOC_ARENA_MAX": "2", **os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret}
        self.stopping = False

    def log(self, text: str) -> None:
        print(f"[serve] {text}", flush=True)

    def start_backend(self, port: int) -> None:
        with open(self.run_dir / "logs" / f"streamlit-{port}.log", "ab") as log:
            self.procs[port] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(APP_DIR / "app.py"),
                    *streamlit_flags(port, self.post_script_gc, self.ws_compression),
                ],
                cwd=APP_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # Ctrl-C reaches only us: we stop them in order

    def write_pids(self) -> None:
        """pids.json in the run folder: the load test reads it to measure these processes."""
        pids = {"streamlit": [p.pid for p in self.procs.values()], "nginx": self.nginx.pid if self.nginx else None}
        (self.run_dir / "pids.json").write_text(json.dumps(pids), encoding="utf-8")

    def wait_healthy(self, ports: list[int]) -> list[int]:
        """Ports still not healthy after the timeout (or whose process exited)."""
        deadline, waiting = time.monotonic() + HEALTH_TIMEOUT_S, list(ports)
        while waiting and time.monotonic() < deadline and not self.stopping:
            waiting = [p for p in waiting if self.procs[p].poll() is None and not _healthy(p)]
            if waiting:
                time.sleep(0.3)
        return waiting

    def start(self) -> int:
        binary = nginx.nginx_binary()
        if not binary:
            self.log("nginx is not installed: `apt-get install nginx` (scripts/serve.sh does it as root)")
            return 2
        busy = [p for p in [self.port, *self.backends] if _in_use(p)]
        if busy:
            self.log(
                f"port(s) {', '.join(map(str, busy))} already in use: another server? Choose PORT "
                f"(Streamlit's processes use PORT+100 onwards)"
            )
            return 2
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.log(f"{self.workers} Streamlit process(es) on 127.0.0.1:{','.join(map(str, self.backends))}")
        for port in self.backends:
            self.start_backend(port)
        conf = nginx.prepare(self.run_dir, APP_DIR, listen=f"{self.host}:{self.port}", backends=self.backends)
        problem = nginx.check(binary, self.run_dir, conf)
        if problem:
            self.log(f"{conf}: nginx refuses it: {problem}")
            return 2
        bad = self.wait_healthy(self.backends)
        if bad:
            self.log(f"Streamlit did not become healthy on port(s) {bad}: see {self.run_dir / 'logs'}")
            return 1
        if self.stopping:
            return 1
        for port in self.backends:
            problem = _warm(port)
            if problem:
                self.log(f"warm-up of 127.0.0.1:{port}: {problem}")
        self.nginx = subprocess.Popen(
            nginx.command(binary, self.run_dir, conf), stdin=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(0.5)
        if self.nginx.poll() is not None:
            log = self.run_dir / "logs" / "nginx-error.log"
            last = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            self.log(f"nginx exited at start: {last[0] if last else ''} (see {log})")
            return 1
        self.write_pids()
        self.log(
            f"serving on http://{'localhost' if self.host in ('0.0.0.0', '127.0.0.1') else self.host}:"
            f"{self.port} (nginx {conf}); Ctrl-C stops"
        )
        return 0

    def watch(self) -> int:
        """Restart a Streamlit process that died; stop when nginx dies or we are asked to."""
        restarts: dict[int, float] = {}
        while not self.stopping:
            time.sleep(1.0)
            if self.nginx and self.nginx.poll() is not None and not self.stopping:
                self.log(f"nginx exited ({self.nginx.returncode}); stopping")
                return 1
            for port, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping:
                    if time.monotonic() - restarts.get(port, -60) < 10:
                        time.sleep(2)  # it keeps dying: do not spin
                    self.log(f"Streamlit on {port} exited ({proc.returncode}); starting it again")
                    restarts[port] = time.monotonic()
                    self.start_backend(port)
                    self.write_pids()
                    threading.Thread(target=self._warm_when_healthy, args=(port,), daemon=True).start()
        return 0

    def _warm_when_healthy(self, port: int) -> None:
        if not self.wait_healthy([port]):
            _warm(port)

    def stop(self) -> None:
        self.stopping = True
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish requests (websockets: 5 s)
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for proc in [*self.procs.values(), *([self.nginx] if self.nginx else [])]:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        (self.run_dir / "pids.json").unlink(missing_ok=True)
        self.log("stopped")


def run(
    *,
    port: int,
    workers: int | None = None,
    run_dir: str | None = None,
    post_script_gc: bool = False,
    host: str = "0.0.0.0",
    ws_compression: bool = True,
) -> int:
    layout = Layout(
        port=port,
        workers=workers or cores(),
        run_dir=Path(run_dir or APP_DIR / "run" / f"serve-{port}").resolve(),
        post_script_gc=post_script_gc,
        host=host,
        ws_compression=ws_compression,
    )

    def on_signal(signum, _frame):
        layout.stopping = True

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = layout.start()
        if code == 0:
            code = layout.watch()
        return code
    finally:
        layout.stop()
        for s, handler in old.items():
            signal.signal(s, handler)
