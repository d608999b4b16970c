"""`python -m corridors export --format png|html`: the exports written to files, never over existing ones
unless forced, each file written whole (temporary file, then renamed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from corridors.data.atlas import Atlas
from corridors.errors import CorridorsError, Problem
from corridors.maps.mapdata import MapData

FORMATS = ("png", "html")


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def png_names(atlas: Atlas, briefing_id: str | None) -> list[str]:
    """The files a PNG export writes: `<briefing>-01.png`... per stop, or `atlas.png`."""
    if briefing_id is None:
        return ["atlas.png"]
    return [f"{briefing_id}-{i + 1:02d}.png" for i in range(len(atlas.briefings[briefing_id].stops))]


def _briefing(atlas: Atlas, briefing_id: str | None):
    if briefing_id is None:
        return None
    if briefing_id not in atlas.briefings:
        known = ", ".join(sorted(atlas.briefings)) or "none"
        raise CorridorsError(
            Problem(
                str(atlas.data_dir / "briefings"),
                f"briefing {briefing_id!r}",
                f"not found (or it has problems; `validate` lists them); known: {known}",
            )
        )
    return atlas.briefings[briefing_id]


def export_files(atlas: Atlas, fmt: str, out: Path, briefing_id: str | None = None, force: bool = False) -> list[Path]:
    """Write a PNG per stop into folder `out` (or atlas.png), or one HTML file `out`; return the paths written.

    Nothing is written when any target exists and `force` is false."""
    from corridors.exports import htmlfile, png

    briefing = _briefing(atlas, briefing_id)
    if fmt == "png":
        if out.exists() and not out.is_dir():
            raise CorridorsError(
                Problem(str(out), "folder", "is a file; a PNG export writes one file per stop into a folder")
            )
        targets = [out / name for name in png_names(atlas, briefing_id)]
    else:
        if out.is_dir():
            raise CorridorsError(Problem(str(out), "file", "is a folder, not a file"))
        targets = [out]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise CorridorsError([Problem(str(t), "file", "already exists; pass --force to replace it") for t in existing])
    data = MapData(atlas)
    try:
        if fmt == "html":
            content = htmlfile.briefing_html(atlas, briefing, data) if briefing else htmlfile.atlas_html(atlas, data)
            write_bytes_atomically(out, content)
        else:
            for i, target in enumerate(targets):
                write_bytes_atomically(target, png.png_bytes(atlas, briefing, i, data))
    except OSError as exc:
        raise CorridorsError(Problem(str(out), "file", f"cannot be written ({exc.strerror or exc})")) from None
    return targets
