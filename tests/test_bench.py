"""The benchmark's reference map: geopandas' explore() on the same segments and places as the app's map."""

from __future__ import annotations

import sys

from corridors.assemble import load_atlas
from corridors.bench import explore_frames, explore_html


def test_explore_draws_every_segment_and_place(world, tmp_path):
    atlas = load_atlas(world.write(tmp_path / "data"), cache=False)
    segments, places = explore_frames(atlas)
    assert list(segments["segment"]) == list(atlas.segments) and len(places) == len(atlas.nodes)
    assert set(segments["corridor"]) == {"Alpha Railway"}
    before = sys.modules.get("mapclassify")
    html = explore_html(segments, places)
    assert sys.modules.get("mapclassify") is before  # the stand-in for mapclassify is not left behind
    assert html.startswith("<!DOCTYPE html>")
    for text in [*atlas.segments, "Aville", "Border Post", "Btown", "Aland"]:
        assert text in html
