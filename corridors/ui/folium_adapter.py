"""The one place that touches streamlit-folium's private functions.

`ui/mapcache` renders the map's base and layers once and hands the component what `st_folium` would hand
it, and `bench` measures that rendering; both need the pieces `st_folium` is made of, which
streamlit-folium does not publish. They are named here only, so an upgrade of the pinned version
(requirements.txt) touches this file and its contract test (tests/test_folium_adapter.py), which fails
when the pinned version changes what is relied on here. tests/test_serve.py checks that the arguments
built from these pieces equal what `st_folium` itself sends.
"""

from __future__ import annotations

import folium
import streamlit_folium as _stf

# The version these functions were read from (also pinned in requirements.txt).
PINNED_VERSION = "0.27.4"

# st_folium's initial return values, in its order ("bounds" and "zoom" come from the base map).
DEFAULT_NAMES = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


def map_html(m: folium.Map) -> str:
    """The map's html part, as st_folium sends it (the map must be rendered first)."""
    return _stf._get_html(m)


def map_header(m: folium.Map) -> str:
    """The map's header (its css and scripts in <head>), as st_folium sends it."""
    return _stf._get_header(m)


def map_script(m: folium.Map) -> str:
    """The Leaflet script that builds the map, as st_folium sends it."""
    return _stf._get_map_string(m)


def map_id(m: folium.Map) -> str:
    """The id st_folium gives the map's element."""
    return _stf.get_full_id(m)


def layer_script(group: folium.FeatureGroup, m: folium.Map, idx: int) -> str:
    """The script of one feature group added to the map `m` (st_folium's feature_group_to_add)."""
    return _stf._get_feature_group_string(group, map=m, idx=idx)


def _walk(element):
    """The elements whose css/js links st_folium collects, in its order (folium keeps children in `_children`)."""
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def css_js_links(element) -> tuple[list[str], list[str]]:
    """The css and js links st_folium collects from `element` and everything in it, in its order."""
    css, js = [], []
    for elem in _walk(element):
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    return css, js


def component_key(script: str, key: str) -> str:
    """st_folium's key for its component (a hash over the map's script and the widget key)."""
    return _stf.generate_js_hash(script, key, False)


def component(on_change, **args):
    """Show the component with the arguments st_folium would pass; returns what the map sent back."""
    return _stf._component_func(**args, on_change=on_change)
