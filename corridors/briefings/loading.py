"""Read geodata/briefings/<id>.yaml into Briefings, checking every reference against the atlas.

Strict: an unknown key, an unknown corridor, place or excerpt, an empty list of stops, a view that is
not a box on the globe, or a highlight that is not shown is a Problem (`file: where: what`); a briefing
with problems is still loaded with what is valid (bad references dropped), so the app can play it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from corridors.briefings.model import Briefing, ExcerptRef, Stop, View
from corridors.data.readers import read_yaml
from corridors.errors import Problem

SUBDIR = "briefings"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BRIEFING_KEYS = ("title", "description", "stops")
STOP_KEYS = ("title", "corridors", "highlight", "view", "excerpts", "places", "notes")
VIEW_KEYS = ("bounds", "center", "zoom")
MIN_ZOOM, MAX_ZOOM = 2, 14  # the map's own limits (mapbuild.base_map)
MAX_STOPS = 200


class _Reader:
    def __init__(self, label: str, problems: list[Problem]):
        self.label, self.problems = label, problems

    def problem(self, where: str, what: str) -> None:
        self.problems.append(Problem(self.label, where, what))

    def keys(self, data: dict, allowed: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(where, f"unknown key {str(key)!r}; expected one of: {', '.join(allowed)}")

    def text(self, data: dict, key: str, where: str, required: bool) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, f"'{key}' is missing")
            return ""
        if not isinstance(value, str):
            self.problem(where, f"'{key}' must be text, not {type(value).__name__}")
            return ""
        return value.strip()

    def ids(self, data: dict, key: str, where: str) -> tuple[str, ...] | None:
        """A list of ids; None when absent, () after a problem."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(where, f"'{key}' must be a list of ids, not {type(value).__name__}")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                self.problem(where, f"'{key}' item {i} must be an id (text), not {type(item).__name__}")
            elif item in out:
                self.problem(where, f"'{key}' lists {item!r} twice")
            else:
                out.append(item)
        return tuple(out)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _lat_lon(r: _Reader, where: str, what: str, pair: Any) -> tuple[float, float] | None:
    if not isinstance(pair, list) or len(pair) != 2 or not all(_number(v) for v in pair):
        r.problem(where, f"{what} must be [latitude, longitude] (two numbers), not {pair!r}")
        return None
    lat, lon = float(pair[0]), float(pair[1])
    if not -90 <= lat <= 90:
        r.problem(where, f"{what}: latitude {pair[0]} is out of range -90..90")
        return None
    if not -180 <= lon <= 180:
        r.problem(where, f"{what}: longitude {pair[1]} is out of range -180..180")
        return None
    return lat, lon


def read_view(r: _Reader, value: Any, where: str) -> View | None:
    where = f"{where} view"
    if value is None:
        r.problem(where, "is missing: give bounds [[south, west], [north, east]], or center [lat, lon] and zoom")
        return None
    if not isinstance(value, dict):
        r.problem(where, f"must be a mapping with bounds, or center and zoom, not {type(value).__name__}")
        return None
    r.keys(value, VIEW_KEYS, where)
    has_bounds, has_center = "bounds" in value, "center" in value or "zoom" in value
    if has_bounds == has_center:
        r.problem(where, "give either bounds [[south, west], [north, east]], or center [lat, lon] and zoom"
                  + (", not both" if has_bounds else ""))
        return None
    if has_bounds:
        bounds = value["bounds"]
        if not isinstance(bounds, list) or len(bounds) != 2:
            r.problem(where, f"bounds must be [[south, west], [north, east]], not {bounds!r}")
            return None
        sw, ne = _lat_lon(r, where, "bounds south-west corner", bounds[0]), \
            _lat_lon(r, where, "bounds north-east corner", bounds[1])
        if sw is None or ne is None:
            return None
        if not sw[0] < ne[0]:
            r.problem(where, f"bounds: south {sw[0]:g} must be less than north {ne[0]:g}")
            return None
        if not sw[1] < ne[1]:
            r.problem(where, f"bounds: west {sw[1]:g} must be less than east {ne[1]:g}")
            return None
        return View(bounds=(sw, ne))
    center = _lat_lon(r, where, "center", value.get("center")) if "center" in value else None
    if "center" not in value:
        r.problem(where, "zoom is given without center [lat, lon]")
    zoom = value.get("zoom")
    if zoom is None:
        r.problem(where, "center is given without zoom")
        return None
    if isinstance(zoom, bool) or not isinstance(zoom, int) or not MIN_ZOOM <= zoom <= MAX_ZOOM:
        r.problem(where, f"zoom must be a whole number from {MIN_ZOOM} to {MAX_ZOOM}, not {zoom!r}")
        return None
    return View(center=center, zoom=zoom) if center else None


def parse_excerpt_ref(value: Any) -> ExcerptRef | None:
    """'EXCERPT-ID' or 'ARTICLE/PARAGRAPH' (paragraph numbered from 0); None when it is neither."""
    if not isinstance(value, str):
        return None
    article, slash, paragraph = value.partition("/")
    if slash:
        if ID_RE.match(article) and paragraph.isdigit() and paragraph.isascii():
            return ExcerptRef(article=article, paragraph=int(paragraph))
        return None
    return ExcerptRef(id=value) if ID_RE.match(value) else None


def check_excerpt_ref(atlas, ref: ExcerptRef) -> str | None:
    """Why `ref` names no excerpt of the atlas, or None when it does."""
    if ref.id is not None:
        if ref.id in atlas.named_excerpts:
            return None
        if ref.id in atlas.declared_excerpts:  # in links.yaml, but dropped there for a problem
            return f"excerpt {ref.id!r} has a problem in links.yaml (see there)"
        return f"unknown excerpt {ref.id!r}: no excerpt in links.yaml has this id"
    article = atlas.articles.get(ref.article)
    if article is None:
        return f"unknown article {ref.article!r} in excerpt {str(ref)!r}"
    if ref.paragraph >= len(article.paragraphs):
        return (f"article {ref.article!r} has no paragraph {ref.paragraph} (it has {len(article.paragraphs)}, "
                "numbered from 0)")
    return None


def read_stop(r: _Reader, atlas, item: Any, index: int) -> Stop | None:
    where = f"stop {index + 1}"
    if not isinstance(item, dict):
        r.problem(where, f"must be a mapping (title, corridors, highlight, view, ...), not {type(item).__name__}")
        return None
    r.keys(item, STOP_KEYS, where)
    title = r.text(item, "title", where, required=True)
    corridors = r.ids(item, "corridors", where)
    if corridors is None:
        corridors = tuple(atlas.corridors)  # absent: every corridor
    for cid in corridors:
        if cid not in atlas.corridors:
            hint = ""
            if cid in atlas.all_corridor_ids:
                hint = f" (it is an alignment of {atlas.corridor_of(cid).id!r}: name that corridor)"
            r.problem(where, f"unknown corridor {cid!r}{hint}")
    corridors = tuple(c for c in corridors if c in atlas.corridors)
    highlight = r.ids(item, "highlight", where) or ()
    for cid in highlight:
        if cid not in atlas.corridors:
            r.problem(where, f"highlight: unknown corridor {cid!r}")
        elif cid not in corridors:
            r.problem(where, f"highlight: corridor {cid!r} is not among the corridors shown")
    highlight = tuple(c for c in highlight if c in corridors)
    places = r.ids(item, "places", where) or ()
    for node_id in places:
        if node_id not in atlas.nodes and node_id not in atlas.declared_nodes:
            r.problem(where, f"unknown place {node_id!r}: no node in nodes.geojson has this id")
    places = tuple(p for p in places if p in atlas.nodes)
    refs = []
    raw = item.get("excerpts")
    if raw is not None and not isinstance(raw, list):
        r.problem(where, f"'excerpts' must be a list of excerpt ids or ARTICLE/PARAGRAPH, not {type(raw).__name__}")
        raw = []
    for i, value in enumerate(raw or []):
        ref = parse_excerpt_ref(value)
        if ref is None:
            r.problem(where, f"excerpts item {i}: {value!r} is neither an excerpt id nor ARTICLE/PARAGRAPH "
                      "(e.g. my-article/2)")
            continue
        why = check_excerpt_ref(atlas, ref)
        if why:
            r.problem(where, f"excerpts item {i}: {why}")
        else:
            refs.append(ref)
    notes = r.text(item, "notes", where, required=False)
    view = read_view(r, item.get("view"), where)
    if not title or view is None:
        return None
    return Stop(title=title, corridors=corridors, highlight=highlight, view=view, excerpts=tuple(refs),
                places=places, notes=notes)


def read_briefing(path: Path, briefing_id: str, label: str, atlas, problems: list[Problem]) -> Briefing | None:
    before = len(problems)
    data = read_yaml(path, label, problems)
    if len(problems) > before:
        return None
    return briefing_from_data(data, briefing_id, label, atlas, problems)


def briefing_from_data(data: Any, briefing_id: str, label: str, atlas, problems: list[Problem]) -> Briefing | None:
    """A briefing from parsed YAML (a file's, or a draft's), checked against the atlas."""
    r = _Reader(label, problems)
    if not isinstance(data, dict):
        r.problem("file", "must be a mapping with title, description and stops"
                  + ("" if data is None else f", not {type(data).__name__}"))
        return None
    r.keys(data, BRIEFING_KEYS, "briefing")
    title = r.text(data, "title", "briefing", required=True)
    description = r.text(data, "description", "briefing", required=False)
    raw = data.get("stops")
    if raw is None or raw == []:
        r.problem("briefing", "'stops' is " + ("missing" if raw is None else "empty") + ": a briefing needs at "
                  "least one stop")
        return None
    if not isinstance(raw, list):
        r.problem("briefing", f"'stops' must be a list of stops, not {type(raw).__name__}")
        return None
    if len(raw) > MAX_STOPS:
        r.problem("briefing", f"has {len(raw)} stops, more than the {MAX_STOPS} allowed")
        return None
    stops = tuple(s for s in (read_stop(r, atlas, item, i) for i, item in enumerate(raw)) if s is not None)
    if not stops or not title:
        return None
    return Briefing(id=briefing_id, title=title, description=description, stops=stops)


def load_briefings(data_dir: Path, atlas) -> tuple[dict[str, Briefing], list[Problem]]:
    """Every briefing in data_dir/briefings/, by id (file name order), and the problems found in them."""
    briefings: dict[str, Briefing] = {}
    problems: list[Problem] = []
    folder = Path(data_dir) / SUBDIR
    if not folder.is_dir():
        return briefings, problems
    for path in sorted(folder.iterdir()):
        label = atlas.label(f"{SUBDIR}/{path.name}")
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix not in (".yaml", ".yml"):
            problems.append(Problem(label, "file name", "is not a briefing: name briefings <id>.yaml"))
            continue
        if not ID_RE.match(path.stem):
            problems.append(Problem(label, "file name", f"{path.stem!r} is not a briefing id (lower-case letters, "
                                    "digits and single hyphens, then .yaml)"))
            continue
        if path.stem in briefings:
            problems.append(Problem(label, "file name", f"briefing {path.stem!r} is also in another file"))
            continue
        briefing = read_briefing(path, path.stem, label, atlas, problems)
        if briefing is not None:
            briefings[briefing.id] = briefing
    return briefings, problems
