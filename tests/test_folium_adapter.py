"""Contract of corridors.ui.folium_adapter with the pinned streamlit-folium: the private functions it calls
exist with the parameters it passes, and st_folium still builds its component the way the adapter mirrors.
When streamlit-folium is upgraded, this fails until the adapter (one file) is checked against the new code."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import re
from pathlib import Path

import pytest
import streamlit_folium as stf

from corridors.maps.labels import country_label_layer
from corridors.maps.mapbuild import base_map, countries_layer
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state
from corridors.ui import folium_adapter, mapcache

ROOT = Path(__file__).resolve().parent.parent


def _source_tree():
    return ast.parse(inspect.getsource(stf))


def _function(name: str) -> ast.FunctionDef:
    return next(n for n in ast.walk(_source_tree()) if isinstance(n, ast.FunctionDef) and n.name == name)


def test_the_installed_version_is_the_pinned_one():
    pinned = re.search(r"^streamlit-folium==(\S+)", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert importlib.metadata.version("streamlit-folium") == pinned == folium_adapter.PINNED_VERSION


@pytest.mark.parametrize(
    "name, params",
    [
        ("_get_html", ["fig"]),
        ("_get_header", ["fig"]),
        ("_get_map_string", ["fig"]),
        ("get_full_id", ["m"]),
        ("_get_feature_group_string", ["feature_group_to_add", "map", "idx"]),
        ("generate_js_hash", ["js_string", "key", "return_on_hover"]),
    ],
)
def test_the_private_functions_take_what_the_adapter_passes(name, params):
    assert list(inspect.signature(getattr(stf, name)).parameters)[: len(params)] == params


def test_st_folium_builds_its_component_from_those_functions():
    body = _function("st_folium")
    called = {n.func.id for n in ast.walk(body) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"_get_html", "_get_header", "_get_map_string", "get_full_id", "generate_js_hash"} <= called
    assert "_component_func" in called and callable(stf._component_func)


def test_the_component_gets_the_arguments_the_cache_builds(real_atlas):
    [call] = [
        n
        for n in ast.walk(_function("st_folium"))
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_component_func"
    ]
    sent = [k.arg for k in call.keywords]
    data = MapData(real_atlas)
    built = mapcache.component_args(
        data,
        default_state(real_atlas.corridors),
        key="k",
        height=600,
        width=None,
        returned_objects=[],
        center=None,
        zoom=None,
    )
    assert set(sent) == {*built, "on_change"} and len(sent) == len(built) + 1


def test_the_default_return_values_are_st_folium_s(real_atlas):
    body = _function("st_folium")
    [defaults] = [
        n.value
        for n in ast.walk(body)
        if isinstance(n, ast.Assign)
        and getattr(n.targets[0], "id", None) == "_defaults"
        and isinstance(n.value, ast.Dict)
    ]
    assert tuple(k.value for k in defaults.keys) == folium_adapter.DEFAULT_NAMES


def test_the_css_and_js_links_are_collected_as_st_folium_collects_them(real_atlas):
    data = MapData(real_atlas)
    m = base_map(data, default_state(real_atlas.corridors).basemap)
    sent = {}
    original = stf._component_func
    try:
        stf._component_func = lambda **kw: sent.update(kw)
        stf.st_folium(m, feature_group_to_add=[countries_layer(data), country_label_layer(data)], key="k")
    finally:
        stf._component_func = original
    css, js = folium_adapter.css_js_links(m)
    for group in [countries_layer(data), country_label_layer(data)]:
        c, j = folium_adapter.css_js_links(group)
        css += c
        js += j
    assert sent["css_links"] == list(dict.fromkeys(css)) and sent["js_links"] == list(dict.fromkeys(js))
