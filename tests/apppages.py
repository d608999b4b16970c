"""Start one page of the app in Streamlit's AppTest, with query parameters, as a link would open it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def page_first_script(*pages: str) -> str:
    """An app script whose navigation lists `pages` (names of addresses in corridors.ui.links: "MAP",
    "ARTICLES"...) with the first as the default page: AppTest cannot switch to a page registered by
    callable, so the page under test goes first."""
    listed = ", ".join(f"pages.page(links.{name})" for name in pages)
    return (
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nimport streamlit as st\n"
        f"from corridors.ui import links, pages\nst.navigation([{listed}]).run()\n"
    )


def start_page(script: str, query: dict | None = None) -> AppTest:
    """Run `script` once with `query` in the URL; fail on an exception in the page."""
    at = AppTest.from_string(script, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at
