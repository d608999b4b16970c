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


@pytest.mark.parametrize("page", ["articles", "routes", "present"])
def test_every_page_shows_the_data_date(page):
    script = page_first_script(page) + "from corridors.ui import footer\nfooter.data_date_caption()\n"
    at = start_page(script)
    assert any(c.value.startswith(CAPTION) for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]


def test_the_present_page_shows_the_data_date():
    at = start_page(page_first_script("present"), {"briefing": "pakistan-kazakhstan-connectivity", "stop": "1"})
    assert "Data as of 2026-12" in [c.value for c in at.caption]


def test_the_html_export_carries_the_data_date(real_atlas, tmp_path):
    from corridors.exports.write import export_files

    (path,) = export_files(real_atlas, "html", tmp_path / "atlas.html")
    assert "Data as of 2026-12." in path.read_text(encoding="utf-8")
