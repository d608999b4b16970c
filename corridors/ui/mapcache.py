"""The map component's payload, rendered once per data version and shared by every session.

`streamlit_folium.st_folium` renders the whole folium tree (Jinja templates, JSON encoding) on every
rerun of every session. Here the same work is split and remembered:

- the base (basemap and Leaflet set-up: script, header, html, css/js links, the component key) once
  per data version and basemap;
- the pack (maps/pack.py: every line, place, country and name of the atlas) once per data version, written
  as a content-named file under static/atlas/ that the browser fetches once and keeps;
- the layers (a small script that draws corridors, places, borders, organisations and names from the pack,
  `pack.view_message`) once per data version and view (the whole `ViewState` but where the map was panned:
  switches, filters, overlays, selection, labels, basemap) — a room of people opening the same link
  all share one rendering.

Each is keyed by the `MapData` object (one per data fingerprint: `resources`) and forgotten with it.
Only one thread renders a given entry; the others wait for it, so a burst of new sessions renders once.
The arguments handed to the component are exactly those `st_folium` would pass (tests/test_serve.py
compares them), so the frontend keeps its iframe when only the layers change, as before.
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import folium

from corridors import settings
from corridors.maps import assets, pack
from corridors.maps.labels import labels_js
from corridors.maps.mapbuild import base_map, date_badge, missing_tile_key
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import ViewState
from corridors.ui import folium_adapter as adapter

MAX_VIEWS = 256  # rendered layer sets kept per data version (a few hundred KB each at most)


@dataclass(frozen=True)
class RenderedBase:
    script: str
    header: str
    html: str
    map_id: str
    zoom: object
    bounds: dict  # as st_folium reports them before the layers are added: the base's own bounds
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


@dataclass(frozen=True)
class RenderedLayers:
    script: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


class _Store:
    """Rendered pieces of one data version: an LRU dict with one lock per key being rendered."""

    def __init__(self):
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.pending: dict = {}

    def get(self, key, build):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            key_lock = self.pending.setdefault(key, threading.Lock())
        with key_lock:  # one thread renders; the rest wait here and then find it stored
            with self.lock:
                if key in self.items:
                    return self.items[key]
            value = build()
            with self.lock:
                self.items[key] = value
                while len(self.items) > MAX_VIEWS:
                    self.items.popitem(last=False)
                self.pending.pop(key, None)
            return value


_stores: weakref.WeakKeyDictionary[MapData, _Store] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def _store(data: MapData) -> _Store:
    with _stores_lock:
        store = _stores.get(data)
        if store is None:
            store = _stores[data] = _Store()
        return store


@dataclass(frozen=True)
class PublishedPack:
    source: str  # the pack's address; or its name, when the base map carries it inline
    inline: dict | None  # the pack, when it could not be written as a file (a read-only checkout)
    size: int  # bytes
    scripts: tuple[str, str] | None = None  # addresses of atlasmap.js and labels.js as files (None: inline)

    def files(self) -> list[str]:
        """The names of the files the page loads (the pack and the scripts), to check they are still there."""
        return [a.rsplit("/", 1)[1] for a in ((self.source,) if self.inline is None else ()) + (self.scripts or ())]


def _publish(data: MapData) -> PublishedPack:
    content = pack.pack_bytes(data)
    name = pack.pack_name(content)
    folder = assets.static_dir()
    address = assets.publish_pack(folder, name, content)
    if address is None:
        return PublishedPack(name, pack.atlas_pack(data), len(content))
    scripts = (
        assets.publish_script(folder, "atlasmap", pack.atlasmap_js()),
        assets.publish_script(folder, "labels", labels_js()),
    )
    return PublishedPack(address, None, len(content), None if None in scripts else scripts)


def published(data: MapData) -> PublishedPack:
    """The map page's pack of this data version (maps/pack.py), written once as a file the browser keeps (and
    again if it was removed meanwhile)."""
    store = _store(data)
    found = store.get(("pack",), lambda: _publish(data))
    folder = assets.static_dir() / assets.PACK_SUBDIR
    if not all((folder / name).is_file() for name in found.files()):
        with store.lock:
            store.items.pop(("pack",), None)
        found = store.get(("pack",), lambda: _publish(data))
    return found


def page_base_map(data: MapData, basemap: str) -> folium.Map:
    """The map page's base map: filling its frame, with the browser side of the pack (and the land from it)."""
    m = base_map(data, basemap, fill_frame=True, land=False)
    offline = basemap == settings.DEFAULT_BASEMAP or missing_tile_key(basemap) is not None
    found = published(data)
    return m.add_child(pack.AtlasMapScript(found.source, land=offline, inline=found.inline, scripts=found.scripts))


def _render_base(data: MapData, basemap: str) -> RenderedBase:
    m = page_base_map(data, basemap)
    m.get_root().render()
    m.render()
    html, header = adapter.map_html(m), adapter.map_header(m)
    script = adapter.map_script(m)
    map_id = adapter.map_id(m)
    try:
        (south, west), (north, east) = m.get_bounds()
    except AttributeError:
        south = west = north = east = None
    bounds = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    css, js = adapter.css_js_links(m)
    return RenderedBase(script, header, html, map_id, m.options.get("zoom"), bounds, tuple(css), tuple(js))


def _render_layers(data: MapData, state: ViewState, badge: bool = True) -> RenderedLayers:
    """The view's layers: one small script that draws them from the pack (and the date's badge)."""
    script = pack.view_script(pack.view_message(data, state), published(data).source)
    asof = getattr(state, "asof", None)
    if asof and badge:
        script += _render_badge(data, asof).script
    return RenderedLayers(script, (), ())


EXTRA_FIRST_INDEX = 50  # feature groups of a session's own layers: after the shared ones, before the badge (99)


def render_extra(groups: list[folium.FeatureGroup], first: int = 0) -> RenderedLayers:
    """Feature groups of one session (not shared, not cached here) rendered as st_folium would add them."""
    script, css, js = "", [], []
    for i, group in enumerate(groups):
        script += adapter.layer_script(group, folium.Map(tiles=None), EXTRA_FIRST_INDEX + first + i)
        c, j = adapter.css_js_links(group)
        css += c
        js += j
    return RenderedLayers(script, tuple(css), tuple(js))


def _tile_keys() -> tuple:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.endswith("_API_KEY")))


def base(data: MapData, basemap: str) -> RenderedBase:
    return _store(data).get(("base", basemap, _tile_keys()), lambda: _render_base(data, basemap))


def layers(data: MapData, state: ViewState) -> RenderedLayers:
    # The whole view is the key (a frozen dataclass): a field added to ViewState for a new layer is in it too;
    # all but the camera (`view`: where the map was panned), which reaches the map as its centre and zoom.
    key = state.with_(view=None) if getattr(state, "view", None) is not None else state
    asof = getattr(key, "asof", None)
    if not asof:
        return _store(data).get(("layers", key), lambda: _render_layers(data, key))
    # As of a date: the lines depend on the network that day, not on the day itself (months between two events
    # share one rendering); the date's badge is rendered on its own and added after them.
    network = data.network_on(asof)
    lines = _store(data).get(
        ("layers-on", key.with_(asof=None), network.signature), lambda: _render_layers(data, key, badge=False)
    )
    badge = _store(data).get(("badge", asof), lambda: _render_badge(data, asof))
    _prefetch(data, key)
    return RenderedLayers(lines.script + badge.script, lines.css_links, lines.js_links)


_prefetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asof-prefetch")


def _prefetch(data: MapData, key: ViewState) -> None:
    """Render, in the background, the networks the date control goes to next (a month either side, a year on:
    the slider's and the play button's steps), so that a step to a new network finds its lines ready."""
    from corridors.maps.timebar import month_of, month_options

    months = month_options(data.atlas)
    here = month_of(key.asof)
    if here not in months:
        return
    i = months.index(here)
    store = _store(data)
    for j in (i + 1, i - 1, i + 12):
        if not 0 <= j < len(months):
            continue
        state = key.with_(asof=months[j])
        wanted = ("layers-on", key.with_(asof=None), data.network_on(months[j]).signature)
        with store.lock:
            if wanted in store.items or wanted in store.pending:
                continue
        _prefetcher.submit(store.get, wanted, lambda s=state: _render_layers(data, s, badge=False))


def _render_badge(data: MapData, asof: str) -> RenderedLayers:
    group = date_badge(data, asof)
    return RenderedLayers(adapter.layer_script(group, folium.Map(tiles=None), 99), (), ())


@functools.lru_cache(maxsize=64)
def _component_key(script: str, key: str) -> str:
    """st_folium's key for the component (a regex pass and a hash over the base script): once per base."""
    return adapter.component_key(script, key)


def widget_key(data: MapData, basemap: str, key: str) -> str:
    """The key under which Streamlit keeps the map component's value (in session state while it is drawn)."""
    return _component_key(base(data, basemap).script, key)


def component_args(
    data: MapData,
    state: ViewState,
    *,
    key: str,
    height: int,
    width: int | None,
    returned_objects: list[str],
    center=None,
    zoom=None,
    extra: RenderedLayers | None = None,
) -> dict:
    """The keyword arguments st_folium hands to its component, from the cached renderings (and `extra`, layers
    of this session only, rendered by `render_extra`)."""
    published(data)  # the pack's file is still there (written again if another server's start removed it)
    b, lay = base(data, state.basemap), layers(data, state)
    if extra is not None:  # the session's own layers, over the shared ones
        lay = RenderedLayers(lay.script + extra.script, lay.css_links + extra.css_links, lay.js_links + extra.js_links)
    known = {"bounds": b.bounds, "zoom": b.zoom}
    return {
        "script": b.script,
        "header": b.header,
        "html": b.html,
        "id": b.map_id,
        "key": _component_key(b.script, key),
        "height": height,
        "width": width,
        "returned_objects": returned_objects,
        "default": {k: known.get(k) for k in adapter.DEFAULT_NAMES if k in returned_objects},
        "zoom": zoom,
        "center": center,
        "feature_group": lay.script,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(dict.fromkeys(b.css_links + lay.css_links)),
        "js_links": list(dict.fromkeys(b.js_links + lay.js_links)),
        "wrap_longitude": False,
    }


def st_map(
    data: MapData,
    state: ViewState,
    *,
    key: str,
    height: int,
    returned_objects: list[str],
    center=None,
    zoom=None,
    use_container_width: bool = True,
    width: int | None = 500,
    extra: RenderedLayers | None = None,
):
    """What `st_folium` sends for the map page, from the cached renderings (the base map and the view script)."""
    import streamlit as st

    args = component_args(
        data,
        state,
        key=key,
        height=height,
        width=None if use_container_width else width,
        returned_objects=returned_objects,
        center=center,
        zoom=zoom,
        extra=extra,
    )

    def _on_change():
        st.session_state[key] = st.session_state.get(args["key"], {})

    return adapter.component(_on_change, **args)
