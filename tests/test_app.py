"""The app's state through Streamlit's AppTest: toggles, filters, selection, the URL round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factory import DataFolder

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def start(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.subheader])


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def test_opens_with_every_corridor_on_and_a_clean_url():
    at = start()
    shown = [c.label for c in at.checkbox if c.key.startswith("show_")]
    assert "Karakoram Highway" in shown and len(shown) == 8
    assert all(c.value for c in at.checkbox if c.key.startswith("show_"))
    assert dict(at.query_params) == {}
    assert "Click a corridor on the map" in at.info[0].value


def test_toggles_and_group_buttons_go_into_the_url():
    at = start()
    at.checkbox(key="show_kkh").uncheck().run()
    assert "kkh" not in at.query_params["corridors"].split(",")
    at.button(key="none_rail").click().run()
    assert at.query_params["corridors"] == "cpec-western,cpec-eastern"
    at.button(key="all_rail").click()
    at.button(key="all_road").click().run()
    assert "corridors" not in at.query_params


def test_filters_go_into_the_url():
    at = start()
    at.multiselect(key="f_status").set_value(["operational"]).run()
    at.multiselect(key="f_country").set_value(["KAZ"]).run()
    assert at.query_params["status"] == "operational" and at.query_params["country"] == "KAZ"


def test_selecting_a_corridor_shows_its_facts_and_excerpts():
    at = start()
    at.selectbox(key="selected").set_value("kkh").run()
    page = texts(at)
    assert at.query_params["selected"] == "kkh"
    assert "Karakoram Highway" in [s.value for s in at.subheader]
    assert "Pakistan" in page and "China" in page and "Drawn length" in page
    assert "1,300.0 km" in page  # the published length, with its source
    assert "either via the Karakoram Highway \\(CPEC\\)" in page  # the excerpt (markdown-escaped)
    assert "Pakistan\\-Kazakhstan Relations Are Very Promising" in page and "Voice of East" in page


def test_a_shared_url_restores_the_view():
    query = {"corridors": "kkh,kti", "status": "operational", "overlays": "eco", "basemap": "CartoDB.Positron",
             "selected": "kti"}
    at = start(query)
    assert at.checkbox(key="show_kkh").value and not at.checkbox(key="show_elb").value
    assert at.multiselect(key="f_status").value == ["operational"]
    assert at.checkbox(key="overlay_eco").value and not at.checkbox(key="overlay_nodes").value
    assert at.selectbox(key="basemap").value == "CartoDB.Positron"
    assert at.selectbox(key="selected").value == "kti"
    assert "Kazakhstan–Turkmenistan–Iran railway" in [s.value for s in at.subheader]
    assert dict(at.query_params) == query


def test_a_data_folder_with_problems_still_opens_with_a_warning(tmp_path, monkeypatch):
    world = DataFolder()
    world.segment("border-btown")["properties"]["status"] = "dreamt"
    monkeypatch.setenv("CORRIDORS_DATA", str(world.write(tmp_path / "d")))
    at = start()
    assert "1 problem" in at.warning[0].value
    assert "unknown status 'dreamt'" in at.code[0].value
    assert [c.label for c in at.checkbox if c.key.startswith("show_")] == ["Alpha Railway"]
