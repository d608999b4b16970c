"""The Routes page's map: every way in its own colour, border crossings and gauge breaks marked and labelled.

Pure folium (no Streamlit). Every string from data is escaped (`safe.html_text`) before it reaches folium.
"""

from __future__ import annotations

import folium

from corridors import settings
from corridors.geo.routes import Leg, Routes, Way
from corridors.maps.labels import country_label_layer
from corridors.maps.mapbuild import base_map, countries_layer
from corridors.maps.mapdata import MapData
from corridors.safe import html_text

# Marker symbols (no data in them): a square for a border crossing, a diamond for a gauge break,
# a triangle where goods change between road and rail.
MARKS = {
    "border": ("■", "#1b1b3a", "Border crossing"),
    "gauge": ("◆", "#c1121f", "Gauge break"),
    "mode": ("▲", "#6a6a6a", "Road ↔ rail"),
}


def way_colour(index: int) -> str:
    palette = settings.ROUTE_PALETTE
    return palette[index % len(palette)]


def way_title(way: Way) -> str:
    """Plain text: "Way 2: Pakistan → China → Kazakhstan"."""
    return f"Way {way.id.split('-')[-1]}: " + " → ".join(way.country_names)


def _way_tip(way: Way, leg: Leg) -> str:
    gauge = f" · {leg.gauge_mm:,} mm" if leg.gauge_mm else ""
    return (
        f"<b>{html_text(way_title(way))}</b><br>{html_text(leg.from_name)} – {html_text(leg.to_name)}<br>"
        f"{settings.STATUS_LABELS[leg.status]} · {settings.MODE_LABELS[leg.mode]}{gauge} · "
        f"{leg.drawn_km:,.0f} km drawn"
    )


def _style(colour: str, status: str, emphasis: str) -> dict:
    weight = {"selected": 8, "normal": 5, "faded": 3}[emphasis]
    style = {"color": colour, "weight": weight, "opacity": {"selected": 1.0, "normal": 0.9, "faded": 0.35}[emphasis]}
    if settings.STATUS_DASH[status]:
        style["dashArray"] = settings.STATUS_DASH[status]
    return style


def _marks(result: Routes) -> list[dict]:
    """Border crossings, gauge breaks and mode changes of every way, one mark per place and kind."""
    found: dict[tuple, dict] = {}
    for way in result.routes:
        title = way_title(way)
        for b in way.borders:
            key = ("border", b.name)
            mark = found.setdefault(
                key,
                {
                    "kind": "border",
                    "label": b.name,
                    "lat": b.lat,
                    "lon": b.lon,
                    "detail": f"{b.from_country} → {b.to_country} ({b.mode})",
                    "ways": [],
                },
            )
            mark["ways"].append(title)
        for g in way.gauge_breaks:
            key = ("gauge", g.node, g.from_gauge_mm, g.to_gauge_mm)
            label = f"{g.where}: {g.from_gauge_mm:,} → {g.to_gauge_mm:,} mm"
            mark = found.setdefault(
                key,
                {
                    "kind": "gauge",
                    "label": label,
                    "lat": g.lat,
                    "lon": g.lon,
                    "detail": "track gauge changes",
                    "ways": [],
                },
            )
            mark["ways"].append(title)
        for m in way.mode_changes:
            key = ("mode", m.node)
            mark = found.setdefault(
                key,
                {
                    "kind": "mode",
                    "label": f"{m.where}: {m.from_mode} → {m.to_mode}",
                    "lat": m.lat,
                    "lon": m.lon,
                    "detail": "goods change mode",
                    "ways": [],
                },
            )
            mark["ways"].append(title)
    return list(found.values())


def _mark_marker(mark: dict, offset: int) -> folium.Marker:
    symbol, colour, kind_label = MARKS[mark["kind"]]
    label = html_text(mark["label"])
    sym = f'<span style="color:{colour};font-size:15px;text-shadow:0 0 2px #fff,0 0 2px #fff">{symbol}</span>'
    text = (
        f'<span class="route-mark-label" style="background:rgba(255,255,255,.85);padding:0 3px;'
        f'border-radius:3px;color:#222">{label}</span>'
    )
    # Gauge breaks are labelled to the left of their mark, crossings and mode changes to the right, so
    # that a break next to a border post (Zahedan by Mirjaveh) keeps both labels readable.
    left = mark["kind"] == "gauge"
    shift = "position:absolute;right:0;top:0;" if left else ""  # its right end (the mark) on the place
    icon = folium.DivIcon(
        html=(
            f'<div class="route-mark route-mark-{mark["kind"]}" style="white-space:nowrap;font-size:12px;'
            f'line-height:14px;margin-top:{offset}px;{shift}">'
            + (f"{text} {sym}" if left else f"{sym} {text}")
            + "</div>"
        ),
        icon_size=(14, 14),
        icon_anchor=(7, 7),
        class_name="route-mark-icon",
    )
    tip = f"<b>{kind_label}: {label}</b><br>{html_text(mark['detail'])}<br>" + "<br>".join(
        html_text(w) for w in mark["ways"]
    )
    return folium.Marker([mark["lat"], mark["lon"]], icon=icon, tooltip=folium.Tooltip(tip, sticky=True))


def routes_map(
    data: MapData, result: Routes, selected: str | None = None, basemap: str = settings.DEFAULT_BASEMAP
) -> folium.Map:
    """The base map with every way of `find_routes`'s result drawn; `selected` (a way id) highlighted."""
    m = base_map(data, basemap)
    # the countries under the ways, as on the map page: borders and names, so a reader sees where they run
    for layer in (countries_layer(data), country_label_layer(data)):
        if layer is not None:
            layer.add_to(m)
    ways = result.routes
    order = sorted(range(len(ways)), key=lambda i: ways[i].id == selected)  # the selected one on top
    lats, lons = [], []
    for i in order:
        way = ways[i]
        colour = way_colour(i)
        emphasis = "selected" if way.id == selected else "faded" if selected else "normal"
        features = [
            {
                "type": "Feature",
                "geometry": data.segment_geometry[leg.segment],
                "properties": {"way": way.id, "status": leg.status, "tip": _way_tip(way, leg)},
            }
            for leg in way.legs
            if leg.segment in data.segment_geometry
        ]
        for f in features:
            for lon, lat in f["geometry"]["coordinates"]:
                lons.append(lon)
                lats.append(lat)
        if emphasis == "selected":
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                name=f"{way.id}-halo",
                interactive=False,
                style_function=lambda _: {"color": "#ffd400", "weight": 14, "opacity": 0.7},
            ).add_to(m)
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=way.id,
            style_function=lambda f, c=colour, e=emphasis: _style(c, f["properties"]["status"], e),
            highlight_function=lambda f: {"weight": 9, "opacity": 1},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        ).add_to(m)
    seen: dict[tuple, int] = {}
    for mark in _marks(result):
        spot = (round(mark["lat"], 2), round(mark["lon"], 2))
        seen[spot] = seen.get(spot, -1) + 1  # two marks at one place: the second label a line lower
        _mark_marker(mark, 16 * seen[spot]).add_to(m)
    if lats:
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    return m


def routes_geojson(data: MapData, result: Routes) -> dict:
    """Every way as one GeoJSON feature (a MultiLineString of its legs, travel order) with its figures."""
    features = []
    for i, way in enumerate(result.routes):
        lines = []
        for leg in way.legs:
            coords = [list(c) for c in data.atlas.segments[leg.segment].line.coords]
            lines.append(coords[::-1] if leg.reversed else coords)
        props = {k: v for k, v in way.to_json().items() if k not in ("legs", "excerpts")}
        props.update(
            colour=way_colour(i),
            title=way_title(way),
            segments=[leg.segment for leg in way.legs],
            origin=result.from_.label,
            destination=result.to_.label,
            mode=result.mode,
        )
        features.append(
            {"type": "Feature", "geometry": {"type": "MultiLineString", "coordinates": lines}, "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}
