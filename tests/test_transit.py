"""Transit estimates (corridors.geo.transit) from published figures (geodata/transit.yaml): unit tests on a
factory network, a recomputation by hand, and the real ways from Pakistan to Kazakhstan."""

from __future__ import annotations

import pytest
from factory import transit_world

from corridors.assemble import load_atlas
from corridors.geo.routes import find_routes
from corridors.geo.transit import ClosureIn, WayIn, estimate, month_state, runs_beside, way_transit


@pytest.fixture
def transit_atlas(tmp_path):
    return load_atlas(transit_world().write(tmp_path / "data"))


def _way(atlas):
    (way,) = find_routes(atlas, "AAA", "BBB").routes
    return way


def test_the_factory_world_loads_clean(transit_atlas):
    assert transit_atlas.problems == []
    t = transit_atlas.transit
    assert (len(t.speeds), len(t.crossings), len(t.gauge_breaks), len(t.runs), len(t.corridor_costs)) == (3, 5, 1, 3, 2)


def test_moving_time_is_the_km_at_the_fastest_and_slowest_speed_of_the_country_and_mode(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    aland = next(m for m in tr.moving if m.country == "AAA")
    assert (aland.speed_kmh.low, aland.speed_kmh.high) == (20, 40)  # the road speed of Aland is not used
    assert aland.days.low == pytest.approx(aland.km / 40 / 24)
    assert aland.days.high == pytest.approx(aland.km / 20 / 24)
    assert {f.year for f in aland.figures} == {2021, 2022}


def test_a_country_without_a_speed_is_a_gap_and_coverage_says_how_much_is_estimated(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    bland = next(m for m in tr.moving if m.country == "BBB")
    assert bland.days is None and bland.speed_kmh is None
    assert any(g.startswith("no published speed for Bland by rail") for g in tr.gaps)
    assert tr.km_covered == pytest.approx(next(m.km for m in tr.moving if m.country == "AAA"))
    assert 0.45 < tr.coverage < 0.55  # two legs of about the same length, one without a figure


def test_border_hours_add_both_sides_and_a_crossings_own_figure_beats_a_country_average(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    (border,) = tr.borders
    out, inn = border.sides
    assert (out.country, out.direction, out.hours.low, out.hours.high) == ("AAA", "outbound", 10, 14)
    # Aland's inbound figure (99 h) is for the other direction; Bland's 30–50 h average gives way to 4 h
    assert (inn.country, inn.direction, inn.hours.low, inn.hours.high, inn.basis) == (
        "BBB",
        "inbound",
        4,
        4,
        "crossing",
    )
    assert (border.hours.low, border.hours.high) == (14, 18)
    assert (tr.border_days.low, tr.border_days.high) == pytest.approx((14 / 24, 18 / 24))


def test_a_gauge_break_adds_its_transshipment_time(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    (change,) = tr.changes
    assert (change.kind, change.node, change.hours.low, change.included_in) == ("gauge", "border", 6, "")
    assert change.detail == "1,520 mm → 1,435 mm"
    assert tr.gauge_days.low == pytest.approx(6 / 24)


def test_a_crossing_that_includes_the_change_of_gauge_is_not_counted_twice(tmp_path):
    world = transit_world()
    world.transit["crossings"][0]["includes_gauge_change"] = True
    atlas = load_atlas(world.write(tmp_path / "data"))
    tr = way_transit(atlas, _way(atlas))
    (change,) = tr.changes
    assert change.hours is None and change.included_in == "Border Post"
    assert tr.gauge_days.low == tr.gauge_days.high == 0
    assert not any("gauge break" in g for g in tr.gaps)


def test_a_missing_gauge_figure_is_a_gap(tmp_path):
    world = transit_world()
    world.transit["gauge_breaks"] = []
    atlas = load_atlas(world.write(tmp_path / "data"))
    tr = way_transit(atlas, _way(atlas))
    assert tr.gauge_days.high == 0
    assert "no published time for the gauge break at Border Post (1,520 mm → 1,435 mm)" in tr.gaps


def test_the_total_is_recomputed_by_hand_from_the_figures_shown(transit_atlas):
    """What the Routes page and the JSON show is enough to redo the sum: km, speeds, hours."""
    data = way_transit(transit_atlas, _way(transit_atlas)).to_json()
    figures = data["figures"]
    moving = [m for m in data["moving"] if m["days"]]
    low = high = 0.0
    for part in moving:
        speeds = [f["value"] for f in figures if f["unit"] == "km/h" and f["used_for"].startswith("in motion: Aland")]
        low += part["km"] / max(speeds) / 24
        high += part["km"] / min(speeds) / 24
    for border in data["borders"]:
        for side in border["sides"]:
            if side["hours"]:
                low += side["hours"]["low"] / 24
                high += side["hours"]["high"] / 24
    gauge = [f["value"] for f in figures if f["unit"] == "h" and f["used_for"].startswith("gauge break")]
    low, high = low + min(gauge) / 24, high + max(gauge) / 24
    assert data["days"]["low"] == pytest.approx(low, abs=0.01)
    assert data["days"]["high"] == pytest.approx(high, abs=0.01)
    # and by the numbers: 893.7 km at 40 and 20 km/h, 10+4 and 14+4 h at the border, 6 h to change gauge
    assert data["days"]["low"] == pytest.approx(893.71 / 40 / 24 + 14 / 24 + 6 / 24, abs=0.01)
    assert data["days"]["high"] == pytest.approx(893.71 / 20 / 24 + 18 / 24 + 6 / 24, abs=0.01)


def test_every_figure_has_what_value_unit_source_year(transit_atlas):
    data = way_transit(transit_atlas, _way(transit_atlas)).to_json()
    assert data["figures"]
    for f in data["figures"]:
        assert f["what"] and f["unit"] and f["source"] and isinstance(f["year"], int)
        assert isinstance(f["value"], (int, float))


def test_known_costs_are_ranges_from_the_border_and_corridor_figures(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    assert (tr.costs.border_usd.low, tr.costs.border_usd.high) == (150, 150)
    km = next(m.km for m in tr.moving if m.country == "AAA")
    assert tr.costs.corridor_usd.low == pytest.approx(km / 500 * 500)
    assert tr.costs.corridor_usd.high == pytest.approx(km / 500 * 700)
    assert tr.costs.corridor_km_covered == pytest.approx(km)


def test_published_runs_are_beside_the_estimate_not_in_it(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    assert [(r.id, r.relation, r.direction) for r in tr.runs] == [
        ("a-to-b", "same countries", "same"),
        ("c-b-a", "goes beyond this way", "reverse"),
    ]
    assert tr.days.high < 3  # the 3-day run is not averaged in


def test_runs_beside_matches_contiguous_countries_either_way():
    world = transit_world()
    from corridors.data.transit import Run

    runs = [
        Run(r["id"], r["what"], tuple(r["countries"]), tuple(r["modes"]), (1.0, 1.0), 2020, "s")
        for r in world.transit["runs"]
    ]
    assert [r.id for r in runs_beside(runs, ("XXX", "AAA", "BBB"))] == ["a-to-b"]  # part of the way
    assert runs_beside(runs, ("AAA", "XXX", "BBB")) == []  # not contiguous: no border in common


def test_an_unbuilt_leg_says_what_must_be_built(transit_atlas):
    tr = way_transit(transit_atlas, _way(transit_atlas))
    (leg,) = tr.to_build.legs
    assert (leg.segment, leg.status) == ("border-btown", "planned") and leg.km > 800
    assert not tr.to_build.runs_today


def test_no_transit_file_gives_no_estimate_and_says_why(world, tmp_path):
    atlas = load_atlas(world.write(tmp_path / "data"))
    tr = way_transit(atlas, _way(atlas))
    assert tr.days is None
    assert tr.gaps[0] == "the data folder has no transit.yaml: no published figures to estimate from"


@pytest.mark.parametrize(
    ("month", "state", "days"),
    [(12, "closed", 31), (2, "closed", 28), (3, "closed", 31), (4, "open", 0), (11, "open", 0)],
)
def test_a_seasonal_closure_over_the_year_end_closes_the_way_those_months(month, state, days):
    closure = ClosureIn("kkh-pass", "Sost – Khunjerab Pass", "12-01", "04-01", "test")
    got = month_state([closure], month, year=2025)
    assert (got.state, got.closed_days) == (state, days)


def test_a_closure_ending_mid_month_leaves_it_partly_closed():
    got = month_state([ClosureIn("s", "S", "11-15", "12-10", "test")], 12, year=2025)
    assert (got.state, got.closed_days, got.days_in_month) == ("partly closed", 9, 31)


def test_estimate_of_a_way_with_no_legs_is_empty():
    tr = estimate(None, WayIn(("AAA",), ()))
    assert tr.days is None and tr.km_total == 0 and tr.coverage == 0


# ---- the real data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pak_kaz_transit(real_atlas):
    return {w.countries: way_transit(real_atlas, w) for w in find_routes(real_atlas, "PAK", "KAZ").routes}


def test_every_way_from_pakistan_to_kazakhstan_has_a_range_with_its_figures(pak_kaz_transit):
    assert len(pak_kaz_transit) >= 4
    for countries, tr in pak_kaz_transit.items():
        assert tr.days is not None, countries
        assert 0 < tr.days.low < tr.days.high < 30, countries
        assert tr.figures and all(f.source and f.year for f in tr.figures), countries
        assert tr.km_covered > 0


def test_the_ways_gaps_are_named(pak_kaz_transit):
    afghan = pak_kaz_transit[("PAK", "AFG", "UZB", "KAZ")]
    assert any("Afghanistan by rail" in g for g in afghan.gaps)  # no published rail speed for Afghanistan
    assert afghan.coverage < 0.7
    assert afghan.to_build.km > 500  # Mazar-i-Sharif – Kabul – Kharlachi is planned
    iran = pak_kaz_transit[("PAK", "IRN", "TKM", "KAZ")]
    assert any("gauge break at Zahedan" in g for g in iran.gaps)
    assert iran.coverage == pytest.approx(1.0, abs=0.02)  # Iran rail: a derived speed and a line speed


def test_the_kkh_way_shows_the_kashgar_karachi_truck_beside_it(pak_kaz_transit):
    kkh = pak_kaz_transit[("PAK", "CHN", "KAZ")]
    assert "kashgar-karachi-truck" in [r.id for r in kkh.runs]
    assert kkh.to_build.runs_today


def test_a_closed_month_shows_the_way_closed(tmp_path):
    world = transit_world()
    world.segment("aville-border")["properties"]["closures"] = [{"from": "12-01", "to": "04-01", "source": "test"}]
    atlas = load_atlas(world.write(tmp_path / "data"))
    assert atlas.problems == []
    way = _way(atlas)
    jan, apr = way_transit(atlas, way, month=1), way_transit(atlas, way, month=4)
    assert (jan.month.state, jan.month.closed_days) == ("closed", 31)
    assert jan.month.closures[0].segment == "aville-border"
    assert (apr.month.state, apr.month.closed_days) == ("open", 0)
    assert jan.days == apr.days  # the estimate is the same; the month says whether the way runs


def test_the_khunjerab_winter_closure_comes_from_the_time_model(real_atlas):
    """The crossing closed every winter until it opened year-round on 2 Dec 2024 (dawn.com/news/1876341):
    the closure is on the way, with no day of this January closed."""
    ways = {w.countries: w for w in find_routes(real_atlas, "PAK", "KAZ").routes}
    kkh = way_transit(real_atlas, ways[("PAK", "CHN", "KAZ")], month=1)
    assert kkh.month.state == "open"
    assert {c.segment for c in kkh.month.closures} >= {"kkh-sost-khunjerab"}
    assert not any(c.closed_days for c in kkh.month.closures)
    assert way_transit(real_atlas, ways[("PAK", "IRN", "TKM", "KAZ")], month=1).month.state == "open"


def test_a_closure_that_ended_shuts_its_months_before_that_day_only():
    ended = ClosureIn("s", "S", "12-01", "04-01", "test", until="2024-12-02")
    assert month_state([ended], 1, year=2024).state == "closed"
    assert (month_state([ended], 12, year=2024).state, month_state([ended], 12, year=2024).closed_days) == (
        "partly closed",
        1,
    )  # 1 December 2024 was the last day closed
    assert month_state([ended], 1, year=2025).state == "open"


# ---- comparing ways ----------------------------------------------------------------------------------


def _facts(real_atlas):
    from corridors.geo.transit import WayFacts

    out = []
    for w in find_routes(real_atlas, "PAK", "KAZ").routes:
        t = way_transit(real_atlas, w)
        out.append(
            WayFacts(
                w.id,
                w.label,
                w.drawn_km,
                w.km_by_status["operational"],
                len(w.borders),
                len(w.gauge_breaks),
                t,
            )
        )
    return out


@pytest.mark.parametrize("measure", ["days", "km", "built", "borders", "gauges"])
def test_ranking_by_each_measure_puts_the_best_first(real_atlas, measure):
    from corridors.geo.transit import rank_ways

    ranked = rank_ways(_facts(real_atlas), measure)
    value = {
        "days": lambda w: (w.transit.coverage < 0.9, w.transit.days.low),
        "km": lambda w: w.drawn_km,
        "built": lambda w: -w.built_km,
        "borders": lambda w: w.borders,
        "gauges": lambda w: w.gauge_breaks,
    }[measure]
    assert [value(w) for w in ranked] == sorted(value(w) for w in ranked)
    if measure == "built":
        assert ranked[-1].transit.to_build.km > 0  # the Trans-Afghan way, still to build, comes last


def test_ranking_refuses_an_unknown_measure(real_atlas):
    from corridors.geo.transit import rank_ways

    with pytest.raises(ValueError, match="unknown measure 'speed'"):
        rank_ways(_facts(real_atlas), "speed")


def test_chart_rows_split_each_end_into_its_three_parts(real_atlas):
    from corridors.geo.transit import chart_rows

    facts = _facts(real_atlas)
    rows = chart_rows(facts)
    assert len(rows) == len(facts) * 2 * 3
    first = facts[0]
    low = sum(r["days"] for r in rows if r["way"] == first.title and r["end"] == "low")
    assert low == pytest.approx(first.transit.days.low, abs=0.02)


def test_transit_row_carries_the_numbers_of_the_json(transit_atlas):
    from corridors.geo.transit import transit_row

    tr = way_transit(transit_atlas, _way(transit_atlas))
    row, data = transit_row(tr), tr.to_json()
    assert (row["days low"], row["days high"]) == (round(tr.days.low, 1), round(tr.days.high, 1))
    assert row["share of km with figures"] == round(data["coverage"], 2)
    assert row["published runs (days)"].startswith("Aville to Btown: 3 (2023)")


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("cpmm.carecprogram.org/?p=141 (CPMM 2022 report)", "https://cpmm.carecprogram.org/?p=141"),
        ("https://example.org/a b", "https://example.org/a"),
        ("dawn.com/news/1623633 (Razak Dawood)", "https://dawn.com/news/1623633"),
        ("corridor-facts.md §1", None),
        ("javascript:alert(1)", None),
        ("Asian Development Bank", None),
    ],
)
def test_a_source_is_linked_only_when_it_starts_with_a_web_address(source, url):
    from corridors.ui.transit_view import source_url

    assert source_url(source) == url


# ---- the interfaces: routes --json, the CSV ------------------------------------------------------


def test_cli_routes_json_gives_every_way_transit_days_and_figures(capsys):
    from corridors.cli import run

    assert run(["routes", "PAK", "KAZ", "--json"]) == 0
    data = __import__("json").loads(capsys.readouterr().out)
    assert len(data["routes"]) >= 4
    for way in data["routes"]:
        days = way["transit_days"]
        assert set(days) == {"low", "high"} and 0 < days["low"] < days["high"]
        assert way["transit_figures"]
        for f in way["transit_figures"]:
            assert {"what", "value", "unit", "source", "year"} <= set(f)
        assert way["transit"]["km_covered"] <= way["transit"]["km_total"]


def test_cli_routes_month_shows_the_kkh_way_open_in_january_now(capsys):
    from corridors.cli import run

    assert run(["routes", "PAK", "KAZ", "--month", "1", "--json"]) == 0
    data = __import__("json").loads(capsys.readouterr().out)
    states = {tuple(w["countries"]): w["transit"]["month"]["state"] for w in data["routes"]}
    assert states[("PAK", "CHN", "KAZ")] == "open"  # the Khunjerab crossing open all year since December 2024
    assert states[("PAK", "IRN", "TKM", "KAZ")] == "open"
    with pytest.raises(SystemExit) as exit_:
        run(["routes", "PAK", "KAZ", "--month", "13"])
    assert exit_.value.code == 2
    assert "argument --month: invalid choice: 13" in capsys.readouterr().err


def test_cli_routes_text_says_the_days_are_estimates(capsys):
    from corridors.cli import run

    assert run(["routes", "PAK", "KAZ"]) == 0
    out = capsys.readouterr().out
    assert "estimate from published averages" in out
    assert "days" in out


def test_csv_and_json_carry_the_same_numbers(real_atlas, capsys):
    import csv
    import io
    import json

    from corridors.cli import run
    from corridors.geo.routes import comparison_rows
    from corridors.ui.routes_page import _csv

    assert run(["routes", "PAK", "KAZ", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = list(csv.DictReader(io.StringIO(_csv(comparison_rows(find_routes(real_atlas, "PAK", "KAZ"))))))
    assert [r["way"] for r in rows] == [w["id"] for w in data["routes"]]
    for row, way in zip(rows, data["routes"], strict=True):
        assert float(row["days low"]) == way["transit_days"]["low"]
        assert float(row["days high"]) == way["transit_days"]["high"]
        t = way["transit"]
        assert float(row["moving days low"]) == round(t["moving_days"]["low"], 1)
        assert float(row["border days high"]) == round(t["border_days"]["high"], 1)
        assert (
            float(row["share of km with figures"]) == t["coverage"]
            or abs(float(row["share of km with figures"]) - t["coverage"]) < 0.006
        )


def test_an_announced_opening_is_given_with_what_must_be_built(tmp_path):
    world = transit_world()
    world.segment("border-btown")["properties"]["events"].append(
        {"date": "2030", "kind": "opened", "source": "minister", "announced": True}
    )
    atlas = load_atlas(world.write(tmp_path / "data"))
    assert atlas.problems == []
    (leg,) = way_transit(atlas, _way(atlas)).to_build.legs
    assert (leg.announced, leg.announced_source, leg.last_event) == ("2030", "minister", "agreed 2020")
