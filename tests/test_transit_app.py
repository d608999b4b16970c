"""The Routes page's transit part in AppTest: the estimates, the ranking (in the URL) and the month."""

from __future__ import annotations

from apppages import page_first_script, start_page

ROUTES_FIRST = page_first_script("routes", "map_", "articles")


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_page_says_plainly_these_are_estimates_and_shows_each_ways_days():
    at = start_page(ROUTES_FIRST, {})
    text = _texts(at)
    assert "These are estimates from published averages, not a timetable." in text
    assert text.count("Estimated days:") >= 4
    ranking = at.dataframe(key="transit_ranking").value
    assert len(ranking) >= 4 and all("days" in d for d in ranking["days"])
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_the_ranking_measure_comes_from_and_goes_to_the_url():
    at = start_page(ROUTES_FIRST, {"rank": "borders"})
    assert at.selectbox(key="r_rank").value == "borders"
    assert at.query_params["rank"] == "borders"
    ranking = at.dataframe(key="transit_ranking").value
    assert list(ranking["border crossings"]) == sorted(ranking["border crossings"])
    at.selectbox(key="r_rank").set_value("km").run()
    assert at.query_params["rank"] == "km"
    ranking = at.dataframe(key="transit_ranking").value
    assert list(ranking["km drawn"]) == sorted(ranking["km drawn"])
    at.selectbox(key="r_rank").set_value("days").run()
    assert "rank" not in at.query_params  # the default is left out of the link


def test_an_unknown_rank_in_a_link_is_named_and_the_default_used():
    at = start_page(ROUTES_FIRST, {"rank": "speed"})
    assert any("link parameter 'rank'" in w.value for w in at.warning)
    assert at.selectbox(key="r_rank").value == "days"


def test_a_winter_month_shows_the_karakoram_way_closed():
    at = start_page(ROUTES_FIRST, {"month": "1"})
    assert at.selectbox(key="r_month").value == 1
    assert at.query_params["month"] == "1"
    ranking = at.dataframe(key="transit_ranking").value
    states = dict(zip(ranking["way"], ranking["in January"], strict=True))
    assert any(state == "closed" for way, state in states.items() if "China" in way)
    assert "**In January:** closed" in _texts(at).replace("\\", "")
