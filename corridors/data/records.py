"""Typed records to plain JSON values, at the edges only (`--json`, exports).

A record is a frozen dataclass; its JSON object has one key per field, in field order, and a field named
with a trailing underscore (`from_`, a Python keyword) is the key without it (`"from"`). Tuples become
lists, nested records objects; every other value is already plain.
"""

from __future__ import annotations

import dataclasses
from typing import Any


def plain(value: Any) -> Any:
    """`value` with every record, tuple and mapping inside it turned into JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name.removesuffix("_"): plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
