"""Briefings: loading, every validation rule with the exact line `validate` prints, excerpt references."""

from __future__ import annotations

import pytest
from factory import briefing_world

from corridors.assemble import load_atlas
from corridors.briefings.excerpts import stop_excerpts
from corridors.briefings.model import ExcerptRef, View
from corridors.cli import run

F = "briefings/tour.yaml"


@pytest.fixture
def world():
    return briefing_world()


def problems_of(world, tmp_path) -> list[str]:
    root = world.write(tmp_path / "data")
    return [str(p).removeprefix(str(root) + "/") for p in load_atlas(root).problems]


def stop(w, i=0) -> dict:
    return w.briefings["tour"]["stops"][i]


def test_valid_briefing_loads(world, tmp_path):
    atlas = load_atlas(world.write(tmp_path / "data"))
    assert atlas.problems == []
    tour = atlas.briefings["tour"]
    assert tour.title == "Test tour" and len(tour.stops) == 2
    first, second = tour.stops
    assert first.view == View(bounds=((0, 0), (10, 20))) and first.view.box == (0, 0, 10, 20)
    assert second.view == View(center=(5, 10), zoom=6)
    assert first.highlight == ("alpha",) and first.places == ("aville",) and first.notes == "Say hello."
    assert first.excerpts == (ExcerptRef(id="alpha-links"),)
    assert [e.text for e in stop_excerpts(atlas, first)] == ["The Alpha Railway links Aville and Btown"]
    assert [e.text for e in stop_excerpts(atlas, second)] == ["Nobody mentions anything here."]


def test_corridors_default_to_all(world, tmp_path):
    del stop(world)["corridors"], stop(world)["highlight"]
    atlas = load_atlas(world.write(tmp_path / "data"))
    assert atlas.problems == [] and atlas.briefings["tour"].stops[0].corridors == ("alpha",)


CASES = {
    "unknown top key": (
        lambda w: w.briefings["tour"].update(titel="x"),
        f"{F}: line 30, briefing: unknown key 'titel' (did you mean 'title'?)",
    ),
    "unknown stop key": (
        lambda w: stop(w).update(zoom=4),
        f"{F}: line 20, stop 1: unknown key 'zoom'; allowed: title, view, corridors, highlight, excerpts, places, notes",
    ),
    "unknown view key": (
        lambda w: stop(w)["view"].update(pitch=3),
        f"{F}: line 15, stop 1: 'view': unknown key 'pitch'; allowed: bounds, center, zoom",
    ),
    "empty stops": (
        lambda w: w.briefings["tour"].update(stops=[]),
        f"{F}: line 3, briefing: 'stops' is empty: a briefing needs at least one stop",
    ),
    "missing stops": (
        lambda w: w.briefings["tour"].pop("stops"),
        f"{F}: line 1, briefing: 'stops' is missing: a briefing needs at least one stop",
    ),
    "missing title": (lambda w: w.briefings["tour"].pop("title"), f"{F}: line 1, briefing: 'title' is missing"),
    "stop title": (lambda w: stop(w).pop("title"), f"{F}: line 4, stop 1: 'title' is missing"),
    "unknown corridor": (
        lambda w: stop(w).update(corridors=["alpha", "omega"]),
        f"{F}: line 6, stop 1: unknown corridor 'omega'",
    ),
    "highlight unknown": (
        lambda w: stop(w).update(highlight=["omega"]),
        f"{F}: line 8, stop 1: highlight: unknown corridor 'omega'",
    ),
    "highlight not shown": (
        lambda w: stop(w, 1).update(corridors=[], highlight=["alpha"]),
        f"{F}: line 30, stop 2: highlight: corridor 'alpha' is not among the corridors shown",
    ),
    "unknown place": (
        lambda w: stop(w).update(places=["atlantis"]),
        f"{F}: line 18, stop 1: unknown place 'atlantis': no node in nodes.geojson has this id",
    ),
    "unknown excerpt": (
        lambda w: stop(w).update(excerpts=["nope"]),
        f"{F}: line 16, stop 1: excerpts item 0: unknown excerpt 'nope': no excerpt in links.yaml has this id",
    ),
    "unknown article": (
        lambda w: stop(w).update(excerpts=["other/0"]),
        f"{F}: line 16, stop 1: excerpts item 0: unknown article 'other' in excerpt 'other/0'",
    ),
    "no such paragraph": (
        lambda w: stop(w).update(excerpts=["test-article/7"]),
        f"{F}: line 16, stop 1: excerpts item 0: article 'test-article' has no paragraph 7 (it has 2, numbered from 0)",
    ),
    "bad reference": (
        lambda w: stop(w).update(excerpts=["Test Article/x"]),
        f"{F}: line 16, stop 1: excerpts item 0: 'Test Article/x' is neither an excerpt id nor ARTICLE/PARAGRAPH (e.g. my-article/2)",
    ),
    "south not below north": (
        lambda w: stop(w)["view"].update(bounds=[[10, 0], [0, 20]]),
        f"{F}: line 10, stop 1: 'view': bounds: south 10 must be less than north 0",
    ),
    "west not below east": (
        lambda w: stop(w)["view"].update(bounds=[[0, 20], [10, 0]]),
        f"{F}: line 10, stop 1: 'view': bounds: west 20 must be less than east 0",
    ),
    "latitude range": (
        lambda w: stop(w)["view"].update(bounds=[[0, 0], [95, 20]]),
        f"{F}: line 10, stop 1: 'view': bounds north-east corner: latitude 95 is out of range -90..90",
    ),
    "longitude range": (
        lambda w: stop(w)["view"].update(bounds=[[0, -190], [10, 20]]),
        f"{F}: line 10, stop 1: 'view': bounds south-west corner: longitude -190 is out of range -180..180",
    ),
    "bounds shape": (
        lambda w: stop(w)["view"].update(bounds=[0, 0, 10, 20]),
        f"{F}: line 11, stop 1: 'view' 'bounds' has 4 items, more than 2",
    ),
    "bounds and center": (
        lambda w: stop(w)["view"].update(center=[5, 5], zoom=5),
        f"{F}: line 10, stop 1: 'view': give either bounds [[south, west], [north, east]], or center [lat, lon] and zoom, not both",
    ),
    "no view": (
        lambda w: stop(w).pop("view"),
        f"{F}: line 4, stop 1: 'view' is missing: give bounds [[south, west], [north, east]], or center [lat, lon] and zoom",
    ),
    "zoom range": (
        lambda w: stop(w, 1)["view"].update(zoom=30),
        f"{F}: line 27, stop 2: 'view' 'zoom' 30 is out of range (input should be less than or equal to 14)",
    ),
    "center without zoom": (
        lambda w: stop(w, 1)["view"].pop("zoom"),
        f"{F}: line 24, stop 2: 'view': center is given without zoom",
    ),
    "stop not a mapping": (
        lambda w: w.briefings["tour"]["stops"].append("Third"),
        f"{F}: stop 3: must be a mapping of keys to values, not text",
    ),
    "bad file name": (
        lambda w: w.briefings.update({"My Tour": w.briefings["tour"]}),
        "briefings/My Tour.yaml: file name: 'My Tour' is not a briefing id (lower-case letters, "
        "digits and single hyphens, then .yaml)",
    ),
    "duplicate excerpt id": (
        lambda w: w.links.append({**w.links[0]}),
        "links.yaml: line 9, excerpt 'alpha-links': duplicate excerpt id 'alpha-links' (first in LINKS: "
        "line 1, excerpt 'alpha-links')",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_problem_has_its_message(world, tmp_path, name):
    breaks, expected = CASES[name]
    breaks(world)
    found = problems_of(world, tmp_path)
    expected = expected.replace("LINKS", str(tmp_path / "data" / "links.yaml"))
    assert expected in found, found


def test_malformed_yaml(world, tmp_path):
    world.raw["briefings/tour.yaml"] = b"title: [unclosed\n"
    assert problems_of(world, tmp_path) == [f"{F}: line 2 column 1: malformed YAML: did not find expected ',' or ']'"]


def test_validate_reports_briefings(world, tmp_path, capsys):
    stop(world).update(corridors=["omega"], highlight=[])
    root = world.write(tmp_path / "data")
    assert run(["validate", "--data", str(root)]) == 1
    assert f"{root}/{F}: line 6, stop 1: unknown corridor 'omega'" in capsys.readouterr().out


def test_default_briefing_follows_the_seed_article(real_atlas):
    assert real_atlas.problems == []
    briefing = real_atlas.briefings["pakistan-kazakhstan-connectivity"]
    # The article's order: ELB and CPEC, then the KKH, rail via Iran, then PAKAFUZ, then the whole.
    assert [s.highlight for s in briefing.stops][:4] == [
        ("elb", "cpec-western", "cpec-eastern"),
        ("kkh",),
        ("rail-via-iran", "kti"),
        ("pakafuz",),
    ]
    for s in briefing.stops:
        found = stop_excerpts(real_atlas, s)
        assert found and len(found) == len(s.excerpts)
        assert all(e.article.id == "pakistan-kazakhstan-relations" for e in found)
