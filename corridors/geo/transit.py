"""How long a way takes, what it costs and whether it runs, from published averages (geodata/transit.yaml).

Pure: takes the transit figures and a plain description of one way (its km by country and mode, its border
crossings, gauge breaks, seasonal closures and unbuilt legs) and returns a typed frozen `Transit` record.

The estimate, as a range low–high from the spread of the sources:
- in motion: for each country and mode, the drawn km at the fastest published speed for that country and
  mode (low) and at the slowest (high). CPMM publishes speeds without delay (time in motion) and with delay
  (whole trip time, stops included), so the high end also counts the stops on the road;
- at borders: for each crossing, the hours to clear each side (the leaving country outbound, the entering
  country inbound), the fewest and the most hours any source gives for that side; a figure for the crossing
  itself is preferred to a country's average over its crossings;
- at gauge breaks: the hours to change gauge where a source gives them, unless the crossing's figure already
  includes the change of gauge (CPMM's Kazakh rail crossings do).
A country, side or gauge break without a figure adds nothing and is listed in `gaps`; `km_covered` says how
much of the way's km has a speed figure. Published end-to-end runs on the same countries are given beside
the estimate (`runs`), never mixed into it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from corridors.data.history import closure_applies
from corridors.data.model import Closure
from corridors.data.transit import Crossing, GaugeFigure, Run, TransitData
from corridors.geo.geometry import segment_country_runs
from corridors.geo.timeline import way_on

HOURS_PER_DAY = 24.0
COST_KM = 500.0  # CPMM's corridor cost is per 500 km (per 20 t of cargo)
MODE_NAMES = {"road": "road", "rail": "rail"}
KIND_NAMES = {
    "with_delay": "speed with delay (CPMM SWD: whole trip time)",
    "without_delay": "speed without delay (CPMM SWOD: time in motion)",
    "derived": "speed derived from a published run",
    "line_speed": "line speed (what trains run at)",
}


# ---- what the estimate is given ----------------------------------------------------------------------


@dataclass(frozen=True)
class LegPart:
    """The km of one leg of the way inside one country."""

    segment: str
    label: str  # "Quetta – Nushki"
    country: str
    mode: str
    status: str
    km: float


@dataclass(frozen=True)
class BorderIn:
    name: str
    from_country: str
    to_country: str
    mode: str
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class ChangeIn:
    """A gauge break (kind "gauge") or a change between road and rail (kind "mode") at a place."""

    where: str
    node: str
    kind: str = "gauge"
    detail: str = ""  # "1,676 mm → 1,435 mm", "road → rail"


@dataclass(frozen=True)
class ClosureIn:
    segment: str
    label: str
    start: str  # "MM-DD"
    end: str  # "MM-DD": the first day open again
    source: str
    note: str = ""
    until: str | None = None  # from that day on it no longer applies


@dataclass(frozen=True)
class UnbuiltIn:
    segment: str
    label: str
    status: str
    km: float
    announced: str | None = None  # an announced opening date, when the data has one
    announced_source: str = ""
    last_event: str = ""  # the latest event that happened, "agreed 2021-02" (the time model)


@dataclass(frozen=True)
class WayIn:
    countries: tuple[str, ...]
    parts: tuple[LegPart, ...]
    borders: tuple[BorderIn, ...] = ()
    changes: tuple[ChangeIn, ...] = ()
    closures: tuple[ClosureIn, ...] = ()
    unbuilt: tuple[UnbuiltIn, ...] = ()
    country_names: dict[str, str] = field(default_factory=dict)


# ---- what it gives back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high)

    def scaled(self, factor: float) -> Range:
        return Range(self.low * factor, self.high * factor)

    def rounded(self, digits: int = 1) -> Range:
        return Range(round(self.low, digits), round(self.high, digits))


ZERO = Range(0.0, 0.0)


@dataclass(frozen=True)
class FigureUsed:
    what: str
    value: float
    unit: str
    source: str
    year: int
    used_for: str
    value_high: float | None = None  # for a figure published as a range
    note: str = ""


@dataclass(frozen=True)
class MovingPart:
    country: str
    country_name: str
    mode: str
    km: float
    legs: tuple[str, ...]
    speed_kmh: Range | None  # fastest (high) and slowest (low) published speed
    days: Range | None  # low = km / fastest, high = km / slowest
    figures: tuple[FigureUsed, ...]


@dataclass(frozen=True)
class BorderSide:
    country: str
    direction: str  # outbound | inbound
    hours: Range | None
    cost_usd: Range | None
    basis: str  # crossing | country_average | none
    figures: tuple[FigureUsed, ...]


@dataclass(frozen=True)
class BorderPart:
    name: str
    from_country: str
    to_country: str
    mode: str
    hours: Range | None  # both sides added; None when neither side has a figure
    sides: tuple[BorderSide, ...]
    includes_gauge_change: bool


@dataclass(frozen=True)
class ChangePart:
    where: str
    node: str
    kind: str
    detail: str
    hours: Range | None
    included_in: str  # the crossing whose hours already include it, or ""
    figures: tuple[FigureUsed, ...]


@dataclass(frozen=True)
class RunBeside:
    id: str
    what: str
    days: Range
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    relation: str  # "same countries" | "part of this way" | "goes beyond this way"
    direction: str  # "same" | "reverse"
    source: str
    year: int
    announced: bool
    km: float | None
    note: str


@dataclass(frozen=True)
class Costs:
    border_usd: Range | None
    borders_with_cost: int
    corridor_usd: Range | None  # km / 500 × CPMM's $ per 500 km per 20 t, over the km that have a figure
    corridor_km_covered: float
    figures: tuple[FigureUsed, ...]


@dataclass(frozen=True)
class ClosureUsed:
    segment: str
    label: str
    start: str
    end: str
    source: str
    note: str
    closed_days: int  # in the chosen month


@dataclass(frozen=True)
class MonthState:
    month: int | None  # 1–12, None when no month was chosen
    state: str  # "open", "partly closed", "closed" (or "open" when no month)
    closed_days: int
    days_in_month: int
    closures: tuple[ClosureUsed, ...]  # every seasonal closure on the way, with its days in the month


@dataclass(frozen=True)
class StatusNow:
    """The way on the data's `updated` date (the time model): open, or why not."""

    on: str
    status: str | None
    open: bool
    suspended: bool


@dataclass(frozen=True)
class ToBuild:
    km: float
    legs: tuple[UnbuiltIn, ...]

    @property
    def runs_today(self) -> bool:
        return not self.legs


@dataclass(frozen=True)
class Transit:
    """The estimate for one way, every figure behind it, and what is missing."""

    days: Range | None  # moving + borders + gauge breaks; None when no figure applies at all
    moving_days: Range
    border_days: Range
    gauge_days: Range
    km_total: float
    km_covered: float
    moving: tuple[MovingPart, ...]
    borders: tuple[BorderPart, ...]
    changes: tuple[ChangePart, ...]
    figures: tuple[FigureUsed, ...]
    gaps: tuple[str, ...]
    runs: tuple[RunBeside, ...]
    costs: Costs
    month: MonthState
    to_build: ToBuild
    now: StatusNow | None = None

    @property
    def coverage(self) -> float:
        return self.km_covered / self.km_total if self.km_total else 0.0

    @property
    def borders_with_figures(self) -> int:
        return sum(1 for b in self.borders if b.hours is not None)

    def to_json(self) -> dict:
        """Plain values for JSON; every figure once, in `figures` (the parts name them in `used_for`)."""
        out = asdict(self)
        for part in (*out["moving"], *out["changes"], *(s for b in out["borders"] for s in b["sides"])):
            part.pop("figures")
        out["costs"].pop("figures")
        out["coverage"] = round(self.coverage, 3)
        out["borders_with_figures"] = self.borders_with_figures
        out["to_build"]["runs_today"] = self.to_build.runs_today
        return _rounded(out)


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


# ---- the estimate ------------------------------------------------------------------------------------


def _name(way: WayIn, code: str) -> str:
    return way.country_names.get(code, code)


def _speed_figures(transit: TransitData, country: str, mode: str):
    return [s for s in transit.speeds if s.country == country and s.mode == mode]


def _moving(transit: TransitData, way: WayIn) -> tuple[list[MovingPart], list[str]]:
    groups: dict[tuple[str, str], list[LegPart]] = {}
    for part in way.parts:
        if part.km > 0:
            groups.setdefault((part.country, part.mode), []).append(part)
    out, gaps = [], []
    for (country, mode), parts in groups.items():
        km = sum(p.km for p in parts)
        legs = tuple(dict.fromkeys(p.label for p in parts))
        speeds = _speed_figures(transit, country, mode)
        name = _name(way, country)
        used_for = f"in motion: {name} by {mode} ({km:,.0f} km)"
        figures = tuple(
            FigureUsed(
                f"{KIND_NAMES[s.kind]}, {name}, {mode}",
                s.low,
                "km/h",
                s.source,
                s.year,
                used_for,
                s.high if s.high != s.low else None,
                s.note,
            )
            for s in speeds
        )
        if speeds:
            fast, slow = max(s.high for s in speeds), min(s.low for s in speeds)
            days = Range(km / fast / HOURS_PER_DAY, km / slow / HOURS_PER_DAY)
            speed = Range(slow, fast)
        else:
            days = speed = None
            gaps.append(f"no published speed for {name} by {mode}: {km:,.0f} km not estimated ({'; '.join(legs)})")
        out.append(MovingPart(country, name, mode, km, legs, speed, days, figures))
    return out, gaps


def _crossing_figure(c: Crossing, side: str, border: BorderIn, country_name: str, hours: bool) -> FigureUsed:
    basis = " (country average)" if c.basis == "country_average" else ""
    if hours:
        what = f"hours to clear {c.bcp}{basis}, {country_name} side, {side} by {c.mode}"
        value, high, unit = c.hours[0], (c.hours[1] if c.hours[1] != c.hours[0] else None), "h"
    else:
        what = f"cost to clear {c.bcp}{basis}, {country_name} side, {side} by {c.mode}"
        value, high, unit = c.cost_usd, None, "$"
    return FigureUsed(what, value, unit, c.source, c.year, f"border: {border.name}", high, c.note)


def _side(transit: TransitData, way: WayIn, border: BorderIn, country: str, direction: str):
    nodes = set(border.nodes)
    matching = [
        c
        for c in transit.crossings
        if c.country == country
        and c.mode == border.mode
        and c.direction in (direction, "both")
        and nodes.intersection(c.nodes)
    ]
    exact = [c for c in matching if c.basis == "crossing"]
    name = _name(way, country)

    def pick(attr: str) -> list[Crossing]:
        have = [c for c in exact if getattr(c, attr) is not None]
        return have or [c for c in matching if c.basis == "country_average" and getattr(c, attr) is not None]

    timed, costed = pick("hours"), pick("cost_usd")
    hours = Range(min(c.hours[0] for c in timed), max(c.hours[1] for c in timed)) if timed else None
    cost = Range(min(c.cost_usd for c in costed), max(c.cost_usd for c in costed)) if costed else None
    figures = tuple(_crossing_figure(c, direction, border, name, True) for c in timed) + tuple(
        _crossing_figure(c, direction, border, name, False) for c in costed
    )
    basis = (timed or costed)[0].basis if (timed or costed) else "none"
    gauge = any(c.includes_gauge_change for c in timed)
    return BorderSide(country, direction, hours, cost, basis, figures), gauge


def _borders(transit: TransitData, way: WayIn) -> tuple[list[BorderPart], list[str]]:
    out, gaps = [], []
    for border in way.borders:
        sides, gauge = [], False
        for country, direction in ((border.from_country, "outbound"), (border.to_country, "inbound")):
            side, includes = _side(transit, way, border, country, direction)
            sides.append(side)
            gauge = gauge or includes
            if side.hours is None:
                gaps.append(
                    f"no published hours for {_name(way, country)}'s side of {border.name} ({direction} by {border.mode})"
                )
        timed = [s.hours for s in sides if s.hours is not None]
        hours = sum(timed[1:], timed[0]) if timed else None
        out.append(
            BorderPart(border.name, border.from_country, border.to_country, border.mode, hours, tuple(sides), gauge)
        )
    return out, gaps


def _gauge_figure(g: GaugeFigure, used_for: str, hours: bool) -> FigureUsed:
    if hours:
        return FigureUsed(
            g.what,
            g.hours[0],
            "h",
            g.source,
            g.year,
            used_for,
            g.hours[1] if g.hours[1] != g.hours[0] else None,
            g.note,
        )
    return FigureUsed(g.what, g.cost_usd, "$", g.source, g.year, used_for, None, g.note)


def _changes(transit: TransitData, way: WayIn, borders: list[BorderPart]) -> tuple[list[ChangePart], list[str]]:
    by_node: dict[str, str] = {}
    for border, given in zip(borders, way.borders, strict=True):
        if border.includes_gauge_change:
            for node in given.nodes:
                by_node.setdefault(node, border.name)
    out, gaps = [], []
    for change in way.changes:
        used_for = f"{'gauge break' if change.kind == 'gauge' else 'change of mode'}: {change.where}"
        found = [g for g in transit.gauge_breaks if change.node in g.nodes] if change.kind == "gauge" else []
        timed = [g for g in found if g.hours is not None]
        figures = tuple(_gauge_figure(g, used_for, True) for g in timed) + tuple(
            _gauge_figure(g, used_for, False) for g in found if g.cost_usd is not None
        )
        included = by_node.get(change.node, "") if change.kind == "gauge" else ""
        if included:
            hours = None
        elif timed:
            hours = Range(min(g.hours[0] for g in timed), max(g.hours[1] for g in timed))
        else:
            hours = None
            what = "gauge break" if change.kind == "gauge" else "change between road and rail"
            gaps.append(f"no published time for the {what} at {change.where} ({change.detail})")
        out.append(ChangePart(change.where, change.node, change.kind, change.detail, hours, included, figures))
    return out, gaps


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    return any(tuple(longer[i : i + n]) == tuple(shorter) for i in range(len(longer) - n + 1))


def runs_beside(runs: Iterable[Run], countries: Sequence[str]) -> list[RunBeside]:
    """Published runs over the same countries as a way (at least one border in common, either direction),
    with how they relate to it: over the same countries, over part of the way, or beyond it."""
    way = tuple(countries)
    out = []
    for run in runs:
        if len(run.countries) < 2:
            continue
        for direction, seq in (("same", run.countries), ("reverse", tuple(reversed(run.countries)))):
            if seq == way:
                relation = "same countries"
            elif _contains(way, seq):
                relation = "part of this way"
            elif _contains(seq, way) and len(way) >= 2:
                relation = "goes beyond this way"
            else:
                continue
            out.append(
                RunBeside(
                    run.id,
                    run.what,
                    Range(*run.days),
                    run.countries,
                    run.modes,
                    relation,
                    direction,
                    run.source,
                    run.year,
                    run.announced,
                    run.km,
                    run.note,
                )
            )
            break
    order = {"same countries": 0, "part of this way": 1, "goes beyond this way": 2}
    return sorted(out, key=lambda r: (r.announced, order[r.relation], -r.year, r.id))


def _costs(transit: TransitData, way: WayIn, borders: list[BorderPart]) -> Costs:
    figures: list[FigureUsed] = []
    costed = [s.cost_usd for b in borders for s in b.sides if s.cost_usd is not None]
    for b in borders:
        for s in b.sides:
            figures += [f for f in s.figures if f.unit == "$"]
    border_usd = sum(costed[1:], costed[0]) if costed else None
    corridor, km_covered = None, 0.0
    groups: dict[tuple[str, str], float] = {}
    for part in way.parts:
        groups[(part.country, part.mode)] = groups.get((part.country, part.mode), 0.0) + part.km
    for (country, mode), km in groups.items():
        found = [c for c in transit.corridor_costs if c.country == country and c.mode == mode]
        if not found:
            continue
        used_for = f"corridor cost: {_name(way, country)} by {mode} ({km:,.0f} km)"
        figures += [
            FigureUsed(
                f"cost to travel a corridor section, {_name(way, country)}, {mode}",
                c.usd_per_500km_20t,
                "$ per 500 km per 20 t",
                c.source,
                c.year,
                used_for,
                None,
                c.note,
            )
            for c in found
        ]
        rng = Range(min(c.usd_per_500km_20t for c in found), max(c.usd_per_500km_20t for c in found))
        part_cost = rng.scaled(km / COST_KM)
        corridor = part_cost if corridor is None else corridor + part_cost
        km_covered += km
    return Costs(border_usd, len(costed), corridor, km_covered, tuple(figures))


def month_state(closures: Sequence[ClosureIn], month: int | None, year: int | None = None) -> MonthState:
    """Whether a way with these seasonal closures is open in `month` (some days closed: partly closed; every
    day: closed). `year` only matters for February (default: this year)."""
    if month is None:
        used = tuple(ClosureUsed(c.segment, c.label, c.start, c.end, c.source, c.note, 0) for c in closures)
        return MonthState(None, "open", 0, 0, used)
    year = year or datetime.date.today().year
    days = calendar.monthrange(year, month)[1]
    closed: set[int] = set()
    used = []
    for c in closures:
        closure = Closure(c.start, c.end, c.source, c.note, c.until)
        shut = {d for d in range(1, days + 1) if closure_applies(closure, datetime.date(year, month, d))}
        closed |= shut
        used.append(ClosureUsed(c.segment, c.label, c.start, c.end, c.source, c.note, len(shut)))
    state = "open" if not closed else "closed" if len(closed) == days else "partly closed"
    return MonthState(month, state, len(closed), days, tuple(used))


def estimate(
    transit: TransitData | None, way: WayIn, month: int | None = None, now: StatusNow | None = None
) -> Transit:
    """The transit estimate of one way (see the module's docstring for the rules)."""
    transit = transit or TransitData("")
    moving, gaps = _moving(transit, way)
    borders, border_gaps = _borders(transit, way)
    changes, change_gaps = _changes(transit, way, borders)
    gaps += border_gaps + change_gaps
    if not transit.label:
        gaps.insert(0, "the data folder has no transit.yaml: no published figures to estimate from")
    moving_days = sum((m.days for m in moving if m.days is not None), ZERO)
    border_days = sum((b.hours for b in borders if b.hours is not None), ZERO).scaled(1 / HOURS_PER_DAY)
    gauge_days = sum((c.hours for c in changes if c.hours is not None), ZERO).scaled(1 / HOURS_PER_DAY)
    any_figure = any(m.days for m in moving) or any(b.hours for b in borders) or any(c.hours for c in changes)
    figures = tuple(
        [f for m in moving for f in m.figures]
        + [f for b in borders for s in b.sides for f in s.figures if f.unit == "h"]
        + [f for c in changes for f in c.figures if f.unit == "h"]
    )
    costs = _costs(transit, way, borders)
    unbuilt = tuple(way.unbuilt)
    return Transit(
        days=(moving_days + border_days + gauge_days) if any_figure else None,
        moving_days=moving_days,
        border_days=border_days,
        gauge_days=gauge_days,
        km_total=sum(p.km for p in way.parts),
        km_covered=sum(m.km for m in moving if m.days is not None),
        moving=tuple(moving),
        borders=tuple(borders),
        changes=tuple(changes),
        figures=figures + costs.figures,
        gaps=tuple(gaps),
        runs=tuple(runs_beside(transit.runs, way.countries)),
        costs=costs,
        month=month_state(way.closures, month),
        to_build=ToBuild(sum(u.km for u in unbuilt), unbuilt),
        now=now,
    )


# ---- from a way of geo/routes.py to the estimate's input ---------------------------------------------


def _closures(seg, label: str) -> list[ClosureIn]:
    return [ClosureIn(seg.id, label, c.from_, c.to, c.source, c.note, c.until) for c in seg.closures]


def _announced_opening(seg) -> tuple[str | None, str, str]:
    """The announced date (and its source) of a segment's opening and its latest event that happened, from
    the time model's events."""
    happened = [e for e in seg.events if not e.announced]
    last = f"{happened[-1].kind.replace('_', ' ')} {happened[-1].date}" if happened else ""
    for e in seg.events:
        if e.kind == "opened" and e.announced:
            return e.date, e.source, last
    return None, "", last


def way_input(atlas, way) -> WayIn:
    """The estimate's input for one way found by geo/routes.py (a `Way` record): km by country and mode along
    its legs, its borders, gauge breaks and changes of mode, the seasonal closures and unbuilt legs it runs
    over (from the time model of its segments)."""
    parts, closures, unbuilt = [], [], []
    for leg in way.legs:
        seg = atlas.segments[leg.segment]
        label = f"{leg.from_name} – {leg.to_name}"
        for country, km in segment_country_runs(atlas, seg.id):
            parts.append(LegPart(seg.id, label, country, seg.mode, seg.status, float(km)))
        closures += _closures(seg, label)
        if seg.status != "operational":
            date, source, last = _announced_opening(seg)
            unbuilt.append(UnbuiltIn(seg.id, label, seg.status, leg.drawn_km, date, source, last))
    borders = tuple(BorderIn(b.name, b.from_country, b.to_country, b.mode, tuple(b.nodes)) for b in way.borders)
    changes = [
        ChangeIn(g.where, g.node, "gauge", f"{g.from_gauge_mm:,} mm → {g.to_gauge_mm:,} mm") for g in way.gauge_breaks
    ] + [ChangeIn(m.where, m.node, "mode", f"{m.from_mode} → {m.to_mode}") for m in way.mode_changes]
    return WayIn(
        tuple(way.countries),
        tuple(parts),
        borders,
        tuple(changes),
        tuple(closures),
        tuple(unbuilt),
        dict(atlas.country_names),
    )


def way_transit(atlas, way, month: int | None = None) -> Transit:
    """The transit estimate of a way found by geo/routes.py, from the atlas's transit figures."""
    now = None
    updated = getattr(atlas, "updated", None)
    if updated:
        state = way_on(atlas, way, updated)
        now = StatusNow(str(updated), state.status, state.open, state.suspended)
    return estimate(atlas.transit, way_input(atlas, way), month, now)


# ---- comparing ways: ranking, table rows, chart rows -------------------------------------------------

FULL_COVERAGE = 0.9  # by days, a way whose speeds cover less of its km is ranked after those covered
RANK_MEASURES = {
    "days": "days (estimate)",
    "km": "km (drawn)",
    "built": "km built",
    "borders": "border crossings",
    "gauges": "gauge breaks",
}


@dataclass(frozen=True)
class WayFacts:
    """What the comparison of ways needs of one way, beside its transit estimate."""

    id: str
    title: str
    drawn_km: float
    built_km: float  # operational km
    borders: int
    gauge_breaks: int
    transit: Transit


def rank_ways(ways: Sequence[WayFacts], measure: str) -> list[WayFacts]:
    """The ways, best first by `measure` (RANK_MEASURES): fewest days (low end, then high; a way whose
    published speeds cover less than FULL_COVERAGE of its km after those covered, since its estimate leaves
    km out; a way without an estimate last), shortest, most km built (then least left to build), fewest
    borders, fewest gauge breaks. Ties keep the ways' own order (shortest first)."""
    if measure not in RANK_MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of: {', '.join(RANK_MEASURES)}")
    inf = float("inf")

    def key(w: WayFacts):
        t = w.transit
        if measure == "days":
            return (
                t.days is None,
                t.coverage < FULL_COVERAGE,
                t.days.low if t.days else inf,
                t.days.high if t.days else inf,
            )
        if measure == "km":
            return (w.drawn_km,)
        if measure == "built":
            return (-w.built_km, t.to_build.km)
        if measure == "borders":
            return (w.borders,)
        return (w.gauge_breaks,)

    return sorted(ways, key=key)


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def transit_row(t: Transit) -> dict:
    """The transit columns of a way's row in the comparison table and its CSV (the numbers of the JSON)."""
    runs = [r for r in t.runs if not r.announced]
    announced = [r for r in t.runs if r.announced]

    def days(r: Range) -> str:
        return f"{r.low:g}" if r.low == r.high else f"{r.low:g}–{r.high:g}"

    return {
        "days low": _r(t.days.low) if t.days else None,
        "days high": _r(t.days.high) if t.days else None,
        "moving days low": _r(t.moving_days.low),
        "moving days high": _r(t.moving_days.high),
        "border days low": _r(t.border_days.low),
        "border days high": _r(t.border_days.high),
        "gauge-break days low": _r(t.gauge_days.low),
        "gauge-break days high": _r(t.gauge_days.high),
        "km with a speed figure": _r(t.km_covered, 0),
        "share of km with figures": round(t.coverage, 2),
        "borders with figures": f"{t.borders_with_figures} of {len(t.borders)}",
        "border cost $ low": _r(t.costs.border_usd.low, 0) if t.costs.border_usd else None,
        "border cost $ high": _r(t.costs.border_usd.high, 0) if t.costs.border_usd else None,
        "corridor cost $ per 20 t low": _r(t.costs.corridor_usd.low, 0) if t.costs.corridor_usd else None,
        "corridor cost $ per 20 t high": _r(t.costs.corridor_usd.high, 0) if t.costs.corridor_usd else None,
        "km to build": _r(t.to_build.km, 0),
        "in the chosen month": t.month.state if t.month.month else "",
        "published runs (days)": "; ".join(f"{r.what}: {days(r.days)} ({r.year})" for r in runs),
        "announced times (days)": "; ".join(f"{r.what}: {days(r.days)} ({r.year})" for r in announced),
        "gaps": "; ".join(t.gaps),
    }


PARTS = ("in motion", "at borders", "at gauge breaks")


def chart_rows(ways: Sequence[WayFacts]) -> list[dict]:
    """Long-form rows for a stacked bar per way and end of the range: way, end (low/high), part, days."""
    out = []
    for w in ways:
        t = w.transit
        if t.days is None:
            continue
        for end in ("low", "high"):
            for part, rng in zip(PARTS, (t.moving_days, t.border_days, t.gauge_days), strict=True):
                out.append({"way": w.title, "end": end, "part": part, "days": round(getattr(rng, end), 2)})
    return out


def transit_lines(t: Transit) -> list[str]:
    """The transit estimate as indented text lines (what `routes` prints for a way)."""

    def rng(r: Range, unit: str = "") -> str:
        return f"{r.low:,.1f}–{r.high:,.1f}{unit}"

    head = "  days (estimate from published averages, not a timetable): "
    if t.days is None:
        out = [head + "no published figure applies"]
    else:
        out = [
            head + f"{rng(t.days)} (in motion {rng(t.moving_days)}, at borders {rng(t.border_days)}, "
            f"at gauge breaks {rng(t.gauge_days)}); published speeds cover {t.km_covered:,.0f} of "
            f"{t.km_total:,.0f} km ({t.coverage:.0%})"
        ]
    out += [f"    no figure: {g}" for g in t.gaps]
    if t.costs.border_usd or t.costs.corridor_usd:
        parts = []
        if t.costs.border_usd:
            parts.append(f"borders ${t.costs.border_usd.low:,.0f}–{t.costs.border_usd.high:,.0f}")
        if t.costs.corridor_usd:
            parts.append(
                f"travel ${t.costs.corridor_usd.low:,.0f}–{t.costs.corridor_usd.high:,.0f} per 20 t over "
                f"{t.costs.corridor_km_covered:,.0f} km"
            )
        out.append("  known costs: " + "; ".join(parts))
    if t.month.month:
        shut = [f"{c.label} closed {c.start} to {c.end}" for c in t.month.closures if c.closed_days]
        out.append(
            f"  in {calendar.month_name[t.month.month]}: {t.month.state}" + (f" ({'; '.join(shut)})" if shut else "")
        )
    if t.to_build.legs:
        out.append(
            f"  to build before it runs: {t.to_build.km:,.0f} km ("
            + "; ".join(
                f"{u.label}, {u.status.replace('_', ' ')}"
                + (f" since {u.last_event}" if u.last_event else "")
                + (f", opening announced for {u.announced}" if u.announced else ", no announced opening")
                for u in t.to_build.legs
            )
            + ")"
        )
    for r in t.runs:
        days = f"{r.days.low:g}" if r.days.low == r.days.high else f"{r.days.low:g}–{r.days.high:g}"
        kind = "announced" if r.announced else "published run"
        out.append(f"  {kind} ({r.relation}): {r.what}: {days} days ({r.year}; {r.source})")
    return out
