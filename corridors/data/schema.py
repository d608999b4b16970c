"""The shape of every data file, as strict pydantic models: unknown or misspelt keys, duplicate keys (caught
by the reader), values of the wrong type, unit or range are problems, reported as `file: where: what` with
the line where the file has lines.

The models only describe and check; loading.py turns valid records into the atlas' dataclasses, and checks
that span files (unknown ids, lines far from their nodes) live in validation.py.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from corridors import settings
from corridors.data.dates import DATE_RE, date_bounds, is_date
from corridors.errors import Problem

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
ISO3_RE = re.compile(r"^[A-Z]{3}$")

# Ranges that no real value reaches: a length longer than the equator, a gauge outside 500–2000 mm.
MAX_KM = 40_075
GAUGE_MM = (500, 2_000)
COVERS = ("route", "section", "other")


def _date(value: str) -> str:
    if not DATE_RE.match(value):
        raise ValueError("is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if not is_date(value):
        raise ValueError("is not a date that exists")
    return value


def _month_day(value: str) -> str:
    if not re.match(r"^\d{2}-\d{2}$", value):
        raise ValueError("is not a day of the year (MM-DD, like 12-01)")
    try:
        datetime.date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 exists
    except ValueError:
        raise ValueError("is not a day of the year that exists") from None
    return value


def unique_items(values: list) -> list:
    """A list validator: the list as given, or an error naming the first item listed twice."""
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"lists {value!r} twice")
        seen.add(value)
    return values


Text = Annotated[str, StringConstraints(min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
DateText = Annotated[str, AfterValidator(_date)]
MonthDay = Annotated[str, AfterValidator(_month_day)]
Km = Annotated[float, Field(gt=0, le=MAX_KM, allow_inf_nan=False)]
Gauge = Annotated[int, Field(ge=GAUGE_MM[0], le=GAUGE_MM[1])]
Mode = Literal[settings.MODES]  # type: ignore[valid-type]
Status = Literal[settings.STATUSES]  # type: ignore[valid-type]
SegmentIds = Annotated[list[Slug], Field(min_length=1), AfterValidator(unique_items)]


class StrictModel(BaseModel):
    """The base of every file's schema: unknown keys and wrong types are refused, records are frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PublishedLengthIn(StrictModel):
    km: Km
    source: Text
    covers: Literal[COVERS]  # type: ignore[valid-type]
    scope: str = ""

    @model_validator(mode="after")
    def _scope_named(self):
        if self.covers != "route" and not self.scope.strip():
            raise ValueError(f"covers {self.covers!r} but has no 'scope' saying which part or what it measures")
        return self


CURRENCY_RE = r"^[A-Z]{3}$"
Currency = Annotated[str, StringConstraints(pattern=CURRENCY_RE)]
SCALES = ("thousand", "million", "billion")


class CostIn(StrictModel):
    """A cost or financing figure a source publishes, in its own currency (README "Costs"): several when
    sources disagree, each with its source, like lengths."""

    amount: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    currency: Currency  # ISO 4217 code as the source gives it: USD, CNY, PKR, AFN, KZT, EUR
    scale: Literal[SCALES]  # type: ignore[valid-type]
    source: Text
    covers: Literal[COVERS] = "route"  # type: ignore[valid-type]
    scope: str = ""
    date: DateText | None = None  # when the figure was given (the estimate's date), if the source says
    note: str = ""

    @model_validator(mode="after")
    def _scope_named(self):
        if self.covers != "route" and not self.scope.strip():
            raise ValueError(f"covers {self.covers!r} but has no 'scope' saying which part or what it pays for")
        return self


class EventIn(StrictModel):
    """One dated, sourced event of a history (README "Events")."""

    date: DateText
    kind: Literal[settings.EVENT_KINDS]  # type: ignore[valid-type]
    source: Text
    note: str = ""
    announced: bool = False  # announced for that date, not (yet) happened: never taken as fact


class ClosureIn(StrictModel):
    """A seasonal closure, every year from `from` (the first day closed) to `to` (the day it opens again)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    from_: MonthDay = Field(alias="from")
    to: MonthDay
    source: Text
    note: str = ""
    until: DateText | None = None  # from that day on it no longer applies (year-round since)

    @model_validator(mode="after")
    def _a_span(self):
        if self.from_ == self.to:
            raise ValueError(
                f"runs from {self.to} to {self.to}: a closure ends on a later day (it may run over the year's end)"
            )
        return self


def _events_in_order(events: list[EventIn]) -> list[EventIn]:
    for i in range(1, len(events)):
        before, event = events[i - 1], events[i]
        if date_bounds(event.date)[1] < date_bounds(before.date)[0]:
            raise ValueError(
                f"item {i} ({event.kind} {event.date}) comes after item {i - 1} ({before.kind} {before.date}) "
                "but is earlier: list events in date order"
            )
    return events


Events = Annotated[list[EventIn], AfterValidator(_events_in_order)]


def _history_agrees(agreed: str | None, opened: str | None, events: list[EventIn]) -> None:
    """`agreed` and `opened`, where given, are the dates of the first such (happened) events."""
    for key, value in (("agreed", agreed), ("opened", opened)):
        if value is None:
            continue
        first = next((e for e in events if e.kind == key and not e.announced), None)
        if first is None:
            raise ValueError(
                f"gives {key} {value} but has no {key!r} event: add {{date: \"{value}\", kind: {key}, source: …}} "
                "to 'events'"
            )
        if first.date != value:
            raise ValueError(f"gives {key} {value} but its first {key!r} event is dated {first.date}")


def _dates_in_order(agreed: str | None, opened: str | None, status: str) -> None:
    if agreed and opened and date_bounds(opened)[1] < date_bounds(agreed)[0]:
        raise ValueError(f"opened {opened} is before it was agreed ({agreed})")
    if opened and status == "operational" and date_bounds(opened)[0] > datetime.date.today():
        raise ValueError(f"is operational but its opening date {opened} is in the future")


class AlternativeIn(StrictModel):
    id: Slug
    name: Text
    segments: SegmentIds
    description: str = ""


class CorridorIn(StrictModel):
    id: Slug
    name: Text
    mode: Mode
    status: Status
    description: Text
    segments: SegmentIds
    role: Literal[settings.CORRIDOR_ROLES] = "article"  # type: ignore[valid-type]
    aliases: list[Text] = []
    alternatives: list[AlternativeIn] = []
    agreed: DateText | None = None
    opened: DateText | None = None
    published_lengths: list[PublishedLengthIn] = []
    costs: list[CostIn] = []
    sources: list[Text] = []
    as_of: DateText
    status_source: Text
    status_note: str = ""
    events: Events = []

    @model_validator(mode="after")
    def _dates(self):
        _dates_in_order(self.agreed, self.opened, self.status)
        _history_agrees(self.agreed, self.opened, self.events)
        return self


class SegmentIn(StrictModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)

    id: Slug
    from_: Slug = Field(alias="from")
    to: Slug
    mode: Mode
    status: Status
    accuracy: Literal[settings.ACCURACIES]  # type: ignore[valid-type]
    sources: Annotated[list[Text], Field(min_length=1)]
    gauge_mm: Gauge | None = None
    gauge_change_mm: (
        Annotated[list[Gauge], Field(min_length=2, max_length=2), AfterValidator(lambda v: _different(v))] | None
    ) = None
    via: list[Text] = []  # names of places passed, for the reader
    agreed: DateText | None = None
    opened: DateText | None = None
    published_lengths: list[PublishedLengthIn] = []
    costs: list[CostIn] = []
    note: str = ""
    as_of: DateText
    status_source: Text
    status_note: str = ""
    events: Events = []
    closures: list[ClosureIn] = []

    @model_validator(mode="after")
    def _consistent(self):
        if self.from_ == self.to:
            raise ValueError(f"runs from {self.to!r} back to itself: a segment joins two different places")
        given = self.model_fields_set
        if self.mode == "rail" and "gauge_mm" not in given and "gauge_change_mm" not in given:
            raise ValueError(
                "'gauge_mm' is missing (a rail segment states its gauge, or null when unknown; "
                "where the gauge changes, 'gauge_change_mm: [from, to]')"
            )
        if self.mode == "road" and (self.gauge_mm is not None or self.gauge_change_mm is not None):
            raise ValueError("is a road segment but gives a rail gauge")
        if self.gauge_mm is not None and self.gauge_change_mm is not None:
            raise ValueError(
                "gives both 'gauge_mm' and 'gauge_change_mm'; a segment where the gauge changes "
                "gives only 'gauge_change_mm: [from, to]'"
            )
        _dates_in_order(self.agreed, self.opened, self.status)
        _history_agrees(self.agreed, self.opened, self.events)
        return self


def _different(pair: list[int]) -> list[int]:
    if pair[0] == pair[1]:
        raise ValueError(f"changes from {pair[0]} mm to the same gauge")
    return pair


class NodeIn(StrictModel):
    id: Slug
    name: Text
    kind: Literal[settings.NODE_KINDS]  # type: ignore[valid-type]
    country: ISO3
    source: Text
    aliases: list[Text] = []


class MemberIn(StrictModel):
    country: ISO3
    joined: DateText | None = None
    note: str = ""


class OrganisationIn(StrictModel):
    id: Slug
    name: Text
    members: list[MemberIn] = []
    aliases: list[Text] = []
    founded: DateText | None = None
    sources: list[Text] = []


class LinkIn(StrictModel):
    article: Slug
    paragraph: Annotated[int, Field(ge=0)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    id: Slug | None = None
    quote: str | None = None
    corridors: list[Slug] = []
    nodes: list[Slug] = []
    organisations: list[Slug] = []
    suppress: bool = False
    origin: Literal["curated", "automatic"] = "curated"
    reason: str = ""

    @model_validator(mode="after")
    def _sane(self):
        if not (self.corridors or self.nodes or self.organisations):
            raise ValueError("links to nothing: give at least one of corridors, nodes, organisations")
        if self.start >= self.end:
            raise ValueError(f"start {self.start} is not before end {self.end}")
        return self


class CountryIn(StrictModel):
    iso3: ISO3
    name: Text
    note: str = ""


def _day(value: str) -> str:
    if len(value) != 10:
        raise ValueError("is not a full date YYYY-MM-DD (the day the data was last checked against sources)")
    return value


class AtlasIn(StrictModel):
    """geodata/atlas.yaml: the data folder as a whole."""

    updated: Annotated[str, AfterValidator(_date), AfterValidator(_day)]
    note: str = ""


class FrontMatterIn(StrictModel):
    """An article's front matter. An empty value (`author:`) means not known."""

    title: Text
    outlet: str | None = None
    author: str | None = None
    date: DateText | None = None
    date_note: str | None = None  # for an undated article: what its text implies about its date, and why
    url: str | None = None
    categories: list[Text] | str | None = None


# ---- briefings (geodata/briefings/<id>.yaml) -------------------------------------------------------------

MIN_ZOOM, MAX_ZOOM = 2, 14  # the map's own limits (mapbuild.base_map)
MAX_STOPS = 200
Coordinate = Annotated[float, Field(allow_inf_nan=False)]
LatLon = Annotated[list[Coordinate], Field(min_length=2, max_length=2)]


def _lat_lon_error(pair: list[float], what: str) -> str | None:
    if not -90 <= pair[0] <= 90:
        return f"{what}: latitude {pair[0]:g} is out of range -90..90"
    if not -180 <= pair[1] <= 180:
        return f"{what}: longitude {pair[1]:g} is out of range -180..180"
    return None


class ViewIn(StrictModel):
    """Where a stop's map looks: bounds [[south, west], [north, east]], or center [lat, lon] and zoom."""

    bounds: Annotated[list[LatLon], Field(min_length=2, max_length=2)] | None = None
    center: LatLon | None = None
    zoom: Annotated[int, Field(ge=MIN_ZOOM, le=MAX_ZOOM)] | None = None

    @model_validator(mode="after")
    def _one_way(self):
        has_bounds, has_center = self.bounds is not None, self.center is not None or self.zoom is not None
        if has_bounds == has_center:
            raise ValueError(
                "give either bounds [[south, west], [north, east]], or center [lat, lon] and zoom"
                + (", not both" if has_bounds else "")
            )
        if has_bounds:
            (south, west), (north, east) = self.bounds
            error = _lat_lon_error(self.bounds[0], "bounds south-west corner") or _lat_lon_error(
                self.bounds[1], "bounds north-east corner"
            )
            if error:
                raise ValueError(error)
            if not south < north:
                raise ValueError(f"bounds: south {south:g} must be less than north {north:g}")
            if not west < east:
                raise ValueError(f"bounds: west {west:g} must be less than east {east:g}")
        else:
            if self.center is None:
                raise ValueError("zoom is given without center [lat, lon]")
            if self.zoom is None:
                raise ValueError("center is given without zoom")
            error = _lat_lon_error(self.center, "center")
            if error:
                raise ValueError(error)
        return self


class StopIn(StrictModel):
    title: Text
    view: ViewIn
    corridors: Annotated[list[Slug], AfterValidator(unique_items)] | None = None  # absent: every corridor
    highlight: Annotated[list[Slug], AfterValidator(unique_items)] = []
    excerpts: list[Text] = []  # excerpt ids in links.yaml, or ARTICLE/PARAGRAPH
    places: Annotated[list[Slug], AfterValidator(unique_items)] = []
    notes: str = ""
    asof: DateText | None = None  # the network as of this date (YYYY[-MM[-DD]]); absent: today's


class BriefingIn(StrictModel):
    """A briefing's top level; each stop is checked on its own, so one bad stop does not lose the others."""

    title: Text
    description: str = ""
    date: DateText | None = None  # when the briefing was given (the Timeline's "what changed since")
    stops: Annotated[list[Any], Field(min_length=1, max_length=MAX_STOPS)]


# ---- transit figures (geodata/transit.yaml) -----------------------------------------------------------

TRANSIT_SECTIONS = ("speeds", "crossings", "gauge_breaks", "runs", "corridor_costs")
SPEED_KINDS = ("with_delay", "without_delay", "derived", "line_speed")
DIRECTIONS = ("outbound", "inbound", "both")
RUN_MODES = ("road", "rail", "sea")


def _past_year(year: int) -> int:
    if year > datetime.date.today().year:
        raise ValueError("is in the future: give the year the figure was measured or announced")
    return year


Year = Annotated[int, Field(ge=1900), AfterValidator(_past_year)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


def _figure(value: Any) -> float | tuple[float, float]:
    """A figure as a positive number or a [low, high] pair of them (low not above high)."""

    def number(v: Any) -> bool:
        return finite(v) and v > 0

    if number(value):
        return float(value)
    if isinstance(value, list) and len(value) == 2 and all(number(v) for v in value):
        if value[0] > value[1]:
            raise ValueError(f"low {value[0]:g} is above high {value[1]:g}")
        return (float(value[0]), float(value[1]))
    if finite(value):
        raise ValueError("must be above 0")
    wanted = "must be a number above 0 or a [low, high] pair of them"
    if isinstance(value, (str, int, float)):  # (the message names the value already)
        raise ValueError(wanted + (", not true/false" if isinstance(value, bool) else ""))
    raise ValueError(f"{wanted}, not {_type_name(value)} {_short(value)}")


Figure = Annotated[Any, AfterValidator(_figure)]


class SpeedIn(StrictModel):
    """A published speed for one country and mode: CPMM's speed with delay (SWD, whole trip time) or
    without delay (SWOD, time in motion), a line speed, or one derived from a published run (say how)."""

    country: ISO3
    mode: Mode
    kind: Literal[SPEED_KINDS]  # type: ignore[valid-type]
    km_h: Figure
    year: Year
    source: Text
    note: str = ""

    @model_validator(mode="after")
    def _derived_says_how(self):
        if self.kind == "derived" and not self.note.strip():
            raise ValueError("is 'derived' but has no 'note' saying from which distance and time")
        return self


class CrossingIn(StrictModel):
    """Hours (and/or $) to clear one side of a border crossing, as the source reports it: `country` is the
    side (whose customs), `direction` outbound (leaving it) or inbound (entering it); `nodes` are the
    network's places the figure belongs to (the post on either side). `basis: country_average` marks a
    country's average over its crossings, tied by the data's author to the crossings listed."""

    nodes: Annotated[list[Slug], Field(min_length=1), AfterValidator(unique_items)]
    bcp: Text
    country: ISO3
    mode: Mode
    direction: Literal[DIRECTIONS]  # type: ignore[valid-type]
    year: Year
    source: Text
    hours: Figure | None = None
    cost_usd: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    basis: Literal["crossing", "country_average"] = "crossing"
    includes_gauge_change: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _has_a_figure(self):
        if self.hours is None and self.cost_usd is None:
            raise ValueError("gives neither 'hours' nor 'cost_usd'")
        return self


class GaugeBreakFigureIn(StrictModel):
    """Time (and/or $) to change gauge at a place (transshipment or bogie change); `nodes` are the network's
    places on either side where the way's gauge break is found."""

    nodes: Annotated[list[Slug], Field(min_length=1), AfterValidator(unique_items)]
    what: Text
    year: Year
    source: Text
    hours: Figure | None = None
    cost_usd: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _has_a_figure(self):
        if self.hours is None and self.cost_usd is None:
            raise ValueError("gives neither 'hours' nor 'cost_usd'")
        return self


class RunIn(StrictModel):
    """A published end-to-end run (or an announced time, `announced: true`): days from end to end."""

    id: Slug
    what: Text
    countries: Annotated[list[ISO3], Field(min_length=1)]
    modes: Annotated[list[Literal[RUN_MODES]], Field(min_length=1), AfterValidator(unique_items)]  # type: ignore[valid-type]
    days: Figure
    year: Year
    source: Text
    km: Km | None = None
    announced: bool = False
    note: str = ""


class CorridorCostIn(StrictModel):
    """CPMM's cost to travel a corridor section, $ per 500 km per 20 t of cargo, for a country and mode."""

    country: ISO3
    mode: Mode
    usd_per_500km_20t: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    year: Year
    source: Text
    note: str = ""


TRANSIT_MODELS = {
    "speeds": ("speed", SpeedIn),
    "crossings": ("crossing", CrossingIn),
    "gauge_breaks": ("gauge break", GaugeBreakFigureIn),
    "runs": ("run", RunIn),
    "corridor_costs": ("corridor cost", CorridorCostIn),
}


# ---- turning pydantic's errors into problems ----------------------------------------------------------

_TYPE_NAMES = {
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "tuple": "a list of two numbers",
}


def _type_name(value: Any) -> str:
    return {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _field_path(loc: tuple) -> str:
    parts = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"item {part}")
        elif part in ("function-after[_date()]", "function-after[unique_items()]", "function-after[<lambda>()]") or str(
            part
        ).startswith(("function-", "constrained-", "literal[", "nullable[", "union[")):
            continue
        else:
            parts.append(repr(part))
    return " ".join(parts)


# What to write instead, for a key that is missing or empty.
_HINTS = {
    "view": "give bounds [[south, west], [north, east]], or center [lat, lon] and zoom",
    "stops": "a briefing needs at least one stop",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _message(error: dict, model: type[BaseModel]) -> str:
    kind, loc, value, ctx = error["type"], error["loc"], error.get("input"), error.get("ctx") or {}
    fields = _field_path(loc)
    field = f"{fields} " if fields else ""
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(allowed)}" if allowed else ""
        if name == "closures" and model is CorridorIn and not loc[:-1]:
            hint = ": seasonal closures belong to the segments that close (in segments/<corridor>.geojson)"
        if value is None and "," in name or name.endswith(")"):
            hint += " — in a YAML {…} mapping a comma ends the value: put text with commas in quotes"
        where = _field_path(loc[:-1])
        return f"{where + ': ' if where else ''}unknown key {name!r}{hint}"
    if kind == "missing":
        hint = _HINTS.get(str(loc[-1])) if loc else None
        return f"{fields or 'a value'} is missing" + (f": {hint}" if hint else "")
    if kind == "literal_error":
        expected = re.split(r", | or ", ctx.get("expected", "").replace("'", ""))
        name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "value"
        where = _field_path(loc[:-1])
        return f"{where + ': ' if where else ''}unknown {name} {value!r}; expected one of: {', '.join(expected)}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return f"{field}{value!r} is not a slug (lower-case letters, digits and single hyphens)"
        return f"{field}{value!r} is not an ISO 3166-1 alpha-3 code like 'PAK'"
    if kind == "string_too_short":
        return f"{field}is empty"
    if kind == "too_short" and loc and str(loc[-1]) in _HINTS:
        return f"{field}is empty: {_HINTS[str(loc[-1])]}"
    if kind.endswith("_type") or kind in ("int_from_float", "model_attributes_type", "int_parsing"):
        wanted = _TYPE_NAMES.get(kind.removesuffix("_type"), kind.removesuffix("_type"))
        if kind == "string_type" and is_date(str(value)) and not isinstance(value, bool):
            return f"{field}must be a date in quotes, like \"{value}\", not {_type_name(value)}"
        hint = " (in YAML, quote text that contains ': ')" if kind == "string_type" and isinstance(value, dict) else ""
        if kind == "string_type" and isinstance(value, bool):
            hint = " (YAML reads an unquoted yes, no, on, off, true or false as true/false: put it in quotes)"
        return f"{field}must be {wanted}, not {_type_name(value)} {_short(value)}{hint}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"):
        return f"{field}{_short(value)} is out of range ({error['msg'].lower()})"
    if kind == "too_short":
        return f"{field}is empty"
    if kind in ("too_long",):
        return f"{field}has {ctx.get('actual_length')} items, more than {ctx.get('max_length')}"
    if kind == "value_error":
        text = str(ctx.get("error") or error["msg"])
        if isinstance(value, (str, int, float)) and field:
            return f"{field}{value!r} {text}"
        return f"{fields}: {text}" if fields else text
    return f"{field}{error['msg']}"


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed at `loc` (a path into `model`), for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if info is None:
            info = next((f for f in getattr(current, "model_fields", {}).values() if f.alias == part), None)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def check(
    model: type[BaseModel], data: Any, label: str, where: str, problems: list[Problem], line_of=None
) -> BaseModel | None:
    """Validate `data` against `model`; on failure record one problem per error and return None.

    `line_of(loc)` gives the line of a value inside `data` (a path of keys and indexes), when known.
    """
    if not isinstance(data, dict):
        problems.append(Problem(label, where, f"must be a mapping of keys to values, not {_type_name(data)}"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(p for p in error["loc"] if not _is_wrapper(p))
            line = line_of(loc) if line_of else None
            problems.append(Problem(label, with_line(where, line), _message({**error, "loc": loc}, model)))
    return None


def _is_wrapper(part) -> bool:
    return isinstance(part, str) and (
        part.startswith(
            ("function-", "constrained-", "literal[", "nullable[", "union[", "tagged-union[", "list[", "tuple[")
        )
        or part in ("str", "int", "float", "bool", "none")
    )


def with_line(where: str, line: int | None) -> str:
    """`line N, where` when the line is known, else just `where`."""
    return f"line {line}, {where}" if line else where


def bare_place(where: str) -> str:
    """The place named by `with_line`, without its line: 'line 3, excerpt 2' -> 'excerpt 2'."""
    return re.sub(r"^line \d+, ", "", where)


def finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
