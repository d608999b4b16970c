"""Own layers on the map page (issue 20), in AppTest: the upload, the layer list with its switch, colour and
remove button, the legend, a refused file's message; the drawing escaped; the bundle; the pages' downloads."""

from __future__ import annotations

import io
import json

import folium
import pyogrio
import pytest
from apppages import page_first_script, start_page
from factory import HOSTILE

from corridors.data.userlayers import UserFeature, UserLayer
from corridors.exports.gis import user_layers_gpkg
from corridors.maps.ownlayers import own_layer_group
from corridors.ui.own_layers import key_show

PORTS = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": HOSTILE, "corridor": "kkh", "node": "kashgar"},
                "geometry": {"type": "Point", "coordinates": [62.3, 25.1]},
            }
        ],
    }
).encode()


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def _layer(name=HOSTILE) -> UserLayer:
    from shapely.geometry import Point

    return UserLayer(
        id="u1",
        name=name,
        file_name=f"{name}.geojson",
        format="geojson",
        features=(UserFeature(Point(62.3, 25.1), (("name", HOSTILE), ("Name", "dup"), ("fid", "7"))),),
        fields=("name", "Name", "fid"),
        vertex_count=1,
        notes=(),
    )


def test_the_drawing_escapes_every_string_of_the_file():
    m = folium.Map(tiles=None)
    own_layer_group(_layer(), "#e6007e").add_to(m)
    html = m.get_root().render()
    # the feature JSON is in the page with <, > and & as \u escapes, which the browser decodes: what it decodes
    # to must be escaped HTML, never a tag
    for raw in ("<script>window", "\\u003cscript\\u003ewindow", "\\u003cimg", "${window", "`$"):
        assert raw not in html
    assert "\\u0026lt;script\\u0026gt;window.__pwned=1\\u0026lt;/script\\u0026gt;" in html
    assert '"corridor"' not in html and '"node"' not in html  # a file's fields never become feature properties
    assert "#e6007e" in html


def test_the_bundle_is_a_geopackage_of_the_layers_with_their_attributes():
    blob = user_layers_gpkg([_layer("My ports"), _layer("My ports")])
    layers = dict(pyogrio.list_layers(io.BytesIO(blob)))
    assert layers == {"my_ports": "Point", "my_ports_2": "Point"}
    frame = pyogrio.read_dataframe(io.BytesIO(blob), layer="my_ports")
    assert frame.crs.to_epsg() == 4326
    row = frame.iloc[0]
    assert (row["name"], row["Name_2"], row["fid_2"], row["source_file"]) == (HOSTILE, "dup", "7", "My ports.geojson")


def _sidebar_text(at) -> str:
    """The sidebar's messages, as read (without the Markdown escapes)."""
    return " ".join(str(e.value) for e in (*at.sidebar.success, *at.sidebar.error)).replace("\\", "")


def _own_ids(at) -> list[str]:
    return [c.key[len("own_show_") :] for c in at.sidebar.checkbox if (c.key or "").startswith("own_show_")]


def _legend(at) -> str:
    return next(str(h.proto.body) for h in at.get("html") if "corridor-legend" in str(h.proto.body))


def test_upload_lists_the_layer_with_its_switch_colour_and_legend_then_removes_it():
    at = start_page(page_first_script("MAP"))
    [uploader] = [u for u in at.file_uploader if u.label == "Add your own layer"]
    uploader.upload("ports.geojson", PORTS, "application/geo+json").run()
    assert not at.exception, at.exception
    assert "ports.geojson: added 1 features (Point)" in _sidebar_text(at)
    [layer_id] = _own_ids(at)
    assert at.checkbox(key=key_show(layer_id)).value is True
    assert at.color_picker(key=f"own_colour_{layer_id}").value == "#000000"
    assert "ports (your layer, 1 features)" in _legend(at)
    assert any(b.label == "Download your layers (GeoPackage)" for b in at.download_button)

    at.color_picker(key=f"own_colour_{layer_id}").pick("#e6007e").run()
    assert "#e6007e" in _legend(at)
    at.checkbox(key=key_show(layer_id)).uncheck().run()
    assert "your layer" not in _legend(at)  # switched off: out of the legend (and off the map)
    at.button(key=f"own_remove_{layer_id}").click().run()
    assert _own_ids(at) == []
    assert not any(b.label == "Download your layers (GeoPackage)" for b in at.download_button)


def test_a_refused_file_says_why_and_adds_nothing():
    at = start_page(page_first_script("MAP"))
    [uploader] = [u for u in at.file_uploader if u.label == "Add your own layer"]
    uploader.upload("evil.kml", b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x "y">]><kml/>').run()
    assert not at.exception, at.exception
    assert "evil.kml: line 1: has a DOCTYPE declaration: refused" in _sidebar_text(at)
    assert _own_ids(at) == []


@pytest.mark.parametrize(
    ("page", "query", "key"),
    [
        ("MAP", {}, "map_download"),
        ("ROUTES", {}, "routes_download"),
        ("PRESENT", {"briefing": "pakistan-kazakhstan-connectivity"}, "present_gis"),
    ],
)
def test_pages_offer_the_gis_downloads(page, query, key):
    at = start_page(page_first_script(page), query)
    for fmt in ("gpkg", "csv", "kml"):
        button = at.download_button(key=f"{key}_{fmt}")
        assert not button.disabled


def test_own_layers_reach_the_map_component_after_the_shared_layers(real_atlas):
    from corridors.maps.mapdata import MapData
    from corridors.maps.viewstate import default_state
    from corridors.ui import mapcache

    data = MapData(real_atlas)
    state = default_state(list(real_atlas.corridors))
    common = dict(key="map", height=600, width=None, returned_objects=[])
    plain = mapcache.component_args(data, state, **common)
    extra = mapcache.render_extra([own_layer_group(_layer("Mine"), "#e6007e")])
    args = mapcache.component_args(data, state, extra=extra, **common)
    assert args["feature_group"].startswith(plain["feature_group"])
    assert "feature_group_feature_group_50" in args["feature_group"] and "#e6007e" in args["feature_group"]
    assert {k: v for k, v in args.items() if k != "feature_group"} == {
        k: v for k, v in plain.items() if k != "feature_group"
    }  # the base (and so the iframe) is the same: only the layers change


def test_a_session_s_layers_are_capped_together(monkeypatch):
    from corridors import settings

    monkeypatch.setattr(settings, "OWN_LAYERS_MAX_VERTICES", 1)
    at = start_page(page_first_script("MAP"))
    [uploader] = [u for u in at.file_uploader if u.label == "Add your own layer"]
    uploader.upload("ports.geojson", PORTS, "application/geo+json").run()
    assert len(_own_ids(at)) == 1
    [uploader] = [u for u in at.file_uploader if u.label == "Add your own layer"]  # a fresh, empty one
    uploader.upload("more.csv", b"name,lat,lon\nQuetta,30.18,66.99\n", "text/csv").run()
    assert not at.exception, at.exception
    assert "more.csv: file: not added: with its 1 vertices your layers would hold more than 1; remove one first" in (
        _sidebar_text(at)
    )
    assert len(_own_ids(at)) == 1
