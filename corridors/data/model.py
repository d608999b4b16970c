"""Typed records of the atlas. Geometry is shapely, in EPSG:4326 (lon, lat)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString, Point


@dataclass(frozen=True)
class PublishedLength:
    """A length a source publishes, and what it measures: the whole route as drawn ("route"), a named
    part of it ("section"), or something else, such as a train's whole journey ("other")."""

    km: float
    source: str
    scope: str = ""
    covers: str = "route"


@dataclass(frozen=True)
class Cost:
    """A cost or financing figure a source publishes, in its own currency: `amount` `scale` `currency`
    (4.6 billion USD). `covers` and `scope` say what it pays for, as for lengths; `date`: when it was given."""

    amount: float
    currency: str  # ISO 4217
    scale: str  # "thousand", "million" or "billion"
    source: str
    covers: str = "route"
    scope: str = ""
    date: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Event:
    """A dated, sourced event of a corridor's or segment's history. `date` is as precise as the source
    (YYYY, YYYY-MM or YYYY-MM-DD); `announced`: a date announced, not (yet) happened, never taken as fact."""

    date: str
    kind: str  # settings.EVENT_KINDS
    source: str
    note: str = ""
    announced: bool = False


@dataclass(frozen=True)
class Closure:
    """A seasonal closure, every year: from `from_` (MM-DD, the first day closed) to `to` (MM-DD, the day it
    opens again); the span may run over the year's end (12-01 to 04-01). `until` (YYYY[-MM[-DD]]): from that
    day on it no longer applies (the crossing opened year-round); None: it still does."""

    from_: str
    to: str
    source: str
    note: str = ""
    until: str | None = None


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: str
    country: str
    point: Point
    source: str
    aliases: tuple[str, ...] = ()

    @property
    def lat(self) -> float:
        return self.point.y

    @property
    def lon(self) -> float:
        return self.point.x


@dataclass(frozen=True)
class Segment:
    id: str
    corridor: str
    from_node: str
    to_node: str
    mode: str
    status: str
    accuracy: str
    line: LineString
    sources: tuple[str, ...]
    gauge_mm: int | None = None  # None: not known (or the gauge changes along it: see gauge_change)
    via: tuple[str, ...] = ()
    agreed: str | None = None
    opened: str | None = None
    published_lengths: tuple[PublishedLength, ...] = ()
    note: str = ""
    gauge_change: tuple[int, int] | None = None  # (from, to) mm where the gauge changes along the segment
    as_of: str = ""  # the date of the source that confirms `status`
    status_source: str = ""  # that source
    status_note: str = ""  # optional: how the as_of date was arrived at (e.g. an undated source)
    events: tuple[Event, ...] = ()  # its history, in date order
    closures: tuple[Closure, ...] = ()  # seasonal closures, every year
    costs: tuple[Cost, ...] = ()  # published costs and financing


@dataclass(frozen=True)
class Alternative:
    id: str
    name: str
    segments: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Corridor:
    id: str
    name: str
    mode: str
    status: str
    description: str
    segments: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    agreed: str | None = None
    opened: str | None = None
    published_lengths: tuple[PublishedLength, ...] = ()
    sources: tuple[str, ...] = ()
    role: str = "article"  # settings.CORRIDOR_ROLES
    as_of: str = ""  # the date of the source that confirms `status`
    status_source: str = ""  # that source
    status_note: str = ""  # optional: how the as_of date was arrived at
    events: tuple[Event, ...] = ()  # the corridor's own history (its segments carry theirs), in date order
    costs: tuple[Cost, ...] = ()  # published costs and financing of the corridor or its parts


@dataclass(frozen=True)
class AtlasInfo:
    """geodata/atlas.yaml: the date the data was last checked against sources (YYYY-MM-DD), and a note."""

    updated: str
    note: str = ""


@dataclass(frozen=True)
class Member:
    country: str
    joined: str | None
    note: str = ""


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    members: tuple[Member, ...]
    aliases: tuple[str, ...] = ()
    founded: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    outlet: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    date_note: str = ""  # for an undated article: what its text implies about its date

    @property
    def date_label(self) -> str:
        """The date as published, or 'undated'."""
        return self.date or "undated"


@dataclass(frozen=True)
class Link:
    """What an excerpt speaks of, and how the link was made."""

    kind: str  # "corridor", "node", "organisation"
    target: str
    origin: str  # "automatic", "curated", or "suppressed" (a curated veto of an automatic link)
    # Why an automatic link was made ("alias: ITI", "single-corridor place: Dostyk", "inferred: 'the line'
    # after KTI"; see docs/linking.md). Not part of the link's identity.
    reason: str = field(default="", compare=False)


@dataclass(frozen=True)
class Excerpt:
    """A span of one article paragraph (end exclusive) linked to corridors, nodes or organisations."""

    article: str
    paragraph: int
    start: int
    end: int
    links: tuple[Link, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def span(self) -> tuple[str, int, int, int]:
        return (self.article, self.paragraph, self.start, self.end)

    def targets(self, kind: str) -> tuple[str, ...]:
        return tuple(link.target for link in self.links if link.kind == kind and link.origin != "suppressed")

    @property
    def corridors(self) -> tuple[str, ...]:
        return self.targets("corridor")

    @property
    def nodes(self) -> tuple[str, ...]:
        return self.targets("node")

    @property
    def organisations(self) -> tuple[str, ...]:
        return self.targets("organisation")
