"""The Routes page's transit part in AppTest: the estimates, the ranking (in the URL) and the month."""

from __future__ import annotations

from apppages import page_first_script, start_page

ROUTES_FIRST = page_first_script("ROUTES", "MAP", "ARTICLES")


def _ranking(at):
    """The ranking table (dataframes have no key in AppTest: found by its columns)."""
    return next(d.value for d in at.dataframe if "rank" in d.value.columns and "km to build" in d.value.columns)


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_page_says_plainly_these_are_estimates_and_shows_each_ways_days():
    at = start_page(ROUTES_FIRST, {})
    text = _texts(at)
    assert "These are estimates from published averages, not a timetable." in text
    assert text.count("Estimated days:") >= 4
    ranking = _ranking(at)
    assert len(ranking) >= 4 and all("days" in d for d in ranking["days"])
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_the_ranking_measure_comes_from_and_goes_to_the_url():
    at = start_page(ROUTES_FIRST, {"rank": "borders"})
    assert at.selectbox(key="r_rank").value == "borders"
    assert at.query_params["rank"] == "borders"
    ranking = _ranking(at)
    assert list(ranking["border crossings"]) == sorted(ranking["border crossings"])
    at.selectbox(key="r_rank").set_value("km").run()
    assert at.query_params["rank"] == "km"
    ranking = _ranking(at)
    assert list(ranking["km drawn"]) == sorted(ranking["km drawn"])
    at.selectbox(key="r_rank").set_value("days").run()
    assert "rank" not in at.query_params  # the default is left out of the link


def test_an_unknown_rank_in_a_link_is_named_and_the_default_used():
    at = start_page(ROUTES_FIRST, {"rank": "speed"})
    assert any("link parameter 'rank'" in w.value for w in at.warning)
    assert at.selectbox(key="r_rank").value == "days"


def test_a_winter_month_shows_the_karakoram_way_open_since_the_crossing_opened_all_year():
    at = start_page(ROUTES_FIRST, {"month": "1"})
    assert at.selectbox(key="r_month").value == 1
    assert at.query_params["month"] == "1"
    ranking = _ranking(at)
    states = dict(zip(ranking["way"], ranking["in January"], strict=True))
    assert all(state == "open" for way, state in states.items() if "China" in way)  # year-round since Dec 2024
    assert "**In January:** open" in _texts(at).replace("\\", "")


def test_text_from_the_transit_data_is_escaped_on_the_page(tmp_path, monkeypatch):
    from factory import HOSTILE, transit_world

    world = transit_world()
    world.transit["runs"][0].update(what="Run " + HOSTILE, source="javascript:alert(1) " + HOSTILE)
    world.transit["crossings"][0].update(bcp="Post " + HOSTILE, note="note " + HOSTILE)
    world.transit["gauge_breaks"][0]["what"] = "gauge " + HOSTILE
    monkeypatch.setenv("CORRIDORS_DATA", str(world.write(tmp_path / "d")))
    at = start_page(ROUTES_FIRST, {"from": "AAA", "to": "BBB"})
    text = _texts(at)
    assert "Run \\<script\\>" in text  # shown as text, every Markdown character escaped
    assert "<script>" not in text and "](javascript" not in text
    figures = next(d.value for d in at.dataframe if "used for" in d.value.columns)
    assert all(link is None or link.startswith("https://") for link in figures["link"])
