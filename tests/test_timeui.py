"""The views of time: asof in the URL of the Map, Routes, Present and Timeline pages (AppTest), the date
control's months and play steps, the timeline's milestones and chart, and the network as of a date."""

from __future__ import annotations

import pytest
from apppages import page_first_script, start_page

from corridors.maps import pack, timebar
from corridors.maps.mapbuild import legend_entries
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state, state_from_query, state_to_query
from corridors.ui import mapcache


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


@pytest.fixture(scope="module")
def data(real_atlas):
    return MapData(real_atlas)


# ---- pure ----------------------------------------------------------------------------------------------


def test_asof_in_the_view_state_round_trips_and_a_bad_one_is_a_note(real_atlas):
    ids = list(real_atlas.corridors)
    state, notes = state_from_query({"asof": "2014-12"}, ids, [], [])
    assert state.asof == "2014-12" and notes == []
    assert state_to_query(state, ids) == {"asof": "2014-12"}
    assert state_to_query(default_state(ids), ids) == {}  # today: no asof in the URL
    for bad in ("2014-13", "2014-02-30", "yesterday", "1996-5"):
        state, notes = state_from_query({"asof": bad}, ids, [], [])
        assert state.asof is None
        assert notes == [f"link parameter 'asof': {bad!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD); showing today"]


def test_months_run_from_the_first_event_to_today_and_today_means_no_asof(real_atlas):
    months = timebar.month_options(real_atlas)
    first = min(timebar.date_bounds(e.date)[0] for s in real_atlas.segments.values() for e in s.events)
    assert months[0] == first.isoformat()[:7]
    announced = [e for x in (*real_atlas.segments.values(), *real_atlas.corridors.values()) for e in x.events]
    last = max(timebar.date_bounds(e.date)[1] for e in announced).isoformat()[:7]
    assert months[-1] == max(last, "2026-12") and timebar.today_month(real_atlas) == "2026-12"
    assert "2026-12" in months
    assert len(months) == len(set(months)) and list(months) == sorted(months)
    assert timebar.asof_from_month(real_atlas, "2026-12") is None
    assert timebar.asof_from_month(real_atlas, "2014-12") == "2014-12"
    assert timebar.slider_month(real_atlas, "2014-12-03") == "2014-12"
    assert timebar.slider_month(real_atlas, "1700") == months[0]  # out of range: the nearest end
    assert timebar.slider_month(real_atlas, "2999") == months[-1]
    assert timebar.slider_month(real_atlas, None) == "2026-12"


def test_play_steps_a_year_and_stops_at_the_end():
    months = ("2024-01", "2024-06", "2024-12", "2025-06", "2025-12", "2026-03")
    assert timebar.play_next(months, "2024-01", step=2) == "2024-12"
    assert timebar.play_next(months, "2025-06", step=2) == "2026-03"  # the last month, not past it
    assert timebar.play_next(months, "2026-03", step=2) is None  # shown: playing stops
    assert timebar.play_start(months, "2026-03") == "2024-01"  # from the end, it starts again
    assert timebar.play_start(months, "2025-06") == "2025-06"
    every = tuple(f"{y}-{m:02d}" for y in range(2000, 2003) for m in range(1, 13))
    assert timebar.play_next(every, "2000-05") == "2001-05"  # a year a step


def test_the_future_rests_on_announced_dates(real_atlas):
    assert not timebar.is_future(real_atlas, None) and not timebar.is_future(real_atlas, "2026-12-01")
    assert timebar.is_future(real_atlas, "2027") and timebar.announced_for(real_atlas, "2030-06")
    assert timebar.asof_label(real_atlas, "2014-12") == "as of 2014-12"
    assert timebar.asof_label(real_atlas, "2030") == "as of 2030 · if announced dates hold"
    assert timebar.asof_label(real_atlas, None) == ""


def test_the_map_as_of_a_date_hides_what_did_not_exist_and_styles_by_then(data):
    state = default_state(data.atlas.corridors)
    today = {s.id: s.status for segs in data.visible_segments(state).values() for s in segs}
    before = {s.id: s.status for segs in data.visible_segments(state.with_(asof="1996-04")).values() for s in segs}
    after = {s.id: s.status for segs in data.visible_segments(state.with_(asof="1996-05")).values() for s in segs}
    assert set(after) - set(before) == {"riv-mashhad-sarakhs", "riv-sarakhs-tejen"}  # opened 13 May 1996
    assert "kti-uzen-bolashak" not in after and "kti-uzen-bolashak" in today  # the KTI: agreed 2007
    in_2010 = {s.id: s.status for segs in data.visible_segments(state.with_(asof="2010-06")).values() for s in segs}
    assert in_2010["kti-uzen-bolashak"] == "under_construction" and today["kti-uzen-bolashak"] == "operational"
    # a corridor with its own history and no line of its own yet is not in the legend
    names = {e.label for e in legend_entries(data, state.with_(asof="1990"))}
    assert "CPEC western alignment" not in names and "Karakoram Highway" in names
    # the filters apply to the statuses of that date
    planned = data.visible_segments(state.with_(asof="2008", statuses=("planned",)))
    assert "kti-uzen-bolashak" in {s.id for segs in planned.values() for s in segs}


def test_the_badge_is_a_layer_of_the_view_and_its_text_is_data_not_markup(data):
    state = default_state(data.atlas.corridors)
    assert "textContent" not in mapcache.layers(data, state).script  # today: no badge
    script = mapcache.layers(data, state.with_(asof="2014-12")).script
    assert '"as of 2014-12"' in script and "textContent" in script
    evil = timebar.AsOfBadge("</script><b>x</b>")
    assert "</script>" not in evil.text_json


def test_a_segment_closed_for_the_season_says_so_in_its_tip(data):
    state = default_state(data.atlas.corridors).with_(asof="2024-01")  # the last winter the crossing closed
    shut = dict(pack.view_message(data, state)["shut"])  # atlasmap.js adds it to the tip: "not open then: …"
    assert "closed for the season" in shut[data.segment_index["kkh-sost-khunjerab"]]


def test_milestones_in_date_order_with_colours_sources_and_announced(real_atlas, data):
    items = timebar.milestones(real_atlas, data.colours, ["kti"])
    assert items and all(m.corridor == "kti" for m in items)
    assert [m.day for m in items] == sorted(m.day for m in items)
    opened = [m for m in items if m.date == "2014-12-03" and m.segment is None]
    assert opened and opened[0].kind == "opened" and "tass.com" in opened[0].source_url
    assert {m.colour for m in items} == {data.colours["kti"]}
    spec = timebar.timeline_spec(
        items, list(real_atlas.corridors), {c: x.name for c, x in real_atlas.corridors.items()}, data.colours
    )
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    assert spec["encoding"]["y"]["sort"] == ["Kazakhstan–Turkmenistan–Iran railway"]
    assert spec["encoding"]["fill"]["condition"] == {"test": "datum.announced", "value": "#ffffff"}  # hollow
    assert len(spec["data"]["values"]) == len(items)
    assert timebar.picked({"selection": {"pick": [{"i": 2}]}}, len(items)) == 2
    assert timebar.picked({"selection": {"pick": []}}, len(items)) is None
    assert timebar.picked({"selection": {"pick": [{"i": 999}]}}, len(items)) is None
    assert timebar.picked(None, len(items)) is None


# ---- AppTest: asof in the URL ------------------------------------------------------------------------


def test_the_map_page_reads_asof_from_the_url_and_the_slider_writes_it():
    at = start_page(page_first_script("MAP"), {"asof": "2014-12"})
    slider = at.select_slider(key="asof_month")
    assert slider.value == "2014-12"
    assert dict(at.query_params) == {"asof": "2014-12"}
    slider.set_value("1996-05").run()
    assert not at.exception
    assert dict(at.query_params) == {"asof": "1996-05"}
    at.select_slider(key="asof_month").set_value("2026-12").run()  # today
    assert dict(at.query_params) == {}


def test_the_map_page_keeps_an_exact_day_and_notes_a_bad_asof():
    at = start_page(page_first_script("MAP"), {"asof": "2014-12-03", "selected": "kti"})
    assert at.query_params["asof"] == "2014-12-03"
    assert at.select_slider(key="asof_month").value == "2014-12"
    at = start_page(page_first_script("MAP"), {"asof": "2014-13"})
    assert "asof" not in at.query_params
    assert any("link parameter 'asof'" in c.value for c in at.warning)


def test_the_play_button_steps_a_year_and_stop_stops():
    at = start_page(page_first_script("MAP"), {"asof": "2000-01"})
    at.button(key="asof_play").click().run()
    assert at.session_state["_asof_playing"] is True
    assert at.button(key="asof_play").label == "Stop"
    at.button(key="asof_play").click().run()
    assert at.session_state["_asof_playing"] is False
    assert at.button(key="asof_play").label == "Play"
    assert dict(at.query_params) == {"asof": "2000-01"}


def test_the_routes_page_reads_asof_and_shows_closures_of_that_month():
    at = start_page(page_first_script("ROUTES"), {"asof": "2024-01"})
    assert at.query_params["asof"] == "2024-01"
    text = " ".join(m.value for m in at.markdown)
    assert "The network as of 2024-01" in text and "Khunjerab" in text and "closed 12-01 to 04-01" in text
    at = start_page(page_first_script("ROUTES"), {"asof": "2024-07"})
    assert "all " in " ".join(m.value for m in at.markdown if "network as of" in m.value)

    def ways(query):
        page = start_page(page_first_script("ROUTES"), query)
        return [m.value for m in page.markdown if "way(s)** from" in m.value][0]

    def count(text: str) -> int:
        return int(text.split(" way(s)")[0].strip("*"))

    assert count(ways({"asof": "2008"})) < count(ways({}))  # before the KTI (and the later lines): fewer ways
    at = start_page(page_first_script("ROUTES"), {"announced": "1"})
    assert at.checkbox(key="r_announced").value is True
    assert "if everything announced opens" in " ".join(m.value for m in at.markdown)
    at = start_page(page_first_script("ROUTES"), {"asof": "soon"})
    assert any("link parameter 'asof'" in w.value for w in at.warning)


def test_the_present_page_reads_asof_and_shows_the_date():
    at = start_page(
        page_first_script("PRESENT"), {"briefing": "pakistan-kazakhstan-connectivity", "stop": "1", "asof": "2014-12"}
    )
    assert at.query_params["asof"] == "2014-12"
    assert any("as of 2014\\-12" in m.value for m in at.markdown), [m.value for m in at.markdown]
    at.button(key="present_next").click().run()
    assert at.query_params["asof"] == "2014-12" and at.query_params["stop"] == "2"


def test_a_stop_with_asof_is_drawn_as_of_then(real_atlas, data):
    from dataclasses import replace

    from corridors.maps.present import stop_map_html

    stop = next(iter(real_atlas.briefings.values())).stops[0]
    html = stop_map_html(data, replace(stop, asof="1990"))
    assert '"as of 1990"' in html and "asof-badge" in html
    assert "asof-badge" not in stop_map_html(data, stop)


def test_the_timeline_page_lists_milestones_and_what_changed():
    at = start_page(page_first_script("TIMELINE"), {"corridors": "kti", "since": "2014-01", "until": "2014-12"})
    assert dict(at.query_params) == {"corridors": "kti", "since": "2014-01", "until": "2014-12"}
    text = " ".join(m.value for m in at.markdown)
    assert "From 2014-01 to 2014-12: 4 events on 1 corridor;" in text
    assert "tass" in text
    at = start_page(page_first_script("TIMELINE"), {"corridors": "kti,nowhere", "since": "2014-99"})
    notes = [c.value for c in at.caption]
    assert any("'corridors'" in n and "nowhere" in n for n in notes)
    assert any("'since'" in n for n in notes)


def test_the_html_files_carry_the_dates_their_date_control_needs(real_atlas):
    import json
    import re
    from dataclasses import replace

    from corridors.exports import htmlfile

    def payload(page: bytes) -> dict:
        text = re.search(rb'<script type="application/json" id="atlas-data">(.*?)</script>', page, re.S).group(1)
        return json.loads(text.decode("utf-8"))

    atlas = payload(htmlfile.atlas_html(real_atlas))
    assert atlas["time"]["today"] == "2026-12" and atlas["time"]["months"] == list(timebar.month_options(real_atlas))
    assert atlas["segments"]["riv-mashhad-sarakhs"]["e"] == [["1996-05-13", "operational", False]]
    assert atlas["segments"]["kti-uzen-bolashak"]["e"][0] == ["2007-10-16", "planned", False]
    from corridors.settings import EVENT_STATUS

    def dated(events) -> bool:
        return any(e.kind in EVENT_STATUS and not e.announced for e in events)

    undated = [
        sid
        for sid, s in real_atlas.segments.items()
        if not dated(s.events) and s.corridor in real_atlas.corridors and dated(real_atlas.corridors[s.corridor].events)
    ]
    for sid in undated:  # follows its corridor's own events, capped at its status today
        assert atlas["segments"][sid]["cap"] == real_atlas.segments[sid].status
    briefing = next(iter(real_atlas.briefings.values()))
    then = replace(briefing, stops=(replace(briefing.stops[0], asof="2014-12"), *briefing.stops[1:]))
    stops = payload(htmlfile.briefing_html(real_atlas, then))["stops"]
    assert stops[0]["asof"] == "2014-12" and stops[0]["asofDay"] == "2014-12-31"
    assert stops[0]["asofLabel"] == "as of 2014-12" and stops[1]["asof"] is None
