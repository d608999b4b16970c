"""Streamlit entry point: `streamlit run app.py`. Thin: pages live in corridors/ui/."""

from urllib.parse import unquote, urlparse

import streamlit as st

from corridors.maps.assets import install_static, static_dir
from corridors.ui import a11y, footer, links, notfound, pages

st.set_page_config(page_title="Corridor atlas: South and Central Asia", page_icon="🛤️", layout="wide")
install_static(static_dir())
a11y.page_style()  # on every page: caption contrast

page = st.navigation(pages.all_pages())
path = urlparse(st.context.url or "/").path  # the address in the browser (None in AppTest: a known page)
if links.page_of_path(path) is None:  # a typo or a made-up path: say so, with the pages, instead of the map
    notfound.render(unquote(path))
else:
    page.run()
footer.data_date_caption()  # on every page: "Data as of YYYY-MM"
a11y.name_map_frames()  # after the page, on every page: each map's iframe gets a title
