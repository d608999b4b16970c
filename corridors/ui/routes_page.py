"""The Routes page: the distinct ways between two countries or places, drawn together and compared.

URL: /routes?from=PAK&to=KAZ&mode=rail&way=way-2&rank=borders&month=1 (from/to: an ISO3 code, a country's
name, a place id or name; mode: road, rail or either; way: the highlighted way; rank: the measure the ways
are ranked by, days, km, built, borders or gauges; month: 1–12, whether each way is open that month).
Without parameters: Pakistan to Kazakhstan, ranked by days.
"""

from __future__ import annotations

import csv
import io
import json

import streamlit as st
from streamlit_folium import st_folium

from corridors import settings
from corridors.geo.routes import (
    MODE_CHOICES,
    RouteError,
    Routes,
    Way,
    comparison_rows,
    find_routes,
    known_countries,
    resolve_endpoint,
    statuses_as_of,
)
from corridors.geo.transit import RANK_MEASURES, WayFacts, rank_ways
from corridors.maps import timebar
from corridors.maps.routemap import (
    MARKS,
    routes_geojson,
    routes_map,
    way_colour,
    way_title,
)
from corridors.safe import html_text, markdown_source, markdown_text, short_repr, whole_number

from . import downloads, linknotes, links, resources, transit_view

DEFAULT_FROM, DEFAULT_TO, DEFAULT_MODE = "PAK", "KAZ", "either"
MODE_LABELS = {"either": "Road or rail", "road": "Road only", "rail": "Rail only"}
ALL_WAYS = ""
DEFAULT_RANK = "days"
ANY_MONTH = 0


Q_ANNOUNCED = "announced"  # 1: announced dates counted as if they happen


def _asof_text(atlas, asof: str, announced: bool) -> str:
    return f"The network as of {asof}" + (" if everything announced opens" if announced else "")


def _with_badge(atlas, m, asof: str | None, announced: bool):
    if asof:
        label = f"as of {asof}" + (" · if everything announced opens" if announced else "")
        timebar.badge_layer(label, announced or timebar.is_future(atlas, asof)).add_to(m)
    return m


def _open_summary(ways) -> str:
    shut = [w for w in ways if w.open is False]
    if not shut:
        return f"all {len(ways)} way(s) open that month (no seasonal closure or suspension on them)."
    return f"{len(ways) - len(shut)} of {len(ways)} way(s) open that month; " + "; ".join(
        markdown_text(way_title(w)) + ": " + _why_shut(w) for w in shut
    )


def _why_shut(way) -> str:
    parts = [
        f"{markdown_text(c.from_name)} – {markdown_text(c.to_name)} closed {c.from_} to {c.to}"
        + (f" ({markdown_text(c.note)})" if c.note else "")
        for c in way.closures
    ]
    if way.suspended:
        parts.append(f"{len(way.suspended)} leg(s) suspended or closed")
    return ", ".join(parts)


@st.cache_data(show_spinner=False, max_entries=200)
def _result(
    path: str,
    fingerprint: str,
    origin: str,
    destination: str,
    mode: str,
    month: int = ANY_MONTH,
    asof: str | None = None,
    announced: bool = False,
) -> Routes:
    return find_routes(
        resources.cached_atlas(path, fingerprint),
        origin,
        destination,
        mode,
        month=month or None,
        asof=asof,
        announced=announced,
    )


def _choices(atlas) -> tuple[list[str], dict[str, str]]:
    """Countries (ISO3) first, then places (node ids) by name; and how each is shown."""
    countries = known_countries(atlas)
    labels = {code: f"{name} ({code})" for code, name in countries.items()}
    places = sorted(atlas.nodes.values(), key=lambda n: n.name)
    labels.update({n.id: f"{n.name} (place in {countries.get(n.country, n.country)})" for n in places})
    return [*countries, *(n.id for n in places)], labels


def _from_url(atlas, value: str | None, default: str, notes: list[str], what: str) -> str:
    if not value:
        return default
    try:
        return resolve_endpoint(atlas, value).code
    except RouteError as exc:
        notes.append(f"link parameter '{what}': {exc}")
        return default


def _restore(atlas) -> None:
    """Widget values from the URL when the page was opened or a link followed; else keep the session's."""
    query = st.query_params.to_dict()
    if "r_from" in st.session_state and query == st.session_state.get("_routes_query"):
        return
    notes: list[str] = []
    mode = query.get("mode", DEFAULT_MODE)
    if mode not in MODE_CHOICES:
        notes.append(
            f"link parameter 'mode': unknown mode {short_repr(mode)}; expected one of {', '.join(MODE_CHOICES)}"
        )
        mode = DEFAULT_MODE
    rank = query.get("rank", DEFAULT_RANK)
    if rank not in RANK_MEASURES:
        notes.append(
            f"link parameter 'rank': unknown measure {short_repr(rank)}; expected one of {', '.join(RANK_MEASURES)}"
        )
        rank = DEFAULT_RANK
    month_text = query.get("month", "")
    month = whole_number(month_text, 1, 12) or ANY_MONTH
    if month_text and not month:
        notes.append(f"link parameter 'month': {short_repr(month_text)} is not a month (1 to 12)")
    st.session_state.update(
        r_from=_from_url(atlas, query.get("from"), DEFAULT_FROM, notes, "from"),
        r_to=_from_url(atlas, query.get("to"), DEFAULT_TO, notes, "to"),
        r_mode=mode,
        r_way=str(query.get("way", ALL_WAYS))[:100],
        r_rank=rank,
        r_month=month,
        _routes_notes=notes,
        **_asof_from_url(atlas, query, notes),
    )


def _asof_from_url(atlas, query: dict, notes: list[str]) -> dict:
    """The date control's values from `asof=` and `announced=1` (absent: today's network, facts only)."""
    asof, note = timebar.parse_asof(query.get(timebar.Q_ASOF))
    if note:
        notes.append(note)
    return {
        "_routes_asof": asof,
        "r_asof": timebar.slider_month(atlas, asof),
        "r_announced": query.get(Q_ANNOUNCED) == "1",
    }


def _asof_moved(atlas) -> None:
    st.session_state["_routes_asof"] = timebar.asof_from_month(atlas, st.session_state.r_asof)
    st.session_state.r_way = ALL_WAYS


def _date_control(atlas) -> tuple[str | None, bool]:
    """The network as of a month (seasonal closures of that month apply), and the announced scenario."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.select_slider(
        "Network as of",
        timebar.month_options(atlas),
        key="r_asof",
        format_func=lambda m: f"today ({m})" if m == timebar.today_month(atlas) else m,
        on_change=_asof_moved,
        args=(atlas,),
        help="The ways on the network as it stood at the end of that month: the segments that existed then, with "
        "their status then; a way is not open when a seasonal closure or a suspension applies that month.",
    )
    right.checkbox(
        "If everything announced opens",
        key="r_announced",
        on_change=_new_question,
        help="Count announced dates (planned openings) as if they happen: the network of the last announced date "
        "when no month is chosen.",
    )
    asof, announced = st.session_state.get("_routes_asof"), bool(st.session_state.r_announced)
    if announced and asof is None:
        asof = timebar.month_options(atlas)[-1]
    return asof, announced


def _sync_url(origin: str, destination: str, mode: str, way: str) -> None:
    wanted = {"from": origin, "to": destination}
    if mode != DEFAULT_MODE:
        wanted["mode"] = mode
    if way:
        wanted["way"] = way
    if st.session_state.get("r_rank", DEFAULT_RANK) != DEFAULT_RANK:
        wanted["rank"] = st.session_state.r_rank
    if st.session_state.get("r_month"):
        wanted["month"] = str(st.session_state.r_month)
    if st.session_state.get("_routes_asof"):
        wanted[timebar.Q_ASOF] = st.session_state["_routes_asof"]
    if st.session_state.get("r_announced"):
        wanted[Q_ANNOUNCED] = "1"
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state["_routes_query"] = wanted


def _new_question() -> None:
    st.session_state.r_way = ALL_WAYS  # way ids belong to one question's answer


def _swap() -> None:
    st.session_state.r_from, st.session_state.r_to = st.session_state.r_to, st.session_state.r_from
    st.session_state.r_way = ALL_WAYS


def _legend(result: Routes) -> str:
    rows = []
    for i, way in enumerate(result.routes):
        rows.append(
            f'<div class="legend-row legend-way"><span style="display:inline-block;vertical-align:middle;'
            f'width:34px;height:5px;background:{way_colour(i)}"></span> {html_text(way_title(way))}</div>'
        )
    for symbol, colour, label in MARKS.values():
        rows.append(
            f'<div class="legend-row legend-mark"><span style="display:inline-block;width:34px;'
            f'text-align:center;color:{colour}">{symbol}</span> {html_text(label)}</div>'
        )
    rows.append('<div class="legend-row">Dashed: planned or under construction (as on the map page)</div>')
    return (
        f'<div class="routes-legend" style="font-size:0.85rem;line-height:1.6;columns:2 18em">'
        f'<div style="font-weight:600">Legend</div>{"".join(rows)}</div>'
    )


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def _km(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _details(way: Way, names: dict) -> None:
    st.markdown(
        f"**{markdown_text(way.from_name)} to {markdown_text(way.to_name)}:** "
        f"{_km(way.drawn_km)} km drawn"
        + (
            f"; {_km(way.published_km)} km published for {way.published_legs} of {way.legs_count} legs "
            f"(drawn {_km(way.drawn_km_of_published_legs)} km for the same legs)"
            if way.published_km
            else "; no leg has a published length"
        )
    )
    st.markdown(
        "**Countries, in order:** " + " → ".join(f"{markdown_text(c.name)} ({_km(c.km)} km)" for c in way.km_by_country)
    )
    st.markdown(
        "**By status:** "
        + ", ".join(f"{settings.STATUS_LABELS[s]} {_km(km)} km" for s, km in way.km_by_status.items() if km)
        + " · **by mode:** "
        + ", ".join(f"{settings.MODE_LABELS[m]} {_km(km)} km" for m, km in way.km_by_mode.items() if km)
    )
    if statuses_as_of(way):
        st.caption(f"Statuses as of {statuses_as_of(way)} (the dates of the sources that confirm them).")
    if way.open is not None:
        st.markdown(
            f"**Open as of {markdown_text(way.as_of)}:** "
            + ("yes" if way.open else "no — " + _why_shut(way))
            + "".join(f" · source: {markdown_source(c.source)}" for c in way.closures)
        )
    st.markdown(
        f"**Border crossings ({len(way.borders)}):** "
        + (
            "; ".join(
                f"{markdown_text(b.name)} ({markdown_text(names.get(b.from_country, b.from_country))} → "
                f"{markdown_text(names.get(b.to_country, b.to_country))}, {b.mode})"
                for b in way.borders
            )
            or "none"
        )
    )
    st.markdown(
        "**Gauge breaks:** "
        + (
            "; ".join(
                f"{markdown_text(g.where)}: {g.from_gauge_mm:,} mm → {g.to_gauge_mm:,} mm" for g in way.gauge_breaks
            )
            or "none"
        )
    )
    if way.gauge_unknown:
        st.caption(
            "Rail gauge not stated in the data: "
            + "; ".join(f"{markdown_text(g.from_name)} – {markdown_text(g.to_name)}" for g in way.gauge_unknown)
        )
    if way.mode_changes:
        st.markdown(
            "**Road ↔ rail:** "
            + "; ".join(f"{markdown_text(m.where)} ({m.from_mode} → {m.to_mode})" for m in way.mode_changes)
        )
    st.markdown(
        "**Not yet built:** "
        + (
            "; ".join(
                f"{markdown_text(m.from_name)} – {markdown_text(m.to_name)} "
                f"({settings.STATUS_LABELS[m.status].lower()}, {_km(m.km)} km)"
                for m in way.missing_links
            )
            or "none"
        )
    )
    st.markdown(
        "**Corridors:** "
        + "; ".join(
            markdown_text(c.name) + (" *(connecting leg)*" if c.role == "connecting" else "") for c in way.corridors
        )
    )
    st.markdown(f"**What the articles say** ({len(way.excerpts)})")
    if not way.excerpts:
        st.caption("No article excerpt is linked to the corridors of this way.")
    for ex in way.excerpts:
        with st.container(border=True):
            st.markdown(f"“{markdown_text(ex.text)}”")
            st.caption(" · ".join(markdown_text(x) for x in (ex.article_title, ex.outlet, ex.date) if x))
            st.page_link(
                links.link(links.ARTICLES),
                label="Read in context",
                icon=":material/menu_book:",
                query_params={"article": ex.article, "excerpt": f"{ex.paragraph}-{ex.start}-{ex.end}"},
            )


def _facts(way: Way) -> WayFacts:
    return WayFacts(
        way.id,
        way_title(way),
        way.drawn_km,
        way.km_by_status.get("operational", 0.0),
        len(way.borders),
        len(way.gauge_breaks),
        way.transit,
    )


def _transit(result: Routes) -> None:
    """Days, costs and the month: the ways ranked by the chosen measure, the chart of their days."""
    st.subheader("Days, costs and season", anchor=False)
    left, right = st.columns(2)
    left.selectbox("Rank the ways by", list(RANK_MEASURES), key="r_rank", format_func=RANK_MEASURES.get)
    right.selectbox(
        "Open in which month?",
        [ANY_MONTH, *range(1, 13)],
        key="r_month",
        format_func=lambda m: transit_view.month_name(m) or "any month (no season chosen)",
        help="Seasonal closures (the Khunjerab Pass in winter) from the data's time model",
    )
    ways = [_facts(w) for w in result.routes if w.transit is not None]
    transit_view.render_comparison(rank_ways(ways, st.session_state.r_rank), st.session_state.r_rank, result.month)


def render() -> None:
    loaded = resources.current()
    atlas, data = loaded.atlas, loaded.data
    st.title("Compare routes", anchor=False)
    resources.show_problems(atlas.problems)
    options, labels = _choices(atlas)
    _restore(atlas)
    for key in ("r_from", "r_to"):
        if st.session_state[key] not in labels:
            st.session_state[key] = DEFAULT_FROM if key == "r_from" else DEFAULT_TO
    if st.session_state.r_from == st.session_state.r_to and "_routes_notes" in st.session_state:
        st.session_state["_routes_notes"].append(
            f"link parameters 'from' and 'to': both are {labels[st.session_state.r_from]}; choose two different places"
        )
    left, mid, right, swap = st.columns([3, 3, 2, 1], vertical_alignment="bottom")
    left.selectbox(
        "From (country or place)",
        options,
        key="r_from",
        format_func=labels.get,
        on_change=_new_question,
        help="Type to search. A country means any of its places on the network.",
    )
    mid.selectbox("To (country or place)", options, key="r_to", format_func=labels.get, on_change=_new_question)
    right.selectbox("Mode", MODE_CHOICES, key="r_mode", format_func=MODE_LABELS.get, on_change=_new_question)
    swap.button("⇄", key="r_swap", on_click=_swap, help="Swap origin and destination")
    asof, announced = _date_control(atlas)
    origin, destination, mode = st.session_state.r_from, st.session_state.r_to, st.session_state.r_mode
    result = _result(
        loaded.path, loaded.fingerprint, origin, destination, mode, st.session_state.r_month, asof, announced
    )
    ways = result.routes
    if st.session_state.get("r_way") not in (ALL_WAYS, *(w.id for w in ways)):
        if "_routes_notes" in st.session_state:  # from the link just read
            st.session_state["_routes_notes"].append(
                f"link parameter 'way': {short_repr(st.session_state.get('r_way'))} is not one of the ways found; "
                "showing all"
            )
        st.session_state.r_way = ALL_WAYS
    shown = (origin, destination, mode)  # said while the page answers the link's question
    linknotes.show("routes", st.session_state.pop("_routes_notes", []), shown)
    st.caption(
        "Ways are told apart by the countries they cross; for each, the shortest by drawn km (by road or "
        "rail, a mixed way only when it saves over 250 km per change of mode). From or to a "
        "country, a way follows the corridor that crosses its border on to where that corridor ends inside "
        "it. Drawn lengths run below published ones (lines are drawn between named places)."
    )
    if not ways:
        st.info(markdown_text(result.message or "No way found."))
        _sync_url(origin, destination, mode, ALL_WAYS)
        return
    way_labels = {ALL_WAYS: "All ways", **{w.id: way_title(w) for w in ways}}
    st.radio(
        "Highlight", list(way_labels), key="r_way", format_func=lambda w: markdown_text(way_labels[w]), horizontal=True
    )
    selected = st.session_state.r_way or None
    _sync_url(origin, destination, mode, st.session_state.r_way)
    st.markdown(
        f"**{len(ways)} way(s)** from {markdown_text(result.from_.label)} to "
        f"{markdown_text(result.to_.label)} by {MODE_LABELS[mode].lower()}."
    )
    if result.as_of:
        st.markdown(f"**{_asof_text(atlas, asof, announced)}:** " + _open_summary(ways))
    st_folium(
        _with_badge(atlas, routes_map(data, result, selected), asof, announced),
        height=settings.MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
        key="routes_map",
    )
    st.html(_legend(result))
    _transit(result)
    st.subheader("Side by side", anchor=False)
    rows = comparison_rows(result)
    st.dataframe(rows, hide_index=True, width="stretch", key="routes_table")
    slug = f"{origin}-{destination}-{mode}".lower()
    a, b = st.columns(2)
    a.download_button(
        "Download the comparison (CSV)",
        _csv(rows),
        file_name=f"routes-{slug}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    b.download_button(
        "Download the ways (GeoJSON)",
        lambda: json.dumps(routes_geojson(data, result), ensure_ascii=False),  # on click
        file_name=f"routes-{slug}.geojson",
        mime="application/geo+json",
        icon=":material/download:",
    )
    ways_shown = {leg.segment for way in ways for leg in way.legs}
    downloads.render(data, ways_shown, f"routes-{slug}", "routes_download", "Download the ways (GIS)")
    names = atlas.country_names
    for way in ways:
        with st.expander(
            markdown_text(way_title(way)) + f" — {_km(way.drawn_km)} km drawn", expanded=way.id == selected
        ):
            _details(way, names)
            if way.transit is not None:
                st.markdown("**Days, costs and season**")
                transit_view.render_way(way.transit, names, way.id)
