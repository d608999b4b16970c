"""Ways between countries and places (corridors.geo.routes) and `python -m corridors routes`."""

from __future__ import annotations

import itertools
import json

import pytest

from corridors.assemble import load_atlas
from corridors.cli import run
from corridors.geo.routes import (
    RouteError,
    Way,
    comparison_rows,
    find_routes,
    resolve_endpoint,
)


def _by_countries(result) -> dict[tuple[str, ...], Way]:
    return {tuple(w.countries): w for w in result.routes}


@pytest.fixture(scope="module")
def pak_kaz(real_atlas):
    return _by_countries(find_routes(real_atlas, "PAK", "KAZ"))


def test_pakistan_to_kazakhstan_has_the_three_ways_of_the_article(pak_kaz):
    assert {("PAK", "CHN", "KAZ"), ("PAK", "AFG", "UZB", "KAZ"), ("PAK", "IRN", "TKM", "KAZ")} <= set(pak_kaz)
    assert ("PAK", "CHN", "KGZ", "KAZ") in pak_kaz  # the QTTA road through Kyrgyzstan
    assert len(pak_kaz) == len({tuple(w.countries) for w in pak_kaz.values()})  # told apart by countries


def test_way_through_china_uses_the_kkh_and_crosses_two_borders(pak_kaz):
    way = pak_kaz[("PAK", "CHN", "KAZ")]
    assert "kkh" in [c.id for c in way.corridors]
    assert [(b.from_country, b.to_country) for b in way.borders] == [("PAK", "CHN"), ("CHN", "KAZ")]
    assert way.borders[0].name == "Khunjerab Pass"
    assert way.from_name == "Hasan Abdal"  # the KKH's start in Pakistan, not the last place before the border


def test_way_through_afghanistan_is_pakafuz_and_names_what_is_not_built(pak_kaz):
    way = pak_kaz[("PAK", "AFG", "UZB", "KAZ")]
    ids = [c.id for c in way.corridors]
    assert "pakafuz" in ids and "uzbek-rail-link" in ids
    assert len(way.borders) == 3
    assert {m.status for m in way.missing_links} == {"planned"}
    assert way.km_by_status["planned"] > 0
    assert any(e.corridor == "pakafuz" for e in way.excerpts)


def test_way_through_kyrgyzstan_and_uzbekistan_by_the_cku_railway(pak_kaz):
    """Issue 17: the KKH to Kashgar, then the China–Kyrgyzstan–Uzbekistan railway to Andijan and the Uzbek
    network to Kazakhstan."""
    way = pak_kaz[("PAK", "CHN", "KGZ", "UZB", "KAZ")]
    ids = [c.id for c in way.corridors]
    assert ids[:2] == ["kkh", "cku-railway"] and "fergana-rail-link" in ids
    assert {"kashgar", "torugart-pass", "jalal-abad", "andijan", "tashkent"} <= set(way.places)
    assert [(m.where, m.from_mode, m.to_mode) for m in way.mode_changes] == [("Kashgar", "road", "rail")]
    assert [(g.from_gauge_mm, g.to_gauge_mm) for g in way.gauge_breaks] == [(1435, 1520)]  # at Makmal
    assert {m.status for m in way.missing_links} == {"under_construction"}


def test_way_through_turkmenistan_herat_kandahar_and_chaman(pak_kaz):
    way = pak_kaz[("PAK", "AFG", "TKM", "KAZ")]
    assert {"chaman", "spin-boldak", "kandahar", "herat", "torghundi", "serhetabat"} <= set(way.places)
    ids = [c.id for c in way.corridors]
    assert "trans-afghan-west" in ids and "turkmen-rail-link" in ids and ids[-1] == "kti"
    assert [(b.from_country, b.to_country) for b in way.borders] == [
        ("PAK", "AFG"),
        ("AFG", "TKM"),
        ("TKM", "KAZ"),
    ]
    assert way.borders[0].name == "Chaman / Spin Boldak"
    assert way.km_by_mode["road"] == 0
    assert {"planned", "under_construction", "proposed"} <= {m.status for m in way.missing_links}


def test_rail_way_through_iran_changes_gauge_twice(pak_kaz):
    way = pak_kaz[("PAK", "IRN", "TKM", "KAZ")]
    assert [(g.from_gauge_mm, g.to_gauge_mm) for g in way.gauge_breaks] == [(1676, 1435), (1435, 1520)]
    assert [g.where for g in way.gauge_breaks] == ["Zahedan", "Sarakhs"]
    assert [(b.from_country, b.to_country) for b in way.borders] == [
        ("PAK", "IRN"),
        ("IRN", "TKM"),
        ("TKM", "KAZ"),
    ]
    assert way.km_by_mode["road"] == 0
    assert "bereket" in way.places  # the rail route via Iran and the KTI join there
    assert [c.id for c in way.corridors] == ["rail-via-iran", "kti"]


def test_figures_add_up(pak_kaz):
    for way in pak_kaz.values():
        assert sum(way.km_by_status.values()) == pytest.approx(way.drawn_km, abs=0.5)
        assert sum(way.km_by_mode.values()) == pytest.approx(way.drawn_km, abs=0.5)
        assert way.km_by_country[0].country == "PAK"
        assert way.published_legs <= way.legs_count == len(way.legs)


def test_mode_limits_the_ways(real_atlas):
    rail = _by_countries(find_routes(real_atlas, "Pakistan", "kazakhstan", "rail"))
    assert {("PAK", "AFG", "UZB", "KAZ"), ("PAK", "IRN", "TKM", "KAZ"), ("PAK", "AFG", "TKM", "KAZ")} <= set(rail)
    assert all(w.km_by_mode["road"] == 0 for w in rail.values())
    assert ("PAK", "CHN", "KGZ", "UZB", "KAZ") not in rail  # the CKU way starts by road (the KKH to Kashgar)
    road = find_routes(real_atlas, "PAK", "KAZ", "road")
    assert all(w.km_by_mode["rail"] == 0 for w in road.routes)
    assert ("PAK", "CHN", "KGZ", "KAZ") in _by_countries(road)


def test_places_as_ends(real_atlas):
    result = find_routes(real_atlas, "Kashgar", "Almaty", "road")
    assert result.from_.kind == "place" and result.routes[0].from_name == "Kashgar"
    assert all(w.to_name == "Almaty" for w in result.routes)


def test_unreachable_destination_says_so(world, tmp_path):
    world.countries["features"].append(
        {
            "type": "Feature",
            "properties": {"iso3": "CCC", "name": "Cland"},
            "geometry": {"type": "Polygon", "coordinates": [[[20, 0], [30, 0], [30, 10], [20, 10], [20, 0]]]},
        }
    )
    world.nodes["features"].append(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [25.0, 5.0]},
            "properties": {"id": "island", "name": "Island", "kind": "city", "country": "CCC", "source": "test"},
        }
    )
    atlas = load_atlas(world.write(tmp_path / "d"))
    result = find_routes(atlas, "AAA", "CCC")
    assert result.routes == () and "no way from Aland to Cland" in result.message
    assert [w.countries for w in find_routes(atlas, "Aville", "BBB").routes] == [("AAA", "BBB")]


def test_unknown_end_names_what_is_known(real_atlas):
    with pytest.raises(RouteError) as err:
        resolve_endpoint(real_atlas, "Narnia")
    text = str(err.value)
    assert "unknown country or place 'Narnia'" in text and "Kazakhstan (KAZ)" in text and "Almaty" in text
    with pytest.raises(RouteError, match="unknown mode"):
        find_routes(real_atlas, "PAK", "KAZ", "air")


def test_comparison_rows_are_flat(real_atlas):
    rows = comparison_rows(find_routes(real_atlas, "PAK", "KAZ", "rail"))
    assert len(rows) >= 3 and all(isinstance(v, (str, int, float, type(None))) for r in rows for v in r.values())
    assert any("1676→1435" in r["gauge breaks"] for r in rows)


def test_cli_routes_text(capsys):
    assert run(["routes", "PAK", "KAZ"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"Ways from Pakistan to Kazakhstan by road or rail: {len(find_routes(load_atlas(), 'PAK', 'KAZ').routes)}"
    )
    assert "Pakistan → China → Kyrgyzstan → Uzbekistan → Kazakhstan" in out
    assert "Pakistan → Afghanistan → Turkmenistan → Kazakhstan" in out
    assert "Zahedan: 1,676 mm → 1,435 mm; Sarakhs: 1,435 mm → 1,520 mm" in out
    assert "Khunjerab Pass (PAK → CHN, road)" in out


def test_cli_routes_json(capsys):
    assert run(["routes", "Pakistan", "KAZ", "--mode", "rail", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "rail" and data["to"]["code"] == "KAZ"
    assert {tuple(w["countries"]) for w in data["routes"]} >= {
        ("PAK", "AFG", "UZB", "KAZ"),
        ("PAK", "IRN", "TKM", "KAZ"),
        ("PAK", "AFG", "TKM", "KAZ"),  # the western Trans-Afghan line, Chaman–Kandahar–Herat–Serhetabat
    }


def test_cli_routes_unknown_and_unreachable(world, tmp_path, capsys):
    assert run(["routes", "PAK", "Narnia"]) == 1
    assert "unknown country or place 'Narnia'" in capsys.readouterr().err
    root = world.write(tmp_path / "d")
    assert run(["routes", "BBB", "Aville", "--mode", "road", "--data", str(root)]) == 2
    assert "no way from Bland to Aville by road" in capsys.readouterr().out


def test_route_map_escapes_every_data_string(tmp_path):
    from factory import hostile_world

    from corridors.maps.mapdata import MapData
    from corridors.maps.routemap import routes_geojson, routes_map

    atlas = load_atlas(hostile_world().write(tmp_path / "h"))
    result = find_routes(atlas, "AAA", "BBB")
    assert len(result.routes) == 1
    html = routes_map(MapData(atlas), result, "way-1").get_root().render()
    assert "<script>window.__pwned" not in html and "${window" not in html and "onerror=\"window" not in html
    assert "Aville \\u0026lt;script\\u0026gt;" in html  # escaped, then JSON-encoded by folium
    geo = routes_geojson(MapData(atlas), result)
    assert geo["features"][0]["geometry"]["type"] == "MultiLineString"
    assert geo["features"][0]["properties"]["countries"] == ["AAA", "BBB"]


def test_routes_geojson_follows_travel_direction(real_atlas):
    from corridors.maps.mapdata import MapData
    from corridors.maps.routemap import routes_geojson

    result = find_routes(real_atlas, "KAZ", "PAK", "rail")
    for feature in routes_geojson(MapData(real_atlas), result)["features"]:
        lines = feature["geometry"]["coordinates"]
        assert all(a[-1] == b[0] for a, b in itertools.pairwise(lines))  # each leg starts where the last ended
