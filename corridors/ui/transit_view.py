"""The Routes page's transit part: each way's days (a range and its parts), the figures behind it with their
sources linked, published runs beside it, known costs, the chosen month and what is still to build; and the
comparison of the ways (ranked by a chosen measure, a bar chart of the days split into their parts).

Thin: every number comes from corridors.geo.transit; this module only lays it out. Text from data is
escaped (markdown_text) and a source becomes a link only when it is a plain web address (safe_url).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence

import streamlit as st

from corridors.geo.transit import FULL_COVERAGE, PARTS, RANK_MEASURES, Transit, WayFacts, chart_rows
from corridors.safe import markdown_text, safe_url

HONESTY = (
    "**These are estimates from published averages, not a timetable.** Real trips vary with the season, "
    "the cargo, the queue at the border and the paperwork. Each way's range adds: the drawn km of each "
    "country at the fastest published speed for that country and mode (low) or the slowest (high: CPMM's "
    "speed with delay, which already counts stops on the road); the fewest or most hours published for "
    "each side of each border crossing; and the published time to change gauge. A country, border side or "
    "gauge break without a published figure adds nothing and is named below; drawn km run below published "
    "lengths. Published end-to-end runs are shown beside each estimate, never averaged into it."
)
PART_COLOURS = ("#4c78a8", "#e45756", "#b279a2")
_DOMAIN = re.compile(r"^(?:https?://)?((?:[a-z0-9-]+\.)+([a-z]{2,24}))(?=[/?\s]|$)", re.IGNORECASE)
_FILE_SUFFIXES = {"md", "yaml", "yml", "json", "geojson", "py", "txt", "csv"}  # a file name, not a host


def source_url(source: str) -> str | None:
    """The web address a source starts with ("cpmm.carecprogram.org/?p=141 (CPMM …)"), as an https link;
    None when it does not start with one."""
    match = _DOMAIN.match(source.strip()) if isinstance(source, str) else None
    if not match or match.group(2).lower() in _FILE_SUFFIXES:
        return None
    head = source.strip().split()[0].rstrip(";,")
    return safe_url(head if head.lower().startswith(("http://", "https://")) else "https://" + head)


def days_text(t: Transit) -> str:
    if t.days is None:
        return "no estimate (no published figure applies)"
    low, high = round(t.days.low, 1), round(t.days.high, 1)
    return f"{low:g}–{high:g} days" if low != high else f"about {low:g} days"


def month_name(month: int | None) -> str:
    return calendar.month_name[month] if month else ""


def chart_spec(rows: list[dict]) -> dict:
    """A Vega-Lite spec (rendered by Streamlit's own bundled Vega: nothing from the web): per way, two
    stacked bars, the low and the high end of the range, split into in motion / at borders / at gauge breaks."""
    return {
        "data": {"values": rows},
        "transform": [{"calculate": "datum.way + ' — ' + datum.end", "as": "bar"}],
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "bar", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 360}},
            "x": {"field": "days", "type": "quantitative", "stack": "zero", "title": "days (low and high end)"},
            "color": {
                "field": "part",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(PARTS), "range": list(PART_COLOURS)},
                "legend": {"orient": "bottom"},
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "way", "type": "nominal"},
                {"field": "end", "type": "nominal", "title": "end of the range"},
                {"field": "part", "type": "nominal"},
                {"field": "days", "type": "quantitative", "format": ".1f"},
            ],
        },
    }


def _chart_rows(ways: Sequence[WayFacts]) -> list[dict]:
    order = {p: i for i, p in enumerate(PARTS)}
    return [{**r, "order": order[r["part"]]} for r in chart_rows(ways)]


def ranking_rows(ways: Sequence[WayFacts], month: int | None) -> list[dict]:
    rows = []
    for rank, w in enumerate(ways, start=1):
        t = w.transit
        rows.append(
            {
                "rank": rank,
                "way": w.title,
                "days": days_text(t),
                "km drawn": round(w.drawn_km),
                "km built": round(w.built_km),
                "km to build": round(t.to_build.km),
                "border crossings": w.borders,
                "gauge breaks": w.gauge_breaks,
                "km with figures": f"{t.coverage:.0%}",
                **({f"in {month_name(month)}": t.month.state} if month else {}),
            }
        )
    return rows


def render_comparison(ways: Sequence[WayFacts], measure: str, month: int | None) -> None:
    """The ranked ways and the chart of their days (the caller has ranked `ways` by `measure`)."""
    st.markdown(HONESTY)
    st.markdown(f"**Ranked by {markdown_text(RANK_MEASURES[measure])}**")
    if measure == "days":
        st.caption(
            f"A way whose published speeds cover less than {FULL_COVERAGE:.0%} of its km comes after the "
            "others: its estimate leaves those km out."
        )
    st.dataframe(ranking_rows(ways, month), hide_index=True, width="stretch", key="transit_ranking")
    rows = _chart_rows(ways)
    if rows:
        st.vega_lite_chart(chart_spec(rows), width="stretch", key="transit_chart")
    else:
        st.caption("No way has a published figure to estimate its days from.")


def _figure_rows(t: Transit) -> list[dict]:
    rows = []
    for f in t.figures:
        value = f"{f.value:g}" if f.value_high is None else f"{f.value:g}–{f.value_high:g}"
        rows.append(
            {
                "used for": f.used_for,
                "what": f.what,
                "value": value,
                "unit": f.unit,
                "year": str(f.year),
                "link": source_url(f.source),
                "source": f.source,
                "note": f.note,
            }
        )
    return rows


def render_way(t: Transit, names: dict[str, str], key: str) -> None:
    """One way's transit: days and their parts, gaps, runs beside, costs, month, what is to build, figures."""
    st.markdown(
        f"**Estimated days:** {markdown_text(days_text(t))} — in motion "
        f"{t.moving_days.low:.1f}–{t.moving_days.high:.1f}, at borders {t.border_days.low:.1f}–"
        f"{t.border_days.high:.1f}, at gauge breaks {t.gauge_days.low:.1f}–{t.gauge_days.high:.1f}. "
        f"Published speeds cover {t.km_covered:,.0f} of {t.km_total:,.0f} km ({t.coverage:.0%}); "
        f"{t.borders_with_figures} of {len(t.borders)} border crossings have published hours."
    )
    if t.gaps:
        st.markdown("**Without a published figure** (adds nothing to the estimate):")
        st.markdown("\n".join(f"- {markdown_text(g)}" for g in t.gaps))
    if t.month.month:
        closing = [c for c in t.month.closures if c.closed_days]
        text = f"**In {month_name(t.month.month)}:** {t.month.state}"
        if closing:
            text += " — " + "; ".join(
                f"{markdown_text(c.label)} closed {c.start} to {c.end} every year ({markdown_text(c.source)})"
                for c in closing
            )
        st.markdown(text)
    if t.now is not None and not t.now.open and t.to_build.runs_today:
        why = "suspended" if t.now.suspended else "closed (seasonal)"
        st.markdown(f"**On {markdown_text(t.now.on)} (the data's date):** {why}")
    if t.to_build.legs:
        st.markdown(
            f"**Must be built before it runs:** {t.to_build.km:,.0f} km — "
            + "; ".join(
                f"{markdown_text(u.label)} ({u.status.replace('_', ' ')}, {u.km:,.0f} km"
                + (f", {markdown_text(u.last_event)}" if u.last_event else "")
                + (
                    f", opening announced for {markdown_text(u.announced)}"
                    if u.announced
                    else ", no announced opening in the data"
                )
                + ")"
                for u in t.to_build.legs
            )
        )
    costs = t.costs
    parts = []
    if costs.border_usd:
        parts.append(
            f"border crossings ${costs.border_usd.low:,.0f}–{costs.border_usd.high:,.0f} "
            f"({costs.borders_with_cost} side(s) with a published cost)"
        )
    if costs.corridor_usd:
        parts.append(
            f"travel ${costs.corridor_usd.low:,.0f}–{costs.corridor_usd.high:,.0f} per 20 t over "
            f"{costs.corridor_km_covered:,.0f} km (CPMM's $ per 500 km per 20 t, scaled by the km)"
        )
    st.markdown("**Known costs:** " + ("; ".join(parts) if parts else "no published cost for this way"))
    st.markdown(f"**Published runs on the same countries** ({len(t.runs)}) — beside the estimate, not in it:")
    if not t.runs:
        st.caption("No published end-to-end run over these countries.")
    for r in t.runs:
        days = f"{r.days.low:g}" if r.days.low == r.days.high else f"{r.days.low:g}–{r.days.high:g}"
        link = source_url(r.source)
        source = f"[{markdown_text(r.source)}]({link})" if link else markdown_text(r.source)
        flag = "announced, not measured: " if r.announced else ""
        route = " → ".join(names.get(c, c) for c in r.countries)
        st.markdown(
            f"- {flag}{markdown_text(r.what)}: **{days} days** ({markdown_text(route)}; {', '.join(r.modes)}; "
            f"{markdown_text(r.relation)}{', the other way' if r.direction == 'reverse' else ''}; {r.year}) — {source}"
        )
    st.markdown("**The figures behind the estimate and the costs**")
    st.dataframe(
        _figure_rows(t),
        hide_index=True,
        width="stretch",
        key=f"transit_figures_{key}",
        column_config={
            "link": st.column_config.LinkColumn("link", display_text="open source"),
            "value": st.column_config.TextColumn("value"),
        },
    )
