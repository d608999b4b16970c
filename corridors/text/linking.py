"""Automatic linking: find corridors, places and organisations named in article text.

Names and aliases are matched as token sequences, so case, punctuation, hyphens and possessives do not
matter ("Pakistan’s", "Mazar-e-Sharif", "(CPEC)"); short all-capital acronyms (ECO, SCO, KKH) must be
written in capitals, so ordinary words are not mistaken for them. Every sentence that mentions something
becomes an excerpt linked to it. Curated excerpts (links.yaml) add links matching misses and suppress
those it gets wrong.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from corridors.data.model import Article, Excerpt, Link

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHES = "'’ʼ"
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "gen", "col", "lt", "sgt", "prof", "vs", "etc", "inc", "ltd",
                  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e",
                  "u.s", "u.k", "u.n", "approx"}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Term:
    """One name to look for: its normalised tokens, what it names, and whether case matters."""

    tokens: tuple[str, ...]
    kind: str  # "corridor", "node", "organisation"
    target: str
    label: str
    case_sensitive: bool


@dataclass(frozen=True)
class Mention:
    paragraph: int
    start: int
    end: int
    kind: str
    target: str


@dataclass(frozen=True)
class _Token:
    norm: str
    raw: str
    start: int
    end: int


def tokens(text: str) -> list[_Token]:
    """Words of `text` with their offsets; a possessive 's after an apostrophe is dropped."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        if word.lower() == "s" and m.start() > 0 and text[m.start() - 1] in _APOSTROPHES and out:
            continue
        out.append(_Token(word.lower(), word, m.start(), m.end()))
    return out


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in name.strip()


def make_linker(atlas) -> "Linker":
    """A linker for the atlas's names, knowing which places lie on which corridor."""
    places = {cid: {n for s in atlas.corridor_segments(cid) for n in (s.from_node, s.to_node)}
              for cid in atlas.corridors}
    return Linker(make_terms(atlas), places)


def make_terms(atlas) -> list[Term]:
    """The lexicon: every corridor (and alternative), node and organisation name and alias."""
    entries: list[tuple[str, str, str]] = []
    for c in atlas.corridors.values():
        entries += [("corridor", c.id, n) for n in (c.name, *c.aliases)]
        entries += [("corridor", c.id, a.name) for a in c.alternatives]
    for n in atlas.nodes.values():
        entries += [("node", n.id, name) for name in (n.name, *n.aliases)]
    for o in atlas.organisations.values():
        entries += [("organisation", o.id, name) for name in (o.name, *o.aliases)]
    terms = {}
    for kind, target, name in entries:
        toks = tuple(t.norm for t in tokens(name))
        if toks:
            terms[(toks, kind, target)] = Term(toks, kind, target, name, _is_acronym(name))
    return list(terms.values())


class Linker:
    """Finds mentions with longest-match-first over token sequences.

    `corridor_places` (corridor id -> node ids on its routes) lets a sentence that names two places of
    the same corridor ("from Termez to Mazar-i-Sharif") link that corridor too.
    """

    def __init__(self, terms: list[Term], corridor_places: dict[str, set[str]] | None = None):
        self.corridor_places = corridor_places or {}
        self._by_first: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            self._by_first[term.tokens[0]].append(term)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda t: -len(t.tokens))

    def mentions(self, text: str, paragraph: int = 0) -> list[Mention]:
        toks = tokens(text)
        out, i = [], 0
        while i < len(toks):
            best, found = 0, []
            for term in self._by_first.get(toks[i].norm, ()):
                n = len(term.tokens)
                if n < best:
                    break
                window = toks[i : i + n]
                if len(window) == n and all(w.norm == t for w, t in zip(window, term.tokens)) and (
                    not term.case_sensitive or all(w.raw == w.raw.upper() for w in window)
                ):
                    best = n
                    found.append(term)
            if found:
                start, end = toks[i].start, toks[i + best - 1].end
                out += [Mention(paragraph, start, end, t.kind, t.target) for t in found]
                i += best
            else:
                i += 1
        return list(dict.fromkeys(out))


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; does not split after common abbreviations or initials."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(paragraph) and paragraph[start].isspace():
            start += 1
    if start < len(paragraph.rstrip()):
        spans.append((start, len(paragraph.rstrip())))
    return spans


def link_target(atlas, kind: str, target: str) -> str:
    """What a link points at: an alternative alignment links to its corridor."""
    return atlas.corridor_of(target).id if kind == "corridor" else target


def automatic_excerpts(atlas, article: Article, linker: Linker) -> tuple[list[Excerpt], list[Mention]]:
    """One excerpt per sentence that mentions something, and every mention (for highlighting)."""
    excerpts, all_mentions = [], []
    for p, text in enumerate(article.paragraphs):
        found = linker.mentions(text, p)
        all_mentions += found
        for start, end in sentence_spans(text):
            inside = [m for m in found if start <= m.start and m.end <= end]
            if inside:
                links = [Link(m.kind, link_target(atlas, m.kind, m.target), "automatic") for m in inside]
                places = {m.target for m in inside if m.kind == "node"}
                links += [Link("corridor", cid, "automatic") for cid, on_route in linker.corridor_places.items()
                          if len(places & on_route) >= 2]
                links = tuple(dict.fromkeys(links))
                excerpts.append(Excerpt(article.id, p, start, end, links=links))
    return excerpts, all_mentions


def merge_excerpts(automatic: list[Excerpt], curated: list[Excerpt]) -> list[Excerpt]:
    """Automatic and curated excerpts of the same span become one; curated links win, suppressions remove.

    A curated link marked `suppressed` removes that automatic link from every excerpt it overlaps.
    """
    spans: dict[tuple, dict[tuple[str, str], Link]] = {}
    for ex in automatic:
        spans.setdefault(ex.span, {}).update({(link.kind, link.target): link for link in ex.links})
    suppressions = [(ex, link) for ex in curated for link in ex.links if link.origin == "suppressed"]
    for ex in curated:
        bucket = spans.setdefault(ex.span, {})
        bucket.update({(link.kind, link.target): link for link in ex.links if link.origin == "curated"})
    for sup, link in suppressions:
        for span, bucket in spans.items():
            if span[:2] == sup.span[:2] and span[2] < sup.end and sup.start < span[3]:
                if bucket.get((link.kind, link.target), link).origin == "automatic":
                    bucket.pop((link.kind, link.target), None)
    return [Excerpt(*span, links=tuple(bucket.values())) for span, bucket in sorted(spans.items()) if bucket]
