"""Assemble the linked, measured atlas from a data folder: `load_atlas`, the one way in.

The layers below each do one part: data/ reads and checks the files (`data.loading`, `data.validation`),
text/ parses the articles and links them to corridors, places and organisations (`text.articles`,
`text.spellings`, `text.linking`), briefings/ reads the briefings that build on the loaded atlas. The
countries a route crosses are measured on demand by `geo.geometry.countries_crossed`.

The assembled atlas is cached between starts (`data.cache`), keyed by the content of every file in the data
folder, the code and the day (some checks compare dates with today): a start with unchanged data reads one
file instead of checking them all again, and gets the same atlas, problems included.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from corridors.briefings.loading import load_briefings
from corridors.data import cache as atlas_cache
from corridors.data import loading, validation
from corridors.data.atlas import Atlas, resolve_data_dir
from corridors.data.files import path_kind
from corridors.data.loading import data_folder_readable, folder_files
from corridors.data.model import Excerpt
from corridors.data.readers import read_text
from corridors.data.transit import check_transit, load_transit
from corridors.errors import Problem, os_problem
from corridors.geo.timeline import check_statuses
from corridors.settings import MAX_ARTICLE_BYTES
from corridors.text.articles import parse_article
from corridors.text.linking import (
    automatic_excerpts,
    link_target,
    make_linker,
    merge_excerpts,
    unvetoed,
)
from corridors.text.spellings import load_spellings


def load_atlas(data_dir: str | os.PathLike | None = None, cache: str | os.PathLike | None | bool = True) -> Atlas:
    """Load and check a data folder. Never raises for bad data: problems land in `atlas.problems`.

    `cache`: True for the cache folder the environment gives (`data.cache.cache_dir`), a folder, or False or
    None for none. The atlas returned is the same either way; with a cache, a data folder whose files have not
    changed since the last load is read from the cache."""
    root = resolve_data_dir(data_dir)
    folder = atlas_cache.cache_dir() if cache is True else (Path(cache) if cache else None)
    if folder is None:
        return _load(root)
    name, key = cache_entry(root)
    cached = atlas_cache.read(folder, name, key)
    if isinstance(cached, Atlas):
        return cached
    atlas = _load(root)
    if key is not None and cache_entry(root)[1] == key:  # unchanged while it loaded
        atlas_cache.write(folder, name, key, _cacheable(atlas))
    return atlas


def cache_entry(root: Path) -> tuple[str, str | None]:
    """The cache entry's name (the folder as given, which every problem line starts with, and absolute) and
    key (the content of every file, the code, the day), or None for no cache when the content cannot be read."""
    name = f"{root}\0{os.path.abspath(root)}"
    content = atlas_cache.content_key(root)
    if content is None:
        return name, None
    return name, f"{content}:{atlas_cache.code_version()}:{datetime.date.today().isoformat()}:{name}"


def _cacheable(atlas: Atlas) -> Atlas:
    """A shallow copy of the atlas without what is computed on demand (cached properties, such as prepared
    country shapes, whose preparation a pickle would lose): the copy computes them again when asked."""
    copy = Atlas.__new__(Atlas)
    lazy = {name for name, value in vars(Atlas).items() if isinstance(value, cached_property)}
    copy.__dict__.update({k: v for k, v in atlas.__dict__.items() if k not in lazy})
    return copy


def _load(root: Path) -> Atlas:
    atlas = Atlas(root)
    root, problems = atlas.data_dir, atlas.problems
    if not data_folder_readable(root, problems):
        return atlas
    atlas.readable = True

    def need(name: str) -> Path | None:
        path = root / name
        kind, error = path_kind(path)
        if kind == "file":
            return path
        if error is not None:
            problems.append(os_problem(atlas.label(name), "cannot be read", error))
        else:
            problems.append(
                Problem(atlas.label(name), "file", "is missing" if kind == "missing" else "is not a regular file")
            )
        return None

    if path := need("atlas.yaml"):
        atlas.info = loading.load_atlas_info(path, atlas.label("atlas.yaml"), problems)

    def optional(name: str) -> Path | None:
        """An optional file: None when absent; a problem when it is there but cannot be looked at."""
        return need(name) if path_kind(root / name)[0] != "missing" else None

    if path := need("countries.geojson"):
        atlas.countries = loading.load_countries(
            path, atlas.label("countries.geojson"), problems, atlas.declared_countries
        )
    if path := optional("world.geojson"):
        atlas.world = loading.load_countries(path, atlas.label("world.geojson"), problems)
    if path := need("nodes.geojson"):
        before = len(problems)
        atlas.nodes = loading.load_nodes(path, atlas.label("nodes.geojson"), atlas.declared_nodes, problems)
        atlas.nodes_readable = bool(atlas.declared_nodes) or len(problems) == before
    if path := need("corridors.yaml"):
        before = len(problems)
        atlas.corridors = loading.load_corridors(
            path, atlas.label("corridors.yaml"), problems, atlas.declared_corridors
        )
        atlas.corridors_readable = bool(atlas.declared_corridors) or len(problems) == before
    segment_files = folder_files(root, "segments", ".geojson", atlas, problems)
    for path in segment_files or []:
        label = atlas.label(f"segments/{path.name}")
        if path.stem not in atlas.declared_corridors and atlas.corridors_readable:
            problems.append(Problem(label, "file", f"no corridor {path.stem!r} in corridors.yaml"))
        before = len(atlas.declared_segments), len(problems)
        found = loading.load_segments(path, label, path.stem, atlas.declared_segments, problems)
        if len(atlas.declared_segments) == before[0] and len(problems) > before[1]:
            atlas.segments_readable = False  # the whole file was refused: its segments are not "unknown"
        atlas.segments.update(found)
        atlas.segment_files.update({sid: label for sid in found})
    atlas.segments_readable = atlas.segments_readable and segment_files is not None
    if path := need("organisations.yaml"):
        atlas.organisations = loading.load_organisations(path, atlas.label("organisations.yaml"), problems)
    article_files = folder_files(root, "articles", ".md", atlas, problems, required=False)
    atlas.articles_readable = article_files is not None
    for path in article_files or []:
        label = atlas.label(f"articles/{path.name}")
        if not loading.ID_RE.match(path.stem):
            problems.append(
                Problem(
                    label,
                    "file name",
                    f"{path.stem!r} is not an article id (lower-case letters, digits and single hyphens, then .md)",
                )
            )
            continue
        atlas.declared_articles.add(path.stem)
        text = read_text(path, label, problems, MAX_ARTICLE_BYTES)
        article = parse_article(path.stem, text, label, problems) if text is not None else None
        if article is not None:
            atlas.articles[article.id] = article
    if path := optional("transit.yaml"):
        atlas.transit = load_transit(path, atlas.label("transit.yaml"), problems)
    if path := optional("spellings.yaml"):
        atlas.spellings = load_spellings(atlas, path, atlas.label("spellings.yaml"))
    placed = []
    if path := optional("links.yaml"):
        before = len(problems)
        placed = loading.load_links(path, atlas.label("links.yaml"), problems)
        atlas.links_readable = bool(placed) or not any(
            p.file == atlas.label("links.yaml") and p.where == "file" for p in problems[before:]
        )
    elif path_kind(root / "links.yaml")[1] is not None:
        atlas.links_readable = False
    problems += validation.check_segments(atlas)
    problems += validation.check_corridors(atlas, atlas.label("corridors.yaml"))
    problems += validation.check_history(atlas, atlas.label("corridors.yaml"))
    problems += check_statuses(atlas)  # today's status is what the history gives (a corridor's needs its km)
    problems += validation.check_nodes_in_countries(atlas, atlas.label("nodes.geojson"))
    if atlas.transit is not None and atlas.nodes_readable:
        problems += check_transit(atlas.transit, atlas.declared_nodes or atlas.nodes, atlas.declared_countries)
    curated = []
    for where, excerpt in placed:
        found = validation.check_excerpt(atlas, atlas.label("links.yaml"), where, excerpt)
        problems += found
        loaded = {"corridor": atlas.all_corridor_ids, "node": atlas.nodes, "organisation": atlas.organisations}
        if (
            not found
            and excerpt.article in atlas.articles
            and all(link.target in loaded[link.kind] for link in excerpt.links)
        ):
            curated.append(excerpt)  # (a link to a record refused for its own problems is left out)
    atlas.declared_excerpts = {ex.extra["id"] for _, ex in placed if ex.extra.get("id")}
    atlas.named_excerpts = {ex.extra["id"]: ex for ex in curated if ex.extra.get("id")}
    link_articles(atlas, curated)
    atlas.briefings, found = load_briefings(root, atlas)
    problems += found
    return atlas


def link_articles(atlas: Atlas, curated: list[Excerpt]) -> None:
    """Find mentions in every article and merge them with the stored excerpts of links.yaml.

    Links to an alternative alignment count for its corridor; a suppressed link also stops the
    mention it came from being highlighted.
    """
    linker = make_linker(atlas)
    curated = [
        replace(ex, links=tuple(replace(link, target=link_target(atlas, link.kind, link.target)) for link in ex.links))
        for ex in curated
    ]
    vetoes = [(ex, link) for ex in curated for link in ex.links if link.origin == "suppressed"]
    recorded = [ex for ex in curated if ex.links and ex.links[0].origin == "automatic"]  # by add-article
    curated = [ex for ex in curated if not (ex.links and ex.links[0].origin == "automatic")]
    automatic = list(recorded)
    for article in atlas.articles.values():
        found, mentions = automatic_excerpts(atlas, article, linker)
        automatic += found
        atlas.mentions[article.id] = unvetoed(
            article.id, mentions, vetoes, lambda kind, target: link_target(atlas, kind, target)
        )
    atlas.excerpts = merge_excerpts(automatic, curated)
