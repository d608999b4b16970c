"""The map of one briefing stop: the stop's corridors (highlighted ones over the others), its places
labelled, fitted to the stop's view in the browser, as one HTML document (Leaflet served locally).

The page that shows it (corridors/ui/present_page.py) puts it in an iframe that fills the window;
the small script here also turns keys (arrows, PageUp/PageDown from clickers, Home/End) into clicks
on that page's buttons, whether the focus is on the map or on the page around it.
"""

from __future__ import annotations

import json

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from corridors import settings
from corridors.briefings.model import Stop
from corridors.maps.labels import label_layer
from corridors.maps.mapbuild import HALO_COLOUR, base_map, countries_layer, line_style
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import ViewState
from corridors.safe import html_text

DIMMED_OPACITY = 0.4
LABELS = "large"  # names of corridors, the stop's places, other places and countries: for a projector

# key -> the button it presses on the presentation page (st.button key "present_<name>")
KEYS = {"ArrowRight": "next", "PageDown": "next", "ArrowLeft": "prev", "PageUp": "prev", "Home": "first", "End": "last"}

# The key handler's body, made in the page's own realm (so it outlives each stop's map, which reloads)
# and in the map's (for keys pressed while the map has the focus). `doc` is the page's document. A key
# is taken (default prevented) only where the presentation's buttons are, so other pages keep their keys.
_KEY_HANDLER = r"""
var KEYS = JSON.parse(keysJson);
return function (e) {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  var t = e.target;
  var typing = t && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName || "")
    || (t.tagName === "INPUT" && !/^(checkbox|radio|button|submit|range)$/.test(t.type || "")));
  if (typing) return;  // keys typed into a field are the field's
  var name = KEYS[e.key];
  if (!name) return;
  var all = doc.querySelectorAll(".st-key-present_" + name + " button");
  for (var i = 0; i < all.length; i++) {  // Streamlit keeps a hidden copy of each button for measuring
    var b = all[i], style = doc.defaultView.getComputedStyle(b);
    if (b.offsetParent !== null && style.visibility !== "hidden") {
      e.preventDefault();
      if (!b.disabled) b.click();
      return;
    }
  }
};
"""

_KEY_SCRIPT = """
(function () {
  var keysJson = %s, body = %s;
  var host = null;
  try { host = window.parent && window.parent !== window && window.parent.document ? window.parent : null; }
  catch (e) { host = null; }
  var doc = host ? host.document : document;
  window.addEventListener("keydown", new Function("keysJson", "doc", body)(keysJson, doc));
  if (host && !host.__corridorPresentKeys) {  // added by the page's realm: it stays when this map reloads
    new host.Function("keysJson", "body", "window.__corridorPresentKeys = new Function('keysJson', 'doc', body)"
      + "(keysJson, document); document.addEventListener('keydown', window.__corridorPresentKeys);")(keysJson, body);
  }
})();
"""

_VIEW_TEMPLATE = """
{% macro script(this, kwargs) %}
(function (map) {
  var view = {{ this.view_json }};
  // room for the stop's title above the box and the buttons below it (the panels float over the map)
  var topLeft = [24, 120], bottomRight = [24, 64];
  window.corridorFitPadding = [topLeft[0] + bottomRight[0], topLeft[1] + bottomRight[1]];
  if (view.bounds) {
    map.fitBounds(view.bounds, {animate: false, paddingTopLeft: topLeft, paddingBottomRight: bottomRight});
  }
  else { map.setView(view.center, view.zoom, {animate: false}); }
  window.corridorMap = map;
  window.corridorStopView = view;
})({{ this._parent.get_name() }});
{% endmacro %}
"""


class _StopView(MacroElement):
    _template = Template(_VIEW_TEMPLATE)

    def __init__(self, view_json: str):
        super().__init__()
        self._name = "StopView"
        self.view_json = view_json


def view_json(stop: Stop) -> str:
    v = stop.view
    if v.bounds is not None:
        return json.dumps({"bounds": [list(v.bounds[0]), list(v.bounds[1])]})
    return json.dumps({"center": list(v.center), "zoom": v.zoom})


def stop_state(stop: Stop) -> ViewState:
    return ViewState(corridors=stop.corridors, overlays=("countries",))


def _features(data: MapData, cid: str, segments) -> dict:
    name = html_text(data.atlas.corridors[cid].name)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": data.segment_geometry[s.id],
                "properties": {
                    "corridor": cid,
                    "status": s.status,
                    "tip": f"<b>{name}</b><br>{settings.STATUS_LABELS[s.status]}",
                },
            }
            for s in segments
        ],
    }


def stop_corridors(data: MapData, stop: Stop) -> folium.FeatureGroup:
    """The stop's corridors: the others dimmed, then the highlighted ones on a halo, drawn last (on top)."""
    group = folium.FeatureGroup(name="Corridors")
    state = stop_state(stop)
    visible = data.visible_segments(state)
    lit = [c for c in stop.highlight if c in visible]
    for cid in lit:  # halos first, under every line
        folium.GeoJson(
            _features(data, cid, data.route_segments(cid, state)),
            name=f"{cid}-halo",
            interactive=False,
            style_function=lambda _: {"color": HALO_COLOUR, "weight": 13, "opacity": 0.75},
        ).add_to(group)
    order = [c for c in visible if c not in lit] + lit
    for cid in order:
        if not visible[cid]:
            continue
        colour, on_top = data.colours[cid], cid in lit

        def style(f, c=colour, top=on_top):
            s = line_style(c, f["properties"]["status"], top)
            if lit and not top:
                s["opacity"] = DIMMED_OPACITY
            return s

        folium.GeoJson(
            _features(data, cid, visible[cid]),
            name=cid,
            style_function=style,
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        ).add_to(group)
    return group


def stop_places(data: MapData, stop: Stop) -> folium.FeatureGroup | None:
    """Dots where the stop's places are (their names come with the labels, named before other places)."""
    if not stop.places:
        return None
    group = folium.FeatureGroup(name="Places")
    for node_id in stop.places:
        node = data.atlas.nodes.get(node_id)
        if node is None:
            continue
        folium.CircleMarker(
            [node.lat, node.lon],
            radius=6,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color="#333333",
            fill_opacity=1,
            interactive=False,
        ).add_to(group)
    return group


def stop_map(data: MapData, stop: Stop, basemap: str = settings.DEFAULT_BASEMAP) -> folium.Map:
    m = base_map(data, basemap)
    m.options["keyboard"] = False  # the arrow keys step through the briefing, not pan the map
    m.options["zoomSnap"] = 0.25  # a stop's bounds fill the window more closely than whole zoom levels
    labels = label_layer(data, stop_state(stop).with_(labels=LABELS), stop.places)
    for layer in (countries_layer(data), stop_corridors(data, stop), stop_places(data, stop), labels):
        if layer is not None:
            layer.add_to(m)
    _StopView(view_json(stop)).add_to(m)
    script = _KEY_SCRIPT % (json.dumps(json.dumps(KEYS)), json.dumps(_KEY_HANDLER).replace("</", "<\\/"))
    m.get_root().html.add_child(Element(f"<script>{script}</script>"))
    return m


def stop_map_html(data: MapData, stop: Stop, basemap: str = settings.DEFAULT_BASEMAP) -> str:
    return stop_map(data, stop, basemap).get_root().render()
