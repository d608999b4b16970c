"""The maps' common parts: the base map (basemap, Leaflet served locally), line and marker styles, country
borders, the date's badge and the legend.

The base map only changes with the basemap, so streamlit-folium keeps its iframe while the layers change.
The map page draws its layers from its pack (pack.py, atlasmap.js) with these styles; the Routes and
Present maps add folium layers of their own. Every string from data is escaped (`safe.html_text`)
before it reaches folium.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import folium
import xyzservices.providers as xyz

from corridors import settings
from corridors.maps import assets, timebar
from corridors.maps.fullscreen import add_fullscreen
from corridors.maps.keyboard import keep_shapes_out_of_tab_order
from corridors.maps.mapdata import MapData
from corridors.maps.resize import keep_corner_on_resize
from corridors.maps.viewstate import ViewState
from corridors.safe import html_text

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
COUNTRY_STYLE = {"color": "#6b6b6b", "weight": 1, "fill": True, "fillOpacity": 0}  # borders, names on hover


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


def base_map(data: MapData, basemap: str, fill_frame: bool = False, land: bool = True) -> folium.Map:
    """The map's stable part: the basemap (offline land shapes, or a tile service) and Leaflet served locally.

    `fill_frame`: the map takes its frame's whole height, which the page sets (the map page's, from the window's).
    `land=False`: the offline basemap's sea only; its land is drawn by the caller (the map page's, from its pack)."""
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
    if basemap == settings.DEFAULT_BASEMAP and land:
        shapes = {
            "type": "FeatureCollection",
            "features": [{**f, "properties": {}} for f in data.country_features] + data.world_features,
        }
        folium.GeoJson(
            shapes,
            name="land",
            control=False,
            interactive=False,
            # no outline: pieces cut at the region's edge would show the cut; borders are an overlay
            style_function=lambda _: {"stroke": False, "fillColor": settings.OFFLINE_LAND, "fillOpacity": 1},
        ).add_to(m)
    elif basemap != settings.DEFAULT_BASEMAP:
        provider = xyz.query_name(basemap)
        folium.TileLayer(
            tiles=_tile_url(provider),
            attr=provider.html_attribution,
            name=settings.BASEMAPS[basemap],
            max_zoom=provider.get("max_zoom", 18),
        ).add_to(m)
    return add_fullscreen(m)


def countries_layer(data: MapData) -> folium.FeatureGroup | None:
    if not data.nearby_country_features:
        return None
    group = folium.FeatureGroup(name="Countries")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": data.nearby_country_features},
        name="countries",
        style_function=lambda _: COUNTRY_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    ).add_to(group)
    return group


def date_badge(data: MapData, asof: str) -> folium.FeatureGroup:
    """The 'as of 2014-12' badge over the map (the future's says announced dates are taken as holding)."""
    return timebar.badge_layer(timebar.asof_label(data.atlas, asof), timebar.is_future(data.atlas, asof))


@dataclass(frozen=True)
class LegendEntry:
    kind: str  # "corridor", "more" (the count of corridors not listed), "status", "node", "organisation", "own"
    label: str  # plain text (escape when rendering)
    colour: str = "#333333"
    dash: str | None = None
    symbol: str = ""


LEGEND_CORRIDORS = 30  # corridor rows in a legend; a larger atlas ends the list with a count of the others


def legend_entries(data: MapData, state: ViewState) -> list[LegendEntry]:
    """Exactly what is visible: the drawn corridors (the first LEGEND_CORRIDORS, the selected one among them,
    then a count of the rest), the statuses drawn, places and overlays shown."""
    visible = data.visible_segments(state)
    listed = list(visible)[:LEGEND_CORRIDORS]
    if state.selected in visible and state.selected not in listed:
        listed[-1] = state.selected  # the selected corridor is always in the legend
    out = [
        LegendEntry(
            "corridor",
            data.atlas.corridors[cid].name + (" (connecting leg)" if cid in data.connecting else ""),
            data.colours[cid],
        )
        for cid in listed
    ]
    if len(visible) > len(listed):
        more = len(visible) - len(listed)
        out.append(LegendEntry("more", f"… and {more:,} more corridor{'s' if more > 1 else ''} shown"))
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
        elif e.kind == "more":
            swatch = '<span style="display:inline-block;width:34px"></span>'
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
