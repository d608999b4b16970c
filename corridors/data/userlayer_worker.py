"""Read one uploaded layer file with GDAL (pyogrio) in a child process: `python -I userlayer_worker.py PATH FORMAT`.

Run by `corridors.data.userlayers.read_user_layer`, never imported by the app: GDAL parses what a stranger
sent, so it does that here, with a memory and CPU limit, and the parent kills it after a time limit. The file
was checked before (size, format sniffed, XML without DOCTYPE or ENTITY, a zip's directory, JSON nesting).

Self-contained (no import of the corridors package, so it starts fast). It prints one JSON object on stdout:
`{"ok": true, "features": [[wkb_hex, {name: text}], ...], "fields": [...], "notes": [...], "crs": "..."}` or
`{"ok": false, "where": "...", "what": "..."}`. The limits come in through the environment (the parent's).
"""

from __future__ import annotations

import json
import math
import os
import sys
import warnings


def _limits() -> dict:
    return json.loads(os.environ["CORRIDORS_UPLOAD_LIMITS"])


def _sandbox(limits: dict) -> None:
    """Cap this process's memory and CPU time (Linux): a hostile file cannot take the machine with it."""
    try:
        import resource

        memory = int(limits["memory_bytes"])
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        cpu = int(limits["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    except (ImportError, ValueError, OSError):  # not Linux: the parent's time limit still applies
        pass


def _fail(where: str, what: str) -> None:
    print(json.dumps({"ok": False, "where": where, "what": what}))
    raise SystemExit(0)


# GPX: the waypoints, routes and tracks (its *_points layers repeat their vertices one per feature).
GPX_LAYERS = ("waypoints", "routes", "tracks")
CSV_OPTIONS = {
    "X_POSSIBLE_NAMES": "longitude,lon,lng,long,x",
    "Y_POSSIBLE_NAMES": "latitude,lat,y",
    "GEOM_POSSIBLE_NAMES": "wkt,geometry,geom,the_geom,shape",
    "KEEP_GEOM_COLUMNS": "NO",
    "AUTODETECT_TYPE": "NO",
    "EMPTY_STRING_AS_NULL": "YES",
}


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _csv_encoding(path: str, notes: list[str]) -> str | None:
    """None for UTF-8; else what Excel on Windows writes (Windows-1252), or Latin-1, which reads any byte."""
    with open(path, "rb") as fh:
        raw = fh.read()
    for encoding, label in ((None, ""), ("cp1252", "Windows-1252")):
        try:
            raw.decode(encoding or "utf-8")
        except UnicodeDecodeError:
            continue
        if encoding:
            notes.append(f"not UTF-8 text: read as {label}")
        return encoding
    notes.append("not UTF-8 text: read as Latin-1")
    return "latin-1"


def main(path: str, fmt: str) -> None:
    limits = _limits()
    _sandbox(limits)
    warnings.simplefilter("ignore")
    import geopandas
    import numpy as np
    import pyogrio
    import shapely
    from pyproj import CRS

    try:
        listed = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL's own words on why it cannot open the file
        _fail("file", f"cannot be read as {limits['label']}: {str(exc).split(';')[0]}")
    if fmt == "gpx":
        listed = [name for name in listed if name in GPX_LAYERS]
    if not listed:
        _fail("file", "holds no layer")
    if len(listed) > limits["max_layers"]:
        _fail("file", f"holds {len(listed):,} layers; the limit is {limits['max_layers']:,}")
    options = CSV_OPTIONS if fmt == "csv" else {}
    max_features, max_vertices = limits["max_features"], limits["max_vertices"]
    out, fields, notes, total, vertices, crs_names = [], [], [], 0, 0, set()
    encoding = _csv_encoding(path, notes) if fmt == "csv" else None
    for layer in listed:
        where = f"layer {layer!r}" if len(listed) > 1 else "file"
        said = f"{where}: " if len(listed) > 1 else ""  # a note of the only layer is about the file
        try:
            frame = pyogrio.read_dataframe(
                path,
                layer=layer,
                max_features=max_features + 1 - total,
                use_arrow=False,
                datetime_as_string=True,
                encoding=encoding,
                **options,
            )
        except Exception as exc:
            _fail(where, f"cannot be read as {limits['label']}: {str(exc).split(';')[0]}")
        if len(frame) == 0:  # an empty layer (a GPX without routes)
            continue
        if not isinstance(frame, geopandas.GeoDataFrame) or frame.geometry.isna().all():
            if len(listed) > 1:  # a table beside the layers of a GeoPackage: nothing to draw
                notes.append(f"{said}has no geometry; left out")
                continue
            _fail(
                where,
                "has no geometry: a CSV needs latitude and longitude columns (lat/lon, y/x) or a WKT column"
                if fmt == "csv"
                else "has no geometry",
            )
        total += len(frame)
        if total > max_features:
            _fail(where, f"has more than {max_features:,} features; the limit is {max_features:,}")
        geoms = frame.geometry.values
        empty = np.asarray(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if empty.any():
            notes.append(f"{said}{int(empty.sum()):,} feature(s) without a geometry left out")
            frame = frame[~empty]
        if frame.empty:
            continue
        vertices += int(shapely.get_num_coordinates(frame.geometry.values).sum())
        if vertices > max_vertices:
            _fail(where, f"has more than {max_vertices:,} vertices; the limit is {max_vertices:,}")
        coords = shapely.get_coordinates(frame.geometry.values)
        if not np.isfinite(coords).all():
            _fail(where, "has coordinates that are not finite numbers (NaN or infinity)")
        if frame.crs is None:
            if coords.size and (np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
                _fail(
                    where,
                    "names no coordinate reference system and its coordinates are not longitude/latitude "
                    "(beyond ±180/±90): save it with its CRS, or in WGS84",
                )
            notes.append(f"{said}no coordinate reference system given; read as WGS84 longitude/latitude")
        else:
            crs = CRS.from_user_input(frame.crs)
            if not crs.equals("EPSG:4326", ignore_axis_order=True):
                crs_names.add(crs.to_string())
                try:
                    frame = frame.to_crs(4326)
                except Exception as exc:
                    _fail(where, f"cannot be reprojected from {crs.to_string()} to WGS84: {exc}")
                coords = shapely.get_coordinates(frame.geometry.values)
                if not np.isfinite(coords).all():
                    _fail(where, f"has coordinates outside what {crs.to_string()} can turn into longitude/latitude")
        if coords.size and (np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
            _fail(where, "has coordinates outside longitude ±180 / latitude ±90")
        columns = [c for c in frame.columns if c != frame.geometry.name][: limits["max_fields"]]
        if len(listed) > 1:
            columns = ["layer", *columns]
            frame = frame.assign(layer=layer)
        for c in columns:
            name = _text(c, 64)
            if name not in fields:
                fields.append(name)
        cut = limits["max_value_chars"]
        for geom, values in zip(
            shapely.to_wkb(frame.geometry.values, hex=True), frame[columns].itertuples(index=False, name=None)
        ):
            out.append([geom, {_text(c, 64): _text(v, cut) for c, v in zip(columns, values)}])
    if not out:
        _fail("file", "has no feature with a geometry")
    if crs_names:
        notes.append("reprojected from " + ", ".join(sorted(crs_names)) + " to WGS84 (EPSG:4326)")
    print(json.dumps({"ok": True, "features": out, "fields": fields, "notes": notes, "vertices": vertices}))


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except MemoryError:
        _fail("file", "needs more memory to read than an upload may use; refused")
    except Exception as exc:  # the sandbox's one net: whatever GDAL or a library raised on this file, in words
        _fail("file", f"cannot be read: {type(exc).__name__}: {str(exc)[:300]}")
