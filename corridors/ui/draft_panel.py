"""On the map page: "Add this view as a stop" collects the map's view into a briefing drafted in the
session, downloadable as YAML for geodata/briefings/."""

from __future__ import annotations

import streamlit as st

from corridors.briefings.draft import draft_yaml, slug, stop_from_view
from corridors.briefings.loading import briefing_from_data
from corridors.maps.viewstate import ViewState
from corridors.safe import markdown_text

from . import links

DRAFT = "_draft_stops"
DRAFT_ID = "draft"  # the Present page's name for this session's draft


def _add(atlas, shown: list[str], state: ViewState, center_zoom) -> None:
    stops = st.session_state.setdefault(DRAFT, [])
    stops.append(
        stop_from_view(
            atlas,
            st.session_state.get("draft_stop_title", ""),
            shown,
            state.selected,
            st.session_state.get("_map_bounds"),
            center_zoom,
        )
    )
    st.session_state["draft_stop_title"] = ""


def _clear() -> None:
    st.session_state[DRAFT] = []


def session_briefings(atlas) -> dict:
    """This session's draft as a briefing the Present page can play ({} without one), checked like a file."""
    stops = st.session_state.get(DRAFT)
    if not stops:
        return {}
    data = {"title": st.session_state.get("draft_title") or "Draft briefing", "stops": stops}
    briefing = briefing_from_data(data, DRAFT_ID, "briefing draft", atlas, [])
    return {DRAFT_ID: briefing} if briefing else {}


def render(data, state: ViewState, center_zoom) -> None:
    atlas = data.atlas
    shown = list(data.visible_segments(state))
    stops = st.session_state.get(DRAFT, [])
    with st.expander(f"Briefing draft ({len(stops)} stops)", expanded=bool(stops), icon=":material/slideshow:"):
        st.text_input("Stop title", key="draft_stop_title", placeholder="the selected corridor's name")
        st.button(
            "Add this view as a stop",
            key="draft_add",
            icon=":material/add_location_alt:",
            on_click=_add,
            args=(atlas, shown, state, center_zoom),
            help="The corridors shown, the selected corridor (highlighted) and the map's pan and zoom",
        )
        for i, stop in enumerate(stops, 1):
            st.caption(f"{i}. {markdown_text(stop['title'])} — {len(stop['corridors'])} corridors")
        if stops:
            title = st.text_input("Briefing title", key="draft_title", value="Draft briefing")
            st.download_button(
                "Download the briefing (YAML)",
                draft_yaml(title, stops),
                file_name=f"{slug(title)}.yaml",
                mime="application/x-yaml",
                key="draft_download",
                icon=":material/download:",
            )
            st.caption(
                "Save it in geodata/briefings/; `python -m corridors validate` checks it, and the "
                "Present page plays it."
            )
            st.page_link(
                links.link(links.PRESENT),
                label="Present the draft",
                icon=":material/slideshow:",
                query_params={"briefing": DRAFT_ID, "stop": "1"},
            )
            st.button("Clear the draft", key="draft_clear", on_click=_clear)
