"""Checks that span files: references between them, and data that contradicts the country polygons."""

from __future__ import annotations

from shapely.geometry import Point

from corridors.data.dates import date_bounds
from corridors.data.geodesic import distance_km, distance_to_polygon_km
from corridors.errors import Problem
from corridors.settings import NODE_COUNTRY_SLACK_KM

# A line must start/end this close (km) to its end nodes.
ENDPOINT_SLACK_KM = 1.0


def check_nodes_in_countries(atlas, label: str) -> list[Problem]:
    problems = []
    shapes = atlas.country_shapes
    if not shapes:
        return problems
    for node in atlas.nodes.values():
        where = f"node {node.id!r}"
        polygon = shapes.get(node.country)
        if polygon is None and node.country in atlas.declared_countries:
            continue  # the country's own problem is reported
        if polygon is None:
            problems.append(Problem(label, where, f"country {node.country!r} is not in countries.geojson"))
            continue
        off = distance_to_polygon_km(node.point, polygon)
        if off <= NODE_COUNTRY_SLACK_KM:
            continue
        hint = ""
        swapped = Point(node.lat, node.lon)
        if -90 <= node.lon <= 90 and polygon.covers(swapped):
            hint = "; latitude and longitude look swapped"
        problems.append(
            Problem(
                label,
                where,
                f"lies {off:.0f} km outside its country {node.country} (at lon {node.lon}, lat {node.lat}){hint}",
            )
        )
    return problems


def check_segments(atlas) -> list[Problem]:
    problems = []
    for seg in atlas.segments.values():
        label, where = atlas.segment_files[seg.id], f"segment {seg.id!r}"
        if len(seg.line.coords) == 2 and seg.accuracy != "schematic":
            problems.append(
                Problem(
                    label,
                    where,
                    f"line runs straight from end to end but accuracy is "
                    f"{seg.accuracy!r}: mark it 'schematic' or add the places it passes",
                )
            )
        ends = {"from": (seg.from_node, seg.line.coords[0]), "to": (seg.to_node, seg.line.coords[-1])}
        for key, (node_id, coord) in ends.items():
            node = atlas.nodes.get(node_id)
            if node is None and (node_id in atlas.declared_nodes or not atlas.nodes_readable):
                continue
            if node is None:
                problems.append(Problem(label, where, f"'{key}' names unknown node {node_id!r}"))
                continue
            gap = distance_km(node.point, Point(coord))
            if gap > ENDPOINT_SLACK_KM:
                side = "starts" if key == "from" else "ends"
                problems.append(Problem(label, where, f"line {side} {gap:.1f} km from its '{key}' node {node_id!r}"))
    return problems


def check_corridors(atlas, label: str) -> list[Problem]:
    problems = []
    routed = {s for _, ids in atlas.route_index.values() for s in ids}
    for seg_id, file_label in atlas.segment_files.items():
        refused = (
            atlas.segments[seg_id].corridor in atlas.declared_corridors
            and atlas.segments[seg_id].corridor not in atlas.corridors
        )  # its corridor has problems of its own
        if seg_id not in routed and not refused and atlas.corridors_readable:
            problems.append(
                Problem(
                    file_label,
                    f"segment {seg_id!r}",
                    "is in no corridor's segments or alternatives, so it is never drawn",
                )
            )
    for corridor in atlas.corridors.values():
        where = f"corridor {corridor.id!r}"
        for alt_where, seg_ids in [(where, corridor.segments)] + [
            (f"{where} alternative {a.id!r}", a.segments) for a in corridor.alternatives
        ]:
            for seg_id in seg_ids if atlas.segments_readable else ():
                if seg_id not in atlas.declared_segments:
                    problems.append(Problem(label, alt_where, f"unknown segment {seg_id!r}"))
    return problems


def check_excerpt(atlas, label: str, where: str, ex) -> list[Problem]:
    """Check a stored excerpt against its article and the ids it links to."""
    problems = []
    known = {
        "corridor": atlas.all_corridor_ids | set(atlas.declared_corridors),
        "node": atlas.declared_nodes,
        "organisation": atlas.organisations,
    }
    for link in ex.links:
        if link.kind == "corridor" and not atlas.corridors_readable:
            continue
        if link.target not in known[link.kind]:
            problems.append(Problem(label, where, f"links unknown {link.kind} {link.target!r}"))
    article = atlas.articles.get(ex.article)
    if article is None and (ex.article in atlas.declared_articles or not atlas.articles_readable):
        return problems  # the article file (or the articles/ folder) has problems of its own
    if article is None:
        return problems + [Problem(label, where, f"unknown article {ex.article!r}")]
    if ex.paragraph >= len(article.paragraphs):
        return problems + [
            Problem(
                label,
                where,
                f"article {ex.article!r} has no paragraph {ex.paragraph} "
                f"(it has {len(article.paragraphs)}, numbered from 0)",
            )
        ]
    text = article.paragraphs[ex.paragraph]
    if ex.end > len(text):
        return problems + [
            Problem(label, where, f"end {ex.end} is past the end of paragraph {ex.paragraph} ({len(text)} characters)")
        ]
    quote = ex.extra.get("quote")
    if quote is not None and quote != text[ex.start : ex.end]:
        problems.append(
            Problem(
                label,
                where,
                f"quote does not match the paragraph's text at {ex.start}..{ex.end}: "
                f"the text there is {text[ex.start : ex.end][:60]!r}",
            )
        )
    return problems


def check_history(atlas, label: str) -> list[Problem]:
    """Dates against the atlas's `updated` date (atlas.yaml): a status is not confirmed by a source from after
    the data was checked, and an event after it has not happened, so it must be marked announced."""
    updated = atlas.updated
    if updated is None:
        return []
    day = date_bounds(updated)[0]
    problems = []
    records = [(label, f"corridor {c.id!r}", c) for c in atlas.corridors.values()]
    records += [(atlas.segment_files[s.id], f"segment {s.id!r}", s) for s in atlas.segments.values()]
    for file_label, where, record in records:
        if date_bounds(record.as_of)[0] > day:
            problems.append(
                Problem(
                    file_label,
                    where,
                    f"'as_of' {record.as_of} is after the data's updated date {updated} (atlas.yaml)",
                )
            )
        for i, event in enumerate(record.events):
            if not event.announced and date_bounds(event.date)[0] > day:
                problems.append(
                    Problem(
                        file_label,
                        f"{where} event {i}",
                        f"{event.kind} {event.date} is after the data's updated date {updated} (atlas.yaml): "
                        "an event that has not happened is marked 'announced: true'",
                    )
                )
    return problems
