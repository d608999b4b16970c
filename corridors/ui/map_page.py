"""The map page: layers and filters in the sidebar, the map, and the selected corridor's panel."""

from __future__ import annotations

import json
from collections.abc import Iterable

import streamlit as st

from corridors import settings
from corridors.data.excerpts import excerpts_for_corridor
from corridors.exports.geojson import segments_geojson
from corridors.maps.mapbuild import (
    legend_entries,
    legend_html,
    missing_tile_key,
)
from corridors.maps.placeinfo import clicked_place, place_info
from corridors.maps.viewfit import fit_view, map_bounds_from, map_view_from, near_view
from corridors.maps.viewstate import (
    ViewState,
    overlay_choices,
    state_from_query,
    state_to_query,
)
from corridors.safe import markdown_label, markdown_source, markdown_text, safe_url
from corridors.summaries import CorridorSummary, SegmentSummary

from . import date_control, downloads, draft_panel, linknotes, links, mapcache, own_layers, resources

NO_SELECTION = ""
LEAD = (  # one line at 1366 px: the map is the page
    "**Click a line** or **click a place** to read about it, or pick one under *Selected corridor*."
)
# The map fills the window below a one-line head (at least half of a 1366x768 or 1920x1080 window, its top in
# the upper third); the legend folds over its bottom-right corner (India and the sea in the first view: no
# corridor) and the panel opens beside it; on a phone the map comes first, full width, then legend and panel.
LAYOUT_CSS = """<style>
section[data-testid="stSidebar"][data-collapsed="false"] {width: 256px !important; min-width: 256px !important}
[data-testid="stMainBlockContainer"] {padding-top: 1.4rem !important; padding-left: 1.5rem !important;
  padding-right: 1.5rem !important; padding-bottom: 1rem !important}
.st-key-map_head h1 {font-size: 1.55rem !important; padding: 0 !important; margin: 0 !important}
.st-key-map_head p {margin-bottom: 0 !important}
.st-key-map_area {position: relative}
[data-testid="stHorizontalBlock"]:has(.map-no-panel) > [data-testid="stColumn"]:last-child {display: none}
[data-testid="stHorizontalBlock"]:has(.map-no-panel) > [data-testid="stColumn"]:first-child {
  flex: 1 1 100% !important; width: 100% !important; max-width: 100% !important}
.st-key-map_area iframe {height: clamp(340px, calc(100vh - 112px), 1600px) !important}
.st-key-map_when [data-testid="stWidgetLabel"] {min-height: 0 !important}
.st-key-map_legend {position: absolute !important; bottom: 38px; right: 10px; z-index: 5; width: auto !important;
  max-width: min(19rem, 36%); max-height: 46%; overflow: auto; background: rgba(255, 255, 255, 0.94);
  border-radius: 8px; box-shadow: 0 1px 8px rgba(0, 0, 0, 0.25)}
.st-key-map_legend details {border: 0 !important}
.st-key-map_legend .corridor-legend {columns: 1 !important; font-size: 0.76rem !important; line-height: 1.4 !important}
.st-key-map_legend .corridor-legend > div:first-child {display: none}
.st-key-map_legend summary {padding: 0.3rem 0.7rem !important}
.st-key-map_legend [data-testid="stExpanderDetails"] {padding: 0 0.7rem 0.5rem !important}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding-top: 3.4rem !important}
  .st-key-map_head h1 {font-size: 1.2rem !important}
  .st-key-map_when [data-testid="stHorizontalBlock"] {flex-wrap: nowrap !important}
  .st-key-map_when [data-testid="stColumn"] {min-width: 0 !important; width: auto !important; flex: 1 1 auto !important}
  .st-key-map_when [data-testid="stColumn"]:last-child {flex: 0 0 auto !important}
  .st-key-map_area iframe {height: clamp(320px, 62vh, 900px) !important}
  .st-key-map_legend {position: static !important; max-width: none; max-height: none; box-shadow: none}
}
</style>"""
_PENDING = "_pending_selection"
_PLACE = "_place"  # the place clicked on the map, shown in the panel until a corridor is chosen


def _key_show(cid: str) -> str:
    return f"show_{cid}"


def _key_overlay(name: str) -> str:
    return f"overlay_{name}"


def _widget_values(state: ViewState, atlas) -> dict:
    values = {_key_show(c): c in state.corridors for c in atlas.corridors}
    values.update({_key_overlay(o): o in state.overlays for o in overlay_choices(atlas.organisations)})
    values.update(
        f_status=list(state.statuses),
        f_mode=list(state.modes),
        f_country=list(state.countries),
        f_country_match=state.country_match,
        basemap=state.basemap,
        selected=state.selected or NO_SELECTION,
        labels=state.labels,
    )
    values.update(date_control.widget_values(atlas, state))
    return values


def _restore_view(data) -> None:
    """Give the widgets their values: from the URL when it was opened or followed as a link, else from
    the view this session last showed (Streamlit forgets widget values while another page is shown)."""
    atlas, query = data.atlas, st.query_params.to_dict()
    followed_link = query and query != st.session_state.get("_last_query")
    if "_view" not in st.session_state or followed_link:
        state, notes = state_from_query(query, atlas.corridors, data.countries_crossed_any, atlas.organisations)
        st.session_state.update(
            _view=state, _url_notes=notes, _map_view=state.view, _view_selected=state.selected, _map_retarget="link"
        )
        st.session_state.update(_widget_values(state, atlas))
        _forget_place()  # a followed link shows what it names
        return
    st.session_state["_url_notes"] = []
    # The data folder may have changed since: a round trip through the URL form drops unknown ids.
    view, _ = state_from_query(
        state_to_query(st.session_state["_view"], atlas.corridors),
        atlas.corridors,
        data.countries_crossed_any,
        atlas.organisations,
    )
    for key, value in _widget_values(view, atlas).items():
        st.session_state.setdefault(key, value)
    if st.session_state["selected"] not in (NO_SELECTION, *atlas.corridors):
        st.session_state["selected"] = NO_SELECTION
    # Set on every run (as the first run sets it): the element is then the same from run to run and goes to the
    # browser as a reference, not as every corridor's name again (90 KB at 1,200 corridors) on each toggle.
    st.session_state["selected"] = st.session_state["selected"]
    st.session_state["f_country"] = [c for c in st.session_state["f_country"] if c in data.countries_crossed_any]


def _forget_place() -> None:
    st.session_state.pop(_PLACE, None)


def _choose_corridor(cid: str) -> None:
    """A corridor button in a place's panel: select it (callbacks run before the widgets are drawn)."""
    st.session_state["selected"] = cid
    _forget_place()


def _set_group(ids: list[str], value: bool) -> None:
    for cid in ids:
        st.session_state[_key_show(cid)] = value


GROUP_LISTED = 40  # corridors listed as switches per group; a larger group gets a box to find the others


def _corridor_group(label: str, key: str, ids: list[str], names: dict, expanded: bool = True) -> None:
    """A group's switches: All, None and one per corridor; in a large group (a region-wide atlas) the first
    GROUP_LISTED that match the group's find box (the others keep their state: `_restore_view`)."""
    with st.expander(f"{label} ({len(ids)})", expanded=expanded):
        left, right = st.columns(2)
        left.button("All", key=f"all_{key}", on_click=_set_group, args=(ids, True), width="stretch")
        right.button("None", key=f"none_{key}", on_click=_set_group, args=(ids, False), width="stretch")
        listed = ids
        if len(ids) > GROUP_LISTED:
            wanted = st.text_input("Find a corridor", key=f"find_{key}", placeholder="part of its name").strip()
            matching = [c for c in ids if wanted.casefold() in names[c].casefold()] if wanted else ids
            listed = matching[:GROUP_LISTED]
            st.caption(f"{len(listed)} of {len(matching):,} listed" + (" matching" if wanted else ""))
        for cid in listed:
            st.checkbox(markdown_label(names[cid]), key=_key_show(cid))


def _sidebar(data) -> None:
    """The sidebar's widgets, drawn after the map: the browser fetches the code of each kind of widget the
    first time it meets one, and the map's frame, met first, is then fetched first."""
    atlas = data.atlas
    names = {cid: c.name for cid, c in atlas.corridors.items()}
    with st.sidebar:
        st.selectbox(
            "Selected corridor",
            [NO_SELECTION, *atlas.corridors],
            key="selected",
            format_func=lambda c: names.get(c, "— none —"),
            on_change=_forget_place,
            help="Choose a corridor to read about it in the panel (the keyboard way to select one).",
        )
        st.subheader("Corridors")
        for mode, ids in data.modes.items():
            _corridor_group(f"{settings.MODE_LABELS[mode]} corridors", mode, ids, names)
        if data.connecting:  # legs that complete the article's ways: drawn quieter, switched as a group too
            _corridor_group(settings.CONNECTING_LABEL, "connecting", data.connecting, names, expanded=False)
        st.subheader("Filters")
        st.multiselect("Status", settings.STATUSES, key="f_status", format_func=settings.STATUS_LABELS.get)
        st.multiselect("Mode", settings.MODES, key="f_mode", format_func=settings.MODE_LABELS.get)
        country_names = atlas.country_names
        st.radio(
            "Country filter",
            list(settings.COUNTRY_MATCHES),
            key="f_country_match",
            horizontal=True,
            format_func=settings.COUNTRY_MATCHES.get,
            help="Crosses any of: corridors that cross at least one chosen country. Connects two: the "
            "corridors (and connecting legs) that chain together into a way from one chosen country "
            "to the other — the Routes page compares those ways.",
        )
        connects = st.session_state.f_country_match == "connects"
        st.multiselect(
            "Show corridors that connect these two countries"
            if connects
            else "Show corridors that cross any of these countries",
            data.countries_crossed_any,
            key="f_country",
            format_func=lambda c: country_names.get(c, c),
            max_selections=2 if connects else None,
            placeholder="any country",
        )
        if connects and len(st.session_state.f_country) != 2:
            st.caption("Pick two countries; until then no country filter applies.")
        st.subheader("Overlays")
        labels = dict(settings.BASE_OVERLAYS)
        labels.update({o: f"{org.name} members" for o, org in atlas.organisations.items()})
        for name in overlay_choices(atlas.organisations):
            st.checkbox(markdown_label(labels[name]), key=_key_overlay(name))
        st.selectbox(
            "Names on the map",
            list(settings.LABEL_CHOICES),
            key="labels",
            format_func=settings.LABEL_CHOICES.get,
            help="Country, place and corridor names; Large reads from the back of a room on a projector.",
        )
        st.selectbox(
            "Basemap",
            list(settings.BASEMAPS),
            key="basemap",
            format_func=settings.BASEMAPS.get,
            help="Offline needs no internet. Tile basemaps load from their services when online; "
            "offline they stay blank while everything else keeps working.",
        )
        own_layers.render()


def _view_state(data) -> ViewState:
    """The view the sidebar's widgets hold (their values are in the session before they are drawn: from the
    link, the last run or a callback), so the map can be drawn before the sidebar (_sidebar, last)."""
    atlas = data.atlas
    if st.session_state.f_country_match == "connects" and len(st.session_state.f_country) > 2:
        st.session_state.f_country = st.session_state.f_country[:2]
    return ViewState(
        corridors=tuple(c for c in atlas.corridors if st.session_state[_key_show(c)]),
        statuses=tuple(s for s in settings.STATUSES if s in st.session_state.f_status),
        modes=tuple(m for m in settings.MODES if m in st.session_state.f_mode),
        countries=tuple(c for c in data.countries_crossed_any if c in st.session_state.f_country),
        country_match=st.session_state.f_country_match,
        overlays=tuple(o for o in overlay_choices(atlas.organisations) if st.session_state[_key_overlay(o)]),
        basemap=st.session_state.basemap,
        selected=st.session_state.selected or None,
        labels=st.session_state.labels,
    )


def _sync_url(state: ViewState, corridor_ids) -> None:
    """The URL always shows the current view; remember it to tell our own URL from a followed link."""
    wanted = state_to_query(state, corridor_ids)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state.update(_view=state, _last_query=wanted)


def _with_map_view(state: ViewState) -> ViewState:
    """The view with where the map was panned and zoomed to. Selecting a corridor forgets it (the map fits the
    corridor); clearing the selection keeps the map where it is."""
    if st.session_state.get("_view_selected") != state.selected:
        if state.selected:
            st.session_state["_map_view"] = None
        st.session_state.update(_view_selected=state.selected, _map_retarget="selection")
    return state.with_(view=st.session_state.get("_map_view"))


def _map_target(state: ViewState, fitted: tuple, mounted: bool) -> tuple[list[float], int]:
    """Where the page sends the map: changed only when the page means to move it.

    streamlit-folium moves the map whenever the centre or zoom handed to it differs from the last one handed
    over, wherever the map is by then. So the page hands over the same target on every rerun and never the
    view the map reported (that lags one rerun behind the user: handing it back pulled a map just zoomed onto
    Kashgar back to the old centre). It changes on the first run, a followed link, a new selection's fit, and
    when the map is drawn anew (another page or basemap): then to where the map should be."""
    target = st.session_state.get("_map_target")
    reason = st.session_state.pop("_map_retarget", None)  # "link" or "selection"
    if target is not None and mounted and (reason is None or (reason == "selection" and not state.selected)):
        return target  # nothing asks to move the map (a cleared selection leaves it where it is)
    if state.view:
        center, zoom = [state.view[0], state.view[1]], state.view[2]
    else:
        center, zoom = [fitted[0][0], fitted[0][1]], fitted[1]
    if target is not None and [center, zoom] == target:
        center = [center[0] + 1e-7, center[1]]  # the same target again (a fit asked twice): still moves the map
    target = [center, zoom]
    st.session_state["_map_target"] = target
    return target


def _map(data, state: ViewState) -> tuple[float, float, int]:
    center, zoom = data.start_view
    bounds = data.bounds(state.selected) if state.selected else None
    if bounds:
        center, zoom = fit_view(bounds)
    fitted = (center, zoom)
    mounted = mapcache.widget_key(data, state.basemap, "map") in st.session_state  # drawn in the last run

    center, zoom = _map_target(state, fitted, mounted)
    out = mapcache.st_map(
        data,
        state,
        center=center,
        zoom=zoom,
        height=settings.MAP_HEIGHT_PX,  # = st_folium
        returned_objects=["last_active_drawing", "last_object_clicked", "center", "zoom", "bounds"],
        key="map",
        extra=own_layers.map_layers(),
    )
    _remember_pan(data, state, out)
    clicked = (out or {}).get("last_active_drawing") or {}
    cid = (clicked.get("properties") or {}).get("corridor")
    place = clicked_place(out)
    click_id = (cid or place, str((out or {}).get("last_object_clicked")))
    if click_id == st.session_state.get("_last_click"):
        return
    if place in data.atlas.nodes:  # the panel (drawn after the map) shows the place
        st.session_state.update(_last_click=click_id, **{_PLACE: place})
    elif cid in data.atlas.corridors:
        st.session_state["_last_click"] = click_id
        if cid != state.selected or _PLACE in st.session_state:
            _forget_place()
            st.session_state[_PENDING] = cid
            st.rerun()
    return st.session_state.get("_map_view") or (*fitted[0], fitted[1])


def _remember_pan(data, state: ViewState, out) -> None:
    """Keep where the map was panned and zoomed to (and its bounds, for a briefing stop) in the URL.

    Only a new report counts (the component returns its last one on every rerun), and not the map settling
    where the page sent it (within a pixel or two): the first load leaves the URL as it was."""
    moved = map_view_from(out)
    if moved is None or moved == st.session_state.get("_map_reported"):
        return
    st.session_state["_map_reported"] = moved
    st.session_state["_map_bounds"] = map_bounds_from(out)
    target = st.session_state.get("_map_target")
    if target and st.session_state.get("_map_view") is None and near_view(moved, (*target[0], target[1])):
        return
    st.session_state["_map_view"] = moved
    _sync_url(state.with_(view=moved), data.atlas.corridors)


def _km(value: float) -> str:
    """As precise as published: 1,300 km, 721.6 km."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _length_lines(items) -> list[str]:
    return [
        f"- {_km(p.km)} km" + (f" ({markdown_text(p.scope)})" if p.scope else "") + f" — {markdown_source(p.source)}"
        for p in items
    ]


def _lengths(rec: CorridorSummary) -> None:
    """Drawn against published whole-route lengths; sections and other measures folded under them."""
    rng = rec.published_length_range_km
    if rng:
        figure = f"{_km(rng[0])} km" if rng[0] == rng[1] else f"{_km(rng[0])}–{_km(rng[1])} km"
        sources = "; ".join(markdown_source(s) for s in rec.published_length_sources)
        published = f"**published:** {figure} for the whole route as drawn ({sources})"
    else:
        published = "**published:** no figure found for the whole route as drawn"
    st.markdown(f"**Length — drawn:** {rec.length_km:,.0f} km (geodesic, along the drawn line) · {published}")
    by_status = rec.km_by_status
    st.markdown(
        "**Drawn km by status:** "
        + " · ".join(f"{settings.STATUS_LABELS[s]} {by_status[s]:,.0f} km" for s in settings.STATUSES if s in by_status)
    )
    rest = [p for p in rec.published_lengths if p.covers != "route"]
    if rest:
        with st.expander(f"Published lengths of sections and other measures ({len(rest)})"):
            for covers, title in (("section", "Sections"), ("other", "Other measures (not this route's length)")):
                lines = _length_lines([p for p in rest if p.covers == covers])
                if lines:
                    st.markdown(f"**{title}**\n" + "\n".join(lines))


def _place_panel(data, node_id: str) -> None:
    info = place_info(data.atlas, node_id)
    if info is None:
        _forget_place()
        return
    st.subheader(markdown_text(info.name), anchor=False)
    if info.aliases:
        st.caption("Also: " + markdown_text(", ".join(info.aliases)))
    st.markdown(f"**{markdown_text(info.kind)}** in {markdown_text(info.country)}")
    if info.corridors:
        st.markdown(f"**Corridors through {markdown_text(info.name)}** (choose one to read about it):")
        for cid in info.corridors:
            st.button(
                markdown_label(data.atlas.corridors[cid].name),
                key=f"place_corridor_{cid}",
                on_click=_choose_corridor,
                args=(cid,),
                icon=":material/route:",
            )
    else:
        st.markdown("No corridor passes through this place.")
    _excerpt_list(list(info.excerpts), "No article excerpt mentions this place yet.")
    st.caption("Source: " + markdown_text(info.source))
    st.button("Close", key="place_close", on_click=_forget_place, icon=":material/close:")


# The key columns first, sized in pixels so they fit the panel beside the map on a 1366-pixel-wide screen;
# the rest (published km, gauge, opened, mode) follow to the right.
SEGMENT_COLUMNS = {
    "segment": st.column_config.TextColumn("segment", width=150, help="From – to"),
    "status": st.column_config.TextColumn("status", width=96),
    "line": st.column_config.TextColumn("line", width=78, help="How exact the drawn line is"),
    "drawn km": st.column_config.NumberColumn("km", width=48, help="Drawn (geodesic) length"),
}


def segment_rows(segments: Iterable[SegmentSummary]) -> list[dict]:
    return [
        {
            "segment": f"{s.from_name} – {s.to_name}",
            "status": settings.STATUS_LABELS[s.status],
            "line": s.accuracy,
            "drawn km": round(s.length_km),
            "as of": s.as_of,
            "published km": ", ".join(_km(p.km) for p in s.published_lengths),
            "gauge": s.gauge,
            "opened": s.opened or "",
            "mode": s.mode,
            "status source": s.status_source,
            "closed every year": "; ".join(
                f"{c.from_} to {c.to}" + (f" (until {c.until})" if c.until else "") for c in s.closures
            ),
        }
        for s in segments
    ]


def _panel(loaded, state: ViewState) -> None:
    data = loaded.data
    place = st.session_state.get(_PLACE)
    if place:
        _place_panel(data, place)
        return
    if not state.selected:
        st.info(
            "Click a corridor on the map (or a place, for the corridors through it), or choose one under "
            "**Selected corridor** in the sidebar, to read about it here."
        )
        return
    rec = loaded.corridor_record(state.selected)
    names = data.atlas.country_names
    st.subheader(markdown_text(rec.name), anchor=False)
    if rec.aliases:
        st.caption("Also: " + markdown_text(", ".join(rec.aliases)))
    dates = ", ".join(
        f"{label} {markdown_text(value)}" for label, value in (("agreed", rec.agreed), ("opened", rec.opened)) if value
    )
    st.markdown(
        f"**{settings.STATUS_LABELS[rec.status]}** {settings.MODE_LABELS[rec.mode].lower()} corridor"
        + (f" · {dates}" if dates else "")
    )
    st.caption(
        f"Status as of {markdown_text(rec.as_of)} — source: {markdown_text(rec.status_source)}"
        + (f" ({markdown_text(rec.status_note)})" if rec.status_note else "")
    )
    if rec.events:
        st.caption(
            "History: "
            + " · ".join(
                f"{markdown_text(e.date)} {e.kind.replace('_', ' ')}" + (" (announced)" if e.announced else "")
                for e in rec.events
            )
        )
    st.markdown(markdown_text(rec.description))
    st.markdown(
        "**Countries, in route order:** "
        + " → ".join(f"{markdown_text(names.get(c, c))} ({rec.km_by_country[c]:,.0f} km)" for c in rec.countries)
    )
    _lengths(rec)
    _excerpts(data, state.selected)
    st.markdown(f"**Segments** ({len(rec.segments)})")
    st.dataframe(segment_rows(rec.segments), hide_index=True, width="stretch", column_config=SEGMENT_COLUMNS)
    st.caption(
        "line: how exact the drawn line is ("
        + "; ".join(f"{k} = {v}" for k, v in settings.ACCURACY_LABELS.items())
        + "); km: drawn. Scroll the table sideways for the date and source that confirm each status (as of), "
        "published km, gauge, opening date, mode and seasonal closures (MM-DD, closed from the first day, open "
        "again on the second)."
    )
    for alt in rec.alternatives:
        st.markdown(
            f"**Alternative:** {markdown_text(alt.name)} — {alt.length_km:,.0f} km drawn, "
            + " → ".join(markdown_text(names.get(c, c)) for c in alt.countries)
        )


def _excerpts(data, corridor_id: str) -> None:
    _excerpt_list(excerpts_for_corridor(data.atlas, corridor_id), "No article excerpt is linked to this corridor yet.")


def _excerpt_list(views, none_text: str) -> None:
    st.markdown(f"**What the articles say** ({len(views)})")
    if not views:
        st.caption(none_text)
    for v in views:
        with st.container(border=True):
            st.markdown(f"“{markdown_text(v.text)}”")
            meta = [markdown_text(x) for x in (v.article.title, v.article.outlet, v.article.date_label) if x]
            url = safe_url(v.article.url)
            st.caption(" · ".join(meta) + (f" · [source]({url})" if url else ""))
            ex = v.excerpt
            st.page_link(
                links.link(links.ARTICLES),
                label="Read in context",
                icon=":material/menu_book:",
                query_params={"article": ex.article, "excerpt": f"{ex.paragraph}-{ex.start}-{ex.end}"},
            )


def render() -> None:
    loaded = resources.current()
    atlas, data = loaded.atlas, loaded.data
    if _PENDING in st.session_state:
        st.session_state["selected"] = st.session_state.pop(_PENDING)
    _restore_view(data)
    state = _with_map_view(_view_state(data).with_(asof=date_control.current(atlas)))
    _sync_url(state, atlas.corridors)
    st.html(LAYOUT_CSS)
    head, when = st.columns([1.25, 1], vertical_alignment="bottom")
    with head, st.container(key="map_head"):
        st.title("South–Central Asia transport corridors", anchor=False)
        st.caption(LEAD)
    with when, st.container(key="map_when"):
        date_control.render(atlas)
    resources.show_problems(atlas.problems)
    # said while the map shows what the link gave (reruns that only record a pan or zoom keep them)
    linknotes.show(
        "map", st.session_state.get("_url_notes", []), state_to_query(state.with_(view=None), atlas.corridors)
    )
    panel_open = bool(state.selected or st.session_state.get(_PLACE))
    # The panel beside the map, which keeps most of the width. The same columns whether it is open or not: a
    # change of the page's structure above the map would make the browser draw the map anew, at its start.
    left, right = st.columns([3.3, 1], gap="small")
    with left:
        visible = data.visible_segments(state)
        if not visible:
            st.info("No corridor matches the switches and filters in the sidebar.")
        elif state.selected and state.selected not in visible:
            st.caption("The selected corridor is hidden by the switches or filters in the sidebar.")
        with st.container(key="map_area"):
            center_zoom = _map(data, state)
            entries = legend_entries(data, state) + own_layers.legend_entries()
            if entries:
                with st.container(key="map_legend"):
                    with st.expander(f"Legend ({len(entries)})", expanded=not panel_open):
                        st.html(legend_html(entries))
        draft_panel.render(data, state, center_zoom)
        shown = {s.id for segs in visible.values() for s in segs}
        st.download_button(
            f"Download the {len(shown)} segments shown (GeoJSON)",
            lambda: json.dumps(segments_geojson(data.atlas, shown), ensure_ascii=False),  # on click
            file_name="corridor-segments.geojson",
            mime="application/geo+json",
            disabled=not shown,
            icon=":material/download:",
        )
        downloads.render(data, shown, "corridors-shown", "map_download", "Download what is shown (GIS)")
        key_variable = missing_tile_key(state.basemap)
        if key_variable:
            st.info(
                f"{settings.BASEMAPS[state.basemap]} tiles need an API key: set {key_variable} in the "
                "environment before starting the app. Until then the offline basemap is shown."
            )
        if state.basemap == settings.DEFAULT_BASEMAP or key_variable:
            st.caption("Basemap: Natural Earth admin-0 countries (public domain); Kashmir is disputed.")
    with right:
        if state.selected or st.session_state.get(_PLACE):  # asked again: a click on the map may have opened it
            _panel(loaded, state)
        else:  # the map takes the whole width (LAYOUT_CSS)
            st.html('<span class="map-no-panel"></span>')
    _sidebar(data)  # last: see _sidebar
