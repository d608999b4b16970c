"""The map page's "Your own layers" (issue 20): upload a layer file, see it over the corridors in a colour of
your choice, switch it on and off, remove it, and take your layers away as one GeoPackage.

Layers live in this session only (`st.session_state`): nothing is written to the data folder or kept on the
server's disk (the file is read by `data.userlayers.read_user_layer`, which cleans up after itself). A problem
with a file is shown as its `file: where: what` line, never a traceback. map_page.py calls `render` in the
sidebar, passes `map_layers()` to the map and adds `legend_entries()` to its legend.
"""

from __future__ import annotations

import re

import streamlit as st

from corridors import settings
from corridors.data.userlayers import EXTENSIONS, MAX_UPLOAD_BYTES, UserLayer, read_user_layer
from corridors.errors import CorridorsError, Problem
from corridors.maps.mapbuild import LegendEntry
from corridors.maps.ownlayers import own_layer_group, own_legend_entry
from corridors.safe import markdown_label, markdown_text

from . import mapcache

_LAYERS = "_own_layers"  # {layer id: UserLayer}, in the order added
_MESSAGE = "_own_message"  # ("error" | "success", lines) about the last file
_UPLOADER = "_own_uploader"  # the uploader's key number: a new key empties it once a file is read
_RENDERED = "_own_rendered"  # {(id, colour, index): RenderedLayers}: drawn once per colour, not on every rerun
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
HELP = (
    "GeoJSON, KML, GeoPackage, a zipped Shapefile, GPX, or CSV with latitude and longitude (or WKT) columns; "
    f"up to {MAX_UPLOAD_BYTES // 1024 // 1024} MB. Reprojected to WGS84. For this session only: nothing is kept "
    "on the server."
)


def layers() -> list[UserLayer]:
    """The session's own layers, in the order they were added."""
    return list(st.session_state.get(_LAYERS, {}).values())


def key_show(layer_id: str) -> str:
    return f"own_show_{layer_id}"


def key_colour(layer_id: str) -> str:
    return f"own_colour_{layer_id}"


def _uploader_key() -> str:
    return f"own_upload_{st.session_state.get(_UPLOADER, 0)}"


def _read_upload() -> None:
    """The uploader's callback (before the page is drawn): read the file into the session, or say why not."""
    uploaded = st.session_state.get(_uploader_key())
    if uploaded is None:
        return
    st.session_state[_UPLOADER] = st.session_state.get(_UPLOADER, 0) + 1  # the next run shows an empty uploader
    store = st.session_state.setdefault(_LAYERS, {})
    try:
        if len(store) >= settings.OWN_LAYERS_PER_SESSION:
            raise CorridorsError(
                Problem(
                    uploaded.name,
                    "file",
                    f"not added: a session holds at most {settings.OWN_LAYERS_PER_SESSION} layers; remove one first",
                )
            )
        layer = read_user_layer(uploaded.name, uploaded.getvalue())
        held = sum(other.vertex_count for other in store.values() if other.id != layer.id)
        if held + layer.vertex_count > settings.OWN_LAYERS_MAX_VERTICES:
            raise CorridorsError(
                Problem(
                    layer.file_name,
                    "file",
                    f"not added: with its {layer.vertex_count:,} vertices your layers would hold more than "
                    f"{settings.OWN_LAYERS_MAX_VERTICES:,}; remove one first",
                )
            )
    except CorridorsError as exc:
        st.session_state[_MESSAGE] = ("error", [str(p) for p in exc.problems])
        return
    if layer.id not in store:
        palette = settings.OWN_LAYER_PALETTE
        st.session_state[key_colour(layer.id)] = palette[len(store) % len(palette)]
    store[layer.id] = layer
    st.session_state[key_show(layer.id)] = True
    types = ", ".join(layer.geometry_types)
    st.session_state[_MESSAGE] = (
        "success",
        [f"{layer.file_name}: added {len(layer.features):,} features ({types})", *layer.notes],
    )


def _remove(layer_id: str) -> None:
    st.session_state.get(_LAYERS, {}).pop(layer_id, None)
    for key in (key_show(layer_id), key_colour(layer_id)):
        st.session_state.pop(key, None)
    rendered = st.session_state.get(_RENDERED, {})
    for key in [k for k in rendered if k[0] == layer_id]:
        rendered.pop(key)
    st.session_state.pop(_MESSAGE, None)


def colour_of(layer_id: str) -> str:
    colour = st.session_state.get(key_colour(layer_id), "")
    return colour if isinstance(colour, str) and _HEX.fullmatch(colour) else settings.OWN_LAYER_PALETTE[0]


def _shown() -> list[tuple[int, UserLayer]]:
    return [(i, layer) for i, layer in enumerate(layers()) if st.session_state.get(key_show(layer.id), True)]


def render() -> None:
    """The sidebar section: the uploader, the last file's message, each layer's switch, colour and remove
    button, and the download of all of them."""
    st.subheader("Your own layers")
    st.file_uploader(
        "Add your own layer",
        type=[ext.lstrip(".") for ext in EXTENSIONS],
        key=_uploader_key(),
        on_change=_read_upload,
        max_upload_size=MAX_UPLOAD_BYTES // 1024 // 1024,
        help=HELP,
    )
    kind, lines = st.session_state.get(_MESSAGE, (None, []))
    if kind == "error":
        st.error("\n\n".join(markdown_text(line) for line in lines), icon=":material/error:")
    elif kind == "success":
        st.success("\n\n".join(markdown_text(line) for line in lines), icon=":material/check:")
    for layer in layers():
        with st.container(border=True, key=f"own_layer_{layer.id}"):
            st.checkbox(markdown_label(layer.name), key=key_show(layer.id), help=f"Show {layer.file_name} on the map")
            left, right = st.columns(2, vertical_alignment="bottom")
            left.color_picker(f"Colour of {markdown_label(layer.name)}", key=key_colour(layer.id))
            right.button(
                f"Remove {markdown_label(layer.name)}",
                key=f"own_remove_{layer.id}",
                on_click=_remove,
                args=(layer.id,),
                icon=":material/delete:",
            )
            st.caption(
                markdown_text(
                    f"{len(layer.features):,} features, {layer.vertex_count:,} vertices ({', '.join(layer.geometry_types)})"
                    + "".join(f"; {note}" for note in layer.notes)
                )
            )
    if layers():
        from corridors.exports.gis import user_layers_gpkg  # GDAL's writer: loaded when there is something to write

        st.download_button(
            "Download your layers (GeoPackage)",
            lambda: user_layers_gpkg(layers()),  # made on click
            file_name="my-layers.gpkg",
            mime="application/geopackage+sqlite3",
            key="own_download",
            on_click="ignore",
            icon=":material/download:",
        )


def map_layers() -> mapcache.RenderedLayers | None:
    """The shown layers rendered for the map (each once per colour), or None when there is none."""
    shown = _shown()
    if not shown:
        return None
    rendered = st.session_state.setdefault(_RENDERED, {})
    parts = []
    for index, layer in shown:
        key = (layer.id, colour_of(layer.id), index)
        if key not in rendered:
            for old in [k for k in rendered if k[0] == layer.id]:  # one rendering per layer: the colour shown
                rendered.pop(old)
            rendered[key] = mapcache.render_extra([own_layer_group(layer, key[1])], first=index)
        parts.append(rendered[key])
    return mapcache.RenderedLayers(
        "".join(p.script for p in parts),
        tuple(c for p in parts for c in p.css_links),
        tuple(j for p in parts for j in p.js_links),
    )


def legend_entries() -> list[LegendEntry]:
    """A legend row for each shown layer, in its colour."""
    return [own_legend_entry(layer, colour_of(layer.id)) for _, layer in _shown()]
