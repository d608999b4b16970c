"""'Data as of YYYY-MM' on every page (the sidebar's foot), on the Present page and in the exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from apppages import page_first_script, start_page
from streamlit.testing.v1 import AppTest

from corridors.data.dates import data_as_of, with_data_date

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CAPTION = "Data as of 2026-12 (the day it was last checked against sources: 2026-12-01)."


@pytest.fixture(autouse=True)
def bundled_data(monkeypatch):
    monkeypatch.delenv("CORRIDORS_DATA", raising=False)


def test_the_label():
    assert data_as_of("2026-12-01") == "Data as of 2026-12"
    assert data_as_of(None) == "" and data_as_of("soon") == ""
    assert with_data_date("Credits.", "2026-11-30") == "Credits. Data as of 2026-11."
    assert with_data_date("Credits.", None) == "Credits."


def test_the_app_shows_the_data_date_in_the_sidebar():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert any(c.value.startswith(CAPTION) for c in at.sidebar.caption)


@pytest.mark.parametrize("page", ["ARTICLES", "ROUTES", "PRESENT"])
def test_every_page_shows_the_data_date(page):
    script = page_first_script(page) + "from corridors.ui import footer\nfooter.data_date_caption()\n"
    at = start_page(script)
    assert any(c.value.startswith(CAPTION) for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]


def test_the_present_page_shows_the_data_date():
    at = start_page(page_first_script("PRESENT", "MAP"), {"briefing": "pakistan-kazakhstan-connectivity", "stop": "1"})
    assert "Data as of 2026-12" in [c.value for c in at.caption]


def test_the_html_export_carries_the_data_date(real_atlas, tmp_path):
    from corridors.exports.write import export_files

    (path,) = export_files(real_atlas, "html", tmp_path / "atlas.html")
    assert "Data as of 2026-12." in path.read_text(encoding="utf-8")


def test_the_panel_says_when_and_by_whom_a_status_was_confirmed():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["selected"] = "kti"
    at.run()
    assert not at.exception
    captions = [c.value.replace("\\", "") for c in at.caption]  # as shown: without markdown's escapes
    assert any(
        c.startswith("Status as of 2025-01-30 — source: railways.kz/news/railwaymen-kazakhstan") for c in captions
    ), captions
    assert "History: 2007-10-16 agreed · 2009 construction started · 2014-12-03 opened" in captions
    table = at.dataframe[0].value
    assert list(table.columns[:5]) == ["segment", "status", "line", "drawn km", "as of"]
    assert set(table["as of"]) == {"2020-11-10", "2025-01-30"}  # Bolashak: 2024 traffic (issue 17)


def test_the_routes_page_says_as_of_when_the_statuses_were_confirmed():
    at = start_page(page_first_script("ROUTES", "MAP"), {"r_from": "PAK", "r_to": "KAZ"})
    assert any(c.value.startswith("Statuses as of ") for c in at.caption), [c.value for c in at.caption]
    table = next(d.value for d in at.dataframe if "countries" in d.value.columns)  # (the ranking comes first)
    assert "statuses as of" in table.columns


def test_the_html_atlas_says_when_each_status_was_confirmed(real_atlas):
    import json
    import re

    from corridors.exports.htmlfile import atlas_html

    page = atlas_html(real_atlas).decode("utf-8")
    raw = re.search(r'<script type="application/json" id="atlas-data">(.*?)</script>', page, re.DOTALL).group(1)
    corridors = {c["id"]: c for c in json.loads(raw)["corridors"]}
    assert corridors["kti"]["statusAsOf"].startswith("Status as of 2025-01-30 — source: railways.kz/news/")
    assert "c.statusAsOf" in page  # the player shows it in the corridor's panel
