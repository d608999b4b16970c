"""Everything the map needs, prepared once per atlas: colours, simplified rounded geometry, countries crossed."""

from __future__ import annotations

from functools import cached_property

import shapely

from corridors import settings
from corridors.data.atlas import Atlas
from corridors.data.model import Segment
from corridors.geo.geometry import countries_crossed
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
        self._chains: dict[tuple[str, ...], set[str]] = {}
        self.segment_geometry = {
            seg.id: _rounded(seg.line, settings.MAP_LINE_TOLERANCE_DEG) for seg in atlas.segments.values()
        }

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

    def route_segments(self, cid: str, state: ViewState) -> list[Segment]:
        """All segments of one corridor (main and alternatives) of a chosen status and mode."""
        return [s for s in self.corridor_segments[cid] if s.status in state.statuses and s.mode in state.modes]

    def visible_segments(self, state: ViewState) -> dict[str, list[Segment]]:
        """Segments to draw per corridor: switched on, crossing a filtered country, of a chosen status and mode.

        A segment shared by several corridors (the KKH inside the CPEC alignments) is drawn once: by the
        corridor that owns it when that one is shown, else by the first shown corridor that uses it.
        Remembered per filter combination: the layers, the legend and the download all ask for it.
        """
        key = (state.corridors, state.statuses, state.modes, state.countries, state.country_match)
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
        return {cid: [s for s in segs if drawer[s.id] == cid] for cid, segs in routes.items() if segs}
