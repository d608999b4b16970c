"""A briefing drafted from map views: each view becomes a stop, the whole written as YAML that
`load_briefings` accepts when the file is dropped into geodata/briefings/."""

from __future__ import annotations

import re
import unicodedata

import yaml

from corridors.briefings.loading import MAX_ZOOM, MIN_ZOOM


def slug(text: str, fallback: str = "briefing") -> str:
    """A file name id from a title: lower-case ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return out or fallback


def view_of(bounds, center_zoom) -> dict:
    """A stop's view: the map's bounds when they are a box on the globe, else centre and zoom."""
    if bounds is not None:
        south, west, north, east = (round(float(v), 2) for v in bounds)
        south, north = max(south, -85.0), min(north, 85.0)
        west, east = max(west, -180.0), min(east, 180.0)
        if south < north and west < east:
            return {"bounds": [[south, west], [north, east]]}
    lat, lon, zoom = center_zoom
    return {"center": [round(float(lat), 4), round(float(lon), 4)], "zoom": max(MIN_ZOOM, min(int(zoom), MAX_ZOOM))}


def excerpts_of(atlas, corridor_id: str | None, limit: int = 3) -> list[str]:
    """References to the excerpts about a corridor: named ones (links.yaml `id`) first, then paragraphs."""
    if not corridor_id:
        return []
    routes = set(atlas.route_ids(corridor_id))
    refs = [
        eid
        for eid, ex in atlas.named_excerpts.items()
        if routes & {link.target for link in ex.links if link.kind == "corridor"}
    ]
    named_spans = {(ex.article, ex.paragraph) for eid, ex in atlas.named_excerpts.items() if eid in refs}
    for ex in atlas.excerpts:
        if routes & set(ex.corridors) and (ex.article, ex.paragraph) not in named_spans:
            ref = f"{ex.article}/{ex.paragraph}"
            if ref not in refs:
                refs.append(ref)
    return refs[:limit]


def stop_from_view(atlas, title: str, shown: list[str], selected: str | None, bounds, center_zoom) -> dict:
    """One stop (a YAML-ready mapping) from what the map shows: its corridors, the selection highlighted,
    the view (bounds as the map reported them, else centre and zoom) and the selection's excerpts."""
    shown = [c for c in shown if c in atlas.corridors]
    stop = {
        "title": title.strip() or (atlas.corridors[selected].name if selected in atlas.corridors else "Stop"),
        "corridors": shown,
    }
    if selected in shown:
        stop["highlight"] = [selected]
    stop["view"] = view_of(bounds, center_zoom)
    refs = excerpts_of(atlas, selected if selected in atlas.corridors else None)
    if refs:
        stop["excerpts"] = refs
    stop["notes"] = ""
    return stop


def draft_yaml(title: str, stops: list[dict]) -> str:
    data = {
        "title": title.strip() or "Draft briefing",
        "description": "Drafted on the map page; edit the titles, excerpts and notes.",
        "stops": stops,
    }
    header = (
        "# A briefing drafted on the map page. Save it as geodata/briefings/<id>.yaml (format: geodata/README.md).\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
