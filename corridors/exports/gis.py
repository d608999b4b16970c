"""The atlas for GIS tools: a GeoPackage, CSV and KML, written by GDAL (pyogrio), never by hand.

`atlas_layers` turns the atlas (or the segments shown) into five GeoDataFrames in EPSG:4326, each attribute
beside the source that gives it:

- `segments`: one line per segment, every field of `info --json`'s segment (lists as "; "-joined text, the
  published lengths, costs, events and closures also as JSON text);
- `corridors`: one MultiLineString per corridor (its segments shown) with its figures;
- `places`: the named places the segments shown start or end at (all places for the whole atlas);
- `borders_crossed`: where a segment shown runs from one country into another (its border post);
- `events`: one row per dated event of a corridor or segment shown, on its line (the time model).

The writers return bytes (for the dashboard's downloads) or write files (the CLI); GDAL always writes into a
private temporary folder that is removed in `finally`, and the bytes are then put in place whole.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import MultiLineString

from corridors import settings
from corridors.data.atlas import Atlas
from corridors.data.records import plain
from corridors.errors import CorridorsError, Problem, os_problem
from corridors.exports.write import out_kind, write_bytes_atomically
from corridors.geo.routes import segment_borders
from corridors.safe import html_text
from corridors.summaries import corridor_info, segment_record

FORMATS = ("gpkg", "csv", "kml")
LAYERS = ("segments", "corridors", "places", "borders_crossed", "events")
CRS = "EPSG:4326"
KML_DRIVER = "LIBKML"  # writes the OGR style string as a KML <Style>; GDAL's plain KML driver does too, less fully
MIME = {
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
    "kml": "application/vnd.google-earth.kml+xml",
    "geojson": "application/geo+json",
}


@dataclass(frozen=True)
class AtlasLayers:
    """The five layers of an export, as GeoDataFrames in EPSG:4326 (`events` may be empty)."""

    segments: gpd.GeoDataFrame
    corridors: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    borders_crossed: gpd.GeoDataFrame
    events: gpd.GeoDataFrame

    def items(self) -> list[tuple[str, gpd.GeoDataFrame]]:
        return [(name, getattr(self, name)) for name in LAYERS]


def _text(values: Iterable) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def _json(value) -> str:
    return json.dumps(plain(value), ensure_ascii=False) if value else ""


def _lengths_text(items) -> str:
    """'1,300 km (Source A); 887 km, Havelian–Khunjerab (Source B)': each figure with its source."""
    return "; ".join(
        f"{p.km:,g} km" + (f", {p.covers}: {p.scope}" if p.scope else "") + f" ({p.source})" for p in items
    )


def _frame(rows: list[dict], geometry: list, columns: dict[str, str]) -> gpd.GeoDataFrame:
    """A GeoDataFrame with the columns typed (str, float, Int64, bool) so every layer has its types even
    when it has no row."""
    frame = pd.DataFrame(rows, columns=list(columns))
    for name, kind in columns.items():
        if kind == "str":
            frame[name] = frame[name].fillna("").astype(str)
        elif kind == "int":
            frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
        elif kind == "float":
            frame[name] = pd.to_numeric(frame[name]).astype(float)
        elif kind == "bool":
            frame[name] = frame[name].fillna(False).astype(bool)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


SEGMENT_COLUMNS = {
    "segment_id": "str",
    "corridor_id": "str",
    "corridor_name": "str",
    "from_id": "str",
    "from_name": "str",
    "to_id": "str",
    "to_name": "str",
    "mode": "str",
    "status": "str",
    "status_as_of": "str",
    "status_source": "str",
    "status_note": "str",
    "gauge_mm": "int",
    "gauge_change_mm": "str",
    "gauge": "str",
    "accuracy": "str",
    "via": "str",
    "agreed": "str",
    "opened": "str",
    "drawn_km": "float",
    "drawn_km_source": "str",
    "published_lengths": "str",
    "published_lengths_json": "str",
    "costs_json": "str",
    "closures_json": "str",
    "events_json": "str",
    "sources": "str",
    "note": "str",
    "colour": "str",
    "data_updated": "str",
}
DRAWN_KM_SOURCE = "geodesic length of the drawn line (WGS84 ellipsoid); see accuracy"

CORRIDOR_COLUMNS = {
    "corridor_id": "str",
    "name": "str",
    "aliases": "str",
    "role": "str",
    "mode": "str",
    "status": "str",
    "status_as_of": "str",
    "status_source": "str",
    "status_note": "str",
    "agreed": "str",
    "opened": "str",
    "description": "str",
    "countries": "str",
    "km_by_country": "str",
    "drawn_km": "float",
    "drawn_km_source": "str",
    "published_km": "float",
    "published_km_min": "float",
    "published_km_max": "float",
    "published_km_sources": "str",
    "published_lengths": "str",
    "published_lengths_json": "str",
    "costs_json": "str",
    "events_json": "str",
    "sources": "str",
    "segments": "str",
    "segments_shown": "int",
    "colour": "str",
    "data_updated": "str",
}

PLACE_COLUMNS = {
    "place_id": "str",
    "name": "str",
    "aliases": "str",
    "kind": "str",
    "country": "str",
    "country_name": "str",
    "source": "str",
}

BORDER_COLUMNS = {
    "name": "str",
    "from_country": "str",
    "to_country": "str",
    "segment_id": "str",
    "corridor_id": "str",
    "mode": "str",
    "places": "str",
    "source": "str",
}

EVENT_COLUMNS = {
    "of": "str",  # "corridor" or "segment"
    "corridor_id": "str",
    "segment_id": "str",
    "date": "str",
    "kind": "str",
    "announced": "bool",
    "source": "str",
    "note": "str",
}


def atlas_layers(atlas: Atlas, colours: dict[str, str], segment_ids: Iterable[str] | None = None) -> AtlasLayers:
    """The export's five layers for the whole atlas, or for the segments in `segment_ids` (what a page shows).

    `colours` maps corridor ids to their map colours (MapData.colours)."""
    wanted = None if segment_ids is None else set(segment_ids)
    shown = [s for s in atlas.segments.values() if wanted is None or s.id in wanted]
    shown_ids = {s.id for s in shown}

    rows, lines = [], []
    for seg in shown:
        rec = segment_record(atlas, seg)
        corridor = atlas.corridors.get(seg.corridor)
        rows.append(
            {
                "segment_id": seg.id,
                "corridor_id": seg.corridor,
                "corridor_name": corridor.name if corridor else "",
                "from_id": rec.from_,
                "from_name": rec.from_name,
                "to_id": rec.to_,
                "to_name": rec.to_name,
                "mode": rec.mode,
                "status": rec.status,
                "status_as_of": rec.as_of,
                "status_source": rec.status_source,
                "status_note": rec.status_note,
                "gauge_mm": rec.gauge_mm,
                "gauge_change_mm": " → ".join(str(g) for g in rec.gauge_change_mm or ()),
                "gauge": rec.gauge,
                "accuracy": rec.accuracy,
                "via": _text(rec.via),
                "agreed": rec.agreed,
                "opened": rec.opened,
                "drawn_km": rec.length_km,
                "drawn_km_source": DRAWN_KM_SOURCE,
                "published_lengths": _lengths_text(rec.published_lengths),
                "published_lengths_json": _json(rec.published_lengths),
                "costs_json": _json(rec.costs),
                "closures_json": _json(rec.closures),
                "events_json": _json(rec.events),
                "sources": _text(rec.sources),
                "note": rec.note,
                "colour": colours.get(seg.corridor, ""),
                "data_updated": atlas.updated,
            }
        )
        lines.append(seg.line)
    segments = _frame(rows, lines, SEGMENT_COLUMNS)

    rows, lines, corridor_lines = [], [], {}
    for cid in atlas.corridors:
        route = [s for s in atlas.route(cid) if s.id in shown_ids]
        route += [s for s in shown if s.corridor == cid and s not in route]  # its alternatives' segments
        if not route:
            continue
        rec = corridor_info(atlas, cid)
        rng = rec.published_length_range_km
        rows.append(
            {
                "corridor_id": cid,
                "name": rec.name,
                "aliases": _text(rec.aliases),
                "role": rec.role,
                "mode": rec.mode,
                "status": rec.status,
                "status_as_of": rec.as_of,
                "status_source": rec.status_source,
                "status_note": rec.status_note,
                "agreed": rec.agreed,
                "opened": rec.opened,
                "description": rec.description,
                "countries": " → ".join(rec.countries),
                "km_by_country": "; ".join(f"{c} {km:g} km" for c, km in rec.km_by_country.items()),
                "drawn_km": rec.length_km,
                "drawn_km_source": DRAWN_KM_SOURCE + " (main alignment)",
                "published_km": rec.published_length_km,
                "published_km_min": rng[0] if rng else None,
                "published_km_max": rng[1] if rng else None,
                "published_km_sources": _text(rec.published_length_sources),
                "published_lengths": _lengths_text(rec.published_lengths),
                "published_lengths_json": _json(rec.published_lengths),
                "costs_json": _json(rec.costs),
                "events_json": _json(rec.events),
                "sources": _text(rec.sources),
                "segments": _text(s.id for s in route),
                "segments_shown": len(route),
                "colour": colours.get(cid, ""),
                "data_updated": atlas.updated,
            }
        )
        corridor_lines[cid] = MultiLineString([s.line for s in route])
        lines.append(corridor_lines[cid])
    corridors = _frame(rows, lines, CORRIDOR_COLUMNS)

    ends = {n for s in shown for n in (s.from_node, s.to_node)}
    places_shown = [n for n in atlas.nodes.values() if wanted is None or n.id in ends]
    names = atlas.country_names
    places = _frame(
        [
            {
                "place_id": n.id,
                "name": n.name,
                "aliases": _text(n.aliases),
                "kind": n.kind,
                "country": n.country,
                "country_name": names.get(n.country, n.country),
                "source": n.source,
            }
            for n in places_shown
        ],
        [n.point for n in places_shown],
        PLACE_COLUMNS,
    )

    rows, points = [], []
    for border in segment_borders(atlas, shown):
        seg = atlas.segments[border.segment]
        post = atlas.nodes[border.nodes[-1]] if border.nodes[-1] in atlas.nodes else None
        rows.append(
            {
                "name": border.name,
                "from_country": border.from_country,
                "to_country": border.to_country,
                "segment_id": border.segment,
                "corridor_id": seg.corridor,
                "mode": border.mode,
                "places": _text(border.nodes),
                "source": f"position: {post.source}; countries: nodes.geojson" if post else "nodes.geojson",
            }
        )
        points.append(post.point if post else None)
    borders = _frame(rows, points, BORDER_COLUMNS)

    rows, lines = [], []
    for cid, corridor in atlas.corridors.items():
        if cid not in corridor_lines:
            continue
        for e in corridor.events:
            rows.append({"of": "corridor", "corridor_id": cid, "segment_id": "", **_event(e)})
            lines.append(corridor_lines[cid])
    for seg in shown:
        for e in seg.events:
            rows.append({"of": "segment", "corridor_id": seg.corridor, "segment_id": seg.id, **_event(e)})
            lines.append(seg.line)
    events = _frame(rows, lines, EVENT_COLUMNS)
    return AtlasLayers(segments, corridors, places, borders, events)


def _event(e) -> dict:
    return {"date": e.date, "kind": e.kind, "announced": e.announced, "source": e.source, "note": e.note}


# ---- writers -----------------------------------------------------------------------------------------------


def _scratch() -> tempfile.TemporaryDirectory:
    """A private folder for GDAL's output, in memory (/dev/shm) where the system has one."""
    shm = Path("/dev/shm")
    return tempfile.TemporaryDirectory(prefix="corridors-", dir=shm if shm.is_dir() else None)


def gpkg_bytes(layers: Iterable[tuple[str, gpd.GeoDataFrame]]) -> bytes:
    """A GeoPackage holding each (name, frame) as a layer of that name, typed, in EPSG:4326."""
    with _scratch() as tmp:
        path = Path(tmp) / "export.gpkg"
        for name, frame in layers:
            pyogrio.write_dataframe(
                frame,
                path,
                layer=name,
                driver="GPKG",
                append=path.exists(),
                # a multi-line layer stays multi even when one corridor has one line (QGIS reads the type)
                promote_to_multi=name in ("corridors", "events"),
            )
        return path.read_bytes()


def csv_bytes(frame: gpd.GeoDataFrame, wkt: bool = False) -> bytes:
    """One layer as CSV for Excel: UTF-8 with a byte-order mark, one row per feature, and with `wkt` the
    geometry as a first column `WKT`."""
    with _scratch() as tmp:
        path = Path(tmp) / "export.csv"
        data = frame if wkt else pd.DataFrame(frame.drop(columns=frame.geometry.name))
        options = {"WRITE_BOM": "YES", "LINEFORMAT": "CRLF"}
        if wkt:
            options["GEOMETRY"] = "AS_WKT"
        pyogrio.write_dataframe(data, path, driver="CSV", layer_options=options)
        return path.read_bytes()


def _kml_colour(hex_colour: str, status: str) -> str:
    """An OGR pen colour: the corridor's colour, half transparent when it is not (yet) built."""
    alpha = "" if status in ("operational", "under_construction") else "99"
    return f"{hex_colour or '#333333'}{alpha}"


def corridor_description(row) -> str:
    """A corridor's facts as KML description HTML, every value escaped."""
    facts = [
        ("Status", f"{settings.STATUS_LABELS.get(row.status, row.status)} as of {row.status_as_of}"),
        ("Status source", row.status_source),
        ("Mode", row.mode),
        ("Countries", row.countries),
        ("Drawn", f"{row.drawn_km:,g} km ({row.drawn_km_source})"),
        ("Published", row.published_lengths or "no figure found"),
        ("Agreed", row.agreed),
        ("Opened", row.opened),
        ("Segments", f"{row.segments_shown}"),
        ("Sources", row.sources),
        ("Data as of", row.data_updated),
    ]
    items = "".join(f"<tr><th>{html_text(k)}</th><td>{html_text(v)}</td></tr>" for k, v in facts if v)
    return f"<p>{html_text(row.description)}</p><table>{items}</table>"


def kml_bytes(layers: AtlasLayers) -> bytes:
    """KML of the corridors (each in its colour, its width by status, its facts in the description) and
    the places, one folder each."""
    corridors = layers.corridors
    kml = gpd.GeoDataFrame(
        {
            "Name": corridors["name"],
            "Description": [corridor_description(r) for r in corridors.itertuples()],
            "OGR_STYLE": [
                f"PEN(c:{_kml_colour(r.colour, r.status)},w:{settings.STATUS_WEIGHT.get(r.status, 3)}px)"
                for r in corridors.itertuples()
            ],
            "corridor_id": corridors["corridor_id"],
            "status": corridors["status"],
            "mode": corridors["mode"],
        },
        geometry=corridors.geometry,
        crs=CRS,
    )
    places = layers.places
    marks = gpd.GeoDataFrame(
        {
            "Name": places["name"],
            "Description": [
                f"{html_text(r.kind)} in {html_text(r.country_name)}<br>Source: {html_text(r.source)}"
                for r in places.itertuples()
            ],
            "place_id": places["place_id"],
        },
        geometry=places.geometry,
        crs=CRS,
    )
    with _scratch() as tmp:
        path = Path(tmp) / "export.kml"
        pyogrio.write_dataframe(kml, path, layer="corridors", driver=KML_DRIVER)
        pyogrio.write_dataframe(marks, path, layer="places", driver=KML_DRIVER, append=True)
        return path.read_bytes()


def download_bytes(layers: AtlasLayers, fmt: str, wkt: bool = False) -> bytes:
    """The bytes of a download: "gpkg" (all five layers), "csv" (the segments), "kml"."""
    if fmt == "gpkg":
        return gpkg_bytes(layers.items())
    if fmt == "csv":
        return csv_bytes(layers.segments, wkt=wkt)
    if fmt == "kml":
        return kml_bytes(layers)
    raise ValueError(f"unknown format {fmt!r}")


def corridors_csv_path(out: Path) -> Path:
    """Where `export --format csv --out FILE` puts the corridors: beside FILE, `<stem>-corridors.csv`."""
    return out.with_name(f"{out.stem}-corridors{out.suffix or '.csv'}")


def export_gis(
    atlas: Atlas, colours: dict[str, str], fmt: str, out: Path, force: bool = False, wkt: bool = False
) -> list[tuple[Path, int]]:
    """Write the atlas as a GeoPackage, CSV (segments to `out`, corridors beside it) or KML; return each
    file written with its feature count. Nothing is written when a target exists and `force` is false."""
    targets = [out, corridors_csv_path(out)] if fmt == "csv" else [out]
    for target in targets:
        kind = out_kind(target)
        if kind == "folder":
            raise CorridorsError(Problem(str(target), "file", "is a folder, not a file"))
    existing = [t for t in targets if out_kind(t) != "missing"]
    if existing and not force:
        raise CorridorsError([Problem(str(t), "file", "already exists; pass --force to replace it") for t in existing])
    layers = atlas_layers(atlas, colours)
    if fmt == "gpkg":
        parts = [(out, gpkg_bytes(layers.items()), len(layers.segments))]
    elif fmt == "kml":
        parts = [(out, kml_bytes(layers), len(layers.corridors) + len(layers.places))]
    else:
        parts = [
            (out, csv_bytes(layers.segments, wkt), len(layers.segments)),
            (targets[1], csv_bytes(layers.corridors, wkt), len(layers.corridors)),
        ]
    written = []
    for path, content, count in parts:
        try:
            write_bytes_atomically(path, content)
        except OSError as exc:
            raise CorridorsError(os_problem(path, "cannot be written", exc)) from None
        written.append((path, count))
    return written


# ---- an analyst's own layers ----------------------------------------------------------------------------


def _table_name(name: str, taken: set[str]) -> str:
    """A GeoPackage table name from a layer's name: letters, digits and underscores, unique."""
    base = "".join(c if c.isascii() and c.isalnum() else "_" for c in name.lower()).strip("_")[:50] or "layer"
    if base[0].isdigit():
        base = f"layer_{base}"
    out, n = base, 2
    while out in taken or out in LAYERS:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def _column_names(fields: list[str]) -> dict[str, str]:
    """Field name -> a column name SQLite takes: unique regardless of case, none of the GeoPackage's own."""
    out, seen = {}, {"fid", "geom", "geometry", "source_file"}
    for field in fields:
        name, n = field or "field", 2
        while name.lower() in seen:
            name, n = f"{field or 'field'}_{n}", n + 1
        seen.add(name.lower())
        out[field] = name
    return out


def user_layers_gpkg(layers) -> bytes:
    """The session's uploaded layers (data.userlayers.UserLayer) as one GeoPackage, a table per layer with its
    attributes as text and a `source_file` column naming the file each came from."""
    taken: set[str] = set()
    frames = []
    for layer in layers:
        fields = list(dict.fromkeys(k for f in layer.features for k, _ in f.attributes))
        columns = _column_names(fields)
        rows = [{columns[k]: v for k, v in f.attributes} for f in layer.features]
        frame = pd.DataFrame(rows, columns=list(columns.values())).fillna("").astype(str)
        frame["source_file"] = layer.file_name
        gdf = gpd.GeoDataFrame(frame, geometry=[f.geometry for f in layer.features], crs=CRS)
        frames.append((_table_name(layer.name, taken), gdf))
    return gpkg_bytes(frames)
