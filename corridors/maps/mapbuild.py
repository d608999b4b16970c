"""Build the folium map: a stable base (basemap) and the layers that change with the view.

The base map only changes with the basemap, so streamlit-folium keeps its iframe; corridors, places,
borders and overlays are feature groups passed separately (`feature_group_to_add`), which it swaps
in place. Every string from data is escaped (`safe.html_text`) before it reaches folium.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import folium
import xyzservices.providers as xyz

from corridors import settings
from corridors.maps import assets, labels, timebar
from corridors.maps.fullscreen import add_fullscreen
from corridors.maps.keyboard import keep_shapes_out_of_tab_order
from corridors.maps.mapdata import MapData
from corridors.maps.resize import keep_corner_on_resize
from corridors.maps.viewstate import ViewState
from corridors.safe import html_text
from corridors.summaries import gauge_text

# Fixed marker shapes per node kind (no data in them).
NODE_ICONS = {
    "city": ("●", "#333333", 12),
    "station": ("○", "#333333", 12),
    "junction": ("■", "#555555", 10),
    "border_crossing": ("◆", "#b5179e", 14),
    "pass": ("▲", "#7b4a12", 13),
    "port": ("⚓", "#0b5394", 15),
}
HALO_COLOUR = "#ffd400"


# Drawn over a schematic segment's line: its white core makes the line look hollow.
SCHEMATIC_CORE = {"color": "#ffffff", "weight": 1.5, "opacity": 0.95}


def line_style(colour: str, status: str, selected: bool = False, quiet: bool = False) -> dict:
    style = {"color": colour, "weight": settings.STATUS_WEIGHT[status] + (2 if selected else 0), "opacity": 0.95}
    if quiet and not selected:  # a connecting leg: thinner and fainter than the article's corridors
        style.update(weight=style["weight"] - settings.CONNECTING_WEIGHT_LESS, opacity=settings.CONNECTING_OPACITY)
    if settings.STATUS_DASH[status]:
        style["dashArray"] = settings.STATUS_DASH[status]
    return style


def tile_key_variable(basemap: str) -> str | None:
    """The environment variable holding the API key a tile basemap needs (CARTO since 2026), or None."""
    if basemap == settings.DEFAULT_BASEMAP or not xyz.query_name(basemap).requires_token():
        return None
    return basemap.split(".")[0].upper().replace("CARTODB", "CARTO") + "_API_KEY"


def missing_tile_key(basemap: str) -> str | None:
    """The environment variable a tile basemap needs and that is not set, or None."""
    variable = tile_key_variable(basemap)
    return variable if variable and not os.environ.get(variable) else None


def _tile_url(provider) -> str:
    variable = tile_key_variable(provider.name)
    return provider.build_url(apikey=os.environ.get(variable, "")) if variable else provider.build_url()


def base_map(data: MapData, basemap: str, fill_frame: bool = False) -> folium.Map:
    """The map's stable part: the basemap (offline land shapes, or a tile service) and Leaflet served locally.

    `fill_frame`: the map takes its frame's whole height, which the page sets (the map page's, from the window's)."""
    if missing_tile_key(basemap):
        basemap = settings.DEFAULT_BASEMAP  # its tiles would all be refused: draw the offline basemap instead
    center, zoom = data.start_view
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, control_scale=True, min_zoom=2, max_zoom=14)
    m.default_js, m.default_css = assets.local_js(), assets.local_css()
    keep_shapes_out_of_tab_order(m)
    if fill_frame:
        m.get_root().header.add_child(folium.Element("<style>#map_div{height:100vh !important}</style>"))
        keep_corner_on_resize(m)
    if basemap == settings.DEFAULT_BASEMAP:
        m.get_root().header.add_child(
            folium.Element(f"<style>.leaflet-container{{background:{settings.OFFLINE_SEA}}}</style>")
        )
        land = {
            "type": "FeatureCollection",
            "features": [{**f, "properties": {}} for f in data.country_features] + data.world_features,
        }
        folium.GeoJson(
            land,
            name="land",
            control=False,
            interactive=False,
            # no outline: pieces cut at the region's edge would show the cut; borders are an overlay
            style_function=lambda _: {"stroke": False, "fillColor": settings.OFFLINE_LAND, "fillOpacity": 1},
        ).add_to(m)
    else:
        provider = xyz.query_name(basemap)
        folium.TileLayer(
            tiles=_tile_url(provider),
            attr=provider.html_attribution,
            name=settings.BASEMAPS[basemap],
            max_zoom=provider.get("max_zoom", 18),
        ).add_to(m)
    return add_fullscreen(m)


def _tooltip(field: str = "tip") -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=[field], labels=False, sticky=True)


def _not_open(data: MapData, state: ViewState, seg) -> str:
    """Why an operational segment was not open on the view's date ('' when it was, or for today's view)."""
    network = data.network_on(getattr(state, "asof", None))
    then = network.states.get(seg.id) if network else None
    if then is None or then.open or then.status != "operational":
        return ""
    if then.closed:
        return "closed"
    if then.suspended:
        return "suspended"
    return "closed for the season (" + ", ".join(f"{c.from_} to {c.to}" for c in then.closures) + ")"


def _segment_tip(data: MapData, cid: str, seg, state: ViewState | None = None) -> str:
    corridor, nodes = data.atlas.corridors[cid], data.atlas.nodes
    ends = " – ".join(html_text(nodes[n].name if n in nodes else n) for n in (seg.from_node, seg.to_node))
    gauge = f" · {html_text(gauge_text(seg))}" if seg.mode == "rail" else ""
    exact = "<br><i>schematic: drawn straight between its end places</i>" if seg.accuracy == "schematic" else ""
    asof = getattr(state, "asof", None)
    when = " (then)" if asof else ""  # the date is on the badge: months with the same network share a rendering
    shut = _not_open(data, state, seg) if asof else ""
    shut = f"<br><b>not open then:</b> {html_text(shut)}" if shut else ""
    return (
        f"<b>{html_text(corridor.name)}</b><br>{ends}<br>"
        f"{settings.STATUS_LABELS[seg.status]}{when} · {settings.MODE_LABELS[seg.mode]}{gauge}{exact}{shut}"
    )


def corridor_layer(data: MapData, state: ViewState) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="Corridors")
    visible, selected = data.visible_segments(state), state.selected
    if selected in visible and data.route_segments(selected, state):  # the whole selected route, shared ones too
        halo = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": data.segment_geometry[s.id], "properties": {"corridor": selected}}
                for s in data.route_segments(selected, state)
            ],
        }
        folium.GeoJson(
            halo,
            name="selection",
            interactive=False,
            style_function=lambda _: {"color": HALO_COLOUR, "weight": 12, "opacity": 0.8},
        ).add_to(group)
    for cid, segments in visible.items():
        if not segments:
            continue
        colour, is_selected, quiet = data.colours[cid], cid == selected, cid in data.connecting
        features = [
            {
                "type": "Feature",
                "geometry": data.segment_geometry[s.id],
                "properties": {
                    "corridor": cid,
                    "segment": s.id,
                    "status": s.status,
                    "tip": _segment_tip(data, cid, s, state),
                },
            }
            for s in segments
        ]
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=cid,
            style_function=lambda f, c=colour, sel=is_selected, q=quiet: line_style(
                c, f["properties"]["status"], sel, q
            ),
            highlight_function=lambda f: {"weight": 9, "opacity": 1},
            tooltip=_tooltip(),
        ).add_to(group)
        schematic = [f for f, s in zip(features, segments) if s.accuracy == "schematic"]
        if schematic:  # a hollow line: a reader can tell a straight guess from a line drawn through places
            folium.GeoJson(
                {"type": "FeatureCollection", "features": schematic},
                name=f"{cid}-schematic",
                interactive=False,
                style_function=lambda _: SCHEMATIC_CORE,
            ).add_to(group)
        dashed = [f for f in features if settings.STATUS_DASH[f["properties"]["status"]]]
        if dashed:  # the gaps of a dashed line take no clicks: an invisible wide line on top does
            folium.GeoJson(
                {"type": "FeatureCollection", "features": dashed},
                name=f"{cid}-hit",
                style_function=lambda _: {"weight": 14, "opacity": 0},
                tooltip=_tooltip(),
            ).add_to(group)
    return group


def nodes_layer(data: MapData) -> folium.FeatureGroup | None:
    group = folium.FeatureGroup(name="Places")
    names = data.atlas.country_names
    for kind, (symbol, colour, size) in NODE_ICONS.items():
        feats = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(n.lon, 4), round(n.lat, 4)]},
                "properties": {
                    "node": n.id,
                    "tip": f"<b>{html_text(n.name)}</b><br>"
                    f"{settings.NODE_KIND_LABELS[kind]}, {html_text(names.get(n.country, n.country))}",
                },
            }
            for n in data.atlas.nodes.values()
            if n.kind == kind
        ]
        if not feats:
            continue
        icon = folium.DivIcon(
            html=f'<div class="node-{kind}" style="font-size:{size}px;line-height:{size}px;'
            f'color:{colour};text-shadow:0 0 2px #fff,0 0 2px #fff">{symbol}</div>',
            icon_size=(size, size),
            icon_anchor=(size // 2, size // 2),
            class_name="node-icon",
        )
        folium.GeoJson(
            {"type": "FeatureCollection", "features": feats},
            name=f"nodes-{kind}",
            # keyboard=False: out of the Tab order (dozens of unnamed stops); the sidebar is the keyboard path
            marker=folium.Marker(icon=icon, keyboard=False),
            tooltip=_tooltip(),
        ).add_to(group)
    return group if group._children else None


def countries_layer(data: MapData) -> folium.FeatureGroup | None:
    if not data.nearby_country_features:
        return None
    group = folium.FeatureGroup(name="Countries")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": data.nearby_country_features},
        name="countries",
        style_function=lambda _: {"color": "#6b6b6b", "weight": 1, "fill": True, "fillOpacity": 0},
        tooltip=_tooltip(),
    ).add_to(group)
    return group


def organisation_layer(data: MapData, org_id: str) -> folium.FeatureGroup | None:
    org = data.atlas.organisations[org_id]
    colour = settings.ORGANISATION_COLOURS.get(org_id, "#444444")
    shapes = {f["properties"]["iso3"]: f for f in data.nearby_country_features}
    feats = []
    for member in org.members:
        if member.country in shapes:
            since = f" since {html_text(member.joined)}" if member.joined else ""
            note = f" ({html_text(member.note)})" if member.note else ""
            tip = f"<b>{html_text(org.name)}</b><br>{shapes[member.country]['properties']['tip']}: member{since}{note}"
            feats.append({**shapes[member.country], "properties": {"organisation": org_id, "tip": tip}})
    if not feats:  # no member in the region drawn
        return None
    group = folium.FeatureGroup(name=org.name)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name=f"org-{org_id}",
        style_function=lambda _: {
            "color": colour,
            "weight": 1.5,
            "dashArray": "4 4",
            "fillColor": colour,
            "fillOpacity": 0.16,
        },
        tooltip=_tooltip(),
    ).add_to(group)
    return group


def overlay_layers(data: MapData, state: ViewState, badge: bool = True) -> list[folium.FeatureGroup]:
    """The layers for a view, bottom to top: borders, organisations, corridors, places, labels (empty ones left out)."""
    layers = []
    if "countries" in state.overlays:
        layers.append(countries_layer(data))
    layers += [organisation_layer(data, o) for o in data.atlas.organisations if o in state.overlays]
    layers.append(corridor_layer(data, state))
    if "nodes" in state.overlays:
        layers.append(nodes_layer(data))
    layers.append(labels.label_layer(data, state))
    asof = getattr(state, "asof", None)
    if asof and badge:
        layers.append(date_badge(data, asof))
    return [layer for layer in layers if layer is not None]


def date_badge(data: MapData, asof: str) -> folium.FeatureGroup:
    """The 'as of 2014-12' badge over the map (the future's says announced dates are taken as holding)."""
    return timebar.badge_layer(timebar.asof_label(data.atlas, asof), timebar.is_future(data.atlas, asof))


@dataclass(frozen=True)
class LegendEntry:
    kind: str  # "corridor", "status", "node", "organisation", "own" (an uploaded layer)
    label: str  # plain text (escape when rendering)
    colour: str = "#333333"
    dash: str | None = None
    symbol: str = ""


def legend_entries(data: MapData, state: ViewState) -> list[LegendEntry]:
    """Exactly what is visible: the drawn corridors, the statuses drawn, places and overlays shown."""
    visible = data.visible_segments(state)
    out = [
        LegendEntry(
            "corridor",
            data.atlas.corridors[cid].name + (" (connecting leg)" if cid in data.connecting else ""),
            data.colours[cid],
        )
        for cid in visible
    ]
    shown = {s.status for segs in visible.values() for s in segs}
    out += [
        LegendEntry("status", settings.STATUS_LABELS[s], "#333333", settings.STATUS_DASH[s])
        for s in settings.STATUSES
        if s in shown
    ]
    if any(s.accuracy == "schematic" for segs in visible.values() for s in segs):
        out.append(
            LegendEntry(
                "schematic", "Hollow line: schematic, straight between its end places (not to scale)", "#333333"
            )
        )
    if "nodes" in state.overlays:
        kinds = {n.kind for n in data.atlas.nodes.values()}
        out += [
            LegendEntry("node", settings.NODE_KIND_LABELS[k], NODE_ICONS[k][1], symbol=NODE_ICONS[k][0])
            for k in NODE_ICONS
            if k in kinds
        ]
    out += [
        LegendEntry(
            "organisation",
            f"{data.atlas.organisations[o].name} members",
            settings.ORGANISATION_COLOURS.get(o, "#444444"),
        )
        for o in data.atlas.organisations
        if o in state.overlays
    ]
    if "countries" in state.overlays:
        out.append(LegendEntry("countries", "Country borders", "#6b6b6b"))
    return out


def _swatch_line(colour: str, dash: str | None, height: int) -> str:
    """A line sample in plain CSS (the page's HTML sanitiser drops SVG): dashes as a repeating gradient."""
    if dash:
        on, off = (int(x) for x in dash.split())
        fill = f"repeating-linear-gradient(90deg,{colour} 0 {on}px,transparent {on}px {on + off}px)"
    else:
        fill = colour
    return (
        f'<span style="display:inline-block;vertical-align:middle;width:34px;height:{height}px;'
        f'background:{fill}"></span>'
    )


def legend_html(entries: list[LegendEntry]) -> str:
    """The legend as small escaped HTML; swatches in CSS."""
    rows = []
    for e in entries:
        if e.kind in ("corridor", "status", "own"):  # "own": an analyst's uploaded layer
            swatch = _swatch_line(e.colour, e.dash, 4)
        elif e.kind == "schematic":
            swatch = (
                f'<span style="display:inline-block;vertical-align:middle;width:34px;height:2px;'
                f'background:#fff;border-top:2px solid {e.colour};border-bottom:2px solid {e.colour}"></span>'
            )
        elif e.kind == "countries":
            swatch = _swatch_line(e.colour, None, 1)
        elif e.kind == "organisation":
            swatch = (
                f'<span style="display:inline-block;vertical-align:middle;width:30px;height:10px;margin:0 2px;'
                f'background:{e.colour}40;border:1px solid {e.colour}"></span>'
            )
        else:
            swatch = (
                f'<span style="display:inline-block;width:34px;text-align:center;color:{e.colour}">{e.symbol}</span>'
            )
        rows.append(f'<div class="legend-row legend-{e.kind}">{swatch} {html_text(e.label)}</div>')
    body = "".join(rows) or "<div>Nothing is shown: switch on a corridor or relax the filters.</div>"
    return (
        f'<div class="corridor-legend" style="font-size:0.85rem;line-height:1.6;columns:2 16em">'
        f'<div style="font-weight:600">Legend</div>{body}</div>'
    )
