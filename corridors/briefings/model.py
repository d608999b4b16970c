"""Typed records of a briefing. Plain values (no shapely, no Streamlit): exporters build on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """Where the map looks: either `bounds` ((south, west), (north, east)) or `center` (lat, lon) with `zoom`."""

    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None
    center: tuple[float, float] | None = None
    zoom: int | None = None

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        """(south, west, north, east) when the view is given by bounds, else None."""
        if self.bounds is None:
            return None
        (south, west), (north, east) = self.bounds
        return south, west, north, east


@dataclass(frozen=True)
class ExcerptRef:
    """An excerpt to show: the `id` of an excerpt in links.yaml, or a whole paragraph (`article`, `paragraph`)."""

    id: str | None = None
    article: str | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        return self.id if self.id else f"{self.article}/{self.paragraph}"


@dataclass(frozen=True)
class Stop:
    title: str
    corridors: tuple[str, ...]  # shown, in data order as written
    highlight: tuple[str, ...]  # drawn over the others; each is among `corridors`
    view: View
    excerpts: tuple[ExcerptRef, ...] = ()
    places: tuple[str, ...] = ()  # node ids to label
    notes: str = ""  # speaker notes (plain text)
    asof: str | None = None  # the network as of this date (YYYY[-MM[-DD]]); None: today's


@dataclass(frozen=True)
class Briefing:
    id: str
    title: str
    description: str
    stops: tuple[Stop, ...]
    date: str | None = None  # when it was given or last revised (YYYY[-MM[-DD]])
