"""The views' side of time: the date a view is "as of", the date control's months, the play button's steps,
the timeline's milestones and chart, and the "as of" badge on a map.

Pure (no Streamlit): the Map, Timeline, Routes and Present pages and the HTML export all build on it. The
statuses themselves come from corridors/geo/timeline.py.

- A view's `asof` is a date as the data writes them (YYYY, YYYY-MM or YYYY-MM-DD), or None for today: the
  atlas's `updated` date (atlas.yaml).
- A date after `updated` is the future: what it shows rests on announced dates ("if everything announced
  happens"), and every label says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from corridors import settings
from corridors.data.dates import as_day, date_bounds, is_date
from corridors.geo import timeline
from corridors.maps.viewstate import Q_ASOF, parse_asof  # noqa: F401 (the pages' one parser of asof)
from corridors.safe import safe_url

ASOF_HELP = "YYYY, YYYY-MM or YYYY-MM-DD"
KIND_LABELS = {kind: kind.replace("_", " ") for kind in settings.EVENT_KINDS}
PLAY_STEP_MONTHS = 12  # the play button steps through the years
PLAY_INTERVAL_S = 1.5  # between two steps: time for a room to see what the year added


def updated_day(atlas) -> datetime.date:
    """Today for the views: the atlas's updated date (atlas.yaml), else the calendar's today."""
    updated = getattr(atlas, "updated", None)
    return as_day(updated) if updated and is_date(updated) else datetime.date.today()


def month_of(value: str | datetime.date) -> str:
    """'YYYY-MM' of a date (a year alone: its December, the month the network stood at the end of it)."""
    return as_day(value).isoformat()[:7]


def today_month(atlas) -> str:
    return updated_day(atlas).isoformat()[:7]


def is_future(atlas, asof: str | None) -> bool:
    """True when `asof` is after the atlas's updated date: only announced dates can tell what it shows."""
    return asof is not None and as_day(asof) > updated_day(atlas)


def announced_for(atlas, asof: str | None) -> bool:
    """Whether the view takes announced dates into account: only in the future."""
    return is_future(atlas, asof)


def _all_events(atlas) -> Iterable:
    for corridor in atlas.corridors.values():
        yield from corridor.events
    for seg in atlas.segments.values():
        yield from seg.events


def _months_between(first: datetime.date, last: datetime.date) -> tuple[str, ...]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = year + (month == 12), month % 12 + 1
    return tuple(out)


def month_options(atlas) -> tuple[str, ...]:
    """The date control's months: from the first event's to the last announced date's (at least today's)."""
    cache = atlas.caches.setdefault("timebar_months", {})  # once per atlas
    if "months" not in cache:
        today = updated_day(atlas)
        bounds = [date_bounds(e.date) for e in _all_events(atlas)]
        first = min((b[0] for b in bounds), default=today)
        last = max([today, *(b[1] for b in bounds)])
        cache["months"] = _months_between(min(first, today), last)
    return cache["months"]


def slider_month(atlas, asof: str | None) -> str:
    """The month the date control shows for a view: today's when none, else asof's month within the range."""
    options = month_options(atlas)
    month = today_month(atlas) if asof is None else month_of(asof)
    return min(max(month, options[0]), options[-1])


def asof_from_month(atlas, month: str) -> str | None:
    """The view's `asof` for a month picked on the control: None for today's month (no asof in the URL)."""
    return None if month == today_month(atlas) else month


def play_next(options: Sequence[str], current: str, step: int = PLAY_STEP_MONTHS) -> str | None:
    """The next month the play button shows after `current`: a year on, the last month at the end; None once the
    last month is shown (playing stops). From the last month, playing starts again at the first."""
    if not options:
        return None
    if current not in options:
        return options[0]
    i = options.index(current)
    if i == len(options) - 1:
        return None
    return options[min(i + step, len(options) - 1)]


def play_start(options: Sequence[str], current: str) -> str:
    """Where playing starts: from the shown month, or from the first when the last one is shown."""
    return options[0] if not options or current == options[-1] or current not in options else current


def asof_label(atlas, asof: str | None) -> str:
    """'as of 2014-12' (as precise as asof), with a warning word in the future; '' for today."""
    if asof is None:
        return ""
    label = f"as of {asof}"
    return label + " · if announced dates hold" if is_future(atlas, asof) else label


# ---- the timeline's milestones --------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """One dated event on the timeline: of a corridor as a whole or of one of its segments."""

    date: str  # as the data writes it
    day: str  # its first day (where the chart draws it), YYYY-MM-DD
    corridor: str
    corridor_name: str
    colour: str
    kind: str
    source: str
    source_url: str | None  # the source when it is a link
    segment: str | None = None
    segment_name: str = ""
    note: str = ""
    announced: bool = False

    @property
    def what(self) -> str:
        kind = KIND_LABELS.get(self.kind, self.kind)
        where = self.segment_name or "whole corridor"
        return f"{kind}{' (announced)' if self.announced else ''} — {where}"


def _source_link(source: str) -> str | None:
    for part in source.replace(";", " ").split():
        url = safe_url(part if "://" in part else "https://" + part) if "/" in part or "://" in part else None
        if url:
            return url
    return None


def milestones(atlas, colours: dict, corridor_ids: Iterable[str] | None = None) -> tuple[Milestone, ...]:
    """Every event (announced ones too) of the given corridors and their segments, in date order."""
    wanted = set(atlas.corridors if corridor_ids is None else corridor_ids)
    options = month_options(atlas)
    out = []
    for c in timeline.changes(atlas, options[0], options[-1], announced=True):
        if c.corridor not in wanted:
            continue
        out.append(
            Milestone(
                date=c.date,
                day=date_bounds(c.date)[0].isoformat(),
                corridor=c.corridor,
                corridor_name=c.corridor_name,
                colour=colours.get(c.corridor, "#333333"),
                kind=c.kind,
                source=c.source,
                source_url=_source_link(c.source),
                segment=c.segment,
                segment_name=c.segment_name,
                note=c.note,
                announced=c.announced,
            )
        )
    return tuple(out)


def timeline_spec(items: Sequence[Milestone], corridor_order: Sequence[str], names: dict, colours: dict) -> dict:
    """A Vega-Lite strip: one row per corridor, a mark per event in the corridor's colour (hollow when only
    announced), a click selects it (selection `pick`, by the mark's index `i`). Drawn as SVG, offline."""
    rows = [cid for cid in corridor_order if any(m.corridor == cid for m in items)]
    values = [
        {
            "i": i,
            "day": m.day,
            "date": m.date,
            "corridor": names.get(m.corridor, m.corridor),
            "what": m.what,
            "announced": m.announced,
        }
        for i, m in enumerate(items)
    ]
    domain = [names.get(cid, cid) for cid in rows]
    colour = {"field": "corridor", "type": "nominal", "scale": {"domain": domain, "range": [colours[c] for c in rows]}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": False}},
        "data": {"values": values},
        "height": max(60, 26 * len(rows)),
        "params": [{"name": "pick", "select": {"type": "point", "fields": ["i"], "on": "click"}}],
        "mark": {"type": "point", "size": 110, "strokeWidth": 2, "opacity": 1, "cursor": "pointer"},
        "encoding": {
            "x": {
                "field": "day",
                "type": "temporal",
                "title": None,
                "axis": {"format": "%Y", "grid": True, "tickCount": "year", "labelOverlap": True},
            },
            "y": {"field": "corridor", "type": "nominal", "sort": domain, "title": None, "axis": {"labelLimit": 260}},
            "stroke": {**colour, "legend": None},
            "fill": {
                "condition": {"test": "datum.announced", "value": "#ffffff"},
                **colour,
                "legend": None,
            },
            "size": {"condition": {"param": "pick", "empty": False, "value": 260}, "value": 110},
            "tooltip": [
                {"field": "date", "title": "date"},
                {"field": "corridor", "title": "corridor"},
                {"field": "what", "title": "event"},
            ],
        },
    }


def picked(selection: object, count: int) -> int | None:
    """The index of the mark a chart selection (Streamlit's on_select state) picked, or None."""
    try:
        points = selection["selection"]["pick"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points or ():
        value = point.get("i") if isinstance(point, dict) else None
        if isinstance(value, (int, float)) and 0 <= int(value) < count:
            return int(value)
    return None


# ---- the badge on the map ------------------------------------------------------------------------------


class AsOfBadge(MacroElement):
    """A corner badge over the map ("as of 2014-12"), as a Leaflet layer: it goes when its feature group is
    replaced (streamlit-folium removes the old layers). Its text is set as textContent, never parsed."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new (L.Layer.extend({
            onAdd: function (map) {
                var el = L.DomUtil.create("div", "asof-badge", map.getContainer());
                el.setAttribute("role", "status");
                el.textContent = {{ this.text_json }};
                el.style.cssText = "position:absolute;top:10px;left:50%;transform:translateX(-50%);z-index:1000;"
                    + "background:{{ this.background }};color:#fff;font:600 15px/1.3 system-ui,sans-serif;"
                    + "padding:4px 12px;border-radius:4px;pointer-events:none;box-shadow:0 1px 3px rgba(0,0,0,.4)";
                this._el = el;
            },
            onRemove: function () { if (this._el) { this._el.remove(); this._el = null; } }
        }))().addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, text: str, future: bool = False):
        super().__init__()
        import json

        self._name = "AsOfBadge"
        self.text_json = json.dumps(text).replace("<", "\\u003c")
        self.background = "#8a4b00" if future else "#1f3b5a"


def badge_layer(text: str, future: bool = False) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name="As of", control=False)
    group.add_child(AsOfBadge(text, future))
    return group
