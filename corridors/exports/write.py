"""`python -m corridors export --format png|html`: the exports written to files, never over existing ones
unless forced, each file written whole (temporary file, then renamed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from corridors.data.atlas import Atlas
from corridors.data.files import file_mode, path_kind
from corridors.errors import CorridorsError, Problem, os_problem, os_reason
from corridors.maps.mapdata import MapData

FORMATS = ("png", "html")


def out_kind(out: Path) -> str:
    """What is at an output path: "file", "folder", "other" or "missing"; a CorridorsError naming the path
    when it cannot even be looked at (a folder on the way this user may not enter)."""
    kind, error = path_kind(out)
    if error is not None:
        raise CorridorsError(os_problem(out, "cannot be written", error))
    if kind == "missing" and out.parent != out:
        parent, error = path_kind(out.parent if str(out.parent) else Path("."))
        if error is not None:
            raise CorridorsError(os_problem(out, "cannot be written", error))
        if parent not in ("folder", "missing"):
            raise CorridorsError(Problem(str(out), "file", f"cannot be written ({out.parent} is not a folder)"))
    return kind


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, file_mode(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_problem(out: Path, exc: OSError, targets: list[Path]) -> Problem:
    """The problem line for a failed write: the target named (not the temporary `.name.xyz.tmp` beside it),
    or the folder that could not be made on the way to it."""
    failed = Path(exc.filename) if exc.filename else out
    for target in targets:
        if failed == target or (failed.parent == target.parent and failed.name.startswith(f".{target.name}.")):
            return os_problem(target, "cannot be written", exc)
    return Problem(str(out), "file", f"cannot be written (the folder {failed} cannot be made: {os_reason(exc)})")


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
    kind = out_kind(out)
    if fmt == "png":
        if kind not in ("folder", "missing"):
            raise CorridorsError(
                Problem(str(out), "folder", "is a file; a PNG export writes one file per stop into a folder")
            )
        targets = [out / name for name in png_names(atlas, briefing_id)]
        if kind == "folder" and not os.access(out, os.W_OK | os.X_OK):
            raise CorridorsError(Problem(str(out), "folder", "cannot be written (permission denied)"))
    else:
        if kind == "folder":
            raise CorridorsError(Problem(str(out), "file", "is a folder, not a file"))
        targets = [out]
    existing = [t for t in targets if out_kind(t) != "missing"]
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
    except OSError as exc:  # the file that failed (a stop's PNG in the folder), or the HTML file
        raise CorridorsError(_write_problem(out, exc, targets)) from None
    return targets
