"""Corridor summaries: what `info` prints and what the dashboard's panel shows."""

from __future__ import annotations

from dataclasses import asdict

from corridors.data.atlas import Atlas
from corridors.data.model import PublishedLength, Segment
from corridors.geo.geometry import line_length_km


def _lengths(items: tuple[PublishedLength, ...]) -> list[dict]:
    return [asdict(p) for p in items]


def segment_record(atlas: Atlas, seg: Segment) -> dict:
    """Every field of a segment, plus its drawn geodesic length and end-node names."""
    name = lambda node_id: atlas.nodes[node_id].name if node_id in atlas.nodes else node_id  # noqa: E731
    return {
        "id": seg.id, "corridor": seg.corridor,
        "from": seg.from_node, "from_name": name(seg.from_node),
        "to": seg.to_node, "to_name": name(seg.to_node),
        "mode": seg.mode, "status": seg.status, "gauge_mm": seg.gauge_mm, "accuracy": seg.accuracy,
        "via": list(seg.via), "agreed": seg.agreed, "opened": seg.opened,
        "length_km": round(line_length_km(seg.line), 1),
        "published_lengths": _lengths(seg.published_lengths),
        "sources": list(seg.sources), "note": seg.note,
    }


def route_summary(atlas: Atlas, route_id: str) -> dict:
    """Length, countries in order and km by status of a corridor or alternative alignment."""
    segments = atlas.route(route_id)
    crossed = atlas.route_countries(route_id)
    by_status: dict[str, float] = {}
    for seg in segments:
        by_status[seg.status] = by_status.get(seg.status, 0.0) + line_length_km(seg.line)
    return {
        "length_km": round(sum(line_length_km(s.line) for s in segments), 1),
        "countries": [code for code, _ in crossed],
        "km_by_country": {code: round(km, 1) for code, km in crossed},
        "km_by_status": {k: round(v, 1) for k, v in by_status.items()},
        "segments": [segment_record(atlas, s) for s in segments],
    }


def corridor_info(atlas: Atlas, corridor_id: str) -> dict:
    """The stable JSON record of one corridor (see `python -m corridors info --json`)."""
    c = atlas.corridors[corridor_id]
    main = route_summary(atlas, c.id)
    first = c.published_lengths[0] if c.published_lengths else None
    return {
        "id": c.id, "name": c.name, "aliases": list(c.aliases), "mode": c.mode, "status": c.status, "role": c.role,
        "description": c.description, "agreed": c.agreed, "opened": c.opened,
        "countries": main["countries"], "km_by_country": main["km_by_country"],
        "km_by_status": main["km_by_status"],
        "length_km": main["length_km"],
        "published_length_km": first.km if first else None,
        "published_length_source": first.source if first else None,
        "published_lengths": _lengths(c.published_lengths),
        "sources": list(c.sources),
        "segments": main["segments"],
        "alternatives": [
            {"id": a.id, "name": a.name, "description": a.description,
             **{k: v for k, v in route_summary(atlas, a.id).items()}}
            for a in c.alternatives
        ],
    }


def atlas_info(atlas: Atlas) -> list[dict]:
    return [corridor_info(atlas, cid) for cid in atlas.corridors]


def format_info(records: list[dict]) -> str:
    """Human-readable text of `atlas_info`."""
    out = []
    for r in records:
        pub = "; ".join(f"{p['km']:g} km ({p['scope'] + ', ' if p['scope'] else ''}{p['source']})"
                        for p in r["published_lengths"]) or "none published"
        role = " (connecting leg)" if r["role"] == "connecting" else ""
        out.append(f"{r['name']} [{r['id']}]{role} — {r['mode']}, {r['status'].replace('_', ' ')}")
        if r["aliases"]:
            out.append(f"  also: {', '.join(r['aliases'])}")
        out.append(f"  countries: {' → '.join(r['countries']) or '?'}")
        out.append(f"  drawn length: {r['length_km']:g} km")
        out.append(f"  published: {pub}")
        for s in r["segments"]:
            gauge = f", {s['gauge_mm']} mm" if s["gauge_mm"] else ""
            out.append(f"    {s['from_name']} – {s['to_name']}: {s['length_km']:g} km, {s['mode']}, "
                       f"{s['status'].replace('_', ' ')}{gauge}, {s['accuracy']}")
        for a in r["alternatives"]:
            out.append(f"  alternative {a['name']} [{a['id']}]: {a['length_km']:g} km, {' → '.join(a['countries'])}")
        out.append("")
    return "\n".join(out)
