"""The app's pages. Made fresh on each use: st.navigation marks page objects (the default one) in place,
and a page is found by its url_path, so a new object links to the same page."""

import streamlit as st

from . import articles_page, map_page, present_page, routes_page


def map_() -> st.Page:
    return st.Page(map_page.render, title="Map", icon=":material/map:", url_path="map")


def articles() -> st.Page:
    return st.Page(articles_page.render, title="Articles", icon=":material/article:", url_path="articles")


def routes() -> st.Page:
    return st.Page(routes_page.render, title="Routes", icon=":material/route:", url_path="routes")


def present() -> st.Page:
    return st.Page(present_page.render, title="Present", icon=":material/slideshow:", url_path="present")


def all_pages() -> list[st.Page]:
    """In menu order; the first is the default page."""
    return [map_(), articles(), routes(), present()]
