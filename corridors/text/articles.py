"""Articles: Markdown files with YAML front matter, split into numbered paragraphs."""

from __future__ import annotations

import re
from typing import Any

from corridors.data.dates import is_date
from corridors.data.model import Article
from corridors.data.readers import parse_yaml
from corridors.errors import Problem
from corridors.safe import safe_url

FRONT_MATTER_KEYS = ("title", "outlet", "author", "date", "url", "categories")
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, label: str, problems: list[Problem]) -> tuple[dict[str, Any] | None, str]:
    """Split '---' fenced YAML front matter from the body (newlines already normalised).

    Returns (front matter, body): the front matter is None when there is none, or when it is broken
    (then a problem is recorded).
    """
    first = _FENCE.match(text)
    if not first:
        return None, text
    closing = _FENCE.search(text, first.end())
    if not closing:
        problems.append(Problem(label, "line 1", "front matter starts with '---' but has no closing '---' line"))
        return None, text
    raw = text[first.end() : closing.start()]
    data = parse_yaml(raw, label, problems)  # raw starts on line 1, after the "---"
    body = text[closing.end() :]
    if data is None:
        return ({} if raw.strip() == "" else None), body
    if not isinstance(data, dict):
        problems.append(Problem(label, "front matter", f"must be a mapping of keys to values, not {type(data).__name__}"))
        return None, body
    return data, body


def split_paragraphs(body: str) -> tuple[str, ...]:
    """Paragraphs are separated by blank lines; line breaks inside one become spaces."""
    blocks = _BLANK_LINES.split(normalise_newlines(body))
    return tuple(" ".join(line.strip() for line in b.strip().split("\n")) for b in blocks if b.strip())


def _text_field(meta: dict[str, Any], key: str, label: str, problems: list[Problem]) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) or hasattr(value, "isoformat"):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    problems.append(Problem(label, f"front matter '{key}'", f"must be text, not {type(value).__name__}"))
    return ""


def parse_article(article_id: str, text: str, label: str, problems: list[Problem]) -> Article | None:
    """Parse an article file's text. Problems are appended; None when nothing usable is left."""
    before = len(problems)
    meta, body = split_front_matter(normalise_newlines(text), label, problems)
    if meta is None:
        if len(problems) > before:
            return None  # broken front matter: the problem says why
        meta = {}
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    if unknown:
        problems.append(Problem(label, "front matter", f"unknown key(s) {', '.join(map(repr, unknown))}; "
                                f"allowed: {', '.join(FRONT_MATTER_KEYS)}"))
    fields = {k: _text_field(meta, k, label, problems) for k in ("title", "outlet", "author", "date", "url")}
    categories = meta.get("categories") or []
    if isinstance(categories, str):
        categories = [c.strip() for c in categories.split(",") if c.strip()]
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        problems.append(Problem(label, "front matter 'categories'", "must be a list of text"))
        categories = []
    if fields["date"] and not is_date(fields["date"]):
        problems.append(Problem(label, "front matter 'date'", f"{fields['date']!r} is not a date "
                                "(YYYY, YYYY-MM or YYYY-MM-DD)"))
        fields["date"] = ""
    if fields["url"] and safe_url(fields["url"]) is None:
        problems.append(Problem(label, "front matter 'url'", f"{fields['url']!r} is not an http(s) URL"))
        fields["url"] = ""
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        problems.append(Problem(label, "body", "has no text"))
        return None
    if not fields["title"]:
        problems.append(Problem(label, "front matter 'title'", "is missing"))
    return Article(id=article_id, paragraphs=paragraphs, categories=tuple(categories), **fields)
