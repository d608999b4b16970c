"""Exports: PNG per briefing stop, self-contained HTML, map labels, overwrite refusal, escaping."""

from __future__ import annotations

import io
import json
import re

import pytest
from factory import HOSTILE, DataFolder, briefing_world, hostile_world
from PIL import Image

from corridors import settings
from corridors.assemble import load_atlas
from corridors.briefings.model import Briefing, Stop, View
from corridors.cli import run
from corridors.exports import htmlfile, png
from corridors.maps import labels as maplabels
from corridors.maps import pack
from corridors.maps.mapdata import MapData
from corridors.maps.viewstate import default_state, state_from_query, state_to_query

KKH_VIEW = View(bounds=((32.5, 70.0), (40.5, 78.5)))


@pytest.fixture(scope="module")
def atlas():
    return load_atlas("geodata")


@pytest.fixture(scope="module")
def data(atlas):
    return MapData(atlas)


@pytest.fixture(scope="module")
def tour():
    """A briefing of the shipped data written here, so the test does not depend on the shipped briefing."""
    return Briefing(
        "test",
        "Test tour",
        "",
        (
            Stop("KKH", ("kkh", "cpec-western"), ("kkh",), KKH_VIEW, places=("gilgit", "sost")),
            Stop("Rail via Iran", ("rail-via-iran",), (), View(bounds=((26.0, 50.0), (45.5, 70.0)))),
        ),
    )


@pytest.fixture(scope="module")
def kkh_png(atlas, data, tour):
    return Image.open(io.BytesIO(png.png_bytes(atlas, tour, 0, data))).convert("RGB")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _colour_near(img, xy, colour: str, radius: int = 6, tolerance: int = 40) -> bool:
    target = _rgb(colour)
    x0, y0 = xy
    for x in range(x0 - radius, x0 + radius + 1):
        for y in range(y0 - radius, y0 + radius + 1):
            if 0 <= x < img.width and 0 <= y < img.height:
                if sum(abs(a - b) for a, b in zip(img.getpixel((x, y)), target)) <= tolerance:
                    return True
    return False


def test_png_is_1920x1080_and_not_blank(kkh_png):
    assert kkh_png.size == (1920, 1080)
    colours = kkh_png.resize((192, 108)).getcolors(maxcolors=100_000)
    assert colours is not None and len(colours) > 50


def test_png_draws_corridors_where_they_are(atlas, data, kkh_png):
    box = KKH_VIEW.box
    kkh, sea = data.colours["kkh"], settings.OFFLINE_SEA
    for seg in data.corridor_segments["kkh"][:4]:  # the middle of the first KKH stretches
        mid = seg.line.interpolate(0.5, normalized=True)
        assert _colour_near(kkh_png, png.pixel_at(box, mid.x, mid.y), kkh), seg.id
    gilgit = atlas.nodes["gilgit"]
    assert _colour_near(kkh_png, png.pixel_at(box, gilgit.lon, gilgit.lat), kkh, radius=8)
    # far from any corridor (western Tajikistan): land, no corridor colour
    assert not _colour_near(kkh_png, png.pixel_at(box, 70.5, 39.5), kkh, radius=10)
    assert not _colour_near(kkh_png, png.pixel_at(box, 70.5, 39.5), sea, radius=2, tolerance=6)


def test_png_of_another_stop_draws_its_own_corridor(atlas, data, tour):
    img = Image.open(io.BytesIO(png.png_bytes(atlas, tour, 1, data))).convert("RGB")
    box = tour.stops[1].view.box
    zahedan = atlas.nodes["zahedan"]
    assert _colour_near(img, png.pixel_at(box, zahedan.lon, zahedan.lat), data.colours["rail-via-iran"], radius=8)
    assert not _colour_near(img, png.pixel_at(box, zahedan.lon, zahedan.lat), data.colours["kkh"], radius=8)


def test_labels_at_the_default_view(data):
    state = default_state(data.atlas.corridors)
    found = maplabels.map_labels(data, state)
    kinds = {lb.kind for lb in found}
    assert kinds == {"corridor", "place", "country"}
    texts = {lb.text for lb in found}
    assert {"Karakoram Highway", "ML-1 railway", "Pakistan", "Kazakhstan", "Karachi", "Gilgit"} <= texts
    assert [lb.rank for lb in found] == sorted(lb.rank for lb in found)
    assert pack.view_message(data, state)["labels"]["size"] == maplabels.label_size_px(state.labels)
    assert maplabels.map_labels(data, state.with_(labels="off")) == []
    assert pack.view_message(data, state.with_(labels="off"))["labels"] is None  # the map page draws none


def test_label_setting_travels_in_the_url(data):
    ids = data.atlas.corridors
    state = default_state(ids).with_(labels="large")
    query = state_to_query(state, ids)
    assert query == {"labels": "large"}
    back, notes = state_from_query(query, ids, data.countries_crossed_any, data.atlas.organisations)
    assert back == state and notes == []
    back, notes = state_from_query({"labels": "huge"}, ids, data.countries_crossed_any, data.atlas.organisations)
    assert back.labels == settings.DEFAULT_LABELS and "labels" in notes[0]


def test_label_payload_cannot_end_its_script():
    text = maplabels.safe_json([{"t": HOSTILE + "</script>'"}])
    assert not re.search(r"[<>&`$']", text)
    assert json.loads(text) == [{"t": HOSTILE + "</script>'"}]


def test_atlas_html_is_self_contained_and_small(atlas):
    page = htmlfile.atlas_html(atlas).decode("utf-8")
    assert len(page.encode()) < 1_000_000
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.DOTALL)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", markup)
    assert page.count("<script>") == 3 and page.count("<script") == 4  # Leaflet, labels, player; the data
    assert "<link" not in page and "sourceMappingURL" not in page
    assert "L.version" in page or 'version="1.9.4"' in page


def _data_json(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="atlas-data">(.*?)</script>', page, re.DOTALL).group(1)
    return json.loads(raw)


def hostile_briefing_world() -> DataFolder:
    w = hostile_world()
    w.briefings = {
        "evil": {
            "title": "Tour " + HOSTILE,
            "description": "d " + HOSTILE,
            "stops": [
                {
                    "title": "Stop " + HOSTILE,
                    "corridors": ["alpha"],
                    "highlight": ["alpha"],
                    "view": {"bounds": [[0, 0], [10, 20]]},
                    "excerpts": ["test-article/0"],
                    "places": ["aville"],
                    "notes": "Note " + HOSTILE,
                },
                {"title": "Second", "corridors": ["alpha"], "view": {"center": [5, 10], "zoom": 6}},
            ],
        }
    }
    return w


def test_hostile_text_is_data_not_markup(tmp_path):
    atlas = load_atlas(hostile_briefing_world().write(tmp_path / "d"))
    assert "evil" in atlas.briefings, atlas.problems
    for page in (htmlfile.briefing_html(atlas, atlas.briefings["evil"]).decode(), htmlfile.atlas_html(atlas).decode()):
        raw = re.search(r'<script type="application/json" id="atlas-data">(.*?)</script>', page, re.DOTALL).group(1)
        assert not re.search(r"[<>`$]", raw)  # the data cannot end its script element nor start markup
        markup = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.DOTALL)  # what is left is the page's markup
        assert "pwned" not in markup.replace("&lt;script&gt;window.__pwned", "").replace(
            "window.__pwned=2&quot;", ""
        ).replace("${window.__pwned=3}", "")
        assert "<img" not in markup and "onerror=\"" not in markup
        data = _data_json(page)
        assert json.dumps(HOSTILE)[1:-1] in json.dumps(data, ensure_ascii=False)  # the text is kept, as text
    page = htmlfile.briefing_html(atlas, atlas.briefings["evil"]).decode()
    stop = _data_json(page)["stops"][0]
    assert stop["title"] == "Stop " + HOSTILE and stop["notes"] == "Note " + HOSTILE
    assert HOSTILE in stop["excerpts"][0]["text"]
    assert "<title>Tour &lt;script&gt;" in page


def test_hostile_text_in_a_png_is_drawn_as_text(tmp_path):
    w = hostile_briefing_world()
    w.briefings["evil"]["stops"][0]["title"] += " $x^2$ and $\\frac{"  # matplotlib would read $...$ as a formula
    atlas = load_atlas(w.write(tmp_path / "d"))
    img = Image.open(io.BytesIO(png.png_bytes(atlas, atlas.briefings["evil"], 0))).convert("RGB")
    assert img.size == (1920, 1080)


def test_export_refuses_to_overwrite(tmp_path, capsys):
    data_dir = briefing_world().write(tmp_path / "d")
    out = tmp_path / "slides"
    assert run(["export", "--data", str(data_dir), "--format", "png", "--briefing", "tour", "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["tour-01.png", "tour-02.png"]
    before = (out / "tour-01.png").read_bytes()
    assert Image.open(out / "tour-02.png").size == (1920, 1080)
    capsys.readouterr()
    assert run(["export", "--data", str(data_dir), "--format", "png", "--briefing", "tour", "--out", str(out)]) == 1
    assert "tour-01.png: file: already exists; pass --force to replace it" in capsys.readouterr().err
    assert (out / "tour-01.png").read_bytes() == before
    assert (
        run(["export", "--data", str(data_dir), "--format", "png", "--briefing", "tour", "--out", str(out), "--force"])
        == 0
    )

    page = tmp_path / "tour.html"
    assert run(["export", "--data", str(data_dir), "--format", "html", "--briefing", "tour", "--out", str(page)]) == 0
    page.write_text("keep me")
    assert run(["export", "--data", str(data_dir), "--format", "html", "--out", str(page)]) == 1
    assert page.read_text() == "keep me"
    assert run(["export", "--data", str(data_dir), "--format", "html", "--out", str(page), "--force"]) == 0
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_export_unknown_briefing_is_a_message(tmp_path, capsys):
    data_dir = briefing_world().write(tmp_path / "d")
    assert (
        run(
            [
                "export",
                "--data",
                str(data_dir),
                "--format",
                "html",
                "--briefing",
                "nope",
                "--out",
                str(tmp_path / "x.html"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "briefing 'nope': not found" in err and "known: tour" in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_names_setting_in_the_app_goes_into_the_url(monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("CORRIDORS_DATA", raising=False)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params["labels"] = "large"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="labels").value == "large"
    at.selectbox(key="labels").set_value("off").run()
    assert at.query_params["labels"] == "off"
    at.selectbox(key="labels").set_value(settings.DEFAULT_LABELS).run()
    assert "labels" not in at.query_params


def test_a_stop_as_of_a_date_is_drawn_as_the_network_stood_then_and_says_the_date(atlas, data, monkeypatch):
    """A highlighted corridor not built yet on the stop's date is not drawn; the slide says 'as of …' (issue 18)."""
    from matplotlib.figure import Figure

    kti = atlas.corridors["kti"]
    view = View(bounds=((35.0, 52.0), (44.0, 60.0)))
    texts: list[str] = []
    real_text = Figure.text
    monkeypatch.setattr(
        Figure, "text", lambda self, x, y, s, *a, **k: texts.append(s) or real_text(self, x, y, s, *a, **k)
    )

    def slide(asof):
        stop = Stop("KTI", ("kti",), ("kti",), view, asof=asof)
        return Image.open(io.BytesIO(png.png_bytes(atlas, Briefing("t", "T", "", (stop,)), 0, data))).convert("RGB")

    mid = data.corridor_segments["kti"][0].line.interpolate(0.5, normalized=True)
    where = png.pixel_at(view.box, mid.x, mid.y)
    assert _colour_near(slide(None), where, data.colours["kti"]), kti.name  # today: built
    assert not any(t.startswith("as of") or " · as of" in t for t in texts)
    texts.clear()
    assert not _colour_near(slide("2000"), where, data.colours["kti"])  # agreed in 2007: not there in 2000
    assert any(t.endswith("as of 2000") for t in texts), texts
