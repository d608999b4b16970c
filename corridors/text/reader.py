"""The reader view of an article: paragraphs as HTML with every linked mention highlighted.

Pure functions; every piece of article text is escaped. Mentions of a corridor link to the map with
that corridor selected; the excerpt a reader came to read ("read in context") is marked as focused.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from corridors.data.atlas import Atlas
from corridors.data.model import Article, Excerpt
from corridors.safe import html_text
from corridors.text.linking import Mention, link_target

OTHER_COLOUR = "#777777"
FOCUS_BACKGROUND = "#fff3a8"

# The key above an article: what each mark means (HTML, no data in it).
KEY_HTML = (
    '<div class="article-key" style="font-size:0.9rem;line-height:1.9;margin:0.3em 0 0.8em">'
    '<b>Key:</b> '
    '<span style="background:#1f77b42e;border-bottom:2px solid #1f77b4;padding:0 2px">Corridor</span> a corridor, '
    'in its map colour: click to see it on the map · '
    '<span style="background:#1f77b42e;border-bottom:4px double #1f77b4;padding:0 2px">Several</span> names '
    'several corridors: click to choose one · '
    f'<span style="border-bottom:2px dotted {OTHER_COLOUR}">Place</span> a place or an organisation · '
    f'<span style="background:{FOCUS_BACKGROUND};outline:2px solid #e0b800">Excerpt</span> the excerpt you came '
    'to read · <i>Also about:</i> after a paragraph, a corridor one of its sentences speaks of without naming it'
    "</div>"
)


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


def _corridor_link(
    atlas: Atlas,
    colours: dict,
    cid: str,
    href: Callable[[str], str],
    label: str,
    cls: str,
    style: str = "",
    why: str = "",
) -> str:
    title = "Show on the map: " + atlas.corridors[cid].name + (f" (linked: {why})" if why else "")
    return (
        f'<a class="{cls}" data-corridor="{html_text(cid)}" href="{html_text(href(cid))}" target="_self" '
        f'title="{html_text(title)}" style="{style}">{label}</a>'
    )


def _mention_html(atlas: Atlas, colours: dict, text: str, group: list[Mention], href: Callable[[str], str]) -> str:
    """One mention (possibly naming several things, like 'CPEC'): a link to the map when it names a corridor.

    A mention naming several corridors has a double underline and opens a small menu of them (the page's
    script toggles it; without the script the link opens the first).
    """
    first = group[0]
    corridor_ids = list(dict.fromkeys(link_target(atlas, m.kind, m.target) for m in group if m.kind == "corridor"))
    label = html_text(text[first.start : first.end])
    if not corridor_ids:  # places and organisations: marked, in grey, so colours stay the corridors'
        return (
            f'<span class="mention mention-{first.kind}" style="border-bottom:2px dotted {OTHER_COLOUR}">{label}</span>'
        )
    colour = colours.get(corridor_ids[0], "#333333")
    if len(corridor_ids) == 1:
        style = (
            f"background:{colour}2e;border-bottom:2px solid {colour};border-radius:2px;padding:0 1px;"
            "color:inherit;text-decoration:none"
        )
        return _corridor_link(atlas, colours, corridor_ids[0], href, label, "mention mention-corridor", style)
    names = [atlas.corridors[c].name for c in corridor_ids]
    style = (
        f"background:{colour}2e;border-bottom:4px double {colour};border-radius:2px;padding:0 1px;"
        "color:inherit;text-decoration:none"
    )
    items = "".join(
        _corridor_link(
            atlas,
            colours,
            c,
            href,
            html_text(atlas.corridors[c].name),
            "mention-choice",
            f"display:block;padding:2px 4px;color:inherit;border-left:4px solid {colours.get(c, '#333')};"
            "margin:2px 0;text-decoration:none",
        )
        for c in corridor_ids
    )
    return (
        f'<span class="mention-several" style="position:relative">'
        f'<a class="mention mention-corridor mention-several-link" data-corridors="{html_text(" ".join(corridor_ids))}" '
        f'href="{html_text(href(corridor_ids[0]))}" target="_self" aria-haspopup="true" aria-expanded="false" '
        f'title="{html_text("Names several corridors: " + ", ".join(names) + ". Choose one.")}" style="{style}">'
        f"{label}</a>"
        f'<span class="mention-menu" hidden style="position:absolute;left:0;top:1.7em;z-index:20;background:#fff;'
        f'border:1px solid #767676;border-radius:4px;padding:4px 6px;box-shadow:0 2px 6px #0003;'
        f'white-space:nowrap;font-size:0.9rem;line-height:1.5">'
        f'<span style="display:block;color:#444">“{label}” names {len(corridor_ids)} corridors:</span>'
        f"{items}</span></span>"
    )


def paragraph_html(
    atlas: Atlas,
    colours: dict[str, str],
    text: str,
    index: int,
    mentions: list[Mention],
    excerpts: list[Excerpt],
    focus: tuple[int, int, int] | None = None,
    href: Callable[[str], str] = map_link,
) -> str:
    """One paragraph: excerpts as spans (the focused one marked), mentions inside them highlighted."""
    groups: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.start, m.end), []).append(m)
    boundaries = sorted(groups)
    starts = [s for s, _ in boundaries]  # each piece looks up its own mentions (bisect): linear in the text
    spans = sorted((e for e in excerpts if e.paragraph == index), key=lambda e: e.start)
    out, pos = [], 0
    unnamed: list[str] = []  # corridors a sentence speaks of without naming them (curated links)
    why: dict[str, str] = {}  # corridor -> why it was linked (the linker's reason, or "curated")

    def within(start: int, end: int):
        first = bisect_left(starts, start)
        return [(s, e) for s, e in boundaries[first : bisect_left(starts, end, first)] if e <= end]

    def piece(start: int, end: int) -> str:
        html, at = [], start
        for s, e in within(start, end):
            html.append(html_text(text[at:s]))
            html.append(_mention_html(atlas, colours, text, groups[(s, e)], href))
            at = e
        html.append(html_text(text[at:end]))
        return "".join(html)

    for ex in spans:
        focused = focus == (ex.paragraph, ex.start, ex.end)
        if ex.start < pos:  # overlaps the excerpt before it: keep an anchor so a link can still reach it
            mark = f"background:{FOCUS_BACKGROUND};outline:2px solid #e0b800;" if focused else ""
            out.append(
                f'<span class="excerpt{" focused" if focused else ""}" '
                f'id="{excerpt_anchor(ex.paragraph, ex.start, ex.end)}" style="{mark}"></span>'
            )
            continue
        out.append(piece(pos, ex.start))
        mentioned = {m.target for s, e in within(ex.start, ex.end) for m in groups[(s, e)]}
        new = [c for c in ex.corridors if c in atlas.corridors and c not in mentioned and c not in unnamed]
        unnamed += new
        why.update(
            {
                link.target: link.reason or link.origin
                for link in ex.links
                if link.kind == "corridor" and link.target in new
            }
        )
        style = f"background:{FOCUS_BACKGROUND};outline:2px solid #e0b800;" if focused else ""
        cls = "excerpt focused" if focused else "excerpt"
        out.append(
            f'<span class="{cls}" id="{excerpt_anchor(ex.paragraph, ex.start, ex.end)}" style="{style}">'
            f"{piece(ex.start, ex.end)}</span>"
        )
        pos = ex.end
    out.append(piece(pos, len(text)))
    if unnamed:  # after the paragraph, not inside its sentences
        links = ", ".join(
            _corridor_link(
                atlas,
                colours,
                c,
                href,
                html_text(atlas.corridors[c].name),
                "also-about",
                f"color:inherit;border-bottom:2px solid {colours.get(c, '#333')};text-decoration:none",
                why.get(c, ""),
            )
            for c in unnamed
        )
        out.append(
            f'<span class="paragraph-also" style="display:block;font-size:0.85em;margin-top:0.2em">'
            f"Also about: {links}</span>"
        )
    return f'<p id="para-{index}" class="article-paragraph">{"".join(out)}</p>'


def article_html(
    atlas: Atlas,
    colours: dict[str, str],
    article: Article,
    mentions: list[Mention],
    excerpts: list[Excerpt],
    focus: tuple[int, int, int] | None = None,
    href: Callable[[str], str] = map_link,
) -> str:
    """The whole article body as escaped HTML; `href(corridor id)` gives the address its links open."""
    by_paragraph: dict[int, list[Mention]] = {}
    for m in mentions:
        by_paragraph.setdefault(m.paragraph, []).append(m)
    mine: dict[int, list[Excerpt]] = {}
    for e in excerpts:
        if e.article == article.id:
            mine.setdefault(e.paragraph, []).append(e)
    return "".join(
        paragraph_html(atlas, colours, text, i, by_paragraph.get(i, []), mine.get(i, []), focus, href)
        for i, text in enumerate(article.paragraphs)
    )
