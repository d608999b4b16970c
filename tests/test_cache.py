"""The loaded-atlas cache (corridors.data.cache, used by assemble.load_atlas): the same atlas, problems included,
from the cache as from the files; a changed file, a corrupt entry or a folder that cannot be written means
the files are read, never an error. conftest.py turns the cache off for every other test; here each test
gives its own folder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from factory import hostile_world

from corridors import assemble, settings
from corridors.assemble import load_atlas
from corridors.data import cache
from corridors.data.atlas import Atlas

ROOT = Path(__file__).resolve().parent.parent


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def file_loads(monkeypatch) -> list[Path]:
    """From now on, each data folder read from its files (not from the cache) is listed here."""
    calls: list[Path] = []
    real = assemble._load
    monkeypatch.setattr(assemble, "_load", lambda root: calls.append(root) or real(root))
    return calls


def same_atlas(a: Atlas, b: Atlas) -> None:
    assert [repr(p) for p in a.problems] == [repr(p) for p in b.problems]
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    for name in ("nodes", "segments", "corridors", "organisations", "articles", "briefings", "named_excerpts"):
        assert getattr(a, name) == getattr(b, name), name
    assert list(a.segments) == list(b.segments) and list(a.corridors) == list(b.corridors)
    assert a.excerpts == b.excerpts and a.mentions == b.mentions and a.spellings == b.spellings
    assert a.transit == b.transit and a.info == b.info and a.segment_files == b.segment_files
    for name in ("declared_nodes", "declared_segments", "declared_corridors", "declared_articles"):
        assert getattr(a, name) == getattr(b, name), name
    flags = ("readable", "corridors_readable", "nodes_readable", "segments_readable", "articles_readable")
    assert [getattr(a, f) for f in flags] == [getattr(b, f) for f in flags]
    assert a.countries.equals(b.countries) and str(a.data_dir) == str(b.data_dir)
    assert (a.world is None) == (b.world is None) and (a.world is None or a.world.equals(b.world))


def test_the_bundled_atlas_from_the_cache_is_the_one_from_the_files(tmp_path, monkeypatch):
    from corridors.exports.htmlfile import atlas_html
    from corridors.geo.routes import find_routes

    fresh = load_atlas(ROOT / "geodata", cache=False)
    load_atlas(ROOT / "geodata", cache=tmp_path)  # written
    assert len(entries(tmp_path)) == 1
    loads = file_loads(monkeypatch)
    cached = load_atlas(ROOT / "geodata", cache=tmp_path)
    assert loads == []
    same_atlas(fresh, cached)
    # what is built from it is the same, byte for byte (country shapes prepared again, caches filled again)
    assert atlas_html(cached) == atlas_html(fresh)
    assert find_routes(cached, "PAK", "KAZ") == find_routes(fresh, "PAK", "KAZ")


def broken_world():
    """A folder with problems in every file, of every kind (schema, geometry, references, history, names)."""
    w = hostile_world()
    w.corridors[0]["colour"] = "red"
    w.corridors.append({**w.corridors[0], "id": "beta", "segments": ["nowhere"], "status": "planned"})
    w.node("btown")["geometry"]["coordinates"] = [200.0, 5.0]
    w.node("border")["properties"]["country"] = "BBB"
    w.segment("border-btown")["properties"]["status"] = "operational"
    w.segment("aville-border")["properties"]["from"] = "atlantis"
    w.atlas["updated"] = "2026-13-01"
    w.links[0]["end"] = 4000
    w.articles["Bad Name"] = "x"
    w.raw["organisations.yaml"] = b"- id: org\n  id: again\n"
    w.raw["briefings/b.yaml"] = b"{stops: [1, 2]}"
    return w


def test_problems_come_back_from_the_cache_as_they_were_found(tmp_path, monkeypatch):
    root = broken_world().write(tmp_path / "data")
    fresh = load_atlas(root, cache=False)
    assert len(fresh.problems) > 5  # a folder with much wrong in it
    load_atlas(root, cache=tmp_path / "cache")
    loads = file_loads(monkeypatch)
    cached = load_atlas(root, cache=tmp_path / "cache")
    assert loads == []
    same_atlas(fresh, cached)


def test_a_changed_byte_is_read_from_the_files(world, tmp_path):
    root = world.write(tmp_path / "data")
    folder = tmp_path / "cache"
    assert load_atlas(root, cache=folder).corridors["alpha"].name == "Alpha Railway"
    path = root / "corridors.yaml"
    text, info = path.read_text(encoding="utf-8"), path.stat()
    path.write_text(text.replace("Alpha Railway", "Alpha Railwax"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size, same time: only the bytes differ
    assert load_atlas(root, cache=folder).corridors["alpha"].name == "Alpha Railwax"
    assert len(entries(folder)) == 1  # the folder's one entry, rewritten


def test_a_new_file_is_read(world, tmp_path):
    root = world.write(tmp_path / "data")
    folder = tmp_path / "cache"
    before = load_atlas(root, cache=folder)
    (root / "articles" / "Bad Name.md").write_text("x", encoding="utf-8")
    after = load_atlas(root, cache=folder)
    assert len(after.problems) == len(before.problems) + 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit
        lambda data: b"",
        lambda data: b"not a cache at all",
        lambda data: cache.FORMAT + b"\x80\x05garbage",
        lambda data: data[:100] + b"\0" * 50 + data[150:],
    ],
    ids=["truncated", "bit", "empty", "text", "bad-pickle", "zeroed"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(world, tmp_path, damage, capsys):
    root = world.write(tmp_path / "data")
    folder = tmp_path / "cache"
    fresh = load_atlas(root, cache=folder)
    (path,) = entries(folder)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    again = load_atlas(root, cache=folder)
    same_atlas(fresh, again)
    assert path.read_bytes() != damage(good) and cache.loads(path.read_bytes(), assemble.cache_entry(root)[1])
    assert capsys.readouterr() == ("", "")


def test_an_entry_for_other_code_is_not_used(world, tmp_path, monkeypatch):
    root = world.write(tmp_path / "data")
    folder = tmp_path / "cache"
    load_atlas(root, cache=folder)
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    loads = file_loads(monkeypatch)
    load_atlas(root, cache=folder)
    load_atlas(root, cache=folder)
    assert loads == [root]  # read once from the files, then from the entry rewritten for this code


def test_the_cache_is_never_in_the_data_folder(world, tmp_path, monkeypatch):
    root = world.write(tmp_path / "data")
    listing = sorted(p.relative_to(root) for p in root.rglob("*"))
    monkeypatch.delenv(settings.CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(root)
    load_atlas(root)
    load_atlas(".")
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == listing
    assert len(entries(tmp_path / "xdg" / "corridors")) == 2  # the folder as given is in its problem lines


def test_where_the_cache_is(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.CACHE_DIR_ENV, "off")
    assert cache.cache_dir() is None
    monkeypatch.setenv(settings.CACHE_DIR_ENV, str(tmp_path))
    assert cache.cache_dir() == tmp_path
    monkeypatch.delenv(settings.CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache.cache_dir() == tmp_path / "x" / "corridors"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "corridors"


def test_the_folder_is_private_and_a_shared_one_is_not_used(world, tmp_path, monkeypatch):
    root = world.write(tmp_path / "data")
    folder = tmp_path / "cache"
    load_atlas(root, cache=folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(entries(folder)[0].stat().st_mode) == 0o600
    folder.chmod(0o777)  # anyone could have put a pickle there: it is not read
    loads = file_loads(monkeypatch)
    load_atlas(root, cache=folder)
    assert loads == [root]
    folder.chmod(0o700)
    entries(folder)[0].chmod(0o666)  # nor an entry anyone could have written
    load_atlas(root, cache=folder)
    assert loads == [root, root]


@pytest.mark.parametrize("kind", ["a file", "under a file"])
def test_a_cache_folder_that_cannot_be_made_means_no_cache(world, tmp_path, kind, capsys):
    root = world.write(tmp_path / "data")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    folder = tmp_path / "file" if kind == "a file" else tmp_path / "file" / "cache"
    same_atlas(load_atlas(root, cache=False), load_atlas(root, cache=folder))
    assert capsys.readouterr() == ("", "")


def test_a_data_folder_with_a_pipe_in_it_is_not_cached(world, tmp_path):
    root = world.write(tmp_path / "data")
    os.mkfifo(root / "segments" / "pipe.geojson")
    folder = tmp_path / "cache"
    atlas = load_atlas(root, cache=folder)
    assert any("named pipe" in p.what for p in atlas.problems)
    assert not entries(folder)


def test_entries_past_the_limit_are_removed(world, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    folder = tmp_path / "cache"
    for i in range(4):
        load_atlas(world.write(tmp_path / f"data{i}"), cache=folder)
    assert len(entries(folder)) == 2


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv"
)
def test_an_unprivileged_user_who_cannot_write_the_cache_loads_as_without_one(tmp_path):
    """As nobody (uid 65534), with a home and a cache folder it may not write: the atlas loads, silently."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o755)  # root's: nobody may enter it but not write in it
    tmp_path.chmod(0o755)
    script = (
        "from corridors.assemble import load_atlas; a = load_atlas(); print(len(a.corridors), len(a.problems), sep=',')"
    )
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c"]
    probe = f"import os, corridors; os.listdir({str(ROOT / 'geodata')!r})"
    try:
        usable = subprocess.run([*as_nobody, probe], capture_output=True, cwd=ROOT, timeout=300).returncode == 0
    except OSError:
        usable = False
    if not usable:
        pytest.skip("nobody may not run this checkout's Python or read its data (a checkout under /root)")
    expected = load_atlas(ROOT / "geodata", cache=False)
    for env in ({settings.CACHE_DIR_ENV: str(locked / "cache")}, {"HOME": str(locked), "XDG_CACHE_HOME": ""}):
        base = {k: v for k, v in os.environ.items() if k not in (settings.CACHE_DIR_ENV, "XDG_CACHE_HOME")}
        done = subprocess.run(
            [*as_nobody, script],
            env={**base, settings.DATA_DIR_ENV: str(ROOT / "geodata"), **env},
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        assert done.stdout.strip() == f"{len(expected.corridors)},{len(expected.problems)}"
        assert not (locked / "cache").exists() and not (locked / ".cache").exists()
