"""Accessibility fixes the page needs on top of Streamlit's defaults (WCAG 2.1 AA, checked with axe-core).

- A laptop screen: less space above the page's h1, and a smaller h1 (and h2 below it), so the map starts higher.
- Captions: Streamlit's grey (text at 60% opacity: #828180 on white, 3.9:1) is made opaque #5a5855, 7:1.
- Map iframes: streamlit-folium titles them "streamlit_folium.st_folium"; a script-only component on every
  page renames them so screen readers announce what they hold (no data goes into the script).
"""

from __future__ import annotations

import streamlit as st

MAP_FRAME_TITLE = "Map of the transport corridors"
# By page (the URL's last path part); every title starts "Map of the" (the browser tests find maps by it).
MAP_FRAME_TITLES = {"routes": "Map of the routes compared", "present": "Map of the briefing's stop"}
CAPTION_COLOUR = "#5a5855"

_STYLE = f"""<style>
div[data-testid="stCaptionContainer"] {{ opacity: 1 !important; color: {CAPTION_COLOUR} !important; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 2.5rem; }}
[data-testid="stMainBlockContainer"] h1 {{ font-size: 2rem; padding-top: 0.5rem; }}
[data-testid="stMainBlockContainer"] h2 {{ font-size: 1.6rem; }}
</style>"""

_TITLE_JS = """
export default function (component) {
  window.__mapTitles = component.data || {};
  const rename = () => {
    const titles = window.__mapTitles, page = window.location.pathname.split("/").filter(Boolean).pop() || "";
    document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach((frame) => {
      frame.title = (titles.by_page || {})[page] || titles.default || "Map";
    });
  };
  rename();
  if (!window.__mapTitleObserver) {
    window.__mapTitleObserver = new MutationObserver(rename);
    window.__mapTitleObserver.observe(document.body, {subtree: true, childList: true, attributes: true,
                                                      attributeFilter: ["title"]});
  }
}
"""
_frame_title = st.components.v2.component("corridor_map_frame_title", js=_TITLE_JS)


def page_style() -> None:
    """Styles every page needs (caption contrast)."""
    st.html(_STYLE)


def name_map_frames() -> None:
    """Give every map's iframe, on any page, a title that says what it shows (call once per run, on every
    page: the script keeps watching the page for maps drawn later)."""
    _frame_title(data={"default": MAP_FRAME_TITLE, "by_page": MAP_FRAME_TITLES}, key="map_frame_title")
