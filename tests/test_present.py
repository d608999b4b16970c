"""The presentation page through AppTest: opening a stop from the URL, stepping, the URL following."""

from __future__ import annotations

from pathlib import Path

import pytest
from apppages import page_first_script, start_page
from factory import HOSTILE, briefing_world
from streamlit.testing.v1 import AppTest

from corridors.briefings.navigation import read_position, step
from corridors.safe import markdown_text
from corridors.ui.downloads import FILES
from corridors.ui.linknotes import message

ROOT = Path(__file__).resolve().parent.parent
BID = "pakistan-kazakhstan-connectivity"
PRESENT_FIRST = page_first_script("PRESENT", "MAP")


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def start(query: dict) -> AppTest:
    """The Present page, opened as a link would open it."""
    return start_page(PRESENT_FIRST, query)


def heading(at) -> tuple[str, str]:
    return at.title[0].value, at.caption[0].value


def map_html(at) -> str:
    return at.get("iframe")[0].proto.srcdoc


def test_a_link_opens_on_its_stop():
    at = start({"briefing": BID, "stop": "3"})
    title, progress = heading(at)
    assert title == markdown_text("The other way: rail via Iran and Turkmenistan")
    assert progress.endswith("stop 3 of 5")
    assert '"bounds": [[26.0, 50.0], [45.5, 70.0]]' in map_html(at)
    assert "regional rail routes via Iran and Turkmenistan" in "\n".join(m.value for m in at.markdown)


def test_buttons_step_and_the_url_follows():
    at = start({"briefing": BID})
    assert dict(at.query_params) == {"briefing": BID, "stop": "1"}
    assert at.button(key="present_prev").disabled and at.button(key="present_first").disabled
    at.button(key="present_next").click().run()
    assert heading(at)[0] == markdown_text("One way: the Karakoram Highway (CPEC)")
    assert at.query_params["stop"] == "2"
    assert '"bounds": [[32.5, 70.0], [40.5, 78.5]]' in map_html(at)
    at.button(key="present_last").click().run()
    assert at.query_params["stop"] == "5" and at.button(key="present_next").disabled
    at.button(key="present_prev").click().run()
    assert at.query_params["stop"] == "4" and heading(at)[1].endswith("stop 4 of 5")
    at.button(key="present_first").click().run()
    assert at.query_params["stop"] == "1"


def test_speaker_notes_on_demand():
    at = start({"briefing": BID, "stop": "4"})
    assert not any("feasibility stage" in m.value for m in at.info)
    at.toggle(key="present_notes_on").set_value(True).run()
    assert any("feasibility stage" in m.value for m in at.info)
    at.button(key="present_next").click().run()  # the switch stays on
    assert at.toggle(key="present_notes_on").value and any("Tashkent conference" in m.value for m in at.info)


def test_a_followed_link_moves_the_session():
    at = start({"briefing": BID, "stop": "2"})
    at.query_params["stop"] = "5"
    at.run()
    assert heading(at)[1].endswith("stop 5 of 5")


def test_a_bad_stop_opens_the_first_with_a_note():
    at = start({"briefing": BID, "stop": "99"})
    assert heading(at)[1].endswith("stop 1 of 5") and at.query_params["stop"] == "1"
    assert [w.value for w in at.warning] == [
        message(["link parameter 'stop': '99' is not a stop of this briefing (1 to 5); showing stop 1"])
    ]


def test_without_a_briefing_it_lists_them():
    at = start({"briefing": "nope"})
    assert [w.value for w in at.warning] == [message(["link parameter 'briefing': no briefing 'nope'"])]
    [link] = at.get("page_link")
    assert link.label == "Pakistan and Kazakhstan, connected" and f"briefing={BID}&stop=1" in link.proto.query_string


def test_hostile_briefing_text_is_text(tmp_path, monkeypatch):
    w = briefing_world()
    w.briefings["tour"]["title"] = "Tour " + HOSTILE
    w.briefings["tour"]["stops"][0]["title"] = "Stop " + HOSTILE
    w.briefings["tour"]["stops"][0]["notes"] = "Notes " + HOSTILE
    w.node("aville")["properties"]["name"] = "Aville " + HOSTILE
    monkeypatch.setenv("CORRIDORS_DATA", str(w.write(tmp_path / "data")))
    at = start({"briefing": "tour", "stop": "1"})
    at.toggle(key="present_notes_on").set_value(True).run()
    shown = [at.title[0].value] + [m.value for m in [*at.markdown, *at.info]] + [c.value for c in at.caption]
    assert any(m.value.startswith("Notes \\<script\\>") for m in at.info)
    assert all("<script>" not in s for s in shown)
    html = map_html(at)
    assert "<script>window.__pwned" not in html and "<img" not in html
    assert "Aville \\u003cscript\\u003ewindow.__pwned=1" in html  # a label: JSON that cannot end the script


def test_position_from_query():
    briefings = {"a": type("B", (), {"stops": (1, 2, 3)})()}
    assert read_position({"briefing": "a", "stop": "3"}, briefings) == ("a", 2, [])
    assert read_position({"briefing": "a", "stop": "0"}, briefings)[1] == 0
    assert read_position({"briefing": "a", "stop": "²"}, briefings)[1] == 0
    assert read_position({}, briefings) == (None, 0, [])
    assert [step(1, 3, a) for a in ("first", "prev", "next", "last")] == [0, 0, 2, 2]
    assert step(2, 3, "next") == 2 and step(0, 3, "prev") == 0


def test_the_sessions_draft_plays_too():
    at = AppTest.from_string(PRESENT_FIRST, default_timeout=60)
    at.session_state["_draft_stops"] = [
        {
            "title": "Drafted <b>stop</b>",
            "corridors": ["kti"],
            "highlight": ["kti"],
            "view": {"center": [40.0, 55.0], "zoom": 6},
            "notes": "",
        },
        {"title": "Bad stop", "corridors": ["atlantis"], "view": {"bounds": [[10, 0], [0, 10]]}},
    ]
    at.query_params["briefing"] = "draft"
    at.run()
    assert not at.exception, at.exception
    assert heading(at) == (
        markdown_text("Drafted <b>stop</b>"),
        "Draft briefing · stop 1 of 1",
    )  # the bad stop left out
    assert '"center": [40.0, 55.0], "zoom": 6' in map_html(at)


def test_a_briefing_with_problems_plays_what_is_valid_and_says_so(tmp_path, monkeypatch):
    w = briefing_world()
    w.briefings["tour"]["stops"][1]["view"] = {"bounds": [[10, 0], [0, 10]]}
    root = w.write(tmp_path / "data")
    monkeypatch.setenv("CORRIDORS_DATA", str(root))
    at = start({"briefing": "tour"})
    assert heading(at)[1].endswith("stop 1 of 1")
    assert at.code[0].value == (
        f"{root}/briefings/tour.yaml: line 24, stop 2: 'view': bounds: south 10 must be less than north 0"
    )


def test_the_stop_and_the_briefing_can_be_downloaded():
    """A PNG of the stop for the slides and the briefing as one offline HTML file, made when clicked."""
    at = start({"briefing": BID, "stop": "2"})
    labels = [b.proto.label for b in at.get("download_button")]
    gis = [label for label, _, _ in FILES.values()]  # and the stop's segments as GIS files (issue 20)
    assert labels == ["This stop as a PNG (1920×1080)", "The briefing as one HTML file (plays offline)", *gis]
    assert [b.proto.deferred_file_id != "" or b.proto.url != "" for b in at.get("download_button")] == [True] * 5
