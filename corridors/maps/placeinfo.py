"""What the panel shows for a place clicked on the map. Pure functions (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

from corridors import settings
from corridors.data.atlas import Atlas
from corridors.data.excerpts import ExcerptView, excerpts_for_place


@dataclass(frozen=True)
class PlaceInfo:
    id: str
    name: str
    kind: str  # label, e.g. "Border crossing"
    country: str  # name, e.g. "Pakistan"
    corridors: tuple[str, ...]  # ids of the corridors whose routes (main or alternative) pass through it
    excerpts: tuple[ExcerptView, ...]
    source: str
    aliases: tuple[str, ...] = ()


def clicked_place(returned: dict | None) -> str | None:
    """The place id of a click on a place marker, from what st_folium returned; None for any other click."""
    feature = (returned or {}).get("last_active_drawing") or {}
    node = (feature.get("properties") or {}).get("node") if isinstance(feature, dict) else None
    return node if isinstance(node, str) else None


def corridors_through(atlas: Atlas, node_id: str) -> tuple[str, ...]:
    """Corridors (in data order) with a segment starting, ending or passing via the place."""
    return tuple(
        cid
        for cid in atlas.corridors
        if any(node_id in (s.from_node, s.to_node, *s.via) for s in atlas.corridor_segments(cid))
    )


def place_info(atlas: Atlas, node_id: str) -> PlaceInfo | None:
    """Everything the panel says about one place; None when the atlas has no such place."""
    node = atlas.nodes.get(node_id)
    if node is None:
        return None
    return PlaceInfo(
        id=node.id,
        name=node.name,
        kind=settings.NODE_KIND_LABELS.get(node.kind, node.kind),
        country=atlas.country_names.get(node.country, node.country),
        corridors=corridors_through(atlas, node_id),
        excerpts=tuple(excerpts_for_place(atlas, node_id)),
        source=node.source,
        aliases=tuple(node.aliases),
    )
