"""The one error type users see: a problem with a place in a file."""

from __future__ import annotations

import errno
from dataclasses import dataclass

from corridors.safe import one_line


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a data folder: which file, where in it, what is wrong."""

    file: str
    where: str
    what: str

    def __str__(self) -> str:
        """One line whatever the fields hold: a file may be named `evil\\nname.yaml`, and its controls and
        line breaks are shown escaped (the fields themselves keep the real name)."""
        return f"{one_line(self.file)}: {one_line(self.where)}: {one_line(self.what)}"


class CorridorsError(Exception):
    """An error meant for the user: carries the problems, printed one per line."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# Why an operating-system call on a path failed, in words (strerror's wording, lower-cased, for the rest).
_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "it does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "too many symbolic links",
    errno.EIO: "input/output error",
    errno.EMFILE: "too many open files",
    errno.EEXIST: "something else is already there",
}


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in words: 'permission denied', 'the disk is full', 'a part of the path is
    not a folder'…"""
    return _REASONS.get(exc.errno) or (exc.strerror or str(exc) or type(exc).__name__).lower()


def os_problem(path: object, what: str, exc: OSError, where: str = "") -> Problem:
    """One problem line for a failed operation on a path the user gave: the path, what could not be done,
    why. `what` reads after the path: 'file: cannot be read (permission denied)'."""
    return Problem(str(path), where or "file", f"{what} ({os_reason(exc)})")
