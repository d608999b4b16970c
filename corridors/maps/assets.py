"""Leaflet served from this machine: the files come from the django-js-lib-leaflet package.

Streamlit serves ./static/ next to app.py at /app/static/ (server.enableStaticServing); the map's
iframe loads Leaflet from there, so the map needs no internet.
"""

from __future__ import annotations

import filecmp
import shutil
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
