"""The Timeline page: every milestone of the chosen corridors in date order (a strip, one row per corridor, a
mark per event; a click on a mark shows its source and opens the map at that date), and what changed between
two dates or since a briefing's date (the events by corridor and the km that changed status).

URL: /timeline?corridors=kti,elb&since=2024-01&until=2026-12 (corridors: as on the map; since/until: months).
Without parameters: the corridors the map shows, and what changed since January 2024.
"""

from __future__ import annotations

import streamlit as st

from corridors import settings
from corridors.geo.timeline import changes_by_corridor
from corridors.maps import timebar
from corridors.maps.viewstate import Q_CORRIDORS
from corridors.safe import markdown_source, markdown_text

from . import links, resources

DEFAULT_SINCE = "2024-01"
SPAN, BRIEFING = "span", "briefing"
_QUERY = "_timeline_query"


def _restore(atlas) -> list[str]:
    """Widget values from the URL when opened or a link was followed; else the session's. Returns link notes."""
    query = st.query_params.to_dict()
    if "t_corridors" in st.session_state and query == st.session_state.get(_QUERY):
        return []
    notes: list[str] = []
    ids = list(atlas.corridors)
    view = st.session_state.get("_view")  # what the map page shows
    chosen = list(view.corridors) if view is not None else ids
    if Q_CORRIDORS in query:
        wanted = [c.strip() for c in query[Q_CORRIDORS].split(",") if c.strip()]
        unknown = [c for c in wanted if c not in atlas.corridors]
        if unknown:
            notes.append(f"link parameter '{Q_CORRIDORS}': ignored unknown value(s) {', '.join(unknown)}")
        chosen = [c for c in ids if c in wanted]
    months = timebar.month_options(atlas)
    span = []
    for key, default in (("since", DEFAULT_SINCE), ("until", timebar.today_month(atlas))):
        value, note = timebar.parse_asof(query.get(key))
        if note:
            notes.append(note.replace(f"'{timebar.Q_ASOF}'", f"'{key}'").replace("showing today", "ignored"))
        month = timebar.month_of(value) if value else default
        span.append(min(max(month, months[0]), months[-1]))
    since, until = sorted(span)
    st.session_state.update(t_corridors=chosen, t_since=since, t_until=until, t_compare=SPAN)
    return notes


def _sync_url(atlas, corridors: list[str], since: str, until: str) -> None:
    wanted = {}
    if corridors != list(atlas.corridors):
        wanted[Q_CORRIDORS] = ",".join(corridors) or "none"
    wanted.update(since=since, until=until)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[_QUERY] = wanted


def _chart(data, items) -> int | None:
    atlas = data.atlas
    names = {cid: c.name for cid, c in atlas.corridors.items()}
    spec = timebar.timeline_spec(items, list(atlas.corridors), names, data.colours)
    event = st.vega_lite_chart(spec, on_select="rerun", key="timeline_chart", width="stretch")
    return timebar.picked(event, len(items))


def _picked_card(items, index: int | None) -> None:
    if index is None:
        st.caption(
            "Click a mark to see its source and open the map at that date. Filled marks: events that happened; "
            "hollow marks: announced dates, not yet fact."
        )
        return
    m = items[index]
    with st.container(border=True, key="timeline_picked"):
        st.markdown(f"**{markdown_text(m.date)} · {markdown_text(m.corridor_name)}** — {markdown_text(m.what)}")
        if m.note:
            st.markdown(markdown_text(m.note))
        st.markdown("**Source:** " + markdown_source(m.source))
        st.page_link(
            links.link(links.MAP),
            label=f"Open the map as of {m.date}",
            icon=":material/map:",
            query_params={"asof": m.date, "selected": m.corridor},
        )


def _milestone_rows(items) -> list[dict]:
    return [
        {
            "date": m.date,
            "corridor": m.corridor_name,
            "event": m.what,
            "note": m.note,
            "source": m.source,
            "map": f"map?asof={m.date}&selected={m.corridor}",
        }
        for m in items
    ]


def _changes(atlas, corridors: list[str], since: str, until: str) -> None:
    groups = [g for g in changes_by_corridor(atlas, since, until) if g.corridor in corridors]
    events = sum(len(g.changes) for g in groups)
    km = sum(g.km_changed for g in groups)
    st.markdown(
        f"**From {since} to {until}: {events} event{'s' * (events != 1)} on {len(groups)} "
        f"corridor{'s' * (len(groups) != 1)}; {km:,.0f} km drawn changed status.**"
    )
    if not groups:
        st.caption("Nothing recorded for the chosen corridors in that span.")
    for g in groups:
        with st.container(border=True):
            st.markdown(
                f"**{markdown_text(g.name)}** — {len(g.changes)} event(s)"
                + (f", {g.km_changed:,.0f} km changed status" if g.status_changes else "")
            )
            lines = []
            for c in g.changes:
                where = markdown_text(c.segment_name) if c.segment else "whole corridor"
                kind = markdown_text(timebar.KIND_LABELS.get(c.kind, c.kind))
                lines.append(f"- {markdown_text(c.date)} · {kind} — {where} · {markdown_source(c.source)}")
            for s in g.status_changes:
                before = settings.STATUS_LABELS.get(s.before, "not there yet")
                after = settings.STATUS_LABELS.get(s.after, "not there")
                seg = atlas.segments.get(s.segment)
                ends = (
                    " – ".join(atlas.nodes[n].name if n in atlas.nodes else n for n in (seg.from_node, seg.to_node))
                    if seg
                    else s.segment
                )
                lines.append(f"- status: {markdown_text(ends)}: {before} → {after} ({s.km:,.0f} km)")
            st.markdown("\n".join(lines))
            st.page_link(
                links.link(links.MAP),
                label=f"The map as of {until}",
                icon=":material/map:",
                query_params={"asof": until, "selected": g.corridor}
                if until != timebar.today_month(atlas)
                else {"selected": g.corridor},
            )


def render() -> None:
    loaded = resources.current()
    atlas, data = loaded.atlas, loaded.data
    st.title("Timeline", anchor=False)
    st.markdown(
        "Every dated milestone of the corridors, each with its source; and what changed between two dates. "
        "On the **Map** page, the slider above the map shows the network as it stood on any date."
    )
    resources.show_problems(atlas.problems)
    for note in _restore(atlas):
        st.caption(markdown_text(note))
    names = {cid: c.name for cid, c in atlas.corridors.items()}
    st.multiselect(
        "Corridors",
        list(atlas.corridors),
        key="t_corridors",
        format_func=names.get,
        placeholder="choose corridors",
        help="Opens with the corridors the map shows.",
    )
    corridors = [c for c in atlas.corridors if c in st.session_state.t_corridors]
    items = timebar.milestones(atlas, data.colours, corridors)
    st.subheader(f"Milestones ({len(items)})", anchor=False)
    if items:
        _picked_card(items, _chart(data, items))
        with st.expander("All milestones as a table"):
            st.dataframe(
                _milestone_rows(items),
                hide_index=True,
                width="stretch",
                column_config={
                    "map": st.column_config.LinkColumn("map", display_text="open the map", width="small"),
                },
            )
    else:
        st.info("No dated event for the chosen corridors.")

    st.subheader("What changed", anchor=False)
    dated = {bid: b for bid, b in atlas.briefings.items() if b.date}
    st.radio(
        "Compare",
        [SPAN, BRIEFING],
        key="t_compare",
        horizontal=True,
        format_func={SPAN: "Between two dates", BRIEFING: "Since a briefing"}.get,
    )
    months = timebar.month_options(atlas)
    if st.session_state.t_compare == BRIEFING:
        if not atlas.briefings:
            st.caption("No briefing in the data folder; pick two dates instead.")
        else:
            bid = st.selectbox(
                "Briefing",
                list(atlas.briefings),
                key="t_briefing",
                format_func=lambda b: (
                    atlas.briefings[b].title + (f" ({atlas.briefings[b].date})" if b in dated else "")
                ),
            )
            if bid in dated:
                since = timebar.month_of(dated[bid].date)
                st.session_state.update(t_since=min(max(since, months[0]), months[-1]), t_until=months[-1])
            else:
                st.caption("This briefing has no date (`date:` in its file): choose the start below.")
    fixed = st.session_state.t_compare == BRIEFING and bool(dated.get(st.session_state.get("t_briefing")))
    left, right = st.columns(2)
    left.select_slider("From (first month)", months, key="t_since", disabled=fixed)
    right.select_slider("To (last month, included)", months, key="t_until", disabled=fixed)
    since, until = sorted((st.session_state.t_since, st.session_state.t_until))
    _sync_url(atlas, corridors, since, until)
    _changes(atlas, corridors, since, until)
