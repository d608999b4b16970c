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
    from corridors.atlas import load_atlas

    return load_atlas(ROOT / "geodata")
