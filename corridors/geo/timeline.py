"""The network in time: segments, corridors and ways as of a date, the events between two dates, and the km
that changed status. Pure functions over the loaded atlas (no Streamlit); the record-level rules are in
corridors/data/history.py.

- A segment's status on a date comes from its own events (history.record_on).
- A corridor's: the status most of its main alignment's existing km had that day (drawn km), or its own events'
  status when that is further along (a corridor agreed or opened as a whole). A corridor with events of its own
  did not exist before the first of them; one without exists as soon as one of its segments does.
- A way's (a sequence of segments, e.g. a route found between two countries): its least advanced leg's status;
  None while one of its legs did not exist; open only when every leg is open.
"""

from __future__ import annotations

import datetime
import inspect
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from corridors.data.dates import as_day, date_bounds, first_day
from corridors.data.geodesic import line_length_km
from corridors.data.history import STATUS_RANK, StatusOn, considered, record_on
from corridors.data.model import Closure, Corridor, Event, Segment
from corridors.errors import Problem
from corridors.settings import EVENT_STATUS

DateLike = str | datetime.date


def segment_km(atlas, segment: Segment) -> float:
    """The drawn (geodesic) length of a segment, computed once per atlas."""
    cache = atlas.caches.setdefault("timeline_km", {})
    if segment.id not in cache:
        cache[segment.id] = line_length_km(segment.line)
    return cache[segment.id]


def segment_on(segment: Segment, on: DateLike, announced: bool = False) -> StatusOn:
    """A segment on a day: its status (None before it existed), open or not, closures and events applying."""
    return record_on(segment.status, segment.events, on, announced, segment.closures)


def corridor_on(
    atlas,
    corridor: Corridor | str,
    on: DateLike,
    announced: bool = False,
    segment_states: Mapping[str, StatusOn] | None = None,
) -> StatusOn:
    """A corridor on a day (see the module's rules). `open`: operational, not suspended by its own events, and
    every existing segment of its main alignment open; `closures`: those in force on its segments that day.
    `segment_states`: the segments' states that day when already computed (atlas_on)."""
    corridor = atlas.corridors[corridor] if isinstance(corridor, str) else corridor
    own = record_on(corridor.status, corridor.events, on, announced)
    has_own = any(e.kind in EVENT_STATUS for e in corridor.events if not e.announced)
    known = segment_states or {}
    parts = [
        (seg, known[seg.id] if seg.id in known else segment_on(seg, own.on, announced))
        for seg in atlas.route(corridor.id)
    ]
    existing = [(seg, s) for seg, s in parts if s.exists]
    km: dict[str, float] = {}
    for seg, s in existing:
        km[s.status] = km.get(s.status, 0.0) + segment_km(atlas, seg)
    # the status most km had; a tie goes to the further along
    by_segments = max(km, key=lambda st: (km[st], STATUS_RANK[st])) if km else None
    if has_own:
        status = None if own.status is None else _further(own.status, by_segments)
    else:
        status = by_segments if parts else own.status  # no segment loaded: its own (current) status
    closures = _unique_closures(c for _, s in existing for c in s.closures)
    legs_open = all(s.open for _, s in existing if s.status == "operational")
    suspended = own.suspended or any(s.suspended for _, s in existing)
    return StatusOn(
        own.on,
        status,
        status == "operational" and not own.suspended and not own.closed and legs_open,
        suspended=suspended,
        closed=own.closed,
        closures=closures if status else (),
        events=own.events,
        dated=has_own or any(s.dated for _, s in parts),
        announced=own.announced or any(s.announced for _, s in existing),
    )


def way_on(atlas, way: Any, on: DateLike, announced: bool = False) -> StatusOn:
    """A way on a day: `way` is a sequence of segments (or segment ids), or a route found by routes.py (its
    legs name their segments). Status: the least advanced leg's, None while a leg did not exist yet."""
    segments = way_segments(atlas, way)
    states = [segment_on(seg, on, announced) for seg in segments]
    day = as_day(on)
    if not states:
        return StatusOn(day, None, False)
    statuses = [s.status for s in states]
    status = None if None in statuses else min(statuses, key=lambda st: STATUS_RANK[st])
    events = sorted({e: None for s in states for e in s.events}, key=lambda e: date_bounds(e.date))
    return StatusOn(
        day,
        status,
        status is not None and all(s.open for s in states),
        suspended=any(s.suspended for s in states),
        closed=any(s.closed for s in states),
        closures=_unique_closures(c for s in states for c in s.closures),
        events=tuple(events),
        dated=any(s.dated for s in states),
        announced=any(s.announced for s in states),
    )


def status_on(item: Any, on: DateLike, announced: bool = False, *, atlas=None) -> StatusOn:
    """The status of a segment, corridor or way on a day (a frozen StatusOn). Corridors and ways need the atlas
    (their segments). `on`: YYYY, YYYY-MM or YYYY-MM-DD (a month or year means its last day), or a date."""
    if isinstance(item, Segment):
        return segment_on(item, on, announced)
    if atlas is None:
        raise TypeError("status_on of a corridor or a way needs atlas=")
    if isinstance(item, Corridor):
        return corridor_on(atlas, item, on, announced)
    return way_on(atlas, item, on, announced)


def way_segments(atlas, way: Any) -> list[Segment]:
    """The segments of a way given as segments, segment ids, or a found route (legs with a `segment` id)."""
    legs = getattr(way, "legs", None)
    if legs is None and isinstance(way, Mapping):
        legs = way.get("legs")
    items: Iterable = way if legs is None else legs
    out = []
    for item in items:
        if isinstance(item, Segment):
            out.append(item)
            continue
        if isinstance(item, tuple) and item and isinstance(item[0], Segment):  # (segment, reversed) pairs
            out.append(item[0])
            continue
        ident = item if isinstance(item, str) else getattr(item, "segment", None)
        if ident is None and isinstance(item, Mapping):
            ident = item.get("segment")
        if ident in atlas.segments:
            out.append(atlas.segments[ident])
    return out


@dataclass(frozen=True)
class AtlasOn:
    """The atlas as of a day: every segment's and corridor's status then (status None: did not exist yet)."""

    on: datetime.date
    announced: bool
    segments: Mapping[str, StatusOn]
    corridors: Mapping[str, StatusOn]

    @property
    def visible_segments(self) -> tuple[str, ...]:
        """Ids of the segments that existed that day (the ones to draw)."""
        return tuple(sid for sid, s in self.segments.items() if s.exists)

    @property
    def visible_corridors(self) -> tuple[str, ...]:
        return tuple(cid for cid, s in self.corridors.items() if s.exists)


def atlas_on(atlas, on: DateLike, announced: bool = False) -> AtlasOn:
    """Which segments and corridors existed on a day, and with which status."""
    day = as_day(on)
    segments = {sid: segment_on(seg, day, announced) for sid, seg in atlas.segments.items()}
    corridors = {cid: corridor_on(atlas, c, day, announced, segments) for cid, c in atlas.corridors.items()}
    return AtlasOn(day, announced, segments, corridors)


GEOMETRY_CACHES = ("route_km", "timeline_km")  # Atlas.caches entries that depend on the lines alone


class AtlasAsOf:
    """The atlas as it stood on a day, for code written for the atlas (routes, map data): `segments` holds only
    the segments that existed that day, each with its status that day; everything else is the atlas's own. Its
    methods run against these segments (a corridor's route leaves out the parts not built yet); its caches are
    its own (but for lengths), so a network found for one day is not reused for another.
    """

    def __init__(self, atlas, on: DateLike, announced: bool = False):
        self._atlas = atlas
        self.on = as_day(on)
        self.announced = announced
        self.states = {sid: segment_on(seg, self.on, announced) for sid, seg in atlas.segments.items()}
        self.segments = {
            sid: replace(seg, status=self.states[sid].status)
            for sid, seg in atlas.segments.items()
            if self.states[sid].exists
        }
        # lengths depend on the lines only: shared with the atlas; networks and the rest are this day's own
        self.caches: dict = {key: atlas.caches.setdefault(key, {}) for key in GEOMETRY_CACHES}

    @property
    def base(self):
        """The atlas itself."""
        return self._atlas

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "_atlas":  # copying or unpickling before __init__ ran
            raise AttributeError(name)
        member = getattr(type(self._atlas), name, None)
        if inspect.isfunction(member):  # a method: run it on this view, so it sees these segments
            return types.MethodType(member, self)
        return getattr(self._atlas, name)


def atlas_as_of(atlas, on: DateLike, announced: bool = False) -> AtlasAsOf:
    return AtlasAsOf(atlas, on, announced)


# ---- what changed between two dates ------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One event in a span: of a corridor as a whole (`segment` None) or of one of its segments."""

    date: str
    kind: str
    source: str
    corridor: str
    corridor_name: str
    segment: str | None = None
    segment_name: str = ""  # "From – To" for a segment's event
    note: str = ""
    announced: bool = False

    def to_json(self) -> dict:
        out = {
            "date": self.date,
            "kind": self.kind,
            "source": self.source,
            "corridor_id": self.corridor,
            "corridor_name": self.corridor_name,
            "segment_id": self.segment,
        }
        if self.segment:
            out["segment_name"] = self.segment_name
        if self.note:
            out["note"] = self.note
        if self.announced:
            out["announced"] = True
        return out


@dataclass(frozen=True)
class StatusChange:
    """A segment whose status differed between the start and the end of a span, with its drawn km."""

    segment: str
    corridor: str
    km: float
    before: str | None  # None: it did not exist yet
    after: str | None


@dataclass(frozen=True)
class CorridorChanges:
    """The changes of one corridor in a span: its events and its own segments' (date order), and the km of its
    own segments that changed status."""

    corridor: str
    name: str
    changes: tuple[Change, ...]
    status_changes: tuple[StatusChange, ...]

    @property
    def km_changed(self) -> float:
        return round(sum(c.km for c in self.status_changes), 1)


def span(since: DateLike, until: DateLike | None, atlas) -> tuple[datetime.date, datetime.date]:
    """[first day of `since`, last day of `until`] (until: the atlas's updated date, else today). ValueError for a
    bad date or an empty span."""
    start = first_day(since)
    end = as_day(until if until is not None else (atlas.updated or datetime.date.today()))
    if end < start:
        raise ValueError(f"the span is empty: {end.isoformat()} is before {start.isoformat()}")
    return start, end


def changes(atlas, since: DateLike, until: DateLike | None = None, announced: bool = False) -> tuple[Change, ...]:
    """The events between two dates (both included; an event dated less precisely counts when its date overlaps
    the span), of corridors and of their segments, in date order then corridor order. Announced events only when
    `announced`."""
    start, end = span(since, until, atlas)
    order = {cid: i for i, cid in enumerate(atlas.corridors)}
    out: list[tuple[tuple, Change]] = []
    for corridor in atlas.corridors.values():
        for event in considered(corridor.events, announced):
            if _overlaps(event, start, end):
                out.append(((date_bounds(event.date), order[corridor.id], ""), _change(atlas, event, corridor.id)))
    for seg in atlas.segments.values():
        for event in considered(seg.events, announced):
            if _overlaps(event, start, end):
                key = (date_bounds(event.date), order.get(seg.corridor, len(order)), seg.id)
                out.append((key, _change(atlas, event, seg.corridor, seg)))
    return tuple(change for _, change in sorted(out, key=lambda kv: kv[0]))


def status_changes(
    atlas, since: DateLike, until: DateLike | None = None, announced: bool = False
) -> tuple[StatusChange, ...]:
    """The segments whose status on the day before the span began differs from their status on its last day."""
    start, end = span(since, until, atlas)
    before_day = start - datetime.timedelta(days=1)
    out = []
    for seg in atlas.segments.values():
        before, after = segment_on(seg, before_day, announced).status, segment_on(seg, end, announced).status
        if before != after:
            out.append(StatusChange(seg.id, seg.corridor, round(segment_km(atlas, seg), 1), before, after))
    return tuple(out)


def km_changed(atlas, since: DateLike, until: DateLike | None = None, announced: bool = False) -> float:
    """Drawn km of the segments that changed status between two dates."""
    return round(sum(c.km for c in status_changes(atlas, since, until, announced)), 1)


def changes_by_corridor(
    atlas, since: DateLike, until: DateLike | None = None, announced: bool = False
) -> tuple[CorridorChanges, ...]:
    """The changes grouped by corridor (atlas order), only corridors with an event or a status change."""
    found: dict[str, list[Change]] = {}
    for change in changes(atlas, since, until, announced):
        found.setdefault(change.corridor, []).append(change)
    moved: dict[str, list[StatusChange]] = {}
    for change in status_changes(atlas, since, until, announced):
        moved.setdefault(change.corridor, []).append(change)
    return tuple(
        CorridorChanges(c.id, c.name, tuple(found.get(c.id, ())), tuple(moved.get(c.id, ())))
        for c in atlas.corridors.values()
        if c.id in found or c.id in moved
    )


def changes_report(atlas, since: DateLike, until: DateLike | None = None, announced: bool = False) -> dict:
    """What `python -m corridors changes --json` prints: the span, and per corridor its events and the km of its
    segments that changed status."""
    start, end = span(since, until, atlas)
    groups = changes_by_corridor(atlas, since, until, announced)
    return {
        "since": str(since),
        "until": str(until) if until is not None else atlas.updated,
        "from_day": start.isoformat(),
        "to_day": end.isoformat(),
        "data_updated": atlas.updated,
        "announced_included": announced,
        "events_count": sum(len(g.changes) for g in groups),
        "km_changed": round(sum(g.km_changed for g in groups), 1),
        "corridors": [
            {
                "id": g.corridor,
                "name": g.name,
                "events": [c.to_json() for c in g.changes],
                "km_changed": g.km_changed,
                "status_changes": [
                    {"segment_id": m.segment, "km": m.km, "before": m.before, "after": m.after}
                    for m in g.status_changes
                ],
            }
            for g in groups
        ],
    }


def _overlaps(event: Event, start: datetime.date, end: datetime.date) -> bool:
    first, last = date_bounds(event.date)
    return first <= end and last >= start


def _change(atlas, event: Event, corridor_id: str, seg: Segment | None = None) -> Change:
    corridor = atlas.corridors.get(corridor_id)
    name = ""
    if seg is not None:
        names = [atlas.nodes[n].name if n in atlas.nodes else n for n in (seg.from_node, seg.to_node)]
        name = " – ".join(names)
    return Change(
        date=event.date,
        kind=event.kind,
        source=event.source,
        corridor=corridor_id,
        corridor_name=corridor.name if corridor else corridor_id,
        segment=seg.id if seg else None,
        segment_name=name,
        note=event.note,
        announced=event.announced,
    )


def _further(a: str, b: str | None) -> str:
    return a if b is None or STATUS_RANK[a] >= STATUS_RANK[b] else b


def _unique_closures(closures: Iterable[Closure]) -> tuple[Closure, ...]:
    return tuple(dict.fromkeys(closures))


# ---- validation: today's status is what the history gives -----------------------------------------------


def check_statuses(atlas) -> list[Problem]:
    """Each `status` must equal what the events give on the atlas's updated date (atlas.yaml)."""
    updated = atlas.updated
    if updated is None:
        return []
    problems = []
    records: Sequence = [(atlas.segment_files.get(s.id, ""), f"segment {s.id!r}", s) for s in atlas.segments.values()]
    for label, where, seg in records:
        given = segment_on(seg, updated).status
        if given != seg.status:
            problems.append(Problem(label, where, _disagreement(seg.status, given, updated)))
    label = atlas.label("corridors.yaml")
    for corridor in atlas.corridors.values():
        given = corridor_on(atlas, corridor, updated).status
        if given != corridor.status:
            problems.append(
                Problem(
                    label,
                    f"corridor {corridor.id!r}",
                    _disagreement(corridor.status, given, updated, corridor=True),
                )
            )
    return problems


def _disagreement(status: str, given: str | None, updated: str, corridor: bool = False) -> str:
    what = (
        "did not exist yet (its first event is later)"
        if given is None
        else f"was {given!r}" + (" (by its own events and the km of its main alignment)" if corridor else "")
    )
    return (
        f"status is {status!r} but on the data's updated date {updated} (atlas.yaml) its history says it {what}: "
        "add the event that changed it, or correct the status"
    )
