"""The map's keyboard behaviour as built: places and shapes are no Tab stops; a click does not scroll the page."""

from __future__ import annotations

from corridors.maps import labels as names
from corridors.maps import pack
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state
from corridors.ui import mapcache


def test_place_markers_and_shapes_stay_out_of_the_tab_order(real_atlas):
    data = MapData(real_atlas)
    state = default_state(real_atlas.corridors)
    html = mapcache.page_base_map(data, state.basemap).get_root().render()
    assert 'path.leaflet-interactive:not([tabindex])' in html and '"tabindex", "-1"' in html
    assert "preventScroll: true" in html
    assert "nodes" in state.overlays  # places are drawn, one GeoJSON layer per kind, none focusable
    assert "var options = {keyboard: false," in pack.atlasmap_js()  # atlasmap.js: every place marker
    assert "keyboard: false" in names.labels_js()  # labels.js: every name
    assert mapcache.published(data).scripts[0] in html  # loaded by the page
