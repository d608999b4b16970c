"""An analyst's own layers on the map (issue 20): each uploaded layer as a feature group in its chosen colour,
drawn over the corridors; hover for its name, click a feature for its attributes.

Everything from the file (its name, field names, values) is escaped with `safe.html_text` before it reaches
folium, which does not escape popups or tooltips. A feature's properties hold only the escaped tooltip and
popup and the layer's id, never the file's own attributes, so a file's `corridor` or `node` field cannot
make a click select a corridor or a place.
"""

from __future__ import annotations

import folium
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping

from corridors.data.userlayers import UserLayer
from corridors.maps.mapbuild import LegendEntry
from corridors.safe import html_text

COORD_DECIMALS = 5  # about a metre: finer than any line on screen, and a smaller page than the file's digits
MAX_POPUP_FIELDS = 30
# Above the places' and names' markers (Leaflet's markerPane is 600) and below tooltips (650): what the analyst
# brought is what they came to click.
PANE, PANE_Z = "own-layers", 640


class _Pane(MacroElement):
    """Makes the map's pane for own layers once (every layer's script asks; the first one makes it)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        if (!{{ this._parent._parent.get_name() }}.getPane({{ this.pane|tojson }})) {
            {{ this._parent._parent.get_name() }}.createPane({{ this.pane|tojson }}).style.zIndex = {{ this.z }};
        }
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "OwnLayersPane"
        self.pane, self.z = PANE, PANE_Z


def popup_html(layer: UserLayer, attributes: tuple[tuple[str, str], ...]) -> str:
    """A feature's attributes as an escaped two-column table, headed by its layer's name."""
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:6px'>{html_text(k)}</th><td>{html_text(v)}</td></tr>"
        for k, v in attributes[:MAX_POPUP_FIELDS]
    )
    more = (
        f"<i>… and {len(attributes) - MAX_POPUP_FIELDS} more fields</i>" if len(attributes) > MAX_POPUP_FIELDS else ""
    )
    body = f"<table>{rows}</table>{more}" if rows else "<i>no attributes</i>"
    return f"<div class='own-popup'><b>{html_text(layer.name)}</b>{body}</div>"


def _rounded(geom) -> dict:
    return mapping(shapely.transform(geom, lambda c: np.round(c, COORD_DECIMALS)))


def own_layer_group(layer: UserLayer, colour: str) -> folium.FeatureGroup:
    """One uploaded layer as a folium feature group: lines and outlines in `colour` (a #rrggbb checked by the
    caller), areas filled faintly, points as small circles."""
    tip = f"<b>{html_text(layer.name)}</b> (your layer)"
    features = [
        {
            "type": "Feature",
            "geometry": _rounded(f.geometry),
            "properties": {"own_layer": layer.id, "tip": tip, "popup": popup_html(layer, f.attributes)},
        }
        for f in layer.features
    ]
    group = folium.FeatureGroup(name=f"own-{layer.id}")
    group.add_child(_Pane())  # before the shapes: they are put in it
    # "pane" in the style too: folium builds a point's circle from its marker options merged with the style,
    # and drops a CircleMarker's own pane option
    style = {"color": colour, "weight": 3, "opacity": 0.95, "fillColor": colour, "fillOpacity": 0.2, "pane": PANE}
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=f"own-{layer.id}",
        style_function=lambda f: {**style, "fillOpacity": 0.8} if "Point" in f["geometry"]["type"] else style,
        highlight_function=lambda _: {"weight": 6},
        marker=folium.CircleMarker(radius=5, color=colour, fill=True, fill_color=colour, fill_opacity=0.8, weight=2),
        pane=PANE,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=360),
    ).add_to(group)
    return group


def own_legend_entry(layer: UserLayer, colour: str) -> LegendEntry:
    return LegendEntry("own", f"{layer.name} (your layer, {len(layer.features):,} features)", colour)
