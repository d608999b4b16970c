"""Published transit figures (geodata/transit.yaml): speeds by country and mode, border-crossing hours and
costs, gauge-break transshipment, end-to-end runs and corridor costs, each with its source and year.

Read through the strict models of schema.py (one problem per bad entry, `file: line N, place: what`; a bad
entry is left out, the others are kept) into typed frozen records; `check_transit` checks what spans files
(every node a figure is tied to exists on the network). The file is optional: without it, ways have no
transit estimate and say so.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridors.data import schema
from corridors.data.readers import read_yaml_located
from corridors.data.schema import with_line
from corridors.errors import Problem

MAX_TRANSIT_BYTES = 2 * 1024 * 1024  # the real file is ~40 KB


def _pair(value) -> tuple[float, float]:
    return (value, value) if isinstance(value, float) else (value[0], value[1])


@dataclass(frozen=True)
class Speed:
    country: str
    mode: str
    kind: str  # with_delay | without_delay | derived | line_speed
    low: float  # km/h (low == high for a single figure)
    high: float
    year: int
    source: str
    note: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class Crossing:
    nodes: tuple[str, ...]
    bcp: str
    country: str  # the side the figure is for
    mode: str
    direction: str  # outbound | inbound | both
    year: int
    source: str
    hours: tuple[float, float] | None = None
    cost_usd: float | None = None
    basis: str = "crossing"  # or country_average
    includes_gauge_change: bool = False
    note: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class GaugeFigure:
    nodes: tuple[str, ...]
    what: str
    year: int
    source: str
    hours: tuple[float, float] | None = None
    cost_usd: float | None = None
    note: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class Run:
    id: str
    what: str
    countries: tuple[str, ...]
    modes: tuple[str, ...]
    days: tuple[float, float]
    year: int
    source: str
    km: float | None = None
    announced: bool = False
    note: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class CorridorCost:
    country: str
    mode: str
    usd_per_500km_20t: float
    year: int
    source: str
    note: str = ""
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class TransitData:
    label: str
    speeds: tuple[Speed, ...] = ()
    crossings: tuple[Crossing, ...] = ()
    gauge_breaks: tuple[GaugeFigure, ...] = ()
    runs: tuple[Run, ...] = ()
    corridor_costs: tuple[CorridorCost, ...] = ()


def _record(section: str, r: Any, where: str):
    if section == "speeds":
        low, high = _pair(r.km_h)
        return Speed(r.country, r.mode, r.kind, low, high, r.year, r.source, r.note, where)
    if section == "crossings":
        hours = _pair(r.hours) if r.hours is not None else None
        return Crossing(
            tuple(r.nodes),
            r.bcp,
            r.country,
            r.mode,
            r.direction,
            r.year,
            r.source,
            hours,
            r.cost_usd,
            r.basis,
            r.includes_gauge_change,
            r.note,
            where,
        )
    if section == "gauge_breaks":
        hours = _pair(r.hours) if r.hours is not None else None
        return GaugeFigure(tuple(r.nodes), r.what, r.year, r.source, hours, r.cost_usd, r.note, where)
    if section == "runs":
        return Run(
            r.id,
            r.what,
            tuple(r.countries),
            tuple(r.modes),
            _pair(r.days),
            r.year,
            r.source,
            r.km,
            r.announced,
            r.note,
            where,
        )
    return CorridorCost(r.country, r.mode, r.usd_per_500km_20t, r.year, r.source, r.note, where)


def load_transit(path: Path, label: str, problems: list[Problem]) -> TransitData | None:
    """The figures of `path`; None (after a problem) when the file cannot be read or is not a mapping."""
    before = len(problems)
    located = read_yaml_located(path, label, problems, MAX_TRANSIT_BYTES)
    if located is None or len(problems) > before:
        return None
    data = located.value
    if data is None:
        return TransitData(label)
    if not isinstance(data, dict):
        problems.append(
            Problem(
                label,
                "file",
                f"must be a mapping of {', '.join(schema.TRANSIT_SECTIONS)} to lists, not {type(data).__name__}",
            )
        )
        return None
    out: dict[str, list] = {name: [] for name in schema.TRANSIT_SECTIONS}
    for key, items in data.items():
        if key not in schema.TRANSIT_MODELS:
            close = difflib.get_close_matches(str(key), schema.TRANSIT_SECTIONS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed: {', '.join(schema.TRANSIT_SECTIONS)}"
            problems.append(Problem(label, with_line("file", located.line((key,))), f"unknown key {key!r}{hint}"))
            continue
        kind, model = schema.TRANSIT_MODELS[key]
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(
                Problem(label, with_line(key, located.line((key,))), f"must be a list, not {type(items).__name__}")
            )
            continue
        for i, item in enumerate(items):
            place = f"{kind} {item['id']!r}" if isinstance(item, dict) and isinstance(item.get("id"), str) else None
            place = place or f"{kind} {i + 1}"
            record = schema.check(
                model,
                item,
                label,
                place,
                problems,
                line_of=lambda loc, key=key, i=i: located.line((key, i, *loc)),
            )
            if record is not None:
                out[key].append(_record(key, record, with_line(place, located.line((key, i)))))
    seen: dict[str, str] = {}
    runs = []
    for run in out["runs"]:
        if run.id in seen:
            problems.append(Problem(label, run.where, f"run id {run.id!r} is used twice (first at {seen[run.id]})"))
            continue
        seen[run.id] = run.where
        runs.append(run)
    return TransitData(
        label,
        tuple(out["speeds"]),
        tuple(out["crossings"]),
        tuple(out["gauge_breaks"]),
        tuple(runs),
        tuple(out["corridor_costs"]),
    )


def check_transit(transit: TransitData, nodes: dict, countries: set[str] | None = None) -> list[Problem]:
    """Figures tied to places or countries the network does not have."""
    problems = []
    known = sorted(nodes)

    def unknown(node: str, where: str) -> None:
        close = difflib.get_close_matches(node, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(Problem(transit.label, where, f"unknown node {node!r}{hint}: no such place in nodes.geojson"))

    for c in transit.crossings:
        for node in c.nodes:
            if node not in nodes:
                unknown(node, c.where)
    for g in transit.gauge_breaks:
        for node in g.nodes:
            if node not in nodes:
                unknown(node, g.where)
    if countries:
        for rec in (*transit.speeds, *transit.crossings, *transit.corridor_costs):
            if rec.country not in countries:
                problems.append(
                    Problem(transit.label, rec.where, f"unknown country {rec.country!r}: not in countries.geojson")
                )
    return problems
