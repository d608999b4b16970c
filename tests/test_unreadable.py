"""Places the user running a command may not read or write: one problem line each, never a traceback.

Run as an unprivileged user (uid 65534 through `setpriv`), since chmod 000 means nothing to root. The
command runs with Debian's python3 and the shared virtualenv's packages (the virtualenv's own python lives
under /root, which that user may not enter).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv") or not SYSTEM_PYTHON.exists(),
    reason="needs root, setpriv and the system's python of the same version, to run as another user",
)


def as_nobody(*args: str) -> subprocess.CompletedProcess:
    env = {
        "HOME": "/tmp",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{ROOT}:{sysconfig.get_paths()['purelib']}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.run(
        [*NOBODY, str(SYSTEM_PYTHON), "-m", "corridors", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/tmp",
        timeout=120,
    )


@pytest.fixture
def place():
    """A folder every user may enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="corridors-perm-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        try:
            path.chmod(0o755)
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data(place, world):
    root = world.write(place / "d")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def lines(proc) -> list[str]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


def test_the_system_python_can_run_the_package(data):
    proc = as_nobody("validate", "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: ")


@pytest.mark.parametrize(
    "mode, command",
    [
        (0o000, ["validate"]),
        (0o311, ["validate"]),  # may be entered, not listed
        (0o444, ["validate"]),  # may be listed, not entered
        (0o000, ["info"]),
        (0o000, ["info", "--json"]),
        (0o000, ["routes", "AAA", "BBB"]),
        (0o000, ["export", "--out", "/tmp/never-written.geojson"]),
    ],
)
def test_an_unreadable_data_folder_is_one_problem_line(data, command, mode):
    data.chmod(mode)
    proc = as_nobody(*command, "--data", str(data))
    assert proc.returncode == 1
    assert lines(proc) == [f"{data}: folder: cannot be read (permission denied)"]
    assert not Path("/tmp/never-written.geojson").exists()


def test_a_data_folder_inside_a_folder_one_may_not_enter(data):
    data.parent.chmod(0o700)
    proc = as_nobody("info", "--json", "--data", str(data))
    assert proc.returncode == 1
    assert lines(proc) == [f"{data}: folder: cannot be read (permission denied)"]


@pytest.mark.parametrize(
    "name, message",
    [
        ("nodes.geojson", "{d}/nodes.geojson: file: cannot be read (permission denied)"),
        ("corridors.yaml", "{d}/corridors.yaml: file: cannot be read (permission denied)"),
        ("segments", "{d}/segments/: folder: cannot be read (permission denied)"),
        ("segments/alpha.geojson", "{d}/segments/alpha.geojson: file: cannot be read (permission denied)"),
        ("countries.geojson", "{d}/countries.geojson: file: cannot be read (permission denied)"),
        ("articles", "{d}/articles/: folder: cannot be read (permission denied)"),
    ],
)
def test_an_unreadable_file_or_folder_inside_is_named(data, name, message):
    (data / name).chmod(0)
    proc = as_nobody("validate", "--data", str(data))
    assert proc.returncode == 1
    assert message.format(d=data) in lines(proc)


@pytest.mark.parametrize("name", ["nodes.geojson", "corridors.yaml", "segments"])
@pytest.mark.parametrize("command", [["info"], ["info", "--json"], ["routes", "AAA", "BBB"]])
def test_commands_show_what_loaded_after_a_warning(data, name, command):
    """A corridors.yaml that cannot be read leaves segments without their corridor: no way runs along them."""
    (data / name).chmod(0)
    proc = as_nobody(*command, "--data", str(data))
    lines(proc)
    assert proc.stderr.splitlines()[0].startswith("warning: the data has ")
    assert proc.stderr.splitlines()[0].endswith(
        " problem(s); `python -m corridors validate` lists them; showing what loaded"
    )
    assert proc.returncode in (0, 1, 2)


def test_export_into_a_folder_one_may_not_write(data, place):
    locked = place / "locked"
    locked.mkdir(mode=0o555)
    for fmt in ("geojson", "html"):
        out = locked / f"x.{fmt}"
        proc = as_nobody("export", "--format", fmt, "--out", str(out), "--data", str(data))
        assert proc.returncode == 1
        assert lines(proc) == [f"{out}: file: cannot be written (permission denied)"]
    proc = as_nobody("export", "--format", "png", "--out", str(locked), "--data", str(data))
    assert lines(proc) == [f"{locked}: folder: cannot be written (permission denied)"]
    assert list(locked.iterdir()) == []


def test_export_below_a_folder_one_may_not_enter(data, place):
    private = place / "private"
    private.mkdir(mode=0o700)
    out = private / "x.geojson"
    proc = as_nobody("export", "--out", str(out), "--data", str(data))
    assert proc.returncode == 1
    assert lines(proc) == [f"{out}: file: cannot be written (permission denied)"]


def test_export_into_a_file_that_is_not_a_folder(data):
    out = data / "corridors.yaml" / "x.geojson"
    proc = as_nobody("export", "--out", str(out), "--data", str(data))
    assert lines(proc) == [f"{out}: file: cannot be written ({data / 'corridors.yaml'} is not a folder)"]


def test_add_article_reports_unreadable_source_and_unwritable_articles(data, place):
    source = place / "a.md"
    source.write_text("---\ntitle: A new article\n---\n\nThe Alpha Road is open.\n", encoding="utf-8")
    source.chmod(0)
    proc = as_nobody("add-article", str(source), "--data", str(data))
    assert lines(proc) == [f"{source}: file: cannot be read (permission denied)"]
    source.chmod(0o644)
    (data / "articles").chmod(0o555)
    before = (data / "links.yaml").read_bytes() if (data / "links.yaml").exists() else None
    proc = as_nobody("add-article", str(source), "--data", str(data))
    assert proc.returncode == 1
    assert lines(proc)[-1] == f"{data}/articles/a-new-article.md: file: cannot be written (permission denied)"
    assert not (data / "articles" / "a-new-article.md").exists()
    assert ((data / "links.yaml").read_bytes() if (data / "links.yaml").exists() else None) == before


def test_written_files_are_readable_by_others(data, place):
    """Temporary files are private (0600); what replaces a data file or is exported is not."""
    (place / "out").mkdir(mode=0o777)
    (place / "out").chmod(0o777)
    out = place / "out" / "x.geojson"
    proc = as_nobody("export", "--out", str(out), "--data", str(data))
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_mode & 0o044 == 0o044
