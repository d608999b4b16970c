"""`python -m corridors`: validate, info, export, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.cli import run

ROOT = Path(__file__).resolve().parent.parent


def test_module_entry_point_validates_bundled_data():
    proc = subprocess.run([sys.executable, "-m", "corridors", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("ok: ")


def test_data_dir_from_environment(world, tmp_path, monkeypatch, capsys):
    root = world.write(tmp_path / "d")
    monkeypatch.setenv("CORRIDORS_DATA", str(root))
    assert run(["info", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["alpha"]


def test_info_json_is_a_stable_list_of_objects(world, tmp_path, capsys):
    root = world.write(tmp_path / "d")
    assert run(["info", "--json", "--data", str(root)]) == 0
    [rec] = json.loads(capsys.readouterr().out)
    assert set(rec) >= {
        "id",
        "name",
        "aliases",
        "mode",
        "status",
        "countries",
        "length_km",
        "published_length_km",
        "published_length_range_km",
        "published_length_sources",
        "published_lengths",
        "segments",
    }
    assert rec["countries"] == ["AAA", "BBB"]
    assert rec["published_length_km"] == 1700 and rec["published_length_sources"] == ["atlas"]
    seg = rec["segments"][0]
    assert set(seg) >= {
        "id",
        "from",
        "to",
        "mode",
        "status",
        "gauge_mm",
        "accuracy",
        "agreed",
        "opened",
        "length_km",
        "published_lengths",
        "sources",
        "via",
    }
    assert seg["opened"] == "1999-05" and seg["via"] == ["Midway"]


def test_info_text_lists_every_bundled_corridor(capsys):
    assert run(["info"]) == 0
    out = capsys.readouterr().out
    for name in ("Karakoram Highway", "Eurasian Land Bridge", "Kazakhstan–Turkmenistan–Iran", "ML-1"):
        assert name in out
    assert "countries: PAK → CHN" in out


def test_export_geojson_round_trip(world, tmp_path, capsys):
    root = world.write(tmp_path / "d")
    out = tmp_path / "out.geojson"
    assert run(["export", "--format", "geojson", "--out", str(out), "--data", str(root)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [f["properties"]["segment_id"] for f in data["features"]] == ["aville-border", "border-btown"]
    props = data["features"][0]["properties"]
    assert props["corridor_id"] == "alpha" and props["corridor_name"] == "Alpha Railway"
    assert props["mode"] == "rail" and props["status"] == "operational" and props["gauge_mm"] == 1520
    assert data["features"][0]["geometry"]["coordinates"][0] == [2.0, 5.0]


def test_export_never_overwrites_without_force(world, tmp_path, capsys):
    root = world.write(tmp_path / "d")
    out = tmp_path / "keep.geojson"
    out.write_text("precious", encoding="utf-8")
    assert run(["export", "--out", str(out), "--data", str(root)]) == 1
    assert capsys.readouterr().err.strip() == f"{out}: file: already exists; pass --force to replace it"
    assert out.read_text(encoding="utf-8") == "precious"
    assert run(["export", "--out", str(out), "--data", str(root), "--force"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


# The JSON of `info --json` and `routes --json` is a contract with scripts that read it: the records behind
# it are typed now, and their keys (names and order) must stay as they were when they were dicts.
INFO_KEYS = (
    "id name aliases mode status as_of status_source status_note events data_updated role description agreed opened "
    "countries km_by_country km_by_status length_km "
    "published_length_km published_length_range_km published_length_sources published_lengths costs sources segments "
    "alternatives"
).split()
SEGMENT_KEYS = (
    "id corridor from from_name to to_name mode status as_of status_source status_note events closures gauge_mm "
    "gauge_change_mm gauge accuracy via agreed opened "
    "length_km published_lengths costs sources note"
).split()
ALTERNATIVE_KEYS = "id name description length_km countries km_by_country km_by_status segments".split()
PUBLISHED_KEYS = ["km", "source", "scope", "covers"]
ROUTES_KEYS = ["from", "to", "mode", "routes", "message", "as_of", "announced", "month"]  # month: issue 19
END_KEYS = ["kind", "code", "label", "country"]
WAY_KEYS = (
    "countries country_names label from from_name to to_name places place_names drawn_km published_km "
    "published_legs legs_count drawn_km_of_published_legs km_by_status km_by_mode km_by_country borders "
    "gauge_breaks mode_changes gauge_unknown missing_links corridors legs excerpts id as_of open closures suspended"
).split() + ["transit", "transit_days", "transit_figures"]  # added by issue 19
WAY_ITEM_KEYS = {
    "km_by_country": ["country", "name", "km"],
    "borders": ["name", "from_country", "to_country", "segment", "mode", "nodes", "lon", "lat"],
    "gauge_breaks": ["where", "node", "exact", "from_gauge_mm", "to_gauge_mm", "country", "lon", "lat"],
    "mode_changes": ["where", "node", "from_mode", "to_mode", "lon", "lat"],
    "gauge_unknown": ["segment", "from_name", "to_name", "km"],
    "missing_links": ["segment", "from_name", "to_name", "status", "mode", "km", "corridor"],
    "corridors": ["id", "name", "role"],
    "legs": (
        "segment corridor from to from_name to_name mode status gauge_mm accuracy drawn_km reversed published_lengths "
        "as_of"
    ).split(),
    "excerpts": ["corridor", "text", "article", "article_title", "outlet", "date", "paragraph", "start", "end"],
}


def test_info_json_keys_are_unchanged(capsys):
    assert run(["info", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert all(list(r) == INFO_KEYS for r in records)
    segments = [s for r in records for s in r["segments"] + [s for a in r["alternatives"] for s in a["segments"]]]
    assert segments and all(list(s) == SEGMENT_KEYS for s in segments)
    alternatives = [a for r in records for a in r["alternatives"]]
    assert alternatives and all(list(a) == ALTERNATIVE_KEYS for a in alternatives)
    published = [p for r in records for p in r["published_lengths"]] + [
        p for s in segments for p in s["published_lengths"]
    ]
    assert published and all(list(p) == PUBLISHED_KEYS for p in published)
    assert all(isinstance(r["km_by_country"], dict) and isinstance(r["countries"], list) for r in records)


@pytest.mark.parametrize("ends", [("PAK", "KAZ"), ("Kashgar", "Almaty"), ("PAK", "UZB")])
def test_routes_json_keys_are_unchanged(capsys, ends):
    assert run(["routes", *ends, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ROUTES_KEYS and list(data["from"]) == END_KEYS and list(data["to"]) == END_KEYS
    assert data["routes"]
    for way in data["routes"]:
        assert list(way) == WAY_KEYS
        assert list(way["km_by_status"]) and list(way["km_by_mode"]) == ["road", "rail"]
        for key, keys in WAY_ITEM_KEYS.items():
            assert all(list(item) == keys for item in way[key]), key
        assert all(list(p) == PUBLISHED_KEYS for leg in way["legs"] for p in leg["published_lengths"])
    seen = {key for way in data["routes"] for key in WAY_ITEM_KEYS if way[key]}
    assert {"borders", "legs", "corridors", "km_by_country"} <= seen
