"""What a click on a place shows, and widget labels that screen readers read without Markdown escapes."""

from __future__ import annotations

from corridors.assemble import load_atlas
from corridors.maps.placeinfo import clicked_place, corridors_through, place_info
from corridors.safe import markdown_label


def test_a_place_shows_its_kind_country_corridors_and_source(real_atlas):
    info = place_info(real_atlas, "gilgit")
    assert (info.name, info.kind, info.country) == ("Gilgit", "City", "Pakistan")
    assert info.corridors == ("kkh", "cpec-western", "cpec-eastern")  # CPEC runs over the KKH's segments
    assert info.source and info.excerpts == ()
    assert place_info(real_atlas, "quetta").corridors == ("cpec-western", "rail-via-iran", "chaman-rail-link")
    assert place_info(real_atlas, "no-such-place") is None


def test_a_place_lists_the_excerpts_that_mention_it(world, tmp_path):
    atlas = load_atlas(world.write(tmp_path / "d"))
    mentioned = {n for ex in atlas.excerpts for n in ex.nodes}
    assert mentioned, "the test world's article mentions places"
    node = sorted(mentioned)[0]
    info = place_info(atlas, node)
    assert info.excerpts and all(node in v.excerpt.nodes for v in info.excerpts)
    assert all(atlas.nodes[node].name.lower() in v.text.lower() for v in info.excerpts)
    assert set(info.corridors) == set(corridors_through(atlas, node))


def test_only_a_click_on_a_place_names_a_place():
    place = {"last_active_drawing": {"type": "Feature", "properties": {"node": "gilgit", "tip": "x"}}}
    line = {"last_active_drawing": {"type": "Feature", "properties": {"corridor": "kkh"}}}
    assert clicked_place(place) == "gilgit"
    assert clicked_place(line) is None and clicked_place(None) is None and clicked_place({}) is None
    assert clicked_place({"last_active_drawing": {"properties": {"node": 5}}}) is None


def test_widget_labels_escape_only_what_markdown_would_act_on():
    assert markdown_label("ML-1 railway (Karachi–Peshawar Main Line)") == "ML-1 railway (Karachi–Peshawar Main Line)"
    assert markdown_label("Places (cities, crossings, passes, ports)") == "Places (cities, crossings, passes, ports)"
    assert markdown_label("- list") == "\\- list" and markdown_label("1. first") == "1\\. first"
    assert markdown_label("# big") == "\\# big"
    hostile = markdown_label("*a* [x](javascript:y) <b> :red[z] `c` $m$ ~~s~~ a|b")
    for c in "*[]<>`$~|:":
        assert all(hostile[i - 1] == "\\" for i, ch in enumerate(hostile) if ch == c), c
