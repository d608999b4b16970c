"""geodata/spellings.yaml: extra spellings of places, corridors and organisations, used only for linking.

The file is a list of entries, each one spelling and what it names:

    - spelling: Khorgos                     # required, a non-empty string
      nodes: [khorgos-chn, altynkol]        # at least one of nodes, corridors, organisations (lists of ids)
      source: corridor-facts.md §5          # required: where the spelling is seen
      note: the crossing as a whole         # optional

A spelling naming several things (plain "Khorgos", said of both sides of the border) links all of them.
Every problem is reported as `file: where: what` and the entry is skipped; nothing else is affected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corridors.data.readers import read_yaml
from corridors.errors import Problem

KEYS = ("spelling", "nodes", "corridors", "organisations", "source", "note")
TARGET_KEYS = (("nodes", "node"), ("corridors", "corridor"), ("organisations", "organisation"))


@dataclass(frozen=True)
class Spelling:
    spelling: str
    targets: tuple[tuple[str, str], ...]  # (kind, id): kind is "node", "corridor" or "organisation"
    source: str
    note: str = ""


def _norm(text: str) -> tuple[str, ...]:
    from corridors.text.linking import tokens  # the linker's own notion of "the same words"

    return tuple(t.norm for t in tokens(text))


def _known(atlas) -> dict[str, dict[str, set[tuple[str, ...]]]]:
    """kind -> id -> the spellings (as normalised words) it already has in its own file."""
    out: dict[str, dict[str, set[tuple[str, ...]]]] = {"node": {}, "corridor": {}, "organisation": {}}
    for n in atlas.nodes.values():
        out["node"][n.id] = {_norm(x) for x in (n.name, *n.aliases)}
    for c in atlas.corridors.values():
        out["corridor"][c.id] = {_norm(x) for x in (c.name, *c.aliases)}
        out["corridor"].update({a.id: {_norm(a.name)} for a in c.alternatives})
    for o in atlas.organisations.values():
        out["organisation"][o.id] = {_norm(x) for x in (o.name, *o.aliases)}
    for ident in getattr(atlas, "declared_nodes", {}):  # declared but dropped for a problem: not "unknown"
        out["node"].setdefault(ident, set())
    return out


def load_spellings(atlas, path: Path, label: str) -> list[Spelling]:
    """Read and check spellings.yaml against the atlas's ids; problems go to `atlas.problems`."""
    problems: list[Problem] = atlas.problems
    data = read_yaml(path, label, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(label, "file", f"must be a list of spellings, not {type(data).__name__}"))
        return []
    known = _known(atlas)
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for i, item in enumerate(data):
        where = f"spelling {i}"
        if not isinstance(item, dict):
            problems.append(Problem(label, where, "must be a mapping with spelling, source and nodes/corridors/"
                                    "organisations"))
            continue
        text = item.get("spelling")
        if isinstance(text, str) and text.strip():
            where = f"spelling {i} ({text.strip()!r})"
        bad = len(problems)
        for key in item:
            if key not in KEYS:
                problems.append(Problem(label, where, f"unknown key {key!r}; expected one of {', '.join(KEYS)}"))
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(label, where, "'spelling' must be a non-empty string"))
        elif not _norm(text):
            problems.append(Problem(label, where, f"'spelling' {text!r} has no letters or digits"))
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            problems.append(Problem(label, where, "'source' must be a non-empty string saying where the spelling "
                                    "is seen"))
        note = item.get("note", "")
        if not isinstance(note, str):
            problems.append(Problem(label, where, "'note' must be a string"))
        targets = []
        for key, kind in TARGET_KEYS:
            ids = item.get(key, [])
            if not isinstance(ids, list) or not all(isinstance(x, str) for x in ids):
                problems.append(Problem(label, where, f"'{key}' must be a list of {kind} ids"))
                continue
            for ident in ids:
                if ident not in known[kind]:
                    problems.append(Problem(label, where, f"unknown {kind} {ident!r}"))
                elif (kind, ident) in targets:
                    problems.append(Problem(label, where, f"{kind} {ident!r} is listed twice"))
                elif isinstance(text, str) and _norm(text) in known[kind][ident]:
                    problems.append(Problem(label, where, f"{text!r} is already a name or alias of {kind} {ident!r}"))
                else:
                    targets.append((kind, ident))
        if not any(item.get(key) for key, _ in TARGET_KEYS):
            problems.append(Problem(label, where, "names nothing: give at least one of nodes, corridors, "
                                    "organisations"))
        if isinstance(text, str) and _norm(text):
            first = seen.setdefault(_norm(text), i)
            if first != i:
                problems.append(Problem(label, where, f"duplicate of spelling {first} (same words once case, "
                                        "hyphens and punctuation are ignored); put all its targets in one entry"))
        if len(problems) == bad:
            out.append(Spelling(text.strip(), tuple(targets), source.strip(), note))
    return out
