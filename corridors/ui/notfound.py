"""What an address that is no page of the app shows: a short "no such page" and a link to each page.

(nginx answers such addresses itself in the production layout, corridors/serve/nginx.conf.in; this is
the same answer under `streamlit run`, for a path Streamlit hands to the app's script.)"""

from __future__ import annotations

import streamlit as st

from corridors.safe import markdown_text, one_line

from . import links

TITLE = "No such page"


def render(path: str) -> None:
    shown = path if len(path) <= 80 else path[:79] + "…"
    st.title(TITLE, anchor=False)
    st.markdown(f"The address **{markdown_text(one_line(shown))}** is not a page of the corridor atlas. Its pages:")
    for address in links.ALL:
        st.page_link(links.link(address), label=address.title, icon=address.icon)
