"""Parse each kind of data file into typed records, recording every problem found on the way.

Each file's shape is checked against its strict model in schema.py (unknown keys, types, ranges, dates);
geometry is checked here (type, positions, size); checks that span files live in validation.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.errors
from shapely.geometry import LineString, Point, shape

from corridors.data import schema
from corridors.data.files import path_kind
from corridors.data.model import (
    Alternative,
    AtlasInfo,
    Closure,
    Corridor,
    Cost,
    Event,
    Excerpt,
    Link,
    Member,
    Node,
    Organisation,
    PublishedLength,
    Segment,
)
from corridors.data.readers import Located, parse_json, read_text, read_yaml_located
from corridors.data.schema import ID_RE, ISO3_RE, with_line  # noqa: F401 - ID_RE is imported from here
from corridors.errors import Problem, os_problem

MB = 1024 * 1024
# Limits no real file reaches (the largest segment file is 15 KB, countries.geojson 0.3 MB), so that a
# runaway file is refused quickly and in bounded memory instead of being parsed.
MAX_SEGMENT_FILE_BYTES = 5 * MB
MAX_SEGMENT_POSITIONS = 50_000
MAX_YAML_BYTES = 10 * MB
MAX_GEOJSON_BYTES = 50 * MB
_SEGMENT_WHY = " for a segment file (a corridor traced in detail needs well under 1 MB)"
_FEATURE_RE = re.compile(r'"type"\s*:\s*"Feature"')


def entry_place(kind: str, index: int, data: Any) -> str:
    """How an entry of a YAML list file is named in problems: by its id when it has one, else its index."""
    ident = data.get("id") if isinstance(data, dict) else None
    return f"{kind} {ident!r}" if isinstance(ident, str) and ident else f"{kind} {index}"


def _feature_where(index: int, props: Any) -> str:
    ident = props.get("id") if isinstance(props, dict) else None
    return f"feature {index} (id {ident!r})" if isinstance(ident, str) and ident else f"feature {index}"


def _check_position(pos: Any) -> str | None:
    if not isinstance(pos, list) or len(pos) not in (2, 3) or not all(schema.finite(v) for v in pos):
        return f"position {pos!r} is not [longitude, latitude] (or [longitude, latitude, height])"[:200]
    lon, lat = pos[0], pos[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        return (
            f"coordinates [{lon}, {lat}] out of range: longitude must be within -180..180 and latitude within -90..90"
        )
    return None


def _geometry(feature: dict, expected: str, label: str, where: str, problems: list[Problem]):
    geom = feature.get("geometry")
    if not isinstance(geom, dict) or "type" not in geom:
        problems.append(Problem(label, where, "has no geometry"))
        return None
    if geom["type"] != expected:
        problems.append(Problem(label, where, f"geometry is {geom['type']}, expected {expected}"))
        return None
    coords = geom.get("coordinates")
    positions = [coords] if expected == "Point" else coords
    if not isinstance(positions, list) or (expected == "LineString" and len(positions) < 2):
        problems.append(Problem(label, where, f"{expected} has too few coordinates"))
        return None
    if len(positions) > MAX_SEGMENT_POSITIONS:
        problems.append(
            Problem(
                label,
                where,
                f"line has {len(positions):,} positions, more than the "
                f"{MAX_SEGMENT_POSITIONS:,} allowed for one segment",
            )
        )
        return None
    for pos in positions:
        error = _check_position(pos)
        if error:
            problems.append(Problem(label, where, error))
            return None
    xy = [(float(p[0]), float(p[1])) for p in positions]
    if expected == "Point":
        return Point(xy[0])
    if len(set(xy)) < 2:
        problems.append(Problem(label, where, "line has no length: all its positions are the same point"))
        return None
    return LineString(xy)


def _features(path: Path, label: str, problems: list[Problem], max_bytes: int, why: str = ""):
    """The features of a FeatureCollection file, each with its line when the file puts one per line."""
    text = read_text(path, label, problems, max_bytes, why)
    data = None if text is None else parse_json(text, label, problems)
    if data is None:
        return []
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        problems.append(Problem(label, "file", "is not a GeoJSON FeatureCollection"))
        return []
    unknown = sorted(set(data) - {"type", "features", "name", "crs", "bbox", "provenance"})
    if unknown:
        problems.append(
            Problem(
                label,
                "file",
                f"unknown key(s) {', '.join(map(repr, unknown))} in the "
                "FeatureCollection; allowed: type, features, name, crs, bbox, provenance",
            )
        )
    features = data["features"]
    starts = _feature_lines(text)
    one_per_line = len(starts) == len(features) and len(set(starts)) == len(starts)
    lines = starts if one_per_line else [None] * len(features)
    return list(zip(features, lines))


def _feature_lines(text: str) -> list[int]:
    """The 1-based line of each '"type": "Feature"' in the text, counting newlines once over the text
    (from each match to the next), not from the start for every match (quadratic in a large file)."""
    lines, line, pos = [], 1, 0
    for m in _FEATURE_RE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.append(line)
    return lines


def _feature_records(
    path: Path, label: str, model, problems: list[Problem], max_bytes: int = MAX_GEOJSON_BYTES, why: str = ""
):
    """(feature, where, validated properties) for each feature whose properties fit `model`."""
    for i, (feature, line) in enumerate(_features(path, label, problems, max_bytes, why)):
        props = feature.get("properties") if isinstance(feature, dict) else None
        where = with_line(_feature_where(i, props), line)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(label, where, "is not a GeoJSON Feature"))
            continue
        unknown = sorted(set(feature) - {"type", "properties", "geometry", "id", "bbox"})
        if unknown:
            problems.append(
                Problem(
                    label,
                    where,
                    f"unknown key(s) {', '.join(map(repr, unknown))} in the feature (data goes in 'properties')",
                )
            )
        if not isinstance(props, dict):
            problems.append(Problem(label, where, "has no properties"))
            continue
        record = schema.check(model, props, label, where, problems)
        yield feature, where, record, props


def _unique(kind: str, ident: str, seen: dict[str, str], label: str, where: str, problems: list[Problem]) -> bool:
    if not ident:
        return False
    if ident in seen:
        problems.append(Problem(label, where, f"duplicate {kind} id {ident!r} (first in {seen[ident]})"))
        return False
    seen[ident] = f"{label}: {where}"
    return True


def _declare(props: dict, seen: dict[str, str], kind: str, label: str, where: str, problems: list[Problem]) -> bool:
    """Declare the id a record gives even when the record itself is refused (so references to it are not
    reported again as unknown); False when the id is a duplicate."""
    ident = props.get("id")
    return _unique(kind, ident, seen, label, where, problems) if isinstance(ident, str) and ident else False


def _lengths(items) -> tuple[PublishedLength, ...]:
    return tuple(PublishedLength(km=float(p.km), source=p.source, scope=p.scope, covers=p.covers) for p in items)


def _costs(items) -> tuple[Cost, ...]:
    return tuple(Cost(float(c.amount), c.currency, c.scale, c.source, c.covers, c.scope, c.date, c.note) for c in items)


def _events(items) -> tuple[Event, ...]:
    return tuple(Event(e.date, e.kind, e.source, e.note, e.announced) for e in items)


def load_atlas_info(path: Path, label: str, problems: list[Problem]) -> AtlasInfo | None:
    """geodata/atlas.yaml: a mapping with `updated` (YYYY-MM-DD) and an optional `note`."""
    before = len(problems)
    located = read_yaml_located(path, label, problems, MAX_YAML_BYTES)
    if located is None or len(problems) > before:
        return None
    record = schema.check(schema.AtlasIn, located.value, label, "file", problems, line_of=located.line)
    return AtlasInfo(record.updated, record.note) if record is not None else None


def load_nodes(path: Path, label: str, seen: dict[str, str], problems: list[Problem]) -> dict[str, Node]:
    """Nodes by id; `seen` collects every id declared, including those of nodes dropped for problems."""
    nodes: dict[str, Node] = {}
    for feature, where, n, props in _feature_records(path, label, schema.NodeIn, problems):
        fresh = _declare(props, seen, "node", label, where, problems)
        point = _geometry(feature, "Point", label, where, problems)
        if fresh and n is not None and point is not None:
            nodes[n.id] = Node(n.id, n.name, n.kind, n.country, point, n.source, tuple(n.aliases))
    return nodes


def load_segments(
    path: Path, label: str, corridor_id: str, seen: dict[str, str], problems: list[Problem]
) -> dict[str, Segment]:
    segments: dict[str, Segment] = {}
    for feature, where, s, props in _feature_records(
        path, label, schema.SegmentIn, problems, MAX_SEGMENT_FILE_BYTES, _SEGMENT_WHY
    ):
        fresh = _declare(props, seen, "segment", label, where, problems)
        line = _geometry(feature, "LineString", label, where, problems)
        if fresh and s is not None and line is not None:
            segments[s.id] = Segment(
                id=s.id,
                corridor=corridor_id,
                from_node=s.from_,
                to_node=s.to,
                mode=s.mode,
                status=s.status,
                accuracy=s.accuracy,
                line=line,
                sources=tuple(s.sources),
                gauge_mm=s.gauge_mm,
                via=tuple(s.via),
                agreed=s.agreed,
                opened=s.opened,
                published_lengths=_lengths(s.published_lengths),
                note=s.note,
                gauge_change=tuple(s.gauge_change_mm) if s.gauge_change_mm else None,
                as_of=s.as_of,
                status_source=s.status_source,
                status_note=s.status_note,
                events=_events(s.events),
                closures=tuple(Closure(c.from_, c.to, c.source, c.note, c.until) for c in s.closures),
                costs=_costs(s.costs),
            )
    return segments


def _read_list(
    path: Path, label: str, what: str, problems: list[Problem], allow_empty: bool = False
) -> tuple[list, Located | None]:
    """A YAML file that holds a list; a problem when it is not one (or, unless allowed, is empty)."""
    before = len(problems)
    located = read_yaml_located(path, label, problems, MAX_YAML_BYTES)
    if located is None or len(problems) > before:
        return [], None
    data = located.value
    if data is None or data == []:
        if not allow_empty:
            problems.append(Problem(label, "file", f"has no {what}"))
        return [], located
    if not isinstance(data, list):
        problems.append(Problem(label, "file", f"must be a list of {what}, not {type(data).__name__}"))
        return [], located
    return data, located


def list_entries(path: Path, label: str, kind: str, what: str, model, problems: list[Problem], allow_empty=False):
    """(index, where, validated record or None, raw item) for each entry of a YAML list file."""
    items, located = _read_list(path, label, what, problems, allow_empty)
    for i, item in enumerate(items):
        where = with_line(entry_place(kind, i, item), located.line((i,)))
        record = schema.check(
            model, item, label, entry_place(kind, i, item), problems, line_of=lambda loc, i=i: located.line((i, *loc))
        )
        yield i, where, record, item


def load_corridors(
    path: Path, label: str, problems: list[Problem], seen: dict[str, str] | None = None
) -> dict[str, Corridor]:
    """Corridors by id; `seen` collects every id declared, including those of corridors dropped for problems."""
    corridors: dict[str, Corridor] = {}
    seen = {} if seen is None else seen
    for _, where, c, item in list_entries(path, label, "corridor", "corridors", schema.CorridorIn, problems):
        if c is None:
            if isinstance(item, dict):
                _declare(item, seen, "corridor", label, where, problems)
            continue
        alternatives = []
        for alt in c.alternatives:
            if _unique("corridor", alt.id, seen, label, f"{where} alternative {alt.id!r}", problems):
                alternatives.append(Alternative(alt.id, alt.name, tuple(alt.segments), alt.description))
        if _declare(item, seen, "corridor", label, where, problems):
            corridors[c.id] = Corridor(
                id=c.id,
                name=c.name,
                mode=c.mode,
                status=c.status,
                description=c.description,
                segments=tuple(c.segments),
                aliases=tuple(c.aliases),
                alternatives=tuple(alternatives),
                agreed=c.agreed,
                opened=c.opened,
                published_lengths=_lengths(c.published_lengths),
                sources=tuple(c.sources),
                role=c.role,
                as_of=c.as_of,
                status_source=c.status_source,
                status_note=c.status_note,
                events=_events(c.events),
                costs=_costs(c.costs),
            )
    return corridors


def load_organisations(path: Path, label: str, problems: list[Problem]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    seen: dict[str, str] = {}
    for _, where, o, _item in list_entries(
        path, label, "organisation", "organisations", schema.OrganisationIn, problems
    ):
        if o is not None and _unique("organisation", o.id, seen, label, where, problems):
            members = tuple(Member(m.country, m.joined, m.note) for m in o.members)
            orgs[o.id] = Organisation(o.id, o.name, members, tuple(o.aliases), o.founded, tuple(o.sources))
    return orgs


LINK_KINDS = (("corridors", "corridor"), ("nodes", "node"), ("organisations", "organisation"))


def load_links(path: Path, label: str, problems: list[Problem]) -> list[tuple[str, Excerpt]]:
    """Stored excerpts (curated, suppressions, and automatic links recorded by add-article), each with the
    place it was read from (for later cross-file problems)."""
    out = []
    ids: dict[str, str] = {}
    for _, where, e, _item in list_entries(
        path, label, "excerpt", "excerpts", schema.LinkIn, problems, allow_empty=True
    ):
        if e is None or (e.id and not _unique("excerpt", e.id, ids, label, where, problems)):
            continue
        origin = "suppressed" if e.suppress else e.origin
        targets = {"corridors": e.corridors, "nodes": e.nodes, "organisations": e.organisations}
        links = tuple(Link(kind, ident, origin) for key, kind in LINK_KINDS for ident in targets[key])
        extra = {k: v for k, v in (("quote", e.quote), ("id", e.id), ("reason", e.reason)) if v}
        out.append((where, Excerpt(e.article, e.paragraph, e.start, e.end, links=links, extra=extra)))
    return out


def load_countries(path: Path, label: str, problems: list[Problem], declared: set[str] | None = None):
    """Country polygons as a GeoDataFrame with iso3, name and note columns (EPSG:4326); `declared` collects
    every country code given, including those of countries refused for their geometry."""
    import geopandas as gpd

    rows = []
    count = 0
    for feature, where, c, props in _feature_records(path, label, schema.CountryIn, problems):
        count += 1
        if declared is not None and isinstance(props.get("iso3"), str):
            declared.add(props["iso3"])
        geom = feature.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geom.get("type") if isinstance(geom, dict) else "missing"
            problems.append(Problem(label, where, f"geometry is {kind}, expected Polygon or MultiPolygon"))
            continue
        try:
            polygon = shape(geom)
        except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
            problems.append(Problem(label, where, f"invalid polygon: {str(exc)[:200]}"))
            continue
        bad = _bad_position(shapely.get_coordinates(polygon, include_z=True))
        if bad:
            problems.append(Problem(label, where, f"polygon {bad}"))
            continue
        if polygon.is_empty:
            problems.append(Problem(label, where, "polygon is empty"))
            continue
        if c is not None:
            rows.append({"iso3": c.iso3, "name": c.name, "note": c.note, "geometry": polygon})
    if count == 0 and not any(p.file == label for p in problems):
        problems.append(Problem(label, "file", "has no countries: the map and the countries crossed need them"))
    return gpd.GeoDataFrame(rows, columns=["iso3", "name", "note", "geometry"], geometry="geometry", crs="EPSG:4326")


def _bad_position(xyz: np.ndarray) -> str | None:
    """The first position of an (n, 3) coordinate array that is not finite or is out of range."""
    finite = np.isfinite(xyz[:, :2]).all(axis=1)
    inside = finite & (np.abs(xyz[:, 0]) <= 180) & (np.abs(xyz[:, 1]) <= 90)
    if inside.all():
        return None
    i = int(np.argmin(inside))
    pos = [float(v) for v in xyz[i, :2]]
    return _check_position(pos) or f"position {pos!r} is not valid"


def folder_files(
    root: Path, name: str, suffix: str, atlas, problems: list[Problem], required: bool = True
) -> list[Path] | None:
    """The files ending in `suffix` in the folder `root/name`, sorted; None (after one problem naming the
    folder) when it is missing, is not a folder, or cannot be read."""
    folder = root / name
    label = atlas.label(name) + "/"
    try:
        if not folder.exists():
            if required:
                problems.append(Problem(label, "folder", "is missing"))
            return None if required else []
        if not folder.is_dir():
            problems.append(Problem(label, "folder", "is a file, not a folder"))
            return None
        return sorted(p for p in folder.iterdir() if p.name.endswith(suffix) and not p.name.startswith("."))
    except OSError as exc:
        problems.append(os_problem(label, "cannot be read", exc, "folder"))
        return None


def data_folder_readable(root: Path, problems: list[Problem]) -> bool:
    """Whether the data folder is a folder this process may list and enter; else one problem naming it."""
    kind, error = path_kind(root)
    if error is not None:
        problems.append(os_problem(root, "cannot be read", error, "folder"))
        return False
    if kind != "folder":
        problems.append(Problem(str(root), "folder", "does not exist or is not a folder"))
        return False
    try:
        with os.scandir(root) as entries:
            next(entries, None)
        os.stat(os.path.join(root, "."))  # may the folder be entered (x), not only listed (r)?
    except OSError as exc:
        problems.append(os_problem(root, "cannot be read", exc, "folder"))
        return False
    return True
