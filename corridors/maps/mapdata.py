"""Everything the map needs, prepared once per atlas: colours, simplified rounded geometry, countries crossed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import shapely

from corridors import settings
from corridors.data.atlas import Atlas
from corridors.data.history import STATUS_RANK, StatusOn, record_on
from corridors.data.model import Segment
from corridors.geo.geometry import countries_crossed
from corridors.geo.timeline import segment_on
from corridors.maps.timebar import announced_for
from corridors.maps.viewfit import fit_view
from corridors.maps.viewstate import ViewState
from corridors.safe import html_text


def _rounded(geom, tolerance: float, decimals: int = settings.MAP_COORD_DECIMALS) -> dict:
    simple = shapely.simplify(geom, tolerance, preserve_topology=True)
    simple = shapely.set_precision(simple, 10**-decimals)
    return shapely.geometry.mapping(simple)


class MapData:
    """Prepared, read-only view data of one atlas (build once; cache it per process)."""

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self.connecting = [cid for cid, c in atlas.corridors.items() if c.role == "connecting"]
        ids = [cid for cid in atlas.corridors if cid not in self.connecting]
        palette, quiet = settings.CORRIDOR_PALETTE, settings.CONNECTING_PALETTE
        self.colours = {cid: palette[i % len(palette)] for i, cid in enumerate(ids)}
        self.colours.update({cid: quiet[i % len(quiet)] for i, cid in enumerate(self.connecting)})
        self.corridor_segments = {cid: atlas.corridor_segments(cid) for cid in atlas.corridors}
        self.crossed = {
            cid: {code for route_id in atlas.route_ids(cid) for code, _ in countries_crossed(atlas, route_id)}
            for cid in atlas.corridors
        }
        self._visible: dict[tuple, dict[str, list[Segment]]] = {}
        self._as_of: dict[str, NetworkOn] = {}
        self._chains: dict[tuple[str, ...], set[str]] = {}
        self.memo: dict = {}  # what the layers compute from this atlas and keep (labels' points), by key
        self.segment_geometry = {
            seg.id: _rounded(seg.line, settings.MAP_LINE_TOLERANCE_DEG) for seg in atlas.segments.values()
        }

    @cached_property
    def segment_index(self) -> dict[str, int]:
        """Each segment's place in the atlas's order (the map's pack lists them so)."""
        return {sid: i for i, sid in enumerate(self.atlas.segments)}

    @cached_property
    def corridor_index(self) -> dict[str, int]:
        """Each corridor's place in the atlas's order (the map's pack lists them so)."""
        return {cid: i for i, cid in enumerate(self.atlas.corridors)}

    @cached_property
    def node_index(self) -> dict[str, int]:
        """Each place's place in the atlas's order (the map's pack lists them so)."""
        return {nid: i for i, nid in enumerate(self.atlas.nodes)}

    @cached_property
    def modes(self) -> dict[str, list[str]]:
        """Corridor ids grouped by mode, in data order (connecting legs apart, in `connecting`)."""
        groups: dict[str, list[str]] = {m: [] for m in settings.MODES}
        for cid, corridor in self.atlas.corridors.items():
            if cid not in self.connecting:
                groups[corridor.mode].append(cid)
        return {m: ids for m, ids in groups.items() if ids}

    @cached_property
    def countries_crossed_any(self) -> list[str]:
        """ISO3 codes of every country some corridor crosses, sorted by name (the country filter's choices)."""
        codes = set().union(*self.crossed.values()) if self.crossed else set()
        names = self.atlas.country_names
        return sorted(codes, key=lambda c: names.get(c, c))

    @cached_property
    def country_features(self) -> list[dict]:
        """Every country, simplified for the map: the offline basemap's land."""
        out = []
        for iso3, name, geom in zip(
            self.atlas.countries["iso3"], self.atlas.countries["name"], self.atlas.countries.geometry
        ):
            out.append(
                {
                    "type": "Feature",
                    "geometry": _rounded(geom, settings.MAP_COUNTRY_TOLERANCE_DEG, settings.MAP_COUNTRY_DECIMALS),
                    "properties": {"iso3": iso3, "tip": html_text(name)},
                }
            )
        return out

    @cached_property
    def world_features(self) -> list[dict]:
        """The land outside the region (world.geojson, already coarse and rounded): the rest of the basemap."""
        if self.atlas.world is None:
            return []
        return [
            {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": {}}
            for geom in self.atlas.world.geometry
        ]

    @cached_property
    def nearby_country_features(self) -> list[dict]:
        """The countries around the corridors (for borders, names and memberships): fewer bytes per rerun."""
        if self._all_bounds is None:
            return self.country_features
        west, south, east, north = self._all_bounds
        m = settings.MAP_OVERLAY_MARGIN_DEG
        area = shapely.box(west - m, south - m, east + m, north + m)
        near = {
            iso
            for iso, geom in zip(self.atlas.countries["iso3"], self.atlas.countries.geometry)
            if geom.intersects(area)
        }
        # A country cut at the region's edge is made whole with its part in world.geojson, so its outline
        # follows its borders, not the cut.
        rest = {} if self.atlas.world is None else dict(zip(self.atlas.world["iso3"], self.atlas.world.geometry))
        out = []
        for (iso3, geom), f in zip(
            zip(self.atlas.countries["iso3"], self.atlas.countries.geometry), self.country_features
        ):
            if iso3 not in near:
                continue
            if iso3 in rest:
                whole = shapely.union(shapely.make_valid(geom), shapely.make_valid(rest[iso3]))
                f = {
                    **f,
                    "geometry": _rounded(whole, settings.MAP_COUNTRY_TOLERANCE_DEG, settings.MAP_COUNTRY_DECIMALS),
                }
            out.append(f)
        return out

    @cached_property
    def _all_bounds(self) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of every segment; None when there are none."""
        lines = [s.line for s in self.atlas.segments.values()]
        return tuple(shapely.total_bounds(lines)) if lines else None

    @cached_property
    def start_view(self) -> tuple[tuple[float, float], int]:
        """Centre and zoom that show every corridor (the map's opening view)."""
        if self._all_bounds is None:
            return settings.MAP_CENTER, settings.MAP_ZOOM
        west, south, east, north = self._all_bounds
        return fit_view((south, west, north, east))

    def bounds(self, corridor_id: str) -> tuple[float, float, float, float] | None:
        """(south, west, north, east) of a corridor with its alternatives; None when nothing is drawn."""
        lines = [s.line for s in self.corridor_segments.get(corridor_id, [])]
        if not lines:
            return None
        west, south, east, north = shapely.total_bounds(lines)
        return south, west, north, east

    def connecting_corridors(self, countries: tuple[str, ...]) -> set[str]:
        """Corridors on the ways (geo.routes) between two countries, by road or rail; empty unless two are given."""
        if len(countries) != 2:
            return set()
        if countries not in self._chains:
            from corridors.geo.routes import find_routes

            ways = find_routes(self.atlas, *countries).routes
            self._chains[countries] = {c.id for way in ways for c in way.corridors}
        return self._chains[countries]

    def _passes(self, cid: str, state: ViewState) -> bool:
        if cid not in state.corridors or not state.countries:
            return cid in state.corridors
        if state.country_match == "connects":  # with other than two countries, no country filter yet
            return len(state.countries) != 2 or cid in self.connecting_corridors(state.countries)
        return bool(self.crossed.get(cid, set()) & set(state.countries))

    def network_on(self, asof: str | None) -> NetworkOn | None:
        """The segments as they stood on `asof` (None: today, the atlas as loaded); remembered per date."""
        if asof is None:
            return None
        found = self._as_of.get(asof)
        if found is None:  # shared by every session: compute into a local, never read back a cleared entry
            found = network_on(self, asof)
            if len(self._as_of) > 512:
                self._as_of.clear()
            self._as_of[asof] = found
        return found

    def route_segments(self, cid: str, state: ViewState) -> list[Segment]:
        """All segments of one corridor (main and alternatives) of a chosen status and mode; as of the view's
        date when it has one (the segments not there yet left out, each with its status then)."""
        network = self.network_on(getattr(state, "asof", None))
        segments = self.corridor_segments[cid] if network is None else network.corridor_segments[cid]
        return [s for s in segments if s.status in state.statuses and s.mode in state.modes]

    def visible_segments(self, state: ViewState) -> dict[str, list[Segment]]:
        """Segments to draw per corridor: switched on, crossing a filtered country, of a chosen status and mode.

        A segment shared by several corridors (the KKH inside the CPEC alignments) is drawn once: by the
        corridor that owns it when that one is shown, else by the first shown corridor that uses it.
        Remembered per filter combination: the layers, the legend and the download all ask for it.
        """
        key = (state.corridors, state.statuses, state.modes, state.countries, state.country_match, state.asof)
        found = self._visible.get(key)
        if found is None:  # shared by every session: compute into a local, never read back a cleared entry
            found = self._visible_segments(state)
            if len(self._visible) > 256:
                self._visible.clear()
            self._visible[key] = found
        return found

    def _visible_segments(self, state: ViewState) -> dict[str, list[Segment]]:
        shown = [cid for cid in self.atlas.corridors if self._passes(cid, state)]
        routes = {cid: self.route_segments(cid, state) for cid in shown}
        route_ids = {cid: {s.id for s in segs} for cid, segs in routes.items()}
        drawer: dict[str, str] = {}
        for cid in shown:
            for seg in routes[cid]:
                if seg.id not in drawer:
                    owner_draws = seg.id in route_ids.get(seg.corridor, ())
                    drawer[seg.id] = seg.corridor if owner_draws else cid
        drawn = {cid: [s for s in segs if drawer[s.id] == cid] for cid, segs in routes.items() if segs}
        if getattr(state, "asof", None):  # as of a date: a corridor none of whose own lines existed is not shown
            drawn = {cid: segs for cid, segs in drawn.items() if segs}
        return drawn


@dataclass(frozen=True)
class NetworkOn:
    """The network on a day: each existing segment with its status then (`corridor_segments`, as MapData's),
    every segment's StatusOn (`states`: open, closures, suspensions) and whether announced dates were used."""

    asof: str
    announced: bool
    states: dict[str, StatusOn]
    corridor_segments: dict[str, list[Segment]]
    signature: tuple = ()  # what the map draws from it (status, open, closures of each segment): equal, same lines


def network_on(data: MapData, asof: str) -> NetworkOn:
    """Each segment as of `asof` (its own history). A segment with no dated history follows its corridor's own
    events: hidden while the corridor did not exist yet, and no further along than the corridor then, nor than
    the segment is today (exports/player.js applies the same rules in the HTML file)."""
    atlas = data.atlas
    announced = announced_for(atlas, asof)
    states = {sid: segment_on(seg, asof, announced) for sid, seg in atlas.segments.items()}
    owners: dict[str, StatusOn] = {}
    for sid, state in list(states.items()):
        corridor = atlas.corridors.get(atlas.segments[sid].corridor)
        if state.dated or not state.exists or corridor is None:
            continue
        if corridor.id not in owners:
            owners[corridor.id] = record_on(corridor.status, corridor.events, asof, announced)
        owner = owners[corridor.id]
        if not owner.dated:
            continue
        if not owner.exists:
            states[sid] = replace(state, status=None, open=False)
        elif STATUS_RANK[owner.status] < STATUS_RANK[state.status]:
            states[sid] = replace(state, status=owner.status, open=owner.open and state.open)
    segments = {
        cid: [replace(s, status=states[s.id].status) for s in segs if states[s.id].exists]
        for cid, segs in data.corridor_segments.items()
    }
    signature = tuple(
        (sid, st.status, st.open, st.suspended, st.closed, tuple((c.from_, c.to) for c in st.closures))
        for sid, st in states.items()
    )
    return NetworkOn(asof, announced, states, segments, signature)
