"""Streamlit entry point: `streamlit run app.py`. Thin: pages live in corridors/ui/."""

from pathlib import Path

import streamlit as st

from corridors.maps.assets import install_static
from corridors.ui import a11y, footer, pages

st.set_page_config(page_title="Corridor atlas: South and Central Asia", page_icon="🛤️", layout="wide")
install_static(Path(__file__).resolve().parent / "static")
a11y.page_style()  # on every page: caption contrast

st.navigation(pages.all_pages()).run()
footer.data_date_caption()  # on every page: "Data as of YYYY-MM"
a11y.name_map_frames()  # after the page, on every page: each map's iframe gets a title
