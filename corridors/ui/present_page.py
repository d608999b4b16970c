"""The presentation page: plays a briefing stop by stop, the map filling the window.

`?briefing=ID&stop=N` opens a stop; next / previous by the buttons, the arrow keys, PageUp/PageDown
(what clickers send) and Home/End (a script in the map turns keys into clicks on these buttons).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from corridors.briefings.excerpts import stop_excerpts
from corridors.briefings.navigation import ACTIONS, position_query, read_position, step
from corridors.data.dates import data_as_of
from corridors.maps.mapbuild import legend_entries, legend_html
from corridors.maps.present import stop_map_html, stop_state
from corridors.maps.timebar import Q_ASOF, asof_label, parse_asof
from corridors.safe import html_text, markdown_text

from . import downloads, draft_panel, linknotes, links, resources
from .a11y import MAP_FRAME_TITLES

_BRIEFING, _STOP, _QUERY = "_present_briefing", "_present_stop", "_present_query"
_ASOF = "_present_asof"  # the URL's asof: every stop as of that date
LABELS = {
    "first": ":material/first_page:",
    "prev": ":material/chevron_left: Previous",
    "next": "Next :material/chevron_right:",
    "last": ":material/last_page:",
}
HELP = {
    "first": "First stop (Home)",
    "prev": "Previous stop (← or PageUp)",
    "next": "Next stop (→ or PageDown)",
    "last": "Last stop (End)",
}

# The map fills the window; the page's own chrome is hidden; the panels float over the map.
CSS = """<style>
header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer {display: none !important}
[data-testid="stMainBlockContainer"], .block-container {padding: 0 !important; max-width: none !important}
html, body, [data-testid="stAppViewContainer"], [data-testid="stMain"] {overflow: hidden !important}
.st-key-present_map iframe {position: fixed !important; inset: 0 !important; width: 100vw !important;
  height: 100vh !important; border: 0 !important; z-index: 1}
.st-key-present_head, .st-key-present_text, .st-key-present_nav, .st-key-present_legend {
  position: fixed !important; z-index: 10; background: rgba(255, 255, 255, 0.93); border-radius: 10px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, 0.25); padding: 0.8rem 1.1rem !important; width: auto !important}
.st-key-present_head {top: 14px; left: 64px; max-width: min(52rem, 62vw)}
.st-key-present_head h1 {font-size: clamp(1.7rem, 2.7vw, 3.2rem) !important; line-height: 1.15 !important;
  padding: 0 !important; margin: 0 !important}
.st-key-present_legend {top: 14px; right: 14px; max-width: min(24rem, 26vw); font-size: clamp(0.9rem, 1vw, 1.2rem)}
.st-key-present_legend .corridor-legend {columns: 1 !important; font-size: inherit !important}
.st-key-present_text {bottom: 44px; left: 14px; max-width: min(40rem, 40vw); max-height: 38vh; overflow: auto}
.st-key-present_text p {font-size: clamp(0.95rem, 1.1vw, 1.4rem)}
.st-key-present_nav {bottom: 30px; right: 14px; padding: 0.5rem 0.8rem !important}
</style>"""


def _briefings(atlas) -> dict:
    """The data folder's briefings, and this session's draft from the map page."""
    return {**atlas.briefings, **draft_panel.session_briefings(atlas)}


def _stop_html(loaded, briefings: dict, briefing_id: str, index: int, asof: str | None) -> str:
    if briefings[briefing_id] is not loaded.atlas.briefings.get(briefing_id):  # the session's draft: not cached
        html = stop_map_html(loaded.data, _as_of(briefings[briefing_id].stops[index], asof))
    else:
        html = _cached_stop_html(loaded.path, loaded.fingerprint, briefing_id, index, asof)
    return _named_document(html, briefings[briefing_id].stops[index].title)


def _as_of(stop, asof: str | None):
    """The stop as of the URL's date when it gives one, else as of its own (`asof` in the briefing), or today."""
    return replace(stop, asof=asof) if asof else stop


def _named_document(html: str, stop_title: str) -> str:
    """The map's own document in the iframe gets a language and a title (WCAG 3.1.1, 2.4.2): folium's has neither."""
    title = f"<title>Map: {html_text(stop_title)}</title>"
    return html.replace("<html>", '<html lang="en">', 1).replace("<head>", "<head>\n    " + title, 1)


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_stop_html(path: str, fingerprint: str, briefing_id: str, index: int, asof: str | None = None) -> str:
    loaded = resources.Loaded(path, fingerprint)
    return stop_map_html(loaded.data, _as_of(loaded.atlas.briefings[briefing_id].stops[index], asof))


def _position(briefings: dict) -> tuple[str | None, int, list[str]]:
    """From the URL when the page was opened or a link followed; else where this session is."""
    query = st.query_params.to_dict()
    if query != st.session_state.get(_QUERY) or st.session_state.get(_BRIEFING) not in briefings:
        bid, index, notes = read_position(query, briefings)
        asof, note = parse_asof(query.get(Q_ASOF))
        st.session_state.update({_BRIEFING: bid, _STOP: index, _ASOF: asof})
        return bid, index, [*notes, *([note] if note else [])]
    bid = st.session_state[_BRIEFING]
    index = min(st.session_state.get(_STOP, 0), len(briefings[bid].stops) - 1)
    return bid, index, []


def _go(action: str, count: int) -> None:
    st.session_state[_STOP] = step(st.session_state.get(_STOP, 0), count, action)


def _picker(atlas, briefings: dict, notes: list[str]) -> None:
    st.title("Present a briefing", anchor=False)  # the page's h1
    linknotes.show("present", notes, None)
    resources.show_problems(atlas.problems)
    if not briefings:
        st.info(
            "No briefing in the data folder yet: add one as briefings/<id>.yaml (see geodata/README.md), "
            "or draft one on the map page with *Add this view as a stop*."
        )
        return
    for bid, briefing in briefings.items():
        with st.container(border=True):
            st.page_link(
                links.link(links.PRESENT),
                label=markdown_text(briefing.title),
                icon=":material/slideshow:",
                query_params=position_query(bid, 0),
            )
            st.caption(
                f"{len(briefing.stops)} stops"
                + (" · " + markdown_text(briefing.description) if briefing.description else "")
            )


def render() -> None:
    loaded = resources.current()
    atlas, data = loaded.atlas, loaded.data
    briefings = _briefings(atlas)
    bid, index, notes = _position(briefings)
    if bid is None:
        st.session_state.pop(_QUERY, None)
        _picker(atlas, briefings, notes)
        return
    briefing = briefings[bid]
    url_asof = st.session_state.get(_ASOF)
    count, stop = len(briefing.stops), _as_of(briefing.stops[index], url_asof)
    wanted = position_query(bid, index)
    if url_asof:
        wanted[Q_ASOF] = url_asof
    # written even when the script already sees it: after a st.page_link with query_params (the list's links)
    # the script has them but the browser's address bar does not, and the next key press would lose the stop
    st.query_params.from_dict(wanted)
    st.session_state[_QUERY] = wanted

    st.html(CSS)
    with st.container(key="present_map"):
        st.iframe(_stop_html(loaded, briefings, bid, index, url_asof), height=600, alt=MAP_FRAME_TITLES["present"])
    with st.container(key="present_head"):
        st.caption(f"{markdown_text(briefing.title)} · stop {index + 1} of {count}")
        st.title(markdown_text(stop.title), anchor=False)
        if stop.asof:
            st.markdown(f"**The network {markdown_text(asof_label(atlas, stop.asof))}**")
        if atlas.updated:
            st.caption(data_as_of(atlas.updated))  # when the data was last checked against sources
    with st.container(key="present_legend"):
        st.html(legend_html(legend_entries(data, stop_state(stop))))
    with st.container(key="present_text"):
        linknotes.show("present", notes, (bid, index))
        if stop.notes and st.session_state.get("present_notes_on"):  # the switch is with the buttons
            st.info(markdown_text(stop.notes), icon=":material/speaker_notes:")
        for found in stop_excerpts(atlas, stop):
            st.markdown(f"“{markdown_text(found.text)}”")
            st.caption(" · ".join(markdown_text(x) for x in (found.article.title, found.article.outlet) if x))
        own = [p for p in atlas.problems if p.file.endswith(f"/briefings/{bid}.yaml")]
        if own:
            with st.expander(f"This briefing has {len(own)} problem(s); what is valid is shown"):
                st.code("\n".join(str(p) for p in own), language=None)
        elif atlas.problems:
            st.caption(
                f"The data folder has {len(atlas.problems)} problem(s): `python -m corridors validate` lists them."
            )
    with st.container(key="present_nav", horizontal=True, vertical_alignment="center"):
        for action in ACTIONS:
            at_edge = (action in ("first", "prev") and index == 0) or (
                action in ("next", "last") and index == count - 1
            )
            st.button(
                LABELS[action],
                key=f"present_{action}",
                help=HELP[action],
                disabled=at_edge,
                on_click=_go,
                args=(action, count),
            )
        st.markdown(f"**{index + 1} / {count}**")
        # always drawn (disabled on a stop without notes), so it stays on from stop to stop
        st.toggle("Notes", key="present_notes_on", disabled=not stop.notes, help="Speaker notes")
        _downloads(atlas, data, replace(briefing, stops=tuple(_as_of(s, url_asof) for s in briefing.stops)), index)
        st.page_link(links.link(links.MAP), label="Leave", icon=":material/close:")


def _downloads(atlas, data, briefing, index: int) -> None:
    """This stop as a 1920×1080 PNG for the slides, and the whole briefing as one HTML file that plays
    offline; each is made only when its button is clicked."""
    from corridors.exports.htmlfile import briefing_html
    from corridors.exports.png import png_bytes

    with st.popover(
        "Download",
        icon=":material/download:",
        help="This stop as an image, or the briefing as a file that plays offline",
    ):
        st.download_button(
            "This stop as a PNG (1920×1080)",
            key="present_png",
            on_click="ignore",
            data=lambda: png_bytes(atlas, briefing, stop=index, data=data),
            file_name=f"{briefing.id}-{index + 1:02d}.png",
            mime="image/png",
        )
        st.download_button(
            "The briefing as one HTML file (plays offline)",
            key="present_html",
            on_click="ignore",
            data=lambda: briefing_html(atlas, briefing, data=data),
            file_name=f"{briefing.id}.html",
            mime="text/html",
        )
        shown = {seg.id for segs in data.visible_segments(stop_state(briefing.stops[index])).values() for seg in segs}
        downloads.buttons(data, shown, f"{briefing.id}-{index + 1:02d}", "present_gis")
