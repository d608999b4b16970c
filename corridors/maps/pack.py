"""The map page's layers as data for the browser: one pack per data version, and a small message per view.

The pack (`atlas_pack`) holds everything about the atlas that no view changes: every segment's line
(quantised, delta-coded), its ends and mode as tooltip text, the places, the country shapes with their
memberships, the basemap's land, the styles and the country names. It is published once per data
version as a content-named file (`pack_bytes`, `pack_name`) that the browser fetches once and keeps
(nginx serves it `immutable`). A view (`view_message`) then says only what to draw from it: the
segments shown, as runs of pack indices, per drawing corridor; statuses that differ on the view's date;
the selection; the overlays; the order of the place names. `atlasmap.js` draws it with Leaflet as
folium drew it before (same layers, order, styles, tooltips, clicks), so the message for a toggle at
100 times the bundled network is tens of kilobytes, not tens of megabytes.

Every string from data is escaped here (`html_text`) before it reaches the browser; names meant as plain
text (place and corridor labels) are set there with `textContent`.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from corridors import settings
from corridors.maps import labels as names
from corridors.maps.mapbuild import COUNTRY_STYLE, HALO_COLOUR, NODE_ICONS, SCHEMATIC_CORE, line_style
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import ViewState, default_state
from corridors.safe import html_text
from corridors.summaries import gauge_text

PACK_FORMAT = 1
HALO_STYLE = {"color": HALO_COLOUR, "weight": 12, "opacity": 0.8}
HIGHLIGHT_STYLE = {"weight": 9, "opacity": 1}
HIT_STYLE = {"weight": 14, "opacity": 0}


def _delta(coords, scale: int) -> list[int]:
    """[[x, y], ...] as whole numbers at `scale`, each pair the difference from the one before."""
    out, px, py = [], 0, 0
    for x, y in coords:
        qx, qy = round(x * scale), round(y * scale)
        out += (qx - px, qy - py)
        px, py = qx, qy
    return out


def _line_parts(geom: dict, scale: int) -> list[list[int]]:
    parts = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
    return [_delta(part, scale) for part in parts]


def _areas(geom: dict, scale: int) -> list[list[list[int]]]:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [[_delta(ring, scale) for ring in poly] for poly in polys]


def _runs(indices: list[int]) -> list[int]:
    """Ascending runs as [start, length, start, length, ...], in the order given."""
    out: list[int] = []
    for i in indices:
        if out and out[-2] + out[-1] == i:
            out[-1] += 1
        else:
            out += (i, 1)
    return out


def _segment_mode_text(seg) -> str:
    gauge = f" · {html_text(gauge_text(seg))}" if seg.mode == "rail" else ""
    exact = "<br><i>schematic: drawn straight between its end places</i>" if seg.accuracy == "schematic" else ""
    return f" · {settings.MODE_LABELS[seg.mode]}{gauge}{exact}"


def _country_labels(data: MapData) -> list[dict]:
    return names.labels_payload(names.country_labels(data))


def atlas_pack(data: MapData) -> dict:
    """Everything the map page's layers need that no view changes (see the module's text)."""
    atlas = data.atlas
    line_scale, area_scale = 10**settings.MAP_COORD_DECIMALS, 10**settings.MAP_COUNTRY_DECIMALS
    corridor_index, node_index = data.corridor_index, data.node_index
    nodes = atlas.nodes
    segments = []
    for seg in atlas.segments.values():
        ends = " – ".join(html_text(nodes[n].name if n in nodes else n) for n in (seg.from_node, seg.to_node))
        segments.append(
            [
                seg.id,
                corridor_index.get(seg.corridor, -1),
                settings.STATUSES.index(seg.status),
                _line_parts(data.segment_geometry[seg.id], line_scale),
                ends,
                _segment_mode_text(seg),
                1 if seg.accuracy == "schematic" else 0,
                [node_index.get(n, -1) for n in (seg.from_node, seg.to_node, *seg.via)],
            ]
        )
    kinds = list(NODE_ICONS)
    country_names = atlas.country_names
    places = [
        [
            n.id,
            round(n.lon, 4),
            round(n.lat, 4),
            kinds.index(n.kind),
            f"<b>{html_text(n.name)}</b><br>"
            f"{settings.NODE_KIND_LABELS[n.kind]}, {html_text(country_names.get(n.country, n.country))}",
            n.name,
        ]
        for n in nodes.values()
    ]
    icons = [
        [
            kind,
            f'<div class="node-{kind}" style="font-size:{size}px;line-height:{size}px;'
            f'color:{colour};text-shadow:0 0 2px #fff,0 0 2px #fff">{symbol}</div>',
            size,
            colour,  # a dot of this colour where the places are many (atlasmap.js: on a canvas)
        ]
        for kind, (symbol, colour, size) in NODE_ICONS.items()
    ]
    shapes = data.nearby_country_features
    country_index = {f["properties"]["iso3"]: i for i, f in enumerate(shapes)}
    countries = [[f["properties"]["iso3"], f["properties"]["tip"], _areas(f["geometry"], area_scale)] for f in shapes]
    organisations = []
    for org_id, org in atlas.organisations.items():
        colour = settings.ORGANISATION_COLOURS.get(org_id, "#444444")
        members = []
        for member in org.members:
            if member.country in country_index:
                since = f" since {html_text(member.joined)}" if member.joined else ""
                note = f" ({html_text(member.note)})" if member.note else ""
                tip = shapes[country_index[member.country]]["properties"]["tip"]
                members.append(
                    [country_index[member.country], f"<b>{html_text(org.name)}</b><br>{tip}: member{since}{note}"]
                )
        style = {"color": colour, "weight": 1.5, "dashArray": "4 4", "fillColor": colour, "fillOpacity": 0.16}
        organisations.append([org_id, style, members])
    land = [f["geometry"] for f in data.country_features] + [f["geometry"] for f in data.world_features]
    route_ends = []
    for cid in atlas.corridors:
        route = atlas.route(cid)
        route_ends.append(
            [node_index.get(route[0].from_node, -1), node_index.get(route[-1].to_node, -1)] if route else []
        )
    return {
        "format": PACK_FORMAT,
        "lineScale": line_scale,
        "areaScale": area_scale,
        "statusLabels": [settings.STATUS_LABELS[s] for s in settings.STATUSES],
        # styles[status][selected][quiet]: as mapbuild.line_style gives them
        "styles": [
            [[line_style("", s, sel, quiet) for quiet in (False, True)] for sel in (False, True)]
            for s in settings.STATUSES
        ],
        "halo": HALO_STYLE,
        "core": SCHEMATIC_CORE,
        "hit": HIT_STYLE,
        "highlight": HIGHLIGHT_STYLE,
        "corridors": [
            [cid, html_text(c.name), data.colours[cid], 1 if cid in data.connecting else 0, names.short_name(c.name)]
            for cid, c in atlas.corridors.items()
        ],
        "routeEnds": route_ends,
        "segments": segments,
        "icons": icons,
        "places": places,
        "countries": countries,
        "countryStyle": COUNTRY_STYLE,
        "organisations": organisations,
        "land": [_areas(g, area_scale) for g in land if g["type"] in ("Polygon", "MultiPolygon")],
        "landStyle": {"stroke": False, "fillColor": settings.OFFLINE_LAND, "fillOpacity": 1},
        "countryLabels": _country_labels(data),
        # each corridor's name's candidate points as drawn in the opening view (a view sends only others)
        "corridorPoints": [_default_label_points(data).get(cid) for cid in atlas.corridors],
        # places of each kind (icons' order): the zoom from which they are named ([a main place, another]) and
        # their rank when names collide (labels.place_order: atlasmap.js orders them the same way)
        "placeZoom": [[names.place_min_zoom(k, True), names.place_min_zoom(k, False)] for k in kinds],
        "placeRank": [names.PLACE_RANK.get(k, 3) for k in kinds],
        # the opening view's lines: a view sends what differs from them
        "lines": [[ci, runs] for ci, runs in _opening_lines(data).items()],
    }


def pack_bytes(data: MapData) -> bytes:
    """The pack as the file the browser fetches (compact JSON, ASCII)."""
    return json.dumps(atlas_pack(data), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def pack_name(content: bytes) -> str:
    """The pack's file name: its content's hash (a new data version is a new name: cached for ever)."""
    return f"atlas-{hashlib.sha256(content).hexdigest()[:20]}.json"


def _corridor_label_points(data: MapData, state: ViewState) -> dict[str, list]:
    return {lb_cid: [list(p) for p in lb.points] for lb_cid, lb in names.corridor_labels_by_id(data, state).items()}


def _default_label_points(data: MapData) -> dict[str, list]:
    """Each corridor's name's candidate points in the opening view (the pack's default)."""
    found = data.memo.get("default-label-points")
    if found is None:
        found = data.memo["default-label-points"] = _corridor_label_points(data, default_state(data.atlas.corridors))
    return found


def _lines_of(data: MapData, state: ViewState) -> list[list]:
    """[corridor index, runs of segment indices] of each corridor drawn, in the atlas's order."""
    corridor_index, segment_index = data.corridor_index, data.segment_index
    return [
        [corridor_index[cid], _runs([segment_index[s.id] for s in segs])]
        for cid, segs in data.visible_segments(state).items()
    ]


def _opening_lines(data: MapData) -> dict[int, list]:
    found = data.memo.get("opening-lines")
    if found is None:
        found = data.memo["opening-lines"] = dict(map(tuple, _lines_of(data, default_state(data.atlas.corridors))))
    return found


def _lines_diff(data: MapData, lines: list[list]) -> dict:
    """The view's lines as what differs from the pack's (the opening view's): corridors not drawn, and those
    drawn otherwise or in addition (atlasmap.js merges them back in the atlas's order)."""
    opening, drawn = _opening_lines(data), dict(map(tuple, lines))
    return {
        "drop": [ci for ci in opening if ci not in drawn],
        "put": [[ci, runs] for ci, runs in drawn.items() if opening.get(ci) != runs],
    }


def lines_drawn(pack: dict, view: dict) -> dict[int, list[int]]:
    """The lines a view draws, read back from the pack as atlasmap.js reads them: corridor index -> runs."""
    drawn = {ci: runs for ci, runs in pack["lines"]}
    for ci in view["lines"]["drop"]:
        drawn.pop(ci, None)
    drawn.update((ci, runs) for ci, runs in view["lines"]["put"])
    return dict(sorted(drawn.items()))


def view_message(data: MapData, state: ViewState) -> dict:
    """What to draw from the pack for one view (the map's camera, `state.view`, is not in it)."""
    atlas = data.atlas
    corridor_index = data.corridor_index
    segment_index = data.segment_index
    network = data.network_on(getattr(state, "asof", None))
    visible = data.visible_segments(state)
    statuses, shut = [], []
    for segs in visible.values():
        for s in segs:
            today = atlas.segments[s.id].status
            if s.status != today:
                statuses.append([segment_index[s.id], settings.STATUSES.index(s.status)])
    if network is not None:
        for segs in visible.values():
            for s in segs:
                reason = _not_open(network, s)
                if reason:
                    shut.append([segment_index[s.id], html_text(reason)])
    selected = state.selected if state.selected in visible else None
    halo = (
        _runs([segment_index[s.id] for s in data.route_segments(selected, state)])
        if selected and data.route_segments(selected, state)
        else []
    )
    message = {
        "lines": _lines_diff(data, _lines_of(data, state)),
        "status": statuses,
        "shut": shut,
        "then": bool(getattr(state, "asof", None)),
        "selected": corridor_index[selected] if selected else -1,
        "halo": halo,
        "countries": "countries" in state.overlays,
        "places": "nodes" in state.overlays,
        "organisations": [i for i, o in enumerate(atlas.organisations) if o in state.overlays],
        "labels": None,
    }
    if state.labels != "off":
        points = _corridor_label_points(data, state)
        default = _default_label_points(data)
        # the places' names are ordered in the browser from the lines drawn (as labels.place_order does)
        message["labels"] = {
            "size": names.label_size_px(state.labels),
            "corridorPoints": [[corridor_index[c], p] for c, p in points.items() if default.get(c) != p],
        }
    return message


def _not_open(network, seg) -> str:
    """Why an operational segment was not open on the view's date ('' when it was)."""
    then = network.states.get(seg.id)
    if then is None or then.open or then.status != "operational":
        return ""
    if then.closed:
        return "closed"
    if then.suspended:
        return "suspended"
    return "closed for the season (" + ", ".join(f"{c.from_} to {c.to}" for c in then.closures) + ")"


def view_script(message: dict, source: str) -> str:
    """The layer script streamlit-folium evaluates for a view: one feature group that atlasmap.js fills from
    the pack (`source`: its address, or its name where the base map carries it inline)."""
    source = names.safe_json(source)
    return (
        "(function(){var g=L.featureGroup();map_div.addLayer(g);"
        "window.feature_group=window.feature_group||[];window.feature_group.push(g);"
        f"window.atlasMap.draw(map_div,g,{source},{names.safe_json(message)});}})();\n"
    )


@lru_cache(maxsize=1)
def atlasmap_js() -> str:
    """The browser side: `window.atlasMap` (atlasmap.js)."""
    return Path(__file__).with_name("atlasmap.js").read_text(encoding="utf-8")


class AtlasMapScript(JSCSSMixin, MacroElement):
    """Run with the base map's own script (once, when the map is made): the browser side of the pack and of the
    names (labels.js: as script files the browser keeps when `scripts` gives their addresses, else inline), the
    pack itself when it is carried inline, and the offline basemap's land from it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.library }}
        {{ this.labels }}
        {% if this.inline %}window.atlasMap.define({{ this.source }}, {{ this.inline }});{% endif %}
        {% if this.land %}window.atlasMap.land({{ this._parent.get_name() }}, {{ this.source }});{% endif %}
        {% endmacro %}
    """)

    def __init__(self, source: str, land: bool, inline: dict | None = None, scripts: tuple[str, str] | None = None):
        super().__init__()
        self._name = "AtlasMapScript"
        if scripts is None:
            self.default_js = []
            self.library, self.labels = atlasmap_js(), names.labels_js()
        else:  # loaded after Leaflet, before the map's script (streamlit-folium loads them in order)
            self.default_js = [("atlasmap", scripts[0]), ("atlas_labels", scripts[1])]
            self.library = self.labels = ""
        self.source, self.land = names.safe_json(source), land
        self.inline = names.safe_json(inline) if inline is not None else ""
