"""The reader view of an article: paragraphs as HTML with every linked mention highlighted.

Pure functions; every piece of article text is escaped. Mentions of a corridor link to the map with
that corridor selected; the excerpt a reader came to read ("read in context") is marked as focused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from corridors.data.atlas import Atlas
from corridors.data.model import Article, Excerpt
from corridors.safe import html_text
from corridors.text.linking import Mention, link_target

OTHER_COLOUR = "#777777"
FOCUS_BACKGROUND = "#fff3a8"


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    title: str
    outlet: str
    date: str
    corridors: tuple[str, ...]


def summaries(atlas: Atlas, excerpts: list[Excerpt], articles: dict[str, Article]) -> list[ArticleSummary]:
    """Each article with the corridors it links, for the list of articles."""
    out = []
    for article in articles.values():
        linked = tuple(dict.fromkeys(c for e in excerpts if e.article == article.id for c in e.corridors))
        out.append(ArticleSummary(article.id, article.title, article.outlet, article.date, linked))
    return sorted(out, key=lambda s: (s.date or "", s.title), reverse=True)


def map_link(corridor_id: str) -> str:
    """Where a click on a corridor's mention goes by default: the map (the app's main page) with it selected."""
    return "/?" + urlencode({"selected": corridor_id})


def excerpt_anchor(paragraph: int, start: int, end: int) -> str:
    """The HTML id of an excerpt's span: integers only, safe anywhere."""
    return f"x-{int(paragraph)}-{int(start)}-{int(end)}"


def _mention_html(atlas: Atlas, colours: dict, text: str, group: list[Mention], href: Callable[[str], str]) -> str:
    """One mention (possibly naming several things, like 'CPEC'): a link to the map when it names a corridor."""
    first = group[0]
    corridor_ids = [link_target(atlas, m.kind, m.target) for m in group if m.kind == "corridor"]
    label = html_text(text[first.start:first.end])
    if not corridor_ids:  # places and organisations: marked, in grey, so colours stay the corridors'
        return (f'<span class="mention mention-{first.kind}" style="border-bottom:2px dotted {OTHER_COLOUR}">'
                f"{label}</span>")
    colour = colours.get(corridor_ids[0], "#333333")
    style = f"background:{colour}2e;border-bottom:2px solid {colour};border-radius:2px;padding:0 1px;color:inherit"
    names = ", ".join(atlas.corridors[c].name for c in dict.fromkeys(corridor_ids))
    return (f'<a class="mention mention-corridor" data-corridor="{html_text(corridor_ids[0])}" '
            f'href="{html_text(href(corridor_ids[0]))}" target="_self" '
            f'title="{html_text("Show on the map: " + names)}" style="{style};text-decoration:none">{label}</a>')


def paragraph_html(atlas: Atlas, colours: dict[str, str], text: str, index: int, mentions: list[Mention],
                   excerpts: list[Excerpt], focus: tuple[int, int, int] | None = None,
                   href: Callable[[str], str] = map_link) -> str:
    """One paragraph: excerpts as spans (the focused one marked), mentions inside them highlighted."""
    groups: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.start, m.end), []).append(m)
    boundaries = sorted(groups)
    spans = sorted((e for e in excerpts if e.paragraph == index), key=lambda e: e.start)
    out, pos = [], 0

    def piece(start: int, end: int) -> str:
        html, at = [], start
        for s, e in boundaries:
            if s >= start and e <= end:
                html.append(html_text(text[at:s]))
                html.append(_mention_html(atlas, colours, text, groups[(s, e)], href))
                at = e
        html.append(html_text(text[at:end]))
        return "".join(html)

    for ex in spans:
        focused = focus == (ex.paragraph, ex.start, ex.end)
        if ex.start < pos:  # overlaps the excerpt before it: keep an anchor so a link can still reach it
            mark = f"background:{FOCUS_BACKGROUND};outline:2px solid #e0b800;" if focused else ""
            out.append(f'<span class="excerpt{" focused" if focused else ""}" '
                       f'id="{excerpt_anchor(ex.paragraph, ex.start, ex.end)}" style="{mark}"></span>')
            continue
        out.append(piece(pos, ex.start))
        mentioned = {m.target for s, e in boundaries if ex.start <= s and e <= ex.end for m in groups[(s, e)]}
        why = {link.target: link.reason or link.origin for link in ex.links if link.kind == "corridor"}
        chips = "".join(
            f' <a class="chip" data-corridor="{html_text(c)}" href="{html_text(href(c))}" target="_self" '
            f'title="{html_text("Linked: " + why.get(c, ""))}" '
            f'style="font-size:0.75em;border:1px solid {colours.get(c, "#333")};border-radius:8px;padding:0 5px;'
            f'color:{colours.get(c, "#333")};text-decoration:none">{html_text(atlas.corridors[c].name)}</a>'
            for c in ex.corridors if c in atlas.corridors and c not in mentioned)
        style = f"background:{FOCUS_BACKGROUND};outline:2px solid #e0b800;" if focused else ""
        cls = "excerpt focused" if focused else "excerpt"
        out.append(f'<span class="{cls}" id="{excerpt_anchor(ex.paragraph, ex.start, ex.end)}" style="{style}">'
                   f"{piece(ex.start, ex.end)}{chips}</span>")
        pos = ex.end
    out.append(piece(pos, len(text)))
    return f'<p id="para-{index}" class="article-paragraph">{"".join(out)}</p>'


def article_html(atlas: Atlas, colours: dict[str, str], article: Article, mentions: list[Mention],
                 excerpts: list[Excerpt], focus: tuple[int, int, int] | None = None,
                 href: Callable[[str], str] = map_link) -> str:
    """The whole article body as escaped HTML; `href(corridor id)` gives the address its links open."""
    by_paragraph: dict[int, list[Mention]] = {}
    for m in mentions:
        by_paragraph.setdefault(m.paragraph, []).append(m)
    mine = [e for e in excerpts if e.article == article.id]
    return "".join(paragraph_html(atlas, colours, text, i, by_paragraph.get(i, []), mine, focus, href)
                   for i, text in enumerate(article.paragraphs))
