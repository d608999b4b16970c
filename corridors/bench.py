"""`python -m corridors bench`: how fast the dashboard is, on the bundled data and on a network 100× larger.

Prints figures; asserts nothing. Measures: atlas load (from the cache a start finds, without it, and the first
start that writes it), map-data preparation, building the map (base map and layers, rendered to the strings
streamlit-folium sends), the map payload in bytes (the first map message), geopandas' explore() on the same
segments and places beside them (its build time and HTML size, and the ratios), the real rerun after a layer
toggle through Streamlit's AppTest (whole script; the first toggle, to a view not rendered yet, and the next,
to views seen before), and computing the
distinct ways between Pakistan and Kazakhstan (geo.routes, as the Routes page and `routes` do), every
status as of a date and the changes since a date (geo.timeline); on a running dashboard, the websocket's
bytes for a toggle's whole rerun; in headless Chromium, the time to the first corridor and the frame time
while panning, on both.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from corridors.assemble import load_atlas
from corridors.geo.routes import find_routes, known_countries
from corridors.geo.timeline import atlas_on, changes_by_corridor
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state
from corridors.timing import timed

APP = Path(__file__).resolve().parent.parent / "app.py"


def map_strings(data: MapData, state) -> dict[str, str]:
    """What the map page hands streamlit-folium for one view (its first map message): the base map and the
    view's script, built afresh (the pack they draw from is made once per data version: `pack_figures`)."""
    from corridors.maps.pack import view_message, view_script
    from corridors.ui import folium_adapter as adapter
    from corridors.ui.mapcache import page_base_map, published

    m = page_base_map(data, state.basemap)
    m.render()
    out = {"html": adapter.map_html(m), "header": adapter.map_header(m), "map": adapter.map_script(m)}
    out["layers"] = view_script(view_message(data, state), published(data).source)
    return out


def pack_figures(atlas) -> tuple[float, int, int]:
    """The map page's pack made from a fresh MapData (ms, as the first view after a start makes it), its bytes
    and its bytes gzip-compressed (as nginx sends it; the browser fetches it once and keeps it)."""
    import gzip

    from corridors.maps.pack import pack_bytes

    fresh = MapData(atlas)
    pack_ms, content = timed(lambda: pack_bytes(fresh), repeat=1)
    return pack_ms, len(content), len(gzip.compress(content, 5))


def explore_frames(atlas):
    """The atlas's segments and places as GeoDataFrames, with what the map's tips say of each (the corridor,
    the ends, status, mode, how exact; a place's name, kind and country): what geopandas' explore() is given."""
    import geopandas as gpd

    nodes, names = atlas.nodes, atlas.country_names
    segments = gpd.GeoDataFrame(
        [
            {
                "corridor": atlas.corridors[s.corridor].name if s.corridor in atlas.corridors else s.corridor,
                "segment": s.id,
                "from": nodes[s.from_node].name if s.from_node in nodes else s.from_node,
                "to": nodes[s.to_node].name if s.to_node in nodes else s.to_node,
                "status": s.status,
                "mode": s.mode,
                "accuracy": s.accuracy,
                "geometry": s.line,
            }
            for s in atlas.segments.values()
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    places = gpd.GeoDataFrame(
        [
            {"place": n.name, "kind": n.kind, "country": names.get(n.country, n.country), "geometry": n.point}
            for n in nodes.values()
        ],
        geometry="geometry",
        crs="EPSG:4326",
    )
    return segments, places


def explore_html(segments, places) -> str:
    """geopandas' own interactive map of the same segments and places: `explore()` of each on one folium map,
    rendered to the HTML page it makes (the reference the app's map is measured against).

    explore() refuses to start without mapclassify, which it calls only for a classification `scheme` (none
    here); when mapclassify is not installed (it brings scipy and scikit-learn, and nothing else here needs
    it), a stand-in whose `classify` is never called satisfies that import, and explore()'s own code runs as
    it would with it."""
    import importlib.util
    import sys
    import types

    stand_in = None
    if importlib.util.find_spec("mapclassify") is None:
        stand_in = types.ModuleType("mapclassify")

        def classify(*args, **kwargs):
            raise RuntimeError("the benchmark's explore() uses no classification scheme")

        stand_in.classify = classify
        sys.modules["mapclassify"] = stand_in
    try:
        m = segments.explore()
        places.explore(m=m)
        return m.get_root().render()
    finally:
        if stand_in is not None and sys.modules.get("mapclassify") is stand_in:
            del sys.modules["mapclassify"]


def scale_data(source: Path, factor: int, target: Path) -> Path:
    """Write a data folder with `factor` shifted copies of every node, segment and corridor."""
    nodes = json.loads((source / "nodes.geojson").read_text(encoding="utf-8"))
    corridors = yaml.safe_load((source / "corridors.yaml").read_text(encoding="utf-8"))
    seg_files = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (source / "segments").glob("*.geojson")}
    (target / "segments").mkdir(parents=True, exist_ok=True)
    for name in ("countries.geojson", "organisations.yaml", "atlas.yaml"):
        if (source / name).is_file():
            (target / name).write_bytes((source / name).read_bytes())

    def shifted(coords, k):
        dx, dy = ((k * 7) % 11 - 5) * 0.01, ((k * 3) % 7 - 3) * 0.01
        return [[round(x + dx, 5), round(y + dy, 5)] for x, y in coords]

    out_nodes, out_corridors = [], []
    for k in range(factor):
        sfx = "" if k == 0 else f"-x{k}"
        for f in nodes["features"]:
            g = copy.deepcopy(f)
            g["properties"]["id"] += sfx
            g["geometry"]["coordinates"] = shifted([f["geometry"]["coordinates"]], k)[0]
            out_nodes.append(g)
        for c in corridors:
            d = copy.deepcopy(c)
            d["id"] += sfx
            d["name"] += f" ({k})" if k else ""
            d["segments"] = [s + sfx for s in c["segments"]]
            for alt in d.get("alternatives") or []:
                alt["id"] += sfx
                alt["segments"] = [s + sfx for s in alt["segments"]]
            out_corridors.append(d)
            feats = []
            for f in seg_files.get(c["id"], {"features": []})["features"]:
                g = copy.deepcopy(f)
                for key in ("id", "from", "to"):
                    g["properties"][key] += sfx
                g["geometry"]["coordinates"] = shifted(f["geometry"]["coordinates"], k)
                feats.append(g)
            (target / "segments" / f"{d['id']}.geojson").write_text(
                json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8"
            )
    (target / "nodes.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": out_nodes}), encoding="utf-8"
    )
    (target / "corridors.yaml").write_text(yaml.safe_dump(out_corridors, allow_unicode=True), encoding="utf-8")
    return target


def _toggle_rerun_ms(data_dir: Path, first_corridor: str, repeat: int) -> tuple[float, float, float]:
    """The real rerun after switching the first corridor off and on again (AppTest, whole script): the median of
    all, the first (off: a view whose layers are rendered then), and the median of the rest (views seen before:
    on again is the start's view, off again the first's)."""
    from streamlit.testing.v1 import AppTest

    os.environ["CORRIDORS_DATA"] = str(data_dir)
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.run()
    times = []
    for i in range(repeat):
        box = at.checkbox(key=f"show_{first_corridor}")
        (box.uncheck() if i % 2 == 0 else box.check())
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times[0], statistics.median(times[1:] or times)


def wire_figures(data_dir: Path, corridor: str) -> dict[str, float]:
    """What a browser's websocket carries from the dashboard (started as scripts/run.sh starts it): bytes of
    the first visit's run, and of the run after switching `corridor` off (a new view) and on again (the first
    view again), on the wire (compressed, as the browser offers it) and as messages, with each toggle's time
    from the click's message to the end of the run."""
    import asyncio

    from corridors.serve.firstdraw import running_app
    from corridors.serve.protocol import Session

    async def visit(url: str):
        async with Session(url, timeout=300) as session:
            first = await session.run()
            runs = []
            for _ in range(2):
                start = time.perf_counter()
                result = await session.toggle(f"show_{corridor}")
                runs.append((result, (result.finished_at - start) * 1000))
            return first, runs

    with running_app(data_dir, timeout=300) as url:
        first, ((off, off_ms), (on, on_ms)) = asyncio.run(visit(url))
    return {
        "first": first.bytes,
        "first_wire": first.wire,
        "off": off.bytes,
        "off_wire": off.wire,
        "off_ms": off_ms,
        "on": on.bytes,
        "on_wire": on.wire,
        "on_ms": on_ms,
    }


def _slider_rerun_ms(data_dir: Path, repeat: int) -> tuple[float, float]:
    """The real rerun after a step of the map's date slider (AppTest, whole script): the median over months not
    shown before (their layers rendered then), and over months shown before (cached)."""
    from streamlit.testing.v1 import AppTest

    from corridors.maps.timebar import month_options

    os.environ["CORRIDORS_DATA"] = str(data_dir)
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.run()
    months = month_options(load_atlas(data_dir))
    steps = [months[max(0, len(months) - 1 - 12 * (i + 1))] for i in range(repeat)]  # a year back each step
    cold, warm = [], []
    for times, order in ((cold, steps), (warm, steps)):
        for month in order:
            at.select_slider(key="asof_month").set_value(month)
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(cold), statistics.median(warm)


def _cold_ms(fn, values) -> float:
    """The median time of fn(value) over values each asked once (nothing cached for them yet)."""
    times = []
    for value in values:
        start = time.perf_counter()
        fn(value)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_folder(label: str, data_dir: Path, repeat: int) -> None:
    load_ms, atlas = timed(lambda: load_atlas(data_dir, cache=False), repeat=max(1, repeat // 2))
    with tempfile.TemporaryDirectory() as cache:  # a start: the first writes the cache, the next read it
        first_ms, _ = timed(lambda: load_atlas(data_dir, cache=cache), repeat=1)
        cached_ms, _ = timed(lambda: load_atlas(data_dir, cache=cache), repeat=max(1, repeat // 2))
    prep_ms, data = timed(lambda: MapData(atlas), repeat=1)  # the first build: later ones reuse its caches
    state = default_state(atlas.corridors)
    from corridors.ui.mapcache import published

    published(data)  # the pack, made once per data version (timed on its own: pack_figures)
    # tens of ms each: at least five, so that the median leaves out a collection of the garbage collector (a
    # ×100 atlas holds some 3 GB: one run in four or five takes 0.25 s instead of 0.05 s)
    build_ms, strings = timed(lambda: map_strings(data, state), repeat=max(5, repeat))
    toggled = state.with_(corridors=state.corridors[1:])
    layers_ms, _ = timed(lambda: map_strings(data, toggled)["layers"], repeat=max(5, repeat))
    rerun_ms, rerun_new_ms, rerun_seen_ms = _toggle_rerun_ms(data_dir, next(iter(atlas.corridors)), max(3, repeat))
    ends = ("PAK", "KAZ") if {"PAK", "KAZ"} <= set(known_countries(atlas)) else tuple(list(known_countries(atlas))[:2])
    routes_ms, found = timed(lambda: find_routes(atlas, *ends), repeat=repeat) if len(ends) == 2 else (0.0, None)
    asof_ms, _ = timed(lambda: atlas_on(atlas, "2014-12"), repeat=repeat)
    since_ms, _ = timed(lambda: changes_by_corridor(atlas, "2010"), repeat=repeat)
    years = [f"{y}-06" for y in range(2000, 2000 + max(3, repeat))]
    network_ms = _cold_ms(data.network_on, years)  # each segment as of a month (the map's as-of lines)
    date_layers_ms = _cold_ms(lambda y: map_strings(data, state.with_(asof=y.replace("-06", "-07")))["layers"], years)
    slider_cold_ms, slider_warm_ms = _slider_rerun_ms(data_dir, repeat)
    payload = sum(len(s.encode("utf-8")) for s in strings.values())
    toggle_bytes = sum(len(s.encode("utf-8")) for s in map_strings(data, toggled).values())
    pack_ms, pack_size, pack_gzip = pack_figures(atlas)
    wire = wire_figures(data_dir, next(iter(atlas.corridors)))
    frames = explore_frames(atlas)
    explore_ms, explore = timed(lambda: explore_html(*frames), repeat=max(5, repeat))  # as the map build is
    explore_bytes = len(explore.encode("utf-8"))
    print(f"{label}: {len(atlas.corridors)} corridors, {len(atlas.segments)} segments, {len(atlas.nodes)} nodes")
    print(f"  atlas load (a start, data unchanged: from the cache)   {cached_ms:9.1f} ms")
    print(f"  atlas load, no cache (files → validated atlas)         {load_ms:9.1f} ms")
    print(f"  atlas load, first start (files read, cache written)    {first_ms:9.1f} ms")
    print(f"  map data preparation (once)            {prep_ms:9.1f} ms")
    print(f"  map build (base + layers → strings)    {build_ms:9.1f} ms")
    print(f"  layers rebuilt for a toggle            {layers_ms:9.1f} ms")
    print(f"  rerun after a layer toggle (AppTest)   {rerun_ms:9.1f} ms")
    print(f"    of which a view not seen before: {rerun_new_ms:9.1f} ms; a view seen before: {rerun_seen_ms:9.1f} ms")
    if found is not None:
        print(f"  route alternatives {ends[0]}→{ends[1]} ({len(found.routes)} ways) {routes_ms:9.1f} ms")
    print(f"  every status as of a date (atlas_on)   {asof_ms:9.1f} ms")
    print(f"  changes since 2010, by corridor        {since_ms:9.1f} ms")
    print(f"  the map's segments as of a month       {network_ms:9.1f} ms")
    print(f"  layers rebuilt for a new month         {date_layers_ms:9.1f} ms")
    print(f"  rerun after a date slider step, new month (AppTest)   {slider_cold_ms:9.1f} ms")
    print(f"  rerun after a date slider step, month seen (AppTest)  {slider_warm_ms:9.1f} ms")
    print(
        f"  map payload                            {payload:9,d} bytes "
        f"(base {len(strings['map'].encode()):,d}, layers {len(strings['layers'].encode()):,d})"
    )
    print(f"  first map message (the map payload)    {payload:9,d} bytes")
    print(f"  map message after a layer toggle       {toggle_bytes:9,d} bytes")
    print(
        f"  websocket, a toggle's whole rerun      {wire['off_wire']:9,d} bytes on the wire off "
        f"({wire['off']:,d} in messages, {wire['off_ms']:.0f} ms), {wire['on_wire']:,d} on again "
        f"({wire['on']:,d}, {wire['on_ms']:.0f} ms); the first visit's run {wire['first_wire']:,d} "
        f"({wire['first']:,d})"
    )
    print(
        f"  map pack (once per data version)       {pack_ms:9.1f} ms, {pack_size:,d} bytes, "
        f"{pack_gzip:,d} gzip-compressed (fetched once, then kept by the browser)"
    )
    print(f"  geopandas explore(), same segments and places: build {explore_ms:9.1f} ms, HTML {explore_bytes:,d} bytes")
    print(
        f"  explore() against the app's map: {explore_ms / build_ms:5.1f}× the build time, "
        f"{explore_bytes / payload:5.1f}× the bytes (the targets: ≥ 8× and ≥ 12×); "
        f"{explore_bytes / (payload + pack_gzip):5.1f}× the bytes of the message and the pack as sent (gzip)"
    )


def bench_present(atlas, repeat: int = 3) -> None:
    """The Present page's map of each stop of the first briefing: build time (cached per stop after) and size."""
    from corridors.maps.mapdata import MapData
    from corridors.maps.present import stop_map_html

    briefing = next(iter(atlas.briefings.values()), None)
    if briefing is None:
        return
    data = MapData(atlas)
    found = [timed(lambda s=s: stop_map_html(data, s), repeat=repeat) for s in briefing.stops]
    sizes = [len(html.encode("utf-8")) for _, html in found]
    print(
        f"  Present page: a stop's map (median of {len(found)})  {statistics.median(ms for ms, _ in found):9.1f} ms, "
        f"{int(statistics.median(sizes)):,d} bytes"
    )


def long_articles(atlas, size: int = 1_000_000) -> dict[str, object]:
    """Articles of `size` characters in one paragraph (no line breaks), as a careless or hostile paste
    would give: the bundled articles' text over and over, and the shapes that were once quadratic
    (sentences that never end, an abbreviation before every full stop, a reference in every sentence,
    one sentence naming thousands of places)."""
    from dataclasses import replace

    from corridors.data.model import Article

    base = " ".join(p for a in atlas.articles.values() for p in a.paragraphs) or "The railway reached Termez. "
    place = " ".join(n.name for n in list(atlas.nodes.values())[:8]) + " rail "
    corridor = next((c.name for c in atlas.corridors.values()), "The railway")
    shapes = {
        "article text": base + " ",
        "no sentence ends": base.replace(".", "").replace("!", "").replace("?", "") + " ",
        "'Mr.' before every full stop": "Mr. Kazakhstan ",
        "a reference in every sentence": f"The {corridor} is long. The line is long. ",
        "one sentence of places": place,
    }
    template = Article(id="bench-long", title="Long", paragraphs=("",))
    return {
        label: replace(template, paragraphs=((unit * (size // len(unit) + 1))[:size].rstrip(),))
        for label, unit in shapes.items()
    }


def bench_linking(atlas, size: int = 1_000_000) -> None:
    """Linking a 1 MB single-paragraph article (add-article; the reader links at most 200,000 characters)."""
    from corridors.text.intake import READER_MAX_CHARS, link_for_reader, propose_links

    print(f"linking one paragraph of {size:,} characters (CPU time):")
    for label, article in long_articles(atlas, size).items():
        start = time.process_time()
        excerpts, mentions = propose_links(atlas, article)
        cpu = time.process_time() - start
        start = time.process_time()
        link_for_reader(atlas, article)
        reader = time.process_time() - start
        print(
            f"  {label:<32} {cpu:6.2f} s ({len(excerpts):,} excerpts, {len(mentions):,} mentions); "
            f"reader (first {READER_MAX_CHARS:,}) {reader:5.2f} s"
        )


def run_bench(data_dir: Path, factor: int = 100, repeat: int = 5) -> None:
    """Every figure, on the bundled data then on the generated network. Every load the run times, the app's
    own (AppTest) included, uses a cache folder of the run's own, removed after: no figure depends on what
    the user's cache holds, and the generated network leaves nothing in it."""
    from corridors import settings

    before = os.environ.get(settings.CACHE_DIR_ENV)
    with tempfile.TemporaryDirectory() as cache:
        os.environ[settings.CACHE_DIR_ENV] = cache
        try:
            _run_bench(data_dir, factor, repeat)
        finally:
            if before is None:
                os.environ.pop(settings.CACHE_DIR_ENV, None)
            else:
                os.environ[settings.CACHE_DIR_ENV] = before


def _run_bench(data_dir: Path, factor: int, repeat: int) -> None:
    from corridors.exports.bench import bench_exports
    from corridors.exports.htmlfile import atlas_html

    bench_folder("bundled data", data_dir, repeat)
    from corridors.serve.firstdraw import print_first_corridor, print_pan_frames

    print("the map page in headless Chromium (bundled data, internet blocked):")
    print_first_corridor(data_dir, visits=max(2, min(repeat, 5)) + 1)
    print_pan_frames(data_dir)
    print("exports (bundled data):")
    bench_exports(load_atlas(data_dir), repeat=max(1, min(repeat, 5)))
    bench_present(load_atlas(data_dir), repeat=max(1, min(repeat, 5)))
    bench_linking(load_atlas(data_dir))
    with tempfile.TemporaryDirectory() as tmp:
        scaled = scale_data(data_dir, factor, Path(tmp) / "scaled")
        bench_folder(f"generated network ×{factor}", scaled, max(2, repeat // 2))
        print(f"  atlas HTML export                      {len(atlas_html(load_atlas(scaled))):9,d} bytes")
        print(f"the map page in headless Chromium (generated network ×{factor}, internet blocked):")
        print_first_corridor(scaled, visits=3)
        print_pan_frames(scaled)
