"""Where the app's pages are, for links between them, without importing them.

`pages` is the one module that knows the page modules (it imports each one and gives it to st.navigation);
a page that links to another asks here for a link instead, so no page imports `pages` back. Streamlit
finds a page by its url_path (a page's identity is the hash of its url_path), so the object `link` makes,
with the address's title, icon and url_path, leads to the page `pages` registered; its own callable is
never run.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Address:
    title: str
    icon: str
    url_path: str


MAP = Address("Map", ":material/map:", "map")
ARTICLES = Address("Articles", ":material/article:", "articles")
ROUTES = Address("Routes", ":material/route:", "routes")
PRESENT = Address("Present", ":material/slideshow:", "present")
TIMELINE = Address("Timeline", ":material/timeline:", "timeline")
ALL = (MAP, ARTICLES, ROUTES, TIMELINE, PRESENT)  # menu order; the first is the default page


def _registered_elsewhere() -> None:
    raise RuntimeError("a link's page is never run: st.navigation runs the page registered under its url_path")


def link(address: Address) -> st.Page:
    """A page object for st.page_link or st.switch_page that leads to the page registered at `address`."""
    return st.Page(_registered_elsewhere, title=address.title, icon=address.icon, url_path=address.url_path)


def page_of_path(path: str) -> Address | None:
    """The page an address's path names ("/", "/routes", "/present/"), or None for any other path
    (a typo, "/routes/extra/deeper", "/%2e%2e/etc/passwd"): those get "no such page", not a page."""
    parts = [p for p in (path or "/").split("/") if p]
    if not parts:
        return ALL[0]
    if len(parts) == 1:
        return next((a for a in ALL if a.url_path == parts[0]), None)
    return None
