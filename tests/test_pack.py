"""The map page's pack and view messages (maps/pack.py): the same lines, statuses, tooltips and places as the
atlas, escaped; a few kilobytes per view; published once as a content-named file, carried inline when it
cannot be written."""

from __future__ import annotations

import json

import pytest
from factory import hostile_world

from corridors import settings
from corridors.assemble import load_atlas
from corridors.maps import assets, pack
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state
from corridors.ui import mapcache


@pytest.fixture(scope="module")
def data(real_atlas):
    return MapData(real_atlas)


def decode(flat: list[int], scale: int) -> list[list[float]]:
    out, x, y = [], 0, 0
    for i in range(0, len(flat), 2):
        x, y = x + flat[i], y + flat[i + 1]
        out.append([x / scale, y / scale])
    return out


def drawn(data, view: dict) -> dict[str, list[str]]:
    """What a view draws, read back as atlasmap.js reads it: corridor id -> segment ids."""
    p = pack.atlas_pack(data)
    out = {}
    for ci, runs in pack.lines_drawn(p, view).items():
        ids = [p["segments"][start + k][0] for start, n in zip(runs[::2], runs[1::2]) for k in range(n)]
        out[p["corridors"][ci][0]] = ids
    return out


def test_every_segment_line_comes_back_as_the_map_drew_it(data):
    p = pack.atlas_pack(data)
    assert [s[0] for s in p["segments"]] == list(data.atlas.segments)
    for seg in p["segments"]:
        geometry = data.segment_geometry[seg[0]]
        parts = geometry["coordinates"] if geometry["type"] == "MultiLineString" else [geometry["coordinates"]]
        assert [decode(part, p["lineScale"]) for part in seg[3]] == [[list(xy) for xy in part] for part in parts]


VIEWS = [
    {},
    {"corridors": ("kkh", "ml1")},
    {"statuses": ("operational",)},
    {"selected": "kkh"},
    {"asof": "2014-12"},
    {"countries": ("AFG",), "country_match": "crosses"},
]


@pytest.mark.parametrize("change", VIEWS)
def test_a_view_draws_exactly_the_visible_segments_with_their_statuses(data, change):
    state = default_state(data.atlas.corridors).with_(**change)
    view = pack.view_message(data, state)
    visible = data.visible_segments(state)
    assert drawn(data, view) == {cid: [s.id for s in segs] for cid, segs in visible.items()}
    p = pack.atlas_pack(data)
    changed = dict(view["status"])
    for segs in visible.values():
        for s in segs:
            i = data.segment_index[s.id]
            assert settings.STATUSES[changed.get(i, p["segments"][i][2])] == s.status


def test_a_toggle_sends_only_what_changed(data):
    state = default_state(data.atlas.corridors)
    assert pack.view_message(data, state)["lines"] == {"drop": [], "put": []}
    off = pack.view_message(data, state.with_(corridors=state.corridors[1:]))
    assert off["lines"]["drop"] == [0]
    assert len(json.dumps(off)) < 2_000


def test_the_date_says_what_was_not_open_then(data):
    view = pack.view_message(data, default_state(data.atlas.corridors).with_(asof="2024-01"))
    assert view["then"] is True
    shut = dict(view["shut"])  # the Khunjerab crossing was shut in winter until December 2024
    kkh = {data.segment_index[s.id] for s in data.atlas.corridor_segments("kkh")}
    assert any("closed for the season" in text for i, text in shut.items() if i in kkh)
    assert pack.view_message(data, default_state(data.atlas.corridors).with_(asof="2026-01"))["shut"] == []


def test_the_selection_brings_its_halo(data):
    view = pack.view_message(data, default_state(data.atlas.corridors).with_(selected="kkh"))
    assert view["selected"] == data.corridor_index["kkh"] and view["halo"]


def test_every_string_from_data_is_escaped(tmp_path):
    atlas = load_atlas(hostile_world().write(tmp_path / "hostile"))
    data = MapData(atlas)
    p = pack.atlas_pack(data)
    # what becomes HTML in the browser (tooltips): escaped here
    html = (
        [c[1] for c in p["corridors"]]
        + [t for s in p["segments"] for t in (s[4], s[5])]
        + [pl[4] for pl in p["places"]]
        + [c[1] for c in p["countries"]]
        + [m[1] for o in p["organisations"] for m in o[2]]
    )
    assert any("&lt;script&gt;" in t for t in html)
    for text in html:
        assert "<script" not in text and "<img" not in text and "`" not in text, text
    # what is set as text (labels.js: textContent): left as written, so the name reads as written
    assert any("<script>" in c[4] for c in p["corridors"]) and any("<script>" in pl[5] for pl in p["places"])
    # the view's script and an inline pack carry nothing that could close a script or start markup
    script = pack.view_script(pack.view_message(data, default_state(atlas.corridors)), "/x.json")
    inline = str(pack.AtlasMapScript("atlas-x.json", land=True, inline=p).inline)
    for text in (script, inline):
        assert "<" not in text and ">" not in text and "`" not in text


def test_the_pack_is_published_once_under_its_content_name(data, tmp_path):
    content = pack.pack_bytes(data)
    name = pack.pack_name(content)
    address = assets.publish_pack(tmp_path, name, content)
    assert address == f"/app/static/atlas/{name}"
    assert (tmp_path / "atlas" / name).read_bytes() == content
    assert pack.pack_name(content) == name and pack.pack_name(content + b" ") != name


def test_old_packs_are_removed_but_not_recent_ones(tmp_path):
    import os
    import time

    folder = tmp_path / "atlas"
    folder.mkdir()
    for i in range(8):
        path = folder / f"atlas-old{i}.json"
        path.write_text("{}")
        age = 7200 if i < 6 else 0
        os.utime(path, (time.time() - age - i, time.time() - age - i))
    assets.publish_pack(tmp_path, "atlas-new.json", b"{}")
    # the newest four (this one, the two written within the hour, the newest old one); the older ones go
    assert {p.name for p in folder.iterdir()} == {
        "atlas-new.json",
        "atlas-old6.json",
        "atlas-old7.json",
        "atlas-old0.json",
    }


def test_a_checkout_that_cannot_be_written_carries_the_pack_inline(real_atlas, tmp_path, monkeypatch):
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder should be")  # mkdir fails, even for root
    monkeypatch.setattr(assets, "static_dir", lambda: blocker)
    data = MapData(real_atlas)
    found = mapcache.published(data)
    assert found.inline is not None and found.source.startswith("atlas-")
    args = mapcache.component_args(
        data, default_state(real_atlas.corridors), key="m", height=500, width=None, returned_objects=[]
    )
    assert "window.atlasMap.define(" in args["script"]
    assert json.dumps(found.source) in args["feature_group"]
    assert found.scripts is None and "window.atlasMap = {" in args["script"]  # the scripts inline too


def test_the_scripts_are_files_the_browser_keeps_not_part_of_each_map_message(real_atlas, tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "static_dir", lambda: tmp_path)
    data = MapData(real_atlas)
    found = mapcache.published(data)
    args = mapcache.component_args(
        data, default_state(real_atlas.corridors), key="m", height=500, width=None, returned_objects=[]
    )
    assert list(args["js_links"][-2:]) == list(found.scripts)  # after Leaflet, in this order
    assert "window.atlasMap = {" not in args["script"] and len(args["script"]) < 6000
    atlasmap, names = (tmp_path / "atlas" / a.rsplit("/", 1)[1] for a in found.scripts)
    assert atlasmap.read_text(encoding="utf-8") == pack.atlasmap_js()
    assert "window.atlasLabels" in names.read_text(encoding="utf-8")
    # named by content: the same code, the same address; other code, another one
    assert assets.publish_script(tmp_path, "atlasmap", pack.atlasmap_js()) == found.scripts[0]
    assert assets.publish_script(tmp_path, "atlasmap", pack.atlasmap_js() + "\n") != found.scripts[0]


def test_a_removed_pack_or_script_is_written_again(real_atlas, tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "static_dir", lambda: tmp_path)
    data = MapData(real_atlas)
    first = mapcache.published(data)
    paths = [tmp_path / "atlas" / a.rsplit("/", 1)[1] for a in (first.source, *first.scripts)]
    for path in paths:
        path.unlink()
        mapcache.component_args(
            data, default_state(real_atlas.corridors), key="m", height=500, width=None, returned_objects=[]
        )
        assert path.is_file()
