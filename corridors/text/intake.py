"""Taking in a new article: check it, turn it into an article record, propose its links, store it safely."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from corridors.data.atlas import Atlas
from corridors.data.files import dump_yaml, path_kind, write_all_atomically
from corridors.data.loading import ID_RE, LINK_KINDS, entry_place
from corridors.data.model import Article, Excerpt
from corridors.data.readers import decode_text, read_yaml
from corridors.data.schema import bare_place
from corridors.errors import CorridorsError, Problem, os_problem
from corridors.settings import MAX_ARTICLE_BYTES
from corridors.text.articles import (
    normalise_newlines,
    parse_article,
    split_front_matter,
)
from corridors.text.linking import automatic_excerpts, make_linker

SUFFIXES = (".md", ".txt")
# Lines that are the site's furniture, not the article (a "Categories:" line becomes the categories).
_BOILERPLATE = re.compile(r"^(disclaimer:|leave a reply|share this:?$|advertisement$|related posts?:?$)", re.I)
_CATEGORIES = re.compile(r"^categories?:\s*(.+)$", re.I)
# Unicode line breaks that YAML would read back as spaces (so a stored quote would stop matching), and
# invisible control characters: neither belongs in an article's text.
_LINE_BREAKS = re.compile("[\u0085\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def _strip_boilerplate(body: str) -> tuple[str, list[str]]:
    kept, categories = [], []
    for line in body.split("\n"):
        stripped = line.strip()
        found = _CATEGORIES.match(stripped)
        if found:
            categories += [c.strip() for c in found.group(1).split(",") if c.strip()]
        elif not _BOILERPLATE.match(stripped):
            kept.append(line)
    return "\n".join(kept), categories


def read_article(data: bytes, name: str, article_id: str | None = None) -> Article:
    """Check an uploaded or given article file and return it as an Article; raise CorridorsError if unusable.

    `name` is the file's name (its suffix must be .md or .txt); the id is `article_id`, else a slug of the
    title, else of the file name.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise CorridorsError(Problem(name, "file", f"must be a .md or .txt file, not {suffix or 'no suffix'!r}"))
    if len(data) > MAX_ARTICLE_BYTES:
        raise CorridorsError(Problem(name, "file", f"is {len(data):,} bytes; the limit is {MAX_ARTICLE_BYTES:,}"))
    problems: list[Problem] = []
    text = decode_text(data, name, problems)
    if text is None:
        raise CorridorsError(problems)
    text = _LINE_BREAKS.sub(" ", text)
    text = _CONTROLS.sub("", text)
    if not text.strip():
        raise CorridorsError(Problem(name, "file", "is empty"))
    meta, body, _ = split_front_matter(normalise_newlines(text), name, problems)
    if problems:
        raise CorridorsError(problems)
    body, categories = _strip_boilerplate(body)
    if suffix == ".txt":  # plain text: one paragraph per line
        body = "\n\n".join(line.strip() for line in body.split("\n") if line.strip())
    meta = dict(meta or {})
    if not meta.get("title"):
        first, _, rest = body.strip().partition("\n")
        if rest.strip() and len(first) <= 200 and not first.rstrip().endswith((".", "!", "?")):
            meta["title"], body = first.strip().lstrip("# ").strip(), rest
    if categories and not meta.get("categories"):
        meta["categories"] = categories
    ident = article_id or slugify(str(meta.get("title") or "")) or slugify(Path(name).stem)
    if not ID_RE.match(ident or ""):
        raise CorridorsError(Problem(name, "id", f"{ident!r} is not a slug (lower-case letters, digits, hyphens)"))
    rebuilt = "---\n" + dump_yaml(meta) + "---\n\n" + body
    article = parse_article(ident, rebuilt, name, problems)
    if problems or article is None:
        raise CorridorsError(problems or [Problem(name, "body", "has no text")])
    return article


def article_markdown(article: Article) -> str:
    """The article as stored in geodata/articles/<id>.md."""
    meta = {
        "title": article.title,
        "outlet": article.outlet or None,
        "author": article.author or None,
        "date": article.date or None,
        "url": article.url or None,
        "categories": list(article.categories),
    }
    front = dump_yaml(meta, width=1000)
    return "---\n" + front + "---\n\n" + "\n\n".join(article.paragraphs) + "\n"


def propose_links(atlas: Atlas, article: Article, budget: LinkBudget | None = None):
    """The automatic excerpts and mentions the atlas's names find in `article` (within `budget`, if given)."""
    return automatic_excerpts(atlas, article, make_linker(atlas), budget)


# What the Articles page's reader does with one upload, at most: it runs in the server process that
# every visitor of it shares, so one paste may hold it only so long. 200,000 characters is a long report
# (some 30,000 words); linking them takes well under a second on this machine (`python -m corridors bench`).
READER_MAX_CHARS = 200_000
READER_CPU_SECONDS = 2.0


@dataclass
class LinkBudget:
    """How much linking may cost: `seconds` of this thread's CPU time. Asked between sentences
    (automatic_excerpts); once spent it says stop, and `stopped_at` is the (paragraph, offset) reached."""

    seconds: float
    started: float = field(default_factory=time.thread_time)
    stopped_at: tuple[int, int] | None = None

    def spent(self, paragraph: int, offset: int) -> bool:
        if self.stopped_at is None and time.thread_time() - self.started > self.seconds:
            self.stopped_at = (paragraph, offset)
        return self.stopped_at is not None


def truncated(article: Article, max_chars: int) -> Article:
    """The article's first `max_chars` characters of text, cut at a space (whole paragraphs before it)."""
    kept, used = [], 0
    for text in article.paragraphs:
        if used + len(text) <= max_chars:
            kept.append(text)
            used += len(text)
            continue
        room = max_chars - used
        cut = text.rfind(" ", 0, room + 1)
        part = text[: cut if cut > room // 2 else room].rstrip()
        if part:
            kept.append(part)
        break
    return replace(article, paragraphs=tuple(kept))


def link_for_reader(
    atlas: Atlas, article: Article, max_chars: int = READER_MAX_CHARS, seconds: float = READER_CPU_SECONDS
) -> tuple[Article, list[Excerpt], list, str | None]:
    """An uploaded article as the reader shows it: linked within a size and a time budget.

    Returns (the article as shown, its excerpts, its mentions, a note for the reader or None). A longer
    article is shown and linked up to `max_chars`; when linking takes longer than `seconds` of CPU, the
    article is shown as far as it was linked. The note says so, plainly, with what to do instead.
    """
    size = sum(len(p) for p in article.paragraphs)
    shown = truncated(article, max_chars) if size > max_chars else article
    budget = LinkBudget(seconds)
    excerpts, mentions = propose_links(atlas, shown, budget)
    note = None
    if budget.stopped_at is not None:
        paragraph, offset = budget.stopped_at
        cut = shown.paragraphs[:paragraph] + ((shown.paragraphs[paragraph][:offset].rstrip(),) if offset else ())
        cut = tuple(p for p in cut if p)
        if cut:  # shown as far as it was linked
            shown = replace(shown, paragraphs=cut)
            lengths = [len(p) for p in cut]
            mentions = [m for m in mentions if m.paragraph < len(cut) and m.end <= lengths[m.paragraph]]
            excerpts = [e for e in excerpts if e.paragraph < len(cut) and e.end <= lengths[e.paragraph]]
            what = f"it shows the first {sum(lengths):,} of its {size:,} characters"
        else:  # not even a sentence: the text as it is, without highlights
            excerpts, mentions = [], []
            what = "it shows the text without highlights"
        note = (
            f"Linking this article took longer than the {seconds:g} seconds the reader allows, so {what}. "
            "`python -m corridors add-article FILE --dry-run` links all of it."
        )
    elif shown is not article:
        note = (
            f"This article has {size:,} characters; the reader links and shows the first {max_chars:,}. "
            "`python -m corridors add-article FILE --dry-run` links all of it."
        )
    return shown, excerpts, mentions, note


def describe_excerpt(atlas: Atlas, article: Article, excerpt: Excerpt) -> str:
    names = {
        "corridor": {k: v.name for k, v in atlas.corridors.items()},
        "node": {k: v.name for k, v in atlas.nodes.items()},
        "organisation": {k: v.name for k, v in atlas.organisations.items()},
    }
    text = article.paragraphs[excerpt.paragraph][excerpt.start : excerpt.end]
    short = text if len(text) <= 90 else text[:87] + "…"
    targets = ", ".join(
        f"{link.kind} {link.target} ({names[link.kind].get(link.target, '?')})"
        + (f" [{link.reason}]" if link.reason else "")
        for link in excerpt.links
    )
    return f"¶{excerpt.paragraph} [{excerpt.start}:{excerpt.end}] “{short}” → {targets}"


LINKS_HEADER = (
    "# Stored excerpts of articles, linked to corridors, nodes and organisations (format: README.md).\n"
    "# Curated entries are written by people; entries with origin: automatic were proposed by the\n"
    "# linker and recorded by `python -m corridors add-article`.\n"
)


def recorded_links(article: Article, excerpts: list[Excerpt]) -> list[dict]:
    """The links.yaml entries that record an article's automatic excerpts (with their quotes)."""
    entries = []
    for ex in excerpts:
        entry = {
            "article": article.id,
            "paragraph": ex.paragraph,
            "start": ex.start,
            "end": ex.end,
            "quote": article.paragraphs[ex.paragraph][ex.start : ex.end],
            "origin": "automatic",
        }
        for key, kind in LINK_KINDS:
            if ex.targets(kind):
                entry[key] = list(ex.targets(kind))
        why = "; ".join(f"{link.target}: {link.reason}" for link in ex.links if link.kind == "corridor" and link.reason)
        if why:  # why each corridor was linked, for whoever reviews the diff
            entry["reason"] = why
        entries.append(entry)
    return entries


def dump_links(entries: list) -> str:
    """links.yaml's text: the header, then the entries (one layout, so a diff shows only what changed)."""
    return LINKS_HEADER + dump_yaml(entries)


def _replaced(entry: object, article_id: str) -> bool:
    """An automatic link recorded for the article before; a reviewer's suppression of it is kept."""
    return (
        isinstance(entry, dict)
        and entry.get("article") == article_id
        and entry.get("origin") == "automatic"
        and not entry.get("suppress")
    )


def check_before_writing(atlas: Atlas, article: Article, markdown: str, links_text: str) -> list[Problem]:
    """What `validate` would say about the article's file and its entries in links.yaml once written,
    found before anything is written (so nothing has to be checked, or can be interrupted, after it):
    the stored text read back, and every entry about the article checked against it (a curated excerpt
    of a replaced article that no longer matches its text)."""
    import copy
    import tempfile

    from corridors.data import loading, validation

    label = atlas.label(f"articles/{article.id}.md")
    problems: list[Problem] = []
    stored = parse_article(article.id, markdown, label, problems)
    with tempfile.TemporaryDirectory() as tmp:
        candidate = Path(tmp) / "links.yaml"
        candidate.write_text(links_text, encoding="utf-8")
        placed = loading.load_links(candidate, atlas.label("links.yaml"), problems)
    view = copy.copy(atlas)
    view.articles = {**atlas.articles, article.id: stored or article}
    view.declared_articles = {*atlas.declared_articles, article.id}
    for where, excerpt in placed:
        if excerpt.article == article.id:
            problems += validation.check_excerpt(view, atlas.label("links.yaml"), where, excerpt)
    return problems


def store_article(
    atlas: Atlas, article: Article, excerpts: list[Excerpt], force: bool = False, warn=None
) -> tuple[Path, Path]:
    """Write articles/<id>.md and record its automatic links in links.yaml, both atomically.

    Never replaces an existing article unless `force`; then the automatic links recorded for it before
    are replaced too, and its curated entries and suppressions are kept. Nothing is written while
    links.yaml has problems, other than in the entries this call replaces. What the files would hold is
    checked first (check_before_writing): each problem found goes to `warn(problem)`, or, without `warn`,
    stops the call. After the files are renamed into place nothing else is done.
    """
    path = atlas.data_dir / "articles" / f"{article.id}.md"
    links_path = atlas.data_dir / "links.yaml"
    for target in (path, links_path):
        _, error = path_kind(target)
        if error is not None:  # a folder on the way this user may not enter
            raise CorridorsError(os_problem(target, "cannot be written", error))
    if path_kind(path)[0] != "missing" and not force:
        raise CorridorsError(
            Problem(
                str(path), "file", "already exists; pass --force to replace it (or --id to store it under another id)"
            )
        )
    read_problems: list[Problem] = []
    loaded = (
        read_yaml(links_path, atlas.label("links.yaml"), read_problems) if path_kind(links_path)[0] != "missing" else []
    )
    if read_problems:
        raise CorridorsError(read_problems)
    stored = loaded if isinstance(loaded, list) else []
    replaced_places = {
        entry_place("excerpt", i, entry) for i, entry in enumerate(stored) if _replaced(entry, article.id)
    }
    links_problems = [
        p
        for p in atlas.problems
        if p.file == atlas.label("links.yaml") and not (force and bare_place(p.where) in replaced_places)
    ]
    if links_problems:
        raise CorridorsError(links_problems)
    kept = [entry for entry in stored if not _replaced(entry, article.id)]
    files = {path: article_markdown(article), links_path: dump_links(kept + recorded_links(article, excerpts))}
    for problem in check_before_writing(atlas, article, files[path], files[links_path]):
        if warn is None:
            raise CorridorsError(problem)
        warn(problem)
    try:
        write_all_atomically(files)
    except OSError as exc:
        raise CorridorsError(os_problem(exc.filename or path, "cannot be written", exc)) from None
    return path, links_path
