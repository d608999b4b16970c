"""Corridor summaries: what `info` prints and what the dashboard's panel shows."""

from __future__ import annotations

from dataclasses import asdict

from corridors.data.atlas import Atlas
from corridors.data.model import Closure, Event, PublishedLength, Segment
from corridors.geo.geometry import line_length_km


def _lengths(items: tuple[PublishedLength, ...]) -> list[dict]:
    return [asdict(p) for p in items]


def published_summary(items: tuple[PublishedLength, ...]) -> dict:
    """What the sources say a route measures: only figures for the whole route as drawn make the headline
    (one figure, or a range when sources disagree); sections and other measures are kept apart."""
    whole = [p for p in items if p.covers == "route"]
    kms = sorted({p.km for p in whole})
    return {
        "km": kms[0] if len(kms) == 1 else None,
        "range_km": [kms[0], kms[-1]] if kms else None,
        "sources": [p.source for p in whole],
        "route": _lengths(tuple(whole)),
        "sections": _lengths(tuple(p for p in items if p.covers == "section")),
        "other": _lengths(tuple(p for p in items if p.covers == "other")),
    }


def event_record(event: Event) -> dict:
    """{date, kind, source, note?, announced?}: note and announced only where they apply."""
    out = {"date": event.date, "kind": event.kind, "source": event.source}
    if event.note:
        out["note"] = event.note
    if event.announced:
        out["announced"] = True
    return out


def closure_record(closure: Closure) -> dict:
    out = {"from": closure.from_, "to": closure.to, "source": closure.source}
    if closure.note:
        out["note"] = closure.note
    return out


def status_fields(record) -> dict:
    """When and by whom a corridor's or segment's status was confirmed, and its history."""
    out = {"as_of": record.as_of, "status_source": record.status_source}
    if record.status_note:
        out["status_note"] = record.status_note
    out["events"] = [event_record(e) for e in record.events]
    return out


def gauge_text(seg: Segment) -> str:
    """A rail segment's gauge for people: '1,676 mm', '1,520 → 1,435 mm (break of gauge)' or 'not known'."""
    if seg.gauge_change:
        return f"{seg.gauge_change[0]:,} → {seg.gauge_change[1]:,} mm (break of gauge)"
    if seg.gauge_mm:
        return f"{seg.gauge_mm:,} mm"
    return "not known" if seg.mode == "rail" else ""


def segment_record(atlas: Atlas, seg: Segment) -> dict:
    """Every field of a segment, plus its drawn geodesic length and end-node names."""
    name = lambda node_id: atlas.nodes[node_id].name if node_id in atlas.nodes else node_id  # noqa: E731
    return {
        "id": seg.id,
        "corridor": seg.corridor,
        "from": seg.from_node,
        "from_name": name(seg.from_node),
        "to": seg.to_node,
        "to_name": name(seg.to_node),
        "mode": seg.mode,
        "status": seg.status,
        **status_fields(seg),
        "closures": [closure_record(c) for c in seg.closures],
        "gauge_mm": seg.gauge_mm,
        "gauge_change_mm": list(seg.gauge_change) if seg.gauge_change else None,
        "gauge": gauge_text(seg),
        "accuracy": seg.accuracy,
        "via": list(seg.via),
        "agreed": seg.agreed,
        "opened": seg.opened,
        "length_km": round(line_length_km(seg.line), 1),
        "published_lengths": _lengths(seg.published_lengths),
        "sources": list(seg.sources),
        "note": seg.note,
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
    published = published_summary(c.published_lengths)
    return {
        "id": c.id,
        "name": c.name,
        "aliases": list(c.aliases),
        "mode": c.mode,
        "status": c.status,
        **status_fields(c),
        "data_updated": atlas.updated,
        "role": c.role,
        "description": c.description,
        "agreed": c.agreed,
        "opened": c.opened,
        "countries": main["countries"],
        "km_by_country": main["km_by_country"],
        "km_by_status": main["km_by_status"],
        "length_km": main["length_km"],
        "published_length_km": published["km"],
        "published_length_range_km": published["range_km"],
        "published_length_sources": published["sources"],
        "published_lengths": _lengths(c.published_lengths),
        "sources": list(c.sources),
        "segments": main["segments"],
        "alternatives": [
            {
                "id": a.id,
                "name": a.name,
                "description": a.description,
                **{k: v for k, v in route_summary(atlas, a.id).items()},
            }
            for a in c.alternatives
        ],
    }


def atlas_info(atlas: Atlas) -> list[dict]:
    return [corridor_info(atlas, cid) for cid in atlas.corridors]


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def month_day_text(value: str) -> str:
    """'12-01' -> '1 Dec'."""
    return f"{int(value[3:])} {_MONTHS[int(value[:2]) - 1]}"


def closure_text(start: str, end: str) -> str:
    """'closed every year from 1 Dec, open again from 1 Apr'."""
    return f"closed every year from {month_day_text(start)}, open again from {month_day_text(end)}"


def history_text(events: list[dict]) -> str:
    """'2007-10-16 agreed; 2009 construction started; 2027 opened (announced)'."""
    return "; ".join(
        f"{e['date']} {e['kind'].replace('_', ' ')}" + (" (announced)" if e.get("announced") else "") for e in events
    )


def format_info(records: list[dict], updated: str | None = None) -> str:
    """Human-readable text of `atlas_info`, headed by the data's date (atlas.yaml) when known."""
    out = [f"Data as of {updated}", ""] if updated else []
    for r in records:
        rng = r["published_length_range_km"]
        whole = (
            (f"{rng[0]:,g} km" if rng[0] == rng[1] else f"{rng[0]:,g}–{rng[1]:,g} km")
            if rng
            else "no published figure for the whole route as drawn"
        )
        parts = "; ".join(
            f"{p['km']:,g} km {p['scope'] or p['covers']} ({p['source']})"
            for p in r["published_lengths"]
            if p["covers"] != "route"
        )
        role = " (connecting leg)" if r["role"] == "connecting" else ""
        out.append(f"{r['name']} [{r['id']}]{role} — {r['mode']}, {r['status'].replace('_', ' ')} as of {r['as_of']}")
        out.append(
            f"  status source: {r['status_source']}" + (f" ({r['status_note']})" if r.get("status_note") else "")
        )
        if r["events"]:
            out.append(f"  history: {history_text(r['events'])}")
        if r["aliases"]:
            out.append(f"  also: {', '.join(r['aliases'])}")
        out.append(f"  countries: {' → '.join(r['countries']) or '?'}")
        out.append(f"  drawn length: {r['length_km']:g} km")
        out.append(f"  published, whole route: {whole}")
        if parts:
            out.append(f"  published, parts and other measures: {parts}")
        km_status = ", ".join(f"{k.replace('_', ' ')} {v:,.0f} km" for k, v in r["km_by_status"].items())
        out.append(f"  drawn km by status: {km_status}")
        for s in r["segments"]:
            gauge = f", {s['gauge']}" if s["gauge"] else ""
            out.append(
                f"    {s['from_name']} – {s['to_name']}: {s['length_km']:g} km, {s['mode']}, "
                f"{s['status'].replace('_', ' ')} as of {s['as_of']}{gauge}, {s['accuracy']}"
            )
            for c in s["closures"]:
                out.append(f"      {closure_text(c['from'], c['to'])} ({c['source']})")
        for a in r["alternatives"]:
            out.append(f"  alternative {a['name']} [{a['id']}]: {a['length_km']:g} km, {' → '.join(a['countries'])}")
        out.append("")
    return "\n".join(out)
