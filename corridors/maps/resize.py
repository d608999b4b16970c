"""When the map's frame changes size (a panel opens beside it, the window is resized), keep what is on the
map where it was on screen: Leaflet's own handler keeps the centre, so a place just double-clicked moved by
half the width the panel took. Here the top-left corner stays put and the map grows or shrinks on the right
and at the bottom; the map then reports its new centre like any move."""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

_SCRIPT = """
{% macro script(this, kwargs) %}
(function (map) {
  L.DomEvent.off(window, "resize", map._onResize, map);
  var pending = null;
  L.DomEvent.on(window, "resize", function () {
    if (pending) { L.Util.cancelAnimFrame(pending); }
    pending = L.Util.requestAnimFrame(function () { pending = null; map.invalidateSize({pan: false, debounceMoveend: true}); });
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""


class KeepCornerOnResize(MacroElement):
    _template = Template(_SCRIPT)

    def __init__(self):
        super().__init__()
        self._name = "KeepCornerOnResize"


def keep_corner_on_resize(m: folium.Map) -> folium.Map:
    KeepCornerOnResize().add_to(m)
    return m
