"""Read data files as text, JSON or YAML, turning every failure into a Problem instead of a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from corridors.errors import Problem

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: Path, label: str, problems: list[Problem]) -> str | None:
    """Return the file's text decoded as UTF-8 (a BOM is dropped), or None after recording why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(label, "file", f"is {size} bytes, more than the {MAX_FILE_BYTES} allowed"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(label, "file", f"cannot be read ({exc.strerror or exc})"))
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


MAX_NESTING = 100
_OPEN, _CLOSE = frozenset("[{"), frozenset("]}")


def _too_deep(text: str, label: str, problems: list[Problem]) -> bool:
    """Refuse brackets nested deeper than MAX_NESTING before a parser recurses into them (a crash)."""
    depth = 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, i) + 1
                problems.append(Problem(label, f"line {line}", f"nests lists or mappings more than {MAX_NESTING} "
                                        "levels deep"))
                return True
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
    return False


def parse_json(text: str, label: str, problems: list[Problem]) -> Any | None:
    if _too_deep(text, label, problems):
        return None
    try:
        return json.loads(text, parse_constant=lambda name: _bad_constant(name))
    except json.JSONDecodeError as exc:
        problems.append(Problem(label, f"line {exc.lineno} column {exc.colno}", f"malformed JSON: {exc.msg}"))
    except ValueError as exc:
        problems.append(Problem(label, "file", f"malformed JSON: {exc}"))
    return None


def _bad_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_json(path: Path, label: str, problems: list[Problem]) -> Any | None:
    text = read_text(path, label, problems)
    return None if text is None else parse_json(text, label, problems)


# libyaml's safe loader when PyYAML was built with it (it is in the PyPI wheels): ~10x faster.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, label: str, problems: list[Problem]) -> Any | None:
    if _too_deep(text, label, problems):
        return None
    try:
        return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else "file"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(label, where, f"malformed YAML: {reason}"))
    except (ValueError, RecursionError) as exc:  # e.g. a date like 2020-02-30, which YAML turns into a date
        problems.append(Problem(label, "file", f"malformed YAML: {exc}"))
    return None


def read_yaml(path: Path, label: str, problems: list[Problem]) -> Any | None:
    text = read_text(path, label, problems)
    if text is None:
        return None
    return parse_yaml(text, label, problems)
