"""The GIS exports (issue 20): GeoPackage, CSV and KML written by GDAL and read back with pyogrio."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pyogrio
import pytest
from factory import HOSTILE, hostile_world

from corridors.assemble import load_atlas
from corridors.cli import run
from corridors.exports import gis

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture
def tiny(world, tmp_path):
    return world.write(tmp_path / "d")


def _export(root, fmt, out, *extra) -> int:
    return run(["export", "--format", fmt, "--out", str(out), "--data", str(root), *extra])


def test_gpkg_has_the_five_layers_named_typed_in_wgs84(tiny, tmp_path, capsys):
    out = tmp_path / "atlas.gpkg"
    assert _export(tiny, "gpkg", out) == 0
    assert f"wrote 2 features to {out}" in capsys.readouterr().out
    layers = dict(pyogrio.list_layers(out))
    assert layers == {
        "segments": "LineString",
        "corridors": "MultiLineString",
        "places": "Point",
        "borders_crossed": "Point",
        "events": "MultiLineString",
    }
    counts = {name: pyogrio.read_info(out, layer=name)["features"] for name in layers}
    assert counts == {"segments": 2, "corridors": 1, "places": 3, "borders_crossed": 1, "events": 4}
    for name in layers:
        assert pyogrio.read_info(out, layer=name)["crs"] == "EPSG:4326"
    info = pyogrio.read_info(out, layer="segments")
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["drawn_km"] == "OFTReal" and types["gauge_mm"] == "OFTInteger64"
    assert types["status_source"] == types["published_lengths"] == "OFTString"
    events = pyogrio.read_info(out, layer="events")
    assert dict(zip(events["fields"], events["ogr_subtypes"]))["announced"] == "OFSTBoolean"
    seg = pyogrio.read_dataframe(out, layer="segments").set_index("segment_id").loc["aville-border"]
    assert seg.corridor_name == "Alpha Railway" and seg.gauge_mm == 1520 and seg.status_source == "test"
    assert list(seg.geometry.coords)[0] == (2.0, 5.0)
    border = pyogrio.read_dataframe(out, layer="borders_crossed").iloc[0]
    assert (border.from_country, border.to_country, border.segment_id) == ("AAA", "BBB", "border-btown")
    assert (border.geometry.x, border.geometry.y) == (10.0, 5.0) and "test" in border.source
    ev = pyogrio.read_dataframe(out, layer="events")
    assert sorted(zip(ev["of"], ev["segment_id"], ev["date"], ev["kind"], ev["source"])) == [
        ("corridor", "", "1999-05", "opened", "book"),
        ("segment", "aville-border", "1995", "agreed", "test"),
        ("segment", "aville-border", "1999-05", "opened", "book"),
        ("segment", "border-btown", "2020", "agreed", "test"),
    ]


def test_csv_writes_segments_and_corridors_beside_with_a_bom_and_optional_wkt(tiny, tmp_path, capsys):
    out = tmp_path / "atlas.csv"
    assert _export(tiny, "csv", out) == 0
    beside = tmp_path / "atlas-corridors.csv"
    assert beside.is_file()
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["segment_id"] for r in rows] == ["aville-border", "border-btown"] and "WKT" not in rows[0]
    [corridor] = list(csv.DictReader(io.StringIO(beside.read_bytes().decode("utf-8-sig"))))
    assert corridor["corridor_id"] == "alpha" and corridor["segments_shown"] == "2"
    assert _export(tiny, "csv", out, "--wkt") == 1  # both exist: refused, named
    err = capsys.readouterr().err
    assert f"{out}: file: already exists" in err and f"{beside}: file: already exists" in err
    assert _export(tiny, "csv", out, "--wkt", "--force") == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0]["WKT"].startswith("LINESTRING (2 5,")


def test_wkt_applies_to_csv_only(tiny, tmp_path, capsys):
    assert _export(tiny, "gpkg", tmp_path / "a.gpkg", "--wkt") == 1
    assert capsys.readouterr().err.strip() == "--wkt: option: applies to --format csv only"


def test_kml_has_corridor_colours_widths_and_escaped_facts(tmp_path, capsys):
    root = hostile_world().write(tmp_path / "d")
    out = tmp_path / "atlas.kml"
    assert _export(root, "kml", out) == 0
    tree = ET.parse(out)  # well-formed, whatever the data held
    marks = tree.findall(f".//{KML}Placemark")
    lines = [m for m in marks if m.find(f".//{KML}LineString") is not None]
    assert len(lines) == 1
    colour = lines[0].find(f".//{KML}LineStyle/{KML}color").text.lower()
    atlas = load_atlas(root)
    from corridors.maps.mapdata import MapData

    hex_colour = MapData(atlas).colours[next(iter(atlas.corridors))].lstrip("#").lower()
    assert colour == "ff" + hex_colour[4:6] + hex_colour[2:4] + hex_colour[0:2]  # KML is aabbggrr
    assert lines[0].find(f".//{KML}LineStyle/{KML}width").text == "4"
    description = lines[0].find(f"{KML}description").text
    assert "<script>" not in description and "&lt;script&gt;" in description  # the data's HTML is text
    assert "Status source" in description
    assert lines[0].find(f"{KML}name").text.endswith(HOSTILE)  # a name is plain text in KML, kept as it is
    read = pyogrio.read_dataframe(out, layer="corridors")
    assert read.crs.to_epsg() == 4326 and len(read) == 1


def test_layers_of_the_segments_shown_only(real_atlas):
    from corridors.maps.mapdata import MapData

    data = MapData(real_atlas)
    cid = next(iter(real_atlas.corridors))
    shown = {s.id for s in real_atlas.route(cid)}
    layers = gis.atlas_layers(real_atlas, data.colours, shown)
    assert set(layers.segments["segment_id"]) == shown
    assert cid in set(layers.corridors["corridor_id"])
    ends = {n for s in real_atlas.route(cid) for n in (s.from_node, s.to_node)}
    assert set(layers.places["place_id"]) == ends
    assert set(layers.events["segment_id"]) - {""} <= shown
    blob = gis.download_bytes(layers, "gpkg")
    assert blob.startswith(b"SQLite format 3\x00")
    assert dict(pyogrio.list_layers(io.BytesIO(blob)))["corridors"] == "MultiLineString"
    empty = gis.atlas_layers(real_atlas, data.colours, set())
    assert len(empty.segments) == 0 and len(empty.corridors) == 0
    assert gis.download_bytes(empty, "csv").startswith(b"\xef\xbb\xbfsegment_id,")
