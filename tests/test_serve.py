"""Serving many people at once: the map cache, the websocket protocol client, the nginx layout.

The tests start `python -m corridors serve` (two Streamlit processes behind nginx) once for the
module; the protocol client is tested against one of its Streamlit processes directly, the rest
through nginx. Times are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import json
import re
import signal
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import streamlit_folium as stf
from servelayout import free as _free
from servelayout import serve_layout

from corridors.maps import pack
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import state_from_query
from corridors.serve import loadtest, nginx
from corridors.serve.protocol import Session, stream_url
from corridors.ui import mapcache

ROOT = Path(__file__).resolve().parent.parent
RETURNED = ["last_active_drawing", "last_object_clicked", "center", "zoom", "bounds"]  # as map_page asks


# --- the map cache -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(real_atlas):
    return MapData(real_atlas)


def _state(data, query: dict):
    atlas = data.atlas
    return state_from_query(query, atlas.corridors, data.countries_crossed_any, atlas.organisations)[0]


VIEWS = [
    {},
    {"selected": "kkh"},
    {"overlays": "nodes,countries,eco", "corridors": "kkh,ml1"},
    {"basemap": "OpenStreetMap.Mapnik", "status": "planned"},
    {"labels": "large", "view": "35.1,70.2,6"},
    {"labels": "off"},
]


@pytest.mark.parametrize("query", VIEWS)
def test_cached_map_arguments_equal_what_st_folium_sends(data, query, monkeypatch):
    state = _state(data, query)
    sent = {}
    monkeypatch.setattr(stf, "_component_func", lambda **kw: sent.update(kw))
    stf.st_folium(
        mapcache.page_base_map(data, state.basemap),
        center=(30, 70),
        zoom=5,
        height=600,
        use_container_width=True,
        returned_objects=RETURNED,
        key="map",
    )
    sent.pop("on_change")
    cached = mapcache.component_args(
        data, state, key="map", height=600, width=None, returned_objects=RETURNED, center=(30, 70), zoom=5
    )
    assert cached.keys() == sent.keys()
    # the layers are the view's script (maps/pack.py), not folium feature groups: the rest is st_folium's
    assert cached["feature_group"] == mapcache.layers(data, state).script
    assert sent.pop("feature_group") is None
    for name, value in sent.items():
        assert cached[name] == value, name
    assert (
        mapcache.component_args(
            data, state, key="map", height=600, width=None, returned_objects=RETURNED, center=(30, 70), zoom=5
        )
        == cached
    )  # and again, from the cache


def test_a_burst_of_sessions_renders_each_view_once(real_atlas, monkeypatch):
    data = MapData(real_atlas)  # a fresh data version: empty caches
    calls = []
    real = mapcache._render_layers
    monkeypatch.setattr(mapcache, "_render_layers", lambda d, s: calls.append(s) or real(d, s))
    state, other = _state(data, {}), _state(data, {"overlays": "countries"})
    results = []
    threads = [
        threading.Thread(target=lambda s=s: results.append(mapcache.layers(data, s)))
        for s in [state] * 12 + [other] * 4
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 2
    assert len({id(r) for r in results}) == 2


def test_panning_does_not_render_the_layers_again(data):
    state = _state(data, {"labels": "large"})
    assert mapcache.layers(data, state.with_(view=(30.0, 70.0, 5))) is mapcache.layers(data, state)


def test_a_new_data_version_renders_afresh(real_atlas):
    first, second = MapData(real_atlas), MapData(real_atlas)
    state = _state(first, {})
    assert mapcache.layers(first, state) is mapcache.layers(first, state)
    assert mapcache.layers(second, state) is not mapcache.layers(first, state)


# --- servers ---------------------------------------------------------------------------------------

layout = serve_layout  # the fixture (tests/servelayout.py)


@pytest.fixture(scope="module")
def app_url(layout):
    """One Streamlit process of the app, spoken to directly (the layout's first one, behind no proxy)."""
    return f"http://127.0.0.1:{layout['port'] + 100}"


def _get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()


# --- the protocol client against one running app ---------------------------------------------------


def test_stream_url_follows_the_page_url():
    assert stream_url("http://h:1/") == "ws://h:1/_stcore/stream"
    assert stream_url("https://h/atlas") == "wss://h/atlas/_stcore/stream"
    with pytest.raises(ValueError):
        stream_url("ftp://h")


def test_protocol_client_receives_the_map_and_toggles_a_layer(app_url, data):
    expected = set(data.visible_segments(_state(data, {})))

    async def go():
        async with Session(app_url, timeout=60) as s:
            first = await s.run()
            assert first.map and first.exception is None
            assert first.map.corridors == expected
            nodes_on = s.checkboxes["overlay_nodes"][1]
            flipped = await s.toggle("overlay_nodes")
            back = await s.toggle("overlay_nodes")
            return first, nodes_on, flipped, back

    first, nodes_on, flipped, back = asyncio.run(go())
    assert flipped.map.view[1]["places"] is (not nodes_on)  # the places layer came or went
    assert back.map.args == first.map.args  # back as it was
    # small enough to send whole: the scripts and the pack are files the browser fetches once and keeps
    assert first.map.size < 10_000 and back.wire < back.bytes  # and the run came compressed
    print(
        f"\nfirst run {first.bytes / 1024:.0f} KB, toggle {flipped.bytes / 1024:.0f} KB, "
        f"toggle back {back.bytes / 1024:.0f} KB"
    )


def test_protocol_client_reports_a_missing_checkbox(app_url):
    async def go():
        async with Session(app_url, timeout=60) as s:
            await s.run()
            await s.toggle("no_such_widget")

    with pytest.raises(Exception, match="no_such_widget"):
        asyncio.run(go())


# --- the production layout --------------------------------------------------------------------------


def test_proxy_serves_static_files_compressed_and_cached(layout):
    port = layout["port"]
    status, headers, body = _get(port, "/", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("set-cookie", "").startswith(nginx.COOKIE + "=")
    page = gzip.decompress(body).decode() if headers.get("content-encoding") == "gzip" else body.decode()
    bundle = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', page).group(1)
    status, headers, body = _get(port, "/" + bundle, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(body) == (layout["run_dir"] / "www" / (bundle + ".gz")).stat().st_size  # nginx sent our .gz
    assert "set-cookie" not in headers  # cacheable anywhere
    assert "immutable" in headers["cache-control"]
    plain = _get(port, "/" + bundle)[2]
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 2
    status, headers, _ = _get(port, "/app/static/vendor/leaflet/leaflet.js", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"

    # the map's pack (named by its content's hash): compressed and kept by the browser
    async def first_map():
        async with Session(layout["url"], timeout=60) as s:
            return (await s.run()).map

    address = urlsplit(asyncio.run(first_map()).view[0]).path
    status, headers, body = _get(port, address, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"] and len(headers["cache-control"].split("max-age")) == 2
    assert json.loads(gzip.decompress(body))["format"] == pack.PACK_FORMAT
    assert _get(port, "/healthz")[0] == 200


def test_proxy_passes_the_websocket(layout, data):
    async def go():
        async with Session(layout["url"], timeout=60) as s:
            return await s.run()

    result = asyncio.run(go())
    assert result.map and result.map.corridors == set(data.visible_segments(_state(data, {})))


def test_a_browser_comes_back_to_the_process_that_holds_its_session(layout):
    """Sticky: with its cookie, a browser's reconnections (and uploads, downloads) reach one process."""
    _, headers, _ = _get(layout["port"], "/")
    cookie = headers["set-cookie"].split(";", 1)[0]

    async def go():
        first = Session(layout["url"], timeout=60)
        await first.connect(cookie=cookie)
        await first.run()
        await first.close()
        resumed = []
        for _ in range(8):  # without stickiness each lands on either process: all 8 right by chance 1 in 256
            again = Session(layout["url"], timeout=60)
            await again.connect(cookie=cookie, resume=first.session_id)
            await again.run()
            await again.close()
            resumed.append(again.session_id == first.session_id)
        return resumed

    assert asyncio.run(go()) == [True] * 8


def test_twenty_sessions_at_once_all_get_their_map(layout, data):
    lines = []
    expected = set(data.visible_segments(_state(data, {})))
    figures = asyncio.run(
        loadtest.run_load(
            url=layout["url"],
            sessions=20,
            static=True,
            toggle="overlay_nodes",
            expected=expected,
            settle=1.0,
            report=lines.append,
            run_dir=layout["run_dir"],
        )
    )
    print("\n" + "\n".join(lines))
    assert figures["failures"] == 0
    assert len(figures["to_map"]) == len(figures["first_visit"]) == len(figures["toggle"]) == 20
    assert "cpu_per_session" in figures  # it saw the layout's processes (pids.json)


NO_SUCH_PAGE_LINKS = [
    '<a href="/">Map</a>',
    '<a href="/articles">Articles</a>',
    '<a href="/routes">Routes</a>',
    '<a href="/present">Present</a>',
]


@pytest.mark.parametrize(
    "path",
    ["/routes/extra/deeper?from=PAK", "/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd", "/nosuchpage", "/map/x"],
)
def test_an_unknown_address_gets_no_such_page_with_a_link_to_each_page(layout, path):
    status, headers, body = _get(layout["port"], path)
    page = body.decode()
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert "<h1>No such page</h1>" in page and all(link in page for link in NO_SUCH_PAGE_LINKS)


@pytest.mark.parametrize("path", ["/", "/map", "/routes", "/present/", "/articles?article=x", "/favicon.png"])
def test_the_pages_and_streamlits_own_files_still_pass(layout, path):
    assert _get(layout["port"], path)[0] in ((200, 301, 308) if path.endswith("/") and path != "/" else (200,))


def test_nginx_knows_the_apps_pages():
    from corridors.ui import links

    template = (Path(nginx.__file__).with_name("nginx.conf.in")).read_text(encoding="utf-8")
    names = "|".join(a.url_path for a in links.ALL)
    assert f"location ~ ^/({names})/?$" in template
    assert all(f'<a href="/{a.url_path if a is not links.ALL[0] else ""}">{a.title}</a>' in template for a in links.ALL)


def test_stop_ends_nginx_and_every_streamlit_process(layout):
    proc, port = layout["proc"], layout["port"]
    backends = [port + 100, port + 101]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert "stopped" in "".join(layout["lines"])
    assert all(_free(p) for p in [port, *backends])


def test_serve_refuses_a_port_in_use_with_a_clear_message(tmp_path, capsys):
    from corridors.serve import supervisor

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert supervisor.run(port=port, workers=1, run_dir=str(tmp_path)) == 2
    assert f"port(s) {port} already in use" in capsys.readouterr().out


def test_the_asgi_entry_knows_the_app_s_pages_and_answers_any_other_address_with_no_such_page():
    import asyncio

    from starlette.responses import PlainTextResponse

    from corridors.serve import nosuchpage
    from corridors.serve.asgi import NoSuchPage
    from corridors.ui import links

    assert nosuchpage.PAGES == tuple((a.title, a.url_path if a is not links.ALL[0] else "") for a in links.ALL)
    for path in (
        "/",
        "/routes",
        "/present/",
        "/map",
        "/_stcore/health",
        "/_stcore/stream",
        "/static/js/index.js",
        "/component/streamlit_folium.st_folium/index.html",
        "/app/static/vendor/leaflet/leaflet.js",
        "/favicon.png",
        "/manifest.json",
        "/media/abc.png",
    ):
        assert nosuchpage.is_app_path(path), path
    for path in ("/routes/extra/deeper", "/../../etc/passwd", "/nosuchpage", "/routes/static/x", "//", "/map/x"):
        assert not nosuchpage.is_app_path(path), path

    async def streamlit(scope, receive, send):  # stands for Streamlit's own app behind the middleware
        await PlainTextResponse("streamlit")(scope, receive, send)

    def get(path: str) -> tuple[int, str]:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [],
            "scheme": "http",
            "server": ("127.0.0.1", 80),
            "root_path": "",
        }
        asyncio.run(NoSuchPage(streamlit)(scope, receive, send))
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode()

    assert get("/routes") == (200, "streamlit")
    status, text = get("/routes/extra/deeper")
    assert status == 404 and "<h1>No such page</h1>" in text
    assert all(f'<a href="/{slug}">{title}</a>' in text for title, slug in nosuchpage.PAGES)
    assert get("/../../etc/passwd")[0] == 404
