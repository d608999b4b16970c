"""Drafting a briefing from map views: the stop collected, the YAML that validates when dropped in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from corridors.assemble import load_atlas
from corridors.briefings.draft import draft_yaml, slug, stop_from_view, view_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def validates(yaml_text: str, tmp_path) -> list[str]:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "geodata", data)
    (data / "briefings" / "drafted.yaml").write_text(yaml_text, encoding="utf-8")
    atlas = load_atlas(data)
    assert "drafted" in atlas.briefings or atlas.problems
    return [str(p) for p in atlas.problems]


def test_a_view_becomes_a_stop_that_validates(real_atlas, tmp_path):
    stop = stop_from_view(
        real_atlas, "", ["kkh", "pakafuz", "atlantis"], "pakafuz", (30.1234, 60.5, 40.9, 75.25), (35.5, 68.0, 6)
    )
    assert stop["title"] == real_atlas.corridors["pakafuz"].name
    assert stop["corridors"] == ["kkh", "pakafuz"] and stop["highlight"] == ["pakafuz"]
    assert stop["view"] == {"bounds": [[30.12, 60.5], [40.9, 75.25]]}
    assert stop["excerpts"][:2] == ["pakafuz-flagship", "pakafuz-kazakh-companies"]
    second = stop_from_view(real_atlas, "Whole region", ["elb"], None, None, (36.0, 66.0, 4))
    assert second["view"] == {"center": [36.0, 66.0], "zoom": 4} and "highlight" not in second
    assert validates(draft_yaml("My draft", [stop, second]), tmp_path) == []


def test_views_past_the_edge_of_the_world_are_kept_on_it():
    assert view_of((-95, -250, 95, 250), (0, 0, 2)) == {"bounds": [[-85.0, -180.0], [85.0, 180.0]]}
    assert view_of((10, 190, 20, 200), (15, 10, 20)) == {"center": [15, 10], "zoom": 14}


def test_slug():
    assert slug("Pakistan & Kazakhstan: connected!") == "pakistan-kazakhstan-connected"
    assert slug("«»") == "briefing"


def test_add_this_view_as_a_stop_on_the_map_page(tmp_path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["selected"] = "kti"
    at.query_params["corridors"] = "kti,elb"
    at.run()
    at.text_input(key="draft_stop_title").input("The KTI line").run()
    at.button(key="draft_add").click().run()
    assert not at.exception, at.exception
    [stop] = at.session_state["_draft_stops"]
    assert stop["title"] == "The KTI line" and stop["corridors"] == ["kti", "elb"] and stop["highlight"] == ["kti"]
    assert "zoom" in stop["view"]  # no bounds reported without a browser: the fitted centre and zoom
    at.query_params["view"] = "40.5,60.25,7"  # a panned map, as a link
    at.run()
    at.button(key="draft_add").click().run()
    assert at.session_state["_draft_stops"][1]["view"] == {"center": [40.5, 60.25], "zoom": 7}
    assert at.query_params["view"] == "40.5,60.25,7"
    assert any(b.proto.label == "Download the briefing (YAML)" for b in at.get("download_button"))
    assert validates(draft_yaml("Drafted", at.session_state["_draft_stops"]), tmp_path) == []
