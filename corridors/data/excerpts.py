"""Excerpts of articles, looked up by what they link to."""

from __future__ import annotations

from dataclasses import dataclass

from corridors.data.atlas import Atlas
from corridors.data.model import Article, Excerpt


@dataclass(frozen=True)
class ExcerptView:
    excerpt: Excerpt
    article: Article
    text: str


def excerpts_for_corridor(atlas: Atlas, corridor_id: str) -> list[ExcerptView]:
    """Excerpts linked to a corridor or to one of its alternative alignments, in article order."""
    ids = set(atlas.route_ids(corridor_id))
    out = []
    for ex in atlas.excerpts:
        if ids & set(ex.corridors) and ex.article in atlas.articles:
            article = atlas.articles[ex.article]
            out.append(ExcerptView(ex, article, article.paragraphs[ex.paragraph][ex.start : ex.end]))
    return sorted(out, key=lambda v: (v.article.title, v.excerpt.paragraph, v.excerpt.start))


def excerpts_for_place(atlas: Atlas, node_id: str) -> list[ExcerptView]:
    """Excerpts that mention a place, in article order."""
    out = []
    for ex in atlas.excerpts:
        if node_id in ex.nodes and ex.article in atlas.articles:
            article = atlas.articles[ex.article]
            out.append(ExcerptView(ex, article, article.paragraphs[ex.paragraph][ex.start : ex.end]))
    return sorted(out, key=lambda v: (v.article.title, v.excerpt.paragraph, v.excerpt.start))
