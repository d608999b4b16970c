"""Read data files as text, JSON or YAML, turning every failure into a Problem instead of a traceback.

Nothing here can crash or hang on a hostile file: only regular files are opened (a named pipe would
block), sizes are capped before reading, and YAML is built from libyaml's event stream with an explicit
stack, so no parser recursion can overflow however deeply a file nests. Mappings remember the line of
every value (for `file: line N: what` messages) and a duplicate key is a problem, not a silent overwrite.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from corridors.errors import Problem, os_problem

MAX_FILE_BYTES = 50 * 1024 * 1024  # the default cap; callers pass smaller ones for their kind of file
MAX_NESTING = 100
MB = 1024 * 1024


def _size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size:,} bytes"


def read_text(
    path: Path, label: str, problems: list[Problem], max_bytes: int = MAX_FILE_BYTES, why: str = ""
) -> str | None:
    """Return the file's text decoded as UTF-8 (a BOM is dropped), or None after recording why not.

    A path that is not a regular file (a folder, a named pipe, a device) is refused without opening it;
    a file over `max_bytes` is refused without reading it (`why` says what the limit is for).
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        problems.append(os_problem(label, "cannot be read", exc))
        return None
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a folder"
            if stat.S_ISDIR(info.st_mode)
            else "a named pipe"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device or other special file"
        )
        problems.append(Problem(label, "file", f"is {kind}, not a regular file"))
        return None
    if info.st_size > max_bytes:
        problems.append(
            Problem(label, "file", f"is {_size_text(info.st_size)}, more than the {_size_text(max_bytes)} allowed{why}")
        )
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        problems.append(os_problem(label, "cannot be read", exc))
        return None
    if len(data) > max_bytes:
        problems.append(Problem(label, "file", f"is more than the {_size_text(max_bytes)} allowed{why}"))
        return None
    return decode_text(data, label, problems)


def decode_text(data: bytes, label: str, problems: list[Problem]) -> str | None:
    """Decode bytes as UTF-8, recording a problem that names the first bad byte's line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(label, f"line {line}", f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})")
        )
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(label, f"line {line}", "contains a NUL byte: binary data, not text"))
        return None
    return text


def _too_deep(text: str, label: str, problems: list[Problem]) -> bool:
    """Refuse JSON brackets nested deeper than MAX_NESTING before the parser recurses into them (a crash).

    Counted over the raw bytes with numpy (brackets inside strings count too, which only over-counts)."""
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    steps = np.zeros(raw.shape, dtype=np.int32)
    steps[(raw == 91) | (raw == 123)] = 1  # [ {
    steps[(raw == 93) | (raw == 125)] = -1  # ] }
    depth = np.cumsum(steps)
    if depth.size == 0 or depth.max() <= MAX_NESTING:
        return False
    at = int(np.argmax(depth > MAX_NESTING))
    line = int(np.count_nonzero(raw[:at] == 10)) + 1
    problems.append(Problem(label, f"line {line}", f"nests lists or mappings more than {MAX_NESTING} levels deep"))
    return True


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def parse_json(text: str, label: str, problems: list[Problem]) -> Any | None:
    if _too_deep(text, label, problems):
        return None
    try:
        return json.loads(text, parse_constant=_bad_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        problems.append(Problem(label, f"line {exc.lineno} column {exc.colno}", f"malformed JSON: {exc.msg}"))
    except _DuplicateKey as exc:
        problems.append(Problem(label, _json_key_line(text, str(exc)), f"duplicate key {str(exc)!r} in one object"))
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(label, "file", f"malformed JSON: {exc}"))
    return None


def _json_key_line(text: str, key: str) -> str:
    """The line of a key's second appearance (a good guess at the duplicate's place)."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return f"line {text.count(chr(10), 0, second) + 1}" if second >= 0 else "file"


def _bad_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


# ---- YAML -------------------------------------------------------------------------------------------

# libyaml's parser when PyYAML was built with it (it is in the PyPI wheels): ~10x faster.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = Resolver()
_CONSTRUCT = SafeConstructor()
_Y = "tag:yaml.org,2002:"


@dataclass
class Located:
    """A parsed YAML document and the 1-based line of every value in it, by path (keys and list indexes)."""

    value: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, path: tuple) -> int | None:
        """The line of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


class _Refused(Exception):
    def __init__(self, line: int, what: str):
        super().__init__(what)
        self.line, self.what = line, what


# The tag a plain or quoted scalar resolves to, by its text: keys and short values repeat throughout a file,
# and resolving is pure (the same regular expressions for the same text). Bounded, for short texts only.
_RESOLVED: dict[tuple, str] = {}
_RESOLVED_MAX, _RESOLVED_LEN = 100_000, 64
_TEXT_TAGS = (_Y + "str", _Y + "timestamp")


def _scalar(event) -> Any:
    """The value of a scalar as YAML 1.1's safe schema reads it, except that timestamps stay text: a date
    field checks its own text, so '2020-02-30' is reported as a bad date instead of stopping the file."""
    tag = event.tag
    if tag is None or tag == "!":
        value = event.value
        memo = (value, event.implicit) if len(value) <= _RESOLVED_LEN else None
        tag = _RESOLVED.get(memo) if memo else None
        if tag is None:
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
            if memo and len(_RESOLVED) < _RESOLVED_MAX:
                _RESOLVED[memo] = tag
    if tag in _TEXT_TAGS:
        return event.value
    if tag == _Y + "null":
        return None
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    if tag == _Y + "bool":
        return _CONSTRUCT.construct_yaml_bool(node)
    if tag == _Y + "int":
        return _CONSTRUCT.construct_yaml_int(node)
    if tag == _Y + "float":
        return _CONSTRUCT.construct_yaml_float(node)
    raise _Refused(event.start_mark.line + 1, f"uses the YAML tag {tag!r}, which data files do not allow")


def _compose(loader) -> Located:
    """Build the document from parser events with an explicit stack (no recursion)."""
    located = Located(None)
    # Each frame: [container, path, pending key (mappings), key lines (mappings)]
    stack: list[list] = []
    documents = 0

    def attach(value, line: int) -> None:
        if not stack:
            located.value = value
            located.lines[()] = line
            return
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            located.lines[path + (len(container),)] = line
            container.append(value)
        elif frame[2] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Refused(line, "uses a list or mapping as a mapping key")
            if value in container or value in frame[3]:
                raise _Refused(line, f"duplicate key {value!r} (first on line {frame[3][value]})")
            frame[2] = value
            frame[3][value] = line
        else:
            key = frame[2]
            located.lines[path + (key,)] = line
            container[key] = value
            frame[2] = _NO_KEY

    def child_path() -> tuple:
        if not stack:
            return ()
        frame = stack[-1]
        container = frame[0]
        return frame[1] + ((len(container),) if isinstance(container, list) else (frame[2],))

    while True:
        event = loader.get_event()
        if event is None or isinstance(event, yaml.StreamEndEvent):
            break
        line = event.start_mark.line + 1 if event.start_mark else 0
        if type(event) is yaml.ScalarEvent:  # most events: tested first
            attach(_scalar(event), line)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(line, "holds more than one YAML document ('---'); a data file holds one")
        elif isinstance(event, yaml.AliasEvent):
            raise _Refused(line, f"uses the alias *{event.anchor}; data files do not use YAML anchors and aliases")
        elif isinstance(event, yaml.ScalarEvent):
            attach(_scalar(event), line)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if event.tag not in (None, "!", _Y + "seq", _Y + "map"):
                raise _Refused(line, f"uses the YAML tag {event.tag!r}, which data files do not allow")
            if len(stack) >= MAX_NESTING:
                raise _Refused(line, f"nests lists or mappings more than {MAX_NESTING} levels deep")
            container = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            path = child_path()
            stack.append([container, path, _NO_KEY, {}, line])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            frame = stack.pop()
            attach(frame[0], frame[4])
    return located


_NO_KEY = object()


def parse_yaml_located(text: str, label: str, problems: list[Problem]) -> Located | None:
    """Parse one YAML document into plain values with the line of each; None after recording why not."""
    loader = _PARSER(text)
    try:
        return _compose(loader)
    except _Refused as exc:
        problems.append(Problem(label, f"line {exc.line}", exc.what))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else "file"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(label, where, f"malformed YAML: {reason}"))
    except (ValueError, TypeError, OverflowError) as exc:
        problems.append(Problem(label, "file", f"malformed YAML: {exc}"))
    finally:
        loader.dispose()
    return None


def read_yaml_located(
    path: Path, label: str, problems: list[Problem], max_bytes: int = MAX_FILE_BYTES, why: str = ""
) -> Located | None:
    text = read_text(path, label, problems, max_bytes, why)
    return None if text is None else parse_yaml_located(text, label, problems)


def read_yaml(path: Path, label: str, problems: list[Problem], max_bytes: int = MAX_FILE_BYTES) -> Any | None:
    located = read_yaml_located(path, label, problems, max_bytes)
    return None if located is None else located.value
