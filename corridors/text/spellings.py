"""geodata/spellings.yaml: extra spellings of places, corridors and organisations, used only for linking.

The file is a list of entries, each one spelling and what it names:

    - spelling: Khorgos                     # required, a non-empty string
      nodes: [khorgos-chn, altynkol]        # at least one of nodes, corridors, organisations (lists of ids)
      source: corridor-facts.md §5          # required: where the spelling is seen
      note: the crossing as a whole         # optional

A spelling naming several things (plain "Khorgos", said of both sides of the border) links all of them.
The shape is checked by the strict schema (unknown keys, wrong types, ids that are not slugs, an id listed
twice); this module then checks the ids against the atlas and the spellings against each other. Every
problem is reported as `file: where: what` and its entry skipped; nothing else is affected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, model_validator

from corridors.data.loading import list_entries
from corridors.data.schema import Slug, StrictModel, Text, unique_items
from corridors.errors import Problem

TARGET_KEYS = (("nodes", "node"), ("corridors", "corridor"), ("organisations", "organisation"))
Ids = Annotated[list[Slug], AfterValidator(unique_items)]


class SpellingIn(StrictModel):
    spelling: Text
    source: Text
    nodes: Ids = []
    corridors: Ids = []
    organisations: Ids = []
    note: str = ""

    @model_validator(mode="after")
    def _names_something(self):
        if not (self.nodes or self.corridors or self.organisations):
            raise ValueError("names nothing: give at least one of nodes, corridors, organisations")
        return self


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
    known = _known(atlas)
    seen: dict[tuple[str, ...], str] = {}
    out = []
    for _, where, s, _item in list_entries(
        path, label, "spelling", "spellings", SpellingIn, problems, allow_empty=True
    ):
        if s is None:
            continue
        words = _norm(s.spelling)
        where = f"{where} ({s.spelling!r})"
        bad = len(problems)
        if not words:
            problems.append(Problem(label, where, "has no letters or digits"))
        targets = []
        for key, kind in TARGET_KEYS:
            for ident in getattr(s, key):
                if ident not in known[kind]:
                    problems.append(Problem(label, where, f"unknown {kind} {ident!r}"))
                elif words in known[kind][ident]:
                    problems.append(
                        Problem(label, where, f"{s.spelling!r} is already a name or alias of {kind} {ident!r}")
                    )
                else:
                    targets.append((kind, ident))
        if words and seen.setdefault(words, where) != where:
            problems.append(
                Problem(
                    label,
                    where,
                    f"the same words as {seen[words]} (case, hyphens and "
                    "punctuation are ignored); put all its targets in one entry",
                )
            )
        if len(problems) == bad:
            out.append(Spelling(s.spelling.strip(), tuple(targets), s.source, s.note))
    return out
