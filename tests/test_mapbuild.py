"""The map builder's output: layers, styles, local assets, escaped text."""

from __future__ import annotations

import re

import pytest
from factory import HOSTILE, hostile_world

from corridors import settings
from corridors.assemble import load_atlas
from corridors.maps import mapbuild, pack
from corridors.maps.labels import safe_json
from corridors.maps.mapbuild import (
    legend_entries,
    legend_html,
)
from corridors.maps.mapdata import MapData
from corridors.maps.viewfit import fit_view
from corridors.maps.viewstate import default_state
from corridors.ui import mapcache


def render(data, state) -> str:
    """The map page's map as the browser gets it: the base map's page, the pack and the view's script."""
    m = mapcache.page_base_map(data, state.basemap)
    return m.get_root().render() + safe_json(pack.atlas_pack(data)) + mapcache.layers(data, state).script


@pytest.fixture(scope="module")
def real_data(real_atlas):
    return MapData(real_atlas)


def test_offline_map_loads_nothing_from_the_web(real_data, real_atlas):
    html = render(real_data, default_state(real_atlas.corridors))
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith(("/app/static/vendor/leaflet/", "/app/static/atlas/")) for u in urls), urls
    assert "tile.openstreetmap" not in html and "cdn." not in html


def test_tile_basemap_names_its_attribution(real_data, real_atlas):
    html = render(real_data, default_state(real_atlas.corridors).with_(basemap="OpenStreetMap.Mapnik"))
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html


def test_a_tile_basemap_without_its_key_falls_back_to_the_offline_one(real_data, real_atlas, monkeypatch):
    monkeypatch.delenv("CARTO_API_KEY", raising=False)
    html = render(real_data, default_state(real_atlas.corridors).with_(basemap="CartoDB.Positron"))
    assert "cartocdn" not in html and settings.OFFLINE_SEA in html
    monkeypatch.setenv("CARTO_API_KEY", "k123")
    html = render(real_data, default_state(real_atlas.corridors).with_(basemap="CartoDB.Positron"))
    assert "basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png?key=k123" in html


def test_layers_follow_toggles_filters_and_status_styles(real_data, real_atlas):
    state = default_state(real_atlas.corridors)
    p = pack.atlas_pack(real_data)
    index = real_data.corridor_index

    def drawn(s) -> set[str]:
        return {
            p["corridors"][ci][0] for ci, runs in pack.lines_drawn(p, pack.view_message(real_data, s)).items() if runs
        }

    assert drawn(state) == set(real_atlas.corridors)
    assert p["corridors"][index["kkh"]][2] == real_data.colours["kkh"]
    planned = settings.STATUSES.index("planned")
    assert p["styles"][planned][0][0]["dashArray"] == settings.STATUS_DASH["planned"]  # PAKAFUZ's planned sections
    assert any(s[2] == planned for s in p["segments"])
    assert drawn(state.with_(corridors=("kkh",))) == {"kkh"}
    planned_only = real_data.visible_segments(state.with_(statuses=("planned",)))
    # and the planned M-6 Karachi branch, and Herat–Kandahar–Spin Boldak (issue 17)
    assert set(planned_only) == {"pakafuz", "cpec-eastern", "trans-afghan-west"}
    rail_in_kaz = real_data.visible_segments(state.with_(modes=("rail",), countries=("KAZ",)))
    assert set(rail_in_kaz) == {"kti", "elb", "uzbek-rail-link"}


def test_selection_draws_a_halo_and_fits_the_view(real_data, real_atlas):
    state = default_state(real_atlas.corridors).with_(selected="kkh")
    assert pack.atlas_pack(real_data)["halo"]["color"] == "#ffd400"
    view = pack.view_message(real_data, state)
    assert view["halo"] and view["selected"] == real_data.corridor_index["kkh"]
    assert pack.view_message(real_data, state.with_(selected=None))["halo"] == []
    (lat, lon), zoom = fit_view(real_data.bounds("kkh"))
    assert 33 < lat < 40 and 72 < lon < 77 and 5 <= zoom <= 7


def test_legend_shows_exactly_the_visible_layers(real_data, real_atlas):
    state = default_state(real_atlas.corridors).with_(corridors=("kti",), overlays=("eco",))
    labels = [(e.kind, e.label) for e in legend_entries(real_data, state)]
    assert labels == [
        ("corridor", "Kazakhstan–Turkmenistan–Iran railway"),
        ("status", "Operational"),
        ("schematic", "Hollow line: schematic, straight between its end places (not to scale)"),
        ("organisation", "Economic Cooperation Organization members"),
    ]
    ml1 = legend_entries(real_data, state.with_(corridors=("kkh",), overlays=()))
    assert "schematic" in [e.kind for e in ml1]  # the KKH has a schematic segment (Sost–Khunjerab)
    empty = legend_html(legend_entries(real_data, state.with_(corridors=(), overlays=())))
    assert "Nothing is shown" in empty


def test_a_legend_of_many_corridors_lists_some_and_counts_the_rest(real_data, real_atlas, monkeypatch):
    state = default_state(real_atlas.corridors)
    shown = list(real_data.visible_segments(state))
    assert len(shown) > 5
    monkeypatch.setattr(mapbuild, "LEGEND_CORRIDORS", 4)
    entries = legend_entries(real_data, state.with_(selected=shown[-1]))
    corridors = [e for e in entries if e.kind == "corridor"]
    assert len(corridors) == 4
    assert corridors[-1].label.startswith(real_atlas.corridors[shown[-1]].name)  # the selected one is listed
    more = [e.label for e in entries if e.kind == "more"]
    assert more == [f"… and {len(shown) - 4} more corridors shown"]
    assert more[0] in legend_html(entries)
    assert [e.kind for e in entries].index("more") == 4  # after the corridors, before the statuses


def test_hostile_text_is_escaped_everywhere(tmp_path):
    atlas = load_atlas(hostile_world().write(tmp_path / "d"))
    data = MapData(atlas)
    state = default_state(atlas.corridors).with_(overlays=("nodes", "countries", "org"), selected="alpha")
    html = render(data, state) + legend_html(legend_entries(data, state))
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "${window" not in html and "`${" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert HOSTILE not in html
