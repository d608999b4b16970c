"""Load the atlas and prepare map data once per process (not per rerun)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from corridors.assemble import load_atlas
from corridors.data.atlas import Atlas, data_fingerprint, resolve_data_dir
from corridors.data.files import path_kind
from corridors.maps.mapdata import MapData
from corridors.summaries import CorridorSummary, corridor_info

APP_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> str:
    """$CORRIDORS_DATA, else the geodata/ folder beside app.py (whatever the working directory)."""
    path = resolve_data_dir()
    return str(path if path.is_absolute() or path_kind(path)[0] != "missing" else APP_ROOT / path)


@dataclass(frozen=True)
class Loaded:
    """The data folder as of one rerun: looked at once (its fingerprint), then served from the caches.

    The atlas is loaded once per process and again only when a file in the folder changes, so an
    article added with `add-article` shows without restarting the app.
    """

    path: str
    fingerprint: str

    @property
    def atlas(self) -> Atlas:
        return cached_atlas(self.path, self.fingerprint)

    @property
    def data(self) -> MapData:
        return _map_data(self.path, self.fingerprint)

    def corridor_record(self, corridor_id: str) -> CorridorSummary:
        return _corridor_record(self.path, self.fingerprint, corridor_id)


def current() -> Loaded:
    path = data_dir()
    return Loaded(path, data_fingerprint(path))


@st.cache_resource(show_spinner="Loading the corridor atlas…", max_entries=2)
def cached_atlas(path: str, fingerprint: str) -> Atlas:
    """The atlas of the data folder `path`, loaded once per fingerprint and shared by every session."""
    return load_atlas(path)


@st.cache_resource(show_spinner="Preparing the map…", max_entries=2)
def _map_data(path: str, fingerprint: str) -> MapData:
    return MapData(cached_atlas(path, fingerprint))


@st.cache_data(show_spinner=False, max_entries=200)
def _corridor_record(path: str, fingerprint: str, corridor_id: str) -> CorridorSummary:
    return corridor_info(cached_atlas(path, fingerprint), corridor_id)


def show_problems(found) -> None:
    """The data's problems, as `validate` prints them, in a visible warning."""
    if found:
        st.warning(
            f"The data folder has {len(found)} problem(s); what is valid is shown. "
            "`python -m corridors validate` prints the same list.",
            icon="⚠️",
        )
        with st.expander("Problems in the data"):
            st.code("\n".join(str(p) for p in found), language=None)
