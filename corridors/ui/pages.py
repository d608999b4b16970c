"""The app's pages: the one module that knows the page modules (pages link to each other through `links`).

Made fresh on each use: st.navigation marks page objects (the default one) in place, and a page is found by
its url_path, so a new object links to the same page."""

import streamlit as st

from . import articles_page, links, map_page, present_page, routes_page

RENDER = {
    links.MAP: map_page.render,
    links.ARTICLES: articles_page.render,
    links.ROUTES: routes_page.render,
    links.PRESENT: present_page.render,
}


def page(address: links.Address) -> st.Page:
    """The page at `address`, as st.navigation registers it."""
    return st.Page(RENDER[address], title=address.title, icon=address.icon, url_path=address.url_path)


def all_pages() -> list[st.Page]:
    """In menu order; the first is the default page."""
    return [page(a) for a in links.ALL]
