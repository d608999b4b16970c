"""Streamlit's own JavaScript, CSS and fonts and the map component's bundle, answered from memory.

A first visit fetches about 90 such files (2.5 MB) and, once the page's elements arrive, some 40 more, one by
one, as each kind of widget is first drawn. Streamlit answers each from disk through Starlette's StaticFiles
(a path check, a stat, a file read in a worker thread): 3–5 ms of the server's one event loop per file, while
the same loop runs the visitor's first script, so the later files waited 300–400 ms each and the map's frame
came a second after its message. These files never change while the server runs (their names carry their
content's hash), so this middleware reads each once, keeps it with its gzip-compressed form (JavaScript and
CSS shrink to about a quarter: what a visitor on Wi-Fi waits for) and answers from memory with the headers
Streamlit gives them. nginx (serve/nginx.py) does the same from its mirror in the production layout; this is
the same for `scripts/run.sh`. Anything else, and any path that is not a plain file under those folders,
goes on to Streamlit unchanged.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

from corridors.maps.assets import PACK_SUBDIR, VENDOR_SUBDIR
from corridors.serve.nginx import static_sources

IMMUTABLE = "public, immutable, max-age=31536000"  # as Streamlit's own for its hashed bundles
COMPRESSED_TYPES = (".js", ".css", ".json", ".map", ".svg", ".txt", ".ttf", ".otf")  # woff2, png: compressed already
MIN_COMPRESSED = 1024
TYPES = {  # fixed here: the system's mime.types differ between machines
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".png": "image/png",
}


@dataclass(frozen=True)
class Root:
    folder: Path
    cache_control: str
    changes: bool  # files may be written or removed while the server runs: checked (one stat) on each request


def bundle_roots(app_dir: Path, base_path: str = "") -> dict[str, Root]:
    """URL prefix -> the folder it serves: Streamlit's and the map component's hashed bundles (fixed), the map's
    packs (named by their content's hash, written and removed by the app) and the app's copy of Leaflet (cached
    for an hour, as nginx does). The rest of the app's static/ is left to Streamlit."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    sources = static_sources(app_dir)
    own = sources["app/static"]
    return {
        f"{base}/static/": Root(sources["static"], IMMUTABLE, changes=False),
        f"{base}/component/streamlit_folium.st_folium/static/": Root(
            sources["component/streamlit_folium.st_folium/static"], IMMUTABLE, changes=False
        ),
        f"{base}/app/static/{PACK_SUBDIR}/": Root(own / PACK_SUBDIR, IMMUTABLE, changes=True),
        f"{base}/app/static/{VENDOR_SUBDIR}/": Root(own / VENDOR_SUBDIR, "public, max-age=3600", changes=True),
    }


def accepts_gzip(headers) -> bool:
    for name, value in headers:
        if name.lower() == b"accept-encoding":
            for token in value.decode("latin-1").lower().split(","):
                coding, _, params = token.strip().partition(";")
                if coding.strip() in ("gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00"):
                    return True
    return False


class Bundle:
    """One file as served: its bytes, its gzip-compressed bytes (None if not worth it), its type and headers,
    and the file with its (size, mtime) when read."""

    __slots__ = ("body", "gzipped", "content_type", "cache_control", "path", "stamp")

    def __init__(self, body: bytes, content_type: str, cache_control: str, compress: bool, path: Path, stamp):
        self.body, self.content_type, self.cache_control = body, content_type, cache_control
        self.path, self.stamp = path, stamp
        self.gzipped = gzip.compress(body, 6) if compress and len(body) >= MIN_COMPRESSED else None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def resolve_inside(folder: Path, relative: str) -> Path | None:
    """The plain file at `relative` under `folder`, or None: a path with "..", ".", an empty part, a backslash
    or a NUL, one that leaves the folder by a link, or one that is not a file."""
    parts = relative.split("/")
    if not relative or "\\" in relative or "\0" in relative or any(p in ("", ".", "..") for p in parts):
        return None
    try:
        root = folder.resolve()
        path = (root / relative).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None
    except (OSError, ValueError):
        return None


def read_bundle(root: Root, relative: str) -> Bundle | None:
    """The file at `relative` under the root's folder as served, or None (see resolve_inside; unreadable)."""
    path = resolve_inside(root.folder, relative)
    if path is None:
        return None
    try:
        stamp, body = _stamp(path), path.read_bytes()
    except OSError:
        return None
    kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Bundle(body, kind, root.cache_control, path.name.endswith(COMPRESSED_TYPES), path, stamp)


class BundleFiles:
    """ASGI middleware: GET/HEAD of a file under one of the roots is answered from memory (read once, read
    again when a root's file changed; a file removed is left to Streamlit's answer, a 404)."""

    def __init__(self, app, roots: dict[str, Root]):
        self.app = app
        self.roots = roots
        self.cache: dict[str, tuple[Root, Bundle]] = {}

    def _find(self, path: str) -> Bundle | None:
        found = self.cache.get(path)
        if found is not None:
            root, bundle = found
            if not root.changes or _stamp(bundle.path) == bundle.stamp:
                return bundle
            del self.cache[path]
        for prefix, root in self.roots.items():
            if path.startswith(prefix):
                bundle = read_bundle(root, path[len(prefix) :])
                if bundle is not None:
                    self.cache[path] = (root, bundle)
                return bundle
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        bundle = self._find(scope.get("path", ""))
        if bundle is None:
            await self.app(scope, receive, send)
            return
        body = bundle.body
        headers = [(b"content-type", bundle.content_type.encode()), (b"cache-control", bundle.cache_control.encode())]
        if bundle.gzipped is not None:
            headers.append((b"vary", b"Accept-Encoding"))
            if accepts_gzip(scope.get("headers", ())):
                body = bundle.gzipped
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
