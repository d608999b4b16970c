import os
from pathlib import Path

import pytest
from factory import DataFolder  # tests/ is on the path: pyproject.toml [tool.pytest.ini_options]

from corridors import settings

ROOT = Path(__file__).resolve().parent.parent

# No test reads a cached atlas left by another run (or writes one into the user's cache): the loaded-atlas cache
# is off for the whole run, the app and servers the tests start included; tests/test_cache.py turns it on, in
# a folder of its own.
os.environ[settings.CACHE_DIR_ENV] = "off"


@pytest.fixture
def world() -> DataFolder:
    return DataFolder()


@pytest.fixture(scope="session")
def real_atlas():
    from corridors.assemble import load_atlas

    return load_atlas(ROOT / "geodata")


BROWSER_MODULES = (
    "test_browser",
    "test_transit_browser",
    "test_accessibility",
    "test_reading_browser",
    "test_export_browser",
    "test_present_browser",
    "test_serve_browser",
    "test_timeui_browser",
    "test_map_view_browser",
    "test_own_layers_browser",
    "test_pack_browser",
)


def pytest_collection_modifyitems(items):
    """A browser test waits for a real Streamlit server and Chromium; on a 2-core machine shared with other
    work a wait can run out once. Those tests (and only those) get one more run before they count as failed;
    a test that fails twice fails."""
    for item in items:
        if item.module.__name__ in BROWSER_MODULES:
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item, so fixtures can screenshot failed browser tests."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# Browser tests: one Streamlit server on the bundled data and one headless Chromium per test module.


@pytest.fixture(scope="module")
def server():
    from browser import streamlit_server

    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
