"""Automatic linking: find corridors, places and organisations named in article text.

Names and aliases are matched as token sequences, so case, punctuation, hyphens and possessives do not
matter ("Pakistan’s", "Mazar-e-Sharif", "(CPEC)"); short all-capital acronyms (ECO, SCO, KKH) must be
written in capitals, so ordinary words are not mistaken for them. A sentence links a corridor by its name,
by places (a crossing or station of one corridor; two places of one corridor in a sentence about its
mode; a town with the mode), or by a reference ("the line") to the corridor named last; each link says
why in its `reason` (docs/linking.md). Every sentence that links something becomes an
excerpt. Curated excerpts (links.yaml) add links matching misses and suppress those it gets wrong.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from corridors.data.model import Article, Excerpt, Link

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_APOSTROPHES = "'’ʼ"
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "gen",
    "col",
    "lt",
    "sgt",
    "prof",
    "vs",
    "etc",
    "inc",
    "ltd",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "approx",
}
# Only the first mark of a run starts a match, and nothing is given back (possessive quantifiers): a
# megabyte of "!!!!" or ". . ." costs one pass, not one pass per character.
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s++[\"'“‘(\[]?[A-Z0-9])")
_NON_SPACE = re.compile(r"\S+")


@dataclass(frozen=True)
class Term:
    """One name to look for: its normalised tokens, what it names, and whether case matters."""

    tokens: tuple[str, ...]
    kind: str  # "corridor", "node", "organisation"
    target: str
    label: str
    case_sensitive: bool
    role: str = "name"  # "name", "alias" or "spelling" (from spellings.yaml): said in the link's reason


@dataclass(frozen=True)
class Mention:
    paragraph: int
    start: int
    end: int
    kind: str
    target: str
    role: str = field(default="name", compare=False)


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


def _norms(text: str) -> tuple[str, ...]:
    """The normalised words of `text`, as `tokens` gives them (`t.norm`), without making a token for each:
    the lexicon of a large atlas has tens of thousands of names."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if word == "s" and out and m.start() > 0 and text[m.start() - 1] in _APOSTROPHES:
            continue
        out.append(word)
    return tuple(out)


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in name.strip()


def make_linker(atlas) -> Linker:
    """A linker for the atlas's names, knowing which places lie on which corridor, by which mode."""
    places: dict[str, set[str]] = {}
    owners: dict[str, set[str]] = defaultdict(set)  # node -> corridors whose own files hold its segments
    for cid in atlas.corridors:
        places[cid] = set()
        for seg in atlas.corridor_segments(cid):
            places[cid].update((seg.from_node, seg.to_node))
            owners[seg.from_node].add(seg.corridor)
            owners[seg.to_node].add(seg.corridor)
    legs = {c.id for c in atlas.corridors.values() if c.role == "connecting"}
    owners = {n: _prefer_article(o, legs) for n, o in owners.items()}
    return Linker(
        make_terms(atlas),
        places,
        connecting=legs,
        node_kinds={n.id: n.kind for n in atlas.nodes.values()},
        corridor_modes={c.id: c.mode for c in atlas.corridors.values()},
        node_owners={n: o for n, o in owners.items()},
        short_names={c.id: _short_name(c) for c in atlas.corridors.values()},
    )


def _prefer_article(corridors: set[str], connecting: set[str]) -> set[str]:
    """A place on one of the articles' corridors speaks of it, not of a connecting leg that also reaches it
    (Khorgos is the ELB's crossing, though the rail link from Kashgar ends there too)."""
    return (corridors - connecting) or corridors


def _short_name(corridor) -> str:
    """How a reason names a corridor: its first acronym alias (KTI, PAKAFUZ), else its name."""
    return next((a for a in corridor.aliases if " " not in a and a.upper() == a and len(a) <= 8), corridor.name)


def make_terms(atlas) -> list[Term]:
    """The lexicon: every corridor (and alternative), node and organisation name and alias."""
    entries: list[tuple[str, str, str, str]] = []
    for c in atlas.corridors.values():
        entries += [("corridor", c.id, c.name, "name")] + [("corridor", c.id, n, "alias") for n in c.aliases]
        entries += [("corridor", c.id, a.name, "name") for a in c.alternatives]
    for n in atlas.nodes.values():
        entries += [("node", n.id, n.name, "name")] + [("node", n.id, a, "alias") for a in n.aliases]
    for o in atlas.organisations.values():
        entries += [("organisation", o.id, o.name, "name")] + [("organisation", o.id, a, "alias") for a in o.aliases]
    for sp in getattr(atlas, "spellings", ()):
        entries += [(kind, target, sp.spelling, "spelling") for kind, target in sp.targets]
    terms = {}
    for kind, target, name, role in entries:
        toks = _norms(name)
        if toks and (toks, kind, target) not in terms:
            terms[(toks, kind, target)] = Term(toks, kind, target, name, _is_acronym(name), role)
    return list(terms.values())


class Linker:
    """Finds mentions with longest-match-first over token sequences.

    `corridor_places` (corridor id -> node ids on its routes) lets a sentence that names two places of
    the same corridor ("from Termez to Mazar-i-Sharif") link that corridor too.
    """

    def __init__(
        self,
        terms: list[Term],
        corridor_places: dict[str, set[str]] | None = None,
        *,
        node_kinds: dict[str, str] | None = None,
        corridor_modes: dict[str, str] | None = None,
        node_owners: dict[str, set[str]] | None = None,
        short_names: dict[str, str] | None = None,
        connecting: set[str] | None = None,
    ):
        self.corridor_places = corridor_places or {}
        self.node_kinds = node_kinds or {}
        self.corridor_modes = corridor_modes or {}
        self.node_owners = node_owners or {}
        self.short_names = short_names or {}
        self.node_corridors: dict[str, set[str]] = defaultdict(set)
        for cid, nodes in self.corridor_places.items():
            for n in nodes:
                self.node_corridors[n].add(cid)
        self.node_routes = {n: frozenset(found) for n, found in self.node_corridors.items()}  # every corridor
        for n, found in self.node_corridors.items():
            self.node_corridors[n] = _prefer_article(found, connecting or set())
        self._by_first: dict[str, list[Term]] = defaultdict(list)
        for term in terms:
            self._by_first[term.tokens[0]].append(term)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda t: -len(t.tokens))

    def mentions(self, text: str, paragraph: int = 0, toks: list[_Token] | None = None) -> list[Mention]:
        toks = tokens(text) if toks is None else toks
        out, i = [], 0
        while i < len(toks):
            best, found = 0, []
            for term in self._by_first.get(toks[i].norm, ()):
                n = len(term.tokens)
                if n < best:
                    break
                window = toks[i : i + n]
                if (
                    len(window) == n
                    and all(w.norm == t for w, t in zip(window, term.tokens))
                    and (not term.case_sensitive or all(w.raw == w.raw.upper() for w in window))
                ):
                    best = n
                    found.append(term)
            if found:
                start, end = toks[i].start, toks[i + best - 1].end
                out += [Mention(paragraph, start, end, t.kind, t.target, t.role) for t in found]
                i += best
            else:
                i += 1
        return list(dict.fromkeys(out))


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; does not split after common abbreviations or initials."""
    spans, start = [], 0
    words = [(w.start(), w.end()) for w in _NON_SPACE.finditer(paragraph)]
    word_starts = [a for a, _ in words]
    for m in _SENTENCE_END.finditer(paragraph):
        # the last word before the mark, within this sentence (after a skipped abbreviation the sentence
        # goes on: looking it up keeps that linear, where splitting the sentence again each time was not)
        k = bisect_left(word_starts, m.start()) - 1
        last = paragraph[words[k][0] : min(words[k][1], m.start())] if k >= 0 and words[k][0] >= start else ""
        last = last.lower().rstrip(".")
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


# --- Mode: words that say a sentence is about trains or about roads -------------------------------------
RAIL_WORDS = frozenset(
    {
        "train",
        "trains",
        "railway",
        "railways",
        "rail",
        "rails",
        "railroad",
        "railroads",
        "station",
        "stations",
        "gauge",
        "wagon",
        "wagons",
        "locomotive",
        "locomotives",
        "carriage",
        "carriages",
        "bogie",
        "bogies",
        "track",
        "tracks",
        "trainload",
        "railcar",
        "railcars",
        "line",
        "lines",
    }
)
ROAD_WORDS = frozenset(
    {
        "road",
        "roads",
        "highway",
        "highways",
        "motorway",
        "motorways",
        "expressway",
        "expressways",
        "truck",
        "trucks",
        "trucked",
        "trucking",
        "lorry",
        "lorries",
        "bus",
        "buses",
        "haulier",
        "hauliers",
        "carriageway",
        "pass",
    }
)
# Where those words mean something else: "police station", "in line with", "Line of Control", "on track",
# "Belt and Road", "Silk Road", "passes through".
_NOT_RAIL_BEFORE = {
    "station": {
        "police",
        "power",
        "radio",
        "tv",
        "television",
        "gas",
        "petrol",
        "fuel",
        "filling",
        "space",
        "weather",
        "pumping",
        "service",
        "duty",
        "polling",
    },
    "line": {
        "in",
        "on",
        "hard",
        "front",
        "bottom",
        "party",
        "dead",
        "hot",
        "head",
        "toe",
        "credit",
        "poverty",
        "help",
        "phone",
        "fault",
        "power",
        "transmission",
        "red",
        "finish",
        "fine",
        "starting",
        "hardline",
        "border",
        "control",
        "durand",
    },
    "track": {"on", "fast", "back", "inside"},
}
_NOT_RAIL_AFTER = {"line": {"of", "with", "up", "ministry"}, "track": {"record", "two"}}


def mode_words(text: str, toks: list[_Token] | None = None) -> list[tuple[int, str]]:
    """(offset, "rail" or "road") of every word in `text` that names a mode of transport."""
    toks = tokens(text) if toks is None else toks
    out = []
    for i, t in enumerate(toks):
        word = t.norm.rstrip("s") if t.norm in ("lines", "stations", "tracks") else t.norm
        prev = toks[i - 1].norm if i else ""
        nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
        if t.norm in RAIL_WORDS:
            if prev in _NOT_RAIL_BEFORE.get(word, ()) or nxt in _NOT_RAIL_AFTER.get(word, ()):
                continue
            out.append((t.start, "rail"))
        elif t.norm in ROAD_WORDS:
            if t.norm in ("road", "roads") and (
                prev == "silk" or (prev == "and" and i > 1 and toks[i - 2].norm == "belt")
            ):
                continue
            if t.norm == "pass" and not (t.raw == "Pass" or prev in ("the", "mountain", "high")):
                continue  # "trains pass through": a verb
            out.append((t.start, "road"))
    return out


# --- References: "the line", "this emerging corridor", "the two projects" -------------------------------
_REFERENCE_NOUNS = {
    "line": "rail",
    "railway": "rail",
    "railroad": "rail",
    "road": "road",
    "highway": "road",
    "motorway": "road",
    "route": "",
    "corridor": "",
    "project": "",
    "link": "",
}
_DETERMINERS = {"the", "this", "that", "its", "these", "those"}
_NUMBERS = {"two": 2, "three": 3, "both": 2}
# A noun followed by these is a modifier ("the railway company"), not a reference to a corridor.
_MODIFIED = {
    "company",
    "companies",
    "ministry",
    "minister",
    "ministers",
    "officials",
    "authority",
    "authorities",
    "workers",
    "union",
    "operator",
    "operators",
    "sector",
    "network",
    "station",
    "stations",
    "line",
    "administration",
    "department",
    "board",
    "of",
    "managers",
    "staff",
    "police",
}
_CONTINUING = {"it", "its", "it's", "this", "these", "they", "their", "such"}
_NOT_FILLER = {"of", "and", "or", "to", "for", "in", "on", "at", "by", "with", "from", "as", "is", "was", "be"}


@dataclass(frozen=True)
class Reference:
    start: int
    end: int
    phrase: str
    mode: str  # "rail", "road", or "" for any
    count: int


def references(text: str, toks: list[_Token] | None = None) -> list[Reference]:
    """Phrases that refer back to a corridor: a determiner, up to two lower-case words, then a noun."""
    toks = tokens(text) if toks is None else toks
    out = []
    for i, det in enumerate(toks):
        if det.norm not in _DETERMINERS:
            continue
        count = 1
        for k in range(1, 4):
            if i + k >= len(toks):
                break
            t = toks[i + k]
            noun = t.norm[:-1] if t.norm.endswith("s") and t.norm[:-1] in _REFERENCE_NOUNS else t.norm
            nxt = toks[i + k + 1].norm if i + k + 1 < len(toks) else ""
            if noun in _REFERENCE_NOUNS and nxt not in _MODIFIED:
                out.append(Reference(det.start, t.end, text[det.start : t.end], _REFERENCE_NOUNS[noun], count))
                break
            if not t.raw.islower() and not t.raw.isdigit() or t.norm in _NOT_FILLER or t.norm in _DETERMINERS:
                break
            count = _NUMBERS.get(t.norm, count)
    return out


# --- The rules -------------------------------------------------------------------------------------------
TRANSPORT_KINDS = frozenset({"border_crossing", "station", "pass", "junction"})
OWNED_KINDS = frozenset({"border_crossing", "station", "pass"})  # tied to the corridor whose files hold them


@dataclass
class _Sentence:
    """What one sentence links, and where in the paragraph the evidence for each corridor ends."""

    links: dict = field(default_factory=dict)  # (kind, target) -> Link
    events: list = field(default_factory=list)  # (offset, corridor id)
    first_at: float = float("inf")  # the earliest offset in events

    def add(self, kind: str, target: str, reason: str, at: int) -> None:
        self.links.setdefault((kind, target), Link(kind, target, "automatic", reason))
        if kind == "corridor":
            self.events.append((at, target))
            self.first_at = min(self.first_at, at)


class _Named:
    """The corridors named so far in a paragraph, each with where it was named last: all a reference needs
    ("the line" is the corridor named last), kept in constant space however long the paragraph is."""

    def __init__(self):
        self.last: dict[str, tuple[int, int]] = {}  # corridor -> (offset, order) of its last naming
        self.count = 0

    def __bool__(self) -> bool:
        return bool(self.last)

    def add(self, events) -> None:
        for at, cid in events:
            self.count += 1
            self.last.pop(cid, None)
            self.last[cid] = (at, self.count)


def _place_rules(
    linker: Linker, inside: list[Mention], text: str, context: set[str], para_modes: set[str], out: _Sentence
) -> None:
    """Single-corridor places, a place with the mode, and two places of one corridor.

    `context` is the modes the sentence names; two places, and a dateline (often a sentence of its own,
    "ETREK (Turkmenistan), December 3."), fall back on the paragraph's when the sentence names none.
    """
    groups: dict[tuple[int, int], list[str]] = {}
    for m in inside:
        if m.kind == "node":
            groups.setdefault((m.start, m.end), []).append(m.target)
    spans = {span: {c for n in nodes for c in linker.node_corridors.get(n, ())} for span, nodes in groups.items()}
    # "ASHGABAT — …": a dateline says where the story was filed; it counts on its own, not with other places.
    dateline = {span for span in groups if span[0] == 0 and text[span[0] : span[1]].isupper()}
    modes = linker.corridor_modes
    # How many of the sentence's places (datelines aside) each corridor passes: "the other places agree"
    # is then a count, not a scan of them all for every place (quadratic in a sentence of many places).
    counted = [span for span in spans if span not in dateline]
    passes: dict[str, int] = defaultdict(int)
    for span in counted:
        for c in spans[span]:
            passes[c] += 1
    with_mode = []  # weaker than two places: added after them, so a link says the stronger reason
    for (start, end), nodes in groups.items():
        raw = text[start:end]
        here = context or (para_modes if (start, end) in dateline else set())
        candidates = spans[(start, end)]
        kinds = {linker.node_kinds.get(n, "") for n in nodes}
        transport = bool(kinds & TRANSPORT_KINDS)
        if len(candidates) > 1 and kinds <= OWNED_KINDS:
            owners = {o for n in nodes for o in linker.node_owners.get(n, ())}
            candidates = owners if len(owners) == 1 else candidates
        if not raw[:1].isupper():
            continue  # "friendship", "mazar" in running text are not the places
        own = (start, end) not in dateline
        others = len(counted) - own  # the sentence's other places
        if len(candidates) == 1 and transport:  # a crossing, station, pass or junction of one corridor
            (c,) = candidates
            if modes.get(c) in here or not here:
                out.add("corridor", c, f"single-corridor place: {raw}", end)
        elif here:  # a town: only with the mode, and only if the sentence's other places agree
            fitting = [c for c in candidates if modes.get(c) in here]
            if len(fitting) == 1 and passes[fitting[0]] - (own and fitting[0] in spans[(start, end)]) == others:
                with_mode.append((fitting[0], f"place and mode: {raw}, {modes[fitting[0]]}", end))
    hits_of: dict[str, list] = defaultdict(list)  # corridor -> the sentence's places on its routes, in order
    for span in counted:
        for c in sorted({c for n in groups[span] for c in linker.node_routes.get(n, ())}):
            hits_of[c].append((span, groups[span]))
    for cid in sorted(set().union(*spans.values()) if spans else ()):
        on_route = linker.corridor_places[cid]
        hits = hits_of.get(cid, [])
        if len(hits) < 2:
            continue
        owned = [{o for n in nodes if n in on_route for o in linker.node_owners.get(n, ())} for _, nodes in hits]
        if owned and cid not in set().union(*owned) and set.intersection(*owned):
            continue  # every place is on another corridor's own segments (the KKH trunk the CPEC shares)
        transport = any(linker.node_kinds.get(n) in TRANSPORT_KINDS for _, nodes in hits for n in nodes)
        wider = context or para_modes
        if modes.get(cid) in wider or (not wider and transport) or (not wider and not modes):
            names = ", ".join(dict.fromkeys(text[a:b] for (a, b), _ in hits))
            out.add("corridor", cid, f"two places: {names}", max(b for (_, b), _ in hits))
    for cid, reason, at in with_mode:
        out.add("corridor", cid, reason, at)


def _name_rules(atlas, inside: list[Mention], text: str, out: _Sentence) -> None:
    """Names and aliases; a name shared by several corridors ("CPEC") gives way to a specific one nearby."""
    groups: dict[tuple[int, int], list[Mention]] = {}
    for m in inside:
        groups.setdefault((m.start, m.end), []).append(m)
    corridor_of = {id(m): link_target(atlas, m.kind, m.target) for m in inside}
    specific = {
        corridor_of[id(g[0])]
        for g in groups.values()
        if len({corridor_of[id(m)] for m in g if m.kind == "corridor"}) == 1 and g[0].kind == "corridor"
    }
    for (start, end), group in groups.items():
        targets = {corridor_of[id(m)] for m in group if m.kind == "corridor"}
        if len(targets) > 1 and targets & specific:
            continue  # "the eastern alignment of the China–Pakistan Economic Corridor": the eastern one
        for m in group:
            out.add(m.kind, corridor_of[id(m)], f"{m.role}: {text[start:end]}", end)


def _resolve(linker: Linker, ref: Reference, pool: _Named) -> list[str]:
    """The corridor(s) named last before a reference, of the reference's mode ("the line" is a railway):
    those named at the last offset, then at the one before, until there are as many as the reference says."""
    fitting = sorted(
        (
            (at, order, c)
            for c, (at, order) in pool.last.items()
            if not ref.mode or linker.corridor_modes.get(c) == ref.mode
        ),
        key=lambda item: (-item[0], item[1]),
    )
    chosen: list[str] = []
    for i, (at, _, c) in enumerate(fitting):
        chosen.append(c)
        if len(chosen) >= ref.count and (i + 1 == len(fitting) or fitting[i + 1][0] != at):
            break
    return chosen


def automatic_excerpts(atlas, article: Article, linker: Linker, budget=None) -> tuple[list[Excerpt], list[Mention]]:
    """One excerpt per sentence that links something, and every mention (for highlighting).

    The rules (docs/linking.md), each link carrying its reason: names and aliases;
    places (a place of one corridor, a place with the mode, two places of one corridor); references
    ("the line") to the corridor named last, within the paragraph or carried from the one before.

    Costs about linear time in the text: mentions, mode words and references are found once per paragraph
    and each sentence takes its own share of them by offset (bisect), never by scanning them all.
    `budget` (optional) is asked between sentences whether to go on; when it says stop, what was linked
    so far is returned (`budget.stopped_at` says where).
    """
    excerpts, all_mentions = [], []
    carried = _Named()  # corridors the previous paragraph linked, with where
    for p, text in enumerate(article.paragraphs):
        if budget is not None and budget.spent(p, 0):
            break
        toks = tokens(text)  # once for the three readings of the paragraph
        found = linker.mentions(text, p, toks)  # in order of offset
        all_mentions += found
        words = mode_words(text, toks)
        para_modes = {mode for _, mode in words}
        refs = references(text, toks)
        mention_starts = [m.start for m in found]
        word_offsets = [at for at, _ in words]
        ref_starts = [r.start for r in refs]
        events = _Named()
        spans = sentence_spans(text)
        # A paragraph continues the one before when it opens on a pronoun or a reference ("The line, …").
        continues = bool(spans) and (
            text.split(maxsplit=1)[0].lower() in _CONTINUING or any(r.start < spans[0][1] for r in refs)
        )
        for start, end in spans:
            if budget is not None and budget.spent(p, start):
                break
            first = bisect_left(mention_starts, start)
            inside = [m for m in found[first : bisect_left(mention_starts, end, first)] if m.end <= end]
            w0 = bisect_left(word_offsets, start)
            context = {mode for _, mode in words[w0 : bisect_left(word_offsets, end, w0)]}
            sentence = _Sentence()
            _name_rules(atlas, inside, text, sentence)
            if linker.corridor_places:
                _place_rules(linker, inside, text, context, para_modes, sentence)
            r0 = bisect_left(ref_starts, start)
            for ref in refs[r0 : bisect_left(ref_starts, end, r0)]:
                if sentence.first_at <= ref.start:
                    continue  # the sentence names its own corridor first
                pool = events or (carried if continues else _Named())
                for cid in _resolve(linker, ref, pool):
                    short = linker.short_names.get(cid, cid)
                    sentence.add("corridor", cid, f"inferred: '{ref.phrase}' after {short}", ref.end)
            events.add(sorted(sentence.events))
            if sentence.links:
                excerpts.append(Excerpt(article.id, p, start, end, links=tuple(sentence.links.values())))
        else:
            carried = events
            continue
        break  # the budget ran out inside the paragraph
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
    by_paragraph: dict[tuple, list[tuple]] = defaultdict(list)  # (article, paragraph) -> spans there
    for span in spans:
        by_paragraph[span[:2]].append(span)
    for sup, link in suppressions:
        for span in by_paragraph.get(sup.span[:2], ()):
            if span[2] < sup.end and sup.start < span[3]:
                bucket = spans[span]
                if bucket.get((link.kind, link.target), link).origin == "automatic":
                    bucket.pop((link.kind, link.target), None)
    return [Excerpt(*span, links=tuple(bucket.values())) for span, bucket in sorted(spans.items()) if bucket]


def unvetoed(article_id: str, mentions: list[Mention], vetoes, target_of) -> list[Mention]:
    """The mentions no suppression (curated `suppress` link of links.yaml) overlaps: (excerpt, link) pairs
    in `vetoes`; `target_of(kind, target)` says what a mention links (an alternative: its corridor).
    Looked up by paragraph and target, so many suppressions do not multiply the work per mention."""
    index: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for ex, link in vetoes:
        if ex.article == article_id:
            index[(ex.paragraph, link.kind, link.target)].append((ex.start, ex.end))
    if not index:
        return list(mentions)
    return [
        m
        for m in mentions
        if not any(
            start < m.end and m.start < end
            for start, end in index.get((m.paragraph, m.kind, target_of(m.kind, m.target)), ())
        )
    ]
