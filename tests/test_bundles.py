"""serve/bundles.py: Streamlit's and the map's static files answered from memory, compressed when the browser
accepts it, never a file outside its folder, and a changed or removed file noticed."""

from __future__ import annotations

import asyncio
import gzip
import os

import pytest

from corridors.serve import asgi
from corridors.serve.bundles import IMMUTABLE, BundleFiles, Root, accepts_gzip, bundle_roots


async def _inner(scope, receive, send):  # what Streamlit would answer for anything the middleware leaves
    await send({"type": "http.response.start", "status": 404, "headers": [(b"x-from", b"streamlit")]})
    await send({"type": "http.response.body", "body": b"inner"})


def fetch(app, path: str, method: str = "GET", gzip_ok: bool = True) -> tuple[int, dict, bytes]:
    sent = []
    headers = [(b"accept-encoding", b"gzip, deflate, br")] if gzip_ok else []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app({"type": "http", "method": method, "path": path, "headers": headers}, receive, send))
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


@pytest.fixture
def served(tmp_path):
    fixed, packs = tmp_path / "fixed", tmp_path / "packs"
    (fixed / "js").mkdir(parents=True)
    packs.mkdir()
    (fixed / "js" / "index.abc123.js").write_text("console.log('streamlit');\n" * 200)
    (fixed / "js" / "tiny.js").write_text("1")
    (fixed / "font.woff2").write_bytes(os.urandom(4000))
    (tmp_path / "secret.txt").write_text("not for the web")
    roots = {"/static/": Root(fixed, IMMUTABLE, changes=False), "/app/static/atlas/": Root(packs, "x", changes=True)}
    return BundleFiles(_inner, roots), fixed, packs


def test_a_bundle_is_sent_compressed_to_a_browser_that_accepts_it(served):
    app, fixed, _ = served
    status, headers, body = fetch(app, "/static/js/index.abc123.js")
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (fixed / "js" / "index.abc123.js").read_bytes()
    assert headers["cache-control"] == IMMUTABLE and headers["content-type"].startswith("text/javascript")
    assert int(headers["content-length"]) == len(body) < len(gzip.decompress(body)) / 5
    status, headers, body = fetch(app, "/static/js/index.abc123.js", gzip_ok=False)
    assert "content-encoding" not in headers and body == (fixed / "js" / "index.abc123.js").read_bytes()
    _, headers, body = fetch(app, "/static/font.woff2")  # compressed already: sent as it is
    assert "content-encoding" not in headers and body == (fixed / "font.woff2").read_bytes()
    _, headers, body = fetch(app, "/static/js/tiny.js")  # too small to be worth it
    assert "content-encoding" not in headers and body == b"1"
    status, headers, body = fetch(app, "/static/js/index.abc123.js", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


@pytest.mark.parametrize(
    "path",
    [
        "/static/../secret.txt",
        "/static/js/../../secret.txt",
        "/static//etc/passwd",
        "/static/js\\..\\..\\secret.txt",
        "/static/js/",
        "/static/",
        "/static/missing.js",
        "/static/js/tiny.js\x00.png",
        "/other/js/tiny.js",
    ],
)
def test_anything_but_a_file_inside_the_folder_is_left_to_streamlit(served, path):
    app, _, _ = served
    status, headers, body = fetch(app, path)
    assert (status, headers.get("x-from"), body) == (404, "streamlit", b"inner")


def test_a_link_out_of_the_folder_is_not_followed(served, tmp_path):
    app, fixed, _ = served
    (fixed / "escape.txt").symlink_to(tmp_path / "secret.txt")
    assert fetch(app, "/static/escape.txt")[2] == b"inner"


def test_only_get_and_head_are_answered(served):
    app, _, _ = served
    assert fetch(app, "/static/js/tiny.js", method="POST")[2] == b"inner"


def test_a_changed_or_removed_pack_is_noticed(served):
    app, _, packs = served
    pack = packs / "atlas-1.json"
    pack.write_text('{"v": 1}')
    assert fetch(app, "/app/static/atlas/atlas-1.json", gzip_ok=False)[2] == b'{"v": 1}'
    pack.write_text('{"v": 22}')  # another size: seen even within the file system's time resolution
    assert fetch(app, "/app/static/atlas/atlas-1.json", gzip_ok=False)[2] == b'{"v": 22}'
    pack.unlink()
    assert fetch(app, "/app/static/atlas/atlas-1.json")[:1] == (404,)


def test_accept_encoding_is_read_as_browsers_and_proxies_send_it():
    assert accepts_gzip([(b"Accept-Encoding", b"gzip, deflate, br, zstd")])
    assert accepts_gzip([(b"accept-encoding", b"*")])
    assert not accepts_gzip([(b"accept-encoding", b"gzip;q=0, br")])
    assert not accepts_gzip([(b"accept-encoding", b"identity")])
    assert not accepts_gzip([])


def test_the_dashboard_serves_the_bundles_it_names():
    roots = bundle_roots(asgi.ROOT)
    assert (roots["/static/"].folder / "js").is_dir()  # Streamlit's bundles, where nginx mirrors them from
    assert any(roots["/component/streamlit_folium.st_folium/static/"].folder.rglob("main.*.js"))
    assert set(bundle_roots(asgi.ROOT, "/atlas/")) == {"/atlas" + prefix for prefix in roots}
