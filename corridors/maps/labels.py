"""Names on the map: countries, the main places and the corridors, readable on a projector.

`map_labels` is pure: it turns an atlas view into a list of `Label`s (plain text, a point or several
candidate points, a priority and the smallest zoom at which to show it). The folium map, the
self-contained HTML export and the PNG export all draw from it. In the browser `labels.js` places them:
in priority order, a label that would overlap one already placed (or that is too wide for its country)
is hidden, so labels appear where they do not clutter and more of them as one zooms in. Labels take no
clicks and no keyboard focus, and their text is set with `textContent`, never parsed as HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import folium
import shapely
import shapely.ops
from branca.element import MacroElement
from jinja2 import Template

from corridors import settings
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import ViewState

# Priority of a place's kind (lower wins a collision) and the zoom from which it is labelled.
PLACE_RANK = {"port": 0, "city": 1, "border_crossing": 2, "pass": 2, "station": 3, "junction": 3}
PLACE_MIN_ZOOM = {"port": 4, "city": 4, "border_crossing": 6, "pass": 5, "station": 7, "junction": 7}
COUNTRY_MIN_ZOOM = 3
# Where along a corridor its name may sit (fractions of the drawn route), tried in this order.
CORRIDOR_ANCHORS = (0.5, 0.35, 0.65, 0.2, 0.8)


@dataclass(frozen=True)
class Label:
    kind: str  # "corridor", "country" or "place"
    text: str  # plain text: escape (or set as textContent) when drawing
    points: tuple[tuple[float, float], ...]  # candidate (lon, lat) positions, best first (a place: right, left)
    rank: int  # lower is placed first
    min_zoom: int = 0
    colour: str = "#222222"
    width_deg: float = 0.0  # a country's east-west extent: its label is hidden when wider than that


def short_name(name: str) -> str:
    """A corridor's name without its parenthesis: 'ML-1 railway (Karachi–Peshawar Main Line)' -> 'ML-1 railway'."""
    head = name.split(" (", 1)[0].strip()
    return head or name


def _label_points(data: MapData, segments) -> tuple[tuple[float, float], ...]:
    """Where a corridor's name may sit on its drawn segments (remembered per set of segments)."""
    key = ("corridor-label", tuple(s.id for s in segments))
    found = data.memo.get(key)
    if found is None:
        merged = shapely.line_merge(shapely.union_all([s.line for s in segments]))
        longest = max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)
        found = tuple(
            (round(p.x, 3), round(p.y, 3)) for p in (longest.interpolate(f, normalized=True) for f in CORRIDOR_ANCHORS)
        )
        data.memo[key] = found
    return found


def corridor_labels_by_id(data: MapData, state: ViewState) -> dict[str, Label]:
    """The name of each corridor drawn, by corridor id, in the order they are placed (the selected one first)."""
    out = {}
    for i, (cid, segments) in enumerate(data.visible_segments(state).items()):
        if not segments:
            continue
        selected = cid == state.selected
        out[cid] = Label(
            "corridor",
            short_name(data.atlas.corridors[cid].name),
            _label_points(data, segments),
            rank=0 if selected else 1 + i,
            colour=data.colours[cid],
        )
    return out


def _corridor_labels(data: MapData, state: ViewState) -> list[Label]:
    return list(corridor_labels_by_id(data, state).values())


def country_labels(data: MapData) -> list[Label]:
    """Each nearby country's name at a point inside it (shown from COUNTRY_MIN_ZOOM, where it fits)."""
    near = {f["properties"]["iso3"] for f in data.nearby_country_features}
    out = []
    for iso3, name, geom in zip(
        data.atlas.countries["iso3"], data.atlas.countries["name"], data.atlas.countries.geometry
    ):
        if iso3 not in near or geom is None or geom.is_empty:
            continue
        main = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        spot = shapely.ops.polylabel(main, tolerance=0.2) if main.geom_type == "Polygon" else main.centroid
        west, _, east, _ = main.bounds
        out.append(
            Label(
                "country",
                name,
                ((round(spot.x, 2), round(spot.y, 2)),),
                rank=100,
                min_zoom=COUNTRY_MIN_ZOOM,
                colour="#6b6257",
                width_deg=round(east - west, 2),
            )
        )
    return out


def _beside(node) -> tuple[tuple[float, float], ...]:
    """A place's candidates: its point twice; the first label sits right of the point, the second left."""
    point = (round(node.lon, 4), round(node.lat, 4))
    return (point, point)


def _main_places(data: MapData, state: ViewState) -> set[str]:
    """Places that matter at a glance: the ends of each corridor shown and where corridors meet."""
    users: dict[str, set[str]] = {}
    ends: set[str] = set()
    for cid, segments in data.visible_segments(state).items():
        route = data.atlas.route(cid)
        if route:
            ends.update((route[0].from_node, route[-1].to_node))
        for s in segments:
            for n in (s.from_node, s.to_node):
                users.setdefault(n, set()).add(cid)
    return ends | {n for n, cids in users.items() if len(cids) > 1}


def place_order(data: MapData, state: ViewState, places: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    """The places on the corridors shown, other than `places`, in the order they are named, each with whether
    it is a main place (an end of a corridor shown, or where corridors meet): main places first, then by kind,
    then by how many segments meet there."""
    degree: dict[str, int] = {}
    for segments in data.visible_segments(state).values():
        for s in segments:
            for n in (s.from_node, s.to_node, *s.via):
                degree[n] = degree.get(n, 0) + 1
    main = _main_places(data, state)
    nodes = [data.atlas.nodes[n] for n in degree if n in data.atlas.nodes and n not in places]
    nodes.sort(key=lambda n: (n.id not in main, PLACE_RANK.get(n.kind, 3), -degree[n.id], n.name))
    return [(n.id, n.id in main) for n in nodes]


def place_min_zoom(kind: str, main: bool) -> int:
    """The zoom from which a place is named: a main place from the ports' zoom, the others later by kind."""
    zoom = PLACE_MIN_ZOOM.get(kind, 7)
    return min(zoom, PLACE_MIN_ZOOM["port"]) if main else max(zoom, PLACE_MIN_ZOOM["port"] + 1)


def _place_labels(data: MapData, state: ViewState, places: tuple[str, ...] = ()) -> list[Label]:
    """Places on the corridors shown: ports, corridor ends and junctions from the first zoom, other places
    as one zooms in (`place_order`); `places` (a briefing stop's) first and at every zoom, on a shown corridor
    or not."""
    chosen = [data.atlas.nodes[n] for n in dict.fromkeys(places) if n in data.atlas.nodes]
    out = [Label("place", n.name, _beside(n), rank=20 + i) for i, n in enumerate(chosen)]
    nodes = data.atlas.nodes
    return out + [
        Label("place", nodes[n].name, _beside(nodes[n]), rank=50 + i, min_zoom=place_min_zoom(nodes[n].kind, main))
        for i, (n, main) in enumerate(place_order(data, state, places))
    ]


def map_labels(data: MapData, state: ViewState, places: tuple[str, ...] = ()) -> list[Label]:
    """Every label of a view, in the order they are placed: corridors, `places`, other places, countries."""
    if state.labels == "off":
        return []
    return sorted(
        _corridor_labels(data, state) + _place_labels(data, state, places) + country_labels(data),
        key=lambda label: label.rank,
    )


def label_size_px(size: str) -> int:
    return settings.LABEL_SIZE_PX.get(size, settings.LABEL_SIZE_PX["normal"])


def safe_json(value) -> str:
    """JSON to put inside a <script>: no character of it can end the script or start markup or a template."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    for char in "<>&`$'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def labels_payload(labels: list[Label]) -> list[dict]:
    """Labels as plain dicts for the browser (short keys: it ships with every view)."""
    return [
        {
            "k": lb.kind,
            "t": lb.text,
            "p": [list(p) for p in lb.points],
            "z": lb.min_zoom,
            "c": lb.colour,
            "w": lb.width_deg,
        }
        for lb in labels
    ]


@lru_cache(maxsize=1)
def labels_js() -> str:
    """The browser side: `window.atlasLabels.add(group, labels, sizePx)`."""
    return (Path(__file__).with_name("labels.js")).read_text(encoding="utf-8")


class _LabelScript(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.library }}
        window.atlasLabels.add({{ this._parent.get_name() }}, {{ this.payload }}, {{ this.size }});
        {% endmacro %}
    """)

    def __init__(self, payload: str, size: int):
        super().__init__()
        self._name = "LabelScript"
        # The placer ships with the layer: streamlit-folium does not run scripts in the map's header.
        self.payload, self.size, self.library = payload, size, labels_js()


def label_layer(data: MapData, state: ViewState, places: tuple[str, ...] = ()) -> folium.FeatureGroup | None:
    """The labels of a view as a feature group (its markers are made in the browser by labels.js); `places`
    (a briefing stop's) are named first. For a projector: `state.with_(labels="large")`."""
    labels = map_labels(data, state, places)
    if not labels:
        return None
    group = folium.FeatureGroup(name="Labels")
    group.add_child(_LabelScript(safe_json(labels_payload(labels)), label_size_px(state.labels)))
    return group


def country_label_layer(data: MapData, size: str = "normal") -> folium.FeatureGroup | None:
    """Only the country names (the Routes map: its ways carry their own marks), placed like the map page's."""
    labels = country_labels(data)
    if not labels:
        return None
    group = folium.FeatureGroup(name="Country names")
    group.add_child(_LabelScript(safe_json(labels_payload(labels)), label_size_px(size)))
    return group
