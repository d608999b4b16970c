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
from corridors.maps.mapbuild import HALO_COLOUR, _line_style, base_map, countries_layer
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import ViewState
from corridors.safe import html_text

DIMMED_OPACITY = 0.4
LABEL_PX = 18  # place labels, readable from the back of a room

# key -> the button it presses on the presentation page (st.button key "present_<name>")
KEYS = {"ArrowRight": "next", "PageDown": "next", "ArrowLeft": "prev", "PageUp": "prev", "Home": "first",
        "End": "last"}

_KEY_SCRIPT = """
(function () {
  var KEYS = %s;
  var doc = null;
  try { doc = window.parent && window.parent !== window ? window.parent.document : null; } catch (e) { doc = null; }
  function press(name) {
    var root = doc || document;
    var all = root.querySelectorAll(".st-key-present_" + name + " button");
    for (var i = 0; i < all.length; i++) {  // Streamlit keeps a hidden copy of each button for measuring
      var b = all[i], style = b.ownerDocument.defaultView.getComputedStyle(b);
      if (b.offsetParent !== null && style.visibility !== "hidden") { if (!b.disabled) b.click(); return; }
    }
  }
  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName || ""))) return;
    var name = KEYS[e.key];
    if (!name) return;
    e.preventDefault();
    press(name);
  }
  window.addEventListener("keydown", onKey);
  if (doc) {
    var host = window.parent;
    if (host.__corridorPresentKeys) doc.removeEventListener("keydown", host.__corridorPresentKeys);
    host.__corridorPresentKeys = onKey;
    doc.addEventListener("keydown", onKey);
    window.addEventListener("pagehide", function () {
      if (host.__corridorPresentKeys === onKey) { doc.removeEventListener("keydown", onKey); host.__corridorPresentKeys = null; }
    });
  }
})();
"""

_VIEW_TEMPLATE = """
{% macro script(this, kwargs) %}
(function (map) {
  var view = {{ this.view_json }};
  // room for the stop's title above the box (the panels float over the map)
  var topLeft = [24, 120], bottomRight = [24, 24];
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
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": data.segment_geometry[s.id],
         "properties": {"corridor": cid, "status": s.status,
                        "tip": f"<b>{name}</b><br>{settings.STATUS_LABELS[s.status]}"}} for s in segments]}


def stop_corridors(data: MapData, stop: Stop) -> folium.FeatureGroup:
    """The stop's corridors: the others dimmed, then the highlighted ones on a halo, drawn last (on top)."""
    group = folium.FeatureGroup(name="Corridors")
    state = stop_state(stop)
    visible = data.visible_segments(state)
    lit = [c for c in stop.highlight if c in visible]
    for cid in lit:  # halos first, under every line
        folium.GeoJson(_features(data, cid, data.route_segments(cid, state)), name=f"{cid}-halo", interactive=False,
                       style_function=lambda _: {"color": HALO_COLOUR, "weight": 13, "opacity": 0.75}).add_to(group)
    order = [c for c in visible if c not in lit] + lit
    for cid in order:
        if not visible[cid]:
            continue
        colour, on_top = data.colours[cid], cid in lit

        def style(f, c=colour, top=on_top):
            s = _line_style(c, f["properties"]["status"], top)
            if lit and not top:
                s["opacity"] = DIMMED_OPACITY
            return s

        folium.GeoJson(_features(data, cid, visible[cid]), name=cid, style_function=style,
                       tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)).add_to(group)
    return group


def stop_places(data: MapData, stop: Stop) -> folium.FeatureGroup | None:
    """The stop's places as dots with their names, large."""
    if not stop.places:
        return None
    group = folium.FeatureGroup(name="Places")
    for node_id in stop.places:
        node = data.atlas.nodes.get(node_id)
        if node is None:
            continue
        label = (f'<div class="stop-place" style="white-space:nowrap;font:600 {LABEL_PX}px/1.1 system-ui,sans-serif;'
                 f'color:#1d1d1d;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff">'
                 f'<span style="color:#333">●</span> {html_text(node.name)}</div>')
        folium.Marker([node.lat, node.lon], icon=folium.DivIcon(html=label, icon_size=(0, 0), icon_anchor=(6, 10),
                                                                 class_name="stop-place-icon")).add_to(group)
    return group


def stop_map(data: MapData, stop: Stop, basemap: str = settings.DEFAULT_BASEMAP) -> folium.Map:
    m = base_map(data, basemap)
    m.options["keyboard"] = False  # the arrow keys step through the briefing, not pan the map
    for layer in (countries_layer(data), stop_corridors(data, stop), stop_places(data, stop)):
        if layer is not None:
            layer.add_to(m)
    _StopView(view_json(stop)).add_to(m)
    m.get_root().html.add_child(Element(f"<script>{_KEY_SCRIPT % json.dumps(KEYS)}</script>"))
    return m


def stop_map_html(data: MapData, stop: Stop, basemap: str = settings.DEFAULT_BASEMAP) -> str:
    return stop_map(data, stop, basemap).get_root().render()
