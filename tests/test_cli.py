"""`python -m corridors`: validate, info, export, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_domain_modules_never_import_streamlit():
    for path in (ROOT / "corridors").glob("*.py"):
        if path.name == "bench.py":  # the benchmark drives the whole app through AppTest
            continue
        text = path.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, path.name
