"""The bundled atlas: loads clean, measures geodesically, crosses the right countries, connects."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from corridors import settings
from corridors.data.geodesic import line_length_km
from corridors.geo.geometry import countries_along, countries_crossed
from corridors.geo.network import countries_on_path
from corridors.geo.routes import find_routes
from corridors.summaries import corridor_info

REQUIRED = {"kkh", "cpec-western", "cpec-eastern", "ml1", "pakafuz", "kti", "rail-via-iran", "elb"}


def test_bundled_data_validates_clean(real_atlas):
    assert [str(p) for p in real_atlas.problems] == []


def test_every_required_corridor_is_there(real_atlas):
    assert REQUIRED <= set(real_atlas.corridors)


def test_one_degree_of_equator_is_111_km():
    assert line_length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(111.319, abs=0.001)


def test_known_distance_hasan_abdal_to_kashgar_straight_line():
    # Great-circle distance Islamabad (33.6844, 73.0479) – Kashgar (39.4704, 75.9898) is about 700 km.
    assert line_length_km(LineString([(73.0479, 33.6844), (75.9898, 39.4704)])) == pytest.approx(700, rel=0.02)


@pytest.mark.parametrize(
    "corridor, expected",
    [
        ("kkh", ["PAK", "CHN"]),
        ("kti", ["KAZ", "TKM", "IRN"]),
        ("pakafuz", ["UZB", "AFG", "PAK"]),
        ("rail-via-iran", ["PAK", "IRN", "TKM"]),
    ],
)
def test_countries_crossed_in_route_order(real_atlas, corridor, expected):
    assert list(corridor_info(real_atlas, corridor).countries) == expected


def test_border_node_on_the_line_adds_no_country(world, tmp_path):
    from corridors.assemble import load_atlas

    atlas = load_atlas(world.write(tmp_path / "d"))
    first = atlas.route("alpha")[:1]  # Aville – Border Post, ending exactly on the AAA/BBB border
    assert countries_along([s.line for s in first], atlas.countries) == [("AAA", pytest.approx(893.7, abs=1))]
    assert [c for c, _ in countries_crossed(atlas, "alpha")] == ["AAA", "BBB"]


def test_a_segment_listed_against_the_flow_is_read_in_travel_order(world, tmp_path):
    from corridors.assemble import load_atlas

    world.corridors[0]["segments"] = ["border-btown", "aville-border"]  # Btown → Border → Aville
    atlas = load_atlas(world.write(tmp_path / "d"))
    assert [c for c, _ in countries_crossed(atlas, "alpha")] == ["BBB", "AAA"]


def test_every_node_lies_in_its_country(real_atlas):
    from corridors.data.geodesic import distance_to_polygon_km

    shapes = real_atlas.country_shapes
    off = {
        n.id: round(distance_to_polygon_km(n.point, shapes[n.country]), 1)
        for n in real_atlas.nodes.values()
        if distance_to_polygon_km(n.point, shapes[n.country]) > settings.NODE_COUNTRY_SLACK_KM
    }
    assert off == {}


def test_pakafuz_keeps_operational_hairatan_section_and_kharlachi_variant(real_atlas):
    segs = {s.id: s for s in real_atlas.route("pakafuz")}
    hairatan = [s for s in segs.values() if {s.from_node, s.to_node} == {"hairatan", "mazar-i-sharif"}]
    assert len(hairatan) == 1 and hairatan[0].status == "operational" and hairatan[0].gauge_mm == 1520
    assert any(a.id == "pakafuz-kharlachi" for a in real_atlas.corridors["pakafuz"].alternatives)


def test_rail_path_pakistan_iran_turkmenistan_kazakhstan_exists(real_atlas):
    ways = find_routes(real_atlas, "quetta", "zhanaozen", "rail").routes
    assert ("PAK", "IRN", "TKM", "KAZ") in [way.countries for way in ways]
    assert countries_on_path(real_atlas, list(ways[0].places)) == list(ways[0].countries)


def test_every_segment_has_sources_and_honest_accuracy(real_atlas):
    for seg in real_atlas.segments.values():
        assert seg.sources, seg.id
        assert seg.accuracy in settings.ACCURACIES
        if seg.mode == "rail":
            assert seg.gauge_mm in (None, 1435, 1520, 1676), seg.id


def test_article_excerpts_cover_the_corridors_the_article_names(real_atlas):
    linked = {c for ex in real_atlas.excerpts for c in ex.corridors}
    assert {"kkh", "elb", "pakafuz", "rail-via-iran", "kti", "cpec-western"} <= linked
