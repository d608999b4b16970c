"""Uploaded layers (issue 20): each format read, each limit and each hostile file refused with a message
naming the file, the place and the problem; nothing left on disk, nothing written under geodata/."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from corridors.data import userlayers
from corridors.data.userlayers import read_user_layer
from corridors.errors import CorridorsError

ROOT = Path(__file__).resolve().parent.parent


def _geojson(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _point(lon, lat, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def _frame(crs="EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Gwadar <b>port</b>", "line"]},
        geometry=[Point(62.3, 25.1), LineString([(62.3, 25.1), (67.0, 24.9)])],
        crs="EPSG:4326",
    ).to_crs(crs)


def _problem(name: str, data: bytes, **kw) -> str:
    with pytest.raises(CorridorsError) as caught:
        read_user_layer(name, data, **kw)
    [problem] = caught.value.problems
    assert problem.file == name.rsplit("/", 1)[-1]
    return str(problem)


@pytest.fixture(autouse=True)
def nothing_left_behind():
    """Each test: no scratch folder left in the temporary folders, nothing new under geodata/."""
    scratch = [Path("/dev/shm"), Path("/tmp")]
    before = {p for d in scratch if d.is_dir() for p in d.glob("corridors-upload-*")}
    data_before = sorted((p, p.stat().st_mtime_ns) for p in (ROOT / "geodata").rglob("*"))
    yield
    after = {p for d in scratch if d.is_dir() for p in d.glob("corridors-upload-*")}
    assert after <= before
    assert sorted((p, p.stat().st_mtime_ns) for p in (ROOT / "geodata").rglob("*")) == data_before


# ---- good files, one per format --------------------------------------------------------------------------


def test_geojson_keeps_attributes_as_text_unescaped_for_the_view_to_escape():
    layer = read_user_layer("ports.geojson", _geojson([_point(62.3, 25.1, name="<script>alert(1)</script>", n=3)]))
    assert (layer.name, layer.format, layer.vertex_count, layer.notes) == ("ports", "geojson", 1, ())
    [f] = layer.features
    assert f.geometry.equals(Point(62.3, 25.1))
    assert dict(f.attributes) == {"name": "<script>alert(1)</script>", "n": "3"}
    assert layer.bounds == (62.3, 25.1, 62.3, 25.1) and layer.geometry_types == ("Point",)
    again = read_user_layer("ports.geojson", _geojson([_point(62.3, 25.1, name="<script>alert(1)</script>", n=3)]))
    assert again.id == layer.id  # the same file is the same layer


def test_gpkg_in_web_mercator_is_reprojected_with_a_note(tmp_path):
    path = tmp_path / "in.gpkg"
    _frame("EPSG:3857").to_file(path, layer="mine", driver="GPKG")
    layer = read_user_layer("mine.gpkg", path.read_bytes())
    assert layer.notes == ("reprojected from EPSG:3857 to WGS84 (EPSG:4326)",)
    x, y = layer.features[0].geometry.coords[0]
    assert x == pytest.approx(62.3) and y == pytest.approx(25.1)
    assert dict(layer.features[0].attributes)["name"] == "Gwadar <b>port</b>"


def test_zipped_shapefile_in_a_folder_of_the_zip(tmp_path):
    _frame("EPSG:32642").iloc[:1].to_file(tmp_path / "ports.shp")
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w", zipfile.ZIP_DEFLATED) as z:
        for part in tmp_path.glob("ports.*"):
            z.write(part, f"export/{part.name}")
    layer = read_user_layer("ports.zip", blob.getvalue())
    assert layer.format == "shapefile" and len(layer.features) == 1
    assert layer.features[0].geometry.x == pytest.approx(62.3)


def test_kml_and_gpx(tmp_path):
    _frame().to_file(tmp_path / "a.kml", driver="KML")
    kml = read_user_layer("a.kml", (tmp_path / "a.kml").read_bytes())
    assert {f.geometry.geom_type for f in kml.features} == {"Point", "LineString"}
    gpx = (
        b'<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        b'<wpt lat="25.1" lon="62.3"><name>Gwadar</name></wpt>'
        b'<trk><name>drive</name><trkseg><trkpt lat="25.1" lon="62.3"/><trkpt lat="24.9" lon="67.0"/></trkseg></trk>'
        b"</gpx>"
    )
    layer = read_user_layer("drive.gpx", gpx)
    assert sorted(f.geometry.geom_type for f in layer.features) == ["MultiLineString", "Point"]
    assert dict(layer.features[0].attributes)["layer"] in ("waypoints", "tracks")


def test_csv_with_latitude_longitude_or_wkt():
    layer = read_user_layer("p.csv", b"name,latitude,longitude\nKarachi,24.86,67.01\nQuetta,30.18,66.99\n")
    assert [round(f.geometry.y, 2) for f in layer.features] == [24.86, 30.18]
    assert layer.fields == ("name",)
    assert layer.notes == ("no coordinate reference system given; read as WGS84 longitude/latitude",)
    wkt = read_user_layer("w.csv", b'name,WKT\nroad,"LINESTRING (60 30, 61 31)"\n')
    assert wkt.features[0].geometry.equals(LineString([(60, 30), (61, 31)]))
    assert "latitude and longitude columns" in _problem("n.csv", b"name,value\na,1\n")


# ---- limits -------------------------------------------------------------------------------------------------


def test_size_limit_is_checked_before_anything_else():
    big = b" " * (userlayers.MAX_UPLOAD_BYTES + 1)
    assert _problem("big.geojson", big) == "big.geojson: file: is 20.0 MB; the limit is 20.0 MB"


def test_feature_and_vertex_limits(monkeypatch):
    monkeypatch.setattr(userlayers, "MAX_FEATURES", 3)
    data = _geojson([_point(60 + i, 30) for i in range(4)])
    assert _problem("many.geojson", data) == "many.geojson: file: has more than 3 features; the limit is 3"
    monkeypatch.setattr(userlayers, "MAX_FEATURES", 50_000)
    monkeypatch.setattr(userlayers, "MAX_VERTICES", 10)
    line = {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[60, 30]] * 11}}
    assert "has more than 10 vertices; the limit is 10" in _problem("long.geojson", _geojson([line]))


def test_no_crs_and_coordinates_beyond_lon_lat_is_refused():
    text = b"name,x,y\na,7000000,3000000\n"
    assert "names no coordinate reference system and its coordinates are not longitude/latitude" in _problem(
        "m.csv", text
    )


def test_a_parse_that_takes_too_long_is_stopped():
    assert _problem("slow.geojson", _geojson([_point(60, 30)]), timeout=0.001).endswith(
        "took longer than 0.001 seconds to read; refused"
    )


# ---- hostile and broken files ------------------------------------------------------------------------------


def test_a_file_that_claims_one_format_and_is_another():
    assert _problem("x.geojson", b"PK\x05\x06" + b"\x00" * 18) == (
        "x.geojson: file: is named as GeoJSON (.geojson) but its content is a ZIP archive"
    )
    assert _problem("x.kml", b'{"type": "FeatureCollection"}').endswith(
        "is named as KML (.kml) but its content is JSON"
    )
    assert _problem("x.gpkg", b"name,lat,lon\n").endswith("but its content is plain text")
    assert _problem("x.zip", b"SQLite format 3\x00" + b"\x00" * 100).endswith(
        "but its content is an SQLite database (GeoPackage)"
    )
    assert _problem("x.gpx", b"<kml></kml>").endswith("is named as GPX (.gpx) but its content is KML")
    assert "reads .geojson, .json, .kml" in _problem("x.exe", b"MZ")


def test_xml_entities_are_refused_before_gdal_sees_them():
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE kml [\n<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&b;</name></Placemark></kml>'
    )
    assert _problem("laughs.kml", laughs).startswith("laughs.kml: line 2: has a DOCTYPE declaration: refused")
    external = b'<gpx version="1.1"><!ENTITY x SYSTEM "file:///etc/passwd"></gpx>'
    assert _problem("x.gpx", external).startswith("x.gpx: line 1: has a ENTITY declaration")


def test_zip_bomb_is_refused_from_the_directory():
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.shp", b"\x00" * (20 * 1024 * 1024))
    message = _problem("bomb.zip", blob.getvalue())
    assert "member 'bomb.shp': is packed" in message and "(a zip bomb?)" in message


def test_zip_that_unpacks_too_big_or_holds_no_shapefile(monkeypatch):
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w", zipfile.ZIP_STORED) as z:
        z.writestr("readme.txt", b"x" * 2000)
    assert _problem("none.zip", blob.getvalue()).endswith(
        "holds no .shp file: zip a shapefile's .shp, .shx, .dbf and .prj together"
    )
    monkeypatch.setattr(userlayers, "MAX_UNZIPPED_BYTES", 1000)
    assert "unpacks to 2,000 bytes; the limit is 1,000 bytes" in _problem("big.zip", blob.getvalue())


def test_deep_json_nesting_is_refused_before_parsing():
    deep = b'{"type": "FeatureCollection", "features": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert _problem("deep.geojson", deep) == "deep.geojson: line 1: nests lists or objects more than 64 levels deep"


def test_broken_geojson_is_a_message_not_a_traceback():
    message = _problem("broken.geojson", b'{"type": "FeatureCollection", "features": [')
    assert message.startswith("broken.geojson: file: cannot be read as GeoJSON")
    assert "Traceback" not in message


def test_the_browser_s_file_name_is_reduced_to_its_last_part():
    with pytest.raises(CorridorsError) as caught:
        read_user_layer("../../etc/x.gpkg", b"nope")
    assert caught.value.problems[0].file == "x.gpkg"


def test_a_csv_from_excel_on_windows_is_text_not_binary():
    layer = read_user_layer("l.csv", "name,lat,lon\nPeshawar Cantonnement à l est,34.0,71.5\n".encode("cp1252"))
    assert len(layer.features) == 1 and layer.features[0].geometry.x == 71.5
    assert dict(layer.features[0].attributes)["name"] == "Peshawar Cantonnement à l est"
    assert "not UTF-8 text: read as Windows-1252" in layer.notes
