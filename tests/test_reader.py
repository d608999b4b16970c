"""The reader view's HTML: highlighted mentions in corridor colours, links to the map, escaped text."""

from __future__ import annotations

from factory import HOSTILE, hostile_world

from corridors.assemble import load_atlas
from corridors.maps.mapdata import MapData
from corridors.text.reader import article_html, summaries

SEED = "pakistan-kazakhstan-relations"


def test_seed_article_mentions_are_highlighted_and_link_to_the_map(real_atlas):
    colours = MapData(real_atlas).colours
    html = article_html(real_atlas, colours, real_atlas.articles[SEED], real_atlas.mentions[SEED], real_atlas.excerpts)
    assert (
        f'data-corridor="kkh" href="/?selected=kkh" target="_self" title="Show on the map: Karakoram Highway" '
        f'style="background:{colours["kkh"]}2e'
    ) in html
    for name in (
        "Karakoram Highway",
        "PAKAFUZ",
        "Eurasian Land Bridge",
        "ELB",
        "CPEC",
        "rail routes via Iran and Turkmenistan",
    ):
        assert f">{name}</a>" in html, name
    # the curated-only link ("this emerging corridor") is named after its paragraph, not inside the sentence
    para2 = html[html.index('<p id="para-2"') : html.index('<p id="para-3"')]
    assert para2.count('class="paragraph-also"') == 1
    assert para2.index("paragraph-also") > para2.index("participate in")
    assert 'class="also-about" data-corridor="pakafuz" href="/?selected=pakafuz"' in para2
    assert 'class="chip"' not in html


def test_a_mention_naming_several_corridors_offers_each_of_them(real_atlas):
    colours = MapData(real_atlas).colours
    html = article_html(real_atlas, colours, real_atlas.articles[SEED], real_atlas.mentions[SEED], real_atlas.excerpts)
    start = html.index('data-corridors="kti rail-via-iran"')
    group = html[start : html.index("</span></span>", start)]
    assert ">rail routes via Iran and Turkmenistan</a>" in group and 'aria-expanded="false"' in group
    assert 'class="mention-menu" hidden' in group
    assert 'class="mention-choice" data-corridor="kti" href="/?selected=kti"' in group
    assert 'class="mention-choice" data-corridor="rail-via-iran" href="/?selected=rail-via-iran"' in group
    assert html.count('data-corridors="cpec-western cpec-eastern"') == 2  # both "CPEC"s
    # a mention naming one corridor stays a plain link
    assert 'class="mention mention-corridor" data-corridor="kkh"' in html
    assert html.count('<p id="para-') == len(real_atlas.articles[SEED].paragraphs)


def test_focused_excerpt_is_marked(real_atlas):
    colours = MapData(real_atlas).colours
    html = article_html(
        real_atlas,
        colours,
        real_atlas.articles[SEED],
        real_atlas.mentions[SEED],
        real_atlas.excerpts,
        focus=(2, 223, 404),
    )
    assert '<span class="excerpt focused" id="x-2-223-404"' in html
    assert html.count("excerpt focused") == 1


def test_article_list_counts_linked_corridors(real_atlas):
    [row] = summaries(real_atlas, real_atlas.excerpts, real_atlas.articles)
    assert row.title == "Pakistan-Kazakhstan Relations Are Very Promising" and row.outlet == "Voice of East"
    assert set(row.corridors) == {"elb", "cpec-western", "cpec-eastern", "kkh", "rail-via-iran", "kti", "pakafuz"}


def test_hostile_article_text_is_escaped(tmp_path):
    atlas = load_atlas(hostile_world().write(tmp_path / "d"))
    html = article_html(
        atlas, MapData(atlas).colours, atlas.articles["test-article"], atlas.mentions["test-article"], atlas.excerpts
    )
    assert HOSTILE not in html and "<script>" not in html and "<img" not in html and "${" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
