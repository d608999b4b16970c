"""A stop's excerpt references resolved to the text they name."""

from __future__ import annotations

from dataclasses import dataclass

from corridors.briefings.model import ExcerptRef, Stop
from corridors.data.model import Article


@dataclass(frozen=True)
class StopExcerpt:
    ref: ExcerptRef
    article: Article
    paragraph: int
    start: int
    end: int  # exclusive
    text: str


def resolve_excerpt(atlas, ref: ExcerptRef) -> StopExcerpt | None:
    """The text an excerpt reference names: a stored excerpt's span (by its id in links.yaml), or a whole
    paragraph (ARTICLE/PARAGRAPH); None when it names nothing in this atlas."""
    if ref.id is not None:
        ex = atlas.named_excerpts.get(ref.id)
        article = atlas.articles.get(ex.article) if ex else None
        if ex is None or article is None or ex.paragraph >= len(article.paragraphs):
            return None
        text = article.paragraphs[ex.paragraph]
        return StopExcerpt(ref, article, ex.paragraph, ex.start, ex.end, text[ex.start : ex.end])
    article = atlas.articles.get(ref.article)
    if article is None or ref.paragraph is None or not 0 <= ref.paragraph < len(article.paragraphs):
        return None
    text = article.paragraphs[ref.paragraph]
    return StopExcerpt(ref, article, ref.paragraph, 0, len(text), text)


def stop_excerpts(atlas, stop: Stop) -> list[StopExcerpt]:
    """The stop's excerpts in the order written, those that resolve."""
    return [found for ref in stop.excerpts if (found := resolve_excerpt(atlas, ref)) is not None]
