"""Keep the map's shapes out of the keyboard's Tab order, and keep a click on the map from scrolling the page.

Chromium lets a keyboard user Tab onto every interactive SVG path Leaflet draws (each corridor segment,
each country shape: about 90 unnamed stops before the page goes on). The keyboard way to select a
corridor is the sidebar's "Selected corridor" box, so the paths get tabindex=-1, as they are drawn
(layers are swapped in place on every rerun). Place markers are built with keyboard=False; any other
unnamed marker left focusable by a layer is taken out of the Tab order too.
No data goes into this script.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template


class UntabPaths(MacroElement):
    """A script run with the map's own (streamlit-folium evaluates the map's children's scripts)."""

    _template = Template("""{% macro script(this, kwargs) %}
(function () {
  function untab() {
    document.querySelectorAll("path.leaflet-interactive:not([tabindex])")
      .forEach(function (p) { p.setAttribute("tabindex", "-1"); });
    // any marker a layer adds with Leaflet's default keyboard option (an unnamed role=button Tab stop)
    document.querySelectorAll(".leaflet-marker-icon[tabindex='0']:not([aria-label])")
      .forEach(function (m) { m.setAttribute("tabindex", "-1"); m.removeAttribute("role"); });
  }
  untab();
  // Leaflet focuses the map on every press of the mouse; when the map reaches below the window (a laptop
  // screen), that focus scrolls the page by the overhang in the middle of the click, which then misses.
  var container = {{ this._parent.get_name() }}.getContainer();
  if (!container.__focusPatched) {
    var focus = container.focus.bind(container);
    container.focus = function (options) { focus(Object.assign({}, options, {preventScroll: true})); };
    container.__focusPatched = true;
  }
  if (!window.__untabObserver) {
    window.__untabObserver = new MutationObserver(untab);
    window.__untabObserver.observe(document.body, {subtree: true, childList: true});
  }
})();
{% endmacro %}""")


def keep_shapes_out_of_tab_order(m: folium.Map) -> None:
    m.add_child(UntabPaths())
