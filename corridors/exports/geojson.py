"""Take the data away: every segment as one feature with its corridor's fields."""

from __future__ import annotations

import json
from pathlib import Path

from corridors.data.atlas import Atlas
from corridors.data.files import write_atomically
from corridors.summaries import segment_record

FORMATS = ("geojson",)


def segments_geojson(atlas: Atlas, segment_ids=None) -> dict:
    """A GeoJSON FeatureCollection (WGS84) of the segments (all, or those in `segment_ids`) with their
    corridor's id and name."""
    features = []
    for seg in atlas.segments.values():
        if segment_ids is not None and seg.id not in segment_ids:
            continue
        corridor = atlas.corridors.get(seg.corridor)
        props = {
            "corridor_id": seg.corridor,
            "corridor_name": corridor.name if corridor else "",
            "segment_id": seg.id,
            **segment_record(atlas, seg).to_json(),
        }
        props.pop("id")
        props.pop("corridor")
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in seg.line.coords]},
            }
        )
    return {"type": "FeatureCollection", "data_updated": atlas.updated, "features": features}


def export(atlas: Atlas, fmt: str, out: Path) -> int:
    """Write the export; return the number of features written."""
    data = segments_geojson(atlas)
    write_atomically(out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return len(data["features"])
