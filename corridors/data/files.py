"""Writing files so that nothing is half-written or lost: temporary files, renames, and rollback."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import yaml


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    write_all_atomically({path: text})


def write_all_atomically(files: dict[Path, str]) -> None:
    """Replace several files together: all are written to temporary files first, then renamed into place.

    If a rename fails, the files already replaced get their old contents back (or are removed if they
    did not exist), so the folder is left as it was. An OSError raised names the file that could not be
    written (its `filename`), not the temporary file beside it.
    """
    temps: list[tuple[Path, Path]] = []
    backups: dict[Path, Path] = {}
    replaced: list[Path] = []
    current: Path | None = None
    try:
        for path, text in files.items():
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps.append((Path(tmp), path))
            os.chmod(tmp, file_mode(path))
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            if path.exists():
                fd, backup = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".bak")
                os.close(fd)
                shutil.copy2(path, backup)
                backups[path] = Path(backup)
        for tmp, path in temps:
            current = path
            os.replace(tmp, path)
            replaced.append(path)
    except BaseException as exc:
        if isinstance(exc, OSError) and current is not None:
            exc.filename = str(current)
        for path in reversed(replaced):
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        raise
    finally:
        for leftover in [tmp for tmp, _ in temps] + list(backups.values()):
            leftover.unlink(missing_ok=True)


class _PlainDumper(yaml.SafeDumper):
    """Writes every value out in full: the readers refuse YAML anchors and aliases (&id001 / *id001)."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump_yaml(data, width: int = 120, sort_keys: bool = False) -> str:
    """YAML as the data files write it: no aliases, keys in their given order (unless sorted), Unicode kept."""
    return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=sort_keys, width=width)


def path_kind(path: Path) -> tuple[str, OSError | None]:
    """What is at `path` without following it into trouble: "file", "folder", "other" (a pipe, a device),
    "missing", or "error" with the OSError (e.g. a folder on the way that may not be entered)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "missing", None
    except NotADirectoryError:
        return "missing", None
    except OSError as exc:
        return "error", exc
    except ValueError:  # a NUL byte in the name
        return "missing", None
    if stat.S_ISREG(info.st_mode):
        return "file", None
    return ("folder" if stat.S_ISDIR(info.st_mode) else "other"), None


def file_mode(path: Path) -> int:
    """The permissions a file written in place of `path` gets: the old file's, else what a new file gets
    under the umask (mkstemp's temporary files are private, 0600, and a server running as another user
    could not read them)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
