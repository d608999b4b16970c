import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from factory import DataFolder  # noqa: E402


@pytest.fixture
def world() -> DataFolder:
    return DataFolder()


@pytest.fixture(scope="session")
def real_atlas():
    from corridors.data.atlas import load_atlas

    return load_atlas(ROOT / "geodata")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item, so fixtures can screenshot failed browser tests."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
