"""Leaflet served from this machine: the files come from the django-js-lib-leaflet package.

Streamlit serves ./static/ next to app.py at /app/static/ (server.enableStaticServing); the map's
iframe loads Leaflet from there, so the map needs no internet.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import shutil
import time
from importlib.resources import files
from pathlib import Path

_PACKAGE_DIR = "js_lib_leaflet"
_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
VENDOR_SUBDIR = "vendor/leaflet"
URL_PREFIX = "/app/static/" + VENDOR_SUBDIR


def leaflet_source_dir() -> Path:
    return Path(str(files(_PACKAGE_DIR) / "static" / _PACKAGE_DIR))


def install_static(static_dir: Path) -> Path:
    """Copy Leaflet's files into `static_dir`/vendor/leaflet (only what changed); return that folder."""
    source, target = leaflet_source_dir(), static_dir / VENDOR_SUBDIR
    for name in _FILES:
        src, dst = source / name, target / name
        if not src.exists():
            continue
        if not dst.exists() or not filecmp.cmp(src, dst, shallow=False):
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_suffix(dst.suffix + ".tmp")
            shutil.copyfile(src, tmp)
            tmp.replace(dst)
    return target


def local_js() -> list[tuple[str, str]]:
    return [("leaflet", f"{URL_PREFIX}/leaflet.js")]


def local_css() -> list[tuple[str, str]]:
    return [("leaflet_css", f"{URL_PREFIX}/leaflet.css")]


PACK_SUBDIR = "atlas"
PACK_URL_PREFIX = "/app/static/" + PACK_SUBDIR
PACKS_KEPT = 4  # packs of other data versions left (the newest first; none written in the last hour removed)
PACK_GRACE_S = 3600


def static_dir() -> Path:
    """./static/ next to app.py: what Streamlit serves at /app/static/."""
    return Path(__file__).resolve().parents[2] / "static"


def publish_script(folder: Path, stem: str, text: str) -> str | None:
    """Write a browser script of the map page as `folder`/atlas/`stem`-HASH.js (named by its content's hash,
    so the browser keeps it as long as the code is the same) and return its address; None when it cannot be
    written there (the page then carries it inline)."""
    content = text.encode("utf-8")
    name = f"{stem}-{hashlib.sha256(content).hexdigest()[:20]}.js"
    return _publish_named(folder, name, content, f"{stem}-*.js")


def publish_pack(folder: Path, name: str, content: bytes) -> str | None:
    """Write the map's pack as `folder`/atlas/`name` (once: the name is its content's hash) and return its
    address; None when it cannot be written there (a read-only checkout: the page then carries it inline).
    Packs of other data versions beyond the newest few are removed, unless written within the hour (another
    server on this checkout may be serving one: it writes its own again when it finds it gone)."""
    return _publish_named(folder, name, content, "atlas-*.json")


def _publish_named(folder: Path, name: str, content: bytes, kin: str) -> str | None:
    """Write `content` as `folder`/atlas/`name` (a name made from the content's hash: a file of that name and
    size is the same, and only touched), prune the files matching `kin` beside it, and return its address; None
    when the folder cannot be written."""
    target = folder / PACK_SUBDIR / name
    try:
        if not (target.is_file() and target.stat().st_size == len(content)):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_bytes(content)
            tmp.replace(target)
        else:
            os.utime(target)
        _prune(target, kin)
    except OSError:
        return None
    return f"{PACK_URL_PREFIX}/{name}"


def _prune(target: Path, pattern: str) -> None:
    """Remove the files beside `target` matching `pattern` beyond the newest PACKS_KEPT, unless written
    within the hour (another server on this checkout may be serving one)."""
    now = time.time()
    older = sorted(target.parent.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[PACKS_KEPT:]:
        if stale != target and now - stale.stat().st_mtime > PACK_GRACE_S:
            stale.unlink(missing_ok=True)
