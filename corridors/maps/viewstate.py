"""What the map shows, as a value: built from the URL's query parameters and written back to them.

A view is the way to share a map: `state_to_query` writes only what differs from the default, and
`state_from_query` ignores (and reports) values it does not know, so an old or edited link still opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from corridors import settings
from corridors.data.dates import is_date
from corridors.safe import decimal_number, whole_number

# Query parameter names.
Q_CORRIDORS, Q_STATUS, Q_MODE, Q_COUNTRY = "corridors", "status", "mode", "country"
Q_HIDE = "hide"  # corridors switched off (of those `corridors` names, or of all): written when it is shorter
Q_OVERLAYS, Q_BASEMAP, Q_SELECTED = "overlays", "basemap", "selected"
Q_MATCH = "country_match"  # "connects": the country filter shows the corridor chains between two countries
Q_LABELS = "labels"
Q_ASOF = "asof"  # the network as of a date, YYYY[-MM[-DD]]; absent: today (the data's updated date)
Q_VIEW = "view"  # where the map looks, "LAT,LON,ZOOM"; absent: fitted to the selection, or the whole atlas
NONE = "none"
VIEW_ZOOMS = (2, 14)  # the map's own limits (mapbuild.base_map)
VIEW_DECIMALS = 4  # ~10 m


@dataclass(frozen=True)
class ViewState:
    corridors: tuple[str, ...]  # corridors switched on
    statuses: tuple[str, ...] = settings.STATUSES
    modes: tuple[str, ...] = settings.MODES
    countries: tuple[str, ...] = ()  # empty: no country filter
    overlays: tuple[str, ...] = settings.DEFAULT_OVERLAYS
    basemap: str = settings.DEFAULT_BASEMAP
    selected: str | None = None
    country_match: str = "any"  # settings.COUNTRY_MATCHES
    labels: str = settings.DEFAULT_LABELS  # a key of settings.LABEL_CHOICES: off, or the label size
    view: tuple[float, float, int] | None = None  # (lat, lon, zoom) the map was panned and zoomed to
    asof: str | None = None  # the date the network is shown as of (YYYY, YYYY-MM or YYYY-MM-DD); None: today

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


def overlay_choices(organisation_ids) -> tuple[str, ...]:
    return tuple(settings.BASE_OVERLAYS) + tuple(organisation_ids)


def default_state(corridor_ids) -> ViewState:
    return ViewState(corridors=tuple(corridor_ids))


def _values(params: Mapping, key: str) -> list[str] | None:
    if key not in params:
        return None
    raw = params[key]
    text = ",".join(raw) if isinstance(raw, (list, tuple)) else str(raw)
    return [] if text.strip() in ("", NONE) else [v.strip() for v in text.split(",") if v.strip()]


def state_from_query(params: Mapping, corridor_ids, country_codes, organisation_ids) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters; unknown values are dropped and described in the returned notes."""
    corridor_ids, notes = tuple(corridor_ids), []
    state = default_state(corridor_ids)

    def pick(key: str, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
        values = _values(params, key)
        if values is None:
            return default
        unknown = [v for v in values if v not in allowed]
        if unknown:
            notes.append(f"link parameter '{key}': ignored unknown value(s) {', '.join(unknown)}")
        return tuple(a for a in allowed if a in values)  # canonical order, no duplicates

    shown = pick(Q_CORRIDORS, corridor_ids, state.corridors)
    if Q_HIDE in params:
        hidden = pick(Q_HIDE, corridor_ids, ())
        shown = tuple(c for c in shown if c not in hidden)
    changes = {
        "corridors": shown,
        "statuses": pick(Q_STATUS, settings.STATUSES, state.statuses),
        "modes": pick(Q_MODE, settings.MODES, state.modes),
        "countries": pick(Q_COUNTRY, tuple(sorted(country_codes)), ()),
        "overlays": pick(Q_OVERLAYS, overlay_choices(organisation_ids), state.overlays),
    }
    basemap = (_values(params, Q_BASEMAP) or [settings.DEFAULT_BASEMAP])[0]
    if basemap not in settings.BASEMAPS:
        notes.append(f"link parameter '{Q_BASEMAP}': unknown basemap {basemap}")
        basemap = settings.DEFAULT_BASEMAP
    match = (_values(params, Q_MATCH) or ["any"])[0]
    if match not in settings.COUNTRY_MATCHES:
        notes.append(f"link parameter '{Q_MATCH}': unknown value {match}")
        match = "any"
    changes["country_match"] = match
    selected = (_values(params, Q_SELECTED) or [None])[0]
    if selected is not None and selected not in corridor_ids:
        notes.append(f"link parameter '{Q_SELECTED}': unknown corridor {selected}")
        selected = None
    labels = (_values(params, Q_LABELS) or [settings.DEFAULT_LABELS])[0]
    if labels not in settings.LABEL_CHOICES:
        notes.append(f"link parameter '{Q_LABELS}': unknown label setting {labels}")
        labels = settings.DEFAULT_LABELS
    view = None
    if Q_VIEW in params:
        view = parse_view(_values(params, Q_VIEW) or [])
        if view is None:
            notes.append(f"link parameter '{Q_VIEW}': expected LAT,LON,ZOOM (zoom {VIEW_ZOOMS[0]} to {VIEW_ZOOMS[1]})")
    asof = None
    if Q_ASOF in params:
        asof, note = parse_asof(params[Q_ASOF])
        if note:
            notes.append(note)
    return state.with_(basemap=basemap, selected=selected, labels=labels, view=view, asof=asof, **changes), notes


def parse_asof(value) -> tuple[str | None, str | None]:
    """(date, None) for a date YYYY, YYYY-MM or YYYY-MM-DD; (None, note) for anything else; (None, None) for
    an empty value."""
    if value is None:
        return None, None
    text = (",".join(value) if isinstance(value, (list, tuple)) else str(value)).strip()
    if not text:
        return None, None
    if is_date(text):
        return text, None
    shown = text if len(text) <= 40 else text[:40] + "…"
    return None, f"link parameter '{Q_ASOF}': {shown!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD); showing today"


def parse_view(values: list[str]) -> tuple[float, float, int] | None:
    """(lat, lon, zoom) from ["LAT", "LON", "ZOOM"]; None when they are not a place on the map."""
    if len(values) != 3:
        return None
    lat, lon = decimal_number(values[0], -85, 85), decimal_number(values[1], -180, 180)
    zoom = whole_number(values[2], *VIEW_ZOOMS)  # each checked as text before it is converted
    if lat is None or lon is None or zoom is None:
        return None
    return round(lat, VIEW_DECIMALS), round(lon, VIEW_DECIMALS), zoom


def format_view(view: tuple[float, float, int]) -> str:
    lat, lon, zoom = view
    return f"{round(lat, VIEW_DECIMALS):g},{round(lon, VIEW_DECIMALS):g},{int(zoom)}"


def state_to_query(state: ViewState, corridor_ids) -> dict[str, str]:
    """The query parameters for `state`: only those that differ from the default view."""
    default = default_state(corridor_ids)
    out: dict[str, str] = {}
    if state.corridors != default.corridors:
        shown = set(state.corridors)
        listed = ",".join(state.corridors) or NONE
        hidden = ",".join(c for c in default.corridors if c not in shown)
        # one of 1,200 corridors switched off is one id, not 1,199 (a link stays short, a rerun's message small)
        out.update({Q_HIDE: hidden} if len(hidden) < len(listed) else {Q_CORRIDORS: listed})
    for key, attr in (
        (Q_STATUS, "statuses"),
        (Q_MODE, "modes"),
        (Q_COUNTRY, "countries"),
        (Q_OVERLAYS, "overlays"),
    ):
        value = getattr(state, attr)
        if value != getattr(default, attr):
            out[key] = ",".join(value) or NONE
    if state.basemap != default.basemap:
        out[Q_BASEMAP] = state.basemap
    if state.country_match != default.country_match:
        out[Q_MATCH] = state.country_match
    if state.selected:
        out[Q_SELECTED] = state.selected
    if state.labels != default.labels:
        out[Q_LABELS] = state.labels
    if state.view:
        out[Q_VIEW] = format_view(state.view)
    if state.asof:
        out[Q_ASOF] = state.asof
    return out
