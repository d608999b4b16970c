"""An analyst's own layer: an uploaded GeoJSON, KML, GeoPackage, zipped Shapefile, GPX or CSV file, checked
and read into a typed record for the session (issue 20). Nothing here imports Streamlit or writes to the data
folder.

`read_user_layer(file_name, data)` refuses, with a Problem naming the file, the place and what is wrong:
- a file over MAX_UPLOAD_BYTES, before anything else;
- a name that is not one of the formats, and content that is another format than its name says (sniffed
  from the bytes: a ZIP, an SQLite file, XML with a <kml> or <gpx> root, JSON, or text);
- XML with a DOCTYPE or ENTITY declaration (entity expansion, external entities), before GDAL sees it;
- a zip whose directory holds too many members, more than MAX_UNZIPPED_BYTES uncompressed, a member packed
  more than MAX_ZIP_RATIO:1 (a zip bomb), an encrypted member, or no single .shp — read from the directory,
  nothing extracted;
- JSON nested deeper than MAX_JSON_NESTING;
- then, in a child process (userlayer_worker.py) with memory and CPU limits and a time limit of
  PARSE_SECONDS: what GDAL cannot read, more than MAX_FEATURES features or MAX_VERTICES vertices, no CRS
  with coordinates beyond longitude/latitude (no CRS and in range: read as WGS84, with a note), coordinates
  that are not finite. Everything is reprojected to EPSG:4326.

Sizes a zip's directory claims may lie; the child's memory and CPU caps and the time limit hold whatever it
unpacks to. The file is handed to GDAL in a private temporary folder (in memory, /dev/shm, where there is one) that is
removed in `finally`, by this process, whatever the child did. At most MAX_PARALLEL files are read at once
per process; another upload meanwhile is asked to try again, so the server keeps serving everyone.
Attribute values are kept as text (cut to MAX_VALUE_CHARS): whoever shows them escapes them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from corridors.errors import CorridorsError, Problem

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
MAX_FEATURES = 50_000
MAX_VERTICES = 1_000_000
MAX_LAYERS = 20
MAX_FIELDS = 100
MAX_VALUE_CHARS = 1_000
MAX_JSON_NESTING = 64  # a GeoJSON MultiPolygon is 7 deep in its FeatureCollection; properties add a few
MAX_ZIP_MEMBERS = 100
MAX_UNZIPPED_BYTES = 200 * MB
MAX_ZIP_RATIO = 200  # shapefiles pack 2–20:1; a zip bomb packs thousands to one
PARSE_SECONDS = 30.0
WORKER_MEMORY_BYTES = 2048 * MB
MAX_PARALLEL = 2
WAIT_FOR_SLOT_SECONDS = 5.0

# Format key -> what a person calls it, and the names that claim it.
FORMATS = {
    "geojson": "GeoJSON",
    "kml": "KML",
    "gpkg": "GeoPackage",
    "shapefile": "zipped Shapefile",
    "gpx": "GPX",
    "csv": "CSV",
}
EXTENSIONS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".kml": "kml",
    ".gpkg": "gpkg",
    ".zip": "shapefile",
    ".gpx": "gpx",
    ".csv": "csv",
}
_SUFFIX = {"geojson": ".geojson", "kml": ".kml", "gpkg": ".gpkg", "shapefile": ".zip", "gpx": ".gpx", "csv": ".csv"}
_CONTENT = {  # a sniffed content kind, in words, for "is named .x but is …"
    "zip": "a ZIP archive",
    "sqlite": "an SQLite database (GeoPackage)",
    "kml": "KML",
    "gpx": "GPX",
    "xml": "XML (neither KML nor GPX)",
    "json": "JSON",
    "text": "plain text",
    "binary": "binary data",
}
_MATCHES = {"geojson": "json", "kml": "kml", "gpkg": "sqlite", "shapefile": "zip", "gpx": "gpx", "csv": "text"}
WORKER = Path(__file__).with_name("userlayer_worker.py")

_slots = threading.BoundedSemaphore(MAX_PARALLEL)


@dataclass(frozen=True)
class UserFeature:
    """One feature of an uploaded layer: its geometry (EPSG:4326) and its attributes as text, in file order."""

    geometry: BaseGeometry
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class UserLayer:
    """An uploaded layer, read and checked: what the session keeps and the map draws."""

    id: str  # from the content and the name: the same file uploaded twice is the same layer
    name: str  # the file name without its extension (the person's words: escape when shown)
    file_name: str
    format: str  # a key of FORMATS
    features: tuple[UserFeature, ...]
    fields: tuple[str, ...]
    vertex_count: int
    notes: tuple[str, ...]  # what was assumed or changed: no CRS read as WGS84, reprojected, features left out

    @property
    def geometry_types(self) -> tuple[str, ...]:
        return tuple(sorted({f.geometry.geom_type for f in self.features}))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of every feature."""
        return tuple(float(v) for v in shapely.total_bounds([f.geometry for f in self.features]))


def _problem(file_name: str, what: str, where: str = "file") -> CorridorsError:
    return CorridorsError(Problem(file_name, where, what))


def _size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size:,} bytes"


def claimed_format(file_name: str) -> str:
    """The format a file's name claims (by its extension), or a CorridorsError listing the known ones."""
    suffix = PurePosixPath(file_name).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        raise _problem(file_name, f"is not a layer file this app reads (by its name); it reads {known}")
    return EXTENSIONS[suffix]


_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(kml|gpx)[\s>/]", re.I)


def sniff(data: bytes) -> str:
    """What the bytes are: "zip", "sqlite", "kml", "gpx", "xml", "json", "text" or "binary"."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data[:16] == b"SQLite format 3\x00":
        return "sqlite"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in data[:4096]:
        return "binary"
    if head.startswith(b"<"):
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.S).lstrip()
        found = _XML_ROOT.match(body)
        return found.group(1).lower().decode() if found else "xml"
    if head[:1] in (b"{", b"["):
        return "json"
    return "text"  # any text without NUL bytes (a CSV in Latin-1 too: GDAL reads it)


_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def _check_xml(file_name: str, data: bytes) -> None:
    found = _DECLARATION.search(data)
    if found:
        line = data[: found.start()].count(b"\n") + 1
        raise _problem(
            file_name,
            f"has a {found.group(1).decode().upper()} declaration: refused (entities can expand without end "
            "or read other files); KML and GPX need none",
            f"line {line}",
        )


def _check_zip(file_name: str, data: bytes) -> str:
    """The .shp member to read, after checking the zip's directory (nothing is extracted)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _problem(file_name, f"is not a readable ZIP archive ({exc})") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise _problem(file_name, f"holds {len(members):,} files; the limit is {MAX_ZIP_MEMBERS:,}")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise _problem(
            file_name, f"unpacks to {_size_text(total)}; the limit is {_size_text(MAX_UNZIPPED_BYTES)} (a zip bomb?)"
        )
    for m in members:
        if m.flag_bits & 0x1:
            raise _problem(file_name, "is encrypted (a password-protected zip)", f"member {m.filename!r}")
        if m.file_size > MB and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise _problem(
                file_name,
                f"is packed {m.file_size // max(m.compress_size, 1):,}:1; more than {MAX_ZIP_RATIO}:1 is refused "
                "(a zip bomb?)",
                f"member {m.filename!r}",
            )
    shapes = [m.filename for m in members if m.filename.lower().endswith(".shp") and not m.is_dir()]
    if not shapes:
        raise _problem(file_name, "holds no .shp file: zip a shapefile's .shp, .shx, .dbf and .prj together")
    if len(shapes) > 1:
        raise _problem(file_name, f"holds {len(shapes)} shapefiles ({', '.join(shapes[:5])}); upload one per zip")
    name = shapes[0]
    if name.startswith("/") or ".." in PurePosixPath(name).parts or "\\" in name:
        raise _problem(file_name, "names a file outside the archive", f"member {name!r}")
    return name


def _check_json(file_name: str, data: bytes) -> None:
    """Refuse brackets nested deeper than MAX_JSON_NESTING (counted over the raw bytes, strings too: only
    over-counts) before any parser recurses into them."""
    raw = np.frombuffer(data, dtype=np.uint8)
    steps = np.zeros(raw.shape, dtype=np.int16)
    steps[(raw == 91) | (raw == 123)] = 1
    steps[(raw == 93) | (raw == 125)] = -1
    depth = np.cumsum(steps, dtype=np.int64)
    if depth.size and depth.max() > MAX_JSON_NESTING:
        at = int(np.argmax(depth > MAX_JSON_NESTING))
        line = int(np.count_nonzero(raw[:at] == 10)) + 1
        raise _problem(file_name, f"nests lists or objects more than {MAX_JSON_NESTING} levels deep", f"line {line}")


def check_upload(file_name: str, data: bytes) -> tuple[str, str | None]:
    """The checks that need no parser: (format, the .shp member of a zip or None); a CorridorsError else."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _problem(file_name, f"is {_size_text(len(data))}; the limit is {_size_text(MAX_UPLOAD_BYTES)}")
    if not data:
        raise _problem(file_name, "is empty")
    fmt = claimed_format(file_name)
    content = sniff(data)
    if content in ("kml", "gpx", "xml"):  # whatever it is named: GDAL may guess XML whatever the name says
        _check_xml(file_name, data)
    if content != _MATCHES[fmt]:
        raise _problem(
            file_name,
            f"is named as {FORMATS[fmt]} ({PurePosixPath(file_name).suffix}) but its content is {_CONTENT[content]}",
        )
    if fmt == "geojson":
        _check_json(file_name, data)
    return fmt, _check_zip(file_name, data) if fmt == "shapefile" else None


def _scratch() -> tempfile.TemporaryDirectory:
    shm = Path("/dev/shm")
    return tempfile.TemporaryDirectory(prefix="corridors-upload-", dir=shm if shm.is_dir() else None)


def _limits(fmt: str) -> str:
    return json.dumps(
        {
            "label": FORMATS[fmt],
            "max_features": MAX_FEATURES,
            "max_vertices": MAX_VERTICES,
            "max_layers": MAX_LAYERS,
            "max_fields": MAX_FIELDS,
            "max_value_chars": MAX_VALUE_CHARS,
            "memory_bytes": WORKER_MEMORY_BYTES,
            "cpu_seconds": int(PARSE_SECONDS) + 5,
        }
    )


def _worker_env(fmt: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "PROJ_DATA")}
    env.update(
        CORRIDORS_UPLOAD_LIMITS=_limits(fmt),
        # No network from GDAL whatever a file refers to (KML links, remote rasters): no URL is allowed.
        CPL_VSIL_CURL_ALLOWED_EXTENSIONS=".none-allowed",
        GDAL_HTTP_TIMEOUT="1",
        GDAL_HTTP_MAX_RETRY="0",
        GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR",
        OGR_GEOJSON_MAX_OBJ_SIZE=str(MAX_UPLOAD_BYTES // MB + 1),  # MB
        OGR_SQLITE_JOURNAL="OFF",
    )
    return env


def read_user_layer(file_name: str, data: bytes, timeout: float = PARSE_SECONDS) -> UserLayer:
    """An uploaded file as a checked UserLayer in EPSG:4326; a CorridorsError naming the file, the place and
    the problem otherwise (never a traceback). `file_name` is the name the browser sent (only its last part
    is used); `timeout` bounds the parse in seconds."""
    file_name = PurePosixPath(str(file_name).replace("\\", "/")).name or "upload"
    fmt, member = check_upload(file_name, data)
    if not _slots.acquire(timeout=WAIT_FOR_SLOT_SECONDS):
        raise _problem(file_name, "was not read: the server is reading other uploads; try again in a moment")
    try:
        with _scratch() as tmp:
            path = Path(tmp) / f"upload{_SUFFIX[fmt]}"
            path.write_bytes(data)
            target = f"/vsizip/{path}/{member}" if member else str(path)
            try:
                proc = subprocess.run(
                    [sys.executable, "-I", str(WORKER), target, fmt],
                    capture_output=True,
                    timeout=timeout,
                    env=_worker_env(fmt),
                    cwd=tmp,
                )
            except subprocess.TimeoutExpired:  # run() has killed the child
                raise _problem(file_name, f"took longer than {timeout:g} seconds to read; refused") from None
    finally:
        _slots.release()
    return _layer_from(file_name, fmt, data, proc)


def _layer_from(file_name: str, fmt: str, data: bytes, proc: subprocess.CompletedProcess) -> UserLayer:
    try:
        answer = json.loads(proc.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):  # killed by its memory or CPU limit, or crashed inside GDAL
        why = "was stopped: it used more than its CPU time or memory" if proc.returncode else "gave no answer"
        raise _problem(file_name, f"cannot be read as {FORMATS[fmt]}: the reader {why}")
    if not answer.get("ok"):
        raise _problem(file_name, str(answer.get("what")), str(answer.get("where")))
    geometries = shapely.from_wkb([wkb for wkb, _ in answer["features"]])
    features = tuple(
        UserFeature(geom, tuple(attrs.items())) for geom, (_, attrs) in zip(geometries, answer["features"])
    )
    digest = hashlib.sha256(file_name.encode() + b"\x00" + data).hexdigest()[:12]
    return UserLayer(
        id=f"u{digest}",
        name=PurePosixPath(file_name).stem or file_name,
        file_name=file_name,
        format=fmt,
        features=features,
        fields=tuple(answer["fields"]),
        vertex_count=int(answer["vertices"]),
        notes=tuple(answer["notes"]),
    )
