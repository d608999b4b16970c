"""Articles: Markdown files with YAML front matter, split into numbered paragraphs."""

from __future__ import annotations

import re
from typing import Any

from corridors.data.model import Article
from corridors.data.readers import Located, parse_yaml_located
from corridors.data.schema import FrontMatterIn, check
from corridors.errors import Problem
from corridors.safe import safe_url

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(
    text: str, label: str, problems: list[Problem]
) -> tuple[dict[str, Any] | None, str, Located | None]:
    """Split '---' fenced YAML front matter from the body (newlines already normalised).

    Returns (front matter, body, located front matter): the front matter is None when there is none, or
    when it is broken (then a problem is recorded).
    """
    first = _FENCE.match(text)
    if not first:
        return None, text, None
    closing = _FENCE.search(text, first.end())
    if not closing:
        problems.append(Problem(label, "line 1", "front matter starts with '---' but has no closing '---' line"))
        return None, text, None
    raw = text[first.end() : closing.start()]
    located = parse_yaml_located(raw, label, problems)  # raw starts on line 1, after the "---"
    body = text[closing.end() :]
    if located is None or located.value is None:
        return ({} if located is not None or raw.strip() == "" else None), body, located
    if not isinstance(located.value, dict):
        problems.append(
            Problem(label, "front matter", f"must be a mapping of keys to values, not {type(located.value).__name__}")
        )
        return None, body, None
    return located.value, body, located


def split_paragraphs(body: str) -> tuple[str, ...]:
    """Paragraphs are separated by blank lines; line breaks inside one become spaces."""
    blocks = _BLANK_LINES.split(normalise_newlines(body))
    return tuple(" ".join(line.strip() for line in b.strip().split("\n")) for b in blocks if b.strip())


def parse_article(article_id: str, text: str, label: str, problems: list[Problem]) -> Article | None:
    """Parse an article file's text. Problems are appended; None when nothing usable is left."""
    before = len(problems)
    meta, body, located = split_front_matter(normalise_newlines(text), label, problems)
    if meta is None:
        if len(problems) > before:
            return None  # broken front matter: the problem says why
        meta = {}
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        problems.append(Problem(label, "body", "has no text"))
        return None
    front = check(
        FrontMatterIn, meta, label, "front matter", problems, line_of=lambda loc: located.line(loc) if located else None
    )
    if front is None:
        return Article(id=article_id, title="", paragraphs=paragraphs)
    url = front.url or ""
    if url and safe_url(url) is None:
        problems.append(Problem(label, "front matter 'url'", f"{url!r} is not an http(s) URL"))
        url = ""
    categories = front.categories or []
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",") if c.strip()]
    return Article(
        id=article_id,
        title=front.title,
        paragraphs=paragraphs,
        outlet=front.outlet or "",
        author=front.author or "",
        date=front.date or "",
        url=url,
        categories=tuple(categories),
        date_note=front.date_note or "",
    )
