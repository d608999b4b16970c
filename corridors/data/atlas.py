"""The atlas: everything in a data folder, loaded once, with every problem found in it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import shapely

from corridors import settings
from corridors.data import loading, validation
from corridors.data.model import Article, AtlasInfo, Corridor, Excerpt, Node, Organisation, Segment
from corridors.data.readers import read_text
from corridors.data.spellings import load_spellings
from corridors.data.transit import check_transit, load_transit
from corridors.errors import Problem
from corridors.geo.geometry import line_country_runs, route_countries
from corridors.settings import MAX_ARTICLE_BYTES
from corridors.text.articles import parse_article
from corridors.text.linking import (
    automatic_excerpts,
    link_target,
    make_linker,
    merge_excerpts,
)


class Atlas:
    """The loaded data folder. Read-only: nothing here writes to the folder."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.nodes: dict[str, Node] = {}
        self.segments: dict[str, Segment] = {}
        self.segment_files: dict[str, str] = {}
        self.corridors: dict[str, Corridor] = {}
        self.organisations: dict[str, Organisation] = {}
        self.articles: dict[str, Article] = {}
        self.excerpts: list[Excerpt] = []
        self.mentions: dict = {}  # article id -> [linking.Mention], for highlighting
        self.spellings: list = []  # spellings.Spelling: extra names for linking (geodata/spellings.yaml)
        self._runs: dict[str, list[tuple[str, float]]] = {}
        # Ids declared in the files, even where the record was dropped for a problem: a reference to
        # them is not reported again as unknown.
        self.declared_nodes: dict[str, str] = {}
        self.declared_segments: dict[str, str] = {}
        self.declared_corridors: dict[str, str] = {}
        self.declared_articles: set[str] = set()
        self.declared_countries: set[str] = set()
        # False when a file that others refer to could not be read at all: its own problem says why, and
        # references into it are not reported again one by one.
        self.corridors_readable = True
        self.nodes_readable = True
        self.segments_readable = True  # False when segments/ is missing or unreadable: no per-segment noise
        self.named_excerpts: dict[str, Excerpt] = {}  # by their `id` in links.yaml (valid ones only)
        self.declared_excerpts: set[str] = set()  # every excerpt id in links.yaml, valid or not
        self.briefings: dict = {}  # id -> corridors.briefings.model.Briefing
        self.transit = None  # data.transit.TransitData from geodata/transit.yaml (optional), else None
        self.countries = gpd.GeoDataFrame(
            columns=["iso3", "name", "note", "geometry"], geometry="geometry", crs="EPSG:4326"
        )
        self.world = None  # the land outside countries.geojson (world.geojson, optional): basemap only
        self.info: AtlasInfo | None = None  # atlas.yaml: the date the data was last checked against sources

    @property
    def updated(self) -> str | None:
        """The date (YYYY-MM-DD) the data was last checked against sources (atlas.yaml), None when unknown."""
        return self.info.updated if self.info else None

    def label(self, name: str) -> str:
        """How a file is named in problem lines: the data folder as given, then the file."""
        return str(self.data_dir / name)

    @cached_property
    def country_shapes(self) -> dict:
        """Country polygons by ISO3, prepared for fast point-in-polygon tests."""
        shapes = dict(zip(self.countries["iso3"], self.countries.geometry))
        shapely.prepare(list(shapes.values()))
        return shapes

    @cached_property
    def country_names(self) -> dict[str, str]:
        return dict(zip(self.countries["iso3"], self.countries["name"]))

    @cached_property
    def _routes(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """route id (a corridor's, or an alternative's) -> (corridor id, segment ids in order)."""
        index = {}
        for corridor in self.corridors.values():
            index[corridor.id] = (corridor.id, corridor.segments)
            index.update({a.id: (corridor.id, a.segments) for a in corridor.alternatives})
        return index

    @property
    def all_corridor_ids(self) -> set[str]:
        """Corridor ids and the ids of their alternative alignments."""
        return set(self._routes)

    def route_ids(self, corridor_id: str) -> list[str]:
        """A corridor's main alignment first, then its alternatives."""
        return [corridor_id] + [a.id for a in self.corridors[corridor_id].alternatives]

    def corridor_segments(self, corridor_id: str) -> list[Segment]:
        """Every segment of a corridor: its main alignment, then its alternatives' other segments."""
        return list({s.id: s for r in self.route_ids(corridor_id) for s in self.route(r)}.values())

    def route(self, route_id: str) -> list[Segment]:
        """The segments of a corridor's main alignment, or of an alternative given by its id, in order."""
        return [self.segments[s] for s in self._routes[route_id][1] if s in self.segments]

    def corridor_of(self, route_id: str) -> Corridor:
        """The corridor a route id (corridor or alternative) belongs to."""
        return self.corridors[self._routes[route_id][0]]

    def route_oriented(self, route_id: str) -> list[tuple[Segment, bool]]:
        """The route's segments in travel order, each with whether it runs against its drawn direction."""
        segments = self.route(route_id)
        out, prev_end = [], None
        for i, seg in enumerate(segments):
            if prev_end is None:
                nxt = segments[i + 1] if i + 1 < len(segments) else None
                ends = (nxt.from_node, nxt.to_node) if nxt else ()
                flip = seg.from_node in ends and seg.to_node not in ends
            else:
                flip = seg.to_node == prev_end and seg.from_node != prev_end
            out.append((seg, flip))
            prev_end = seg.from_node if flip else seg.to_node
        return out

    def segment_country_runs(self, segment_id: str) -> list[tuple[str, float]]:
        """(iso3, km) runs along a segment in its drawn direction; computed once per segment."""
        if segment_id not in self._runs:
            self._runs[segment_id] = line_country_runs(self.segments[segment_id].line, self.countries)
        return self._runs[segment_id]

    def route_countries(self, route_id: str) -> list[tuple[str, float]]:
        """Countries a corridor or alternative crosses, in route order, with km in each."""
        return route_countries(
            self.segment_country_runs(seg.id)[::-1] if flip else self.segment_country_runs(seg.id)
            for seg, flip in self.route_oriented(route_id)
        )

    @cached_property
    def segments_frame(self) -> gpd.GeoDataFrame:
        """One row per segment, EPSG:4326, with its corridor's id and name."""
        rows = []
        for seg in self.segments.values():
            corridor = self.corridors.get(seg.corridor)
            rows.append(
                {
                    "segment_id": seg.id,
                    "corridor_id": seg.corridor,
                    "corridor_name": corridor.name if corridor else "",
                    "from": seg.from_node,
                    "to": seg.to_node,
                    "mode": seg.mode,
                    "status": seg.status,
                    "gauge_mm": seg.gauge_mm,
                    "accuracy": seg.accuracy,
                    "geometry": seg.line,
                }
            )
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")

    @cached_property
    def nodes_frame(self) -> gpd.GeoDataFrame:
        rows = [
            {
                "node_id": n.id,
                "name": n.name,
                "kind": n.kind,
                "country": n.country,
                "source": n.source,
                "geometry": n.point,
            }
            for n in self.nodes.values()
        ]
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """--data if given, else $CORRIDORS_DATA, else ./geodata."""
    return Path(data_dir or os.environ.get(settings.DATA_DIR_ENV) or settings.DEFAULT_DATA_DIR)


def data_fingerprint(data_dir: str | os.PathLike) -> str:
    """Changes whenever a file in the data folder is added, removed or modified (names, sizes, mtimes)."""
    root = Path(data_dir)
    if not root.is_dir():
        return "missing"
    stats = sorted(
        (str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size)
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    return hashlib.sha1(repr(stats).encode()).hexdigest()


def load_atlas(data_dir: str | os.PathLike | None = None) -> Atlas:
    """Load and check a data folder. Never raises for bad data: problems land in `atlas.problems`."""
    atlas = Atlas(resolve_data_dir(data_dir))
    root, problems = atlas.data_dir, atlas.problems
    if not root.is_dir():
        problems.append(Problem(str(root), "folder", "does not exist or is not a folder"))
        return atlas

    def need(name: str) -> Path | None:
        path = root / name
        if path.is_file():
            return path
        problems.append(Problem(atlas.label(name), "file", "is not a regular file" if path.exists() else "is missing"))
        return None

    if path := need("atlas.yaml"):
        atlas.info = loading.load_atlas_info(path, atlas.label("atlas.yaml"), problems)
    if path := need("countries.geojson"):
        atlas.countries = loading.load_countries(
            path, atlas.label("countries.geojson"), problems, atlas.declared_countries
        )
    if (root / "world.geojson").is_file():
        atlas.world = loading.load_countries(root / "world.geojson", atlas.label("world.geojson"), problems)
    if path := need("nodes.geojson"):
        before = len(problems)
        atlas.nodes = loading.load_nodes(path, atlas.label("nodes.geojson"), atlas.declared_nodes, problems)
        atlas.nodes_readable = bool(atlas.declared_nodes) or len(problems) == before
    if path := need("corridors.yaml"):
        before = len(problems)
        atlas.corridors = loading.load_corridors(
            path, atlas.label("corridors.yaml"), problems, atlas.declared_corridors
        )
        atlas.corridors_readable = bool(atlas.declared_corridors) or len(problems) == before
    segment_files = folder_files(root, "segments", ".geojson", atlas, problems)
    for path in segment_files or []:
        label = atlas.label(f"segments/{path.name}")
        if path.stem not in atlas.declared_corridors and atlas.corridors_readable:
            problems.append(Problem(label, "file", f"no corridor {path.stem!r} in corridors.yaml"))
        before = len(atlas.declared_segments), len(problems)
        found = loading.load_segments(path, label, path.stem, atlas.declared_segments, problems)
        if len(atlas.declared_segments) == before[0] and len(problems) > before[1]:
            atlas.segments_readable = False  # the whole file was refused: its segments are not "unknown"
        atlas.segments.update(found)
        atlas.segment_files.update({sid: label for sid in found})
    atlas.segments_readable = atlas.segments_readable and segment_files is not None
    if path := need("organisations.yaml"):
        atlas.organisations = loading.load_organisations(path, atlas.label("organisations.yaml"), problems)
    for path in folder_files(root, "articles", ".md", atlas, problems, required=False) or []:
        label = atlas.label(f"articles/{path.name}")
        if not loading.ID_RE.match(path.stem):
            problems.append(
                Problem(
                    label,
                    "file name",
                    f"{path.stem!r} is not an article id (lower-case letters, digits and single hyphens, then .md)",
                )
            )
            continue
        atlas.declared_articles.add(path.stem)
        text = read_text(path, label, problems, MAX_ARTICLE_BYTES)
        article = parse_article(path.stem, text, label, problems) if text is not None else None
        if article is not None:
            atlas.articles[article.id] = article
    if (root / "transit.yaml").is_file():
        atlas.transit = load_transit(root / "transit.yaml", atlas.label("transit.yaml"), problems)
    if (root / "spellings.yaml").is_file():
        atlas.spellings = load_spellings(atlas, root / "spellings.yaml", atlas.label("spellings.yaml"))
    placed = []
    if (root / "links.yaml").is_file():
        placed = loading.load_links(root / "links.yaml", atlas.label("links.yaml"), problems)
    problems += validation.check_segments(atlas)
    problems += validation.check_corridors(atlas, atlas.label("corridors.yaml"))
    problems += validation.check_history(atlas, atlas.label("corridors.yaml"))
    from corridors.geo.timeline import check_statuses  # a corridor's status needs its segments' km

    problems += check_statuses(atlas)
    problems += validation.check_nodes_in_countries(atlas, atlas.label("nodes.geojson"))
    if atlas.transit is not None and atlas.nodes_readable:
        problems += check_transit(atlas.transit, atlas.declared_nodes or atlas.nodes, atlas.declared_countries)
    curated = []
    for where, excerpt in placed:
        found = validation.check_excerpt(atlas, atlas.label("links.yaml"), where, excerpt)
        problems += found
        loaded = {"corridor": atlas.all_corridor_ids, "node": atlas.nodes, "organisation": atlas.organisations}
        if (
            not found
            and excerpt.article in atlas.articles
            and all(link.target in loaded[link.kind] for link in excerpt.links)
        ):
            curated.append(excerpt)  # (a link to a record refused for its own problems is left out)
    atlas.declared_excerpts = {ex.extra["id"] for _, ex in placed if ex.extra.get("id")}
    atlas.named_excerpts = {ex.extra["id"]: ex for ex in curated if ex.extra.get("id")}
    link_articles(atlas, curated)
    from corridors.briefings.loading import load_briefings  # briefings build on the loaded atlas

    atlas.briefings, found = load_briefings(root, atlas)
    problems += found
    return atlas


def folder_files(
    root: Path, name: str, suffix: str, atlas: Atlas, problems: list[Problem], required: bool = True
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
        problems.append(Problem(label, "folder", f"cannot be read ({exc.strerror or exc})"))
        return None


def link_articles(atlas: Atlas, curated: list[Excerpt]) -> None:
    """Find mentions in every article and merge them with the stored excerpts of links.yaml.

    Links to an alternative alignment count for its corridor; a suppressed link also stops the
    mention it came from being highlighted.
    """
    linker = make_linker(atlas)
    curated = [
        replace(ex, links=tuple(replace(link, target=link_target(atlas, link.kind, link.target)) for link in ex.links))
        for ex in curated
    ]
    vetoes = [(ex, link) for ex in curated for link in ex.links if link.origin == "suppressed"]
    recorded = [ex for ex in curated if ex.links and ex.links[0].origin == "automatic"]  # by add-article
    curated = [ex for ex in curated if not (ex.links and ex.links[0].origin == "automatic")]
    automatic = list(recorded)
    for article in atlas.articles.values():
        found, mentions = automatic_excerpts(atlas, article, linker)
        automatic += found
        atlas.mentions[article.id] = [
            m
            for m in mentions
            if not any(
                ex.article == article.id
                and ex.paragraph == m.paragraph
                and ex.start < m.end
                and m.start < ex.end
                and (link.kind, link.target) == (m.kind, link_target(atlas, m.kind, m.target))
                for ex, link in vetoes
            )
        ]
    atlas.excerpts = merge_excerpts(automatic, curated)
