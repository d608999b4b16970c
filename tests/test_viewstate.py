"""A view as URL query parameters: round trip, defaults left out, unknown values reported."""

from __future__ import annotations

from corridors.maps.viewstate import default_state, state_from_query, state_to_query

IDS = ("kkh", "elb", "kti")
COUNTRIES = ("PAK", "KAZ")
ORGS = ("eco", "sco")


def test_default_view_has_an_empty_query():
    assert state_to_query(default_state(IDS), IDS) == {}


def test_round_trip():
    state = default_state(IDS).with_(
        corridors=("kti",),
        statuses=("operational",),
        modes=("rail",),
        countries=("KAZ",),
        overlays=("eco",),
        basemap="CartoDB.Positron",
        selected="kti",
    )
    query = state_to_query(state, IDS)
    assert query == {
        "corridors": "kti",
        "status": "operational",
        "mode": "rail",
        "country": "KAZ",
        "overlays": "eco",
        "basemap": "CartoDB.Positron",
        "selected": "kti",
    }
    assert state_from_query(query, IDS, COUNTRIES, ORGS) == (state, [])


def test_corridors_switched_off_are_named_when_that_is_shorter():
    many = tuple(f"c{i}" for i in range(1200))
    state = default_state(many).with_(corridors=many[1:])
    assert state_to_query(state, many) == {"hide": "c0"}  # not 1,199 ids
    assert state_from_query({"hide": "c0"}, many, COUNTRIES, ORGS) == (state, [])
    assert state_to_query(state.with_(corridors=many[:2]), many) == {"corridors": "c0,c1"}
    # both: the named ones less the hidden; an unknown hidden id is reported like any other
    both, notes = state_from_query({"corridors": "kkh,elb", "hide": "elb,nowhere"}, IDS, COUNTRIES, ORGS)
    assert both.corridors == ("kkh",) and notes == ["link parameter 'hide': ignored unknown value(s) nowhere"]
    assert state_from_query({"hide": "none"}, IDS, COUNTRIES, ORGS)[0].corridors == IDS


def test_nothing_switched_on_is_written_as_none():
    state = default_state(IDS).with_(corridors=(), overlays=())
    query = state_to_query(state, IDS)
    assert query["corridors"] == "none" and query["overlays"] == "none"
    assert state_from_query(query, IDS, COUNTRIES, ORGS)[0] == state


def test_unknown_values_are_dropped_and_reported():
    state, notes = state_from_query(
        {"corridors": "kkh,atlantis", "basemap": "moon", "selected": "x"}, IDS, COUNTRIES, ORGS
    )
    assert state.corridors == ("kkh",) and state.basemap == "offline" and state.selected is None
    assert notes == [
        "link parameter 'corridors': ignored unknown value(s) atlantis",
        "link parameter 'basemap': unknown basemap moon",
        "link parameter 'selected': unknown corridor x",
    ]


def test_country_match_is_read_and_written_only_when_it_differs():
    from corridors.maps.viewstate import default_state, state_from_query, state_to_query

    state, notes = state_from_query({"country_match": "connects", "country": "AAA,BBB"}, ["a"], ["AAA", "BBB"], [])
    assert state.country_match == "connects" and notes == []
    assert state_to_query(state, ["a"]) == {"country": "AAA,BBB", "country_match": "connects"}
    assert "country_match" not in state_to_query(default_state(["a"]), ["a"])
    state, notes = state_from_query({"country_match": "nearby"}, ["a"], [], [])
    assert state.country_match == "any" and "unknown value nearby" in notes[0]


def test_pan_and_zoom_round_trip():
    state = default_state(IDS).with_(view=(40.5, 60.25, 7))
    assert state_to_query(state, IDS) == {"view": "40.5,60.25,7"}
    assert state_from_query({"view": "40.5,60.25,7"}, IDS, COUNTRIES, ORGS) == (state, [])


def test_a_bad_view_is_dropped_and_reported():
    for bad in ("40,60", "95,60,7", "40,60,30", "nan,60,7", "a,b,c", "40,60,7,8"):
        state, notes = state_from_query({"view": bad}, IDS, COUNTRIES, ORGS)
        assert state.view is None and notes == ["link parameter 'view': expected LAT,LON,ZOOM (zoom 2 to 14)"], bad
