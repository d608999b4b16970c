"""The distinct ways between two countries or places across the corridor network (networkx).

Ways are told apart by the sequence of countries they cross (by the countries of the places they pass), not
by small detours: for each sequence of countries that links the two ends, the shortest way (by drawn km)
that crosses exactly those countries in that order (by road or rail: a mixed way only when it is shorter
than a single-mode one by more than MODE_CHANGE_KM per change of mode). For a country at either end, a way runs along the
corridor that crosses its border on to where that corridor ends inside the country (Hasan Abdal for the
KKH, Quetta for the rail route via Iran, Almaty for the Land Bridge), so its km in that country count too.

Pure: takes an Atlas, returns typed frozen records (`Routes`, `Way`); `Routes.to_json` is the JSON of `routes --json`.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, replace

import networkx as nx

from corridors import settings
from corridors.data.atlas import Atlas
from corridors.data.excerpts import excerpts_for_corridor
from corridors.data.geodesic import line_length_km
from corridors.data.model import PublishedLength, Segment
from corridors.data.records import plain
from corridors.geo.geometry import route_countries, segment_country_runs
from corridors.geo.network import countries_on_path
from corridors.geo.timeline import AtlasAsOf
from corridors.geo.transit import Transit, transit_row, way_transit

MODE_CHOICES = ("either", "road", "rail")
MAX_COUNTRY_HOPS = 7  # no way crosses more countries than this (the network's longest has 4)
MAX_ALTERNATIVES = 8
# What a change between road and rail (transshipment) weighs against km when two ways cross the same
# countries: a mixed way must be this much shorter per change to be preferred to a single-mode one.
MODE_CHANGE_KM = 250.0


@dataclass(frozen=True)
class CountryKm:
    country: str  # ISO3
    name: str
    km: float


@dataclass(frozen=True)
class Border:
    name: str
    from_country: str
    to_country: str
    segment: str
    mode: str
    nodes: tuple[str, ...]
    lon: float
    lat: float


@dataclass(frozen=True)
class GaugeBreak:
    where: str
    node: str
    exact: bool
    from_gauge_mm: int
    to_gauge_mm: int
    country: str
    lon: float
    lat: float


@dataclass(frozen=True)
class ModeChange:
    where: str
    node: str
    from_mode: str
    to_mode: str
    lon: float
    lat: float


@dataclass(frozen=True)
class GaugeUnknown:
    segment: str
    from_name: str
    to_name: str
    km: float


@dataclass(frozen=True)
class MissingLink:
    segment: str
    from_name: str
    to_name: str
    status: str
    mode: str
    km: float
    corridor: str


@dataclass(frozen=True)
class WayCorridor:
    id: str
    name: str
    role: str  # a corridor's role, or "article" for an id not in corridors.yaml


@dataclass(frozen=True)
class Leg:
    segment: str
    corridor: str
    from_: str
    to_: str
    from_name: str
    to_name: str
    mode: str
    status: str
    gauge_mm: int | None
    accuracy: str
    drawn_km: float
    reversed: bool
    published_lengths: tuple[PublishedLength, ...]
    as_of: str = ""  # the date of the source that confirms the segment's status


@dataclass(frozen=True)
class WayExcerpt:
    corridor: str
    text: str
    article: str
    article_title: str
    outlet: str
    date: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class WayClosure:
    """A seasonal closure in force on one of a way's legs on the date asked about."""

    segment: str
    from_name: str
    to_name: str
    from_: str  # MM-DD, the first day closed
    to: str  # MM-DD, the day it opens again
    source: str
    note: str = ""
    until: str | None = None  # from that day on it no longer applies


@dataclass(frozen=True)
class Way:
    """Every figure of one way between the two ends, in travel order."""

    countries: tuple[str, ...]  # ISO3, in the order crossed (by the countries of the places passed)
    country_names: tuple[str, ...]
    label: str  # "via Afghanistan, Uzbekistan", "direct" or "within Pakistan"
    from_: str | None
    from_name: str
    to_: str | None
    to_name: str
    places: tuple[str, ...]
    place_names: tuple[str, ...]
    drawn_km: float
    published_km: float | None  # the sum over the legs that have a published length
    published_legs: int
    legs_count: int
    drawn_km_of_published_legs: float
    km_by_status: dict[str, float]
    km_by_mode: dict[str, float]
    km_by_country: tuple[CountryKm, ...]
    borders: tuple[Border, ...]
    gauge_breaks: tuple[GaugeBreak, ...]
    mode_changes: tuple[ModeChange, ...]
    gauge_unknown: tuple[GaugeUnknown, ...]
    missing_links: tuple[MissingLink, ...]
    corridors: tuple[WayCorridor, ...]
    legs: tuple[Leg, ...]
    excerpts: tuple[WayExcerpt, ...]
    id: str = ""  # "way-1", shortest first
    # As of a date (find_routes(asof=…)), else None / empty: `open` is False when a seasonal closure or a
    # suspension (or a closure for good) applies to one of its legs that day; `closures` those in force,
    # `suspended` the legs suspended or closed. Missing links are in `missing_links`, as on any date.
    as_of: str | None = None
    open: bool | None = None
    closures: tuple[WayClosure, ...] = ()
    suspended: tuple[str, ...] = ()
    transit: Transit | None = None  # days, costs and the month, from published figures (geo/transit.py)

    def to_json(self) -> dict:
        """The way's JSON; `transit_days` {low, high} (days, one decimal) and `transit_figures` (what, value,
        unit, source, year, …) are the estimate's headline, `transit` its detail."""
        out = plain(replace(self, transit=None))
        t = self.transit
        out["transit"] = t.to_json() if t is not None else None
        out["transit_days"] = (
            {"low": round(t.days.low, 1), "high": round(t.days.high, 1)} if t is not None and t.days else None
        )
        out["transit_figures"] = out["transit"]["figures"] if t is not None else []
        return out


@dataclass(frozen=True)
class RouteEnd:
    kind: str  # "country" or "place"
    code: str
    label: str
    country: str


@dataclass(frozen=True)
class Routes:
    """What `find_routes` found: the ends, the mode, the ways (shortest first) and why there is none."""

    from_: RouteEnd
    to_: RouteEnd
    mode: str
    routes: tuple[Way, ...]
    message: str
    as_of: str | None = None  # the day asked about (YYYY-MM-DD), None: the data as it is
    announced: bool = False  # announced dates taken as if they happened
    month: int | None = None  # the month the ways' seasonal closures were looked up for (1–12)

    def to_json(self) -> dict:
        """The stable JSON of `routes --json`."""
        return {**plain(replace(self, routes=())), "routes": [way.to_json() for way in self.routes]}


class RouteError(ValueError):
    """An end that is not a known country or place, or an unknown mode: the message says what is known."""


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "country" or "place"
    code: str  # ISO3 or node id
    label: str
    country: str  # ISO3 (a place's country)
    nodes: frozenset[str]


def _norm(text: str) -> str:
    return " ".join(str(text).replace("-", " ").replace("’", "'").casefold().split())


def known_countries(atlas: Atlas) -> dict[str, str]:
    """ISO3 -> name of every country with a place on the network, sorted by name."""
    codes = {n.country for n in atlas.nodes.values()}
    names = atlas.country_names
    return dict(sorted(((c, names.get(c, c)) for c in codes), key=lambda kv: kv[1]))


def resolve_endpoint(atlas: Atlas, text: str) -> Endpoint:
    """A country (ISO3 code or name) or a place (node id, name or alias), case-insensitive; RouteError if none."""
    wanted = _norm(text)
    if not wanted:
        raise RouteError("give a country (name or ISO3 code) or a place")
    countries = known_countries(atlas)
    for code, name in countries.items():
        if wanted in (_norm(code), _norm(name)):
            return Endpoint(
                "country", code, name, code, frozenset(n.id for n in atlas.nodes.values() if n.country == code)
            )
    for node in sorted(atlas.nodes.values(), key=lambda n: n.id):
        if wanted in {_norm(node.id), _norm(node.name), *(_norm(a) for a in node.aliases)}:
            return Endpoint("place", node.id, node.name, node.country, frozenset([node.id]))
    names = [f"{name} ({code})" for code, name in countries.items()]
    places = sorted(n.name for n in atlas.nodes.values())
    close = difflib.get_close_matches(str(text), [*countries.values(), *countries, *places], n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise RouteError(
        f"unknown country or place {text!r}.{hint} Known countries: {', '.join(names) or 'none'}. "
        f"Known places: {', '.join(places) or 'none'}."
    )


def _modes(mode: str) -> tuple[str, ...]:
    if mode not in MODE_CHOICES:
        raise RouteError(f"unknown mode {mode!r}; expected one of: {', '.join(MODE_CHOICES)}")
    return settings.MODES if mode == "either" else (mode,)


def _segment_km(atlas: Atlas, seg: Segment) -> float:
    cache = atlas.caches.setdefault("route_km", {})
    if seg.id not in cache:
        cache[seg.id] = line_length_km(seg.line)
    return cache[seg.id]


def _network(atlas: Atlas, modes: tuple[str, ...]) -> tuple[nx.DiGraph, dict[str, str], nx.DiGraph]:
    """The network both ways, one edge per pair of places (the shortest segment between them: `key`),
    weighted by drawn km; node -> country; and the country graph of the border links. Made once per
    atlas and modes (the atlas is read-only)."""
    cache = atlas.caches.setdefault("route_networks", {})
    if modes in cache:
        return cache[modes]
    graph = nx.DiGraph()
    country = {n.id: n.country for n in atlas.nodes.values()}
    for seg in atlas.segments.values():
        if seg.corridor not in atlas.corridors:  # its corridor was refused, or corridors.yaml could not be read
            continue
        if seg.mode in modes and seg.from_node in country and seg.to_node in country and seg.from_node != seg.to_node:
            km = _segment_km(atlas, seg)
            for u, v in ((seg.from_node, seg.to_node), (seg.to_node, seg.from_node)):
                if not graph.has_edge(u, v) or graph[u][v]["km"] > km:
                    graph.add_edge(u, v, key=seg.id, km=km)
    links = nx.DiGraph()
    links.add_edges_from((country[u], country[v]) for u, v in graph.edges() if country[u] != country[v])
    cache[modes] = (graph, country, links)
    return cache[modes]


def _country_paths(links: nx.DiGraph, start: str, end: str) -> list[tuple[str, ...]]:
    """Sequences of countries from `start` to `end` that the network's border links allow."""
    if start == end:
        return [(start,)]
    if start not in links or end not in links:
        return []
    return [tuple(p) for p in itertools.islice(nx.all_simple_paths(links, start, end, cutoff=MAX_COUNTRY_HOPS), 200)]


def _shortest_through(graph, country, sequence, origin, destination) -> list[str] | None:
    """Node ids of the shortest way from an origin node to a destination node whose places lie in the
    countries of `sequence`, entered in that order (never going back); None when there is none."""
    order = {code: i for i, code in enumerate(sequence)}

    def km(u, v, data):  # None hides an edge from Dijkstra
        step = order.get(country[v], -9) - order.get(country[u], -99)
        return data["km"] if step in (0, 1) else None

    sources = [n for n in origin if n in graph]
    if not sources:
        return None
    dist, paths = nx.multi_source_dijkstra(graph, sources, weight=km)
    reached = [n for n in destination if n in dist]
    if not reached:
        return None
    return paths[min(reached, key=lambda n: (dist[n], n))]


def _pick_segments(atlas: Atlas, graph, path: list[str]) -> list[tuple[Segment, bool]]:
    """The segment used between each pair of places (the shortest parallel one), with whether it is
    travelled against its drawn direction."""
    out = []
    for u, v in itertools.pairwise(path):
        seg = atlas.segments[graph[u][v]["key"]]
        out.append((seg, seg.from_node != u))
    return out


def _route_of(atlas: Atlas, seg: Segment) -> list[Segment]:
    """The corridor alignment a segment belongs to: its own corridor's main one when it is there."""
    owner = atlas.corridors.get(seg.corridor)
    if owner is None:
        return [seg]
    for route_id in atlas.route_ids(owner.id):
        segments = atlas.route(route_id)
        if any(s.id == seg.id for s in segments):
            return segments
    return [seg]


def _extend(atlas: Atlas, legs: list[tuple[Segment, bool]], code: str, modes, at_start: bool):
    """Carry a way on along the corridor that crosses into country `code`, while it stays in that country."""
    if not legs:
        return legs
    seg, flip = legs[0] if at_start else legs[-1]
    node = (seg.to_node if flip else seg.from_node) if at_start else (seg.from_node if flip else seg.to_node)
    used = {s.id for s, _ in legs}
    candidates = [s for s in _route_of(atlas, seg) if s.mode in modes]
    while True:
        nxt = next(
            (
                s
                for s in candidates
                if s.id not in used
                and node in (s.from_node, s.to_node)
                and atlas.nodes.get(s.to_node if s.from_node == node else s.from_node) is not None
                and atlas.nodes[s.to_node if s.from_node == node else s.from_node].country == code
            ),
            None,
        )
        if nxt is None:
            return legs
        used.add(nxt.id)
        other = nxt.to_node if nxt.from_node == node else nxt.from_node
        if at_start:  # travelled from `other` to `node`
            legs = [(nxt, nxt.from_node != other)] + legs
        else:
            legs = legs + [(nxt, nxt.from_node != node)]
        node = other


def _places(legs: list[tuple[Segment, bool]]) -> list[str]:
    if not legs:
        return []
    first, flip = legs[0]
    out = [first.to_node if flip else first.from_node]
    for seg, flip in legs:
        out.append(seg.from_node if flip else seg.to_node)
    return out


def _name(atlas: Atlas, node_id: str) -> str:
    node = atlas.nodes.get(node_id)
    return node.name if node else node_id


def _borders(atlas: Atlas, legs) -> list[Border]:
    out = []
    for seg, flip in legs:
        a, b = (seg.to_node, seg.from_node) if flip else (seg.from_node, seg.to_node)
        ca, cb = atlas.nodes[a].country, atlas.nodes[b].country
        if ca == cb:
            continue
        posts = [n for n in (a, b) if atlas.nodes[n].kind in ("border_crossing", "pass")]
        name = (
            " / ".join(_name(atlas, n) for n in posts) if posts else f"between {_name(atlas, a)} and {_name(atlas, b)}"
        )
        where = atlas.nodes[posts[-1] if posts else b]
        out.append(
            Border(
                name=name,
                from_country=ca,
                to_country=cb,
                segment=seg.id,
                mode=seg.mode,
                nodes=tuple(posts or [a, b]),
                lon=round(where.lon, 4),
                lat=round(where.lat, 4),
            )
        )
    return out


def segment_borders(atlas: Atlas, segments) -> list[Border]:
    """The borders the segments cross (a segment whose end places lie in two countries), each at its post,
    as a way's borders are found; drawn direction."""
    return _borders(atlas, [(seg, False) for seg in segments])


def _gauge_breaks(atlas: Atlas, legs) -> list[GaugeBreak]:
    """Where the track gauge changes along the rail parts of a way (unknown gauges are spanned)."""
    out, last, last_end, unknown_since = [], None, None, None
    for seg, flip in legs:
        start, end = (seg.to_node, seg.from_node) if flip else (seg.from_node, seg.to_node)
        if seg.mode != "rail":
            last, last_end, unknown_since = None, None, None  # goods change mode here anyway
            continue
        if seg.gauge_mm is None:
            unknown_since = unknown_since or start
            continue
        if last is not None and seg.gauge_mm != last:
            exact = unknown_since is None
            node = atlas.nodes[start if exact else last_end]
            where = _name(atlas, start) if exact else f"between {_name(atlas, last_end)} and {_name(atlas, start)}"
            out.append(
                GaugeBreak(
                    where=where,
                    node=node.id,
                    exact=exact,
                    from_gauge_mm=last,
                    to_gauge_mm=seg.gauge_mm,
                    country=atlas.nodes[start].country,
                    lon=round(atlas.nodes[start].lon, 4),
                    lat=round(atlas.nodes[start].lat, 4),
                )
            )
        last, last_end, unknown_since = seg.gauge_mm, end, None
    return out


def _mode_changes(atlas: Atlas, legs) -> list[ModeChange]:
    out = []
    for (a, fa), (b, _) in itertools.pairwise(legs):
        if a.mode != b.mode:
            node = a.from_node if fa else a.to_node
            place = atlas.nodes[node]
            out.append(ModeChange(place.name, node, a.mode, b.mode, round(place.lon, 4), round(place.lat, 4)))
    return out


def _excerpts(atlas: Atlas, corridor_ids: list[str]) -> list[WayExcerpt]:
    out, seen = [], set()
    for cid in corridor_ids:
        for v in excerpts_for_corridor(atlas, cid):
            ex = v.excerpt
            if ex.span in seen:  # one sentence about two corridors of the way: once
                continue
            seen.add(ex.span)
            out.append(
                WayExcerpt(
                    corridor=cid,
                    text=v.text,
                    article=ex.article,
                    article_title=v.article.title,
                    outlet=v.article.outlet,
                    date=v.article.date,
                    paragraph=ex.paragraph,
                    start=ex.start,
                    end=ex.end,
                )
            )
    return out


def describe_way(atlas: Atlas, legs: list[tuple[Segment, bool]]) -> Way:
    """Every figure of one way: lengths, km by status/mode/country, borders, gauge breaks, missing links."""
    places = _places(legs)
    sequence = countries_on_path(atlas, places)
    drawn = {seg.id: _segment_km(atlas, seg) for seg, _ in legs}
    by_status = {s: 0.0 for s in settings.STATUSES}
    by_mode = {m: 0.0 for m in settings.MODES}
    for seg, _ in legs:
        by_status[seg.status] += drawn[seg.id]
        by_mode[seg.mode] += drawn[seg.id]
    runs = route_countries(
        segment_country_runs(atlas, seg.id)[::-1] if flip else segment_country_runs(atlas, seg.id) for seg, flip in legs
    )
    # A leg's published length, when a source gives one for the segment as drawn (the first such figure).
    published = [
        (seg, whole[0]) for seg, _ in legs if (whole := [p for p in seg.published_lengths if p.covers == "route"])
    ]
    corridor_ids = list(dict.fromkeys(seg.corridor for seg, _ in legs))
    names = atlas.country_names
    if len(sequence) > 2:
        label = "via " + ", ".join(names.get(c, c) for c in sequence[1:-1])
    elif len(sequence) == 2:
        label = "direct"
    else:
        label = "within " + names.get(sequence[0], sequence[0]) if sequence else ""
    return Way(
        countries=tuple(sequence),
        country_names=tuple(names.get(c, c) for c in sequence),
        label=label,
        from_=places[0] if places else None,
        from_name=_name(atlas, places[0]) if places else "",
        to_=places[-1] if places else None,
        to_name=_name(atlas, places[-1]) if places else "",
        places=tuple(places),
        place_names=tuple(_name(atlas, p) for p in places),
        drawn_km=round(sum(drawn.values()), 1),
        published_km=round(sum(p.km for _, p in published), 1) if published else None,
        published_legs=len(published),
        legs_count=len(legs),
        drawn_km_of_published_legs=round(sum(drawn[s.id] for s, _ in published), 1),
        km_by_status={k: round(v, 1) for k, v in by_status.items()},
        km_by_mode={k: round(v, 1) for k, v in by_mode.items()},
        km_by_country=tuple(CountryKm(c, names.get(c, c), round(km, 1)) for c, km in runs),
        borders=tuple(_borders(atlas, legs)),
        gauge_breaks=tuple(_gauge_breaks(atlas, legs)),
        mode_changes=tuple(_mode_changes(atlas, legs)),
        gauge_unknown=tuple(
            GaugeUnknown(seg.id, _name(atlas, seg.from_node), _name(atlas, seg.to_node), round(drawn[seg.id], 1))
            for seg, _ in legs
            if seg.mode == "rail" and seg.gauge_mm is None
        ),
        missing_links=tuple(
            MissingLink(
                segment=seg.id,
                from_name=_name(atlas, seg.from_node),
                to_name=_name(atlas, seg.to_node),
                status=seg.status,
                mode=seg.mode,
                km=round(drawn[seg.id], 1),
                corridor=seg.corridor,
            )
            for seg, _ in legs
            if seg.status != "operational"
        ),
        corridors=tuple(
            WayCorridor(
                id=cid,
                name=atlas.corridors[cid].name if cid in atlas.corridors else cid,
                role=atlas.corridors[cid].role if cid in atlas.corridors else "article",
            )
            for cid in corridor_ids
        ),
        legs=tuple(
            Leg(
                segment=seg.id,
                corridor=seg.corridor,
                from_=seg.to_node if flip else seg.from_node,
                to_=seg.from_node if flip else seg.to_node,
                from_name=_name(atlas, seg.to_node if flip else seg.from_node),
                to_name=_name(atlas, seg.from_node if flip else seg.to_node),
                mode=seg.mode,
                status=seg.status,
                gauge_mm=seg.gauge_mm,
                accuracy=seg.accuracy,
                drawn_km=round(drawn[seg.id], 1),
                reversed=flip,
                published_lengths=tuple(
                    PublishedLength(p.km, p.source, p.scope, p.covers) for p in seg.published_lengths
                ),
                as_of=seg.as_of,
            )
            for seg, flip in legs
        ),
        excerpts=tuple(_excerpts(atlas, corridor_ids)),
    )


def find_routes(
    atlas: Atlas,
    origin: str,
    destination: str,
    mode: str = "either",
    limit: int = MAX_ALTERNATIVES,
    asof: str | None = None,
    announced: bool = False,
    month: int | None = None,
) -> Routes:
    """The distinct ways from `origin` to `destination` (countries or places), shortest first, each with its
    transit estimate (geo/transit.py; `month`, 1–12: whether its seasonal closures shut it that month).

    With `asof` (YYYY, YYYY-MM or YYYY-MM-DD; a month or year means its last day), the network as it stood that
    day: only the segments that existed, with their status then, and each way's `open` and closures that day
    (`announced`: announced dates as if they happened). `Routes.message` says why there is none. Raises
    RouteError for an unknown country, place or mode, or a date that is not one.
    """
    if asof is not None:
        try:
            view = AtlasAsOf(atlas, asof, announced)
        except ValueError as exc:
            raise RouteError(f"--asof: {exc}") from None
        found = find_routes(view, origin, destination, mode, limit, month=month)
        day = view.on.isoformat()
        message = found.message + (f" as of {day}" if found.message.startswith("no way") else "")
        return replace(
            found,
            routes=tuple(_as_of(atlas, way, view) for way in found.routes),
            message=message,
            as_of=day,
            announced=announced,
        )
    modes = _modes(mode)
    start, end = resolve_endpoint(atlas, origin), resolve_endpoint(atlas, destination)
    ends = {
        "from_": RouteEnd(start.kind, start.code, start.label, start.country),
        "to_": RouteEnd(end.kind, end.code, end.label, end.country),
        "mode": mode,
    }
    if start.nodes & end.nodes or (start.kind == end.kind == "country" and start.code == end.code):
        return Routes(**ends, routes=(), message="origin and destination are the same")
    found: dict[tuple[str, ...], tuple[float, list]] = {}
    # By road or rail: a way all by road or all by rail is preferred to a mixed one unless that is
    # shorter by more than a change of mode costs.
    for networks in [modes] if len(modes) == 1 else [modes, *((m,) for m in modes)]:
        graph, country, links = _network(atlas, networks)
        for sequence in _country_paths(links, start.country, end.country):
            path = _shortest_through(graph, country, sequence, start.nodes, end.nodes)
            if not path or len(path) < 2:
                continue
            legs = _pick_segments(atlas, graph, path)
            if start.kind == "country":
                legs = _extend(atlas, legs, start.code, networks, at_start=True)
            if end.kind == "country":
                legs = _extend(atlas, legs, end.code, networks, at_start=False)
            key = tuple(countries_on_path(atlas, _places(legs)))
            changes = sum(a.mode != b.mode for (a, _), (b, _) in itertools.pairwise(legs))
            score = sum(_segment_km(atlas, s) for s, _ in legs) + MODE_CHANGE_KM * changes
            if key not in found or score < found[key][0]:
                found[key] = (score, legs)
    ways = [describe_way(atlas, legs) for _, legs in sorted(found.values(), key=lambda kv: kv[0])][:limit]
    if month is not None and not (isinstance(month, int) and 1 <= month <= 12):
        raise RouteError(f"unknown month {month!r}; expected 1 to 12")
    ways = [replace(way, id=f"way-{i + 1}") for i, way in enumerate(ways)]
    ways = [replace(way, transit=way_transit(atlas, way, month)) for way in ways]
    message = (
        ""
        if ways
        else (
            f"no way from {start.label} to {end.label} by {'road or rail' if mode == 'either' else mode} "
            "on the corridors in the data"
        )
    )
    return Routes(**ends, routes=tuple(ways), message=message, month=month)


def _as_of(atlas: Atlas, way: Way, view: AtlasAsOf) -> Way:
    """A way found on the network of a day, with what was open or closed on it that day."""
    closures, suspended = [], []
    for leg in way.legs:
        state = view.states[leg.segment]
        closures += [
            WayClosure(leg.segment, leg.from_name, leg.to_name, c.from_, c.to, c.source, c.note, c.until)
            for c in state.closures
        ]
        if state.suspended:
            suspended.append(leg.segment)
    return replace(
        way,
        as_of=view.on.isoformat(),
        open=not closures and not suspended,
        closures=tuple(closures),
        suspended=tuple(suspended),
    )


def statuses_as_of(way: Way) -> str:
    """The dates of the sources that confirm its legs' statuses: '2021-04-27 to 2026-11', or one date."""
    dates = sorted({leg.as_of for leg in way.legs if leg.as_of}, key=lambda d: (d + "-99-99")[:10])
    if not dates:
        return ""
    return dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"


def comparison_rows(result: Routes) -> list[dict]:
    """One flat row per way, for a side-by-side table or CSV (column name -> value)."""
    rows = []
    for way in result.routes:
        row = {
            "way": way.id,
            "countries": " → ".join(way.countries),
            "from": way.from_name,
            "to": way.to_name,
            "drawn km": way.drawn_km,
            "published km (legs with one)": way.published_km,
            "legs with a published length": f"{way.published_legs} of {way.legs_count}",
        }
        row.update({f"{settings.STATUS_LABELS[s].lower()} km": way.km_by_status[s] for s in settings.STATUSES})
        row.update({f"{m} km": way.km_by_mode[m] for m in settings.MODES})
        row["km by country"] = "; ".join(f"{c.country} {c.km:g}" for c in way.km_by_country)
        row["border crossings"] = len(way.borders)
        row["crossings"] = "; ".join(f"{b.name} ({b.from_country}→{b.to_country})" for b in way.borders)
        row["gauge breaks"] = "; ".join(f"{g.where} ({g.from_gauge_mm}→{g.to_gauge_mm} mm)" for g in way.gauge_breaks)
        row["mode changes"] = "; ".join(f"{m.where} ({m.from_mode}→{m.to_mode})" for m in way.mode_changes)
        row["unbuilt links"] = "; ".join(
            f"{m.from_name}–{m.to_name} ({m.status.replace('_', ' ')}, {m.km:g} km)" for m in way.missing_links
        )
        row["corridors"] = "; ".join(c.name for c in way.corridors)
        row["statuses as of"] = statuses_as_of(way)
        if result.as_of:
            row["on " + result.as_of] = "open" if way.open else "closed"
        if way.transit is not None:
            row.update(transit_row(way.transit))
        rows.append(row)
    return rows
