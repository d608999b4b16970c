"""Download buttons for what a page shows (issue 20): a GeoPackage (segments, corridors, places, borders crossed,
events), the segments as CSV for Excel, and KML in the corridor colours. Each file is made only when its
button is clicked (`exports.gis`), and never written to the server's disk beyond the writer's scratch folder."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from corridors.maps.mapdata import MapData

FILES = {  # format -> (button label, extension, MIME type)
    "gpkg": ("GeoPackage (segments, corridors, places, borders, events)", "gpkg", "application/geopackage+sqlite3"),
    "csv": ("CSV of the segments (UTF-8, opens in Excel)", "csv", "text/csv"),
    "kml": ("KML (Google Earth; corridor colours)", "kml", "application/vnd.google-earth.kml+xml"),
}


def _file(data: MapData, segment_ids: frozenset[str], fmt: str) -> bytes:
    from corridors.exports.gis import atlas_layers, download_bytes  # GDAL's writers: loaded on first click

    return download_bytes(atlas_layers(data.atlas, data.colours, segment_ids), fmt)


def buttons(data: MapData, segment_ids: Iterable[str], stem: str, key: str) -> None:
    """One download button per GIS format for the segments given (what the page shows)."""
    ids = frozenset(segment_ids)
    for fmt, (label, ext, mime) in FILES.items():
        st.download_button(
            label,
            lambda f=fmt: _file(data, ids, f),  # made on click
            file_name=f"{stem}.{ext}",
            mime=mime,
            key=f"{key}_{fmt}",
            on_click="ignore",
            disabled=not ids,
        )


def render(data: MapData, segment_ids: Iterable[str], stem: str, key: str, label: str) -> None:
    """A small "Download" popover holding the buttons."""
    with st.popover(label, icon=":material/download:", help="GeoPackage, CSV or KML for QGIS, Excel, Google Earth"):
        buttons(data, segment_ids, stem, key)
