"""Load the atlas and prepare map data once per process (not per rerun)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..atlas import Atlas, data_fingerprint, load_atlas, resolve_data_dir
from ..mapdata import MapData
from ..report import corridor_info

APP_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> str:
    """$CORRIDORS_DATA, else the geodata/ folder beside app.py (whatever the working directory)."""
    path = resolve_data_dir()
    return str(path if path.is_absolute() or path.exists() else APP_ROOT / path)


def atlas(path: str) -> Atlas:
    """The atlas, loaded once per process and again only when a file in the data folder changes
    (so an article added with `add-article` shows without restarting the app)."""
    return _atlas(path, data_fingerprint(path))


def map_data(path: str) -> MapData:
    return _map_data(path, data_fingerprint(path))


def corridor_record(path: str, corridor_id: str) -> dict:
    return _corridor_record(path, data_fingerprint(path), corridor_id)


@st.cache_resource(show_spinner="Loading the corridor atlas…", max_entries=2)
def _atlas(path: str, fingerprint: str) -> Atlas:
    return load_atlas(path)


@st.cache_resource(show_spinner="Preparing the map…", max_entries=2)
def _map_data(path: str, fingerprint: str) -> MapData:
    return MapData(_atlas(path, fingerprint))


@st.cache_data(show_spinner=False, max_entries=200)
def _corridor_record(path: str, fingerprint: str, corridor_id: str) -> dict:
    return corridor_info(_atlas(path, fingerprint), corridor_id)


def show_problems(found) -> None:
    """The data's problems, as `validate` prints them, in a visible warning."""
    if found:
        st.warning(f"The data folder has {len(found)} problem(s); what is valid is shown. "
                   "`python -m corridors validate` prints the same list.", icon="⚠️")
        with st.expander("Problems in the data"):
            st.code("\n".join(str(p) for p in found), language=None)
