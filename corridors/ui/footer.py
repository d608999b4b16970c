"""What every page shows at the foot of its sidebar: the date the data was last checked against sources."""

from __future__ import annotations

import streamlit as st

from corridors.data.dates import data_as_of

from . import resources


def data_date_caption() -> None:
    """'Data as of YYYY-MM' (atlas.yaml's updated date) at the bottom of the sidebar, on every page."""
    try:
        atlas = resources.current().atlas
    except Exception:  # noqa: BLE001 - a page already reports a data folder it cannot read
        return
    label = data_as_of(atlas.updated)
    if label:
        st.sidebar.caption(
            f"{label} (the day it was last checked against sources: {atlas.updated}). Each status says when it "
            "was last confirmed."
        )
