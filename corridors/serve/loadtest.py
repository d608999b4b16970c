"""`python -m corridors loadtest`: many people opening the dashboard at once, measured at the server.

Each simulated visitor speaks Streamlit's websocket protocol (`protocol.Session`): it connects, asks
for the page and waits for the map component's message, checking that it carries the corridors of
the default view. With `--static` it first fetches the page and its static files as a first visit
does (index.html, the bundles it loads, their static imports, the map component's frame and Leaflet),
gzip accepted, six connections at a time like a browser. With `--toggle`, once every session has its
map, every session flips the same layer at the same moment (a widget rerun) and waits for the new map.

Printed: p50/p95/max time to map (and to the end of a first visit, and of the toggle), failures, and
when the Streamlit/nginx processes are on this machine (read from /proc): server CPU seconds per
session and memory per extra session, and memory after the sessions have left against idle.

Bounded: at most MAX_SESSIONS sessions, a spread of at most MAX_SPREAD_S seconds, every wait has a
timeout; the target is this machine unless a URL is given.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import json
import os
import queue
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from corridors.serve.protocol import Session, stream_url

APP_DIR = Path(__file__).resolve().parents[2]
DEFAULT_URL = "http://127.0.0.1:8501"
MAX_SESSIONS = 500
MAX_SPREAD_S = 600.0
BROWSER_CONNECTIONS = 6  # per host, over HTTP/1.1
_ASSET_RE = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="(\./[^"]+)"')
_IMPORT_RE = re.compile(r'(?:from|import)\s*"(\./[^"]+\.js)"')
_COMPONENT_SRC_RE = re.compile(r'\bsrc="(\./[^"]+)"')
_ICON_FONT_RE = re.compile(r"url\((\.\./media/MaterialSymbols-Rounded\.[\w-]+\.woff2)\)")
CHUNKS = "chunks named by the main bundle"
_MAIN_BUNDLE_RE = re.compile(r"/static/js/index\.[\w-]+\.js$")
_CHUNK_RE = re.compile(r'"(\./[A-Za-z][\w-]*\.[\w-]+\.js)"')


@dataclass
class Visit:
    """One simulated visitor's figures (seconds from its start; None when not reached)."""

    start: float = 0.0
    to_map: float | None = None
    to_first_visit: float | None = None
    toggle: float | None = None
    corridors: int = 0
    files: int = 0
    file_bytes: int = 0
    ws_bytes: int = 0
    error: str | None = None


@dataclass
class ProcSample:
    cpu_s: float
    rss_kb: int
    pids: int


def _children(pid: int) -> list[str]:
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(p)
            except (OSError, IndexError, ValueError):
                continue
    return out


def _listening_pid(port: int) -> str | None:
    """The process listening on a local TCP port (from /proc/net/tcp{,6} and the fds' socket inodes)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A = LISTEN
                inodes.add(cols[9])
    for p in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            fds = os.listdir(f"/proc/{p}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{p}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return p
    return None


def find_pids(url: str, run_dir: Path | None = None) -> tuple[list[str], list[str]]:
    """(Streamlit pids, nginx pids) serving a URL on this machine: from the layout's pids.json
    (`serve` writes it in its run folder), else the Streamlit process listening on the URL's port."""
    port, has_proc = urlsplit(url).port or 80, Path("/proc/self/stat").exists()
    pids_file = (run_dir or APP_DIR / "run" / f"serve-{port}") / "pids.json"
    try:
        known = json.loads(pids_file.read_text())
        streamlit = [str(p) for p in known["streamlit"] if not has_proc or Path(f"/proc/{p}").exists()]
        master = known.get("nginx")
        nginx = [str(master), *(_children(int(master)) if has_proc else [])] if master else []
        return streamlit, nginx
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if not has_proc:
        return [], []
    pid = _listening_pid(port)
    return ([pid], []) if pid else ([], [])


def sample(pids: list[str]) -> ProcSample | None:
    """CPU seconds (user+system) and resident memory summed over `pids` (from /proc, else psutil)."""
    if not pids:
        return None
    if not Path("/proc/self/stat").exists():
        return _sample_psutil(pids)
    tick = os.sysconf("SC_CLK_TCK")
    cpu, rss, alive = 0.0, 0, 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(stat[11]) + int(stat[12])) / tick
        rss += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        alive += 1
    return ProcSample(cpu, rss, alive)


def _sample_psutil(pids: list[str]) -> ProcSample | None:
    """Where there is no /proc: psutil, when it happens to be installed (it is not a requirement)."""
    try:
        import psutil
    except ImportError:
        return None
    cpu, rss, alive = 0.0, 0, 0
    for pid in pids:
        try:
            proc = psutil.Process(int(pid))
            times = proc.cpu_times()
            cpu, rss, alive = cpu + times.user + times.system, rss + proc.memory_info().rss // 1024, alive + 1
        except psutil.Error:
            continue
    return ProcSample(cpu, rss, alive)


class Fetcher:
    """HTTP/1.1 GETs like a browser's: six kept-alive connections, gzip accepted, the visitor's cookie
    (its sticky backend). What a page links is read from each file once per load test (`links`), not
    once per visitor: a real visitor parses with its own CPU, not the server's."""

    def __init__(self, base_url: str, pool: ThreadPoolExecutor, timeout: float, links: dict):
        parts = urlsplit(base_url)
        self.base, self.pool, self.timeout, self.links = base_url.rstrip("/") + "/", pool, timeout, links
        self.https = parts.scheme == "https"
        self.cookie = ""
        self.files = self.bytes = 0
        self.fetched: set[str] = set()
        self.idle: queue.SimpleQueue = queue.SimpleQueue()
        self.sem = asyncio.Semaphore(BROWSER_CONNECTIONS)

    def _get(self, url: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        try:
            conn = self.idle.get_nowait()
        except queue.Empty:
            conn_cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            conn = conn_cls(parts.netloc, timeout=self.timeout)
        headers = {"Accept-Encoding": "gzip", "User-Agent": "corridors-loadtest"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
            resp = conn.getresponse()
            body = resp.read()
        except Exception:
            conn.close()
            raise
        self.idle.put(conn)
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait().close()

    async def get(self, url: str, parse=None) -> list[str]:
        """Fetch; raise on a status other than 200; return what `parse` finds in the text (read once)."""
        async with self.sem:
            status, headers, body = await asyncio.get_running_loop().run_in_executor(self.pool, self._get, url)
        if status != 200:
            raise OSError(f"GET {url}: HTTP {status}")
        cookie = headers.get("set-cookie", "")
        if cookie and not self.cookie:
            self.cookie = cookie.split(";", 1)[0]
        self.files += 1
        self.bytes += len(body)
        self.fetched.add(url)
        if parse is None:
            return []
        if url not in self.links:
            raw = gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body
            text = raw.decode("utf-8", "replace")
            if _MAIN_BUNDLE_RE.search(url):
                self.links[CHUNKS] = _chunks(url, text)
            self.links[url] = parse(url, text)
        return self.links[url]

    async def get_all(self, urls, parse=None) -> list[list[str]]:
        return await asyncio.gather(*(self.get(u, parse) for u in urls))


def _page_links(url: str, text: str) -> list[str]:
    return [urljoin(url, h) for h in _ASSET_RE.findall(text) if not h.startswith("./_stcore")]


def _js_imports(url: str, text: str) -> list[str]:
    """A script's static imports; for the stylesheet, the icon font (the page shows icons; the other
    fonts it names are loaded only when text uses them, and the body font is preloaded by the page)."""
    if url.endswith(".css"):
        return [urljoin(url, f) for f in _ICON_FONT_RE.findall(text)]
    return [urljoin(url, imp) for imp in _IMPORT_RE.findall(text)] if url.endswith(".js") else []


def _chunks(url: str, text: str) -> list[str]:
    """Every script chunk the main bundle names (the elements' code is loaded when an element shows)."""
    return [urljoin(url, name) for name in dict.fromkeys(_CHUNK_RE.findall(text))]


async def _element_files(fetch: Fetcher, elements: set[str]) -> None:
    """The code of the elements on the page (Checkbox.….js and what it imports), as the browser loads it."""
    wanted = {"".join(w.capitalize() for w in kind.split("_")) for kind in elements}
    todo = [u for u in fetch.links.get(CHUNKS, []) if u.rsplit("/", 1)[1].split(".", 1)[0] in wanted]
    seen = set(fetch.fetched)
    while todo:
        batch = [u for u in dict.fromkeys(todo) if u not in seen]
        seen.update(batch)
        found = await fetch.get_all(batch, _js_imports)
        todo = [u for links in found for u in links]


def _frame_links(url: str, text: str) -> list[str]:
    return [urljoin(url, src) for src in _COMPONENT_SRC_RE.findall(text)]


async def _page_files(fetch: Fetcher) -> None:
    """index.html, what it links, and the static-import closure of its scripts, as a browser loads them."""
    todo = await fetch.get(fetch.base, _page_links)
    await fetch.get_all([urljoin(fetch.base, "_stcore/health"), urljoin(fetch.base, "_stcore/host-config")])
    seen: set[str] = set()
    while todo:
        batch = [u for u in dict.fromkeys(todo) if u not in seen]
        seen.update(batch)
        found = await fetch.get_all(batch, _js_imports)
        todo = [u for links in found for u in links]


async def _component_files(fetch: Fetcher, payload) -> None:
    """The map's frame: the component's index.html, its bundle, Leaflet's JS and CSS, the map's pack."""
    args = payload.args
    frame = urljoin(fetch.base, "component/streamlit_folium.st_folium/index.html")
    urls = await fetch.get(frame, _frame_links)
    urls = urls + [
        urljoin(fetch.base, u.lstrip("/"))
        for u in args.get("js_links", []) + args.get("css_links", [])
        if not u.startswith(("http://", "https://"))
    ]
    if payload.view:
        urls.append(payload.view[0])
    await fetch.get_all(urls)


async def _visitor(
    i: int,
    url: str,
    query: str,
    spread: float,
    n: int,
    timeout: float,
    static: bool,
    pool,
    links: dict,
    expected: set[str] | None,
    opened: list,
    out: Visit,
) -> Session | None:
    await asyncio.sleep(spread * i / max(1, n - 1) if spread and n > 1 else 0)
    out.start = time.perf_counter()
    fetch = Fetcher(url, pool, timeout, links) if static else None
    try:
        if fetch:
            await _page_files(fetch)
        session = Session(url, query=query, timeout=timeout)
        await session.connect(cookie=fetch.cookie if fetch else "")
        opened.append(session)
        result = await session.run()
        if result.exception:
            raise RuntimeError(f"the app raised: {result.exception}")
        if not result.map:
            raise RuntimeError("no map in the page")
        drawn = result.map.corridors
        if not drawn or (expected is not None and not expected <= drawn):
            raise RuntimeError(f"map without its corridors: {sorted(drawn)}, expected {sorted(expected or [])}")
        out.to_map, out.corridors, out.ws_bytes = result.map_at - out.start, len(drawn), result.bytes
        if fetch:
            await asyncio.gather(_component_files(fetch, result.map), _element_files(fetch, result.elements))
            out.to_first_visit = time.perf_counter() - out.start
            out.files, out.file_bytes = fetch.files, fetch.bytes
        return session
    except Exception as exc:  # noqa: BLE001 - every failure is counted and described
        out.error = f"{type(exc).__name__}: {exc}"[:300]
        return None
    finally:
        if fetch:
            fetch.close()


async def _toggle(session: Session, key: str, out: Visit) -> None:
    try:
        t = time.perf_counter()
        result = await session.toggle(key)
        if not result.map:
            raise RuntimeError("the rerun sent no map")
        out.toggle = (result.map_at or result.finished_at) - t
    except Exception as exc:  # noqa: BLE001
        out.error = f"toggle: {type(exc).__name__}: {exc}"[:300]


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _line(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: none reached"
    return f"{name}: p50 {_pct(values, 50):.2f} s · p95 {_pct(values, 95):.2f} s · max {max(values):.2f} s"


def expected_corridors(data_dir: str | None) -> set[str] | None:
    """Corridors of the default view (no query string) from the local data folder, or None if unreadable."""
    try:
        from corridors.assemble import load_atlas
        from corridors.data.atlas import resolve_data_dir
        from corridors.maps.mapdata import MapData
        from corridors.maps.viewstate import state_from_query

        atlas = load_atlas(data_dir or resolve_data_dir())
        data = MapData(atlas)
        state, _ = state_from_query({}, atlas.corridors, data.countries_crossed_any, atlas.organisations)
        return set(data.visible_segments(state))
    except Exception:  # noqa: BLE001 - a remote server's data may differ: then only "some corridor" is checked
        return None


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


async def run_load(
    *,
    url: str,
    sessions: int,
    spread: float = 0.0,
    toggle: str | None = None,
    static: bool = False,
    query: str = "",
    timeout: float = 60.0,
    expected: set[str] | None = None,
    settle: float = 5.0,
    report=print,
    run_dir: Path | None = None,
) -> dict:
    """Run one load test; print the report; return the figures (for tests and the README)."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions: 1 to {MAX_SESSIONS}")
    if not 0 <= spread <= MAX_SPREAD_S:
        raise ValueError(f"spread: 0 to {MAX_SPREAD_S:.0f} s")
    local = is_loopback(url)
    st_pids, ngx_pids = find_pids(url, run_dir) if local else ([], [])
    idle = sample(st_pids)
    idle_ngx = sample(ngx_pids)
    visits = [Visit() for _ in range(sessions)]
    opened: list[Session] = []
    links: dict[str, list[str]] = {}  # url -> what it links (read once per load test)
    pool = ThreadPoolExecutor(max_workers=min(256, sessions * BROWSER_CONNECTIONS)) if static else None
    t0, own0 = time.perf_counter(), time.process_time()
    try:
        live = await asyncio.wait_for(
            asyncio.gather(
                *(
                    _visitor(i, url, query, spread, sessions, timeout, static, pool, links, expected, opened, v)
                    for i, v in enumerate(visits)
                )
            ),
            timeout + spread + 30,
        )
        wall = time.perf_counter() - t0
        loaded = sample(st_pids)
        toggled_at = None
        if toggle:
            pairs = [(s, v) for s, v in zip(live, visits) if s is not None]
            t1 = time.perf_counter()
            await asyncio.wait_for(asyncio.gather(*(_toggle(s, toggle, v) for s, v in pairs)), timeout + 30)
            toggled_at = time.perf_counter() - t1
        after_toggle = sample(st_pids)
    finally:
        await asyncio.gather(*(s.close() for s in opened), return_exceptions=True)
        if pool:
            pool.shutdown(wait=False, cancel_futures=True)
    busy_ngx = sample(ngx_pids)
    left = None
    if idle:
        await asyncio.sleep(settle)  # Streamlit lets go of closed sessions
        left = sample(st_pids)

    failures = [v.error for v in visits if v.error]
    figures = {
        "sessions": sessions,
        "spread_s": spread,
        "failures": len(failures),
        "wall_s": wall,
        "to_map": [v.to_map for v in visits if v.to_map is not None],
        "first_visit": [v.to_first_visit for v in visits if v.to_first_visit is not None],
        "toggle": [v.toggle for v in visits if v.toggle is not None],
    }
    report(
        f"{sessions} session(s) against {url}"
        + (f", spread over {spread:g} s" if spread else ", all at once")
        + (" with static files" if static else "")
        + (f", then toggle {toggle!r} in every session" if toggle else "")
    )
    report(_line("time to map (websocket)", figures["to_map"]))
    if static:
        files = [v.files for v in visits if v.files]
        kb = [v.file_bytes / 1024 for v in visits if v.files]
        report(
            _line("whole first visit (page, static files, map, map frame)", figures["first_visit"])
            + (
                f" · {statistics.median(files):.0f} files, {statistics.median(kb):,.0f} KB on the wire each"
                if files
                else ""
            )
        )
    if toggle:
        report(
            _line(f"toggle {toggle} (rerun to new map)", figures["toggle"])
            + (f" · all done in {toggled_at:.2f} s" if toggled_at is not None else "")
        )
    ws_kb = [v.ws_bytes / 1024 for v in visits if v.ws_bytes]
    if ws_kb:
        report(
            f"websocket messages to first map: {statistics.median(ws_kb):,.0f} KB per session "
            "(before permessage-deflate, which the client offers as browsers do)"
        )
    report(f"this client's own CPU: {time.process_time() - own0:.2f} s (it shares the machine with the server)")
    report(f"failures: {len(failures)} of {sessions}" + (f" (e.g. {failures[0]})" if failures else ""))
    if idle and loaded:
        cpu = loaded.cpu_s - idle.cpu_s
        figures.update(
            cpu_per_session=cpu / sessions,
            idle_mb=idle.rss_kb / 1024,
            loaded_mb=loaded.rss_kb / 1024,
            mem_per_session_mb=(loaded.rss_kb - idle.rss_kb) / 1024 / sessions,
        )
        report(
            f"server CPU: {cpu:.2f} s in {loaded.pids} Streamlit process(es) = {cpu / sessions:.3f} s per session"
            + (
                f"; toggle {(after_toggle.cpu_s - loaded.cpu_s) / sessions:.3f} s per session"
                if toggle and after_toggle
                else ""
            )
        )
        if idle_ngx and busy_ngx:
            report(f"nginx CPU: {busy_ngx.cpu_s - idle_ngx.cpu_s:.2f} s in {busy_ngx.pids} process(es)")
        report(
            f"memory (RSS, all Streamlit processes): idle {idle.rss_kb / 1024:.0f} MB, with the sessions "
            f"{loaded.rss_kb / 1024:.0f} MB = {figures['mem_per_session_mb']:.2f} MB per extra session"
        )
        if left:
            figures["left_mb"] = left.rss_kb / 1024
            report(
                f"memory {settle:g} s after they left: {left.rss_kb / 1024:.0f} MB "
                f"({(left.rss_kb - idle.rss_kb) / idle.rss_kb:+.1%} against idle)"
            )
    elif local:
        report("server CPU and memory: no Streamlit process of this app visible on this machine")
    return figures


def main(args) -> int:
    url = args.url or DEFAULT_URL
    stream_url(url)  # ValueError for anything but http(s)://
    if not args.url and not is_loopback(url):
        raise ValueError("without --url the load test only targets this machine")
    expected = expected_corridors(args.data) if is_loopback(url) else None
    figures = asyncio.run(
        run_load(
            url=url,
            sessions=args.sessions,
            spread=args.spread,
            toggle=args.toggle_key if args.toggle else None,
            static=args.static,
            query=args.query,
            timeout=args.timeout,
            expected=expected,
        )
    )
    return 1 if figures["failures"] else 0
