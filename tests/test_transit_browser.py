"""The Routes page's transit chart and tables in Chromium, with the internet blocked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, ROOT, block_internet

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=15_000)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []
    block_internet(context, blocked)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        pg.screenshot(path=str(ROOT / "test-artifacts" / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert blocked == [], f"the page tried to reach the internet: {blocked}"


def test_the_days_chart_and_the_ranking_table_render_offline(server, page):
    page.goto(f"{server}/routes?from=PAK&to=KAZ&rank=borders")
    chart = page.locator('[data-testid="stVegaLiteChart"]')
    expect(chart).to_be_visible(timeout=60_000)  # a first visit computes the ways
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg.marks, canvas").first).to_be_visible()
    for part in ("in motion", "at borders", "at gauge breaks"):
        expect(chart.get_by_text(part, exact=True).first).to_be_attached()
    expect(chart.get_by_text(re.compile(r"— high$")).first).to_be_attached()
    expect(page.get_by_text("These are estimates from published averages, not a timetable.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Rank the ways by")).to_have_value("border crossings")
    ranking = page.locator('[data-testid="stDataFrame"]').first  # the ranking comes before the side-by-side table
    expect(ranking).to_be_visible()
    page.screenshot(path=str(ROOT / "test-artifacts" / "transit-routes.png"), full_page=True)
