"""A cache of loaded data between starts: a pickle per data folder, keyed by the content of its files.

What is cached is only ever a copy of what loading the files would give: an entry is used when its key (every
data file's bytes, the code that reads them, the libraries' versions, the day) is the one asked for, and
otherwise the files are loaded and the entry rewritten. Nothing here can stop a load: a folder that cannot be
written, an entry that is corrupt, truncated or of an older version, a file that cannot be hashed: each means
no cache, silently, and the files are read as without one.

Where: `$CORRIDORS_CACHE_DIR` (`off` for no cache), else `$XDG_CACHE_HOME/corridors`, else
`~/.cache/corridors`. Never in the data folder. The folder is made private (0700), and an entry is read only
from a folder and a file of the user running this, that nobody else may write (a pickle runs code when read).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from corridors import settings

FORMAT = b"corridors-cache 1\n"  # the entry's first bytes; raise the number when the layout below changes
MAX_ENTRIES = 8  # entries kept (one per data folder): the oldest used is removed past this
MAX_HASHED_BYTES = 1024 * 1024 * 1024  # a data folder larger than this is read without a cache
# The libraries whose objects are in an entry or whose checks decide what loading gives.
LIBRARIES = ("pydantic", "pydantic-core", "shapely", "geopandas", "pandas", "numpy", "pyproj", "PyYAML")
PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir() -> Path | None:
    """The cache folder the environment asks for, or None for no cache (`CORRIDORS_CACHE_DIR=off`)."""
    given = os.environ.get(settings.CACHE_DIR_ENV)
    if given is not None:
        return None if given.strip().lower() in ("off", "") else Path(given)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is ignored
        return Path(xdg) / "corridors"
    try:
        return Path.home() / ".cache" / "corridors"
    except (RuntimeError, KeyError, OSError):  # no home folder to be found
        return None


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Changes with the package's code (every module's source), the libraries' versions and Python's."""
    digest = hashlib.sha256(FORMAT)
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?\n".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(root: Path) -> str | None:
    """A hash of every entry in the folder `root` (names, kinds, every file's bytes), hidden ones (which the
    loader never reads) left out; None when something cannot be read or is not a file or a folder, or the
    folder is too large: loading reports those, so such a folder is always loaded from its files."""
    digest = hashlib.sha256()
    total = 0
    seen: set[tuple[int, int]] = set()
    pending = [(Path(root), "")]
    try:
        while pending:
            folder, rel = pending.pop()
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:  # a link back to a folder above
                return None
            seen.add((info.st_dev, info.st_ino))
            digest.update(f"D {rel}\0".encode("utf-8", "surrogateescape"))
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = f"{rel}/{entry.name}" if rel else entry.name
                info = os.stat(entry.path)  # follows links, as the loader does
                if stat.S_ISDIR(info.st_mode):
                    pending.append((Path(entry.path), name))
                    continue
                if not stat.S_ISREG(info.st_mode):
                    return None
                total += info.st_size
                if total > MAX_HASHED_BYTES:
                    return None
                with open(entry.path, "rb") as fh:
                    data = fh.read()
                digest.update(f"F {name} {len(data)}\0".encode("utf-8", "surrogateescape"))
                digest.update(data)
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _private(path: Path, is_dir: bool) -> bool:
    """Whether `path` is a folder (or a regular file) of this user that nobody else may write."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if is_dir else stat.S_ISREG(info.st_mode)
    mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return kind_ok and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class _Pickler(pickle.Pickler):
    """Pickles shapely geometries by reference, to be written together as WKB (one vectorised call each way,
    instead of a call per geometry)."""

    def __init__(self, file):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.geometries: list = []

    def persistent_id(self, obj):
        if isinstance(obj, shapely.Geometry):
            self.geometries.append(obj)
            return len(self.geometries) - 1
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, geometries):
        super().__init__(file)
        self.geometries = geometries

    def persistent_load(self, pid):
        return self.geometries[pid]


def dumps(value: Any, key: str) -> bytes:
    """An entry: FORMAT, then a pickle of (key, checksum of the rest), then the geometries as WKB and the
    value, pickled."""
    body = io.BytesIO()
    pickler = _Pickler(body)
    pickler.dump(value)
    wkb = shapely.to_wkb(np.array(pickler.geometries, dtype=object), include_srid=True)
    rest = pickle.dumps(wkb, protocol=pickle.HIGHEST_PROTOCOL) + body.getvalue()
    return FORMAT + pickle.dumps((key, hashlib.sha256(rest).hexdigest())) + rest


def loads(data: bytes, key: str) -> Any | None:
    """The value of an entry made for `key`, or None (another key, another format, corrupt, truncated)."""
    if not data.startswith(FORMAT):
        return None
    stream = io.BytesIO(data)
    stream.seek(len(FORMAT))
    try:
        found, checksum = pickle.load(stream)
        if found != key:
            return None
        rest = memoryview(data)[stream.tell() :]
        if hashlib.sha256(rest).hexdigest() != checksum:
            return None
        wkb = pickle.load(stream)
        geometries = shapely.from_wkb(wkb) if len(wkb) else []
        collecting = gc.isenabled()
        gc.disable()  # no collection passes over the objects being made (a third of the time at ×100)
        try:
            return _Unpickler(stream, geometries).load()
        finally:
            if collecting:
                gc.enable()
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises, it is only a cache: load the files
        return None


def entry_path(folder: Path, name: str) -> Path:
    """The entry for one data folder (`name`, its path as given and absolute): one file, rewritten as its
    content changes."""
    return folder / f"{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:24]}.pickle"


def read(folder: Path | None, name: str, key: str | None) -> Any | None:
    """The cached value for `name` under `key`, or None."""
    if folder is None or key is None or not _private(folder, is_dir=True):
        return None
    path = entry_path(folder, name)
    if not _private(path, is_dir=False):
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    value = loads(data, key)
    if value is not None:
        try:
            os.utime(path)  # used now: the last to be evicted
        except OSError:
            pass
    return value


def write(folder: Path | None, name: str, key: str | None, value: Any) -> bool:
    """Store `value` for `name` under `key`, atomically (a reader never sees half an entry); False when it
    could not be (the folder cannot be made or written, the value cannot be pickled)."""
    if folder is None or key is None:
        return False
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder, is_dir=True):
            return False
        data = dumps(value, key)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".entry.", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry_path(folder, name))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _evict(folder)
    except Exception:  # noqa: BLE001 - unwritable, full, unpicklable: no cache this time
        return False
    return True


def _evict(folder: Path) -> None:
    """Keep the MAX_ENTRIES entries used last."""
    entries = []
    for path in folder.glob("*.pickle"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        path.unlink(missing_ok=True)
