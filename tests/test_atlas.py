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
# The ways issue 17 added: each is a corridor sourced like the others.
NEW_2026 = ("cku-railway", "trans-afghan-west", "khaf-herat", "chabahar-zahedan")


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
        ("cku-railway", ["CHN", "KGZ", "UZB"]),
        ("trans-afghan-west", ["TKM", "AFG", "PAK"]),
        ("khaf-herat", ["IRN", "AFG"]),
        ("chabahar-zahedan", ["IRN"]),
        ("fergana-rail-link", ["UZB"]),
        ("turkmen-rail-link", ["TKM"]),
        ("chaman-rail-link", ["PAK"]),
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


def test_pakafuz_main_alignment_is_the_agreed_route_and_torkham_the_alternative(real_atlas):
    """Issue 17: Termez–Naibabad–Maidan Shahr–Logar–Kharlachi (July 2023 protocol, Kabul framework agreement of
    17 July 2025) is the main alignment, 1,520 mm; the Kabul–Jalalabad–Torkham line is the alternative."""
    main = real_atlas.route("pakafuz")
    places = [main[0].from_node] + [s.to_node for s in main]
    assert places == ["termez", "hairatan", "mazar-i-sharif", "maidan-shahr", "pul-i-alam", "kharlachi"]
    hairatan = [s for s in main if {s.from_node, s.to_node} == {"hairatan", "mazar-i-sharif"}]
    assert len(hairatan) == 1 and hairatan[0].status == "operational" and hairatan[0].gauge_mm == 1520
    assert any(e.kind == "upgrade_started" and e.date == "2024-02-21" for e in hairatan[0].events)  # rehabilitation
    assert {s.gauge_mm for s in main} == {1520}
    assert {s.status for s in main if s.id.startswith(("pakafuz-mazar-", "pakafuz-maidan", "pakafuz-pul"))} == {
        "planned"
    }
    [alt] = real_atlas.corridors["pakafuz"].alternatives
    assert alt.id == "pakafuz-torkham"
    alt_places = {n for s in real_atlas.route(alt.id) for n in (s.from_node, s.to_node)}
    assert {"kabul", "torkham", "peshawar"} <= alt_places and "maidan-shahr" not in alt_places
    corridor = real_atlas.corridors["pakafuz"]
    assert {(c.amount, c.currency) for c in corridor.costs} >= {(4.6, "USD"), (8.2, "USD"), (7.0, "USD")}
    assert {p.km for p in corridor.published_lengths if p.covers == "route"} >= {573, 647, 764}
    assert [e.date for e in corridor.events if e.kind == "agreed"][-3:] == ["2023-07-18", "2025-07-17", "2026-02-04"]


def test_rail_paths_pakistan_to_kazakhstan_through_iran_and_through_herat(real_atlas):
    ways = find_routes(real_atlas, "quetta", "zhanaozen", "rail").routes
    assert ("PAK", "IRN", "TKM", "KAZ") in [way.countries for way in ways]  # the line through Zahedan and Sarakhs
    assert countries_on_path(real_atlas, list(ways[0].places)) == list(ways[0].countries)
    # the shortest drawn rail way now runs by the planned western Trans-Afghan line (Chaman–Kandahar–Herat)
    assert ways[0].countries == ("PAK", "AFG", "TKM", "KAZ")
    assert {"chaman", "kandahar", "herat", "serhetabat"} <= set(ways[0].places)


def test_every_segment_has_sources_and_honest_accuracy(real_atlas):
    for seg in real_atlas.segments.values():
        assert seg.sources, seg.id
        assert seg.accuracy in settings.ACCURACIES
        if seg.mode == "rail":
            assert seg.gauge_mm in (None, 1435, 1520, 1676), seg.id


def test_article_excerpts_cover_the_corridors_the_article_names(real_atlas):
    linked = {c for ex in real_atlas.excerpts for c in ex.corridors}
    assert {"kkh", "elb", "pakafuz", "rail-via-iran", "kti", "cpec-western"} <= linked


@pytest.mark.parametrize("corridor_id", NEW_2026)
def test_the_2026_corridors_are_sourced_like_the_rest(real_atlas, corridor_id):
    c = real_atlas.corridors[corridor_id]
    assert c.role == "article" and c.sources and c.published_lengths and c.as_of and c.status_source
    assert c.aliases, "named for article linking"
    for seg in real_atlas.route(corridor_id):
        assert seg.sources and seg.as_of and seg.status_source, seg.id
        assert seg.accuracy in settings.ACCURACIES and seg.note, seg.id
        if seg.mode == "rail":
            assert seg.gauge_mm in (None, 1435, 1520, 1676) or seg.gauge_change, seg.id
        for node_id in (seg.from_node, seg.to_node):
            node = real_atlas.nodes[node_id]
            assert node.source and node.country, node_id
        happened = [e for e in seg.events if not e.announced]
        assert all(e.source for e in seg.events), seg.id
        if seg.status != "proposed":
            assert happened, f"{seg.id}: a {seg.status} segment says when that began"


def test_the_2026_changes_to_existing_corridors(real_atlas):
    segs = real_atlas.segments
    dostyk = segs["elb-dostyk-aktogay"]
    assert any(e.kind == "upgrade_completed" and e.date == "2025-09-30" for e in dostyk.events)  # second track
    assert segs["elb-aktogay-moiynty"].status == "operational"
    assert segs["elb-bakhty-ayagoz"].status == "under_construction"
    assert any(e.kind == "opened" and e.announced for e in segs["elb-bakhty-ayagoz"].events)
    alts = {a.id for a in real_atlas.corridors["elb"].alternatives}
    assert {"elb-moiynty", "elb-bakhty"} <= alts
    thakot = segs["kkh-thakot-gilgit"]
    assert any(e.kind == "upgrade_agreed" and e.date == "2024-05-01" for e in thakot.events)  # Phase II
    assert any(p.km == 241 for p in thakot.published_lengths)
    assert segs["kkh-sost-khunjerab"].closures[0].from_ == "12-01"  # the winter closure (branch time)
    iti = real_atlas.corridors["rail-via-iran"]
    assert [(e.kind, e.announced) for e in iti.events if e.date >= "2021"] == [
        ("resumed", False),
        ("suspended", False),
        ("resumed", True),  # the relaunch announced for 31 Dec 2025, postponed on the day
    ]
    for sid in ("ml1-rohri-hyderabad", "ml1-hyderabad-karachi"):
        kinds = [(e.kind, e.announced) for e in segs[sid].events]
        assert ("upgrade_agreed", False) in kinds and ("upgrade_started", True) in kinds
    m6 = segs["cpec-sukkur-hyderabad"]
    assert m6.status == "planned" and any(c.amount == 475 and c.scale == "million" for c in m6.costs)
    kti = real_atlas.corridors["kti"]
    assert {917.5, 920} <= {p.km for p in kti.published_lengths}


def test_every_shipped_status_has_a_date_and_a_source(real_atlas):
    from corridors.data.dates import DATE_RE

    records = [*real_atlas.corridors.values(), *real_atlas.segments.values()]
    assert all(DATE_RE.match(r.as_of) and r.status_source.strip() for r in records)


def test_info_json_gives_the_agreed_pakafuz_route(capsys):
    import json

    from corridors.cli import run

    assert run(["info", "--json"]) == 0
    pakafuz = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == "pakafuz")
    assert [s["id"] for s in pakafuz["segments"]] == [
        "pakafuz-termez-hairatan",
        "pakafuz-hairatan-mazar",
        "pakafuz-mazar-maidan-shahr",
        "pakafuz-maidan-shahr-pul-i-alam",
        "pakafuz-pul-i-alam-kharlachi",
    ]
    assert [s["to_name"] for s in pakafuz["segments"]][-3:] == ["Maidan Shahr", "Pul-i-Alam (Logar)", "Kharlachi"]
    assert [a["id"] for a in pakafuz["alternatives"]] == ["pakafuz-torkham"]
    assert any(c["amount"] == 8.2 for c in pakafuz["costs"])
