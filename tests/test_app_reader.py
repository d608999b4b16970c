"""AppTest: the page titles and lead, a place in the panel, an unknown article id."""

from __future__ import annotations

import pytest
from test_app import SEED, article_html, start, start_articles


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def test_each_page_has_one_h1_and_the_map_a_lead():
    at = start()
    assert [t.value for t in at.title] == ["South–Central Asia transport corridors"]
    lead = at.caption[0].value
    assert "Click a line" in lead and "click a place" in lead and "Selected corridor" in lead
    at = start_articles({})
    assert [t.value for t in at.title] == ["Articles"]


def test_a_place_in_the_panel_selects_its_corridors():
    at = start()
    at.session_state["_place"] = "gilgit"  # what a click on Gilgit's marker records
    at.run()
    assert [s.value for s in at.subheader][0] == "Gilgit"
    assert any("**City** in Pakistan" in m.value for m in at.markdown)
    buttons = {b.key: b for b in at.button if b.key and b.key.startswith("place_corridor_")}
    assert set(buttons) == {"place_corridor_kkh", "place_corridor_cpec-western", "place_corridor_cpec-eastern"}
    assert any(c.value.startswith("Source: ") for c in at.caption)
    buttons["place_corridor_cpec-eastern"].click().run()
    assert at.selectbox(key="selected").value == "cpec-eastern"
    assert [s.value for s in at.subheader][0] == "CPEC eastern alignment"
    assert at.query_params["selected"] == "cpec-eastern"


def test_choosing_a_corridor_in_the_sidebar_closes_the_place():
    at = start()
    at.session_state["_place"] = "quetta"
    at.run()
    at.selectbox(key="selected").set_value("kkh").run()
    assert [s.value for s in at.subheader][0] == "Karakoram Highway"


def test_a_followed_link_shows_its_corridor_not_the_last_place():
    at = start()
    at.session_state["_place"] = "quetta"
    at.run()
    at.query_params["selected"] = "kti"  # as a mention's link on the Articles page does
    at.run()
    assert [s.value for s in at.subheader][0] == "Kazakhstan–Turkmenistan–Iran railway"


def test_an_unknown_article_id_says_so_and_shows_no_other_article():
    at = start_articles({"article": "no-such-article"})
    assert any("No article has the id" in w.value and "such" in w.value for w in at.warning)
    assert article_html(at) == ""
    assert at.selectbox(key="article_choice").value is None
    at.selectbox(key="article_choice").set_value(SEED).run()  # the reader picks one: it shows
    assert "Karakoram Highway" in article_html(at)
    assert at.query_params["article"] == SEED and not at.warning


def test_a_hostile_place_shows_as_text(tmp_path, monkeypatch):
    from factory import HOSTILE, hostile_world

    monkeypatch.setenv("CORRIDORS_DATA", str(hostile_world().write(tmp_path / "d")))
    at = start()
    at.session_state["_place"] = "aville"
    at.run()
    assert not at.exception
    heading = at.subheader[0].value
    assert heading.startswith("Aville") and HOSTILE not in heading  # every Markdown character escaped
    assert "\\<script\\>" in heading
    [button] = [b for b in at.button if b.key and b.key.startswith("place_corridor_")]
    assert "\\<script\\>" in button.label and "\\`\\$" in button.label  # HTML, code and maths stay text
