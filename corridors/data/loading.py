"""Parse each kind of data file into typed records, recording every problem found on the way.

Each parser checks what can be checked within its own file (syntax, geometry type, coordinate range,
required fields, vocabularies, duplicate ids); checks that span files live in validation.py.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import shapely.errors
from shapely.geometry import LineString, Point, shape

from corridors import settings
from corridors.data.dates import is_date
from corridors.data.model import (
    Alternative,
    Corridor,
    Excerpt,
    Link,
    Member,
    Node,
    Organisation,
    PublishedLength,
    Segment,
)
from corridors.data.readers import read_json, read_yaml
from corridors.errors import Problem

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")


class _Fields:
    """Reads typed fields from one mapping, naming the file and the place in every problem."""

    def __init__(self, data: dict[str, Any], label: str, where: str, problems: list[Problem]):
        self.data, self.label, self.where, self.problems = data, label, where, problems

    def problem(self, what: str) -> None:
        self.problems.append(Problem(self.label, self.where, what))

    def text(self, key: str, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"'{key}' is missing")
            return ""
        if not isinstance(value, str):
            self.problem(f"'{key}' must be text, not {type(value).__name__}")
            return ""
        return value

    def ident(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not ID_RE.match(value):
            self.problem(f"'{key}' {value!r} is not a slug (lower-case letters, digits and single hyphens)")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.problem(f"unknown {key} {value!r}; expected one of: {', '.join(allowed)}")
            return ""
        return value

    def mappings(self, key: str) -> list:
        """A list of mappings (e.g. alternatives, members); a problem and [] when it is something else."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list, not {type(value).__name__}")
            return []
        return value

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(f"'{key}' is missing")
            return ()
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list of text, not {type(value).__name__}")
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                hint = " (in YAML, quote text that contains ': ')" if isinstance(item, dict) else ""
                self.problem(f"'{key}' item {i} must be text, not {type(item).__name__}{hint}")
                return ()
        if required and not value:
            self.problem(f"'{key}' is empty")
        return tuple(value)

    def date(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if hasattr(value, "isoformat"):  # YAML turns 2014-12-03 into a date
            return value.isoformat()
        value = str(value)
        if not is_date(value):
            self.problem(f"'{key}' {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(f"'{key}' is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(f"'{key}' must be a whole number ≥ 0, not {value!r}")
            return None
        return value

    def lengths(self, key: str = "published_lengths") -> tuple[PublishedLength, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list of {{km, source, scope}}")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(f"'{key}' item {i} must be a mapping with km and source")
                continue
            km, source = item.get("km"), item.get("source")
            if isinstance(km, bool) or not isinstance(km, (int, float)) or not 0 < km < math.inf:
                self.problem(f"'{key}' item {i}: km must be a positive number, not {km!r}")
                continue
            if not isinstance(source, str) or not source.strip():
                self.problem(f"'{key}' item {i}: source is missing")
                continue
            out.append(PublishedLength(km=float(km), source=source, scope=str(item.get("scope") or "")))
        return tuple(out)


def _where(kind: str, index: int, data: Any) -> str:
    ident = data.get("id") if isinstance(data, dict) else None
    return f"{kind} {index} (id {ident!r})" if isinstance(ident, str) and ident else f"{kind} {index}"


def _check_position(pos: Any) -> str | None:
    if not isinstance(pos, list) or len(pos) < 2 or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in pos[:2]
    ):
        return f"position {pos!r} is not [longitude, latitude]"
    lon, lat = pos[0], pos[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        return (f"coordinates [{lon}, {lat}] out of range: longitude must be within -180..180 "
                "and latitude within -90..90")
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
    for pos in positions:
        error = _check_position(pos)
        if error:
            problems.append(Problem(label, where, error))
            return None
    xy = [(float(p[0]), float(p[1])) for p in positions]
    return Point(xy[0]) if expected == "Point" else LineString(xy)


def _features(path: Path, label: str, problems: list[Problem]) -> list[dict] | None:
    data = read_json(path, label, problems)
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        problems.append(Problem(label, "file", "is not a GeoJSON FeatureCollection"))
        return None
    return data["features"]


def _feature_fields(path: Path, label: str, problems: list[Problem]):
    """Each feature of a FeatureCollection file with its place name and a reader of its properties."""
    for i, feature in enumerate(_features(path, label, problems) or []):
        props = feature.get("properties") if isinstance(feature, dict) else None
        where = _where("feature", i, props or {})
        if not isinstance(props, dict):
            problems.append(Problem(label, where, "has no properties"))
            continue
        yield feature, where, _Fields(props, label, where, problems)


def _unique(kind: str, ident: str, seen: dict[str, str], label: str, where: str, problems: list[Problem]) -> bool:
    if not ident:
        return False
    if ident in seen:
        problems.append(Problem(label, where, f"duplicate {kind} id {ident!r} (first in {seen[ident]})"))
        return False
    seen[ident] = f"{label}: {where}"
    return True


def load_nodes(path: Path, label: str, seen: dict[str, str], problems: list[Problem]) -> dict[str, Node]:
    """Nodes by id; `seen` collects every id declared, including those of nodes dropped for problems."""
    nodes: dict[str, Node] = {}
    for feature, where, f in _feature_fields(path, label, problems):
        node_id, name, kind = f.ident(), f.text("name"), f.choice("kind", settings.NODE_KINDS)
        country, source, aliases = f.text("country"), f.text("source"), f.texts("aliases")
        if country and not ISO3_RE.match(country):
            f.problem(f"country {country!r} is not an ISO 3166-1 alpha-3 code like 'PAK'")
            country = ""
        point = _geometry(feature, "Point", label, where, problems)
        if _unique("node", node_id, seen, label, where, problems) and point is not None and name and kind and country:
            nodes[node_id] = Node(node_id, name, kind, country, point, source, aliases)
    return nodes


def load_segments(path: Path, label: str, corridor_id: str, seen: dict[str, str],
                  problems: list[Problem]) -> dict[str, Segment]:
    segments: dict[str, Segment] = {}
    for feature, where, f in _feature_fields(path, label, problems):
        seg_id, mode = f.ident(), f.choice("mode", settings.MODES)
        values = dict(
            from_node=f.text("from"), to_node=f.text("to"), status=f.choice("status", settings.STATUSES),
            accuracy=f.choice("accuracy", settings.ACCURACIES), sources=f.texts("sources", required=True),
            gauge_mm=f.integer("gauge_mm"), via=f.texts("via"), agreed=f.date("agreed"), opened=f.date("opened"),
            published_lengths=f.lengths(), note=f.text("note", required=False),
        )
        if mode == "rail" and "gauge_mm" not in f.data:
            f.problem("'gauge_mm' is missing (a rail segment states its gauge, or null when unknown)")
        line = _geometry(feature, "LineString", label, where, problems)
        required = (seg_id, mode, values["from_node"], values["to_node"], values["status"], values["accuracy"])
        if _unique("segment", seg_id, seen, label, where, problems) and line is not None and all(required):
            segments[seg_id] = Segment(id=seg_id, corridor=corridor_id, mode=mode, line=line, **values)
    return segments


def _read_list(path: Path, label: str, what: str, problems: list[Problem], allow_empty: bool = False) -> list:
    """A YAML file that holds a list; a problem when it is not one (or, unless allowed, is empty)."""
    before = len(problems)
    data = read_yaml(path, label, problems)
    if len(problems) > before:
        return []
    if data is None or data == []:
        if not allow_empty:
            problems.append(Problem(label, "file", f"has no {what}"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(label, "file", f"must be a list of {what}, not {type(data).__name__}"))
        return []
    return data


def load_corridors(path: Path, label: str, problems: list[Problem]) -> dict[str, Corridor]:
    corridors: dict[str, Corridor] = {}
    seen: dict[str, str] = {}
    for i, item in enumerate(_read_list(path, label, "corridors", problems)):
        where = _where("corridor", i, item)
        if not isinstance(item, dict):
            problems.append(Problem(label, where, "must be a mapping"))
            continue
        f = _Fields(item, label, where, problems)
        cid = f.ident()
        values = dict(
            name=f.text("name"), mode=f.choice("mode", settings.MODES), status=f.choice("status", settings.STATUSES),
            description=f.text("description"), segments=f.texts("segments", required=True),
            aliases=f.texts("aliases"), agreed=f.date("agreed"), opened=f.date("opened"),
            published_lengths=f.lengths(), sources=f.texts("sources"),
        )
        alternatives = []
        for j, alt in enumerate(f.mappings("alternatives")):
            a_where = f"{where} alternative {j}"
            if not isinstance(alt, dict):
                problems.append(Problem(label, a_where, "must be a mapping with id, name and segments"))
                continue
            af = _Fields(alt, label, a_where, problems)
            alt_id, alt_name, alt_segments = af.ident(), af.text("name"), af.texts("segments", required=True)
            if _unique("corridor", alt_id, seen, label, a_where, problems) and alt_name and alt_segments:
                alternatives.append(Alternative(alt_id, alt_name, alt_segments, af.text("description", required=False)))
        if _unique("corridor", cid, seen, label, where, problems) and all(
            values[k] for k in ("name", "mode", "status", "segments")
        ):
            corridors[cid] = Corridor(id=cid, alternatives=tuple(alternatives), **values)
    return corridors


def load_organisations(path: Path, label: str, problems: list[Problem]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    seen: dict[str, str] = {}
    for i, item in enumerate(_read_list(path, label, "organisations", problems)):
        where = _where("organisation", i, item)
        if not isinstance(item, dict):
            problems.append(Problem(label, where, "must be a mapping"))
            continue
        f = _Fields(item, label, where, problems)
        oid, name = f.ident(), f.text("name")
        members = []
        for j, m in enumerate(f.mappings("members")):
            mf = _Fields(m if isinstance(m, dict) else {}, label, f"{where} member {j}", problems)
            country = mf.text("country")
            if country and not ISO3_RE.match(country):
                mf.problem(f"country {country!r} is not an ISO 3166-1 alpha-3 code")
            elif country:
                members.append(Member(country, mf.date("joined"), mf.text("note", required=False)))
        if _unique("organisation", oid, seen, label, where, problems) and name:
            orgs[oid] = Organisation(oid, name, tuple(members), f.texts("aliases"), f.date("founded"), f.texts("sources"))
    return orgs


LINK_KINDS = (("corridors", "corridor"), ("nodes", "node"), ("organisations", "organisation"))


def load_links(path: Path, label: str, problems: list[Problem]) -> list[tuple[str, Excerpt]]:
    """Stored excerpts (curated, suppressions, and automatic links recorded by add-article), each with the
    place it was read from (for later cross-file problems)."""
    out, seen = [], {}
    for i, item in enumerate(_read_list(path, label, "excerpts", problems, allow_empty=True)):
        where = f"excerpt {i}"
        if not isinstance(item, dict):
            problems.append(Problem(label, where, "must be a mapping"))
            continue
        f = _Fields(item, label, where, problems)
        excerpt_id = f.ident() if item.get("id") is not None else ""  # optional: how briefings name it
        if excerpt_id and not _unique("excerpt", excerpt_id, seen, label, where, problems):
            excerpt_id = ""
        article = f.text("article")
        paragraph, start, end = f.integer("paragraph", True), f.integer("start", True), f.integer("end", True)
        targets = {k: f.texts(k) for k in ("corridors", "nodes", "organisations")}
        if not any(targets.values()):
            f.problem("links to nothing: give at least one of corridors, nodes, organisations")
        suppress = item.get("suppress", False)
        if not isinstance(suppress, bool):
            f.problem(f"'suppress' must be true or false, not {suppress!r}")
            continue
        origin = item.get("origin", "curated")
        if origin not in ("curated", "automatic"):
            f.problem(f"unknown origin {origin!r}; expected curated or automatic")
            continue
        if None in (paragraph, start, end) or not article:
            continue
        if start >= end:
            f.problem(f"start {start} is not before end {end}")
            continue
        origin = "suppressed" if suppress else origin
        links = tuple(Link(kind, ident, origin) for key, kind in LINK_KINDS for ident in targets[key])
        extra = {"quote": item.get("quote")} if "quote" in item else {}
        extra.update({"id": excerpt_id} if excerpt_id else {})
        out.append((where, Excerpt(article, paragraph, start, end, links=links, extra=extra)))
    return out


def load_countries(path: Path, label: str, problems: list[Problem]):
    """Country polygons as a GeoDataFrame with iso3, name and note columns (EPSG:4326)."""
    import geopandas as gpd

    rows = []
    for feature, where, f in _feature_fields(path, label, problems):
        iso3, name = f.text("iso3"), f.text("name")
        geom = feature.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geom.get("type") if isinstance(geom, dict) else "missing"
            problems.append(Problem(label, where, f"geometry is {kind}, expected Polygon or MultiPolygon"))
            continue
        try:
            polygon = shape(geom)
        except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
            problems.append(Problem(label, where, f"invalid polygon: {exc}"))
            continue
        if iso3 and name:
            rows.append({"iso3": iso3, "name": name, "note": f.text("note", required=False), "geometry": polygon})
    return gpd.GeoDataFrame(rows, columns=["iso3", "name", "note", "geometry"], geometry="geometry", crs="EPSG:4326")
