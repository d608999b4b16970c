"""The map page: layers and filters in the sidebar, the map, and the selected corridor's panel."""

from __future__ import annotations

import json

import streamlit as st

from corridors import settings
from corridors.data.export import segments_geojson
from corridors.maps.mapbuild import (
    legend_entries,
    legend_html,
    missing_tile_key,
)
from corridors.maps.viewfit import fit_view
from corridors.maps.viewstate import (
    ViewState,
    overlay_choices,
    state_from_query,
    state_to_query,
)
from corridors.safe import markdown_text, safe_url
from corridors.text.excerpts import excerpts_for_corridor

from . import mapcache, resources

NO_SELECTION = ""
_PENDING = "_pending_selection"


def _key_show(cid: str) -> str:
    return f"show_{cid}"


def _key_overlay(name: str) -> str:
    return f"overlay_{name}"


def _widget_values(state: ViewState, atlas) -> dict:
    values = {_key_show(c): c in state.corridors for c in atlas.corridors}
    values.update({_key_overlay(o): o in state.overlays for o in overlay_choices(atlas.organisations)})
    values.update(f_status=list(state.statuses), f_mode=list(state.modes), f_country=list(state.countries),
                  basemap=state.basemap, selected=state.selected or NO_SELECTION)
    return values


def _restore_view(data) -> None:
    """Give the widgets their values: from the URL when it was opened or followed as a link, else from
    the view this session last showed (Streamlit forgets widget values while another page is shown)."""
    atlas, query = data.atlas, st.query_params.to_dict()
    followed_link = query and query != st.session_state.get("_last_query")
    if "_view" not in st.session_state or followed_link:
        state, notes = state_from_query(query, atlas.corridors, data.countries_crossed_any, atlas.organisations)
        st.session_state.update(_view=state, _url_notes=notes)
        st.session_state.update(_widget_values(state, atlas))
        return
    st.session_state["_url_notes"] = []
    # The data folder may have changed since: a round trip through the URL form drops unknown ids.
    view, _ = state_from_query(state_to_query(st.session_state["_view"], atlas.corridors), atlas.corridors,
                               data.countries_crossed_any, atlas.organisations)
    for key, value in _widget_values(view, atlas).items():
        st.session_state.setdefault(key, value)
    if st.session_state["selected"] not in (NO_SELECTION, *atlas.corridors):
        st.session_state["selected"] = NO_SELECTION
    st.session_state["f_country"] = [c for c in st.session_state["f_country"] if c in data.countries_crossed_any]


def _set_group(ids: list[str], value: bool) -> None:
    for cid in ids:
        st.session_state[_key_show(cid)] = value


def _sidebar(data) -> ViewState:
    atlas = data.atlas
    names = {cid: c.name for cid, c in atlas.corridors.items()}
    with st.sidebar:
        st.selectbox("Selected corridor", [NO_SELECTION, *atlas.corridors], key="selected",
                     format_func=lambda c: names.get(c, "— none —"))
        st.subheader("Corridors")
        for mode, ids in data.modes.items():
            with st.expander(f"{settings.MODE_LABELS[mode]} corridors ({len(ids)})", expanded=True):
                left, right = st.columns(2)
                left.button("All", key=f"all_{mode}", on_click=_set_group, args=(ids, True), width="stretch")
                right.button("None", key=f"none_{mode}", on_click=_set_group, args=(ids, False),
                             width="stretch")
                for cid in ids:
                    st.checkbox(markdown_text(names[cid]), key=_key_show(cid))
        st.subheader("Filters")
        st.multiselect("Status", settings.STATUSES, key="f_status", format_func=settings.STATUS_LABELS.get)
        st.multiselect("Mode", settings.MODES, key="f_mode", format_func=settings.MODE_LABELS.get)
        country_names = atlas.country_names
        st.multiselect("Crosses country", data.countries_crossed_any, key="f_country",
                       format_func=lambda c: country_names.get(c, c), placeholder="any country")
        st.subheader("Overlays")
        labels = dict(settings.BASE_OVERLAYS)
        labels.update({o: f"{org.name} members" for o, org in atlas.organisations.items()})
        for name in overlay_choices(atlas.organisations):
            st.checkbox(markdown_text(labels[name]), key=_key_overlay(name))
        st.selectbox("Basemap", list(settings.BASEMAPS), key="basemap", format_func=settings.BASEMAPS.get,
                     help="Offline needs no internet. Tile basemaps load from their services when online; "
                          "offline they stay blank while everything else keeps working.")
    return ViewState(
        corridors=tuple(c for c in atlas.corridors if st.session_state[_key_show(c)]),
        statuses=tuple(s for s in settings.STATUSES if s in st.session_state.f_status),
        modes=tuple(m for m in settings.MODES if m in st.session_state.f_mode),
        countries=tuple(c for c in data.countries_crossed_any if c in st.session_state.f_country),
        overlays=tuple(o for o in overlay_choices(atlas.organisations) if st.session_state[_key_overlay(o)]),
        basemap=st.session_state.basemap,
        selected=st.session_state.selected or None,
    )


def _sync_url(state: ViewState, corridor_ids) -> None:
    """The URL always shows the current view; remember it to tell our own URL from a followed link."""
    wanted = state_to_query(state, corridor_ids)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state.update(_view=state, _last_query=wanted)


def _map(data, state: ViewState) -> None:
    center = zoom = None
    bounds = data.bounds(state.selected) if state.selected else None
    if bounds:
        center, zoom = fit_view(bounds)
    out = mapcache.st_map(data, state, center=center, zoom=zoom, height=settings.MAP_HEIGHT_PX,  # = st_folium, cached
                          returned_objects=["last_active_drawing", "last_object_clicked"], key="map")
    clicked = (out or {}).get("last_active_drawing") or {}
    cid = (clicked.get("properties") or {}).get("corridor")
    click_id = (cid, str((out or {}).get("last_object_clicked")))
    if cid in data.atlas.corridors and click_id != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = click_id
        if cid != state.selected:
            st.session_state[_PENDING] = cid
            st.rerun()


def _km(value: float) -> str:
    """As precise as published: 1,300 km, 721.6 km."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _length_lines(items) -> list[str]:
    return [f"- {_km(p['km'])} km" + (f" ({markdown_text(p['scope'])})" if p["scope"] else "")
            + f" — {markdown_text(p['source'])}" for p in items]


def _panel(loaded, state: ViewState) -> None:
    data = loaded.data
    if not state.selected:
        st.info("Click a corridor on the map, or choose one under **Selected corridor** in the sidebar, "
                "to read about it here.")
        return
    rec = loaded.corridor_record(state.selected)
    names = data.atlas.country_names
    st.subheader(markdown_text(rec["name"]), anchor=False)
    if rec["aliases"]:
        st.caption("Also: " + markdown_text(", ".join(rec["aliases"])))
    dates = ", ".join(f"{label} {markdown_text(rec[k])}" for k, label in (("agreed", "agreed"), ("opened", "opened"))
                      if rec[k])
    st.markdown(f"**{settings.STATUS_LABELS[rec['status']]}** {settings.MODE_LABELS[rec['mode']].lower()} corridor"
                + (f" · {dates}" if dates else ""))
    st.markdown(markdown_text(rec["description"]))
    st.markdown("**Countries, in route order:** " + " → ".join(
        f"{markdown_text(names.get(c, c))} ({rec['km_by_country'][c]:,.0f} km)" for c in rec["countries"]))
    st.markdown(f"**Drawn length:** {rec['length_km']:,.1f} km (geodesic, along the drawn line)")
    if rec["published_lengths"]:
        st.markdown("**Published lengths:**\n" + "\n".join(_length_lines(rec["published_lengths"])))
    else:
        st.markdown("**Published length:** none found")
    _excerpts(data, state.selected)
    st.markdown(f"**Segments** ({len(rec['segments'])})")
    st.dataframe(
        [{"from": s["from_name"], "to": s["to_name"], "status": settings.STATUS_LABELS[s["status"]],
          "gauge mm": s["gauge_mm"], "drawn km": round(s["length_km"]),
          "published km": ", ".join(_km(p["km"]) for p in s["published_lengths"]),
          "line": s["accuracy"], "opened": s["opened"] or "", "mode": s["mode"]}
         for s in rec["segments"]],
        hide_index=True, width="stretch")
    st.caption("line: " + "; ".join(f"{k} = {v}" for k, v in settings.ACCURACY_LABELS.items()))
    for alt in rec["alternatives"]:
        st.markdown(f"**Alternative:** {markdown_text(alt['name'])} — {alt['length_km']:,.0f} km drawn, "
                    + " → ".join(markdown_text(names.get(c, c)) for c in alt["countries"]))


def _excerpts(data, corridor_id: str) -> None:
    from . import pages  # defined after this module
    views = excerpts_for_corridor(data.atlas, corridor_id)
    st.markdown(f"**What the articles say** ({len(views)})")
    if not views:
        st.caption("No article excerpt is linked to this corridor yet.")
    for v in views:
        with st.container(border=True):
            st.markdown(f"“{markdown_text(v.text)}”")
            meta = [markdown_text(x) for x in (v.article.title, v.article.outlet, v.article.date) if x]
            url = safe_url(v.article.url)
            st.caption(" · ".join(meta) + (f" · [source]({url})" if url else ""))
            ex = v.excerpt
            st.page_link(pages.articles(), label="Read in context", icon=":material/menu_book:",
                         query_params={"article": ex.article, "excerpt": f"{ex.paragraph}-{ex.start}-{ex.end}"})


def render() -> None:
    loaded = resources.current()
    atlas, data = loaded.atlas, loaded.data
    if _PENDING in st.session_state:
        st.session_state["selected"] = st.session_state.pop(_PENDING)
    _restore_view(data)
    state = _sidebar(data)
    _sync_url(state, atlas.corridors)
    st.subheader("South–Central Asia transport corridors", anchor=False)
    resources.show_problems(atlas.problems)
    for note in st.session_state.get("_url_notes", []):
        st.caption(markdown_text(note))
    left, right = st.columns([1.8, 1.2], gap="medium")
    with left:
        visible = data.visible_segments(state)
        if not visible:
            st.info("No corridor matches the switches and filters in the sidebar.")
        elif state.selected and state.selected not in visible:
            st.caption("The selected corridor is hidden by the switches or filters in the sidebar.")
        _map(data, state)
        st.html(legend_html(legend_entries(data, state)))
        shown = {s.id for segs in visible.values() for s in segs}
        st.download_button(f"Download the {len(shown)} segments shown (GeoJSON)",
                           lambda: json.dumps(segments_geojson(data.atlas, shown), ensure_ascii=False),  # on click
                           file_name="corridor-segments.geojson", mime="application/geo+json",
                           disabled=not shown, icon=":material/download:")
        key_variable = missing_tile_key(state.basemap)
        if key_variable:
            st.info(f"{settings.BASEMAPS[state.basemap]} tiles need an API key: set {key_variable} in the "
                    "environment before starting the app. Until then the offline basemap is shown.")
        if state.basemap == settings.DEFAULT_BASEMAP or key_variable:
            st.caption("Basemap: Natural Earth admin-0 countries (public domain); Kashmir is disputed.")
    with right:
        _panel(loaded, state)
