"""Take the data away: every segment as one feature with its corridor's fields."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .atlas import Atlas
from .report import segment_record

FORMATS = ("geojson",)


def segments_geojson(atlas: Atlas, segment_ids=None) -> dict:
    """A GeoJSON FeatureCollection (WGS84) of the segments (all, or those in `segment_ids`) with their
    corridor's id and name."""
    features = []
    for seg in atlas.segments.values():
        if segment_ids is not None and seg.id not in segment_ids:
            continue
        corridor = atlas.corridors.get(seg.corridor)
        props = {"corridor_id": seg.corridor, "corridor_name": corridor.name if corridor else "",
                 "segment_id": seg.id, **segment_record(atlas, seg)}
        props.pop("id")
        props.pop("corridor")
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "LineString", "coordinates": [list(c) for c in seg.line.coords]}})
    return {"type": "FeatureCollection", "features": features}


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    write_all_atomically({path: text})


def write_all_atomically(files: dict[Path, str]) -> None:
    """Write every file to a temporary file first; only when all are written, rename them into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)


def export(atlas: Atlas, fmt: str, out: Path) -> int:
    """Write the export; return the number of features written."""
    data = segments_geojson(atlas)
    write_atomically(out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return len(data["features"])
