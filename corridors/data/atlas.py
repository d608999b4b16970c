"""The atlas: everything in a data folder, loaded once, with every problem found in it.

`Atlas` holds the model; `corridors.assemble.load_atlas` fills it (files read and checked here in data/,
articles linked by text/, briefings)."""

from __future__ import annotations

import hashlib
import os
import stat
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import shapely

from corridors import settings
from corridors.data.files import path_kind
from corridors.data.model import Article, AtlasInfo, Corridor, Excerpt, Node, Organisation, Segment
from corridors.errors import Problem


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
        # segment id -> (iso3, km) runs along it; filled on demand by corridors.geo.geometry.segment_country_runs
        self.country_runs: dict[str, list[tuple[str, float]]] = {}
        # What the layers above compute from the atlas once, by name (geo.routes: lengths, networks); the atlas
        # is read-only, so nothing here goes stale.
        self.caches: dict[str, dict] = {}
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
        self.articles_readable = True  # False when articles/ cannot be listed: links to them are not "unknown"
        self.links_readable = True  # False when links.yaml is there but cannot be read: its excerpt ids neither
        self.named_excerpts: dict[str, Excerpt] = {}  # by their `id` in links.yaml (valid ones only)
        self.declared_excerpts: set[str] = set()  # every excerpt id in links.yaml, valid or not
        self.briefings: dict = {}  # id -> corridors.briefings.model.Briefing
        self.transit = None  # data.transit.TransitData from geodata/transit.yaml (optional), else None
        self.countries = gpd.GeoDataFrame(
            columns=["iso3", "name", "note", "geometry"], geometry="geometry", crs="EPSG:4326"
        )
        self.world = None  # the land outside countries.geojson (world.geojson, optional): basemap only
        self.readable = False  # True once the data folder itself could be listed and entered
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
    def route_index(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """route id (a corridor's, or an alternative's) -> (corridor id, segment ids in order)."""
        index = {}
        for corridor in self.corridors.values():
            index[corridor.id] = (corridor.id, corridor.segments)
            index.update({a.id: (corridor.id, a.segments) for a in corridor.alternatives})
        return index

    @property
    def all_corridor_ids(self) -> set[str]:
        """Corridor ids and the ids of their alternative alignments."""
        return set(self.route_index)

    def route_ids(self, corridor_id: str) -> list[str]:
        """A corridor's main alignment first, then its alternatives."""
        return [corridor_id] + [a.id for a in self.corridors[corridor_id].alternatives]

    def corridor_segments(self, corridor_id: str) -> list[Segment]:
        """Every segment of a corridor: its main alignment, then its alternatives' other segments."""
        return list({s.id: s for r in self.route_ids(corridor_id) for s in self.route(r)}.values())

    def route(self, route_id: str) -> list[Segment]:
        """The segments of a corridor's main alignment, or of an alternative given by its id, in order."""
        return [self.segments[s] for s in self.route_index[route_id][1] if s in self.segments]

    def corridor_of(self, route_id: str) -> Corridor:
        """The corridor a route id (corridor or alternative) belongs to."""
        return self.corridors[self.route_index[route_id][0]]

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


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """--data if given, else $CORRIDORS_DATA, else ./geodata."""
    return Path(data_dir or os.environ.get(settings.DATA_DIR_ENV) or settings.DEFAULT_DATA_DIR)


def data_fingerprint(data_dir: str | os.PathLike) -> str:
    """Changes whenever a file in the data folder is added, removed or modified (names, sizes, mtimes)."""
    root = Path(data_dir)
    if path_kind(root)[0] != "folder":
        return "missing"
    stats = []
    for folder, dirs, files in os.walk(root, onerror=lambda exc: stats.append(("unreadable", exc.filename, 0))):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # relpath once per folder, not per file (it makes both paths absolute): the app asks on every rerun
        where = os.path.relpath(folder, root)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError as exc:  # not readable: its problem shows when the atlas loads
                stats.append((path, exc.errno, 0))
                continue
            if stat.S_ISREG(info.st_mode):
                stats.append((name if where == "." else os.path.join(where, name), info.st_mtime_ns, info.st_size))
    return hashlib.sha1(repr(sorted(stats, key=str)).encode()).hexdigest()
