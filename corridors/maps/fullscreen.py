"""A fullscreen button for any folium map, in a few lines of inline script (no plugin files, no CDN).

It asks the browser to show the map's own container fullscreen (Streamlit's component iframes allow
it); Esc or the button again leaves. Leaflet is told to re-measure the map when the size changes.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

_SCRIPT = """
{% macro script(this, kwargs) %}
(function (map) {
  var Full = L.Control.extend({
    options: {position: "topleft"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar leaflet-control corridor-fullscreen");
      var a = L.DomUtil.create("a", "", box);
      a.href = "#"; a.role = "button"; a.title = "Show the map fullscreen (Esc leaves)";
      a.setAttribute("aria-label", a.title);
      a.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" style="margin-top:7px" aria-hidden="true">'
        + '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(a, "click", function (e) {
        L.DomEvent.preventDefault(e);
        var doc = document, el = map.getContainer();
        if (doc.fullscreenElement) { doc.exitFullscreen(); }
        else if (el.requestFullscreen) { el.requestFullscreen().catch(function () {}); }
      });
      return box;
    }
  });
  map.addControl(new Full());
  document.addEventListener("fullscreenchange", function () {
    map.getContainer().classList.toggle("corridor-is-fullscreen", !!document.fullscreenElement);
    // re-measure, then redraw: the vector layers were clipped to the old size
    function redraw() { map.invalidateSize({pan: false}); map.fire("moveend"); }
    setTimeout(redraw, 50);
    setTimeout(redraw, 400);
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""


class FullscreenButton(MacroElement):
    _template = Template(_SCRIPT)

    def __init__(self):
        super().__init__()
        self._name = "FullscreenButton"


def add_fullscreen(m: folium.Map) -> folium.Map:
    FullscreenButton().add_to(m)
    return m
