"""The time model: status_on for segments, corridors and ways; the atlas as of a date; what changed between two
dates. Segments are built directly (pure records); corridors and ways come from the factory's tiny atlas."""

from __future__ import annotations

import datetime

import pytest
from shapely.geometry import LineString

from corridors.assemble import load_atlas
from corridors.data.model import Closure, Event, Segment
from corridors.geo import timeline
from corridors.geo.timeline import status_on

KHUNJERAB = Closure("12-01", "04-01", "agreement")


def seg(status="operational", events=(), closures=(), ident="s") -> Segment:
    return Segment(
        id=ident,
        corridor="c",
        from_node="a",
        to_node="b",
        mode="road",
        status=status,
        accuracy="schematic",
        line=LineString([(0, 0), (1, 0)]),
        sources=("test",),
        as_of="2020",
        status_source="test",
        events=tuple(events),
        closures=tuple(closures),
    )


HISTORY = seg(
    events=[
        Event("2010-05", "agreed", "a"),
        Event("2012-03-01", "construction_started", "b"),
        Event("2015-09-15", "opened", "c"),
    ]
)


def test_before_the_first_event_a_segment_does_not_exist():
    state = status_on(HISTORY, "2009")
    assert state.status is None and not state.exists and not state.open
    assert state.events == () and state.on == datetime.date(2009, 12, 31)


def test_between_events_the_latest_one_gives_the_status():
    assert status_on(HISTORY, "2010-05").status == "planned"  # a month means its last day
    assert status_on(HISTORY, "2010-04").status is None
    assert status_on(HISTORY, "2012-02-29").status == "planned"
    middle = status_on(HISTORY, "2013-06")
    assert middle.status == "under_construction" and not middle.open
    assert [e.kind for e in middle.events] == ["agreed", "construction_started"]
    done = status_on(HISTORY, datetime.date(2015, 9, 15))
    assert done.status == "operational" and done.open


def test_an_event_dated_by_its_year_counts_from_the_end_of_that_year():
    s = seg(events=[Event("2014", "opened", "x")])
    assert status_on(s, "2014-06-30").status is None
    assert status_on(s, "2014").status == "operational"
    assert status_on(s, "2014-12-31").status == "operational"


def test_suspended_then_resumed():
    s = seg(
        events=[
            Event("1986", "opened", "a"),
            Event("2010-01-04", "suspended", "landslide"),
            Event("2015-09-15", "resumed", "tunnels"),
        ]
    )
    during = status_on(s, "2012")
    assert during.status == "operational" and during.suspended and not during.open
    after = status_on(s, "2015-09-15")
    assert after.open and not after.suspended
    assert status_on(s, "2010-01-03").open


def test_closed_for_good():
    s = seg(events=[Event("1990", "opened", "a"), Event("2001-06", "closed", "b")])
    state = status_on(s, "2002")
    assert state.status == "operational" and state.closed and not state.open


def test_seasonal_closure_across_the_year_end():
    s = seg(events=[Event("1986", "opened", "a")], closures=[KHUNJERAB])
    for day in ("2020-12-01", "2021-01-15", "2021-02-28", "2021-03-31", "2020-12", "2021-03"):
        state = status_on(s, day)
        assert not state.open and state.closures == (KHUNJERAB,) and state.status == "operational", day
    for day in ("2020-11-30", "2021-04-01", "2021-07-14", "2021-04", "2020-11"):
        state = status_on(s, day)
        assert state.open and state.closures == (), day


def test_seasonal_closure_within_a_year():
    summer = Closure("06-01", "09-01", "floods")
    s = seg(closures=[summer])
    assert not status_on(s, "2021-06-01").open and not status_on(s, "2021-08-31").open
    assert status_on(s, "2021-09-01").open and status_on(s, "2021-05-31").open


def test_no_closure_before_it_exists():
    s = seg(events=[Event("1986", "opened", "a")], closures=[KHUNJERAB])
    assert status_on(s, "1980-12-31").closures == ()


def test_announced_dates_are_ignored_unless_asked_for():
    s = seg(
        status="planned",
        events=[Event("2021-02", "agreed", "roadmap"), Event("2027", "opened", "minister", announced=True)],
    )
    fact = status_on(s, "2030")
    assert fact.status == "planned" and not fact.announced
    assert [e.kind for e in fact.events] == ["agreed"]
    scenario = status_on(s, "2030", announced=True)
    assert scenario.status == "operational" and scenario.announced and scenario.open
    assert status_on(s, "2026", announced=True).status == "planned"


def test_an_announced_event_does_not_make_an_undated_record_appear_late():
    s = seg(status="planned", events=[Event("2028", "construction_started", "plan", announced=True)])
    assert status_on(s, "2000").status == "planned" and not status_on(s, "2000").dated
    assert status_on(s, "2029", announced=True).status == "under_construction"


def test_a_record_without_history_keeps_its_status():
    s = seg(status="under_construction", events=[Event("2019", "upgrade_started", "x")])
    for day in ("1900", "2026-12-01"):
        state = status_on(s, day)
        assert state.status == "under_construction" and not state.dated


def test_a_bad_date_is_refused_with_a_message():
    with pytest.raises(ValueError, match=r"'2021-13' is not a date \(YYYY, YYYY-MM or YYYY-MM-DD\)"):
        status_on(HISTORY, "2021-13")
    with pytest.raises(ValueError, match="'2021-02-30' is not a date that exists"):
        status_on(HISTORY, "2021-02-30")


# ---- corridors, ways, the atlas ------------------------------------------------------------------------


@pytest.fixture
def atlas(world, tmp_path):
    return load_atlas(world.write(tmp_path / "data"))


def test_the_factory_world_is_consistent(atlas):
    assert atlas.problems == []
    assert atlas.updated == "2026-12-01"


def test_a_corridor_with_events_of_its_own_does_not_exist_before_them(atlas):
    alpha = atlas.corridors["alpha"]  # opened 1999-05 as a whole; segments agreed 1995 and 2020
    assert status_on(alpha, "1998", atlas=atlas).status is None
    state = status_on(alpha, "2000", atlas=atlas)
    assert state.status == "operational" and state.open
    assert [e.kind for e in state.events] == ["opened"]


def test_a_corridor_without_events_takes_the_status_of_most_of_its_km(world, tmp_path):
    del world.corridors[0]["events"]
    atlas = load_atlas(world.write(tmp_path / "data"))
    alpha = atlas.corridors["alpha"]
    assert status_on(alpha, "1994", atlas=atlas).status is None  # no segment existed
    assert status_on(alpha, "1996", atlas=atlas).status == "planned"  # Aville–Border agreed 1995
    # 2021: Aville–Border (about 890 km, operational) and Border–Btown (about 886 km, planned)
    assert timeline.segment_km(atlas, atlas.segments["aville-border"]) > timeline.segment_km(
        atlas, atlas.segments["border-btown"]
    )
    assert status_on(alpha, "2021", atlas=atlas).status == "operational"


def test_a_corridors_own_events_count_when_further_along(world, tmp_path):
    world.corridors[0]["events"] = [{"date": "1990", "kind": "proposed", "source": "s"}]
    world.corridors[0]["status"] = "operational"
    atlas = load_atlas(world.write(tmp_path / "data"))
    alpha = atlas.corridors["alpha"]
    assert status_on(alpha, "1991", atlas=atlas).status == "proposed"  # no segment yet: its own status
    assert status_on(alpha, "2000", atlas=atlas).status == "operational"  # its segments are further along


def test_a_corridor_is_not_open_while_a_segment_is_closed_for_the_season(world, tmp_path):
    world.segment("aville-border")["properties"]["closures"] = [{"from": "12-01", "to": "04-01", "source": "s"}]
    atlas = load_atlas(world.write(tmp_path / "data"))
    winter = status_on(atlas.corridors["alpha"], "2021-01", atlas=atlas)
    assert winter.status == "operational" and not winter.open and len(winter.closures) == 1
    assert status_on(atlas.corridors["alpha"], "2021-05", atlas=atlas).open


def test_a_way_is_as_far_along_as_its_least_advanced_leg(atlas):
    legs = [atlas.segments["aville-border"], atlas.segments["border-btown"]]
    assert status_on(legs, "2000", atlas=atlas).status is None  # Border–Btown not agreed until 2020
    later = status_on(legs, "2021", atlas=atlas)
    assert later.status == "planned" and not later.open
    assert status_on(["aville-border"], "2000", atlas=atlas).open  # segment ids do as well
    found = {"legs": [{"segment": "aville-border"}, {"segment": "border-btown"}]}  # a route found by routes.py
    assert status_on(found, "2021", atlas=atlas) == later


def test_a_way_through_a_seasonal_closure_is_closed_that_month(world, tmp_path):
    world.segment("aville-border")["properties"]["closures"] = [{"from": "12-01", "to": "04-01", "source": "s"}]
    atlas = load_atlas(world.write(tmp_path / "data"))
    winter = status_on(["aville-border"], "2021-02", atlas=atlas)
    assert not winter.open and winter.closures[0].from_ == "12-01"


def test_the_atlas_as_of_a_date(atlas):
    past = timeline.atlas_on(atlas, "1997")
    assert past.visible_segments == ("aville-border",)
    assert past.segments["aville-border"].status == "planned"
    assert past.visible_corridors == ()
    now = timeline.atlas_on(atlas, atlas.updated)
    assert set(now.visible_segments) == {"aville-border", "border-btown"}
    assert now.corridors["alpha"].status == atlas.corridors["alpha"].status


def test_changes_between_two_dates(atlas):
    found = timeline.changes(atlas, "1999", "2020")
    assert [(c.date, c.kind, c.corridor, c.segment) for c in found] == [
        ("1999-05", "opened", "alpha", None),
        ("1999-05", "opened", "alpha", "aville-border"),
        ("2020", "agreed", "alpha", "border-btown"),
    ]
    assert found[1].segment_name == "Aville – Border Post" and found[1].source == "book"
    assert timeline.changes(atlas, "2020-06", "2020-06")[0].kind == "agreed"  # a year overlaps the month
    assert timeline.changes(atlas, "2021") == ()  # up to the updated date


def test_announced_changes_only_when_asked(world, tmp_path):
    world.segment("border-btown")["properties"]["events"].append(
        {"date": "2028", "kind": "opened", "source": "minister", "announced": True}
    )
    atlas = load_atlas(world.write(tmp_path / "data"))
    assert atlas.problems == []
    assert timeline.changes(atlas, "2025", "2030") == ()
    (change,) = timeline.changes(atlas, "2025", "2030", announced=True)
    assert change.announced and change.to_json()["announced"] is True


def test_km_that_changed_status(atlas):
    moved = timeline.status_changes(atlas, "1999", "2020")
    assert [(m.segment, m.before, m.after) for m in moved] == [
        ("aville-border", "planned", "operational"),
        ("border-btown", None, "planned"),
    ]
    assert timeline.km_changed(atlas, "1999", "2020") == pytest.approx(sum(m.km for m in moved), abs=0.2)
    (group,) = timeline.changes_by_corridor(atlas, "1999", "2020")
    assert group.corridor == "alpha" and len(group.changes) == 3 and group.km_changed > 1700


def test_an_empty_span_is_refused(atlas):
    with pytest.raises(ValueError, match="the span is empty: 2019-12-31 is before 2020-01-01"):
        timeline.changes(atlas, "2020", "2019")


def test_the_shipped_data_tells_its_stories(real_atlas):
    atlas = real_atlas
    on = timeline.atlas_on
    assert on(atlas, "1996-04").segments["riv-mashhad-sarakhs"].status is None
    assert on(atlas, "1996-05").segments["riv-mashhad-sarakhs"].status == "operational"
    assert on(atlas, "2014-11").segments["kti-etrek-akyayla"].status == "under_construction"
    assert on(atlas, "2014-12").corridors["kti"].status == "operational"
    assert not on(atlas, "2024-01").segments["kkh-sost-khunjerab"].open  # winter, while the crossing closed
    assert on(atlas, "2024-07").segments["kkh-sost-khunjerab"].open
    assert on(atlas, "2026-01").segments["kkh-sost-khunjerab"].open  # year-round since 2 Dec 2024
    assert on(atlas, "2012").segments["kkh-gilgit-sost"].suspended  # Attabad lake, 2010–2015
    for cid, corridor in atlas.corridors.items():
        assert on(atlas, atlas.updated).corridors[cid].status == corridor.status, cid


def test_the_atlas_as_of_a_date_for_code_written_for_the_atlas(atlas):
    from corridors.geo.routes import find_routes

    past = timeline.atlas_as_of(atlas, "1997")
    assert set(past.segments) == {"aville-border"} and past.segments["aville-border"].status == "planned"
    assert [s.id for s in past.route("alpha")] == ["aville-border"]  # methods see the segments of that day
    assert past.corridors is atlas.corridors and past.updated == "2026-12-01"
    assert atlas.segments["aville-border"].status == "operational"  # the atlas itself is untouched
    assert find_routes(past, "AAA", "BBB").routes == ()  # Border–Btown was not even agreed in 1997
    (way,) = find_routes(timeline.atlas_as_of(atlas, "2021"), "AAA", "BBB").routes
    assert [leg.status for leg in way.legs] == ["operational", "planned"]
