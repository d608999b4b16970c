"""The status of one record (a segment, or a corridor's own history) on a date, from its dated events.

Pure and record-level: no geometry, no atlas. corridors/geo/timeline.py builds corridors, ways and the whole
atlas as of a date on it. The rules (geodata/README.md, "Status, history and seasons"):
- proposed, agreed, construction_started and opened set the status (settings.EVENT_STATUS); suspended and
  resumed switch whether it is open, closed closes it for good; upgrade_* change nothing (the timeline shows them);
- before its first event that sets a status a record did not exist (status None); a record with no such
  event has no known history and keeps its current status at every date;
- an event counts from the last day its date can mean (an event dated 2014 has happened by 31 Dec 2014);
- announced events are taken into account only when asked for (`announced=True`, the "if everything
  announced happens" scenario);
- a seasonal closure is in force from its `from_` (MM-DD, first day closed) up to, not including, its `to`
  (MM-DD, the day it opens again), every year, across the year's end when end < start.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from corridors.data.dates import as_day, date_bounds, first_day
from corridors.data.model import Closure, Event
from corridors.settings import EVENT_STATUS, STATUSES

# From least to most advanced: a way is only as far along as its least advanced leg.
STATUS_RANK = {status: rank for rank, status in enumerate(reversed(STATUSES))}  # proposed 0 … operational 3


@dataclass(frozen=True)
class StatusOn:
    """What a segment, corridor or way was on a day.

    `status` is None before it existed. `open` is True only when it was operational, not suspended or closed,
    and no seasonal closure was in force that day. `events` are those that had happened by that day (announced
    ones too when asked for), in date order; `closures` the seasonal closures in force that day.
    """

    on: datetime.date
    status: str | None
    open: bool
    suspended: bool = False  # a suspension (or a closure for good) was in force
    closed: bool = False  # closed for good
    closures: tuple[Closure, ...] = ()
    events: tuple[Event, ...] = ()
    dated: bool = True  # False: no event gives its status; the current status is assumed at every date
    announced: bool = False  # the answer rests on at least one announced event (the scenario)

    @property
    def exists(self) -> bool:
        return self.status is not None


def event_day(event: Event) -> datetime.date:
    """The day from which an event counts as happened: the last day its date can mean."""
    return date_bounds(event.date)[1]


def considered(events: Iterable[Event], announced: bool) -> list[Event]:
    return [e for e in events if announced or not e.announced]


def closure_applies(closure: Closure, day: datetime.date) -> bool:
    """True when the seasonal closure is in force on `day` (from its start, up to the day it opens again), and
    `day` is before the closure's `until` (the first day of its date: from then on the crossing stays open)."""
    if closure.until and day >= first_day(closure.until):
        return False
    md = (day.month, day.day)
    start = (int(closure.from_[:2]), int(closure.from_[3:]))
    end = (int(closure.to[:2]), int(closure.to[3:]))
    if start < end:
        return start <= md < end
    return md >= start or md < end  # across the year's end


def record_on(
    status: str,
    events: Iterable[Event],
    on: str | datetime.date,
    announced: bool = False,
    closures: Iterable[Closure] = (),
) -> StatusOn:
    """The status on a day of a record whose status today is `status`, from its events (in date order).

    `on` is a date (YYYY, YYYY-MM or YYYY-MM-DD text, or a datetime.date); ValueError when it is not one.
    """
    day = as_day(on)
    every = tuple(events)
    facts = [e for e in every if not e.announced]
    dated = any(e.kind in EVENT_STATUS for e in facts)
    current: str | None = None if dated else status
    suspended = closed = rests_on_announced = False
    happened = []
    for event in considered(every, announced):
        if event_day(event) > day:
            continue
        happened.append(event)
        if event.kind in EVENT_STATUS:
            current = EVENT_STATUS[event.kind]
            if event.kind == "opened":
                closed = False
        elif event.kind == "suspended":
            suspended = True
        elif event.kind == "resumed":
            suspended = False
        elif event.kind == "closed":
            closed = True
        rests_on_announced = rests_on_announced or event.announced
    if current is None:
        return StatusOn(day, None, False, events=tuple(happened), dated=dated, announced=rests_on_announced)
    applying = tuple(c for c in closures if closure_applies(c, day))
    is_open = current == "operational" and not suspended and not closed and not applying
    return StatusOn(
        day,
        current,
        is_open,
        suspended=suspended or closed,
        closed=closed,
        closures=applying,
        events=tuple(happened),
        dated=dated,
        announced=rests_on_announced,
    )
