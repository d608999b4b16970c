"""A region-wide atlas: a group lists at most GROUP_LISTED corridor switches, with a box to find the others;
the corridors not listed keep their state across reruns and finds (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from corridors.ui import map_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)
    monkeypatch.setattr(map_page, "GROUP_LISTED", 3)


def shown(at) -> tuple[str, ...]:
    return at.session_state["_view"].corridors


def test_a_large_group_lists_a_few_switches_and_finds_the_others():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    everything = shown(at)
    rail = [box for box in at.checkbox if box.key and box.key.startswith("show_")]
    assert len(rail) <= 3 * 3  # three groups of at most three
    assert at.text_input(key="find_rail") is not None
    at.checkbox(key="show_kkh").uncheck()
    at.run()
    at.run()  # the corridors not listed are still shown, the KKH not
    assert set(shown(at)) == set(everything) - {"kkh"}
    at.text_input(key="find_rail").input("Eurasian")
    at.run()
    assert at.checkbox(key="show_elb").value is True
    at.checkbox(key="show_elb").uncheck()
    at.run()
    at.text_input(key="find_rail").input("")
    at.run()
    assert set(shown(at)) == set(everything) - {"kkh", "elb"}
    at.button(key="all_rail").click()
    at.run()
    assert "elb" in shown(at) and "kkh" not in shown(at)
