"""Corridor summaries: what `info` prints and what the dashboard's panel shows, as typed frozen records.

`to_json` turns a record into the stable JSON of `python -m corridors info --json` (field names are the
keys, in order); the views read the records by attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridors.data.atlas import Atlas
from corridors.data.geodesic import line_length_km
from corridors.data.model import Closure, Cost, Event, PublishedLength, Segment
from corridors.data.records import plain
from corridors.geo.geometry import countries_crossed


@dataclass(frozen=True)
class PublishedSummary:
    """What the sources say a route measures: only figures for the whole route as drawn make the headline
    (one figure, or a range when sources disagree); sections and other measures are kept apart."""

    km: float | None
    range_km: tuple[float, float] | None
    sources: tuple[str, ...]
    route: tuple[PublishedLength, ...]
    sections: tuple[PublishedLength, ...]
    other: tuple[PublishedLength, ...]


def event_json(event: Event) -> dict:
    """{date, kind, source, note?, announced?}: note and announced only where they apply."""
    out = {"date": event.date, "kind": event.kind, "source": event.source}
    if event.note:
        out["note"] = event.note
    if event.announced:
        out["announced"] = True
    return out


def _dated_json(record) -> dict:
    """A summary's JSON with its events as {date, kind, source, note?, announced?}."""
    out = plain(record)
    out["events"] = [event_json(e) for e in record.events]
    return out


@dataclass(frozen=True)
class SegmentSummary:
    """Every field of a segment, plus its drawn geodesic length and end-node names."""

    id: str
    corridor: str
    from_: str
    from_name: str
    to_: str
    to_name: str
    mode: str
    status: str
    as_of: str  # the date of the source that confirms the status
    status_source: str
    status_note: str
    events: tuple[Event, ...]  # its history, in date order
    closures: tuple[Closure, ...]  # seasonal closures, every year (JSON: {from, to, source, note})
    gauge_mm: int | None
    gauge_change_mm: tuple[int, int] | None
    gauge: str
    accuracy: str
    via: tuple[str, ...]
    agreed: str | None
    opened: str | None
    length_km: float
    published_lengths: tuple[PublishedLength, ...]
    costs: tuple[Cost, ...]  # published costs and financing, in the sources' currencies
    sources: tuple[str, ...]
    note: str

    def to_json(self) -> dict:
        return _dated_json(self)


@dataclass(frozen=True)
class RouteSummary:
    """Length, countries in order and km by country and by status of a corridor or alternative alignment."""

    length_km: float
    countries: tuple[str, ...]
    km_by_country: dict[str, float]
    km_by_status: dict[str, float]
    segments: tuple[SegmentSummary, ...]


@dataclass(frozen=True)
class AlternativeSummary:
    id: str
    name: str
    description: str
    length_km: float
    countries: tuple[str, ...]
    km_by_country: dict[str, float]
    km_by_status: dict[str, float]
    segments: tuple[SegmentSummary, ...]


@dataclass(frozen=True)
class CorridorSummary:
    """One corridor as `info` describes it (see `python -m corridors info --json`)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    mode: str
    status: str
    as_of: str  # the date of the source that confirms the status
    status_source: str
    status_note: str
    events: tuple[Event, ...]  # the corridor's own history; its segments carry theirs
    data_updated: str | None  # the data's updated date (atlas.yaml)
    role: str
    description: str
    agreed: str | None
    opened: str | None
    countries: tuple[str, ...]
    km_by_country: dict[str, float]
    km_by_status: dict[str, float]
    length_km: float
    published_length_km: float | None
    published_length_range_km: tuple[float, float] | None
    published_length_sources: tuple[str, ...]
    published_lengths: tuple[PublishedLength, ...]
    costs: tuple[Cost, ...]  # published costs and financing of the corridor or its parts
    sources: tuple[str, ...]
    segments: tuple[SegmentSummary, ...]
    alternatives: tuple[AlternativeSummary, ...]

    def to_json(self) -> dict:
        """The stable JSON record of `info --json`."""
        out = _dated_json(self)
        out["segments"] = [s.to_json() for s in self.segments]
        out["alternatives"] = [{**plain(a), "segments": [s.to_json() for s in a.segments]} for a in self.alternatives]
        return out


def published_summary(items: tuple[PublishedLength, ...]) -> PublishedSummary:
    """The published lengths of a route, sorted into headline, sections and other measures."""
    whole = [p for p in items if p.covers == "route"]
    kms = sorted({p.km for p in whole})
    return PublishedSummary(
        km=kms[0] if len(kms) == 1 else None,
        range_km=(kms[0], kms[-1]) if kms else None,
        sources=tuple(p.source for p in whole),
        route=tuple(whole),
        sections=tuple(p for p in items if p.covers == "section"),
        other=tuple(p for p in items if p.covers == "other"),
    )


def gauge_text(seg: Segment) -> str:
    """A rail segment's gauge for people: '1,676 mm', '1,520 → 1,435 mm (break of gauge)' or 'not known'."""
    if seg.gauge_change:
        return f"{seg.gauge_change[0]:,} → {seg.gauge_change[1]:,} mm (break of gauge)"
    if seg.gauge_mm:
        return f"{seg.gauge_mm:,} mm"
    return "not known" if seg.mode == "rail" else ""


def segment_record(atlas: Atlas, seg: Segment) -> SegmentSummary:
    """Every field of a segment, plus its drawn geodesic length and end-node names."""
    name = lambda node_id: atlas.nodes[node_id].name if node_id in atlas.nodes else node_id  # noqa: E731
    return SegmentSummary(
        id=seg.id,
        corridor=seg.corridor,
        from_=seg.from_node,
        from_name=name(seg.from_node),
        to_=seg.to_node,
        to_name=name(seg.to_node),
        mode=seg.mode,
        status=seg.status,
        as_of=seg.as_of,
        status_source=seg.status_source,
        status_note=seg.status_note,
        events=tuple(seg.events),
        closures=tuple(seg.closures),
        gauge_mm=seg.gauge_mm,
        gauge_change_mm=tuple(seg.gauge_change) if seg.gauge_change else None,
        gauge=gauge_text(seg),
        accuracy=seg.accuracy,
        via=tuple(seg.via),
        agreed=seg.agreed,
        opened=seg.opened,
        length_km=round(line_length_km(seg.line), 1),
        published_lengths=tuple(seg.published_lengths),
        costs=tuple(seg.costs),
        sources=tuple(seg.sources),
        note=seg.note,
    )


def route_summary(atlas: Atlas, route_id: str) -> RouteSummary:
    """Length, countries in order and km by status of a corridor or alternative alignment."""
    segments = atlas.route(route_id)
    crossed = countries_crossed(atlas, route_id)
    by_status: dict[str, float] = {}
    for seg in segments:
        by_status[seg.status] = by_status.get(seg.status, 0.0) + line_length_km(seg.line)
    return RouteSummary(
        length_km=round(sum(line_length_km(s.line) for s in segments), 1),
        countries=tuple(code for code, _ in crossed),
        km_by_country={code: round(km, 1) for code, km in crossed},
        km_by_status={k: round(v, 1) for k, v in by_status.items()},
        segments=tuple(segment_record(atlas, s) for s in segments),
    )


def corridor_info(atlas: Atlas, corridor_id: str) -> CorridorSummary:
    """The summary of one corridor, its main alignment and its alternatives."""
    c = atlas.corridors[corridor_id]
    main = route_summary(atlas, c.id)
    published = published_summary(c.published_lengths)
    alternatives = []
    for a in c.alternatives:
        r = route_summary(atlas, a.id)
        alternatives.append(
            AlternativeSummary(
                a.id, a.name, a.description, r.length_km, r.countries, r.km_by_country, r.km_by_status, r.segments
            )
        )
    return CorridorSummary(
        id=c.id,
        name=c.name,
        aliases=tuple(c.aliases),
        mode=c.mode,
        status=c.status,
        as_of=c.as_of,
        status_source=c.status_source,
        status_note=c.status_note,
        events=tuple(c.events),
        data_updated=atlas.updated,
        role=c.role,
        description=c.description,
        agreed=c.agreed,
        opened=c.opened,
        countries=main.countries,
        km_by_country=main.km_by_country,
        km_by_status=main.km_by_status,
        length_km=main.length_km,
        published_length_km=published.km,
        published_length_range_km=published.range_km,
        published_length_sources=published.sources,
        published_lengths=tuple(c.published_lengths),
        costs=tuple(c.costs),
        sources=tuple(c.sources),
        segments=main.segments,
        alternatives=tuple(alternatives),
    )


def atlas_info(atlas: Atlas) -> list[CorridorSummary]:
    """Every corridor's summary, in data order."""
    return [corridor_info(atlas, cid) for cid in atlas.corridors]
